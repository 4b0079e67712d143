"""The read side of the PAR Index: nothing here writes.

- `results`: totals, indices, ranks and bands computed from the items.
- `survey`: survey scores from the answers, and what the survey page lists.
- `automatic`: the value of a system metric for the automatic leaves, many units at a time.
- `campaigns`: the campaign list with the user's scorecards, one campaign's timeline and scorecards.
- `scorecards`: a scorecard's totals by area, what the user may do on it, its rows and radar.
- `ranking`: the rows and charts of the results pages, live or from the fixed results.
- `criteria`: criteria sets with their figures, a set's tree.
"""
