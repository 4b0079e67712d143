"""The refusal of a file with bad rows, shared by the modules that import spreadsheets row by row."""

from django.core.exceptions import ValidationError


class ImportRefused(ValidationError):
    """A file with problems: every (row, column, message) is listed and nothing was written."""

    def __init__(self, errors: list[tuple[int | None, str, str]]):
        self.rows = errors
        super().__init__(
            [message if row is None else f"{row}/{column}: {message}" for row, column, message in errors]
        )
