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
