"""The exporter registry (config.exporters): what the apps register, the download view that
serves any exporter, and the audit pack gathering the sections of every app."""

import hashlib
import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from config import exporters
from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Exporter, Period, exporter, pack_sections, register
from fees.exporters import audit_pack as pack_exporter
from fees.exporters.audit_pack import audit_pack

pytestmark = pytest.mark.django_db

FEES_REPORTS = [
    "access_log_xlsx",
    "attendance_month_pdf",
    "attendance_month_xlsx",
    "audit_pack",
    "book_gaps_xlsx",
    "case_statistics_pdf",
    "case_statistics_xlsx",
    "change_history",
    "charge_ageing_pdf",
    "charge_ageing_xlsx",
    "daily_closes",
    "deposit_ledger_pdf",
    "deposit_ledger_xlsx",
    "deposit_refunds",
    "handover_slips",
    "month_statement_pdf",
    "month_statement_xlsx",
    "period_statement_pdf",
    "period_statement_xlsx",
    "receipt_chain",
    "receipt_prints",
    "receipt_register",
    "register_import_template",
    "tenant_summary_xlsx",
]


def test_the_fees_reports_are_registered_with_a_real_permission():
    assert sorted(item.name for item in exporters.exporters()) == FEES_REPORTS
    for item in exporters.exporters():
        app_label, codename = item.permission.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), item.name
        assert str(item.label), item.name


def test_the_pack_sections_come_in_the_packs_order():
    assert [item.name for item in pack_sections()] == [
        "receipt_prints",
        "handover_slips",
        "receipt_register",
        "receipt_chain",
        "daily_closes",
        "deposit_refunds",
        "change_history",
        "month_statement_xlsx",
    ]


def test_two_exporters_cannot_share_a_name():
    class Twin(Exporter):
        name = "audit_pack"
        permission = "fees.download_statement"

    with pytest.raises(ImproperlyConfigured):
        register(Twin())
    with pytest.raises(LookupError):
        exporter("no_such_report")


def test_a_jobs_parameters_go_through_json_and_back(finance):
    pack = exporter("audit_pack")
    params = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31), "by": finance}
    stored = pack.to_json(params)
    assert stored == {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    assert pack.from_json(stored, by=finance) == params
    with pytest.raises(ValueError, match="month must be in 1..12"):
        pack.from_json({"date_from": "2025-13-01", "date_to": "2025-12-31"})


# --- another app's section joins the pack -------------------------------------------------


class RefundsPart:
    """What a deposits app would add: its refunds of the period."""

    cost = 1.0

    def __init__(self, period: Period):
        self.period = period

    def write(self, pack) -> None:
        rows = [[self.period.date_from, "押金退款"]]
        sheet = Sheet("退款", [Column("日期", "date"), Column("事项")], rows)
        pack.add("refunds.xlsx", streamed_workbook(sheet))
        pack.advance(self.cost)

    def summary(self) -> str:
        return "退款 1 笔"


class Refunds(Exporter):
    name = "deposit_refunds"
    label = "Refunds"
    permission = "fees.download_statement"
    content_type = XLSX_CONTENT_TYPE
    pack_order = 55

    def pack_part(self, period: Period) -> RefundsPart:
        return RefundsPart(period)


def test_a_registered_section_of_another_app_joins_the_pack(monkeypatch, finance):
    monkeypatch.setitem(exporters._REGISTRY, Refunds.name, Refunds())
    day = timezone.localdate() - timedelta(days=1)
    pack = zipfile.ZipFile(io.BytesIO(audit_pack(day, day, by=finance)))
    assert pack.namelist() == [
        "receipts.xlsx",
        "receipt_chain.txt",
        "daily_closes.xlsx",
        "history.xlsx",
        "refunds.xlsx",
        f"statement_{day:%Y-%m}.xlsx",
        f"statement_{day:%Y-%m}.pdf",
        "manifest.txt",
    ]
    sheet = load_workbook(io.BytesIO(pack.read("refunds.xlsx")))["退款"]
    assert [cell.value for cell in sheet[2]] == [
        datetime(day.year, day.month, day.day),
        "押金退款",
    ]
    manifest = pack.read("manifest.txt").decode().splitlines()
    assert "# 收据 0 张（作废 0 张，红冲 0 张）；交款单 0 份；收据链完整；退款 1 笔" in manifest
    digest = hashlib.sha256(pack.read("refunds.xlsx")).hexdigest()
    assert f"{digest}  refunds.xlsx" in manifest


# --- the download view --------------------------------------------------------------------


def export_url(name: str) -> str:
    return reverse("export", args=[name])


def test_without_the_permission_the_view_answers_403(client_as, department, assistant):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    query = {"date_from": yesterday, "date_to": yesterday}
    assert client_as(department).get(export_url("receipt_register"), query).status_code == 403
    assert client_as(assistant).get(export_url("audit_pack"), query).status_code == 403


def test_an_unknown_report_is_not_found(client_as, finance):
    assert client_as(finance).get(export_url("no_such_report")).status_code == 404


def test_the_first_visit_shows_the_form_without_errors(client_as, finance):
    response = client_as(finance).get(export_url("receipt_register"))
    assert response.status_code == 200
    assert response.context["form"].is_bound is False
    assert response.context["title"] == "Receipt register"


def test_bad_parameters_come_back_beside_their_field(client_as, finance):
    today = timezone.localdate()
    query = {"date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()}
    response = client_as(finance).get(export_url("receipt_register"), query)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date_to": ["The end of the period cannot be before its start."]
    }


def test_a_pack_file_downloads_alone(client_as, finance):
    day = timezone.localdate() - timedelta(days=1)
    query = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    response = client_as(finance).get(export_url("receipt_register"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="receipts_{day}_{day}.xlsx"'
    )
    # The file's own no-store, and the rest of config.middleware.NoStoreMiddleware's.
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    rows = list(load_workbook(io.BytesIO(response.content))["收据明细"].values)
    assert (rows[0][0], rows[-1][0]) == ("收据编号", "合计")


def test_a_file_with_nothing_in_it_is_refused_with_a_message(client_as, finance):
    day = timezone.localdate() - timedelta(days=1)
    query = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    response = client_as(finance).get(export_url("receipt_prints"), query)
    assert response.status_code == 200
    assert response.context["refusal"] == "This period holds nothing for this file."


def test_a_long_file_is_left_to_its_own_page(client_as, finance, monkeypatch):
    monkeypatch.setattr(pack_exporter, "SMALL_PACK", -1)  # even an empty period is "large"
    day = timezone.localdate() - timedelta(days=1)
    query = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    response = client_as(finance).get(export_url("audit_pack"), query)
    assert response.status_code == 200
    assert response.context["refusal"] == (
        "This file takes too long to build here: ask for it on its own page."
    )
