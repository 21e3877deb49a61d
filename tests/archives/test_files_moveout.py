"""At the shop handover (收铺) the tenant's file becomes a moved-out file, closed on the
handover date: its retention clock starts at the end of that year."""

import pytest

from archives.models import Document, FileKind
from archives.selectors import file_catalogue
from deposits.services.moveouts import moveout_complete
from tests.conftest import ensure_fee_catalogue
from tests.deposits.test_moveouts import occupancy, prepared
from tests.factories.archives import file_document, tenant_file
from tests.factories.fees import today

pytestmark = pytest.mark.django_db


def test_completing_the_handover_marks_the_tenant_file_moved_out(assistant, manager):
    ensure_fee_catalogue()
    occ = occupancy()
    made = tenant_file(occ, by=assistant)
    other = tenant_file(by=assistant)  # another tenant's file stays as it was
    lease = file_document(made, "lease", by=assistant)
    report = file_document(made, "inspection_report", by=assistant)
    other_lease = file_document(other, "lease", by=assistant)
    moveout = prepared(assistant, occ)
    moveout_complete(by=manager, moveout=moveout)
    made.refresh_from_db()
    other.refresh_from_db()
    assert (made.kind, made.closed_on) == (FileKind.MOVED_OUT, today())
    assert (other.kind, other.closed_on) == (FileKind.IN_BUSINESS, None)
    # Its documents' retention counts from the end of this year: a lease 30 years, a report
    # for ever; the other file's clock has not started.
    assert dict(
        Document.objects.filter(pk__in=[lease.pk, report.pk, other_lease.pk]).values_list(
            "pk", "retention_end_year"
        )
    ) == {lease.pk: today().year + 30, report.pk: None, other_lease.pk: None}
    # A moved-out file's catalogue asks for the handover's papers.
    assert [t.code for t in file_catalogue(made).missing][-2:] == ["moveout_sheet", "refund_form"]


def test_a_handover_of_a_tenant_without_a_file_completes_as_before(assistant, manager):
    moveout = prepared(assistant)
    moveout_complete(by=manager, moveout=moveout)
    moveout.occupancy.refresh_from_db()
    assert moveout.occupancy.handed_over_on == today()
