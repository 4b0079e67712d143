"""Pages of the surveys module, one module per family: `sipas` (campaigns, dashboard, files),
`sipas_entry` (links, codes, paper entry, imports), `feedback` (the staff's feedback list and
actions), `feedback_stats` (figures per unit), `public` (the citizens' pages, no account)."""
