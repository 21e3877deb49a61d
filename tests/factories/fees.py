"""A factory for every model of fees.

Rows that the desk writes through a service are made through that service here too
(receipts and their lines, prints, permits, charges and their offsets, dunning notes, counts
and their notes and amounts, a close's figures by method, handovers and discrepancies), so a
factory's row is one the code could have written; the others
(catalogue entries, receipt books, spoiled numbers, close rows, month locks, export jobs)
are plain rows. Whoever acts is the test's user when given (``cashier=assistant``), else
one member of staff per role (tests.factories.people.staff).

Services issue on today's date; ``business_date=`` moves a receipt back afterwards, as
tests.factories.finance.move does.
"""

import hashlib
import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from config.demo import make_mobile, make_resident_id
from config.models import ExportJob, JobStatus
from config.permanence import maintenance
from config.roles import Role
from fees.chain import chain_series
from fees.enums import DayState, DunningChannel, FeeCategory, PayerKind, ReceiptStatus
from fees.models import (
    Charge,
    ChargeOffset,
    DailyClose,
    DailyCloseMethod,
    DayCount,
    DayCountAmount,
    DayCountCash,
    DiscountApproval,
    Discrepancy,
    DunningNote,
    FeeType,
    Handover,
    MonthLock,
    NumberSequence,
    Payout,
    Permit,
    Receipt,
    ReceiptBook,
    ReceiptLine,
    ReceiptOriginal,
    ReceiptPrint,
    SpoiledPaperReceipt,
)
from fees.originals import store_original
from fees.selectors.days import day_get
from fees.selectors.receipts import next_copy
from fees.services import days
from fees.services.charges import charge_bill, charge_offset, dunning_note_add
from fees.services.permits import WorkerInput, permit_issue
from fees.services.receipts import (
    LineInput,
    Payer,
    discount_approval_ask,
    receipt_approve_void,
    receipt_issue,
    receipt_print_record,
    receipt_request_void,
)
from tests.factories.archives import ContractorFactory, TenantFactory, UnitFactory
from tests.factories.people import UserFactory, staff

D = Decimal
_rng = random.Random(11)


def today() -> date:
    return timezone.localdate()


