"""Start-up of a web worker process (called by cchc.wsgi and cchc.asgi once the application is loaded)."""

import gc


def settle_heap() -> None:
    """Load the URL map and views now, then move everything alive to the garbage collector's permanent
    generation: the ~100,000 objects of a loaded Django process are never garbage, and walking them
    in every full collection added 40 ms pauses to dashboard requests (docs/performance.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
