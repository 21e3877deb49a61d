from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from archives.models import Occupancy, Tenant, Unit, UnitStatus
from config.demo import make_credit_code, make_resident_id
from tests.factories.archives import ContractorFactory, OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db


# --- who may do what ---------------------------------------------------------------------


def register_urls():
    unit = UnitFactory()
    tenant = TenantFactory()
    occupancy = OccupancyFactory(unit=UnitFactory(), tenant=tenant)
    contractor = ContractorFactory()
    return {
        "unit_list": reverse("archives:unit_list"),
        "unit_detail": reverse("archives:unit_detail", args=[unit.pk]),
        "unit_create": reverse("archives:unit_create"),
        "unit_update": reverse("archives:unit_update", args=[unit.pk]),
        "tenant_list": reverse("archives:tenant_list"),
        "tenant_detail": reverse("archives:tenant_detail", args=[tenant.pk]),
        "tenant_create": reverse("archives:tenant_create"),
        "tenant_move_in": reverse("archives:tenant_move_in", args=[tenant.pk]),
        "occupancy_list": reverse("archives:occupancy_list"),
        "occupancy_detail": reverse("archives:occupancy_detail", args=[occupancy.pk]),
        "contractor_list": reverse("archives:contractor_list"),
        "contractor_detail": reverse("archives:contractor_detail", args=[contractor.pk]),
        "contractor_create": reverse("archives:contractor_create"),
    }


READ = {
    "unit_list",
    "unit_detail",
    "tenant_list",
    "tenant_detail",
    "occupancy_list",
    "occupancy_detail",
    "contractor_list",
    "contractor_detail",
}
WRITE = {
    "unit_create",
    "unit_update",
    "tenant_create",
    "tenant_move_in",
    "contractor_create",
}

# The matrix of DESIGN.md section 5 for the register: 200 allowed, 403 refused.
ALLOWED = {
    "assistant": READ | WRITE,
    "manager": READ | WRITE,
    "finance": READ,
    "auditor": READ,
    "department": {"unit_list", "unit_detail"},
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_register_pages_follow_the_role_matrix(role, request, client):
    user = request.getfixturevalue(role)
    urls = register_urls()
    client.force_login(user)
    seen = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {name: 200 if name in ALLOWED[role] else 403 for name in urls}
    assert seen == expected


def test_a_user_without_role_gets_403_not_a_redirect_loop(make_user, client):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("archives:unit_list")).status_code == 403
    assert client.get(reverse("home")).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("archives:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_finance_cannot_post_a_new_unit(finance, client):
    client.force_login(finance)
    response = client.post(
        reverse("archives:unit_create"), {"code": "A-1-01", "area": "50", "status": "vacant"}
    )
    assert response.status_code == 403
    assert Unit.objects.count() == 0


# --- forms: bad input gets a message and changes nothing ---------------------------------


def unit_data(**changes):
    return {
        "code": "B-2-15",
        "area": "88.50",
        "status": "vacant",
        "business": "",
        "notes": "",
        **changes,
    }


AREA_RULE = (
    "Enter an area from 1.00 to 100000.00 m² in plain digits with at most two decimals, "
    "e.g. 85 or 85.50."
)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"code": "abc"}, "code", "block-floor-number"),
        ({"code": "A-1-5"}, "code", "block-floor-number"),
        ({"area": "-5"}, "area", AREA_RULE),
        ({"area": "0.5"}, "area", AREA_RULE),
        ({"area": "abc"}, "area", AREA_RULE),
        ({"area": "1e3"}, "area", AREA_RULE),
        ({"area": "８８"}, "area", AREA_RULE),
        ({"area": "88.505"}, "area", AREA_RULE),
        ({"area": "123456789"}, "area", AREA_RULE),
    ],
)
def test_unit_form_rejects_bad_input(assistant, client, changes, field, message, settings):
    client.force_login(assistant)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("archives:unit_create"), unit_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Unit.objects.count() == 0


def test_unit_code_must_be_unique(assistant, client):
    UnitFactory(code="B-2-15")
    client.force_login(assistant)
    response = client.post(reverse("archives:unit_create"), unit_data(code="b-2-15"))
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Unit.objects.count() == 1


def test_unit_is_created_and_its_history_names_the_user(assistant, client):
    client.force_login(assistant)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("archives:unit_create"), unit_data(code="b-2-15"))
    unit = Unit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == unit.get_absolute_url()
    assert (unit.code, unit.block, unit.floor, unit.area) == ("B-2-15", "B", 2, Decimal("88.50"))
    page = client.get(unit.get_absolute_url())
    history = page.context["history"]
    assert [(entry.kind, entry.who) for entry in history] == [("created", assistant)]


