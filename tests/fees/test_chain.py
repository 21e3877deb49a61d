"""The receipt chain (fees.chain): each receipt's hash over its content and the previous
receipt's hash, written when it is issued; its verification for a period names the first
broken link, by the command, on the finance page, and against the month locks.

Rows are changed behind the application's back only through tamper(), raw SQL on the
connection: the one place to adapt when the database refuses such writes.
"""

import hashlib
import io
import re
import uuid
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from archives.demo import build_register
from config.demo import build_staff
from config.permanence import maintenance
from config.roles import Role
from fees.chain import GENESIS, canonical, chain_order, receipt_hash
from fees.demo import build_takings
from fees.enums import ChainBreakKind, PayerKind
from fees.exporters.audit_pack import audit_pack
from fees.models import Receipt
from fees.selectors import chain as chain_selectors
from fees.selectors.chain import ChainBreak, chain_verify
from fees.selectors.statements import month_bounds
from fees.services.books import book_transcribe
from fees.services.months import month_lock
from fees.services.receipts import LineInput, Payer
from tests.factories.fees import ReceiptBookFactory, fee
from tests.factories.finance import build_month, issue, move

pytestmark = pytest.mark.django_db
D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Three past days of receipts for the period tests (any past dates will do).
DAY1, DAY2, DAY3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
RECEIPT_WRITE = re.compile(r'^(INSERT|UPDATE|DELETE)( INTO| FROM)? "fees_receipt"\s')


def tamper(sql: str, params: list) -> None:
    """Change rows behind the application's back, as a database owner would who first gets
    past the triggers that refuse it (config.permanence): the chain must still tell."""
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_chain(year: int) -> None:
    """What an attacker who knows the documented format does after changing a receipt:
    recompute every hash of the series, so that each link holds again."""
    previous = GENESIS
    for receipt in Receipt.objects.filter(year=year).order_by(*chain_order()):
        digest = receipt_hash(receipt, receipt.lines.order_by("pk"), previous)
        tamper(
            "UPDATE fees_receipt SET chain_previous = %s, chain_hash = %s WHERE id = %s",
            [previous, digest, receipt.pk],
        )
        previous = digest


def number(n: int) -> str:
    """The n-th receipt number of this year's series (the tests issue today)."""
    return f"{timezone.localdate().year}-{n:06d}"


def changed(n: int) -> ChainBreak:
    return ChainBreak(
        number(n),
        ChainBreakKind.CHANGED,
        f"{number(n)} was changed after it was issued: its content or its lines no longer "
        "give its hash.",
    )


def missing(n: int, after: int) -> ChainBreak:
    return ChainBreak(
        number(n),
        ChainBreakKind.MISSING,
        f"{number(n)} is missing: the receipt before {number(after)} is gone.",
    )


