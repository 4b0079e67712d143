"""PAR Index pages, one module per page family: campaigns, a scorecard's items, results, the survey and
the criteria sets. Views fetch through `for_user` querysets, read through `queries` and change
through `services`."""
