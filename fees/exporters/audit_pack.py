"""The audit pack: a period's records as one ZIP, for finance and the auditor.

The pack holds the section of every registered exporter with a ``pack_order``
(config.exporters), in that order: today ``receipts.pdf`` (every receipt, one a page),
``handover_slips.pdf``, ``receipts.xlsx`` (the register, line by line),
``daily_closes.xlsx``, ``history.xlsx`` (who changed what, when) and the monthly statements
of every month the period touches; another app's section (a deposit's refunds) joins by
registering, without fees importing it. ``manifest.txt`` closes the pack with each file's
SHA-256.

The pack is written into a file, never held in memory whole (config.packs): memory stays
near 250 MB whatever the period.
"""

import io
import zipfile
from datetime import date, timedelta

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.dates import year_end_from
from config.exporters import Exporter, Period, Progress, no_progress, pack_sections, register
from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from config.packs import PackSection, ZipPack
from config.people import person_name
from fees.selectors.days import withheld_dates
from fees.selectors.statements import period_receipts

# Up to this many receipts the pack is built in the request and the ZIP comes back at once
# (a receipt page costs a few ms from its stored original, ~0.1-0.3 s when its original is
# made now: at most about 30 s, inside a worker's timeout); a larger period runs as a
# background job with a progress bar.
SMALL_PACK = 100


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class PackPeriodForm(BootstrapMixin, forms.Form):
    """The period of a pack (or of one of its files), at most a year."""

    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=gettext_lazy("from"))
    date_to = BoundedDateField(label=gettext_lazy("to"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is None or end is None:
            return cleaned
        if start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        elif end > year_end_from(start):
            self.add_error("date_to", _("A pack covers at most one year."))
        elif self.user is not None:
            self._refuse_withheld_days(start, end)
        return cleaned

    def _refuse_withheld_days(self, start: date, end: date) -> None:
        """A pack holds every figure of its period: for one who counts (fees.selectors.days),
        not before each of its days is counted."""
        days = withheld_dates(self.user, start, end)
        if days:
            self.add_error(
                "date_to",
                _("Not counted yet: %(days)s. A pack with these days can be built once they are.")
                % {"days": ", ".join(day.isoformat() for day in sorted(days))},
            )


class PackPeriod:
    """The pack's and its files' parameters: a period, for whoever may download statements;
    the form refuses the days its reader may not see yet (the blind count)."""

    permission = "fees.download_statement"
    form_class = PackPeriodForm

    def get_form(self, data=None, *, user=None, **kwargs):
        return self.form_class(data, user=user, **kwargs)


class PeriodSection(PackPeriod, PackSection):
    """A file of the audit pack, also downloadable alone."""

    stem = ""
    extension = ""

    def filename(self, params: dict) -> str:
        period = f"{params['date_from']:%Y-%m-%d}_{params['date_to']:%Y-%m-%d}"
        return f"{self.stem}_{period}.{self.extension}"


def pack_filename(date_from: date, date_to: date) -> str:
    return f"audit-pack_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}.zip"


def audit_pack(date_from: date, date_to: date, *, progress=None, by=None) -> bytes:
    """The pack as bytes, for small periods and tests; jobs use write_audit_pack()."""
    buffer = io.BytesIO()
    write_audit_pack(buffer, date_from, date_to, progress=progress, by=by)
    return buffer.getvalue()


def write_audit_pack(
    out, date_from: date, date_to: date, *, progress: Progress | None = None, by=None
) -> None:
    """Write the audit pack of the period as a ZIP into the binary file ``out``;
    ``progress(percent, message)`` is called as the work advances; ``by`` is named in the
    manifest."""
    period = Period(date_from, date_to)
    # The pack is a Chinese document, whatever the language of the person asking for it.
    with translation.override("zh-hans"), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        parts = [section.pack_part(period) for section in pack_sections()]
        # The last unit of work is the manifest.
        pack = ZipPack(zf, period, progress, total_work=sum(part.cost for part in parts) + 1)
        for part in parts:
            part.write(pack)
        zf.writestr("manifest.txt", _manifest(pack, parts, by))


def _manifest(pack: ZipPack, parts: list, by) -> str:
    summaries = [summary for summary in (part.summary() for part in parts) if summary]
    lines = [
        f"# {pack.centre.name} 审计资料包",
        f"# 期间：{pack.period.label}",
        f"# 生成时间：{timezone.localtime():%Y-%m-%d %H:%M:%S}"
        + (f"　生成人：{person_name(by)}" if by is not None else ""),
        *([f"# {'；'.join(summaries)}"] if summaries else []),
        *(f"# {note}" for note in pack.notes),
        "# 下列文件的 SHA-256（可用 sha256sum -c manifest.txt 核对）：",
        *(f"{digest}  {name}" for name, digest in pack.sums.items()),
    ]
    return "\n".join(lines) + "\n"


class AuditPack(PackPeriod, Exporter):
    name = "audit_pack"
    label = gettext_lazy("Audit pack")
    content_type = "application/zip"

    def filename(self, params: dict) -> str:
        return pack_filename(params["date_from"], params["date_to"])

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        write_audit_pack(
            out, params["date_from"], params["date_to"], progress=progress, by=params.get("by")
        )

    def in_background(self, params: dict) -> bool:
        """A pack of more than SMALL_PACK receipts is a background job; a smaller one is
        built in the request and downloads at once."""
        receipts = period_receipts(params["date_from"], params["date_to"])
        return receipts.count() > SMALL_PACK


register(AuditPack())
