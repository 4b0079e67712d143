"""Reads of the surveys module: what the pages and the files show, computed here so that views only
choose and render. `feedback` for citizen feedback, `sipas` for the satisfaction surveys."""
