"""The static files storage of production (`CCHC_STATIC_ROOT` set): whitenoise's compressed copies with
content-hashed names, minus the rewriting of source-map comments.

The vendored libraries (scripts/vendor_static.sh) end with `sourceMappingURL` comments naming .map
files that are not shipped; Django's manifest storage would stop `collectstatic` on the first one.
Browsers only fetch source maps when developer tools are open, so the comments are left as they are.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; source-map comments are not followed."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
