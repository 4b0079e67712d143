"""The pages of units: the tree, a unit's page, the import of units from a file."""