def unlinked(n: int, before: int) -> ChainBreak:
    return ChainBreak(
        number(n),
        ChainBreakKind.LINK,
        f"{number(n)} does not hold the hash of {number(before)}: the link between them, "
        f"or the hash of {number(before)}, was rewritten.",
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def three(assistant):
    """Three receipts of today: a permit fee (20.00), waste removal (300.00), two cards."""
    return [
        issue(assistant, ("permit_fee", "20", 1)),
        issue(assistant, ("waste_removal", "300", 1)),
        issue(assistant, ("card_fee", "10", 2)),
    ]


@pytest.fixture
def days(assistant):
    """Four receipts on three past days: 1 on DAY1, 2 on DAY2, 3 and 4 on DAY3."""
    made = [issue(assistant, ("permit_fee", "20", 1)) for _n in range(4)]
    for receipt, day in zip(made, [DAY1, DAY2, DAY3, DAY3], strict=True):
        move(receipt, day)
    return made


# --- the hash and its serialisation ------------------------------------------------------


def test_the_serialisation_is_the_documented_one():
    receipt = SimpleNamespace(
        number="2026-000007",
        year=2026,
        business_date=date(2026, 3, 5),
        issued_at=datetime(2026, 3, 5, 9, 30, 15, 123456, tzinfo=SHANGHAI),
        cashier_id=3,
        payer_kind=PayerKind.TENANT,
        payer_name="李四",
        tenant_id=5,
        contractor_id=None,
        unit_id=9,
        total=D("290.00"),
        method="wechat",
        reference="WX1",
        note="",
        discount_approved_by_id=None,
        reverses_id=None,
        reversal_reason="",
        book_id=None,
        paper_number=None,
    )
    line = SimpleNamespace(
        fee_type_id=1,
        description="",
        quantity=1,
        unit_price=D("300"),
        discount=D("10.0"),
        discount_reason="老客户",
        amount=D("290.00"),
        charge_id=None,
    )
    expected = (
        '{"book":null,"business_date":"2026-03-05","cashier":3,"discount_approved_by":null,'
        '"format":1,"issued_at":"2026-03-05T01:30:15.123456Z","lines":[{"amount":"290.00",'
        '"charge":null,"description":"","discount":"10.00","discount_reason":"老客户",'
        '"fee_type":1,"quantity":1,"unit_price":"300.00"}],"method":"wechat","note":"",'
        '"number":"2026-000007","paper_number":null,"payer":{"contractor":null,'
        '"kind":"tenant","name":"李四","tenant":5},"previous":"' + "0" * 64 + '",'
        '"reference":"WX1","reversal_reason":"","reverses":null,"total":"290.00","unit":9,'
        '"year":2026}'
    ).encode()
    assert canonical(receipt, [line], GENESIS) == expected
    assert receipt_hash(receipt, [line], GENESIS) == hashlib.sha256(expected).hexdigest()

    # A zero amount has one spelling: a reversal's -0.00 in memory is 0.00 once stored.
    negative_zero = SimpleNamespace(**{**vars(line), "discount": D("-0.00"), "amount": D("-0")})
    assert b'"amount":"0.00"' in canonical(receipt, [negative_zero], GENESIS)
    assert b'"discount":"0.00"' in canonical(receipt, [negative_zero], GENESIS)


def test_each_receipt_is_issued_with_its_hash_linked_to_the_one_before(three):
    first, second, third = (Receipt.objects.get(pk=r.pk) for r in three)
    assert [r.number for r in (first, second, third)] == [number(1), number(2), number(3)]
    assert first.chain_previous == GENESIS
    assert second.chain_previous == first.chain_hash
    assert third.chain_previous == second.chain_hash
    for receipt in (first, second, third):
        assert receipt.chain_hash == receipt_hash(
            receipt, receipt.lines.order_by("pk"), receipt.chain_previous
        )
    assert len({first.chain_hash, second.chain_hash, third.chain_hash}) == 3


def test_the_hash_is_written_with_the_row_and_never_updated(assistant):
    """The receipt's row is inserted once, with its hash: no UPDATE of fees_receipt at all,
    so that the database may refuse any update of an issued receipt's fixed columns."""
    with CaptureQueriesContext(connection) as queries:
        issue(assistant, ("permit_fee", "20", 2), ("card_fee", "10", 2))
    writes = [
        match.group(1)
        for match in (RECEIPT_WRITE.match(q["sql"]) for q in queries.captured_queries)
        if match
    ]
    assert writes == ["INSERT"]


def test_a_transcribed_paper_receipt_hashes_its_paper_number(assistant):
    book = ReceiptBookFactory(first_number=1, last_number=50, issued_to=assistant)
    receipt, _created = book_transcribe(
        by=assistant,
        book=book,
        number=7,
        payer=Payer(kind=PayerKind.PERSON, name="王建国"),
        lines=[LineInput(fee_type=fee("permit_fee"), unit_price=D("20.00"))],
        method="cash",
        request_key=uuid.uuid4(),
        paper_date=timezone.localdate(),
    )
    receipt.refresh_from_db()
    assert (receipt.paper_number, receipt.chain_previous) == ("0000007", GENESIS)
    assert chain_verify().breaks == []

    tamper("UPDATE fees_receipt SET paper_number = %s WHERE number = %s", ["0000008", number(1)])
    assert chain_verify().breaks == [changed(1)]


# --- an intact chain ---------------------------------------------------------------------


def test_a_month_of_receipts_voids_and_reversals_verifies(assistant, manager, finance):
    month = build_month(assistant, manager, finance)
    issue(assistant, ("permit_fee", "20", 1))  # and one of today
    report = chain_verify()
    assert (report.intact, report.breaks, report.checked, report.anchors) == (True, [], 8, 0)

    in_month = chain_verify(month.d1, month.d3)
    assert (in_month.intact, in_month.checked) == (True, 7)


def test_the_verification_reads_the_same_queries_for_one_or_three_receipts(
    assistant, django_assert_num_queries
):
    issue(assistant, ("permit_fee", "20", 1))
    # The years in the period, its first and last number, the receipts, their lines (no link
    # before: the first receipt opens its series), the receipt after and a later one (none),
    # the series' counter, the month locks.
    with django_assert_num_queries(9):
        assert chain_verify(None, None).checked == 1
    issue(assistant, ("permit_fee", "20", 1))
    issue(assistant, ("permit_fee", "20", 1))
    with django_assert_num_queries(9):
        assert chain_verify(None, None).checked == 3


def test_the_receipts_are_read_a_chunk_at_a_time(assistant, monkeypatch):
    made = [issue(assistant, ("permit_fee", "20", n)) for n in range(1, 6)]
    monkeypatch.setattr(chain_selectors, "CHUNK", 2)
    assert chain_verify().checked == 5
    tamper(
        "UPDATE fees_receiptline SET quantity = 9, amount = %s WHERE receipt_id = %s",
        [D("180.00"), made[3].pk],
    )
    assert chain_verify().breaks == [changed(4)]


# --- rows changed behind the application's back ------------------------------------------


def test_a_total_raised_from_300_to_1300_is_named(three):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(2)])
    report = chain_verify()
    assert report.breaks == [changed(2)]
    assert (report.intact, report.first_break, report.checked) == (False, changed(2), 3)


