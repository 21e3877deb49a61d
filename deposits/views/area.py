"""The deposits area's landing page: its lists and forms, as the user may open them."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.views import AREAS


@permission_required("deposits.view_decorationapplication", raise_exception=True)
@require_safe
def index(request):
    title, intro = AREAS["deposits"]
    return render(request, "deposits/index.html", {"title": title, "intro": intro})
