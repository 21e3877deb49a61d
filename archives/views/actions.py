"""The archives' form views: config.actions' ``submit`` and ``form_page``, but a refusal
that names one of the form's fields (config.validators.RuleError) goes next to that field,
as the archives' services name the field they refuse (a file number, a volume, a date).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from config.validators import RuleError


def submit(
    request,
    form,
    call: Callable[[], Any],
    *,
    success: Callable[[Any], str],
    done: Callable[[Any], Any],
    back: str | None = None,
) -> HttpResponse | None:
    """Call the service for a valid form. A refusal of one of the form's fields goes next to
    it, any other above the form (None: show the form again) or, given ``back``, is a message
    on that page. Done: the success message and a redirect to ``done(result)``."""
    try:
        result = call()
    except ValidationError as exc:
        if isinstance(exc, RuleError) and exc.field in form.fields:
            form.add_error(exc.field, exc.field_message)
            return None
        if back is None:
            form.add_error(None, exc)
            return None
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, success(result))
    return redirect(done(result))


def form_page(
    request,
    form,
    call: Callable[[dict], Any],
    *,
    success: Callable[[Any], str],
    done: Callable[[Any], Any],
    title: str,
    cancel_url: str,
    template: str = "form.html",
    back: str | None = None,
    **extra,
) -> HttpResponse:
    """A page holding one form: a valid POST calls the service with the form's cleaned data
    (``submit``); otherwise, or when it refuses, ``template`` shows the form (again) with
    ``extra`` in its context."""
    if request.method == "POST" and form.is_valid():
        if response := submit(
            request,
            form,
            lambda: call(form.cleaned_data),
            success=success,
            done=done,
            back=back,
        ):
            return response
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, template, context)