def test_a_line_changed_is_named(three):
    # Price and amount together, as the line's own check constraint demands.
    tamper(
        "UPDATE fees_receiptline SET unit_price = %s, amount = %s WHERE receipt_id = %s",
        [D("5.00"), D("10.00"), three[2].pk],
    )
    assert chain_verify().breaks == [changed(3)]


def test_a_line_deleted_is_named(three):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [three[0].pk])
    assert chain_verify().breaks == [changed(1)]


def test_a_receipt_deleted_in_the_middle_is_named(three):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [three[1].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [three[1].pk])
    report = chain_verify()
    assert report.breaks == [missing(2, after=3)]
    assert report.checked == 2


def test_the_last_receipt_deleted_is_named_from_the_numbering(three):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [three[2].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [three[2].pk])
    assert chain_verify().breaks == [
        ChainBreak(
            number(3),
            ChainBreakKind.MISSING,
            f"{number(3)} is missing: the numbering of its year reached {number(3)}.",
        )
    ]


def test_a_total_changed_and_its_hash_recomputed_breaks_the_next_link(three):
    """Whoever knows the documented format can recompute the changed receipt's hash: the
    next receipt still holds the old one."""
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(2)])
    rewritten = Receipt.objects.get(number=number(2))
    tamper(
        "UPDATE fees_receipt SET chain_hash = %s WHERE number = %s",
        [receipt_hash(rewritten, rewritten.lines.all(), rewritten.chain_previous), number(2)],
    )
    assert chain_verify().breaks == [unlinked(3, before=2)]


