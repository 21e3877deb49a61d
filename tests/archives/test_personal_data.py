"""Personal data only where needed (issue #9), for every role of config.roles and anonymous:
the search box, the tenant and contractor pages, the tenant's history, its edit form, the
admin, and the recorded "show the whole number" action with its access log.

Found before the fix: the department user read an individual tenant's name (the contact
person's own name) in /search/ and on the unit pages; finance, the auditor and the
administrator read every tenant's mobile number whole and found tenants by it; and a tenant's
change history showed the old and new ID numbers whole to every role that reads tenants."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from archives.models import AccessKind, AccessLog, Tenant, TenantKind
from tests.factories.archives import ContractorFactory, OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

# Valid resident IDs (checked by the tenant form), and their masked forms written out.
ID_A = "110105199003071239"
ID_B = "330102198506150024"
MASKED_A = "110105********1239"
MASKED_B = "330102********0024"
PERSON_PHONE, PERSON_PHONE_MASKED = "13955554444", "139****4444"
SHOP_PHONE, SHOP_PHONE_MASKED = "13766667777", "137****7777"

ROLES = ["anonymous", "assistant", "manager", "finance", "auditor", "department", "administrator"]
CALLERS = {"assistant", "manager"}  # who call tenants: mobile numbers whole, may show an ID
TENANT_READERS = CALLERS | {"finance", "auditor", "administrator"}


@pytest.fixture
def street():
    person = TenantFactory(
        name="王小明",
        kind=TenantKind.PERSON,
        credit_code="",
        contact_name="王小明",
        id_number=ID_A,
        phone=PERSON_PHONE,
    )
    shop = TenantFactory(
        name="老街茶馆有限公司", contact_name="李娜", id_number=ID_B, phone=SHOP_PHONE
    )
    OccupancyFactory(unit=UnitFactory(code="F-3-21"), tenant=person)
    OccupancyFactory(unit=UnitFactory(code="F-3-22"), tenant=shop)
    return {"person": person, "shop": shop}


def results(page) -> str:
    # The page less its heading, which repeats the query as typed.
    return page.content.decode().split("</h1>", 1)[1]


def shown(html: str, *texts: str) -> set[str]:
    return {text for text in texts if text in html}


# --- search --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_before_searching(client, street):
    page = client.get(reverse("search"), {"q": "F-3"})
    assert (page.status_code, page["Location"].split("?")[0]) == (302, reverse("login"))


@pytest.mark.parametrize("role", ROLES[1:])
def test_search_by_unit_shows_the_tenant_as_the_role_may_name_it(login, street, role):
    page = login(role).get(reverse("search"), {"q": "F-3-2"})
    html = results(page)
    assert page.status_code == 200
    assert [unit.code for unit in page.context["units"]] == ["F-3-21", "F-3-22"]
    if role == "department":
        # A business by its name; an individual's name is a person's name.
        names = {"individual tenant", "老街茶馆有限公司"}
    else:
        names = {"王小明", "老街茶馆有限公司"}
    assert shown(html, "王小明", "老街茶馆有限公司", "individual tenant") == names
    # No contact, mobile number or ID number, whole or masked, next to a unit.
    personal = [
        "李娜",
        PERSON_PHONE,
        PERSON_PHONE_MASKED,
        SHOP_PHONE,
        SHOP_PHONE_MASKED,
        ID_A,
        ID_B,
    ]
    assert shown(html, *personal, MASKED_A, MASKED_B) == set()


# Tenants each role finds by their name, their contact person, and a mobile number (None:
# the role is not offered tenants at all).
FOUND = {
    "assistant": (["老街茶馆有限公司"], ["老街茶馆有限公司"], ["老街茶馆有限公司"]),
    "manager": (["老街茶馆有限公司"], ["老街茶馆有限公司"], ["老街茶馆有限公司"]),
    "finance": (["老街茶馆有限公司"], ["老街茶馆有限公司"], []),
    "auditor": (["老街茶馆有限公司"], ["老街茶馆有限公司"], []),
    "administrator": (["老街茶馆有限公司"], ["老街茶馆有限公司"], []),
    "department": (None, None, None),
}


@pytest.mark.parametrize("role", sorted(FOUND))
def test_search_finds_tenants_only_by_what_the_role_may_read(login, street, role):
    client = login(role)
    found = []
    for query in ["老街茶馆", "李娜", SHOP_PHONE]:
        tenants = client.get(reverse("search"), {"q": query}).context["tenants"]
        found.append(None if tenants is None else [tenant.name for tenant in tenants])
    assert tuple(found) == FOUND[role]


@pytest.mark.parametrize("role", sorted(FOUND))
def test_search_shows_a_tenants_contact_and_mobile_as_the_role_may_read_them(login, street, role):
    html = results(login(role).get(reverse("search"), {"q": "老街茶馆"}))
    expected = {
        "assistant": {"李娜", SHOP_PHONE},
        "manager": {"李娜", SHOP_PHONE},
        "finance": {"李娜", SHOP_PHONE_MASKED},
        "auditor": {"李娜", SHOP_PHONE_MASKED},
        "administrator": {"李娜", SHOP_PHONE_MASKED},
        "department": set(),
    }[role]
    assert shown(html, "李娜", SHOP_PHONE, SHOP_PHONE_MASKED) == expected
    assert ('id="found-tenants"' in html) == (role != "department")
    assert shown(html, ID_B, MASKED_B) == set()


HINTS = {
    "unit, name or phone": (
        "Type the start of a unit code, a tenant's name, a contact person's name or a mobile"
        " number in the search box."
    ),
    "unit or name": (
        "Type the start of a unit code, a tenant's name or a contact person's name in the"
        " search box."
    ),
    "unit": "Type the start of a unit code in the search box.",
}


@pytest.mark.parametrize(
    "role, hint",
    [
        ("assistant", "unit, name or phone"),
        ("manager", "unit, name or phone"),
        ("finance", "unit or name"),
        ("auditor", "unit or name"),
        ("administrator", "unit or name"),
        ("department", "unit"),
    ],
)
def test_the_search_page_offers_what_the_role_may_search_by(login, role, hint):
    html = login(role).get(reverse("search")).content.decode().replace("&#x27;", "'")
    assert [key for key, text in HINTS.items() if text in html] == [hint]


def test_search_queries_stay_flat_for_a_role_that_reads_mobiles_masked(finance, flat_queries):
    numbers = iter(range(1, 10))

    def a_tenant_in_a_unit():
        n = next(numbers)
        OccupancyFactory(unit=UnitFactory(code=f"F-3-0{n}"), tenant=TenantFactory(name=f"F区{n}"))

    flat_queries(reverse("search") + "?q=F", a_tenant_in_a_unit, queries=11, user=finance)


# --- the unit pages: a department user -----------------------------------------------------


def test_a_department_user_sees_an_individual_tenant_of_a_unit_unnamed(login, street):
    client = login("department")
    person_unit = street["person"].occupancies.get().unit
    detail = client.get(person_unit.get_absolute_url()).content.decode()
    listing = client.get(reverse("archives:unit_list"), {"code": "F-3-2"}).content.decode()
    for html in (detail, listing):
        assert shown(html, "王小明", "individual tenant", PERSON_PHONE, ID_A) == {
            "individual tenant"
        }
    assert shown(listing, "老街茶馆有限公司", "李娜") == {"老街茶馆有限公司"}


# --- the tenant's page and list --------------------------------------------------------------

# What each role gets on a tenant's page: status, then (mobile as shown, the show button).
TENANT_PAGE = {
    "assistant": (200, PERSON_PHONE, True),
    "manager": (200, PERSON_PHONE, True),
    "finance": (200, PERSON_PHONE_MASKED, False),
    "auditor": (200, PERSON_PHONE_MASKED, False),
    "administrator": (200, PERSON_PHONE_MASKED, False),
    "department": (403, None, False),
}


@pytest.mark.parametrize("role", sorted(TENANT_PAGE))
def test_the_tenant_page_masks_the_id_for_every_role(login, street, role):
    page = login(role).get(street["person"].get_absolute_url())
    html = page.content.decode()
    status, mobile, button = TENANT_PAGE[role]
    assert page.status_code == status
    assert ID_A not in html
    if status == 200:
        assert MASKED_A in html
        phones = {PERSON_PHONE, PERSON_PHONE_MASKED}
        assert shown(html, *phones) == {mobile}
    assert ('id="reveal-id"' in html) == button


@pytest.mark.parametrize("role", sorted(TENANT_PAGE))
def test_the_tenant_list_shows_mobiles_as_the_role_may_read_them(login, street, role):
    page = login(role).get(reverse("archives:tenant_list"), {"q": "王小明"})
    status, mobile, _button = TENANT_PAGE[role]
    assert page.status_code == status
    if status == 200:
        html = page.content.decode()
        assert shown(html, PERSON_PHONE, PERSON_PHONE_MASKED, ID_A) == {mobile}
        found = [tenant.name for tenant in page.context["table"].page.object_list.data]
        by_phone = login(role).get(
            reverse("archives:tenant_list"), {"q": "1395555"}
        )  # the start of the mobile
        by_phone_found = [t.name for t in by_phone.context["table"].page.object_list.data]
        assert (found, by_phone_found) == (["王小明"], ["王小明"] if role in CALLERS else [])


@pytest.mark.parametrize("role", sorted(TENANT_PAGE))
def test_the_contractor_page_shows_the_mobile_as_the_role_may_read_it(login, role):
    contractor = ContractorFactory(phone="13600001111")
    page = login(role).get(contractor.get_absolute_url())
    html = page.content.decode()
    expected = {
        "assistant": {"13600001111"},
        "manager": {"13600001111"},
        "finance": {"136****1111"},
        "auditor": {"136****1111"},
        "administrator": {"136****1111"},
        "department": set(),
    }[role]
    assert page.status_code == (403 if role == "department" else 200)
    assert shown(html, "13600001111", "136****1111") == expected


# --- the tenant's history ------------------------------------------------------------------


def edit_data(tenant: Tenant, **changes) -> dict:
    data = {
        "kind": tenant.kind,
        "name": tenant.name,
        "credit_code": tenant.credit_code,
        "contact_name": tenant.contact_name,
        "id_doc_type": tenant.id_doc_type,
        "id_number": MASKED_A,
        "phone": PERSON_PHONE,
        "landline": "",
        "email": "",
        "address": "",
        "last_verified_on": tenant.last_verified_on.isoformat(),
        "notes": "",
    }
    return {**data, **changes}


def history_html(page) -> str:
    html = page.content.decode()
    return html[html.index('aria-labelledby="history-title"') :]


@pytest.mark.parametrize("role", sorted(TENANT_READERS))
def test_the_tenant_history_shows_a_changed_id_and_mobile_masked_to_every_role(
    login, street, assistant, client, role
):
    tenant = street["person"]
    client.force_login(assistant)
    response = client.post(
        reverse("archives:tenant_update", args=[tenant.pk]),
        edit_data(tenant, id_number=ID_B, phone="13800001234"),
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.id_number, tenant.phone) == (ID_B, "13800001234")

    page = login(role).get(tenant.get_absolute_url())
    changes = page.context["history"][0].changes
    assert changes == [
        ("ID number", MASKED_A, MASKED_B),
        ("mobile", PERSON_PHONE_MASKED, "138****1234"),
    ]
    history = history_html(page)
    assert shown(history, ID_A, ID_B, PERSON_PHONE, "13800001234") == set()
    assert shown(history, MASKED_A, MASKED_B, PERSON_PHONE_MASKED, "138****1234") == {
        MASKED_A,
        MASKED_B,
        PERSON_PHONE_MASKED,
        "138****1234",
    }


# --- the edit form -------------------------------------------------------------------------


def input_value(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)[1]


@pytest.mark.parametrize(
    "role, shown_phone",
    [("assistant", PERSON_PHONE), ("manager", PERSON_PHONE), ("administrator", "139****4444")],
)
def test_the_edit_form_shows_the_id_masked_and_keeps_it_when_left_as_shown(
    login, street, role, shown_phone
):
    tenant = street["person"]
    client = login(role)
    url = reverse("archives:tenant_update", args=[tenant.pk])
    form = client.get(url).content.decode()
    assert (input_value(form, "id_number"), input_value(form, "phone")) == (
        MASKED_A,
        shown_phone,
    )
    assert ID_A not in form

    response = client.post(url, edit_data(tenant, phone=shown_phone, address="河坊街 8 号"))
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.id_number, tenant.phone, tenant.address) == (ID_A, PERSON_PHONE, "河坊街 8 号")


def test_a_masked_number_typed_wrong_is_checked_as_a_new_one(login, street):
    tenant = street["person"]
    client = login("assistant")
    response = client.post(
        reverse("archives:tenant_update", args=[tenant.pk]),
        edit_data(tenant, id_number="110105********1238"),
    )
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    tenant.refresh_from_db()
    assert tenant.id_number == ID_A


# --- showing a whole ID: recorded first ----------------------------------------------------

REVEAL_STATUS = {
    "anonymous": 302,
    "assistant": 200,
    "manager": 200,
    "finance": 403,
    "auditor": 403,
    "department": 403,
    "administrator": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_showing_the_whole_id_is_for_the_desk_and_the_manager_and_is_recorded(
    login, street, request, role
):
    tenant = street["person"]
    url = reverse("archives:tenant_id_number", args=[tenant.pk])
    response = login(role).post(url)
    html = response.content.decode()
    assert response.status_code == REVEAL_STATUS[role]
    rows = list(
        AccessLog.objects.values_list("user__username", "kind", "content_type", "object_id")
    )
    if response.status_code == 200:
        user = request.getfixturevalue(role)
        assert re.search(r'id="whole-id">([^<]*)<', html)[1] == ID_A
        assert rows == [
            (
                user.username,
                AccessKind.WHOLE_ID,
                ContentType.objects.get_for_model(Tenant).pk,
                tenant.pk,
            )
        ]
        entry = AccessLog.objects.get()
        assert (entry.subject, entry.page) == ("王小明", url)
        assert "no-store" in response["Cache-Control"]
    else:
        assert ID_A not in html
        assert rows == []


def test_the_whole_id_is_shown_only_by_a_post(login, street):
    client = login("assistant")
    response = client.get(reverse("archives:tenant_id_number", args=[street["person"].pk]))
    assert response.status_code == 405
    assert AccessLog.objects.count() == 0


def test_a_tenant_without_an_id_number_has_none_to_show(login):
    tenant = TenantFactory(id_number="")
    response = login("assistant").post(reverse("archives:tenant_id_number", args=[tenant.pk]))
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


# --- the access log ------------------------------------------------------------------------

ACCESS_LOG_STATUS = {
    "assistant": 403,
    "manager": 200,
    "finance": 403,
    "auditor": 200,
    "department": 403,
    "administrator": 403,
}


@pytest.mark.parametrize("role", sorted(ACCESS_LOG_STATUS))
def test_the_access_log_is_read_by_the_manager_and_the_auditor(
    login, street, assistant, client, role
):
    client.force_login(assistant)
    client.post(reverse("archives:tenant_id_number", args=[street["shop"].pk]))
    page = login(role).get(reverse("archives:access_log"))
    assert page.status_code == ACCESS_LOG_STATUS[role]
    if page.status_code == 200:
        rows = [
            (entry.user, entry.kind, entry.subject)
            for entry in page.context["table"].page.object_list.data
        ]
        assert rows == [(assistant, AccessKind.WHOLE_ID, "老街茶馆有限公司")]
        assert shown(page.content.decode(), ID_B, MASKED_B) == set()


def test_the_access_log_queries_do_not_grow_with_rows(manager, assistant, flat_queries):
    def a_viewing():
        tenant = TenantFactory()
        AccessLog.objects.create(
            user=assistant,
            kind=AccessKind.WHOLE_ID,
            content_type=ContentType.objects.get_for_model(Tenant),
            object_id=tenant.pk,
            subject=tenant.name,
            page=reverse("archives:tenant_id_number", args=[tenant.pk]),
        )

    flat_queries(reverse("archives:access_log"), a_viewing, queries=9, user=manager)


# --- the admin -----------------------------------------------------------------------------


def test_the_admin_shows_the_administrator_ids_and_mobiles_masked(login, street, assistant, client):
    tenant = street["person"]
    client.force_login(assistant)
    client.post(
        reverse("archives:tenant_update", args=[tenant.pk]),
        edit_data(tenant, id_number=ID_B, phone="13800001234"),
    )
    client = login("administrator")
    change = client.get(reverse("admin:archives_tenant_change", args=[tenant.pk]))
    history = client.get(reverse("admin:archives_tenant_history", args=[tenant.pk]))
    listing = client.get(reverse("admin:archives_tenant_changelist"))
    by_phone = client.get(reverse("admin:archives_tenant_changelist"), {"q": "13800001234"})
    whole = [ID_A, ID_B, PERSON_PHONE, "13800001234"]
    for page in (change, history, listing):
        assert page.status_code == 200
        assert shown(page.content.decode(), *whole) == set()
    assert shown(change.content.decode(), MASKED_B, "138****1234") == {MASKED_B, "138****1234"}
    assert shown(history.content.decode(), MASKED_A, MASKED_B, PERSON_PHONE_MASKED) == {
        MASKED_A,
        MASKED_B,
        PERSON_PHONE_MASKED,
    }
    assert "138****1234" in listing.content.decode()
    assert by_phone.context["cl"].result_count == 0


def test_the_access_log_cannot_be_changed_in_the_admin(street, django_user_model, client):
    root = django_user_model.objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(root)
    assert client.get(reverse("admin:archives_accesslog_add")).status_code == 403


def test_the_admin_lists_the_access_log_by_name(street, assistant, django_user_model, client):
    assistant.first_name = "李晓敏"
    assistant.save()
    client.force_login(assistant)
    client.post(reverse("archives:tenant_id_number", args=[street["shop"].pk]))
    root = django_user_model.objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(root)
    page = client.get(reverse("admin:archives_accesslog_changelist"))
    assert [person for person in ["李晓敏", "assistant"] if person in page.content.decode()] == [
        "李晓敏"
    ]


@pytest.mark.parametrize(
    "role, tenants, contractors",
    [
        ("assistant", "name, contact or mobile", "name, contact or mobile"),
        ("finance", "name or contact", "name, contact or credit code"),
    ],
)
def test_the_filter_box_says_what_the_role_may_search_by(login, role, tenants, contractors):
    """The label of the lists' search box follows the rule of its search: by mobile number
    only for a role that may read mobile numbers whole."""
    client = login(role)
    for url, label in (
        (reverse("archives:tenant_list"), tenants),
        (reverse("archives:contractor_list"), contractors),
    ):
        form = client.get(url).context["filter"].form
        assert form.fields["q"].label == label
