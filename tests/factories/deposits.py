"""A factory for every model of deposits, each row made through the services, as the desk,
the manager and finance would make it (tests.factories.people.staff acts unless the test
names someone).

``DecorationApplicationFactory(status=...)`` walks an application through its states;
``DepositFactory`` takes a decoration's deposit on a receipt; ``RefundFactory(status=...)``
prepares (and approves, pays or returns) the refund of a deposit whose gate is open.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import factory

from config.permanence import maintenance
from config.roles import Role
from deposits.enums import ApplicationStatus, DeductionKind, InspectionResult, RefundStatus
from deposits.models import (
    ApplicationDocument,
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Deduction,
    DeductionPhoto,
    Deposit,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    MoveOut,
    MoveOutItem,
    MoveOutReading,
    Refund,
    Violation,
    ViolationPhoto,
)
from deposits.services.applications import (
    ApplicationInput,
    application_approve,
    application_close,
    application_document_add,
    application_extend,
    application_permits_issue,
    application_reject,
    application_start,
    application_submit,
    inspection_record,
)
from deposits.services.deposits import deposit_take
from deposits.services.gates import sync_all_gates
from deposits.services.moveouts import moveout_add_item, moveout_read_meter, moveout_start
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare, refund_return
from deposits.services.violations import violation_record
from deposits.validators import DeductionInput
from fees.services.permits import WorkerInput
from tests.factories.archives import ContractorFactory, OccupancyFactory
from tests.factories.fees import ServiceFactory, _rng, today
from tests.factories.people import staff
from tests.images import png_bytes

D = Decimal
DEPOSIT = D("5000.00")

# The order an application goes through its states, and the step that reaches each.
PATH = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.FAILED,
    ApplicationStatus.PASSED,
    ApplicationStatus.CLOSED,
]


def worker(name: str = "王师傅") -> WorkerInput:
    from config.demo import make_mobile, make_resident_id

    return WorkerInput(name, "resident_id", make_resident_id(_rng), make_mobile(_rng))


def png_upload(name: str = "photo.png", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def inspect(application, *, passed: bool, by=None, items=("墙面开裂",), photos=None):
    return inspection_record(
        by=by or staff(Role.ASSISTANT),
        application=application,
        inspected_on=today(),
        inspector=staff(Role.DEPARTMENT),
        result=InspectionResult.PASS if passed else InspectionResult.FAIL,
        items=[] if passed else list(items),
        photos=photos,
    )


def advance(application, status: str, *, desk=None, manager=None):
    """Walk the application on to ``status`` through the services (a failed inspection on
    the way to ``failed`` only)."""
    desk, manager = desk or staff(Role.ASSISTANT), manager or staff(Role.MANAGER)
    if status == ApplicationStatus.REJECTED:
        return application_reject(by=manager, application=application, reason="图纸不全")
    steps = PATH[PATH.index(application.status) + 1 : PATH.index(status) + 1]
    for step in steps:
        if step == ApplicationStatus.APPROVED:
            application = application_approve(by=manager, application=application)
        elif step == ApplicationStatus.IN_PROGRESS:
            application = application_start(by=desk, application=application, started_on=today())
        elif step == ApplicationStatus.FAILED:
            if status == ApplicationStatus.FAILED:
                inspect(application, passed=False, by=desk)
        elif step == ApplicationStatus.PASSED:
            inspect(application, passed=True, by=desk)
        elif step == ApplicationStatus.CLOSED:
            application_close(by=desk, application=application)
        application.refresh_from_db()
    return application


class DecorationApplicationFactory(ServiceFactory):
    """A decoration of the current tenant of a unit of its own, registered by the desk
    (application_submit) and walked on to ``status``."""

    class Meta:
        model = DecorationApplication

    submitted_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    occupancy = factory.SubFactory(OccupancyFactory)
    contractor = factory.SubFactory(ContractorFactory)
    scope = "拆除旧吊顶，重做地面与照明"
    planned_start = factory.LazyFunction(today)
    planned_end = factory.LazyAttribute(lambda o: o.planned_start + timedelta(days=60))
    status = ApplicationStatus.SUBMITTED

    @classmethod
    def _create(cls, model_class, *, submitted_by, occupancy, status, **kwargs):
        application = application_submit(
            by=submitted_by,
            data=ApplicationInput(unit=occupancy.unit, tenant=occupancy.tenant, **kwargs),
        )
        if status != ApplicationStatus.SUBMITTED:
            application = advance(application, status, desk=submitted_by)
        return application


class ApplicationExtensionFactory(ServiceFactory):
    class Meta:
        model = ApplicationExtension

    application = factory.SubFactory(
        DecorationApplicationFactory, status=ApplicationStatus.IN_PROGRESS
    )
    days = 15
    reason = "材料延迟到货"

    @classmethod
    def _create(cls, model_class, *, application, days, reason):
        return application_extend(
            by=staff(Role.ASSISTANT),
            application=application,
            new_end=application.planned_end + timedelta(days=days),
            reason=reason,
        )


class ApplicationPermitFactory(ServiceFactory):
    """A worker's permit issued for a decoration (its link), with a card deposit."""

    class Meta:
        model = ApplicationPermit

    application = factory.SubFactory(
        DecorationApplicationFactory, status=ApplicationStatus.IN_PROGRESS
    )
    with_card_deposit = True

    @classmethod
    def _create(cls, model_class, *, application, with_card_deposit):
        _receipt, permits, _created = application_permits_issue(
            by=staff(Role.ASSISTANT),
            application=application,
            workers=[worker()],
            valid_from=today(),
            valid_to=today() + timedelta(days=20),
            method="cash",
            request_key=uuid.uuid4(),
            with_card_deposit=with_card_deposit,
        )
        return ApplicationPermit.objects.get(permit=permits[0])


