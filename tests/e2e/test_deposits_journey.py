"""The deposits journeys in Chromium (issue #10), driven through the pages as the desk,
the manager and finance use them: a decoration from its registration to its deposit's
refund, and a shop handover (收铺) from its start to the vacant unit.

The database only sets up the register (unit, tenant, contractor, occupancy) and checks
exact figures; everything else is typed and clicked.
"""

import io
import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from archives.models import UnitStatus
from config.demo import make_resident_id
from deposits.enums import (
    ApplicationStatus,
    DepositKind,
    DepositStatus,
    MoveOutStatus,
    RefundStatus,
)
from deposits.models import DecorationApplication, Deposit, MoveOut, Refund
from deposits.selectors.deposits import deposit_balance
from fees.enums import PermitStatus
from fees.models import FeeType, Permit, Receipt
from fees.selectors.charges import open_charges
from tests.e2e import audit
from tests.e2e.audit import desk_context, login, navigate, submit, visit
from tests.factories.archives import ContractorFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.e2e

_rng = random.Random(10)


@pytest.fixture
def second_page(browser, live_server, request):
    """Another person at another desk: their own browser context and cookies."""
    contexts = []

    def open_as(username):
        context = desk_context(browser, live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        audit.attach(page, f"{request.node.name}_{username}")
        contexts.append(context)
        return login(page, username)

    yield open_as
    for context in contexts:
        context.close()


def png_file(tmp_path, name: str) -> str:
    """A small drawing the desk scanned (a real PNG, so the upload's decoder accepts it)."""
    path = tmp_path / name
    image = Image.new("RGB", (120, 80), "white")
    for x in range(10, 110):
        image.putpixel((x, 40), (0, 0, 0))
    image.save(path, format="PNG")
    return str(path)


def pdf_text(response, name: str) -> str:
    """The text of a downloaded PDF, kept beside the screenshots for a look."""
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    (audit.SCREENSHOT_DIR / f"{name}.pdf").write_bytes(response.body())
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(page.extract_text() for page in reader.pages)


def click_submit(page, form: str):
    """Submit one of a page's forms by its button (the page has several)."""
    submit(page, f"{form} button[type=submit]")


# --- 1. a decoration, from its registration to its deposit's refund -----------------------


def test_decoration_to_refund(page, staff, second_page, tmp_path):
    today = timezone.localdate()
    occupancy = OccupancyFactory(unit=UnitFactory(code="B-2-08"))
    tenant = occupancy.tenant
    contractor = ContractorFactory(name="恒达装饰工程有限公司")
    login(page, "assistant")

    # The assistant registers the application with its drawing.
    visit(page, "/deposits/decorations/new/")
    page.fill("#id_unit", "b-2-08")
    # Typed, as the desk does: the tenant's whole name; the start of the contractor's,
    # then the one suggestion the server offers for it (config.search.LookupField).
    page.fill("#id_tenant", tenant.name)
    page.fill("#id_contractor", "恒达")
    suggestion = page.locator("#id_contractor-suggestions option")
    expect(suggestion).to_have_count(1)
    assert suggestion.get_attribute("value") == f"恒达装饰工程有限公司 #{contractor.pk}"
    page.fill("#id_contractor", suggestion.get_attribute("value"))
    page.fill("#id_planned_start", today.isoformat())
    page.fill("#id_planned_end", (today + timedelta(days=20)).isoformat())
    page.fill("#id_scope", "更换吊顶，重做地面")
    page.set_input_files("#id_drawing", png_file(tmp_path, "drawing.png"))
    submit(page, "main form button[type=submit]")
    application = DecorationApplication.objects.get()
    assert page.url.endswith(f"/deposits/decorations/{application.pk}/")
    expect(page.locator("#documents tbody tr")).to_have_count(1)
    assert application.documents.get().kind == "drawing"
    # The assistant cannot decide it.
    expect(page.locator("#decide")).to_have_count(0)

    # The manager approves it.
    manager = second_page("manager")
    visit(manager, application.get_absolute_url())
    submit(manager, "#approve-button")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    # The assistant records the start of the works and takes the deposit.
    visit(page, application.get_absolute_url())
    click_submit(page, "#start-form")
    expect(page.locator("#deposit-form #id_amount")).to_have_value("5000.00")
    page.select_option("#deposit-form #id_method", "cash")
    click_submit(page, "#deposit-form")
    deposit = Deposit.objects.get(kind=DepositKind.DECORATION)
    receipt = deposit.receipt_line.receipt
    assert receipt.total == Decimal("5000.00")
    assert (deposit.amount, deposit.status) == (Decimal("5000.00"), DepositStatus.HELD)
    expect(page.locator("#deposits tbody")).to_contain_text(receipt.number)

    # Two workers' permits from the decoration's page, with card deposits.
    navigate(page, lambda: page.click("main a[href$='/permits/']"))
    page.check("#id_with_card_deposit")
    for row, name in enumerate(("李建国", "王海")):
        page.fill(f"#id_workers-{row}-name", name)
        page.fill(f"#id_workers-{row}-id_number", make_resident_id(_rng))
        page.fill(f"#id_workers-{row}-phone", f"1380013800{row}")
    page.select_option("#id_method", "cash")
    submit(page, "#issue-button")
    permits = list(Permit.objects.order_by("number"))
    assert [p.worker_name for p in permits] == ["李建国", "王海"]
    assert Deposit.objects.filter(kind=DepositKind.PERMIT_CARD).count() == 2
    permit_receipt = Receipt.objects.exclude(pk=receipt.pk).get()
    assert permit_receipt.total == Decimal("160.00")  # (20 + 10 + 50) per worker

    # An inspection that fails with an item, then one that passes.
    visit(page, application.get_absolute_url())
    navigate(page, lambda: page.click("main a[href$='/inspect/']"))
    page.select_option("#id_inspector", label="工程部 刘工")
    page.select_option("#id_result", "fail")
    page.fill("#id_items-0-description", "消防喷淋头被吊顶遮挡")
    click_submit(page, "#inspection-form")
    expect(page.locator("#inspections")).to_contain_text("消防喷淋头被吊顶遮挡")
    navigate(page, lambda: page.click("main a[href$='/inspect/']"))
    page.select_option("#id_inspector", label="工程部 刘工")
    page.select_option("#id_result", "pass")
    click_submit(page, "#inspection-form")
    assert [i.passed for i in application.inspections.order_by("pk")] == [False, True]

    # The deposit's page: the refund gate is closed by the permits still out.
    visit(page, f"/deposits/{deposit.pk}/")
    closed = page.locator("#gate > li[data-done=no]")
    expect(closed).to_have_count(1)
    expect(closed).to_have_attribute("data-item", "permits")
    expect(closed.locator("li.blocker")).to_have_count(2)
    first = closed.locator("li.blocker").first
    expect(first).to_contain_text(
        f"出入证 {permits[0].number}（李建国）状态为“有效”：证件尚未交回。"
    )
    link = first.locator("a")
    expect(link).to_have_text(f"打开出入证 {permits[0].number}")
    expect(link).to_have_attribute("href", permits[0].get_absolute_url())

    # The cards come back: each permit returned on fees' permit page.
    for permit in permits:
        visit(page, permit.get_absolute_url())
        submit(page, "form[action$='/return/'] button")
    assert {p.status for p in Permit.objects.all()} == {PermitStatus.RETURNED}
    visit(page, f"/deposits/{deposit.pk}/")
    expect(page.locator("#gate li[data-done=no]")).to_have_count(0)

    # The refund, with a deduction for damage and the original receipt handed back.
    navigate(page, lambda: page.click("#prepare-refund"))
    page.select_option("#id_deductions-0-kind", "damage")
    page.fill("#id_deductions-0-reason", "公共走廊地砖损坏")
    page.fill("#id_deductions-0-amount", "300.00")
    expect(page.locator("#left")).to_have_text("¥4,700.00")
    expect(page.locator("#id_refund-amount")).to_have_value("4700.00")
    page.check("#id_refund-receipt_collected")
    submit(page, "#submit-refund")
    refund = Refund.objects.get()
    assert (refund.status, refund.amount) == (RefundStatus.REQUESTED, Decimal("4700.00"))

    # The assistant is not offered the approval, and the server refuses it.
    expect(page.locator("#approve")).to_have_count(0)
    token = page.locator("[name=csrfmiddlewaretoken]").first.input_value()
    refused = page.request.post(
        f"/deposits/refunds/{refund.pk}/approve/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert refused.status == 403
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED
    assert refund.receipt_collected

    # The manager approves it; finance pays it.
    visit(manager, refund.get_absolute_url())
    submit(manager, "#approve")
    finance = second_page("finance")
    visit(finance, refund.get_absolute_url())
    finance.select_option("#id_method", "transfer")
    finance.fill("#id_reference", "TRF-20261201-07")
    finance.fill("#id_paid_on", today.isoformat())
    submit(finance, "#pay-button")
    refund.refresh_from_db()
    assert (refund.status, refund.method, refund.reference, refund.paid_on) == (
        RefundStatus.PAID,
        "transfer",
        "TRF-20261201-07",
        today,
    )

    text = pdf_text(finance.request.get(f"/deposits/refunds/{refund.pk}/form.pdf"), "refund")
    assert "4,700.00" in text and "肆仟柒佰元整" in text

    deposit.refresh_from_db()
    deducted = sum(d.amount for d in deposit.deductions.all())
    assert deposit.amount - deducted - refund.amount == Decimal("0.00")
    assert deposit_balance(deposit) == Decimal("0.00")
    assert deposit.status == DepositStatus.REFUNDED


# --- 2. a shop handover (收铺), from its start to the vacant unit --------------------------


def settle_at_desk(page):
    """From a charge's page: 'Settle' opens the receipt form with the charge; issue it."""
    navigate(page, lambda: page.click("#settle"))
    page.select_option("#id_method", "cash")
    page.click("#issue-button")
    submit(page, "#confirm-button")


def test_shop_handover_to_vacant_unit(page, staff, second_page):
    today = timezone.localdate()
    # The centre's catalogue has a lease deposit besides the seeded fees.
    FeeType.objects.create(
        code="lease_deposit",
        name_zh="租赁押金",
        name_en="Lease deposit",
        category="deposit",
        default_amount=Decimal("3000.00"),
        sort_order=45,
    )
    occupancy = OccupancyFactory(unit=UnitFactory(code="C-1-12", status=UnitStatus.OCCUPIED))
    login(page, "assistant")

    # When the shop opened, the desk took the lease deposit and held it as a deposit.
    visit(page, "/fees/receipts/new/")
    page.fill("#id_unit_code", "C-1-12")
    page.select_option("#id_lines-0-fee_type", label="租赁押金")
    page.fill("#id_lines-0-quantity", "1")
    page.click("#issue-button")
    expect(page.locator("#confirm-total")).to_have_text("¥3,000.00")
    submit(page, "#confirm-button")
    visit(page, "/deposits/record/")
    page.select_option("#id_line", index=1)
    submit(page, "main form button[type=submit]")
    deposit = Deposit.objects.get()
    assert (deposit.kind, deposit.amount, deposit.tenant) == (
        DepositKind.OTHER,
        Decimal("3000.00"),
        occupancy.tenant,
    )

    # The handover starts from the occupancy's page.
    visit(page, occupancy.get_absolute_url())
    navigate(page, lambda: page.click("#start-moveout"))
    page.fill("#id_planned_on", today.isoformat())
    page.fill("#id_keys_issued", "4")
    page.fill("#id_late_daily_fee", "0")
    submit(page, "main form button[type=submit]")
    moveout = MoveOut.objects.get()

    # Keys counted, the three meters read (each billed at once), one priced item.
    page.fill("#id_keys_returned", "4")
    click_submit(page, "#keys-form")
    readings = {
        "electricity": ("1200", "1350", "1.2"),  # 150 kWh × 1.20 = 180.00
        "water": ("300", "318", "5"),  # 18 t × 5.00 = 90.00
        "gas": ("50", "62", "3.5"),  # 12 m³ × 3.50 = 42.00
    }
    for meter, (previous, final, price) in readings.items():
        page.select_option("#id_meter", meter)
        page.fill("#id_previous", previous)
        page.fill("#id_final", final)
        page.fill("#id_unit_price", price)
        click_submit(page, "#reading-form")
    expect(page.locator("#reading-form")).to_have_count(0)
    assert {r.meter: r.amount for r in moveout.readings.all()} == {
        "electricity": Decimal("180.00"),
        "water": Decimal("90.00"),
        "gas": Decimal("42.00"),
    }
    page.fill("#id_description", "门禁读卡器损坏")
    page.fill("#id_price", "150.00")
    click_submit(page, "#item-form")
    submit(page, "#confirm-condition")

    # What still blocks it, as the checklist says: four unpaid charges and the deposit.
    expect(page.locator("#checklist-title .badge")).to_have_text("2 项未满足")
    expect(page.locator("#check-keys")).to_contain_text("(4 / 4)")
    charges = page.locator("#check-charges li")
    expect(charges).to_have_count(4)
    expect(charges.first).to_have_text(
        "应收款“收铺 C-1-12：电表 1200.00–1350.00，用量 150.00 kWh × 1.2”尚欠 ¥180.00。 去处理"
    )
    expect(page.locator("#check-deposits li")).to_have_count(1)
    expect(page.locator("#check-deposits")).to_contain_text("3,000.00")
    expect(page.locator("#complete")).to_have_count(0)  # the assistant does not complete it

    # The electricity is paid at the desk, as the checklist's link leads.
    electricity = charges.filter(has_text="180.00")
    navigate(page, lambda: electricity.locator("a").click())
    settle_at_desk(page)
    paid = Receipt.objects.latest("pk").lines.get()
    assert (paid.charge.description, paid.amount) == (
        "收铺 C-1-12：电表 1200.00–1350.00，用量 150.00 kWh × 1.2",
        Decimal("180.00"),
    )
    visit(page, moveout.get_absolute_url())
    expect(page.locator("#check-charges li")).to_have_count(3)

    # The rest is deducted from the deposit's refund: the deposit's link, then its refund.
    navigate(page, lambda: page.locator("#check-deposits a").click())
    navigate(page, lambda: page.click("#prepare-refund"))
    for row, owed in enumerate(("90.00", "42.00", "150.00")):
        page.select_option(f"#id_deductions-{row}-kind", "unpaid_charge")
        charge = page.locator(f"#id_deductions-{row}-charge option").filter(has_text=owed)
        page.select_option(f"#id_deductions-{row}-charge", charge.get_attribute("value"))
        page.fill(f"#id_deductions-{row}-reason", "收铺结算")
        page.fill(f"#id_deductions-{row}-amount", owed)
    expect(page.locator("#id_refund-amount")).to_have_value("2718.00")
    page.check("#id_refund-receipt_collected")
    submit(page, "#submit-refund")
    refund = Refund.objects.get()
    manager = second_page("manager")
    visit(manager, refund.get_absolute_url())
    submit(manager, "#approve")
    finance = second_page("finance")
    visit(finance, refund.get_absolute_url())
    finance.select_option("#id_method", "cash")
    finance.fill("#id_paid_on", today.isoformat())
    submit(finance, "#pay-button")
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.REFUNDED
    deducted = sum(d.amount for d in deposit.deductions.all())
    assert (deducted, refund.amount) == (Decimal("282.00"), Decimal("2718.00"))
    assert deposit.amount - deducted - refund.amount == Decimal("0.00")
    assert not open_charges(occupancy.tenant).exists()  # the deductions settled them

    # The manager completes the handover; the unit is vacant.
    visit(manager, moveout.get_absolute_url())
    expect(manager.locator("#checklist-title .badge")).to_have_class(re.compile("text-bg-success"))
    submit(manager, "#complete")
    moveout.refresh_from_db()
    occupancy.refresh_from_db()
    assert moveout.status == MoveOutStatus.COMPLETE
    assert occupancy.unit.status == UnitStatus.VACANT
    visit(manager, occupancy.unit.get_absolute_url())
    with translation.override("zh-hans"):
        expect(manager.locator("h1 .badge")).to_have_text(str(UnitStatus.VACANT.label))

    text = pdf_text(manager.request.get(f"/deposits/moveouts/{moveout.pk}/sheet.pdf"), "sheet")
    # The three parties' signature lines, each with its date.
    assert "租户： 客服中心： 工程部/业主方：\n日期： 日期： 日期：" in text
    assert "已收铺" in text
