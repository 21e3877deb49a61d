"""The shop handover's pages: started from the occupancy's page, prepared by the desk on its
page (bad input refused next to its field, changing nothing), confirmed complete by the
manager, printed as the three-party acceptance sheet; the lease-end reminder on the home
page."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from archives.models import UnitStatus
from archives.panels import leases_ending_panel
from deposits.enums import DeductionKind, Meter, MoveOutStatus
from deposits.models import MoveOut
from deposits.services.moveouts import moveout_complete, moveout_count_keys
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare
from deposits.validators import DeductionInput
from fees.models import Charge
from tests.deposits.test_moveouts import occupancy, other_deposit, prepared, start
from tests.factories.archives import OccupancyFactory
from tests.factories.fees import today
from tests.factories.people import manager as a_manager
from tests.images import png_bytes

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail(moveout) -> str:
    return reverse("deposits:moveout_detail", args=[moveout.pk])


def test_the_bare_hand_over_of_archives_is_gone_and_the_occupancy_page_starts_one(
    assistant, client
):
    with pytest.raises(NoReverseMatch):
        reverse("archives:occupancy_hand_over", args=[1])
    occ = occupancy()
    client.force_login(assistant)
    page = client.get(occ.get_absolute_url()).content.decode()
    start_url = reverse("deposits:moveout_start", args=[occ.pk])
    assert f'href="{start_url}"' in page


def test_the_desk_starts_a_handover_and_a_second_start_goes_to_it(assistant, client):
    occ = occupancy()
    client.force_login(assistant)
    url = reverse("deposits:moveout_start", args=[occ.pk])
    refused = client.post(
        url, {"planned_on": today().isoformat(), "keys_issued": "３", "late_daily_fee": "1e2"}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "keys_issued": ["Enter a whole number of keys from 0 to 99."],
        "late_daily_fee": [
            "Enter the daily fee as an amount from 0 to 100,000.00 (0: the lease has none)."
        ],
    }
    assert MoveOut.objects.count() == 0
    done = client.post(
        url, {"planned_on": today().isoformat(), "keys_issued": "4", "late_daily_fee": "50"}
    )
    moveout = MoveOut.objects.get()
    assert done["Location"] == detail(moveout)
    assert (moveout.keys_issued, moveout.late_daily_fee, moveout.started_by) == (
        4,
        D("50.00"),
        assistant,
    )
    again = client.get(url)
    assert again["Location"] == detail(moveout)


def test_the_desk_prepares_it_on_its_page(assistant, client):
    moveout = start(assistant, occupancy(days_past_lease_end=3), keys=2, late_fee="80.00")
    client.force_login(assistant)
    bad = client.post(
        reverse("deposits:moveout_reading", args=[moveout.pk]),
        {"meter": "water", "previous": "50", "final": "４０", "unit_price": "3"},
    )
    assert bad.status_code == 200
    assert bad.context["reading_form"].errors == {
        "final": ["Enter the reading as a number from 0 with at most two decimals."]
    }
    backwards = client.post(
        reverse("deposits:moveout_reading", args=[moveout.pk]),
        {"meter": "water", "previous": "50", "final": "40", "unit_price": "3"},
    )
    assert backwards.context["reading_form"].errors == {
        "final": ["The final reading cannot be below the previous one (50.00)."]
    }
    assert Charge.objects.count() == 0
    read = client.post(
        reverse("deposits:moveout_reading", args=[moveout.pk]),
        {"meter": "water", "previous": "50", "final": "60.5", "unit_price": "3.2"},
    )
    assert read.status_code == 302
    assert moveout.readings.get(meter=Meter.WATER).charge.amount == D("33.60")
    item = client.post(
        reverse("deposits:moveout_item", args=[moveout.pk]),
        {
            "description": "玻璃门破损",
            "price": "450",
            "photo": SimpleUploadedFile("墙.png", png_bytes(), "image/png"),
        },
    )
    assert item.status_code == 302
    stored = moveout.items.get()
    assert (stored.price, stored.charge.amount, stored.photo.name.endswith(".jpg")) == (
        D("450.00"),
        D("450.00"),
        True,
    )
    photo = client.get(reverse("deposits:moveout_item_photo", args=[stored.pk]))
    assert (photo["Content-Type"], photo["Content-Disposition"].startswith("attachment")) == (
        "image/jpeg",
        True,
    )
    late = client.post(reverse("deposits:moveout_late_days", args=[moveout.pk]))
    assert late.status_code == 302
    moveout.refresh_from_db()
    assert (moveout.late_days, moveout.late_charge.amount) == (3, D("240.00"))
    page = client.get(detail(moveout))
    checks = {c.item.value: c.done for c in page.context["checklist"].checks}
    assert checks == {
        "keys": False,
        "meters": False,
        "condition": False,
        "decorations": True,
        "permits": True,
        "deposits": True,
        "charges": False,
        "late_days": True,
    }
    charge_url = stored.charge.get_absolute_url()
    assert f'href="{charge_url}"' in page.content.decode()


def test_the_manager_completes_it_and_the_unit_is_vacant(assistant, manager, client):
    moveout = prepared(assistant)
    client.force_login(assistant)
    refused = client.post(reverse("deposits:moveout_complete", args=[moveout.pk]))
    assert refused.status_code == 403
    client.force_login(manager)
    page = client.get(detail(moveout)).content.decode()
    assert 'id="complete"' in page
    done = client.post(reverse("deposits:moveout_complete", args=[moveout.pk]), follow=True)
    moveout.refresh_from_db()
    assert moveout.status == MoveOutStatus.COMPLETE
    assert (
        f"Shop handover complete: unit {moveout.occupancy.unit} is vacant from {today()}."
        in done.content.decode()
    )
    moveout.occupancy.unit.refresh_from_db()
    assert moveout.occupancy.unit.status == UnitStatus.VACANT


def test_a_refused_completion_names_what_blocks_it(assistant, manager, client):
    moveout = prepared(assistant)
    moveout_count_keys(by=assistant, moveout=moveout, keys_returned=1)
    client.force_login(manager)
    response = client.post(reverse("deposits:moveout_complete", args=[moveout.pk]), follow=True)
    assert (
        "The shop handover cannot be completed yet. Keys returned as issued: 1 of 3 keys "
        "returned: 2 short." in response.content.decode()
    )
    assert MoveOut.objects.get(pk=moveout.pk).status == MoveOutStatus.OPEN


def test_the_acceptance_sheet_prints_keys_readings_charges_and_signatures(assistant, client):
    occ = occupancy(days_past_lease_end=10)
    moveout = prepared(assistant, occ)
    client.force_login(assistant)
    response = client.get(reverse("deposits:moveout_pdf", args=[moveout.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "收铺验收单",
        f"铺位：{occ.unit.code}",
        "发放钥匙：3 把",
        "112.50",
        "¥43.75",
        "¥293.76",
        "10 天 × ¥100.00",
        "¥1,000.00",
        "¥1,337.51",
        "壹仟叁佰叁拾柒元伍角壹分",
        "租户：",
        "客服中心：",
        "工程部/业主方：",
    ):
        assert expected in text, expected


def test_the_list_takes_the_same_queries_for_one_and_three_handovers(assistant, flat_queries):
    flat_queries(
        reverse("deposits:moveout_list"),
        lambda: start(assistant, occupancy()),
        queries=8,
        user=assistant,
    )


def test_the_lease_end_reminder_lists_leases_ending_and_past_their_end(assistant):
    now = today()
    ending = OccupancyFactory(lease_ends_on=now + timedelta(days=15))
    past = OccupancyFactory(lease_ends_on=now - timedelta(days=4))
    OccupancyFactory(lease_ends_on=now + timedelta(days=16))  # not yet
    handed_over = prepared(assistant, OccupancyFactory(lease_ends_on=now - timedelta(days=1)))
    moveout_complete(by=a_manager(), moveout=handed_over)
    panel = leases_ending_panel(assistant, now)
    assert (str(panel.title), panel.count) == ("Leases ending within 15 days or past their end", 2)
    assert panel.items == [
        (
            str(past),
            past.get_absolute_url(),
            f"{past.lease_ends_on}, ended 4 days ago: not handed over",
        ),
        (str(ending), ending.get_absolute_url(), str(ending.lease_ends_on)),
    ]


def test_the_admin_shows_an_occupancy_s_handover_and_never_writes_it(administrator, client):
    occ = occupancy()
    client.force_login(administrator)
    page = client.get(reverse("admin:archives_occupancy_change", args=[occ.pk]))
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    assert editable & {"handed_over_on", "keys_returned", "handed_over_to", "condition"} == set()


def test_the_sheet_names_each_deposit_s_refund_in_figures_and_words(
    assistant, manager, finance, client
):
    occ = occupancy()
    deposit = other_deposit(assistant, occ, "2000.00")
    refund = refund_prepare(
        by=assistant,
        deposit=deposit,
        amount=D("1850.00"),
        deductions=[
            DeductionInput(kind=DeductionKind.DAMAGE, reason="地砖破损", amount=D("150.00"))
        ],
        receipt_collected=True,
    )
    refund_pay(
        by=finance, refund=refund_approve(by=manager, refund=refund), method="cash", paid_on=today()
    )
    moveout = prepared(assistant, occ)
    client.force_login(assistant)
    response = client.get(reverse("deposits:moveout_pdf", args=[moveout.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "")
    for expected in (
        f"其他押金 #{deposit.pk}",
        f"退款 ¥1,850.00（{today()}，现金，收款人 {deposit.payer_name}，扣款 ¥150.00）",
        "退还大写：壹仟捌佰伍拾元整；扣款大写：壹佰伍拾元整",
        "已退还",
    ):
        assert expected in text, expected


def test_the_signatures_stand_on_a_page_with_the_totals_they_confirm(assistant, client):
    """Whatever pages the sheet runs to, the three parties sign under the keys, the billed
    total and the deposits' figures, never under a blank page."""
    moveout = prepared(assistant, occupancy(days_past_lease_end=10))
    client.force_login(assistant)
    response = client.get(reverse("deposits:moveout_pdf", args=[moveout.pk]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    signed = [
        "".join(p.extract_text().split()) for p in pages if "工程部/业主方：" in p.extract_text()
    ]
    assert len(signed) == 1
    assert "三方确认：交回钥匙3/3把；收铺计费合计¥1,337.51（壹仟叁佰叁拾柒元伍角壹分）" in signed[0]
    assert "保证金/押金扣款¥0.00（零元整），已退还¥0.00（零元整），余额¥0.00" in signed[0]


def test_the_desk_cancels_a_handover_with_a_reason(assistant, client):
    moveout = start(assistant, occupancy())
    client.force_login(assistant)
    url = reverse("deposits:moveout_cancel", args=[moveout.pk])
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "Why it is cancelled: This field is required." in refused.content.decode()
    assert MoveOut.objects.get(pk=moveout.pk).status == MoveOutStatus.OPEN
    client.post(url, {"reason": "租户续租"})
    moveout.refresh_from_db()
    assert (moveout.status, moveout.cancel_reason, moveout.cancelled_by) == (
        MoveOutStatus.CANCELLED,
        "租户续租",
        assistant,
    )