class ServiceFactory(factory.django.DjangoModelFactory):
    """A factory whose rows come from a service: ``_create`` calls it; nothing is built
    without the database (a row the service never saw would prove nothing)."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError(f"{cls.__name__} makes its rows through a service: create()")


# --- the catalogue -----------------------------------------------------------------------


class FeeTypeFactory(factory.django.DjangoModelFactory):
    """A fee of the catalogue; ``FeeTypeFactory(code="permit_fee")`` is the seeded one."""

    class Meta:
        model = FeeType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sundry_{n}")
    name_zh = factory.Sequence(lambda n: f"杂费{n}")
    name_en = factory.Sequence(lambda n: f"Sundry fee {n}")
    category = FeeCategory.FEE
    default_amount = D("10.00")


def fee(code: str) -> FeeType:
    return FeeType.objects.get(code=code)


class NumberSequenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NumberSequence
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"test-series-{n}")
    last_value = 0


# --- receipts ----------------------------------------------------------------------------


def line_input(line) -> LineInput:
    """A LineInput as given, or from (fee code, unit price, quantity[, discount, reason])."""
    if isinstance(line, LineInput):
        return line
    code, price, quantity, *discount = line
    return LineInput(
        fee_type=fee(code),
        unit_price=D(price),
        quantity=quantity,
        discount=D(discount[0]) if discount else D("0"),
        discount_reason=discount[1] if discount else "",
    )


def move(receipt: Receipt, business_date: date, hour: int = 10) -> Receipt:
    """Put a receipt on a past date, as if it had been issued then (a receipt's date is
    fixed once issued: the tests' time travel goes past the database's refusal); its series'
    chain is written again (fees.chain), so that the chain verifies as if it had been."""
    issued_at = timezone.make_aware(datetime.combine(business_date, time(hour)))
    with maintenance():
        Receipt.objects.filter(pk=receipt.pk).update(
            business_date=business_date, issued_at=issued_at
        )
        chain_series(Receipt, year=receipt.year)
    receipt.refresh_from_db()
    return receipt


class ReceiptFactory(ServiceFactory):
    """A receipt issued by fees.services.receipts.receipt_issue, its lines with it.

    ``lines``: LineInputs or (fee code, unit price, quantity[, discount, reason]); by default
    one permit fee of 20.00. ``status``: ``void_requested`` or ``void`` go on through the
    void services (the manager approves). ``business_date``: moved there after issuing.
    """

    class Meta:
        model = Receipt

    class Params:
        named_person = factory.LazyAttribute(lambda o: o.payer_kind == PayerKind.PERSON)

    cashier = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    payer_kind = PayerKind.PERSON
    # A tenant or a contractor pays under its own name unless another is given.
    payer_name = factory.Maybe("named_person", factory.Faker("name", locale="zh_CN"), "")
    tenant = None
    contractor = None
    unit = None
    method = "cash"
    reference = factory.LazyAttribute(lambda o: "" if o.method == "cash" else "REF-1")
    note = ""
    lines = (("permit_fee", "20.00", 1),)
    discount_approver = None
    request_key = None
    status = ReceiptStatus.ISSUED
    void_reason = "开错金额"
    business_date = None
    hour = 10

    @classmethod
    def _create(cls, model_class, *, cashier, lines, status, business_date, hour, **kwargs):
        receipt, _created = receipt_issue(
            by=cashier,
            payer=Payer(
                kind=kwargs["payer_kind"],
                name=kwargs["payer_name"],
                tenant=kwargs["tenant"],
                contractor=kwargs["contractor"],
            ),
            lines=[line_input(line) for line in lines],
            method=kwargs["method"],
            reference=kwargs["reference"],
            unit=kwargs["unit"],
            note=kwargs["note"],
            request_key=kwargs["request_key"],
            discount_approver=kwargs["discount_approver"],
        )
        if status in (ReceiptStatus.VOID_REQUESTED, ReceiptStatus.VOID):
            receipt = receipt_request_void(
                receipt=receipt, by=cashier, reason=kwargs["void_reason"]
            )
        if status == ReceiptStatus.VOID:
            receipt = receipt_approve_void(receipt=receipt, by=staff(Role.MANAGER))
        if business_date is not None:
            receipt = move(receipt, business_date, hour)
        return receipt


class ReceiptLineFactory(ServiceFactory):
    """One line, on a receipt of its own issued through the service."""

    class Meta:
        model = ReceiptLine

    fee_type = factory.LazyFunction(lambda: fee("permit_fee"))
    unit_price = D("20.00")
    quantity = 1
    discount = D("0")
    discount_reason = ""
    description = ""
    charge = None
    receipt = None  # keyword arguments for ReceiptFactory, e.g. {"cashier": assistant}

    @classmethod
    def _create(cls, model_class, *, receipt, **line):
        issued = ReceiptFactory(lines=[LineInput(**line)], **(receipt or {}))
        return issued.lines.get()


class ReceiptOriginalFactory(ServiceFactory):
    """A receipt's stored original, kept by fees.originals (a small stand-in PDF)."""

    class Meta:
        model = ReceiptOriginal

    receipt = factory.SubFactory(ReceiptFactory)

    @classmethod
    def _create(cls, model_class, *, receipt):
        return store_original(receipt, b"%PDF-1.7 a stand-in original")


class ReceiptPrintFactory(ServiceFactory):
    """The next paper copy of a receipt, recorded by fees.services.receipts."""

    class Meta:
        model = ReceiptPrint

    receipt = factory.SubFactory(ReceiptFactory)
    printed_by = factory.SelfAttribute("receipt.cashier")
    printed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *, receipt, printed_by, printed_at):
        return receipt_print_record(
            receipt=receipt, by=printed_by, copy=next_copy(receipt), printed_at=printed_at
        )


# --- paper receipt books -----------------------------------------------------------------


class ReceiptBookFactory(factory.django.DjangoModelFactory):
    """A book of 50 numbers, each factory call a range of its own."""

    class Meta:
        model = ReceiptBook

    series = ""
    first_number = factory.Sequence(lambda n: 1000 + n * 100)
    last_number = factory.LazyAttribute(lambda book: book.first_number + 49)
    issued_to = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    issued_on = factory.LazyFunction(lambda: today() - timedelta(days=10))


