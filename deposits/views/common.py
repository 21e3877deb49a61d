"""What the deposits' views share: a service's refusal put next to the field it names,
and files served as downloads."""

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect

from config.validators import RuleError
from deposits.models.uploads import CONTENT_TYPES


def refusal_on_form(form, exc: ValidationError) -> bool:
    """Put a service's refusal next to the field it names, if the form has it; False when
    it names none of the form's fields."""
    if isinstance(exc, RuleError) and exc.field in form.fields:
        form.add_error(exc.field, exc.field_message)
        return True
    return False


def run(request, form, call: Callable[[], Any], *, success: Callable[[Any], str], done, back):
    """Call the service (all of it in one transaction) for a valid form. A refusal of one
    of the form's fields goes next to it (None comes back: show the form again); any other
    refusal is a message on ``back``; done, the success message and ``done(result)``."""
    try:
        with transaction.atomic():
            result = call()
    except ValidationError as exc:
        if refusal_on_form(form, exc):
            return None
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, success(result))
    return redirect(done(result))


# Characters that have no place in a file name offered for download (a title typed at the
# desk may hold a line break, a quote or a slash).
UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def stored_file_response(field_file, filename: str) -> FileResponse:
    """A kept file as a download of the type its stored suffix says, never guessed."""
    filename = UNSAFE_IN_NAME.sub("_", filename).strip() or "download"
    name = field_file.name or ""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = CONTENT_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename}{suffix}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
