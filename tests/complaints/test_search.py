"""The case list's text search: the pieces of a case's own text (its description and its
visitor's name) found on their index, a text of three characters or more confirmed on the
cases holding all its pairs; the start of the tenant's name and of the unit's code on their
own indexes; a case number by its key. Exact results, and the plans of both databases."""

import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from complaints.models import Case, CasePiece
from complaints.models.search import case_pieces, pieces
from complaints.selectors.search import cases_matching, text_pieces
from complaints.services.search import case_pieces_write
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory
from tests.factories.complaints import case_in

pytestmark = pytest.mark.django_db


def found(text: str) -> list[int]:
    return sorted(Case.objects.filter(cases_matching(text)).values_list("pk", flat=True))


@pytest.fixture
def cases(clock):
    """Cases by name: their descriptions and who raised them."""
    leak = OccupancyFactory(unit=UnitFactory(code="B-2-07"), tenant=TenantFactory(name="恒达贸易"))
    return {
        "leak": case_in(unit=leak.unit, description="卫生间天花板漏水，滴到货架上"),
        "drain": case_in(description="门口下水道堵塞", visitor_name="王先生"),
        # Both pairs of 下水道 (下水, 水道), but not the three in a row.
        "apart": case_in(description="下水管换新，水道口清理", visitor_name="李女士"),
        "noise": case_in(description="Noise from the KTV next door", visitor_name="Tom Lee"),
        "unit": case_in(unit=UnitFactory(code="A-1-05"), tenant=None, description="卷帘门卡住"),
    }


def pks(cases, *names) -> list[int]:
    return sorted(cases[name].pk for name in names)


def test_the_pieces_are_the_characters_and_the_pairs_in_small_letters():
    assert pieces("漏水了") == {"漏", "水", "了", "漏水", "水了"}
    assert pieces("KTv") == {"k", "t", "v", "kt", "tv"}
    assert pieces("") == set()
    assert text_pieces("水") == ["水"]
    assert text_pieces("漏水") == ["漏水"]
    assert text_pieces("下水道") == ["下水", "水道"]
    assert text_pieces("AaA") == ["aa"]


def test_a_case_keeps_the_pieces_of_its_description_and_visitor_name_but_no_pair_across(cases):
    drain = cases["drain"]
    held = set(CasePiece.objects.filter(case=drain).values_list("piece", flat=True))
    assert held == pieces("门口下水道堵塞") | pieces("王先生")
    assert held == case_pieces(drain)
    assert "塞王" not in held  # the end of the description and the visitor's name


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("水", ["apart", "drain", "leak"]),  # one character: anywhere
        ("塞", ["drain"]),
        ("漏水", ["leak"]),  # two characters: the piece itself
        ("水道", ["apart", "drain"]),
        ("下水道", ["drain"]),  # three: all the pairs, then in a row
        ("卫生间天花板漏水", ["leak"]),
        ("漏水了", []),
        ("无此内容", []),
        ("先生", ["drain"]),  # the visitor's name, anywhere in it
        ("女士", ["apart"]),
        ("ktv", ["noise"]),  # capitals or not
        ("NOISE FROM", ["noise"]),
        ("tom", ["noise"]),
        ("k", ["noise"]),
        ("  漏水 ", ["leak"]),  # the spaces around are dropped
    ],
)
def test_words_of_the_description_or_the_visitors_name(cases, text, names):
    assert found(text) == pks(cases, *names)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("恒达", ["leak"]),  # the start of the tenant's name
        ("恒达贸易", ["leak"]),
        ("贸易", []),  # not the middle of it: the register's names are matched by their start
        ("B-2", ["leak"]),  # the start of the unit's code, in capitals
        ("b-2-0", ["leak"]),
        ("A-1-0", ["unit"]),
        ("2-07", []),
    ],
)
def test_the_start_of_the_tenants_name_or_of_the_units_code(cases, text, names):
    assert found(text) == pks(cases, *names)


