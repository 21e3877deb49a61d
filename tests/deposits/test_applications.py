"""Decoration applications: registered by the desk, approved or rejected by another person,
started, extended, inspected (failed, re-inspected, passed), closed; their permits issued
through fees and linked; violations recorded and resolved; the decoration deposit taken."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from config.roles import Role
from deposits.enums import ApplicationStatus, DepositKind, DepositStatus
from deposits.models import ApplicationPermit, DecorationApplication, Deposit
from deposits.services.applications import (
    ApplicationInput,
    application_approve,
    application_close,
    application_extend,
    application_permit_link,
    application_permits_issue,
    application_reject,
    application_start,
    application_submit,
    inspection_record,
)
from deposits.services.deposits import deposit_record, deposit_take
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare
from deposits.services.violations import violation_record, violation_resolve
from fees.models import Charge
from fees.services.permits import permit_return
from tests.factories.archives import ContractorFactory, OccupancyFactory
from tests.factories.deposits import (
    PATH,
    ApplicationPermitFactory,
    DecorationApplicationFactory,
    DepositFactory,
    ViolationFactory,
    advance,
    inspect,
    today,
    worker,
)
from tests.factories.fees import PermitFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def refusal(action) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        action()
    return refused.value.messages


def submit(by, occupancy=None, **changes) -> DecorationApplication:
    occupancy = occupancy or OccupancyFactory()
    data = {
        "unit": occupancy.unit,
        "tenant": occupancy.tenant,
        "contractor": ContractorFactory(),
        "scope": "重做吊顶",
        "planned_start": today(),
        "planned_end": today() + timedelta(days=30),
    } | changes
    return application_submit(by=by, data=ApplicationInput(**data))


# --- registration -------------------------------------------------------------------------


def test_the_desk_registers_a_numbered_application(assistant):
    first = submit(assistant)
    second = submit(assistant)
    year = today().year
    assert (first.number, second.number) == (f"D{year}-0001", f"D{year}-0002")
    assert (first.status, first.submitted_by, first.scope) == (
        ApplicationStatus.SUBMITTED,
        assistant,
        "重做吊顶",
    )
    assert first.history.first().history_change_reason == "submitted"


def test_a_registration_is_checked(assistant):
    occupancy = OccupancyFactory()
    stranger = OccupancyFactory().tenant
    assert refusal(lambda: submit(assistant, occupancy, tenant=stranger)) == [
        f"{stranger.name} is not the current tenant of unit {occupancy.unit.code}."
    ]
    assert refusal(lambda: submit(assistant, scope="  ")) == ["Describe the works."]
    assert refusal(lambda: submit(assistant, planned_end=today() + timedelta(days=367))) == [
        f"Enter a date from {today() - timedelta(days=30)} to {today() + timedelta(days=366)}."
    ]
    assert refusal(
        lambda: submit(assistant, planned_start=today() + timedelta(days=5), planned_end=today())
    ) == ["The planned end cannot be before the planned start."]
    retired = ContractorFactory(active=False)
    assert refusal(lambda: submit(assistant, contractor=retired)) == [
        "This contractor is no longer active."
    ]
    assert DecorationApplication.objects.count() == 0


def test_only_the_desk_registers_and_only_a_manager_decides(manager, finance, auditor, assistant):
    for user in (manager, finance, auditor):
        with pytest.raises(PermissionDenied):
            submit(user)
    application = submit(assistant)
    for user in (assistant, finance, auditor):
        with pytest.raises(PermissionDenied):
            application_approve(by=user, application=application)


def test_who_registered_never_decides_even_as_a_superuser(make_user):
    both = make_user("both", Role.ASSISTANT, Role.MANAGER, is_superuser=True)
    application = submit(both)
    message = ["You registered this application: another manager must decide it."]
    assert refusal(lambda: application_approve(by=both, application=application)) == message
    assert (
        refusal(lambda: application_reject(by=both, application=application, reason="不符"))
        == message
    )


def test_a_rejection_says_why_and_is_final(assistant, manager):
    application = submit(assistant)
    assert refusal(lambda: application_reject(by=manager, application=application, reason=" ")) == [
        "A rejection needs a reason."
    ]
    application = application_reject(by=manager, application=application, reason="涉及承重墙改动")
    assert (application.status, application.rejection_reason, application.decided_by) == (
        ApplicationStatus.REJECTED,
        "涉及承重墙改动",
        manager,
    )
    assert refusal(lambda: application_approve(by=manager, application=application)) == [
        "Only a submitted application can be approved."
    ]


# --- every transition ---------------------------------------------------------------------


def moves(manager, assistant):
    """Each action of the application services: (act, message when refused, target)."""
    return {
        "approve": (
            lambda a: application_approve(by=manager, application=a),
            "Only a submitted application can be approved.",
            ApplicationStatus.APPROVED,
        ),
        "reject": (
            lambda a: application_reject(by=manager, application=a, reason="不符"),
            "Only a submitted application can be rejected.",
            ApplicationStatus.REJECTED,
        ),
        "start": (
            lambda a: application_start(by=assistant, application=a, started_on=today()),
            "Only an approved decoration can start.",
            ApplicationStatus.IN_PROGRESS,
        ),
        "fail": (
            lambda a: inspect(a, passed=False, by=assistant),
            "Only a decoration in progress, or one to re-inspect, can be inspected.",
            ApplicationStatus.FAILED,
        ),
        "pass": (
            lambda a: inspect(a, passed=True, by=assistant),
            "Only a decoration in progress, or one to re-inspect, can be inspected.",
            ApplicationStatus.PASSED,
        ),
        "close": (
            lambda a: application_close(by=assistant, application=a),
            "Only a decoration whose final inspection passed can be closed.",
            ApplicationStatus.CLOSED,
        ),
    }


ALLOWED = {
    ApplicationStatus.SUBMITTED: {"approve", "reject"},
    ApplicationStatus.APPROVED: {"start"},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.IN_PROGRESS: {"fail", "pass"},
    ApplicationStatus.FAILED: {"fail", "pass"},
    ApplicationStatus.PASSED: {"close"},
    ApplicationStatus.CLOSED: set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
def test_every_move_of_an_application_is_allowed_or_refused(status):
    manager = UserFactory(username="deciding-manager", roles=[Role.MANAGER])
    assistant = UserFactory(username="desk", roles=[Role.ASSISTANT])
    for name, (act, message, target) in moves(manager, assistant).items():
        application = DecorationApplicationFactory(status=status)
        if name in ALLOWED[status]:
            act(application)
            assert DecorationApplication.objects.get(pk=application.pk).status == target, name
        else:
            assert refusal(lambda act=act, a=application: act(a)) == [message], name
            assert DecorationApplication.objects.get(pk=application.pk).status == status


def test_the_walk_of_the_factory_is_the_enum_s():
    assert all(ApplicationStatus(s).can_become(t) for s, t in zip(PATH, PATH[1:], strict=False))


def test_the_works_start_between_the_approval_and_today(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    assert refusal(
        lambda: application_start(
            by=assistant, application=application, started_on=today() + timedelta(days=1)
        )
    ) == [f"The works cannot start before the approval ({today()}) or after today."]


# --- extensions ---------------------------------------------------------------------------


def test_an_extension_moves_the_end_later_with_its_reason(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    first_end = application.planned_end
    extension = application_extend(
        by=assistant,
        application=application,
        new_end=first_end + timedelta(days=10),
        reason="材料延迟到货",
    )
    assert (extension.previous_end, extension.new_end, extension.reason) == (
        first_end,
        first_end + timedelta(days=10),
        "材料延迟到货",
    )
    application.refresh_from_db()
    assert application.planned_end == first_end + timedelta(days=10)
    assert application.history.first().history_change_reason == "extended: 材料延迟到货"
    assert refusal(
        lambda: application_extend(
            by=assistant, application=application, new_end=first_end, reason="再延"
        )
    ) == [f"The new end must be after the present one ({first_end + timedelta(days=10)})."]
    assert refusal(
        lambda: application_extend(
            by=assistant, application=application, new_end=first_end + timedelta(days=20), reason=""
        )
    ) == ["An extension needs a reason."]


@pytest.mark.parametrize(
    "status", [ApplicationStatus.SUBMITTED, ApplicationStatus.PASSED, ApplicationStatus.REJECTED]
)
def test_only_a_decoration_under_way_is_extended(assistant, status):
    application = DecorationApplicationFactory(status=status)
    assert refusal(
        lambda: application_extend(
            by=assistant,
            application=application,
            new_end=application.planned_end + timedelta(days=5),
            reason="延期",
        )
    ) == ["Only an approved decoration that is not accepted yet can be extended."]


# --- permits ------------------------------------------------------------------------------


def test_permits_are_issued_through_fees_and_linked(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    receipt, permits, created = application_permits_issue(
        by=assistant,
        application=application,
        workers=[worker("张三"), worker("李四")],
        valid_from=today(),
        valid_to=today() + timedelta(days=20),
        method="cash",
        request_key=uuid.uuid4(),
        with_card_deposit=True,
    )
    assert created is True
    assert [(p.contractor, p.unit) for p in permits] == [
        (application.contractor, application.unit)
    ] * 2
    assert list(
        ApplicationPermit.objects.filter(application=application).values_list("permit", flat=True)
    ) == [p.pk for p in permits]
    assert Deposit.objects.filter(permit__in=permits, kind=DepositKind.PERMIT_CARD).count() == 2
    assert receipt.total == D("160.00")


def test_permits_end_by_the_decoration_s_planned_end(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    assert refusal(
        lambda: application_permits_issue(
            by=assistant,
            application=application,
            workers=[worker()],
            valid_from=today(),
            valid_to=application.planned_end + timedelta(days=1),
            method="cash",
        )
    ) == [
        f"The permits must end by the decoration's planned end ({application.planned_end}): "
        "extend the decoration first."
    ]


def test_no_permit_for_a_decoration_not_under_way(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.SUBMITTED)
    assert refusal(
        lambda: application_permits_issue(
            by=assistant,
            application=application,
            workers=[worker()],
            valid_from=today(),
            valid_to=today(),
            method="cash",
        )
    ) == ["Permits are issued for an approved decoration that is not accepted yet."]


def test_a_permit_issued_at_the_desk_is_linked_once_to_its_decoration(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    permit = PermitFactory(contractor=application.contractor, unit=application.unit)
    link = application_permit_link(by=assistant, application=application, permit=permit)
    assert (link.application, link.permit) == (application, permit)
    assert refusal(
        lambda: application_permit_link(by=assistant, application=application, permit=permit)
    ) == [f"Permit {permit.number} belongs to a decoration already."]
    stranger = PermitFactory()
    assert refusal(
        lambda: application_permit_link(by=assistant, application=application, permit=stranger)
    ) == [f"Permit {stranger.number} is for another contractor or unit than this decoration."]


# --- inspections --------------------------------------------------------------------------


def test_an_inspection_fails_with_items_then_passes_on_re_inspection(assistant, department):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    failed = inspection_record(
        by=assistant,
        application=application,
        inspected_on=today(),
        inspector=department,
        result="fail",
        items=["墙面开裂", " ", "消防喷淋未恢复"],
        remarks="一周内整改",
    )
    assert [(i.position, i.description) for i in failed.items.all()] == [
        (1, "墙面开裂"),
        (2, "消防喷淋未恢复"),
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED
    passed = inspection_record(
        by=assistant,
        application=application,
        inspected_on=today(),
        inspector=department,
        result="pass",
        items=[],
    )
    application.refresh_from_db()
    assert (application.status, passed.passed, passed.inspector) == (
        ApplicationStatus.PASSED,
        True,
        department,
    )
    assert [r for r in application.history.values_list("history_change_reason", flat=True)][:2] == [
        f"inspection passed: {today()}",
        f"inspection failed: {today()}",
    ]


def test_an_inspection_is_checked(assistant, department):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)

    def record(**changes):
        values = {
            "by": assistant,
            "application": application,
            "inspected_on": today(),
            "inspector": department,
            "result": "fail",
            "items": ["墙面开裂"],
        } | changes
        return lambda: inspection_record(**values)

    assert refusal(record(items=["  "])) == ["A failed inspection lists the items to fix."]
    assert refusal(record(result="maybe")) == ["Choose the inspection's result."]
    assert refusal(record(inspector=None)) == ["Name the inspector."]
    assert refusal(record(inspected_on=today() + timedelta(days=1))) == [
        f"The inspection's date must be from the start of the works ({today()}) to today."
    ]
    assert refusal(record(items=["x"] * 31)) == ["List at most 30 items."]
    application.refresh_from_db()
    assert (application.status, application.inspections.count()) == (
        ApplicationStatus.IN_PROGRESS,
        0,
    )


# --- closing ------------------------------------------------------------------------------


def test_a_decoration_closes_when_its_cards_are_back_and_its_deposit_settled(
    assistant, manager, finance
):
    link = ApplicationPermitFactory(with_card_deposit=False)
    application = link.application
    deposit = DepositFactory(application=application)
    advance(application, ApplicationStatus.PASSED)
    assert refusal(lambda: application_close(by=assistant, application=application)) == [
        f"Permits {link.permit.number} are not back yet."
    ]
    permit_return(by=assistant, permit=link.permit)
    assert refusal(lambda: application_close(by=assistant, application=application)) == [
        "A deposit of this decoration is still held."
    ]
    refund = refund_prepare(
        by=assistant, deposit=deposit, amount=D("5000.00"), deductions=[], receipt_collected=True
    )
    refund_approve(by=manager, refund=refund)
    refund_pay(by=finance, refund=refund, method="cash", paid_on=today())
    application = application_close(by=assistant, application=application)
    assert (application.status, application.closed_by) == (ApplicationStatus.CLOSED, assistant)


# --- the decoration deposit ---------------------------------------------------------------


def test_the_deposit_is_taken_on_a_receipt_of_the_decoration_deposit_fee(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    key = uuid.uuid4()
    deposit, created = deposit_take(
        by=assistant,
        application=application,
        method="transfer",
        reference="TRF-0091",
        request_key=key,
    )
    line = deposit.receipt_line
    assert (created, deposit.kind, deposit.amount, deposit.status) == (
        True,
        DepositKind.DECORATION,
        D("5000.00"),
        DepositStatus.HELD,
    )
    assert (line.fee_type.code, line.amount, line.receipt.tenant, line.receipt.note) == (
        "decoration_deposit",
        D("5000.00"),
        application.tenant,
        application.number,
    )
    assert (deposit.tenant, deposit.unit, deposit.payer_name) == (
        application.tenant,
        application.unit,
        application.tenant.name,
    )
    again, created = deposit_take(
        by=assistant, application=application, method="transfer", reference="x", request_key=key
    )
    assert (again, created) == (deposit, False)
    assert refusal(lambda: deposit_take(by=assistant, application=application, method="cash")) == [
        "This decoration holds a deposit already."
    ]


def test_the_contractor_may_pay_the_deposit_of_another_amount(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    deposit, _created = deposit_take(
        by=assistant, application=application, method="cash", amount="8000", payer_kind="contractor"
    )
    assert (deposit.amount, deposit.contractor, deposit.tenant, deposit.payer_name) == (
        D("8000.00"),
        application.contractor,
        None,
        application.contractor.name,
    )


@pytest.mark.parametrize(
    "status", [ApplicationStatus.REJECTED, ApplicationStatus.PASSED, ApplicationStatus.CLOSED]
)
def test_no_deposit_is_taken_once_the_works_are_accepted_or_refused(assistant, status):
    application = DecorationApplicationFactory(status=status)
    assert refusal(lambda: deposit_take(by=assistant, application=application, method="cash")) == [
        "A decoration's deposit is taken before its works are accepted."
    ]


def test_only_the_desk_takes_deposits(manager, finance):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    for user in (manager, finance):
        with pytest.raises(PermissionDenied):
            deposit_take(by=user, application=application, method="cash")


# --- violations ---------------------------------------------------------------------------


def test_a_violation_bills_its_penalty_as_a_charge_of_the_tenant(assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    violation = violation_record(
        by=assistant,
        application=application,
        description="夜间施工扰民",
        occurred_on=today(),
        penalty=D("500.00"),
    )
    charge = violation.penalty
    assert (violation.tenant, violation.unit, violation.is_open) == (
        application.tenant,
        application.unit,
        True,
    )
    assert (charge.tenant, charge.unit, charge.amount, charge.fee_type.code, charge.due_on) == (
        application.tenant,
        application.unit,
        D("500.00"),
        "penalty",
        today() + timedelta(days=15),
    )
    assert Charge.objects.count() == 1


def test_a_violation_is_checked_and_resolved_once(assistant):
    unit_only = OccupancyFactory().unit
    assert refusal(
        lambda: violation_record(by=assistant, description="x", occurred_on=today())
    ) == ["Say whom the violation is against."]
    assert refusal(
        lambda: violation_record(by=assistant, unit=unit_only, description=" ", occurred_on=today())
    ) == ["Say what happened."]
    assert refusal(
        lambda: violation_record(
            by=assistant,
            unit=unit_only,
            description="堵塞通道",
            occurred_on=today(),
            penalty=D("50"),
        )
    ) == ["A penalty is billed to a tenant: name the tenant."]
    assert refusal(
        lambda: violation_record(
            by=assistant,
            unit=unit_only,
            description="堵塞通道",
            occurred_on=today() - timedelta(days=91),
        )
    ) == ["The date must be within the last 90 days."]
    violation = ViolationFactory(penalty=None)
    assert refusal(lambda: violation_resolve(by=assistant, violation=violation, resolution="")) == [
        "Say how it was put right."
    ]
    resolved = violation_resolve(by=assistant, violation=violation, resolution="已清理")
    assert (resolved.resolved_on, resolved.resolved_by, resolved.is_open) == (
        today(),
        assistant,
        False,
    )
    assert refusal(
        lambda: violation_resolve(by=assistant, violation=violation, resolution="x")
    ) == ["This violation was resolved already."]


def test_a_deposit_line_issued_at_the_receipt_desk_is_recorded_once(assistant):
    from fees.models import FeeType
    from fees.services.receipts import LineInput, Payer, receipt_issue

    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    receipt, _created = receipt_issue(
        by=assistant,
        payer=Payer(kind="tenant", tenant=application.tenant),
        lines=[
            LineInput(
                fee_type=FeeType.objects.get(code="decoration_deposit"),
                unit_price=D("3000.00"),
            )
        ],
        method="cash",
        unit=application.unit,
    )
    line = receipt.lines.get()
    assert refusal(lambda: deposit_record(by=assistant, line=line)) == [
        "Name the decoration the deposit is for."
    ]
    other = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    assert refusal(lambda: deposit_record(by=assistant, line=line, application=other)) == [
        f"The receipt is for another unit than decoration {other.number}."
    ]
    deposit = deposit_record(by=assistant, line=line, application=application)
    assert (deposit.kind, deposit.amount, deposit.application, deposit.tenant) == (
        DepositKind.DECORATION,
        D("3000.00"),
        application,
        application.tenant,
    )
    assert refusal(lambda: deposit_record(by=assistant, line=line, application=application)) == [
        "The receipt's line holds ¥3,000.00: it is recorded as deposits already."
    ]


def test_a_card_deposit_line_or_a_fee_line_is_not_recorded_by_hand(assistant):
    link = ApplicationPermitFactory()
    card_line = link.permit.receipt.lines.get(fee_type__code="permit_card_deposit")
    fee_line = link.permit.receipt.lines.get(fee_type__code="permit_fee")
    assert refusal(lambda: deposit_record(by=assistant, line=card_line)) == [
        "A permit card's deposit is taken with its permit."
    ]
    assert refusal(lambda: deposit_record(by=assistant, line=fee_line)) == [
        "Only a line of a deposit fee can hold a deposit."
    ]