class SpoiledPaperReceiptFactory(factory.django.DjangoModelFactory):
    """Number ``number`` of a book (its first by default) recorded as spoiled."""

    class Meta:
        model = SpoiledPaperReceipt
        exclude = ("number",)

    book = factory.SubFactory(ReceiptBookFactory)
    number = factory.SelfAttribute("book.first_number")
    paper_number = factory.LazyAttribute(lambda o: o.book.paper_number(o.number))
    reason = "写错作废"
    recorded_by = factory.SelfAttribute("book.issued_to")


# --- permits -----------------------------------------------------------------------------


class PermitFactory(ServiceFactory):
    """A worker's permit issued by fees.services.permits.permit_issue (with its receipt),
    valid from today for 30 days."""

    class Meta:
        model = Permit

    issued_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    contractor = factory.SubFactory(ContractorFactory)
    unit = factory.SubFactory(UnitFactory)
    worker_name = factory.Faker("name", locale="zh_CN")
    id_doc_type = "resident_id"
    id_number = factory.LazyFunction(lambda: make_resident_id(_rng))
    phone = factory.LazyFunction(lambda: make_mobile(_rng))
    photo = None
    valid_from = factory.LazyFunction(today)
    valid_to = factory.LazyAttribute(lambda o: o.valid_from + timedelta(days=30))
    with_card_deposit = False

    @classmethod
    def _create(
        cls, model_class, *, issued_by, worker_name, id_doc_type, id_number, phone, photo, **kwargs
    ):
        _receipt, permits, _created = permit_issue(
            by=issued_by,
            workers=[WorkerInput(worker_name, id_doc_type, id_number, phone, photo)],
            method="cash",
            request_key=uuid.uuid4(),
            **kwargs,
        )
        return permits[0]


# --- charges -----------------------------------------------------------------------------


class ChargeFactory(ServiceFactory):
    """A charge billed by fees.services.charges.charge_bill (waste removal, 1,000.00)."""

    class Meta:
        model = Charge

    created_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    tenant = factory.SubFactory(TenantFactory)
    unit = None  # one the tenant occupies or occupied (OccupancyFactory)
    fee_type = factory.LazyFunction(lambda: fee("waste_removal"))
    description = "垃圾清运费"
    amount = D("1000.00")
    billed_on = date(2025, 6, 1)
    due_on = factory.LazyAttribute(lambda o: o.billed_on + timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *, created_by, **kwargs):
        return charge_bill(by=created_by, **kwargs)


class ChargeOffsetFactory(ServiceFactory):
    """Part of a charge settled from a deposit (fees.services.charges.charge_offset), as
    the manager's approval of a deduction does: 400.00 of a 1,000.00 charge."""

    class Meta:
        model = ChargeOffset

    offset_by = factory.LazyFunction(lambda: staff(Role.MANAGER))
    charge = factory.SubFactory(ChargeFactory)
    amount = D("400.00")
    source = "保证金抵扣"

    @classmethod
    def _create(cls, model_class, *, offset_by, **kwargs):
        return charge_offset(by=offset_by, **kwargs)


class DiscountApprovalFactory(ServiceFactory):
    """A granted try of the manager's approval at the desk (discount_approval_ask): the
    manager approving gets a password, which the other factories' users never need."""

    class Meta:
        model = DiscountApproval

    @classmethod
    def _create(cls, model_class, **kwargs):
        manager = UserFactory(username="approving-manager", roles=[Role.MANAGER])
        manager.set_password("approve-it")
        manager.save(update_fields=["password"])
        return discount_approval_ask(
            by=staff(Role.ASSISTANT), username=manager.username, password="approve-it"
        )


class DunningNoteFactory(ServiceFactory):
    """A note of chasing a charge, recorded by fees.services.charges.dunning_note_add."""

    class Meta:
        model = DunningNote

    noted_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    charge = factory.SubFactory(ChargeFactory)
    noted_on = factory.LazyFunction(today)
    channel = DunningChannel.PHONE
    contact = factory.Faker("name", locale="zh_CN")
    result = "答应月底付清"
    promised_on = None

    @classmethod
    def _create(cls, model_class, *, noted_by, **kwargs):
        return dunning_note_add(by=noted_by, **kwargs)