def test_a_link_rewritten_is_named(three):
    tamper("UPDATE fees_receipt SET chain_previous = %s WHERE number = %s", [GENESIS, number(3)])
    # Its link no longer matches, and its hash was taken over the link it had.
    assert chain_verify().breaks == [unlinked(3, before=2), changed(3)]


def test_a_receipt_slipped_in_without_the_desk_is_named(three):
    tamper(
        "UPDATE fees_receipt SET chain_hash = '', chain_previous = '' WHERE number = %s",
        [number(1)],
    )
    assert chain_verify().breaks == [
        ChainBreak(
            number(1),
            ChainBreakKind.LINK,
            f"{number(1)} is the first receipt of its year but links to another one.",
        ),
        changed(1),
        unlinked(2, before=1),
    ]


# --- a period, and its edges -------------------------------------------------------------


def test_a_period_checks_only_its_receipts_and_its_edges(days):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(4)])
    assert chain_verify(DAY1, DAY2).breaks == []
    assert chain_verify(DAY1, DAY2).checked == 2
    assert chain_verify(DAY3, DAY3).breaks == [changed(4)]


def test_a_period_checks_the_link_to_the_receipt_before_it(days):
    # Receipt 1 (the day before the period) gets another hash: receipt 2's link breaks.
    tamper("UPDATE fees_receipt SET chain_hash = %s WHERE number = %s", ["f" * 64, number(1)])
    assert chain_verify(DAY2, DAY3).breaks == [unlinked(2, before=1)]


def test_a_period_whose_previous_receipt_was_deleted(days):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [days[0].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [days[0].pk])
    assert chain_verify(DAY2, DAY3).breaks == [missing(1, after=2)]


def test_a_period_whose_receipts_were_all_deleted(days):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [days[1].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [days[1].pk])
    report = chain_verify(DAY2, DAY2)
    # The receipt before the period is read, and the link from it shows the gap.
    assert (report.checked, report.breaks) == (1, [missing(2, after=3)])


def test_a_period_checks_the_link_to_the_receipt_after_it(days):
    tamper("UPDATE fees_receipt SET chain_previous = %s WHERE number = %s", ["e" * 64, number(3)])
    assert chain_verify(DAY1, DAY2).breaks == [unlinked(3, before=2)]


def test_a_period_without_any_receipt_before_or_in_it():
    report = chain_verify(DAY1, DAY3)
    assert (report.intact, report.checked, report.anchors) == (True, 0, 0)


# --- a period a part at a time (the finance page) ---------------------------------------


def walk_parts(start, end, limit) -> list:
    """The reports of the parts of a period, each after the last one the part before
    verified, as the page's "next part" link walks them."""
    reports, after = [], None
    while True:
        report = chain_verify(start, end, after=after, limit=limit)
        reports.append(report)
        if report.next_after is None:
            return reports
        after = report.next_after


def test_the_parts_of_a_period_verify_each_of_its_receipts_once(days):
    parts = walk_parts(DAY1, DAY3, limit=3)
    assert [(p.first, p.last, p.before, p.checked, p.total) for p in parts] == [
        (number(1), number(3), 0, 3, 4),
        (number(4), number(4), 3, 1, 4),
    ]
    assert [p.next_after for p in parts] == [number(3), None]
    assert all(p.is_part and p.intact for p in parts)
    whole = chain_verify(DAY1, DAY3, limit=4)
    assert (whole.is_part, whole.checked, whole.next_after) == (False, 4, None)


def test_a_part_names_a_receipt_changed_in_it_and_not_in_another(days):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(3)])
    first, second = walk_parts(DAY1, DAY3, limit=2)
    # Receipt 3 still links to receipt 2: the first part's edge holds.
    assert (first.breaks, second.breaks) == ([], [changed(3)])
    assert chain_verify(DAY1, DAY3).breaks == [changed(3)]


