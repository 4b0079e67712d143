"""The page size of the survey lists: the site's default, or the caller's `page_size` up to a bound."""

from rest_framework.pagination import PageNumberPagination


class SurveysPagination(PageNumberPagination):
    """Page numbers as everywhere in the API; a client that reads a whole campaign asks for bigger pages."""

    page_size_query_param = "page_size"
    max_page_size = 500
