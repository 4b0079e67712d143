"""What views share: running a service, showing a refusal, paginating.

One rule for refusals, everywhere: a `ValidationError` from a service is the user's to fix, so it is
shown (beside the form's fields, or as messages above the page) and the service's transaction has
changed nothing; a `PermissionDenied` is left to Django, which answers 403, because the page never
offers an action the user may not take, so only a forged or stale request meets it.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def run_service(
    request: HttpRequest, change: Callable[[], Any], *, success: str = "", form: Any = None
) -> tuple[bool, Any]:
    """Call `change` (a service call). Returns (True, its result) and flashes `success`; on a
    ValidationError returns (False, None) with the refusal attached to `form` or flashed."""
    try:
        result = change()
    except ValidationError as error:
        if form is not None:
            attach_errors(form, error)
        else:
            refusal_as_messages(request, error)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def refusal_as_messages(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def attach_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form, beside the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def form_errors_as_messages(request: HttpRequest, form: Any) -> None:
    """For the small forms on object pages: their errors go to the message area, each with its label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def form_errors_as_text(form: Any) -> str:
    """An invalid form's errors as one line, each field's errors after its label ("Số mã: …"): for a
    single message above the page where one small form's problems belong together."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.append(label + " ".join(str(error) for error in errors))
    return " ".join(parts)


def submit_form(
    request: HttpRequest, form: Any, change: Callable[[dict[str, Any]], Any], *, success: str = ""
) -> tuple[bool, Any]:
    """Validate a small form, then run `change(cleaned_data)`; every problem becomes a message."""
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return False, None
    return run_service(request, lambda: change(form.cleaned_data), success=success)


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """The page asked for in ?page= (the last one when beyond it), and the query string without
    `page` so that the pager's links keep the filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def run_versioned(
    request: HttpRequest, change: Callable[[], Any], *, stale: type[ValidationError], success: str = ""
) -> tuple[bool, Any]:
    """`run_service` for a save checked against the version the user read: a refusal of the type
    `stale` (someone else saved first; the user's page is out of date) is a warning, since reloading
    and trying again is all it takes, while any other refusal is an error as usual."""
    try:
        result = change()
    except stale as error:
        for text in error.messages:
            messages.warning(request, text)
        return False, None
    except ValidationError as error:
        refusal_as_messages(request, error)
        return False, None
    if success:
        messages.success(request, success)
    return True, result