def listed(response) -> list[int]:
    return sorted(row.record.pk for row in response.context["table"].page.object_list)


def test_the_list_finds_a_number_a_whole_unit_code_names_and_words(cases, client_as, manager):
    client = client_as(manager)
    url = reverse("complaints:case_list")
    drain = cases["drain"]
    assert listed(client.get(url, {"q": drain.number})) == [drain.pk]
    assert listed(client.get(url, {"q": str(drain.pk)})) == [drain.pk]
    assert listed(client.get(url, {"q": "a-1-05"})) == [cases["unit"].pk]
    assert listed(client.get(url, {"q": "下水道"})) == [drain.pk]
    assert listed(client.get(url, {"q": "恒达"})) == [cases["leak"].pk]
    assert listed(client.get(url, {"q": "水", "show": "open"})) == pks(
        cases, "apart", "drain", "leak"
    )
    page = client.get(url)
    assert "start of the tenant" in page.content.decode()  # the help says how it matches


def test_a_case_whose_text_is_written_again_is_found_by_its_new_words_only(cases):
    drain = cases["drain"]
    Case.objects.filter(pk=drain.pk).update(description="空调出风口不制冷", visitor_name="赵先生")
    drain.refresh_from_db()
    case_pieces_write(case=drain)
    assert found("空调出风") == [drain.pk]
    assert found("下水道") == []
    assert found("赵") == [drain.pk]
    assert found("王") == []


def test_a_case_received_later_is_found(cases):
    later = case_in(description="后巷垃圾两天未清运")
    assert found("垃圾") == [later.pk]


def test_the_migration_writes_the_pieces_of_the_cases_logged_before_it(cases):
    migration = importlib.import_module("complaints.migrations.0004_case_text_pieces")
    expected = {case.pk: case_pieces(case) for case in Case.objects.all()}
    CasePiece.objects.all().delete()
    migration.write_pieces(apps, None)
    written: dict[int, set[str]] = {}
    for case_id, piece in CasePiece.objects.values_list("case_id", "piece"):
        written.setdefault(case_id, set()).add(piece)
    assert written == expected


# --- the plans ---------------------------------------------------------------------------


def plan(queryset) -> str:
    """The database's plan; on PostgreSQL with sequential scans priced out (a test table of
    a few rows is read whole whatever its indexes: the question is whether an index can
    serve the search)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def indexes_on(table: str, columns: list[str]) -> set[str]:
    """The names a plan gives the indexes on exactly ``columns`` (SQLite builds a unique
    constraint written into its table as an index it names sqlite_autoindex_<table>_<n>)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = set()
    for name, c in constraints.items():
        if c["columns"] == columns and (c["index"] or c["unique"]):
            inline = connection.vendor == "sqlite" and not c["index"]
            found.add(f"sqlite_autoindex_{table}_" if inline else name)
    return found


def read_through(found_plan: str, table: str, columns: list[str]) -> bool:
    served_by = indexes_on(table, columns)
    assert served_by, f"{table}{columns} has no index"
    return any(name in found_plan for name in served_by)


@pytest.mark.parametrize("text", ["水", "漏水", "下水道"])
def test_the_words_are_read_through_the_index_of_the_pieces(cases, text):
    found_plan = plan(Case.objects.filter(cases_matching(text)))
    assert read_through(found_plan, "complaints_casepiece", ["piece", "case_id"]), found_plan
    # No part of the search reads every case: each is served by an index.
    if connection.vendor == "sqlite":
        assert "SCAN " not in found_plan, found_plan
    else:
        assert "Seq Scan" not in found_plan, found_plan


def test_the_tenants_name_and_the_units_code_are_read_through_their_indexes(cases):
    found_plan = plan(Case.objects.filter(cases_matching("恒达")))
    assert read_through(found_plan, "archives_tenant", ["name"]), found_plan
    assert read_through(found_plan, "archives_unit", ["code"]), found_plan
