def register(router):
    """Registers the calendar endpoints on the API router."""
