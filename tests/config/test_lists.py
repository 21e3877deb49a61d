"""The lists' paginator: a late page picks its rows' keys in a subquery and reads those rows
in the same query, and shows exactly the rows that one OFFSET query would."""

import django_tables2 as tables
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.lists import KEYS_FIRST_FROM, PAGINATION, KeysFirstPaginator, LatePagePaginator


class GroupTable(tables.Table):
    class Meta:
        model = Group
        fields = ["name"]
        order_by = "-name"


@pytest.fixture
def groups(db):
    Group.objects.bulk_create(Group(name=f"g{n:04d}") for n in range(KEYS_FIRST_FROM + 73))
    return Group.objects.filter(name__startswith="g0").order_by("-name")


def page_of(queryset, number):
    table = GroupTable(queryset)
    table.paginate(page=number, **PAGINATION)
    return [row.record.name for row in table.page.object_list], table


@pytest.mark.parametrize("number", [1, 10, 11, 12])
def test_every_page_shows_the_rows_of_one_offset_query(groups, number):
    per_page = PAGINATION["per_page"]
    names, _table = page_of(groups, number)
    expected = list(groups.values_list("name", flat=True))[
        (number - 1) * per_page : number * per_page
    ]
    assert names == expected
    assert len(names) == (23 if number == 12 else 50)


def test_a_late_page_costs_the_queries_of_an_early_one(groups):
    with CaptureQueriesContext(connection) as early:
        page_of(groups, 1)[1].page.object_list.__len__()
    with CaptureQueriesContext(connection) as late:
        names, table = page_of(groups, 11)
        assert table.page.number == 11
    assert len(early.captured_queries) == 2  # the count, the page's rows
    assert len(late.captured_queries) == 2  # the count, the rows by the keys' subquery
    rows_query = late.captured_queries[1]["sql"]
    outer, _sep, keys_query = rows_query.partition(" IN (")
    # Page 11 of 12 is read from the end: 23 keys skipped in the reversed order, not 500;
    # only the keys are skipped, the rows read whole are the page's.
    assert "OFFSET 23" in keys_query and '"name"' not in keys_query.split("FROM")[0]
    assert 'ORDER BY U0."name" ASC' in keys_query
    assert '"auth_group"."name"' in outer.split("FROM")[0] and "OFFSET" not in outer
    assert names[0] == "g0072" and names[-1] == "g0023"


def test_a_late_page_in_the_first_half_skips_from_the_start(db):
    Group.objects.bulk_create(Group(name=f"h{n:04d}") for n in range(1200))
    rows = Group.objects.filter(name__startswith="h").order_by("name")
    with CaptureQueriesContext(connection) as late:
        names, _table = page_of(rows, 11)
    keys_query = late.captured_queries[1]["sql"].partition(" IN (")[2]
    assert "OFFSET 500" in keys_query and 'ORDER BY U0."name" DESC' in keys_query
    # The table's own order (GroupTable: -name), as one OFFSET query would show it.
    assert names == [f"h{n:04d}" for n in range(699, 649, -1)]


def test_the_last_page_costs_what_the_first_does(groups):
    with CaptureQueriesContext(connection) as last:
        names, table = page_of(groups, 12)
    assert table.page.number == 12
    assert len(last.captured_queries) == 2
    assert "OFFSET" not in last.captured_queries[1]["sql"]
    assert names == [f"g{n:04d}" for n in range(22, -1, -1)]


def test_a_queryset_pages_alike_without_a_table(groups):
    page = LatePagePaginator(groups, 100).get_page(6)
    assert [group.name for group in page.object_list] == [f"g{n:04d}" for n in range(72, -1, -1)]
    assert page.has_next() is False and page.start_index() == 501


def test_keys_first_reads_the_first_page_by_its_keys_given_before_the_lists_filter(db):
    Group.objects.bulk_create(Group(name=f"k{n:04d}") for n in range(120))
    matching = Group.objects.filter(pk__in=Group.objects.filter(name__startswith="k").values("pk"))
    table = GroupTable(matching.order_by("-name"))
    with CaptureQueriesContext(connection) as first:
        table.paginate(page=1, per_page=50, paginator_class=KeysFirstPaginator)
        names = [row.record.name for row in table.page.object_list]
    assert names == [f"k{n:04d}" for n in range(119, 69, -1)]
    assert len(first.captured_queries) == 2  # the count, the rows by the keys' subquery
    where = first.captured_queries[1]["sql"].partition(" WHERE ")[2]
    # The page's 50 keys come first (SQLite reads the rows from the first list it is given),
    # then the list's own filter, which may match thousands.
    assert where.index("LIMIT 50") < where.rindex("LIKE")