def test_a_hash_rewritten_at_a_parts_edge_shows_on_both_sides(days):
    # Receipt 2's hash (the first part's last) rewritten: its content no longer gives it,
    # and receipt 3 (the next part's first) no longer holds it.
    tamper("UPDATE fees_receipt SET chain_hash = %s WHERE number = %s", ["f" * 64, number(2)])
    first, second = walk_parts(DAY1, DAY3, limit=2)
    assert first.breaks == [changed(2), unlinked(3, before=2)]
    assert second.breaks == [unlinked(3, before=2)]


def test_a_receipt_deleted_between_two_parts_is_named(days):
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [days[2].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [days[2].pk])
    first, second = walk_parts(DAY1, DAY3, limit=2)
    assert first.breaks == [missing(3, after=4)]
    assert second.breaks == [missing(3, after=4)]


def test_a_part_reads_the_same_queries_whatever_the_period_holds(
    assistant, django_assert_num_queries
):
    for _n in range(3):
        issue(assistant, ("permit_fee", "20", 1))
    # The years in the period, its first and last number, the count, the receipts, their
    # lines, the receipt after the part, the month locks.
    with django_assert_num_queries(8):
        assert chain_verify(None, None, limit=2).checked == 2
    for _n in range(20):
        issue(assistant, ("permit_fee", "20", 1))
    with django_assert_num_queries(8):
        assert chain_verify(None, None, limit=2).checked == 2
    # A later part: the receipts before it counted too, and the link from the one before.
    with django_assert_num_queries(10):
        assert chain_verify(None, None, after=number(10), limit=2).first == number(11)


# --- the month lock ----------------------------------------------------------------------


@pytest.fixture
def locked(assistant, manager, finance):
    month = build_month(assistant, manager, finance)
    issue(assistant, ("permit_fee", "20", 1))  # today, after the month
    lock = month_lock(by=finance, year=month.year, month=month.month)
    return month, lock


def test_the_lock_records_the_chain_at_the_months_end(locked):
    month, lock = locked
    last = Receipt.objects.get(pk=month.receipts["V2"].pk)  # the month's last receipt
    lock.refresh_from_db()
    assert (lock.chain_number, lock.chain_hash) == (last.number, last.chain_hash)
    assert lock.history.get().chain_hash == last.chain_hash


