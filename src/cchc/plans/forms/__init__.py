"""Forms of the plans app's pages, one module per page family. They only shape the input: every rule
is checked by the services."""
