"""The pages the benchmark times, part by part: (label, URL, who reads it).

Edit the tables freely: a URL is a template filled from the part's anchors (``{day}``,
``{unit.pk}`` ...), the records every size has alike, so that a page shows the same content at
both sizes: the busy day (the same receipts at both), a unit picked by its code, the tenth
record of a kind rather than "the middle one". Each page is read by the least-privileged role
that opens it where the desk is the reader, else by the manager.
"""

from datetime import timedelta

# A unit every size has (unit codes run A-1-01, A-1-02 ...: 100 units reach A-3-20).
UNIT_CODE = "A-1-05"
# The n-th record of a kind (by key) that a page shows: it exists at both sizes.
NTH = 10
# Any page past the last answers the last page (django-tables2 keeps the page in range).
LAST_PAGE = 999999
# A line may carry a fourth item, why it is for information only: it is timed and shown, but
# not held to the bar (its content grows with the data by design).

FEES = [
    ("receipt list (all years)", "/fees/receipts/", "manager"),
    ("receipt list, one month", "/fees/receipts/?date_from={month}&date_to={day}", "manager"),
    ("receipt list, payer filter", "/fees/receipts/?payer=A-1-0", "manager"),
    ("receipt list, last full page", "/fees/receipts/?page={receipts_last_full_page}", "manager"),
    ("receipt detail (busy day)", "/fees/receipts/{receipt.pk}/", "manager"),
    ("receipt form", "/fees/receipts/new/", "assistant"),
    (
        "receipt chain, this month",
        "/fees/finance/chain/?date_from={month}&date_to={day}",
        "manager",
    ),
    ("daily close of the busy day", "/fees/days/{day}/", "manager"),
    ("day list", "/fees/days/", "manager"),
    ("finance index (year)", "/fees/finance/", "manager"),
    ("finance month page", "/fees/finance/{day:%Y/%m}/", "manager"),
    ("charge list", "/fees/charges/", "manager"),
    ("charges ageing", "/fees/charges/ageing/", "manager"),
    ("permit list", "/fees/permits/", "manager"),
    ("access log", "/archives/access-log/", "manager"),
    ("rights record", "/rights/", "manager"),
    ("home (manager)", "/", "manager"),
    ("unit list", "/archives/units/", "manager"),
    ("unit list, sorted by tenant", "/archives/units/?sort=current_tenant", "manager"),
    ("unit list, last page", f"/archives/units/?page={LAST_PAGE}", "manager"),
    ("unit list, filtered by status", "/archives/units/?status=vacant", "manager"),
    ("tenant list", "/archives/tenants/", "manager"),
    ("tenant list, due for verification", "/archives/tenants/?verification=due", "manager"),
    ("tenant list, name filter", "/archives/tenants/?q={tenant.name:.2}", "manager"),
    ("occupancy list", "/archives/occupancies/?current=yes", "manager"),
    ("contractor list", "/archives/contractors/", "manager"),
    ("search by unit code", "/search/?q={unit.code}", "manager"),
    ("search by tenant name", "/search/?q={tenant.name:.3}", "manager"),
    ("search by phone", "/search/?q={phone_end}", "manager"),
    ("unit detail", "/archives/units/{unit.pk}/", "manager"),
    ("tenant detail", "/archives/tenants/{tenant.pk}/", "manager"),
    ("occupancy detail", "/archives/occupancies/{occupancy.pk}/", "manager"),
    ("contractor detail", "/archives/contractors/{contractor.pk}/", "manager"),
    # The desk before it counted the day: the blind count withholds the day from every
    # figure (fees.selectors.days), which must not cost a page its speed.
    ("home (assistant, blind)", "/", "assistant"),
    ("month page (assistant, blind)", "/fees/finance/{day:%Y/%m}/", "assistant"),
    ("finance index (assistant, blind)", "/fees/finance/", "assistant"),
    ("daily close (assistant, blind)", "/fees/days/{day}/", "assistant"),
]