def test_the_frozen_statement_prints_the_chain(locked):
    month, lock = locked
    sheet = load_workbook(lock.statement_xlsx.path)["说明"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert rows["收据链"] == f"截至收据 {lock.chain_number}，其 SHA-256 链值 {lock.chain_hash}"
    text = "".join(page.extract_text() for page in PdfReader(lock.statement_pdf.path).pages)
    flat = "".join(text.split())
    assert f"收据链：截至收据{lock.chain_number}，其SHA-256链值{lock.chain_hash}" in flat


def test_the_month_page_shows_the_chain_at_the_lock(locked, client, finance):
    month, lock = locked
    client.force_login(finance)
    page = client.get(reverse("fees:finance_month", args=[month.year, month.month]))
    html = page.content.decode()
    assert f'<code id="chain-hash" class="text-break">{lock.chain_hash}</code>' in html
    assert f"up to receipt {lock.chain_number}, hash" in html
    start, end = month_bounds(month.year, month.month)
    assert page.context["chain_query"] == f"date_from={start}&date_to={end}"
    assert (
        reverse("fees:chain_verify") + "?" + page.context["chain_query"].replace("&", "&amp;")
        in html
    )


def test_a_chain_rewritten_after_a_change_differs_from_the_lock(locked):
    """An attacker who changes a receipt and recomputes the whole chain after it passes
    every link, but not the hash the month lock recorded."""
    month, lock = locked
    r4 = month.receipts["R4"]
    tamper("UPDATE fees_receipt SET total = %s WHERE id = %s", [D("1300.00"), r4.pk])
    rewrite_chain(r4.year)
    report = chain_verify(month.d1, month.d3)
    assert report.anchors == 1
    assert report.breaks == [
        ChainBreak(
            lock.chain_number,
            ChainBreakKind.ANCHOR,
            f"{lock.chain_number} no longer has the hash recorded when "
            f"{month.year}-{month.month:02d} was locked: the chain up to it was rewritten.",
        )
    ]


def test_a_lock_before_any_receipt_records_none(finance):
    lock = month_lock(by=finance, year=2026, month=1)
    assert (lock.chain_number, lock.chain_hash) == ("", "")
    assert chain_verify(date(2026, 1, 1), date(2026, 1, 31)).anchors == 0


# --- the command -------------------------------------------------------------------------


def test_the_command_reports_an_intact_chain(days, capsys):
    call_command("verify_receipts", "--from", "2026-03-02", "--to", "2026-03-03")
    assert capsys.readouterr().out == (
        "2 receipt(s) and 0 month lock(s) verified. The chain is intact.\n"
    )


def test_the_command_names_the_break_and_exits_with_1(days, capsys):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(3)])
    tamper("DELETE FROM fees_receiptline WHERE receipt_id = %s", [days[1].pk])
    tamper("DELETE FROM fees_receipt WHERE id = %s", [days[1].pk])
    with pytest.raises(CommandError) as exc:
        call_command("verify_receipts")
    assert exc.value.returncode == 1
    assert str(exc.value) == f"The receipt chain is broken; first broken link: {number(2)}."
    assert capsys.readouterr().out == (
        f"{number(2)}\tReceipt missing\t{missing(2, after=3).message}\n"
        f"{number(3)}\tContent changed\t{changed(3).message}\n"
        "3 receipt(s) and 0 month lock(s) verified.\n"
    )


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="not a date"):
        call_command("verify_receipts", "--from", "2026-02-30")
    with pytest.raises(CommandError, match="--to comes before --from"):
        call_command("verify_receipts", "--from", "2026-03-02", "--to", "2026-03-01")


# --- the page ----------------------------------------------------------------------------

PERIOD = {"date_from": "2026-03-02", "date_to": "2026-03-04"}


@pytest.fixture
def people(assistant, manager, finance, auditor, department, make_user):
    return {
        "assistant": assistant,
        "manager": manager,
        "finance": finance,
        "auditor": auditor,
        "department": department,
        "administrator": make_user("administrator", Role.ADMINISTRATOR, is_staff=True),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }


def test_the_page_answers_each_role_as_the_roles_say(client, people, days):
    answers = {}
    for name, user in people.items():
        client.force_login(user)
        answers[name] = client.get(reverse("fees:chain_verify"), PERIOD).status_code
    assert answers == {
        "assistant": 403,
        "manager": 200,
        "finance": 200,
        "auditor": 200,
        "department": 403,
        "administrator": 403,
        "superuser": 200,
    }
    client.logout()
    response = client.get(reverse("fees:chain_verify"))
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))


def test_the_page_shows_an_intact_chain(client, auditor, days):
    client.force_login(auditor)
    response = client.get(reverse("fees:chain_verify"), PERIOD)
    html = response.content.decode()
    assert response.context["report"].checked == 4
    assert "The chain is intact: 4 receipts verified." in html
    assert 'id="chain-broken"' not in html


def test_the_page_names_the_first_broken_link(client, finance, days):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(3)])
    client.force_login(finance)
    response = client.get(reverse("fees:chain_verify"), PERIOD)
    html = response.content.decode()
    assert f"The chain is broken. First broken link: {number(3)}." in html
    assert changed(3).message in html
    assert response.context["report"].breaks == [changed(3)]


