"""Metrics the one-stop module publishes (filled below)."""
