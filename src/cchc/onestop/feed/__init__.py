"""A live feed from a provincial one-stop system's REST API (docs/onestop-feed.md).

`client` fetches pages with retries, `pull` imports them with the checkpoint and runs the schedule.
"""