def test_the_page_verifies_a_long_period_a_part_at_a_time(client, auditor, days, monkeypatch):
    monkeypatch.setattr("fees.views.chain.PART", 3)
    client.force_login(auditor)
    response = client.get(reverse("fees:chain_verify"), PERIOD)
    html = response.content.decode()
    assert "This part of the chain is intact: 3 receipts verified." in html
    assert f"This part: receipts {number(1)} to {number(3)} (1–3 of the period's 4)." in html
    next_url = response.context["next_url"]
    assert next_url == f"?date_from=2026-03-02&date_to=2026-03-04&after={number(3)}"
    assert f'id="chain-next" href="{next_url.replace("&", "&amp;")}"' in html
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(4)])
    response = client.get(reverse("fees:chain_verify") + next_url)
    html = response.content.decode()
    assert response.context["report"].breaks == [changed(4)]
    assert f"The chain is broken. First broken link: {number(4)}." in html
    assert response.context["next_url"] == "" and 'id="chain-next"' not in html
    # A part not understood starts from the period's beginning.
    response = client.get(reverse("fees:chain_verify"), {**PERIOD, "after": "x"})
    assert response.context["report"].first == number(1)


def test_the_page_without_a_period_verifies_nothing_yet(client, manager):
    client.force_login(manager)
    response = client.get(reverse("fees:chain_verify"))
    assert response.status_code == 200
    assert response.context["report"] is None
    today = timezone.localdate()
    assert response.context["form"]["date_from"].value() == today.replace(day=1)


def test_the_page_refuses_a_backwards_period(client, manager):
    client.force_login(manager)
    response = client.get(
        reverse("fees:chain_verify"), {"date_from": "2026-03-04", "date_to": "2026-03-02"}
    )
    assert response.context["report"] is None
    assert response.context["form"].errors == {"date_to": ["The end comes before the start."]}


def test_the_issue_time_is_hashed_in_utc(assistant):
    receipt = Receipt.objects.get(pk=issue(assistant, ("permit_fee", "20", 1)).pk)
    moment = receipt.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert f'"issued_at":"{moment}"'.encode() in canonical(receipt, [], GENESIS)


# --- the audit pack ----------------------------------------------------------------------


def pack_files(date_from: date, date_to: date) -> tuple[str, str]:
    pack = zipfile.ZipFile(io.BytesIO(audit_pack(date_from, date_to)))
    return pack.read("receipt_chain.txt").decode(), pack.read("manifest.txt").decode()


def test_the_audit_pack_holds_the_verification_of_its_period(days):
    text, manifest = pack_files(DAY1, DAY2)
    assert text.splitlines() == [
        "收据链核验　期间：2026-03-02 至 2026-03-03",
        "每张收据的链值为 SHA-256，计算对象为其内容（编号、日期、付款人、铺位、明细、金额、"
        "付款方式等）与上一张收据链值的规范化 JSON（格式 1，见系统文档 fees/chain.py）。",
        "核验收据 2 张，比对月结锁定 0 个。",
        "结果：完整。",
    ]
    assert "；收据链完整" in manifest


def test_the_audit_pack_names_the_first_broken_link(days):
    tamper("UPDATE fees_receipt SET total = %s WHERE number = %s", [D("1300.00"), number(2)])
    text, manifest = pack_files(DAY1, DAY2)
    assert text.splitlines()[3:] == [
        f"结果：断裂 1 处，第一处 {number(2)}。以下按收据链顺序列出：",
        f"{number(2)}\t内容被改动\t{number(2)} 开具后被改动：其内容或收费明细与其哈希值不再相符。",
    ]
    assert f"；收据链断裂，第一处：{number(2)}" in manifest


# --- the demo street ---------------------------------------------------------------------


def test_the_demo_takings_are_chained_and_the_desk_continues_the_chain():
    staff = build_staff()
    build_register(units=4, tenants=4, contractors=2, seed=3)
    build_takings(days=3, per_day=2, today=DAY3, busy_today=2, seed=3, history=False)
    issue(staff["assistant"], ("permit_fee", "20", 1))
    report = chain_verify()
    assert (report.breaks, report.checked) == ([], Receipt.objects.count())
    assert report.checked > 4
