"""Finding at the desk with years of receipts: the register's payer and number filters
match the start of what is typed; the receipt form takes a contractor typed, not chosen
from a <select> of every contractor, and says next to the field when it finds none or
several (config.search)."""

import pytest
from django.urls import reverse

from archives.models import Contractor
from fees.enums import PayerKind
from fees.models import Receipt
from tests.factories.archives import ContractorFactory, UnitFactory
from tests.factories.fees import ReceiptFactory
from tests.factories.finance import receipt_post

pytestmark = pytest.mark.django_db


def listed(client, **query) -> list[str]:
    response = client.get(reverse("fees:receipt_list"), query)
    assert response.status_code == 200
    return sorted(row.record.payer_name for row in response.context["table"].page.object_list)


@pytest.fixture
def receipts(assistant):
    a105, b201 = UnitFactory(code="A-1-05"), UnitFactory(code="B-2-01")
    for name, unit in [
        ("张伟", a105),
        ("张伟明", None),
        ("李张伟", b201),
        ("100%装饰", None),
        ("王_五", None),
    ]:
        ReceiptFactory(cashier=assistant, payer_name=name, unit=unit)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("张伟", ["张伟", "张伟明"]),
        (" 张伟 ", ["张伟", "张伟明"]),
        ("伟", []),
        ("a-1", ["张伟"]),  # the start of the unit's code, in any case
        ("B-2-01", ["李张伟"]),
        ("100%", ["100%装饰"]),
        ("%", []),
        ("王_", ["王_五"]),
        ("_", []),
        ("", ["100%装饰", "张伟", "张伟明", "李张伟", "王_五"]),
    ],
)
def test_the_payer_filter_matches_the_start_of_the_payer_or_the_unit(
    client, manager, receipts, typed, found
):
    client.force_login(manager)
    assert listed(client, payer=typed) == found


def test_the_number_filter_matches_the_start_of_the_number(client, manager, receipts):
    first = Receipt.objects.order_by("pk").first()
    client.force_login(manager)
    assert listed(client, number=first.number) == [first.payer_name]
    assert len(listed(client, number=first.number[:5])) == 5
    assert listed(client, number=first.number[5:]) == []


def test_the_filters_say_they_match_the_start(client, manager):
    client.force_login(manager)
    form = client.get(reverse("fees:receipt_list")).context["filter"].form
    assert str(form.fields["payer"].help_text) == "Matches the start."
    assert str(form.fields["number"].help_text) == "Matches the start."


# --- the receipt form's contractor ---------------------------------------------------------


def contractor_paying(**changes) -> dict:
    return receipt_post(payer_kind=PayerKind.CONTRACTOR, payer_name="", **changes)


def test_the_form_offers_no_select_of_every_contractor(client, assistant):
    ContractorFactory.create_batch(3)
    client.force_login(assistant)
    html = client.get(reverse("fees:receipt_create")).content.decode()
    assert '<select name="contractor"' not in html
    assert 'list="id_contractor-suggestions"' in html
    assert f'hx-get="{reverse("archives:contractor_suggestions")}"' in html


def test_a_contractor_typed_by_the_start_of_its_name_pays(client, assistant):
    contractor = ContractorFactory(name="恒达装饰工程有限公司")
    ContractorFactory(name="华美装饰")
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), contractor_paying(contractor="恒达"))
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert (receipt.contractor, receipt.payer_name) == (contractor, "恒达装饰工程有限公司")


def test_a_suggestion_chosen_names_one_of_two_namesakes(client, assistant):
    ContractorFactory(name="恒达装饰")
    second = ContractorFactory(name="恒达装饰")
    client.force_login(assistant)
    typed = f"恒达装饰 #{second.pk}"
    response = client.post(reverse("fees:receipt_create"), contractor_paying(contractor=typed))
    assert response.status_code == 302
    assert Receipt.objects.get().contractor == second


def field_error(response) -> str:
    """The error shown under the contractor's field, as the page has it."""
    html = response.content.decode()
    start = html.index('id="id_contractor_error">') + len('id="id_contractor_error">')
    return html[start : html.index("</div>", start)]


def test_an_unknown_contractor_is_told_next_to_the_field(client, assistant):
    ContractorFactory(name="恒达装饰")
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), contractor_paying(contractor="华美"))
    assert response.status_code == 200
    assert field_error(response) == "Nothing in the register starts with “华美”."
    assert 'aria-describedby="id_contractor_error"' in response.content.decode()
    assert Receipt.objects.count() == 0


def test_an_ambiguous_contractor_is_told_next_to_the_field_with_the_candidates(client, assistant):
    one, two = ContractorFactory(name="恒达装饰"), ContractorFactory(name="恒达建设")
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), contractor_paying(contractor="恒达"))
    assert response.status_code == 200
    assert field_error(response) == (
        f"Several match (恒达建设 #{two.pk}、恒达装饰 #{one.pk}): type more, or choose a "
        "suggestion."
    )
    assert Receipt.objects.count() == 0


def test_an_inactive_contractor_is_not_found(client, assistant):
    ContractorFactory(name="恒达装饰", active=False)
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), contractor_paying(contractor="恒达"))
    assert field_error(response) == "Nothing in the register starts with “恒达”."
    assert Contractor.objects.count() == 1


def test_the_payer_filter_reads_the_payer_index_and_the_units_receipts(client, manager):
    from fees.filters.receipts import ReceiptFilter
    from tests.config.test_search import plan

    UnitFactory(code="A-1-05")
    rows = ReceiptFilter({"payer": "A-1"}, queryset=Receipt.objects.all()).qs.order_by()
    found = plan(rows)
    assert "receipt_payer_prefix" in found and "fees_receipt_unit_id" in found, found


def test_the_charge_form_takes_a_suggestion_among_namesakes(client, assistant):
    from fees.models import Charge
    from tests.factories.archives import TenantFactory
    from tests.fees.test_charges import form_data

    TenantFactory(name="星光眼镜店")
    second = TenantFactory(name="星光眼镜店")
    client.force_login(assistant)
    html = client.get(reverse("fees:charge_create")).content.decode()
    assert 'list="id_tenant-suggestions"' in html and "<option" not in html.split("datalist")[1]
    chosen = form_data(second, tenant=f"星光眼镜店 #{second.pk}")
    assert client.post(reverse("fees:charge_create"), chosen).status_code == 302
    assert Charge.objects.get().tenant == second