class InspectionFactory(ServiceFactory):
    """A failed inspection (one item to fix) of a decoration in progress."""

    class Meta:
        model = Inspection

    application = factory.SubFactory(
        DecorationApplicationFactory, status=ApplicationStatus.IN_PROGRESS
    )
    passed = False

    @classmethod
    def _create(cls, model_class, *, application, passed):
        return inspect(application, passed=passed)


class InspectionItemFactory(ServiceFactory):
    class Meta:
        model = InspectionItem

    @classmethod
    def _create(cls, model_class, **kwargs):
        return InspectionFactory().items.get()


class InspectionPhotoFactory(ServiceFactory):
    """The photo of the one item of a failed inspection."""

    class Meta:
        model = InspectionPhoto

    @classmethod
    def _create(cls, model_class, **kwargs):
        application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
        inspection = inspect(application, passed=False, photos={0: png_upload()})
        return inspection.items.get().photos.get()


class ApplicationDocumentFactory(ServiceFactory):
    """A drawing (a PNG) filed with a submitted decoration."""

    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(DecorationApplicationFactory)
    title = "平面布置图"

    @classmethod
    def _create(cls, model_class, *, application, title):
        return application_document_add(
            by=staff(Role.ASSISTANT),
            application=application,
            kind="drawing",
            title=title,
            upload=png_upload("plan.png", size=(120, 80)),
        )


class ViolationFactory(ServiceFactory):
    """A violation of a decoration in progress, with a penalty of 200.00 billed; with
    ``application=None``, of ``tenant`` or ``unit``."""

    class Meta:
        model = Violation

    application = factory.SubFactory(
        DecorationApplicationFactory, status=ApplicationStatus.IN_PROGRESS
    )
    tenant = None
    unit = None
    description = "未按规定时间施工"
    penalty = D("200.00")
    photo = None

    @classmethod
    def _create(cls, model_class, *, application, tenant, unit, description, penalty, photo):
        return violation_record(
            photo=photo,
            by=staff(Role.ASSISTANT),
            application=application,
            tenant=tenant,
            unit=unit,
            description=description,
            occurred_on=today(),
            penalty=penalty,
            penalty_due_on=today() + timedelta(days=15) if penalty else None,
        )


class ViolationPhotoFactory(ServiceFactory):
    """The evidence photo of a violation of a decoration in progress."""

    class Meta:
        model = ViolationPhoto

    @classmethod
    def _create(cls, model_class, **kwargs):
        return ViolationFactory(penalty=None, photo=png_upload()).photos.get()


class DepositFactory(ServiceFactory):
    """A decoration deposit of 5,000.00 taken in cash from the tenant (deposit_take)."""

    class Meta:
        model = Deposit

    taken_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    application = factory.SubFactory(
        DecorationApplicationFactory, status=ApplicationStatus.APPROVED
    )
    amount = DEPOSIT
    method = "cash"

    @classmethod
    def _create(cls, model_class, *, taken_by, application, amount, method):
        deposit, _created = deposit_take(
            by=taken_by,
            application=application,
            method=method,
            reference="" if method == "cash" else "POS-1",
            amount=amount,
            request_key=uuid.uuid4(),
        )
        return deposit


def accepted_deposit(amount: Decimal = DEPOSIT, **kwargs) -> Deposit:
    """A decoration deposit whose gate is open: its works passed inspection, nothing is
    owed or out."""
    deposit = DepositFactory(amount=amount, **kwargs)
    advance(deposit.application, ApplicationStatus.PASSED)
    return Deposit.objects.get(pk=deposit.pk)


class RefundFactory(ServiceFactory):
    """The refund of an accepted decoration deposit of 5,000.00 with one deduction of
    300.00 for damage, prepared by the desk and walked on to ``status``."""

    class Meta:
        model = Refund

    prepared_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    deposit = factory.LazyFunction(accepted_deposit)
    deductions = factory.LazyFunction(
        lambda: [DeductionInput(kind=DeductionKind.DAMAGE, reason="地砖破损", amount=D("300.00"))]
    )
    status = RefundStatus.REQUESTED

    @classmethod
    def _create(cls, model_class, *, prepared_by, deposit, deductions, status):
        kept = sum((item.amount for item in deductions), D("0"))
        refund = refund_prepare(
            by=prepared_by,
            deposit=deposit,
            amount=deposit.amount - kept,
            deductions=deductions,
            receipt_collected=True,
        )
        manager = staff(Role.MANAGER)
        if status == RefundStatus.RETURNED:
            return refund_return(by=manager, refund=refund, comment="扣款依据不足")
        if status in (RefundStatus.APPROVED, RefundStatus.PAID):
            refund = refund_approve(by=manager, refund=refund)
        if status == RefundStatus.PAID:
            refund = refund_pay(
                by=staff(Role.FINANCE), refund=refund, method="cash", paid_on=today()
            )
        return refund


