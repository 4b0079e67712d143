"""The shared kit: what every page and every office document needs and no domain owns.

It sits between the foundation (core, units, accounts, workdays), which it may import, and the
domain apps (plans, onestop, parindex, surveys) and web, which import it. It never imports a domain
app. Modules:

- `views`: run a service from a view and turn its refusal into messages or a 403 by one rule
  (`run_service`, `submit_form`; `run_versioned` where a stale save is only a warning); form errors
  as messages or as one line; pagination.
- `periods`: the period picker (which period a page shows, what it offers).
- `parsers`: values typed by people: Vietnamese numbers and dates, one yes/no vocabulary.
- `forms`: the form renderer whose one field template every form uses.
- `wording`: the Vietnamese of official documents (names of bodies, dates, numbers).
- `docx`: Nghị định 30/2020 page set-up, the national heading, paragraphs and tables.
- `xlsx`: the table writer for workbooks; its cells go through `core.cells.put`, as every CSV
  export goes through `core.cells.csv_writer`, so text that starts like a formula stays text.
- `downloads`: MIME types and file download responses (`download` for generated files,
  `stored_file` for what a FileField holds).

The table reader every import uses (`core.tables.read_table`) and the cell writer every export uses
(`core.cells`) sit in core, since the units import and export, below the kit, need them too.
"""