# --- the daily close ---------------------------------------------------------------------


class DailyCloseFactory(factory.django.DjangoModelFactory):
    """A close row in a given state, written directly (the day services refuse most
    states without counts and receipts; HandoverFactory goes the services' way)."""

    class Meta:
        model = DailyClose
        django_get_or_create = ("business_date",)

    business_date = factory.LazyFunction(today)
    state = DayState.OPEN


class DayCountFactory(ServiceFactory):
    """A count of a day's drawer recorded by fees.services.days.day_record_count (the day's
    first count is the blind one)."""

    class Meta:
        model = DayCount

    business_date = factory.LazyFunction(today)
    counted_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    cash = factory.LazyFunction(lambda: {"50": 1})  # denomination: pieces
    non_cash = factory.LazyFunction(dict)  # method: amount
    opening_float = None
    float_left = None

    @classmethod
    def _create(cls, model_class, *, business_date, counted_by, cash, non_cash, **floats):
        day = days.day_record_count(
            day=day_get(business_date),
            by=counted_by,
            cash_count={D(k): v for k, v in cash.items()},
            non_cash={m: D(v) for m, v in non_cash.items()},
            **floats,
        )
        return day.counts.order_by("sequence").last()


class DayCountCashFactory(ServiceFactory):
    """``pieces`` notes of ``denomination`` in a count recorded through the day services."""

    class Meta:
        model = DayCountCash

    denomination = "50"
    pieces = 2
    count = None  # keyword arguments for DayCountFactory

    @classmethod
    def _create(cls, model_class, *, denomination, pieces, count):
        made = DayCountFactory(cash={denomination: pieces}, **(count or {}))
        return made.cash.get(denomination=D(denomination))


class DayCountAmountFactory(ServiceFactory):
    """A platform's total in a count recorded through the day services (WeChat, 80.00)."""

    class Meta:
        model = DayCountAmount

    method = "wechat"
    amount = D("80.00")
    count = None  # keyword arguments for DayCountFactory

    @classmethod
    def _create(cls, model_class, *, method, amount, count):
        made = DayCountFactory(non_cash={method: amount}, **(count or {}))
        return made.amounts.get(method=method)


def free_past_day() -> date:
    """The day before the earliest past day that has a close row or a receipt (yesterday
    when none has): a day of its own for each handover or discrepancy of a test."""
    past = [
        *DailyClose.objects.filter(business_date__lt=today()).values_list("business_date"),
        *Receipt.objects.filter(business_date__lt=today()).values_list("business_date"),
    ]
    return min((day for (day,) in past), default=today()) - timedelta(days=1)


_handover_days = factory.LazyFunction(free_past_day)


def submitted_day(business_date: date, takings, counted, explanation: str, assistant):
    """A past day with one cash receipt of ``takings``, its drawer counted at ``counted``
    (no float) and submitted through the day services, with ``explanation`` for a
    difference."""
    ReceiptFactory(
        cashier=assistant, lines=[("permit_fee", str(takings), 1)], business_date=business_date
    )
    day = days.day_record_count(
        day=day_get(business_date),
        by=assistant,
        cash_count={D(counted): 1},
        non_cash={},
        opening_float=D("0"),
        float_left=D("0"),
    )
    explanations = {"cash": explanation} if D(counted) != D(takings) else {}
    return days.day_submit(day=day, by=assistant, explanations=explanations)


class DailyCloseMethodFactory(ServiceFactory):
    """The cash figures of a past day counted and submitted through the day services: 20.00
    expected; ``counted`` other than that needs an ``explanation``."""

    class Meta:
        model = DailyCloseMethod

    business_date = _handover_days
    expected = D("20.00")
    counted = factory.SelfAttribute("expected")
    explanation = factory.Maybe(
        factory.LazyAttribute(lambda o: D(o.counted) != D(o.expected)), "点错一张", ""
    )
    assistant = factory.LazyFunction(lambda: staff(Role.ASSISTANT))

    @classmethod
    def _create(cls, model_class, *, business_date, expected, counted, explanation, assistant):
        day = submitted_day(business_date, expected, counted, explanation, assistant)
        return day.methods.get(method="cash")


