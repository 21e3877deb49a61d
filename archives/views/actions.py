"""The archives' form views use config.actions' ``submit`` and ``form_page`` with one
difference: the archives' services name the field they refuse (a file number, a volume, a
date), so such a refusal goes next to that field (``at_fields``); and a page's service is
called with the form's cleaned data."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from config import actions


def submit(request, form, call: Callable[[], Any], **options) -> HttpResponse | None:
    return actions.submit(request, form, call, at_fields=True, **options)


def form_page(request, form, call: Callable[[dict], Any], **options) -> HttpResponse:
    return actions.form_page(
        request, form, lambda: call(form.cleaned_data), at_fields=True, **options
    )
