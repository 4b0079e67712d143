"""Every named URL of the project, for the tests that walk them all (permissions, markup injection)."""

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(resolver=None, namespace=""):
    """(name with its namespaces, pattern) of every named URL, Django's admin aside."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry
