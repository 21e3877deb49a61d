"""config.search: text matched by its start, exactly as typed, on an index of both
databases; the lookup field that replaces a <select> of a growing table."""

import pytest
from django import forms
from django.db import connection, transaction

from archives.models import Contractor, Tenant
from archives.selectors.register import CONTRACTORS, TENANTS
from config.search import SUGGESTIONS, Lookup, LookupField, StartsWithFilter, starts_with
from fees.models import Receipt
from tests.factories.archives import ContractorFactory, TenantFactory

NAMES = ["张伟", "张伟明", "李张伟", "张", "%伟", "张_明", "50%公司", "a_b", "AB", "ab"]


@pytest.fixture
def tenants(db):
    return {name: TenantFactory(name=name) for name in NAMES}


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("张伟", ["张伟", "张伟明"]),
        ("张", ["张", "张_明", "张伟", "张伟明"]),
        ("伟", []),  # the start, not anywhere in the name
        ("李张", ["李张伟"]),
        ("%", ["%伟"]),  # a per cent sign is itself, not "anything"
        ("50%", ["50%公司"]),
        ("_", []),  # an underscore is itself, not "any one character"
        ("张_", ["张_明"]),
        ("a_", ["a_b"]),
        ("a", ["a_b", "ab"]),  # as typed: capitals are other letters
        ("A", ["AB"]),
        ("张伟明x", []),
    ],
)
def test_starts_with_matches_the_start_exactly_as_typed(tenants, typed, found):
    assert names(Tenant.objects.filter(starts_with("name", typed))) == found


def test_the_filter_drops_spaces_and_ignores_empty_input(tenants):
    name_filter = StartsWithFilter(field_name="q", fields=["name", "contact_name"])
    everyone = Tenant.objects.all()
    assert name_filter.filter(everyone, "") is everyone
    assert name_filter.filter(everyone, "   ") is everyone
    assert names(name_filter.filter(everyone, " 张伟 ")) == ["张伟", "张伟明"]
    assert str(name_filter.extra["help_text"]) == "Matches the start."


def test_the_filter_of_codes_reads_them_in_capitals(db):
    TenantFactory(name="甲", credit_code="91440300MA5FXXXX1X")
    code_filter = StartsWithFilter(field_name="code", fields=["credit_code"], upper=True)
    assert names(code_filter.filter(Tenant.objects.all(), "91440300ma5f")) == ["甲"]


# --- the lookup field --------------------------------------------------------------------


class PayerForm(forms.Form):
    tenant = LookupField(lookup=TENANTS, required=False)


def cleaned(text: str):
    form = PayerForm({"tenant": text})
    return form.cleaned_data["tenant"] if form.is_valid() else form.errors["tenant"]


def test_a_lookup_finds_the_one_record_that_starts_so(tenants):
    assert cleaned("李") == tenants["李张伟"]
    assert cleaned("") is None


def test_a_whole_name_is_that_record_even_when_longer_names_start_with_it(tenants):
    assert cleaned("张伟") == tenants["张伟"]


def test_a_lookup_says_when_nothing_starts_so(tenants):
    assert cleaned("王") == ["Nothing in the register starts with “王”."]
    assert cleaned("_") == ["Nothing in the register starts with “_”."]
    assert cleaned("%") == tenants["%伟"]


def test_a_lookup_lists_the_candidates_when_several_start_so(tenants):
    one, two = tenants["张伟"], tenants["张伟明"]
    assert cleaned("张伟") == one  # the whole name of one of them
    twin = TenantFactory(name="张伟明")
    assert cleaned("张伟明") == [
        f"Several match (张伟明 #{two.pk}、张伟明 #{twin.pk}): type more, or choose a suggestion."
    ]


def test_a_suggestion_names_its_record_by_key_among_namesakes(tenants):
    twin = TenantFactory(name="张伟")
    assert cleaned(f"张伟 #{twin.pk}") == twin
    assert cleaned(f"张伟 #{tenants['张伟'].pk}") == tenants["张伟"]
    # A key with another record's name is not taken on trust: the text is looked up.
    assert cleaned(f"李张伟 #{twin.pk}") == [
        f"Nothing in the register starts with “李张伟 #{twin.pk}”."
    ]