def tenant_data(**changes):
    return {
        "kind": "company",
        "name": "杭州味道餐饮有限公司",
        "credit_code": make_credit_code(__import__("random").Random(3)),
        "contact_name": "张伟",
        "id_doc_type": "resident_id",
        "id_number": make_resident_id(__import__("random").Random(4)),
        "phone": "13812345678",
        "landline": "",
        "email": "",
        "address": "",
        "last_verified_on": "",
        "notes": "",
        **changes,
    }


def with_wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"phone": "1381234567"}, "phone", "has 11 digits; this one has 10"),
        ({"phone": "12812345678"}, "phone", "starts with 1 followed by 3 to 9"),
        ({"phone": "1381234567a"}, "phone", "digits only"),
        ({"id_number": "33010219900101123"}, "id_number", "has 18 characters; this one has 17"),
        (
            {"id_number": with_wrong_check_digit(make_resident_id(__import__("random").Random(4)))},
            "id_number",
            "check digit",
        ),
        ({"id_number": "330102199013011234"}, "id_number", "birth date"),
        (
            {
                "credit_code": with_wrong_check_digit(
                    make_credit_code(__import__("random").Random(3))
                )
            },
            "credit_code",
            "check character",
        ),
        ({"credit_code": ""}, "credit_code", "needs its unified social credit code"),
        ({"kind": "person", "id_number": ""}, "id_number", "needs an ID number"),
        ({"name": ""}, "name", "required"),
        (
            {"last_verified_on": (date.today() + timedelta(days=3)).isoformat()},
            "last_verified_on",
            "Enter a date from 2000-01-01 to",
        ),
    ],
)
def test_tenant_form_rejects_bad_input(assistant, client, changes, field, message):
    client.force_login(assistant)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("archives:tenant_create"), tenant_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Tenant.objects.count() == 0


def test_passport_numbers_are_not_checked_as_resident_ids(assistant, client):
    client.force_login(assistant)
    data = tenant_data(kind="person", credit_code="", id_doc_type="passport", id_number="E12345678")
    response = client.post(reverse("archives:tenant_create"), data)
    assert response.status_code == 302
    assert Tenant.objects.get().id_number == "E12345678"


def test_markup_in_a_name_is_shown_as_text(assistant, client):
    client.force_login(assistant)
    client.post(reverse("archives:tenant_create"), tenant_data(name="<script>alert(1)</script>"))
    tenant = Tenant.objects.get()
    page = client.get(tenant.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_tenant_identifiers_are_normalised_and_id_shown_masked(assistant, client):
    client.force_login(assistant)
    resident_id = make_resident_id(__import__("random").Random(11))
    response = client.post(
        reverse("archives:tenant_create"),
        tenant_data(id_number=" " + resident_id.lower() + " ", phone="138 1234 5678"),
    )
    assert response.status_code == 302
    tenant = Tenant.objects.get()
    assert (tenant.id_number, tenant.phone) == (resident_id.upper(), "13812345678")
    page = client.get(tenant.get_absolute_url()).content.decode()
    assert resident_id not in page
    assert resident_id[:6] + "********" + resident_id[-4:] in page


# --- occupancy: move-in (its shop handover: tests/deposits/test_moveout_pages.py) --------


def test_move_in_by_unit_code(assistant, client):
    unit = UnitFactory(code="C-1-08")
    tenant = TenantFactory()
    client.force_login(assistant)
    response = client.post(
        reverse("archives:tenant_move_in", args=[tenant.pk]),
        {
            "unit": "c-1-08",
            "role": "lessee",
            "moved_in_on": "2026-01-05",
            "lease_ends_on": "2029-01-04",
        },
    )
    occupancy = Occupancy.objects.get()
    assert response.status_code == 302
    assert (occupancy.unit, occupancy.tenant, occupancy.is_current) == (unit, tenant, True)
    unit.refresh_from_db()
    assert unit.status == UnitStatus.OCCUPIED


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"unit": "Z-9-99"}, "unit", "There is no unit Z-9-99"),
        ({"unit": "C-1-08", "lease_ends_on": "2025-01-01"}, "lease_ends_on", "must end after"),
    ],
)
def test_move_in_rejects_bad_input(assistant, client, data, field, message):
    UnitFactory(code="C-1-08")
    tenant = TenantFactory()
    client.force_login(assistant)
    client.cookies["django_language"] = "en"
    payload = {"role": "lessee", "moved_in_on": "2026-01-05", **data}
    response = client.post(reverse("archives:tenant_move_in", args=[tenant.pk]), payload)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Occupancy.objects.count() == 0