class DeductionFactory(ServiceFactory):
    """The deduction itemised in a refund request."""

    class Meta:
        model = Deduction

    @classmethod
    def _create(cls, model_class, **kwargs):
        return RefundFactory(**kwargs).deductions.get()


class DeductionPhotoFactory(ServiceFactory):
    """The photo of a deduction itemised, with it, in a refund request."""

    class Meta:
        model = DeductionPhoto

    @classmethod
    def _create(cls, model_class, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.images import png_bytes

        photo = SimpleUploadedFile("tiles.png", png_bytes(), content_type="image/png")
        deductions = [
            DeductionInput(
                kind=DeductionKind.DAMAGE, reason="地砖破损", amount=D("300.00"), photo=photo
            )
        ]
        return RefundFactory(deductions=deductions, **kwargs).deductions.get().photo


# --- shop handovers (收铺) ----------------------------------------------------------------


class MoveOutFactory(ServiceFactory):
    """An open shop handover of a current occupancy, started by the desk today with 3 keys
    issued and no late fee."""

    class Meta:
        model = MoveOut

    started_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))
    occupancy = factory.SubFactory(OccupancyFactory)
    keys_issued = 3
    late_daily_fee = D("0.00")

    @classmethod
    def _create(cls, model_class, *, started_by, occupancy, keys_issued, late_daily_fee):
        return moveout_start(
            by=started_by,
            occupancy=occupancy,
            planned_on=today(),
            keys_issued=keys_issued,
            late_daily_fee=late_daily_fee,
        )


class MoveOutReadingFactory(ServiceFactory):
    """The water meter's final reading: 12.50 m³ at 3.50, billed 43.75."""

    class Meta:
        model = MoveOutReading

    moveout = factory.SubFactory(MoveOutFactory)

    @classmethod
    def _create(cls, model_class, *, moveout):
        return moveout_read_meter(
            by=staff(Role.ASSISTANT),
            moveout=moveout,
            meter="water",
            previous="100.00",
            final="112.50",
            unit_price="3.50",
        )


class MoveOutItemFactory(ServiceFactory):
    """A condition item priced 300.00 (billed to the tenant)."""

    class Meta:
        model = MoveOutItem

    moveout = factory.SubFactory(MoveOutFactory)

    @classmethod
    def _create(cls, model_class, *, moveout):
        return moveout_add_item(
            by=staff(Role.ASSISTANT), moveout=moveout, description="墙面污损", price="300.00"
        )


# --- one of each page's record, for the tests that walk every URL -------------------------


def deposit_records(desk) -> dict[str, dict]:
    """URL arguments of a record of each deposits page: a submitted decoration with a
    drawing (registered by ``desk``, so that the manager may decide it), one in progress
    inspected with an item's photo, a violation with its evidence photo, a deposit whose gate
    is open, a refund awaiting the manager, an approved one, and a deduction's photo."""
    application = DecorationApplicationFactory(submitted_by=desk)
    document = application_document_add(
        by=desk, application=application, kind="drawing", title="平面图", upload=png_upload()
    )
    working = DecorationApplicationFactory(submitted_by=desk, status="in_progress")
    inspection = inspection_record(
        by=desk,
        application=working,
        inspected_on=working.started_on,
        inspector=desk,
        result="fail",
        items=["墙面开裂"],
        photos={0: png_upload()},
    )
    violation = violation_record(
        by=desk,
        application=working,
        description="未按规定时间施工",
        occurred_on=working.started_on,
        photo=png_upload(),
    )
    return {
        "application": {"pk": application.pk},
        "application_document": {"pk": document.pk},
        "inspection_photo": {"pk": inspection.items.get().photos.get().pk},
        "violation": {"pk": violation.pk},
        "violation_photo": {"pk": violation.photos.get().pk},
        "deposit": {"pk": accepted_deposit().pk},
        "refund": {"pk": RefundFactory().pk},
        "approved_refund": {"pk": RefundFactory(status=RefundStatus.APPROVED).pk},
        "deduction": {"pk": DeductionPhotoFactory().deduction_id},
    }


@contextmanager
def back_dated() -> Iterator[None]:
    """maintenance(), to move records into the past; then each deposit's stored gate is
    written again from them (services.gates), since the services that keep it were
    bypassed, as `manage.py deposit_gates --fix` would."""
    with maintenance():
        yield
    sync_all_gates()