DEPOSITS = [
    ("deposit ledger (held by unit)", "/deposits/ledger/", "manager"),
    ("deposit ledger, last page of units", f"/deposits/ledger/?page={LAST_PAGE}", "manager"),
    ("deposit ledger, refunds waiting", "/deposits/ledger/?show=waiting", "manager"),
    ("deposit ledger, open gates", "/deposits/ledger/?show=gates", "manager"),
    ("deposit ledger, dormant", "/deposits/ledger/?show=dormant", "manager"),
    (
        "deposit ledger (Excel)",
        "/deposits/ledger.xlsx",
        "manager",
        "lists every deposit held, by design: its rows grow with the data",
    ),
    ("decoration list", "/deposits/decorations/", "assistant"),
    ("decoration list, in progress", "/deposits/decorations/?status=in_progress", "assistant"),
    ("a decoration's page", "/deposits/decorations/{application}/", "assistant"),
    ("deposit list", "/deposits/list/", "assistant"),
    ("a deposit's page (its gate)", "/deposits/{deposit}/", "assistant"),
    ("refund list", "/deposits/refunds/", "manager"),
    ("a refund's page", "/deposits/refunds/{refund}/", "manager"),
    ("violation list", "/deposits/violations/", "assistant"),
    ("shop handover list", "/deposits/moveouts/", "assistant"),
    ("home (assistant: refunds to prepare)", "/", "assistant"),
    ("home (manager: refunds to approve)", "/", "manager"),
]

COMPLAINTS = [
    ("case list", "/complaints/cases/", "manager"),
    ("case list, open", "/complaints/cases/?show=open", "manager"),
    ("case list, overdue", "/complaints/cases/?show=overdue", "manager"),
    ("case list, due soon", "/complaints/cases/?show=due_soon", "manager"),
    ("case list, unassigned", "/complaints/cases/?show=unassigned", "manager"),
    (
        "case list, department + closed",
        "/complaints/cases/?department={cleaning.pk}&status=closed",
        "manager",
    ),
    ("case list, a late page", "/complaints/cases/?page={late_page}", "manager"),
    ("case list, sorted by due", "/complaints/cases/?sort=due_at", "manager"),
    ("case list, search words", "/complaints/cases/?q=漏水", "manager"),
    ("case list, search rare words", "/complaints/cases/?q=无此内容", "manager"),
    ("case list, search unit code", "/complaints/cases/?q={unit_code}", "manager"),
    ("case list, search number", "/complaints/cases/?q={case.number}", "manager"),
    ("a case's page", "/complaints/cases/{case.pk}/", "manager"),
    ("monthly statistics (last month)", "/complaints/statistics/", "manager"),
    ("log form, unit looked up", "/complaints/cases/new/?unit={unit_code}", "assistant"),
    ("callbacks due", "/complaints/callbacks/", "assistant"),
    ("department queue (engineering)", "/complaints/cases/mine/", "engineering"),
    ("home (assistant)", "/", "assistant"),
    ("home (manager)", "/", "manager"),
    ("home (engineering)", "/", "engineering"),
]

ARCHIVES = [
    ("file list", "/archives/files/", "manager"),
    ("file list, with gaps", "/archives/files/?gaps=yes", "manager"),
    ("file list, last page", f"/archives/files/?page={LAST_PAGE}", "manager"),
    ("file list, by unit code", "/archives/files/?q=A-1-0", "manager"),
    ("a file's page (staff)", "/archives/files/{file.pk}/", "assistant"),
    ("a file's page (permission, logged)", "/archives/files/{file.pk}/", "engineering"),
    ("access log", "/archives/access-log/", "manager"),
    ("access log, one person", "/archives/access-log/?user={reader.pk}", "manager"),
    ("access log, one file", "/archives/access-log/?file={file.number}", "manager"),
    ("access log, last 30 days", "/archives/access-log/?{month}", "manager"),
    ("access log, person + 30 days", "/archives/access-log/?user={reader.pk}&{month}", "manager"),
    ("access log, last page", f"/archives/access-log/?page={LAST_PAGE}", "manager"),
    ("destruction lists", "/archives/destruction/", "manager"),
    ("a destruction list", "/archives/destruction/{drawn.pk}/", "manager"),
    (
        "destruction list, last page",
        f"/archives/destruction/{{drawn.pk}}/?page={LAST_PAGE}",
        "manager",
    ),
    ("retention: what is due", "/archives/retention/due/", "manager"),
    ("overdue loans", "/archives/loans/overdue/", "manager"),
]

