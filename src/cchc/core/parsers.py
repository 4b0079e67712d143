"""The request parsers of the REST API (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES).

A module of its own: DRF imports its parsers while it builds APIView, so this must not import views.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with JSON nested deeper than Python's parser can follow ("[[[[…", a few
    hundred kilobytes) refused as bad input (400) instead of a RecursionError answered with 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON nests lists or objects too deeply.")) from None
