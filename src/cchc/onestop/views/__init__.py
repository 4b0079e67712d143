"""The one-stop pages, one module per family: `dashboard`, `index` (the QĐ 766 service index),
`dossiers` (the dossiers behind a figure, one dossier, the overdue list), `procedures` and `imports`;
`pickers` holds the unit and period choice they share."""
