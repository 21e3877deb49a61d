import io
import random
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from config.dates import year_end_from, years_later
from config.demo import make_resident_id
from config.money import ZERO
from config.permanence import maintenance
from fees.models import NumberSequence, Permit, Receipt
from fees.selectors.permits import permits_expiring_soon, permits_not_returned
from fees.services.permits import (
    WorkerInput,
    permit_issue,
    permit_report_lost,
    permit_return,
    permits_expire,
)
from fees.services.receipts import receipt_approve_void, receipt_request_void
from tests.factories.archives import ContractorFactory, UnitFactory
from tests.factories.fees import PermitFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db

_rng = random.Random(2026)
# A 1×1 white PNG, real enough for the PDF renderer to draw.
REAL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4b60000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are compared in their English source text, in services and on pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The role fixtures hash a password per user; PBKDF2 makes that most of a test's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def contractor():
    return ContractorFactory(name="金辉装饰工程有限公司")


@pytest.fixture
def unit():
    return UnitFactory(code="B-2-15")


def today():
    return timezone.localdate()


def year():
    return today().year


def worker(name="张三", id_number=None, phone="13800138000", **kwargs):
    return WorkerInput(
        name=name,
        id_doc_type=kwargs.pop("id_doc_type", "resident_id"),
        id_number=id_number or make_resident_id(_rng),
        phone=phone,
        **kwargs,
    )


def issue(by, contractor, unit, workers=None, **kwargs):
    args = {
        "valid_from": today(),
        "valid_to": today() + timedelta(days=30),
        "method": "cash",
        "reference": "",
        "request_key": uuid.uuid4(),
        "with_card_deposit": False,
        **kwargs,
    }
    return permit_issue(
        by=by, contractor=contractor, unit=unit, workers=workers or [worker()], **args
    )


def issued_permit(by, contractor, unit, **kwargs):
    _receipt, permits, _created = issue(by, contractor, unit, **kwargs)
    return permits[0]


def backdate(permit, valid_from, valid_to, status=None):
    """Move a permit's validity into the past (the service refuses to issue one there, and
    the validity is fixed once issued: the tests' time travel goes past the refusal)."""
    fields = {"valid_from": valid_from, "valid_to": valid_to}
    if status:
        fields["status"] = status
    with maintenance():
        Permit.objects.filter(pk=permit.pk).update(**fields)
    permit.refresh_from_db()
    return permit


def nothing_written():
    return (Receipt.objects.count(), Permit.objects.count()) == (0, 0)


# --- issuing -----------------------------------------------------------------------------


def test_issue_writes_one_receipt_with_lines_and_numbered_permits(assistant, contractor, unit):
    id_a, id_b = make_resident_id(_rng), make_resident_id(_rng)
    receipt, permits, created = issue(
        assistant,
        contractor,
        unit,
        workers=[worker("张三", id_a, "138 0013 8000"), worker("李四", id_b, "+8613900139000")],
        with_card_deposit=True,
    )
    assert created is True
    lines = [
        (line.fee_type.code, line.quantity, line.unit_price, line.amount)
        for line in receipt.lines.all()
    ]
    assert lines == [
        ("permit_fee", 2, Decimal("20.00"), Decimal("40.00")),
        ("card_fee", 2, Decimal("10.00"), Decimal("20.00")),
        ("permit_card_deposit", 2, Decimal("50.00"), Decimal("100.00")),
    ]
    assert receipt.total == Decimal("160.00")
    assert (receipt.payer_kind, receipt.contractor, receipt.payer_name) == (
        "contractor",
        contractor,
        "金辉装饰工程有限公司",
    )
    assert receipt.unit == unit
    assert receipt.cashier == assistant
    rows = [
        (p.number, p.worker_name, p.id_number, p.phone, p.card_deposit, p.status, p.receipt_id)
        for p in Permit.objects.order_by("number")
    ]
    y = year()
    assert rows == [
        (f"P{y}-00001", "张三", id_a, "13800138000", Decimal("50.00"), "active", receipt.pk),
        (f"P{y}-00002", "李四", id_b, "13900139000", Decimal("50.00"), "active", receipt.pk),
    ]
    assert [p.number for p in permits] == [f"P{y}-00001", f"P{y}-00002"]