class HandoverFactory(ServiceFactory):
    """A past day with one cash receipt of ``takings``, counted, submitted, approved and
    handed over to finance through the day services; ``cash_received`` other than the
    takings leaves a discrepancy."""

    class Meta:
        model = Handover

    business_date = _handover_days
    takings = D("20.00")
    cash_received = factory.SelfAttribute("takings")
    bag_number = factory.Sequence(lambda n: f"BAG-{n:04d}")
    assistant = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    manager = factory.LazyFunction(lambda: staff(Role.MANAGER))
    finance = factory.LazyFunction(lambda: staff(Role.FINANCE))

    @classmethod
    def _create(cls, model_class, *, business_date, takings, cash_received, bag_number, **people):
        day = submitted_day(business_date, takings, takings, "", people["assistant"])
        day = days.day_approve(day=day, by=people["manager"])
        return days.handover_confirm(
            day=day, by=people["finance"], cash_received=D(cash_received), bag_number=bag_number
        )


class DiscrepancyFactory(ServiceFactory):
    """A handover that finance found ``amount`` off (10.00 short by default); with
    ``explanation`` the manager has signed it off."""

    class Meta:
        model = Discrepancy

    business_date = _handover_days
    amount = D("-10.00")
    explanation = ""
    signed_off_by = factory.LazyFunction(lambda: staff(Role.MANAGER))

    @classmethod
    def _create(cls, model_class, *, business_date, amount, explanation, signed_off_by):
        takings = D("100.00")
        handover = HandoverFactory(
            business_date=business_date, takings=takings, cash_received=takings + D(amount)
        )
        discrepancy = handover.discrepancy
        if explanation:
            discrepancy = days.discrepancy_sign_off(
                discrepancy=discrepancy, by=signed_off_by, explanation=explanation
            )
        return discrepancy


# --- months and exports ------------------------------------------------------------------

EMPTY_ZIP = b"PK\x05\x06" + b"\0" * 18  # an .xlsx and an audit pack are ZIP files
STATEMENT_PDF = b"%PDF-1.4\n%%EOF\n"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class MonthLockFactory(factory.django.DjangoModelFactory):
    """A month lock row with small stand-in files and their true checksums. The real lock,
    which builds the statement, is fees.services.months.month_lock (tests/fees/test_months.py)."""

    class Meta:
        model = MonthLock

    year = 2025
    month = factory.Sequence(lambda n: 1 + n % 12)
    locked_by = factory.LazyFunction(lambda: staff(Role.FINANCE))
    locked_at = factory.LazyFunction(timezone.now)
    statement_xlsx = factory.django.FileField(data=EMPTY_ZIP, filename="statement.xlsx")
    statement_pdf = factory.django.FileField(data=STATEMENT_PDF, filename="statement.pdf")
    xlsx_sha256 = sha256(EMPTY_ZIP)
    pdf_sha256 = sha256(STATEMENT_PDF)


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A finished audit pack job of last week, its file an empty ZIP."""

    class Meta:
        model = ExportJob

    class Params:
        running = factory.Trait(
            status=JobStatus.RUNNING, progress=42, file=None, sha256="", finished_at=None
        )

    kind = "audit_pack"
    params = factory.LazyFunction(
        lambda: {
            "date_from": (today() - timedelta(days=7)).isoformat(),
            "date_to": (today() - timedelta(days=1)).isoformat(),
        }
    )
    requested_by = factory.LazyFunction(lambda: staff(Role.FINANCE))
    status = JobStatus.DONE
    progress = 100
    file = factory.django.FileField(data=EMPTY_ZIP, filename="audit-pack.zip")
    sha256 = sha256(EMPTY_ZIP)
    finished_at = factory.LazyFunction(timezone.now)


class PayoutFactory(ServiceFactory):
    """Money paid out of today's drawer by finance (fees.services.days.payout_record)."""

    class Meta:
        model = Payout

    business_date = factory.LazyFunction(today)
    method = "cash"
    amount = D("120.00")
    purpose = "退还保证金"
    reference = "R-1"
    paid_by = factory.LazyFunction(lambda: staff(Role.FINANCE))

    @classmethod
    def _create(cls, model_class, *, paid_by, **kwargs):
        return days.payout_record(by=paid_by, **kwargs)