def test_an_occupied_unit_cannot_take_a_second_tenant(assistant, client):
    current = OccupancyFactory()
    newcomer = TenantFactory()
    client.force_login(assistant)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("archives:tenant_move_in", args=[newcomer.pk]),
        {"unit": current.unit.code, "role": "lessee", "moved_in_on": "2026-01-05"},
    )
    assert "hand it over first" in " ".join(response.context["form"].errors["unit"])
    assert Occupancy.objects.count() == 1


def test_verify_marks_today_and_only_by_post(assistant, client):
    tenant = TenantFactory(last_verified_on=date(2024, 1, 1))
    client.force_login(assistant)
    url = reverse("archives:tenant_verify", args=[tenant.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    tenant.refresh_from_db()
    assert tenant.last_verified_on == date.today()


# --- lists: query count does not grow with rows -----------------------------------------


@pytest.mark.parametrize(
    "list_name, queries",
    [("unit_list", 8), ("tenant_list", 9), ("occupancy_list", 8), ("contractor_list", 8)],
)
def test_list_queries_do_not_grow_with_rows(assistant, flat_queries, list_name, queries):
    def add():
        OccupancyFactory()
        ContractorFactory()

    flat_queries(reverse(f"archives:{list_name}"), add, queries=queries, user=assistant)


def test_unit_list_filters_and_sorts(assistant, client):
    occupied = OccupancyFactory(unit=UnitFactory(code="D-1-01", status=UnitStatus.OCCUPIED))
    UnitFactory(code="D-1-02")
    UnitFactory(code="E-2-03")
    client.force_login(assistant)
    page = client.get(reverse("archives:unit_list"), {"block": "d", "sort": "-code"})
    assert [u.code for u in page.context["table"].page.object_list.data] == ["D-1-02", "D-1-01"]
    page = client.get(reverse("archives:unit_list"), {"status": "occupied"})
    rows = list(page.context["table"].page.object_list.data)
    assert [(u.code, u.current_tenant) for u in rows] == [("D-1-01", occupied.tenant.name)]


def test_tenant_list_filters_due_for_verification(assistant, client):
    TenantFactory(name="甲", last_verified_on=date.today())
    TenantFactory(name="乙", last_verified_on=date.today() - timedelta(days=200))
    TenantFactory(name="丙", last_verified_on=None)
    client.force_login(assistant)
    page = client.get(reverse("archives:tenant_list"), {"verification": "due", "sort": "name"})
    names = sorted(t.name for t in page.context["table"].page.object_list.data)
    assert names == sorted(["乙", "丙"])


# --- search ------------------------------------------------------------------------------


def test_search_finds_units_tenants_and_phones(assistant, client):
    occupancy = OccupancyFactory(
        unit=UnitFactory(code="F-3-21"), tenant=TenantFactory(name="老街茶馆", phone="13955554444")
    )
    client.force_login(assistant)
    by_code = client.get(reverse("search"), {"q": "f-3-21"})
    assert [u.code for u in by_code.context["units"]] == ["F-3-21"]
    assert by_code.context["units"][0].current_occupancies[0].tenant == occupancy.tenant
    # The start of a name or a number, on its index (config.search): not its middle.
    by_name = client.get(reverse("search"), {"q": "老街"})
    assert [t.name for t in by_name.context["tenants"]] == ["老街茶馆"]
    assert client.get(reverse("search"), {"q": "茶馆"}).context["tenants"] == []
    by_phone = client.get(reverse("search"), {"q": "1395555"})
    assert [t.name for t in by_phone.context["tenants"]] == ["老街茶馆"]


def test_search_queries_do_not_grow_with_results(assistant, flat_queries):
    numbers = iter(range(1, 10))

    def a_tenant_in_a_unit():
        n = next(numbers)
        OccupancyFactory(
            unit=UnitFactory(code=f"F-3-0{n}"), tenant=TenantFactory(name=f"F区茶馆{n}")
        )

    one, three = flat_queries(
        reverse("search") + "?q=F", a_tenant_in_a_unit, queries=11, user=assistant
    )
    found = [(len(page.context["units"]), len(page.context["tenants"])) for page in (one, three)]
    assert found == [(1, 1), (3, 3)]