def test_issue_without_deposit_charges_permit_and_card_fee_only(assistant, contractor, unit):
    receipt, permits, _created = issue(assistant, contractor, unit)
    assert [(line.fee_type.code, line.amount) for line in receipt.lines.all()] == [
        ("permit_fee", Decimal("20.00")),
        ("card_fee", Decimal("10.00")),
    ]
    assert receipt.total == Decimal("30.00")
    assert permits[0].card_deposit == ZERO


def test_permit_numbers_continue_across_receipts(assistant, contractor, unit):
    issue(assistant, contractor, unit, workers=[worker(), worker("李四")])
    _receipt, permits, _created = issue(assistant, contractor, unit)
    assert permits[0].number == f"P{year()}-00003"


def test_issue_accepts_other_id_documents(assistant, contractor, unit):
    _receipt, permits, _created = issue(
        assistant,
        contractor,
        unit,
        workers=[worker(id_doc_type="passport", id_number="e1234 5678")],
    )
    assert (permits[0].id_doc_type, permits[0].id_number) == ("passport", "E12345678")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"workers": [worker(id_number="110101199003071234")]},
            "Worker 1: The check digit (last character) does not match: "
            "please re-check the number.",
        ),
        (
            {"workers": [worker(phone="1380013800")]},
            "Worker 1: A mainland mobile number has 11 digits; this one has 10.",
        ),
        (
            {"workers": [worker(id_doc_type="passport", id_number="E1-2")]},
            "Worker 1: An ID document number has 5 to 20 letters and digits.",
        ),
        (
            {"workers": [worker(name=" ")]},
            "Worker 1: enter the name.",
        ),
        ({"valid_to": "yesterday"}, "The permit must end on or after its first day."),
        ({"valid_from": "yesterday"}, "A permit cannot start in the past."),
        (
            {"valid_to": "a year"},
            "A permit is valid for one year at most: until {last} at the latest.",
        ),
        (
            {"method": "wechat"},
            "A non-cash payment needs its reference (transaction or voucher number).",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(assistant, contractor, unit, change, message):
    change = dict(change)
    relative = {
        "yesterday": today() - timedelta(days=1),
        "a year": years_later(today()),
    }
    for key in ("valid_from", "valid_to"):
        if key in change:
            change[key] = relative[change[key]]
    if "workers" in change:
        # Parametrised values are built once; give each run its own copies.
        change["workers"] = [WorkerInput(**vars(w)) for w in change["workers"]]
    with pytest.raises(ValidationError) as caught:
        issue(assistant, contractor, unit, **change)
    last = year_end_from(today())
    assert caught.value.messages == [message.format(last=last)]
    assert nothing_written()
    assert not NumberSequence.objects.filter(key__startswith="permit-").exists()


def test_the_same_id_twice_in_one_issue_is_refused(assistant, contractor, unit):
    same = make_resident_id(_rng)
    with pytest.raises(ValidationError) as caught:
        issue(assistant, contractor, unit, workers=[worker(id_number=same), worker("李四", same)])
    assert caught.value.messages == ["Worker 2: the same ID number is entered twice."]
    assert nothing_written()


def test_worker_with_an_active_permit_is_refused(assistant, contractor, unit):
    held = issued_permit(assistant, contractor, unit)
    other = ContractorFactory()
    with pytest.raises(ValidationError) as caught:
        issue(
            assistant,
            other,
            unit,
            workers=[worker("王五"), worker("张三", held.id_number.lower())],
        )
    assert caught.value.messages == [
        f"Worker 2 (张三) already holds permit {held.number}, valid until {held.valid_to}: "
        "return it or report it lost first."
    ]
    assert (Receipt.objects.count(), Permit.objects.count()) == (1, 1)
    # The refused issue gave its numbers back: the next receipt and permit follow on.
    receipt, permits, _created = issue(assistant, other, unit)
    assert receipt.number == f"{year()}-000002"
    assert permits[0].number == f"P{year()}-00002"


def test_worker_whose_permit_ended_may_get_a_new_one(assistant, contractor, unit):
    returned = issued_permit(assistant, contractor, unit)
    permit_return(by=assistant, permit=returned)
    past = backdate(
        issued_permit(assistant, contractor, unit),
        today() - timedelta(days=40),
        today() - timedelta(days=1),
    )
    _receipt, permits, _created = issue(
        assistant,
        contractor,
        unit,
        workers=[worker(id_number=returned.id_number), worker("李四", past.id_number)],
    )
    assert [p.status for p in permits] == ["active", "active"]


def test_double_submission_returns_the_same_receipt_and_permits(assistant, contractor, unit):
    key = uuid.uuid4()
    workers = [worker(), worker("李四")]
    first = issue(assistant, contractor, unit, workers=workers, request_key=key)
    again = issue(assistant, contractor, unit, workers=workers, request_key=key)
    assert first[2] is True and again[2] is False
    assert again[0] == first[0]
    assert again[1] == first[1]
    assert (Receipt.objects.count(), Permit.objects.count()) == (1, 2)


def test_finance_cannot_issue(finance, contractor, unit):
    with pytest.raises(PermissionDenied):
        issue(finance, contractor, unit)
    assert nothing_written()


def test_inactive_contractor_is_refused(assistant, unit):
    with pytest.raises(ValidationError) as caught:
        issue(assistant, ContractorFactory(active=False), unit)
    assert caught.value.messages == ["This contractor is no longer active."]


# --- return, loss, reissue, expiry --------------------------------------------------------


def test_return_releases_the_card_deposit(assistant, contractor, unit):
    permit = issued_permit(assistant, contractor, unit, with_card_deposit=True)
    permit = permit_return(by=assistant, permit=permit)
    permit.refresh_from_db()
    assert (permit.status, permit.returned_on, permit.deposit_released_on) == (
        "returned",
        today(),
        today(),
    )
    assert permit.history.first().history_change_reason == "card returned"


def test_return_without_deposit_releases_nothing(assistant, contractor, unit):
    permit = permit_return(by=assistant, permit=issued_permit(assistant, contractor, unit))
    assert (permit.status, permit.deposit_released_on) == ("returned", None)


def test_expired_permit_can_be_returned(assistant, contractor, unit):
    permit = issued_permit(assistant, contractor, unit)
    backdate(permit, today() - timedelta(days=9), today() - timedelta(days=2), "expired")
    assert permit_return(by=assistant, permit=permit).status == "returned"


@pytest.mark.parametrize(
    ("status", "label"),
    [("returned", "returned"), ("lost", "lost"), ("cancelled", "cancelled (receipt voided)")],
)
def test_ended_permit_cannot_be_returned_or_reported_lost(
    assistant, contractor, unit, status, label
):
    permit = issued_permit(assistant, contractor, unit)
    Permit.objects.filter(pk=permit.pk).update(status=status)
    with pytest.raises(ValidationError) as caught:
        permit_return(by=assistant, permit=permit)
    assert caught.value.messages == [f"This permit is {label}: it cannot be returned."]
    with pytest.raises(ValidationError) as caught:
        permit_report_lost(by=assistant, permit=permit, reissue=False)
    assert caught.value.messages == [f"This permit is {label}: it cannot be reported lost."]
    permit.refresh_from_db()
    assert permit.status == status


def test_finance_cannot_return_or_report_lost(assistant, finance, contractor, unit):
    permit = issued_permit(assistant, contractor, unit)
    with pytest.raises(PermissionDenied):
        permit_return(by=finance, permit=permit)
    with pytest.raises(PermissionDenied):
        permit_report_lost(by=finance, permit=permit)
    permit.refresh_from_db()
    assert permit.status == "active"


def test_lost_without_reissue_blocks_the_number(assistant, contractor, unit):
    permit = issued_permit(assistant, contractor, unit, with_card_deposit=True)
    lost, replacement = permit_report_lost(by=assistant, permit=permit, reissue=False)
    assert replacement is None
    assert (lost.status, lost.lost_reported_on, lost.deposit_released_on) == ("lost", today(), None)
    with pytest.raises(ValidationError):
        permit_return(by=assistant, permit=lost)
    assert Permit.objects.get(pk=permit.pk).status == "lost"


def test_lost_and_reissued_gets_a_new_number_and_a_card_fee_receipt(assistant, contractor, unit):
    permit = issued_permit(
        assistant, contractor, unit, valid_to=today() + timedelta(days=60), with_card_deposit=True
    )
    key = uuid.uuid4()
    lost, new = permit_report_lost(
        by=assistant,
        permit=permit,
        reissue=True,
        method="wechat",
        reference="WX42",
        request_key=key,
    )
    assert lost.status == "lost"
    assert (new.number, new.replaces, new.status) == (f"P{year()}-00002", lost, "active")
    assert (new.worker_name, new.id_number, new.contractor, new.unit) == (
        lost.worker_name,
        lost.id_number,
        contractor,
        unit,
    )
    assert (new.valid_from, new.valid_to, new.card_deposit) == (
        today(),
        today() + timedelta(days=60),
        ZERO,
    )
    receipt = new.receipt
    assert receipt != lost.receipt
    assert [(x.fee_type.code, x.quantity, x.amount) for x in receipt.lines.all()] == [
        ("card_fee", 1, Decimal("10.00"))
    ]
    assert (receipt.total, receipt.contractor, receipt.method, receipt.reference) == (
        Decimal("10.00"),
        contractor,
        "wechat",
        "WX42",
    )
    # The old number stays blocked; the form sent twice reissues once.
    with pytest.raises(ValidationError):
        permit_return(by=assistant, permit=lost)
    again = permit_report_lost(
        by=assistant, permit=lost, reissue=True, method="cash", request_key=key
    )
    assert again == (lost, new)
    assert (Receipt.objects.count(), Permit.objects.count()) == (2, 2)


def test_expired_permit_can_be_reported_lost_but_not_reissued(assistant, contractor, unit):
    permit = backdate(
        issued_permit(assistant, contractor, unit),
        today() - timedelta(days=9),
        today() - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        permit_report_lost(by=assistant, permit=permit, reissue=True, method="cash")
    assert caught.value.messages == [
        f"This permit expired on {permit.valid_to}: issue a new permit instead of a replacement."
    ]
    assert Permit.objects.get(pk=permit.pk).status == "active"
    lost, replacement = permit_report_lost(by=assistant, permit=permit, reissue=False)
    assert (lost.status, replacement) == ("lost", None)


def test_reissue_refused_by_payment_check_changes_nothing(assistant, contractor, unit):
    permit = issued_permit(assistant, contractor, unit)
    with pytest.raises(ValidationError):
        permit_report_lost(by=assistant, permit=permit, reissue=True, method="alipay")
    assert Permit.objects.get(pk=permit.pk).status == "active"
    assert (Receipt.objects.count(), Permit.objects.count()) == (1, 1)


def test_voiding_the_receipt_cancels_its_permits(assistant, manager, contractor, unit):
    receipt, _permits, _created = issue(
        assistant, contractor, unit, workers=[worker(), worker("李四")]
    )
    receipt_request_void(receipt=receipt, by=assistant, reason="wrong contractor")
    receipt_approve_void(receipt=receipt, by=manager)
    assert sorted(Permit.objects.values_list("status", flat=True)) == ["cancelled", "cancelled"]


def test_expire_command_marks_permits_past_their_last_day(assistant, contractor, unit):
    past = backdate(
        issued_permit(assistant, contractor, unit),
        today() - timedelta(days=9),
        today() - timedelta(days=1),
    )
    current = issued_permit(assistant, contractor, unit, valid_to=today())
    out = io.StringIO()
    call_command("expire_permits", stdout=out)
    assert out.getvalue() == "1 permit(s) expired.\n"
    assert Permit.objects.get(pk=past.pk).status == "expired"
    assert Permit.objects.get(pk=current.pk).status == "active"
    assert Permit.objects.get(pk=past.pk).history.first().history_change_reason == "expired"
    assert permits_expire(today=today()) == 0


def test_expiring_soon_and_not_returned_selectors(assistant, contractor, unit, settings):
    settings.PERMIT_EXPIRY_WARNING_DAYS = 7

    def permit(valid_to, status=None):
        p = issued_permit(assistant, contractor, unit, valid_to=max(valid_to, today()))
        return backdate(p, min(today(), valid_to), valid_to, status)

    soon = permit(today() + timedelta(days=7))
    today_last = permit(today())
    permit(today() + timedelta(days=8))
    overdue_active = permit(today() - timedelta(days=1))
    overdue_expired = permit(today() - timedelta(days=3), "expired")
    permit(today() - timedelta(days=3), "returned")
    permit(today() - timedelta(days=3), "lost")
    assert list(permits_expiring_soon(today())) == [today_last, soon]
    assert list(permits_not_returned(today())) == [overdue_expired, overdue_active]
    assert {p.current_status for p in permits_not_returned(today())} == {"expired"}


# --- pages -------------------------------------------------------------------------------


def issue_post(contractor, unit, workers, **extra):
    data = {
        "request_key": str(uuid.uuid4()),
        "contractor": f"{contractor.name} #{contractor.pk}",
        "unit": unit.code.lower(),
        "valid_from": today().isoformat(),
        "valid_to": (today() + timedelta(days=30)).isoformat(),
        "with_card_deposit": "on",
        "method": "cash",
        "reference": "",
        "workers-TOTAL_FORMS": "10",
        "workers-INITIAL_FORMS": "0",
        "workers-MIN_NUM_FORMS": "0",
        "workers-MAX_NUM_FORMS": "10",
    }
    for n, w in enumerate(workers):
        data.update({f"workers-{n}-{key}": value for key, value in w.items()})
    data.update(extra)
    return data


def worker_row(name="张三", id_number=None, **extra):
    return {
        "name": name,
        "id_doc_type": "resident_id",
        "id_number": id_number or make_resident_id(_rng),
        "phone": "13800138000",
        **extra,
    }


def test_issue_page_issues_permits_and_shows_masked_ids(assistant, client, contractor, unit, media):
    client.force_login(assistant)
    form = client.get(reverse("fees:permit_issue"))
    assert form.status_code == 200
    assert form.context["form"].initial["request_key"] is not None
    id_number = make_resident_id(_rng)
    photo = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    data = issue_post(
        contractor, unit, [worker_row(id_number=id_number, photo=photo), worker_row("李四")]
    )
    response = client.post(reverse("fees:permit_issue"), data)
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:permit_batch", args=[receipt.pk])
    permit = Permit.objects.get(worker_name="张三")
    assert (permit.id_number, permit.unit, receipt.total) == (id_number, unit, Decimal("160.00"))
    # Stored re-encoded, under a name of the server's (tests/fees/test_permit_photos.py).
    assert re.fullmatch(rf"permits/{year()}/[0-9a-f]{{32}}\.jpg", permit.photo.name)
    assert (media / permit.photo.name).read_bytes()[:3] == b"\xff\xd8\xff"
    masked = id_number[:6] + "********" + id_number[-4:]
    for url in (
        reverse("fees:permit_batch", args=[receipt.pk]),
        permit.get_absolute_url(),
        reverse("fees:permit_list"),
    ):
        page = client.get(url).content.decode()
        assert masked in page
        assert id_number not in page
    # The same form posted again issues nothing more.
    data["workers-0-photo"] = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    again = client.post(reverse("fees:permit_issue"), data)
    assert again["Location"] == response["Location"]
    assert (Receipt.objects.count(), Permit.objects.count()) == (1, 2)


def test_issue_page_refuses_bad_input_and_writes_nothing(assistant, client, contractor, unit):
    client.force_login(assistant)
    data = issue_post(contractor, unit, [worker_row(id_number="110101199003071234")])
    response = client.post(reverse("fees:permit_issue"), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["id_number"] == [
        "The check digit (last character) does not match: please re-check the number."
    ]
    assert nothing_written()


def test_issue_page_shows_a_service_refusal(assistant, client, contractor, unit):
    held = issued_permit(assistant, contractor, unit)
    client.force_login(assistant)
    data = issue_post(contractor, unit, [worker_row(id_number=held.id_number)])
    response = client.post(reverse("fees:permit_issue"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Worker 1 (张三) already holds permit {held.number}, valid until {held.valid_to}: "
        "return it or report it lost first."
    ]
    assert Permit.objects.count() == 1


def test_upload_checks_the_content_not_the_name(assistant, client, contractor, unit):
    client.force_login(assistant)
    fake = SimpleUploadedFile(
        "photo.jpg", b"just some text, not a picture", content_type="image/jpeg"
    )
    data = issue_post(contractor, unit, [worker_row(photo=fake)])
    response = client.post(reverse("fees:permit_issue"), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["photo"] == [
        "The file is not a JPEG or PNG image."
    ]
    assert nothing_written()


@pytest.mark.parametrize("method", ["get", "post"])
def test_finance_cannot_open_the_issue_page(finance, client, contractor, unit, method):
    client.force_login(finance)
    data = issue_post(contractor, unit, [worker_row()]) if method == "post" else None
    response = getattr(client, method)(reverse("fees:permit_issue"), data)
    assert response.status_code == 403
    assert nothing_written()


def test_return_and_lost_pages(assistant, client, contractor, unit):
    client.force_login(assistant)
    returned = issued_permit(assistant, contractor, unit, with_card_deposit=True)
    assert client.get(reverse("fees:permit_return", args=[returned.pk])).status_code == 405
    response = client.post(reverse("fees:permit_return", args=[returned.pk]))
    assert response["Location"] == returned.get_absolute_url()
    assert Permit.objects.get(pk=returned.pk).status == "returned"

    lost = issued_permit(assistant, contractor, unit)
    url = reverse("fees:permit_lost", args=[lost.pk])
    bad = {"request_key": str(uuid.uuid4()), "reissue": "on", "method": "wechat", "reference": ""}
    response = client.post(url, bad)
    assert response["Location"] == lost.get_absolute_url()
    assert Permit.objects.get(pk=lost.pk).status == "active"
    response = client.post(url, {**bad, "method": "cash"})
    new = Permit.objects.get(replaces=lost)
    assert response["Location"] == new.get_absolute_url()
    page = client.get(lost.get_absolute_url()).content.decode()
    assert new.number in page
    assert reverse("fees:permit_return", args=[lost.pk]) not in page


def test_finance_cannot_return_or_report_lost_by_post(assistant, finance, client, contractor, unit):
    permit = issued_permit(assistant, contractor, unit)
    client.force_login(finance)
    assert client.post(reverse("fees:permit_return", args=[permit.pk])).status_code == 403
    lost = {"request_key": str(uuid.uuid4()), "method": "cash"}
    assert client.post(reverse("fees:permit_lost", args=[permit.pk]), lost).status_code == 403
    assert client.get(permit.get_absolute_url()).status_code == 200
    assert Permit.objects.get(pk=permit.pk).status == "active"


def test_permit_without_photo_has_no_photo_url(assistant, client, contractor, unit):
    permit = issued_permit(assistant, contractor, unit)
    client.force_login(assistant)
    assert client.get(reverse("fees:permit_photo", args=[permit.pk])).status_code == 404


@pytest.mark.parametrize(
    "list_name, queries",
    [("permit_list", 8), ("permit_expiring", 8), ("permit_not_returned", 8)],
)
def test_list_queries_do_not_grow_with_rows(assistant, flat_queries, list_name, queries):
    def add():
        permit = PermitFactory(issued_by=assistant, valid_to=today())
        if list_name == "permit_not_returned":
            backdate(permit, today() - timedelta(days=5), today() - timedelta(days=1))

    flat_queries(reverse(f"fees:{list_name}"), add, queries=queries, user=assistant)


def test_permit_list_filters_and_sorts(assistant, client, unit):
    a = issued_permit(assistant, ContractorFactory(name="甲装饰"), unit, workers=[worker("张三")])
    b = issued_permit(
        assistant,
        ContractorFactory(name="乙装修"),
        UnitFactory(code="C-1-01"),
        workers=[worker("李四")],
    )
    backdate(b, today() - timedelta(days=5), today() - timedelta(days=1))
    client.force_login(assistant)

    def rows(**query):
        page = client.get(reverse("fees:permit_list"), query)
        return [p.number for p in page.context["table"].page.object_list.data]

    assert rows(sort="number") == [a.number, b.number]
    assert rows(sort="-number") == [b.number, a.number]
    assert rows(status="expired") == [b.number]
    assert rows(status="active") == [a.number]
    assert rows(contractor="乙") == [b.number]
    assert rows(unit="c-1") == [b.number]
    assert rows(worker="张") == [a.number]


def test_lists_refuse_users_without_view_permit(department, client):
    client.force_login(department)
    for name in ("permit_list", "permit_expiring", "permit_not_returned"):
        assert client.get(reverse(f"fees:{name}")).status_code == 403


# --- the printed card --------------------------------------------------------------------


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def test_card_pdf_shows_number_and_masked_id(assistant, client, contractor, unit):
    photo = SimpleUploadedFile("p.png", REAL_PNG)
    receipt, permits, _created = issue(
        assistant, contractor, unit, workers=[worker(photo=photo), worker("李四")]
    )
    client.force_login(assistant)
    response = client.get(reverse("fees:permit_receipt_cards", args=[receipt.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader, pages = pdf_text(response.content)
    assert len(pages) == 2
    for permit, text in zip(permits, pages, strict=True):
        assert permit.number in text
        assert permit.id_number_masked in text
        assert permit.id_number not in text
        assert permit.worker_name in text
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == (85.6, 54.0)
    single = client.get(reverse("fees:permit_card", args=[permits[1].pk]))
    _reader, pages = pdf_text(single.content)
    assert len(pages) == 1 and permits[1].number in pages[0]


def test_card_of_an_ended_permit_is_not_printed(assistant, finance, client, contractor, unit):
    permit = permit_return(by=assistant, permit=issued_permit(assistant, contractor, unit))
    client.force_login(assistant)
    response = client.get(reverse("fees:permit_card", args=[permit.pk]))
    assert response["Location"] == permit.get_absolute_url()
    client.force_login(finance)
    assert client.get(reverse("fees:permit_card", args=[permit.pk])).status_code == 403


def test_the_receipt_note_is_chinese_whoever_issues(assistant, contractor, unit):
    # The tests run in English; the note is printed on a Chinese receipt all the same.
    receipt, _permits, _created = issue(
        assistant, contractor, unit, workers=[worker("张三"), worker("李四", phone="13900139000")]
    )
    assert receipt.note == "装修人员出入证：张三、李四"
