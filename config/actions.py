"""The two shapes of a view that asks a service to act.

``@action``: a POST-only action (approve, return, cancel ...). The view's function checks its
small form with ``checked()``, calls one service and returns the success message; a refusal
comes back as a message too, and the user lands on the record's page either way.
``submit()`` (and ``form_page()`` for a page of one form): the POST of a form page; a
refusal goes onto the form, shown again.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.validators import RuleError

# What the service returned -> the message to show: a text (a success), (level, text), or
# None for no message.
Outcome = Callable[[Any], str | tuple[int, str] | None]


class FormInvalid(ValidationError):
    """An action's form was refused: each of its messages is shown on its own."""


def form_messages(form) -> list[str]:
    """A form's errors as messages: "label: text" for a field, the text alone otherwise."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        text = " ".join(str(error) for error in errors)
        lines.append(f"{label}: {text}" if label else text)
    return lines


def checked(form, invalid: str = "") -> dict:
    """The form's cleaned data; refused with ``invalid`` or else its errors, field by field."""
    if not form.is_valid():
        raise FormInvalid([invalid] if invalid else form_messages(form))
    return form.cleaned_data


def refused(request, check: Callable[[], Any], back) -> HttpResponse | None:
    """Run ``check``; when it refuses, its message and a redirect to ``back``, else None
    (a page that cannot even be shown, such as the transcription of a used number)."""
    try:
        check()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return None


def action(permission: str | tuple[str, ...], *, back: str | Callable[..., str]):
    """Make a POST-only view of ``act(request, **url_kwargs)``, which calls one service and
    returns the success message, or (message, where to go then). A refusal (ValidationError)
    is shown as a message and leads to ``back``: a URL name, reversed with the URL's
    arguments, or a function of them; so does a success that names no other page."""

    def back_to(kwargs) -> str:
        return back(**kwargs) if callable(back) else reverse(back, kwargs=kwargs)

    def decorate(act: Callable[..., str | tuple[str, Any]]):
        @require_POST
        @permission_required(permission, raise_exception=True)
        @wraps(act)
        def view(request, **kwargs) -> HttpResponse:
            try:
                outcome = act(request, **kwargs)
            except FormInvalid as exc:
                for text in exc.messages:
                    messages.error(request, text)
                return redirect(back_to(kwargs))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(back_to(kwargs))
            text, where = outcome if isinstance(outcome, tuple) else (outcome, None)
            messages.success(request, text)
            return redirect(where or back_to(kwargs))

        return view

    return decorate


def _report(request, outcome: str | Outcome, result) -> None:
    said = outcome(result) if callable(outcome) else outcome
    if said is None:
        return
    level, text = said if isinstance(said, tuple) else (messages.SUCCESS, said)
    messages.add_message(request, level, text)


def submit(
    request,
    form,
    call: Callable[[], Any],
    *,
    success: str | Outcome,
    done: Callable[[Any], Any],
    back: str | None = None,
    at_fields: bool = False,
) -> HttpResponse | None:
    """Call the service for a valid form. Refused: the message goes onto the form and None
    comes back (show the page again); with ``at_fields``, a refusal that names one of the
    form's fields (RuleError) goes next to it; with ``back``, any other refusal is a message
    on that page instead. Done: the message and a redirect to ``done(result)``."""
    try:
        result = call()
    except ValidationError as exc:
        if at_fields and isinstance(exc, RuleError) and exc.field in form.fields:
            form.add_error(exc.field, exc.field_message)
            return None
        if back is not None:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        form.add_error(None, exc)
        return None
    _report(request, success, result)
    return redirect(done(result))


def form_page(
    request,
    form,
    call: Callable[[], Any],
    *,
    success: str | Outcome,
    done: Callable[[Any], Any],
    title: str,
    cancel_url: str,
    template: str = "form.html",
    back: str | None = None,
    at_fields: bool = False,
    **extra,
) -> HttpResponse:
    """A page holding one form (``template``, templates/form.html or a page extending it):
    a valid POST calls the service (``submit``); otherwise, or when it refuses, the form is
    shown (again), with ``extra`` in the page's context."""
    if request.method == "POST" and form.is_valid():
        if response := submit(
            request, form, call, success=success, done=done, back=back, at_fields=at_fields
        ):
            return response
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, template, context)
