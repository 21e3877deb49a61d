"""Every Excel, PDF or ZIP report is an exporter, registered here by the app that owns it.

An exporter has a ``name`` (its identifier in URLs and jobs), a ``label``, the
``permission`` it needs (a codename such as "fees.view_charge"), a ``form_class`` for its
parameters (or None), ``filename(params)`` and ``content_type`` for the file, and
``render(params, out, progress)``, which writes the file's bytes into the binary file
``out`` and calls ``progress(percent, message)`` as the work advances. ``params`` are the
form's cleaned data plus ``by``, the user who asked (a blind count hides a day's figures
from its counter; a manifest names who asked).

An app registers its exporters in its ``exporters`` module (or package), which
ConfigConfig.ready() imports for every installed app (autodiscover_modules): config never
imports an app. The registry serves the download view below, the background jobs (``to_json``
and ``from_json`` carry the parameters through the database) and the audit pack: an
exporter with a ``pack_order`` adds its section to every pack (config.packs), so a new app's
files join the pack without the app that builds the pack importing it.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.downloads import file_response
from config.excel import XLSX_CONTENT_TYPE

# progress(percent, message): the message (lazy text, for the job's page) may be left out.
Progress = Callable[..., None]


def no_progress(percent: int, message: object = "") -> None:
    """For a file built in the request or a test: nobody follows its progress."""


class ExportRefused(Exception):
    """The file cannot be built with these parameters (too big, a damaged frozen file);
    the message says why, to the person who asked. Raised before anything is written."""


@dataclass(frozen=True)
class Period:
    """The days from ``date_from`` to ``date_to``, both included: an audit pack's period."""

    date_from: date
    date_to: date

    @property
    def label(self) -> str:
        return f"{self.date_from:%Y-%m-%d} 至 {self.date_to:%Y-%m-%d}"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def months(self) -> list[tuple[int, int]]:
        months, year, month = [], self.date_from.year, self.date_from.month
        while (year, month) <= (self.date_to.year, self.date_to.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


class Exporter:
    """One report. Subclasses set the attributes and write filename() and render()."""

    name: str = ""
    label = ""
    permission: str = ""
    form_class: type[forms.Form] | None = None
    content_type: str = "application/octet-stream"
    # The audit pack writes its sections in this order (lowest first); None: not in the pack.
    # An exporter that sets it answers pack_part(period) (config.packs.PackPart).
    pack_order: int | None = None

    def __str__(self) -> str:
        return self.name

    @property
    def inline(self) -> bool:
        """A PDF opens in the browser's viewer (to print it); other files are saved."""
        return self.content_type == "application/pdf"

    def allowed(self, user) -> bool:
        return user.has_perm(self.permission)

    def get_form(self, data=None, *, user=None, **kwargs) -> forms.Form | None:
        """The parameters form; ``user`` is for forms whose rules depend on the reader."""
        return self.form_class(data, **kwargs) if self.form_class is not None else None

    def filename(self, params: dict) -> str:
        raise NotImplementedError

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        raise NotImplementedError

    def in_background(self, params: dict) -> bool:
        """Whether this file takes too long for a request (then a background job builds it)."""
        return False

    def content(self, params: dict) -> bytes:
        """The whole file in memory: for files that a request builds at once."""
        buffer = io.BytesIO()
        self.render(params, buffer, no_progress)
        return buffer.getvalue()

    def pack_part(self, period: Period):
        raise NotImplementedError(f"{self.name} has a pack_order but no pack_part()")

    def to_json(self, params: dict) -> dict:
        """The parameters as a background job stores them (dates as ISO text)."""
        return {key: _json_value(value) for key, value in params.items() if key != "by"}

    def from_json(self, data: dict, *, by=None) -> dict:
        """A stored job's parameters back as the form's cleaned values, for render()."""
        fields = self.form_class.base_fields if self.form_class is not None else {}
        params = {name: _python_value(fields.get(name), value) for name, value in data.items()}
        return {**params, "by": by}


def _json_value(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _python_value(field: forms.Field | None, value):
    # date.fromisoformat's own message ("month must be in 1..12") says what was wrong.
    if isinstance(field, forms.DateField) and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(field, forms.DecimalField) and isinstance(value, str):
        return Decimal(value)
    return value


# --- the registry ------------------------------------------------------------------------

_REGISTRY: dict[str, Exporter] = {}


# A month's report as one file: the kinds of file, each with its label and content type.
MONTH_FILES = {"xlsx": ("Excel", XLSX_CONTENT_TYPE), "pdf": ("PDF", "application/pdf")}


class MonthFileExporter(Exporter):
    """One month's report (``params["month"]`` = (year, month)) as an Excel or a PDF file:
    subclasses set ``code``, ``title``, ``permission`` and ``form_class``, name the file and
    build either kind from the month."""

    code = ""
    title = ""

    def __init__(self, kind: str):
        self.kind = kind
        self.name = f"{self.code}_{kind}"
        kind_label, self.content_type = MONTH_FILES[kind]
        self.label = format_lazy("{} ({})", self.title, kind_label)

    def file_title(self) -> str:
        return str(self.title)

    def filename(self, params: dict) -> str:
        year, month = params["month"]
        return f"{self.file_title()} {year}-{month:02d}.{self.kind}"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        build = self.xlsx if self.kind == "xlsx" else self.pdf
        out.write(build(*params["month"]))

    def xlsx(self, year: int, month: int) -> bytes:
        raise NotImplementedError

    def pdf(self, year: int, month: int) -> bytes:
        raise NotImplementedError


def register(exporter: Exporter) -> Exporter:
    """Add an exporter (at import of the app's exporters module); returns it."""
    if not exporter.name or not exporter.permission:
        raise ImproperlyConfigured(f"{exporter!r} needs a name and a permission")
    known = _REGISTRY.get(exporter.name)
    if known is not None and known is not exporter:
        raise ImproperlyConfigured(f"two exporters are named {exporter.name!r}")
    _REGISTRY[exporter.name] = exporter
    return exporter


def exporter(name: str) -> Exporter:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no exporter is named {name!r}") from None


def exporters() -> list[Exporter]:
    """Every exporter, in the order they were registered."""
    return list(_REGISTRY.values())


def pack_sections() -> list[Exporter]:
    """The exporters that have a section in the audit pack, in the pack's order."""
    sections = [item for item in _REGISTRY.values() if item.pack_order is not None]
    return sorted(sections, key=lambda item: item.pack_order)


# --- downloads ---------------------------------------------------------------------------


def export_response(report: Exporter, params: dict) -> HttpResponse:
    """The file built in the request (statements, lists: seconds at most); raises
    ExportRefused before any response exists. Long files are background jobs."""
    content = report.content(params)
    return file_response(
        content, report.filename(params), report.content_type, inline=report.inline
    )


def export_download(request, name: str):
    """Any exporter's file: its permission checked here (403), its parameters read from
    the query string through its form; bad parameters or a refusal come back as the form
    with the message beside the field."""
    try:
        report = exporter(name)
    except LookupError:
        raise Http404 from None
    if not report.allowed(request.user):
        raise PermissionDenied
    return _download(request, report)


@require_safe  # checked after the reader's right, as the other pages do
def _download(request, report: Exporter):
    form = report.get_form(request.GET, user=request.user)
    if form is not None and not form.is_valid():
        if not request.GET:  # the first visit: the empty form, without errors yet
            form = report.get_form(user=request.user)
        return _form_page(request, report, form)
    params = {**(form.cleaned_data if form is not None else {}), "by": request.user}
    if report.in_background(params):
        refusal = _("This file takes too long to build here: ask for it on its own page.")
        return _form_page(request, report, form, refusal=refusal)
    try:
        return export_response(report, params)
    except ExportRefused as exc:
        return _form_page(request, report, form, refusal=str(exc))


def _form_page(request, report: Exporter, form, refusal: str = ""):
    return render(
        request,
        "config/export_form.html",
        {"exporter": report, "title": report.label, "form": form, "refusal": refusal},
    )
