"""Finding in the register as it grows: the search box and the lists' text filters match the
start of what is typed (config.search); the lookup fields' suggestions; units sorted by
their current tenant without a subquery per unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archives.models import Tenant, TenantKind
from tests.factories.archives import ContractorFactory, OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db


def search(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response


@pytest.fixture
def register():
    zhang = TenantFactory(name="张伟", contact_name="王芳", phone="13800001234")
    zhang_ming = TenantFactory(name="张伟明", contact_name="李四", phone="13900005678")
    li = TenantFactory(name="李张伟", contact_name="张三", phone="13700009999")
    OccupancyFactory(unit=UnitFactory(code="A-1-05"), tenant=zhang)
    OccupancyFactory(unit=UnitFactory(code="B-1-05"), tenant=li)
    return {"张伟": zhang, "张伟明": zhang_ming, "李张伟": li}


def names(tenants) -> list[str]:
    return sorted(t.name for t in tenants)


@pytest.mark.parametrize(
    ("typed", "tenants"),
    [
        ("张伟", ["张伟", "张伟明"]),
        ("张", ["张伟", "张伟明", "李张伟"]),  # 李张伟's contact is 张三
        ("伟", []),
        ("王", ["张伟"]),  # the contact person
        ("1380000", ["张伟"]),  # the start of the mobile, for who may read it whole
        ("1234", []),
        ("%", []),
        ("_", []),
    ],
)
def test_search_finds_tenants_by_the_start(client, manager, register, typed, tenants):
    client.force_login(manager)
    assert names(search(client, typed).context["tenants"]) == tenants


@pytest.mark.parametrize(
    ("typed", "units"),
    [("a-1", ["A-1-05"]), ("A-1-05", ["A-1-05"]), ("1-05", []), ("", [])],
)
def test_search_finds_units_by_the_start_of_their_code(client, manager, register, typed, units):
    client.force_login(manager)
    found = search(client, typed).context["units"]
    assert [u.code for u in found or []] == units


def test_search_by_mobile_only_for_who_may_read_it(client, make_user, register):
    from config.roles import Role

    client.force_login(make_user("finance", Role.FINANCE))
    assert search(client, "1380000").context["tenants"] == []


def test_search_takes_the_same_queries_for_one_match_or_many(
    client, manager, django_assert_num_queries
):
    client.force_login(manager)
    OccupancyFactory(tenant=TenantFactory(name="赵一"))
    search(client, "赵")
    with CaptureQueriesContext(connection) as one:
        search(client, "赵")
    for n in range(2, 5):
        OccupancyFactory(tenant=TenantFactory(name=f"赵{n}"))
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(search(client, "赵").context["tenants"]) == 4


def test_the_tenant_filter_matches_the_start(client, manager, register):
    client.force_login(manager)
    response = client.get(reverse("archives:tenant_list"), {"q": "张伟"})
    assert names(r.record for r in response.context["table"].page.object_list) == [
        "张伟",
        "张伟明",
    ]
    assert str(response.context["filter"].form.fields["q"].help_text) == "Matches the start."


def test_the_occupancy_filters_match_the_start(client, manager, register):
    client.force_login(manager)
    url = reverse("archives:occupancy_list")
    rows = client.get(url, {"tenant": "张"}).context["table"].page.object_list
    assert [r.record.tenant.name for r in rows] == ["张伟"]
    rows = client.get(url, {"unit": "b-1"}).context["table"].page.object_list
    assert [r.record.unit.code for r in rows] == ["B-1-05"]


def test_the_contractor_filter_matches_the_start_of_name_or_credit_code(client, manager):
    hengda = ContractorFactory(name="恒达装饰", credit_code="91440300MA5FXXXX1X")
    ContractorFactory(name="华美恒达")
    client.force_login(manager)
    url = reverse("archives:contractor_list")
    for typed in ("恒达", "91440300ma5f"):
        rows = client.get(url, {"q": typed}).context["table"].page.object_list
        assert [r.record for r in rows] == [hengda]


# --- suggestions ---------------------------------------------------------------------------


def test_suggestions_offer_at_most_ten_active_contractors_as_options(client, assistant):
    made = [ContractorFactory(name=f"恒达{n:02d}") for n in range(12)]
    ContractorFactory(name="恒达00旧", active=False)
    client.force_login(assistant)
    response = client.get(reverse("archives:contractor_suggestions"), {"contractor": "恒达"})
    assert response.status_code == 200
    options = response.content.decode().split("<option")[1:]
    assert [o.split('"')[1] for o in options] == [f"恒达{n:02d} #{made[n].pk}" for n in range(10)]


def test_suggestions_escape_markup(client, assistant):
    evil = TenantFactory(name='<b>"张"</b>')
    client.force_login(assistant)
    html = client.get(reverse("archives:tenant_suggestions"), {"tenant": "<b>"}).content.decode()
    assert f'value="&lt;b&gt;&quot;张&quot;&lt;/b&gt; #{evil.pk}"' in html
    assert "<b>" not in html


def test_suggestions_of_nothing_typed_are_none(client, assistant):
    TenantFactory(name="张伟")
    client.force_login(assistant)
    html = client.get(reverse("archives:tenant_suggestions"), {"tenant": " "}).content.decode()
    assert "<option" not in html


@pytest.mark.parametrize(
    "url_name", ["archives:tenant_suggestions", "archives:contractor_suggestions"]
)
def test_suggestions_only_for_who_may_read_the_list(client, department, url_name):
    # A department reads the units, never the tenants' names nor the contractors.
    TenantFactory(name="张伟", kind=TenantKind.PERSON)
    client.force_login(department)
    assert client.get(reverse(url_name), {"q": "张"}).status_code == 403


def test_suggestions_take_the_same_queries_for_one_or_ten(
    client, assistant, django_assert_num_queries
):
    client.force_login(assistant)
    url = reverse("archives:tenant_suggestions")
    TenantFactory(name="钱一")
    client.get(url, {"tenant": "钱"})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"tenant": "钱"})
    for n in range(20):
        TenantFactory(name=f"钱{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url, {"tenant": "钱"})
    assert Tenant.objects.count() == 21


# --- units by tenant -----------------------------------------------------------------------


def test_units_sorted_by_their_current_tenant_vacant_ones_last(client, manager):
    for code, tenant in [("A-1-01", "乙"), ("A-1-02", None), ("A-1-03", "甲"), ("A-1-04", "乙")]:
        unit = UnitFactory(code=code)
        if tenant:
            OccupancyFactory(unit=unit, tenant=TenantFactory(name=tenant))
    # A tenant who left is no longer the unit's.
    gone = OccupancyFactory(unit=UnitFactory(code="A-1-05"), tenant=TenantFactory(name="丙"))
    gone.handed_over_on = gone.moved_in_on
    gone.save()
    client.force_login(manager)
    url = reverse("archives:unit_list")
    for sort, expected in [
        # 乙 (U+4E59) before 甲 (U+7532); equal names by the code; vacant units last.
        ("current_tenant", ["A-1-01", "A-1-04", "A-1-03", "A-1-02", "A-1-05"]),
        ("-current_tenant", ["A-1-03", "A-1-01", "A-1-04", "A-1-02", "A-1-05"]),
    ]:
        rows = client.get(url, {"sort": sort}).context["table"].page.object_list
        assert [r.record.code for r in rows] == expected
