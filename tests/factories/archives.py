import random
from datetime import date
from decimal import Decimal

import factory

from archives.models import (
    DEFAULT_RETENTION,
    CentreRecord,
    Contractor,
    NoticeDelivery,
    Occupancy,
    OccupancyRole,
    RecordKind,
    Retention,
    Tenant,
    TenantKind,
    Unit,
    Volume,
    record_number,
)
from config.demo import make_credit_code, make_mobile, make_resident_id
from config.roles import Role
from tests.factories.people import staff

_rng = random.Random(7)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"A-{1 + n // 100 % 9}-{n % 100:02d}")
    area = Decimal("80.00")


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Faker("company", locale="zh_CN")
    kind = TenantKind.COMPANY
    credit_code = factory.LazyFunction(lambda: make_credit_code(_rng))
    contact_name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyFunction(lambda: make_resident_id(_rng))
    phone = factory.LazyFunction(lambda: make_mobile(_rng))
    last_verified_on = factory.LazyFunction(date.today)


class OccupancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupancy

    unit = factory.SubFactory(UnitFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = OccupancyRole.LESSEE
    moved_in_on = date(2025, 3, 1)


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contractor

    name = factory.Faker("company", locale="zh_CN")
    credit_code = factory.LazyFunction(lambda: make_credit_code(_rng))
    contact_name = factory.Faker("name", locale="zh_CN")
    phone = factory.LazyFunction(lambda: make_mobile(_rng))


# --- tenant files (一户一档) -----------------------------------------------------------------


def tenant_file(occupancy=None, *, by=None, kind="in_business", cabinet="A柜", box="1盒", **kw):
    """A tenant file opened by the desk (archives.services.file_open) for ``occupancy``'s
    unit and tenant (a new occupancy when none is given), opened on its move-in date."""
    from archives.services import file_open
    from tests.factories.people import staff

    occupancy = occupancy or OccupancyFactory()
    return file_open(
        by=by or staff("assistant"),
        unit=occupancy.unit,
        tenant=occupancy.tenant,
        kind=kind,
        opened_on=kw.pop("opened_on", occupancy.moved_in_on),
        cabinet=cabinet,
        box=box,
        **kw,
    )


def file_document(tenant_file, code: str, *, by=None, **kw):
    """A document of the catalogue's type ``code`` filed in ``tenant_file`` (no scan unless
    ``upload`` is given)."""
    from archives.models import DocumentType
    from archives.services import document_add
    from tests.factories.people import staff

    doc_type = DocumentType.objects.get(code=code)
    return document_add(
        by=by or staff("assistant"),
        tenant_file=tenant_file,
        doc_type=doc_type,
        title=kw.pop("title", doc_type.name_zh),
        dated_on=kw.pop("dated_on", date(2025, 3, 1)),
        pages=kw.pop("pages", 2),
        **kw,
    )


# --- the centre's own records (archives.models.records) ----------------------------------


class VolumeFactory(factory.django.DjangoModelFactory):
    """A volume numbered after the factory's others of its year (the service numbers real
    ones through their series)."""

    class Meta:
        model = Volume

    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"客服中心收发文 第{n + 1}卷")
    retention = Retention.YEARS_30
    cabinet = "档案柜1"
    box = factory.Sequence(lambda n: f"盒{n + 1}")
    created_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))


class CentreRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreRecord

    kind = RecordKind.LETTER_IN
    date = date(2026, 3, 2)
    year = factory.LazyAttribute(lambda o: o.date.year)
    sequence = factory.Sequence(lambda n: 1000 + n)
    number = factory.LazyAttribute(lambda o: record_number(o.kind, o.year, o.sequence))
    title = factory.Sequence(lambda n: f"关于步行街第{n + 1}号事项的函")
    correspondent = "区市场监督管理局"
    pages = 2
    retention = factory.LazyAttribute(lambda o: DEFAULT_RETENTION[RecordKind(o.kind)])
    registered_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))


class NoticeDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeDelivery

    notice = factory.SubFactory(CentreRecordFactory, kind=RecordKind.NOTICE)
    unit = factory.SubFactory(UnitFactory)
    sent_by = factory.LazyFunction(lambda: staff(Role.ASSISTANT))


# --- retention (archives.retention) ----------------------------------------------------------


def closed_file(closed_on: date, *, by=None, before_closing=None):
    """A tenant file of a tenant who moved in years before ``closed_on`` and handed the shop
    back on it (收铺, archives.services.occupancy_hand_over): closed that day, a moved-out
    file whose retention counts from the end of that year. ``before_closing(file)`` files
    what the open file holds."""
    from archives.services import file_mark_moved_out, occupancy_hand_over
    from tests.factories.people import staff

    by = by or staff("assistant")
    occupancy = OccupancyFactory(moved_in_on=date(closed_on.year - 5, 3, 1))
    made = tenant_file(occupancy, by=by)
    if before_closing is not None:
        before_closing(made)
    occupancy_hand_over(
        occupancy=occupancy,
        by=by,
        handed_over_on=closed_on,
        keys_returned=2,
        electricity_reading=None,
        water_reading=None,
        condition="完好",
    )
    occupancy.refresh_from_db()
    file_mark_moved_out(by=by, occupancy=occupancy)
    made.refresh_from_db()
    return made