def test_a_lookup_lists_at_most_five_and_says_there_are_more(db):
    made = [TenantFactory(name=f"王{n}") for n in range(7)]
    listed = "、".join(f"王{n} #{made[n].pk}" for n in range(5))
    assert cleaned("王") == [f"Several match ({listed}…): type more, or choose a suggestion."]


def test_an_initial_record_shows_as_a_suggestion_would_put_it(tenants):
    record = tenants["张伟"]
    form = PayerForm(initial={"tenant": record.pk})
    assert f'value="张伟 #{record.pk}"' in str(form["tenant"])
    assert f'value="张伟 #{record.pk}"' in str(PayerForm(initial={"tenant": record})["tenant"])


def test_the_lookup_field_without_scripts_is_a_text_input(db):
    html = str(PayerForm()["tenant"])
    assert (
        html
        == '<input type="text" name="tenant" maxlength="120" id="id_tenant" autocomplete="off">'
    )


def test_the_lookup_field_asks_for_suggestions_as_one_types(db):
    class WithSuggestions(forms.Form):
        tenant = LookupField(lookup=TENANTS, suggest_url="/suggest/")

    html = str(WithSuggestions()["tenant"])
    assert 'list="id_tenant-suggestions"' in html
    assert 'hx-get="/suggest/"' in html and 'hx-target="#id_tenant-suggestions"' in html
    assert html.endswith('<datalist id="id_tenant-suggestions"></datalist>')
    assert "suggest_url" not in html


def test_suggestions_are_at_most_ten_in_the_lookup_order(db):
    made = [ContractorFactory(name=f"恒达{n:02d}") for n in range(12)]
    ContractorFactory(name="恒达99", active=False)
    offered = CONTRACTORS.suggestions("恒达")
    assert [value for value, _record in offered] == [
        f"恒达{n:02d} #{made[n].pk}" for n in range(SUGGESTIONS)
    ]
    assert CONTRACTORS.suggestions("  ") == []


def test_a_lookup_finds_by_the_start_of_a_code_in_capitals(db):
    contractor = ContractorFactory(name="恒达", credit_code="91440300MA5FXXXX1X")
    assert list(CONTRACTORS.find("91440300ma")) == [contractor]
    assert list(Lookup(Contractor.objects.all(), names=("name",)).find("9144")) == []


# --- indexes -----------------------------------------------------------------------------


def indexes_of(table: str, column: str) -> set[str]:
    """The names of the indexes on ``column`` alone, as a plan names them (SQLite names
    the index of a unique column sqlite_autoindex_<table>_<n>)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = set()
    for name, c in constraints.items():
        if c["columns"] == [column] and (c["index"] or c["unique"]):
            unnamed = name.startswith("__unnamed_constraint_")
            found.add(f"sqlite_autoindex_{table}_" if unnamed else name)
    return found


def plan(queryset) -> str:
    """The database's plan for ``queryset``. On PostgreSQL, with sequential scans priced out:
    a test table of a few rows is read whole whatever its indexes, and the question is
    whether an index can serve the condition."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("model", "field", "typed"),
    [
        (Receipt, "payer_name", "张伟"),
        (Tenant, "name", "张"),
        (Tenant, "contact_name", "张"),
        (Tenant, "phone", "1380"),
        (Tenant, "credit_code", "9144"),
        (Contractor, "name", "张"),
        (Contractor, "contact_name", "张"),
        (Contractor, "phone", "1380"),
        (Contractor, "credit_code", "9144"),
    ],
)
def test_each_field_matched_by_its_start_is_read_through_an_index(db, model, field, typed):
    queryset = model.objects.filter(starts_with(field, typed)).order_by()
    found = plan(queryset)
    served_by = indexes_of(model._meta.db_table, field)
    assert served_by, f"{model.__name__}.{field} has no index"
    assert any(name in found for name in served_by), found


def test_the_unit_code_is_matched_on_its_index_through_a_join(db):
    from archives.models import Occupancy, Unit

    found = plan(Occupancy.objects.filter(starts_with("unit__code", "A-1")).order_by())
    assert any(name in found for name in indexes_of(Unit._meta.db_table, "code")), found
