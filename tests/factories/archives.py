import random
from datetime import date
from decimal import Decimal

import factory

from archives.models import Contractor, Occupancy, OccupancyRole, Tenant, TenantKind, Unit
from config.demo import make_credit_code, make_mobile, make_resident_id

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
