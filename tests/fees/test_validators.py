"""fees.validators: each rule once, with the message a service raises and the one a form puts
next to its field."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from config.validators import RuleError
from fees import validators
from fees.enums import DayState, PayerKind
from fees.forms.permits import LostForm
from fees.models import ReceiptBook, SpoiledPaperReceipt
from fees.services.receipts import Payer

pytestmark = pytest.mark.django_db


def refusal(rule, *args) -> tuple[str, str | None, str]:
    with pytest.raises(RuleError) as caught:
        rule(*args)
    return caught.value.messages[0], caught.value.field, caught.value.field_message


def test_a_non_cash_payment_needs_its_reference_worded_for_the_record_and_for_the_field():
    assert refusal(validators.validate_payment, "wechat", " ") == (
        "A non-cash payment needs its reference (transaction or voucher number).",
        "reference",
        "A non-cash payment needs its reference.",
    )
    validators.validate_payment("cash", "")
    assert refusal(validators.validate_payment, "cheque", "")[0] == "Choose a payment method."


def test_the_form_shows_the_rule_next_to_its_field():
    key = "8c5b1f1e-1f67-4f61-9c57-5f1b5b0f0a11"
    form = LostForm({"request_key": key, "reissue": "on", "method": "card"})
    assert form.errors == {"reference": ["A non-cash payment needs its reference."]}


@pytest.mark.parametrize(
    "payer, expected",
    [
        (
            Payer(kind=PayerKind.TENANT),
            (
                "Choose the tenant who pays.",
                "unit_code",
                "Enter the code of an occupied unit: its current tenant pays.",
            ),
        ),
        (
            Payer(kind=PayerKind.CONTRACTOR),
            ("Choose the contractor who pays.", "contractor", "Choose the contractor who pays."),
        ),
        (
            Payer(kind=PayerKind.PERSON, name=" "),
            ("Enter the payer's name.", "payer_name", "Enter the payer's name."),
        ),
        (
            Payer(kind="neighbour", name="李"),
            ("Choose who pays.", "payer_kind", "Choose who pays."),
        ),
    ],
)
def test_the_payer(payer, expected):
    assert refusal(validators.validate_payer, payer) == expected


def test_a_discount_and_its_reason():
    assert refusal(validators.validate_discount, 10, 10) == (
        "the discount must be at least 0 and less than the line's amount.",
        "discount",
        "The discount must be less than the line's amount.",
    )
    assert refusal(validators.validate_discount_reason, 5, " ")[1:] == (
        "discount_reason",
        "A discount needs a reason.",
    )
    validators.validate_discount_reason(0, "")


def test_a_discount_over_the_share_needs_the_manager(settings):
    settings.DISCOUNT_APPROVAL_SHARE = 0.2
    assert validators.discount_needs_approval(21, 100)
    assert not validators.discount_needs_approval(20, 100)
    with pytest.raises(RuleError) as caught:
        validators.validate_discount_approval(needed=True, approved=False)
    assert (caught.value.messages, caught.value.field) == (
        ["A discount over 20% of a line needs the manager's approval."],
        "approver_username",
    )
    validators.validate_discount_approval(needed=True, approved=True)
    assert not validators.may_approve_discounts(None)


def test_paper_numbers(assistant):
    book = ReceiptBook.objects.create(
        first_number=101, last_number=150, issued_to=assistant, issued_on=date(2026, 1, 5)
    )
    assert validators.validate_paper_number(book, 101) == "0000101"
    assert refusal(validators.validate_paper_number, book, 151)[0] == (
        "Number 151 is not in book 0000101–0000150."
    )
    SpoiledPaperReceipt.objects.create(
        book=book, paper_number="0000102", reason="撕坏", recorded_by=assistant
    )
    assert refusal(validators.validate_paper_number, book, 102)[0] == (
        "Paper receipt 0000102 was recorded as spoiled."
    )


def test_pieces_of_one_denomination():
    validators.validate_pieces(validators.MAX_PIECES)
    assert refusal(validators.validate_pieces, validators.MAX_PIECES + 1)[0] == (
        "A count of notes or coins must be from 0 to 100,000."
    )


def test_a_submitted_day_takes_no_receipt():
    validators.refuse_if_submitted(date(2026, 3, 2), DayState.OPEN)
    assert refusal(validators.refuse_if_submitted, date(2026, 3, 2), DayState.SUBMITTED)[0] == (
        "The takings of 2026-03-02 were submitted: no receipt can be issued or voided on that day."
    )


def test_a_permits_validity_names_the_field_to_correct():
    today = timezone.localdate()
    assert refusal(validators.check_validity, today - timedelta(days=1), today, today)[:2] == (
        "A permit cannot start in the past.",
        "valid_from",
    )
    assert refusal(validators.check_validity, today, today - timedelta(days=1), today)[:2] == (
        "The permit must end on or after its first day.",
        "valid_to",
    )


def test_an_id_number_is_normalised_or_refused():
    assert validators.check_id_number("passport", " e12-345 67 ") == "E1234567"
    assert refusal(validators.check_id_number, "passport", "E1")[:2] == (
        "An ID document number has 5 to 20 letters and digits.",
        "id_number",
    )