ATTENDANCE = [
    ("register (today, not taken)", "/attendance/register/", "assistant"),
    ("register (yesterday, taken)", "/attendance/register/?day={yesterday}", "assistant"),
    ("monthly sheet (last month)", "{sheet}", "manager"),
    ("monthly sheet Excel", "{sheet}xlsx/", "manager"),
    ("monthly sheet PDF", "{sheet}pdf/", "manager"),
    ("attendance sheets list", "/attendance/months/", "manager"),
    ("daily report (yesterday)", "/attendance/report/?day={yesterday}", "manager"),
    ("daily report PDF", "/attendance/report/pdf/?day={yesterday}", "manager"),
    ("staff list", "/attendance/staff/", "manager"),
    ("home (assistant)", "/", "assistant"),
    ("home (manager)", "/", "manager"),
]


def nth(queryset):
    """The NTH record of ``queryset`` by key (its last if it has fewer)."""
    ordered = queryset.order_by("pk")
    return ordered[min(NTH, ordered.count()) - 1]


def fees_anchors(day) -> dict:
    from archives.models import Contractor, Occupancy, Tenant, Unit
    from config.lists import PAGINATION
    from fees.models import Receipt

    unit = Unit.objects.get(code=UNIT_CODE)
    occupancy = Occupancy.objects.filter(unit=unit).order_by("-pk").first()
    tenant = occupancy.tenant if occupancy else nth(Tenant.objects.all())
    return {
        "day": day,
        "month": day.replace(day=1),
        "receipt": Receipt.objects.filter(business_date=day).order_by("number").first(),
        "unit": unit,
        "tenant": tenant,
        "phone_end": tenant.phone[-6:],
        "occupancy": occupancy or nth(Occupancy.objects.all()),
        "contractor": nth(Contractor.objects.all()),
        # The last page that shows a whole page of receipts: as deep as the list goes, with
        # as many rows at both sizes (the last page holds what is left over, which differs).
        "receipts_last_full_page": Receipt.objects.count() // PAGINATION["per_page"],
    }


def deposits_anchors(day) -> dict:
    from deposits.models import DecorationApplication, Deposit, Refund

    return {
        "application": nth(DecorationApplication.objects.all()).pk,
        "deposit": nth(Deposit.objects.filter(kind="decoration")).pk,
        "refund": nth(Refund.objects.all()).pk,
    }


def complaints_anchors(day) -> dict:
    from complaints.models import Case, Department
    from config.lists import PAGINATION

    count, per_page = Case.objects.count(), PAGINATION["per_page"]
    return {
        "case": nth(Case.objects.all()),
        "cleaning": Department.objects.get(code="cleaning"),
        # Five pages before the last: as deep as the list goes.
        "late_page": max(1, (count + per_page - 1) // per_page - 5),
        "unit_code": UNIT_CODE,
    }


def archives_anchors(day) -> dict:
    from django.contrib.auth import get_user_model

    from archives.models import AccessRequest, DestructionList

    # The permission running today (build_archives gives it to the middle file).
    permission = AccessRequest.objects.order_by("-starts_on", "-pk").first()
    return {
        "file": permission.file,
        "drawn": DestructionList.objects.order_by("-pk").first(),
        "reader": get_user_model().objects.get(username="engineering"),
        "month": f"date_from={day - timedelta(days=30)}&date_to={day}",
    }


def attendance_anchors(day) -> dict:
    last = day.replace(day=1) - timedelta(days=1)
    return {
        "yesterday": day - timedelta(days=1),
        "sheet": f"/attendance/months/{last.year}/{last.month}/",
    }


# part: (its pages, what fills their URLs)
PARTS = {
    "fees": (FEES, fees_anchors),
    "deposits": (DEPOSITS, deposits_anchors),
    "complaints": (COMPLAINTS, complaints_anchors),
    "archives": (ARCHIVES, archives_anchors),
    "attendance": (ATTENDANCE, attendance_anchors),
}


def part_pages(part: str, day) -> list[tuple]:
    """The part's pages with their URLs filled in for the database at hand (and why a line
    is for information, where it says)."""
    pages, anchors = PARTS[part]
    values = anchors(day)
    return [(label, url.format(**values), reader, *why) for label, url, reader, *why in pages]
