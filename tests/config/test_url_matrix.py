"""Every URL the resolver knows answers anonymous and every role, GET and POST, exactly as
MATRIX below says; a URL without an entry fails, and so does an entry whose URL is gone.

One street is built once for the module (tests.factories); each request runs in a
savepoint that is rolled back, so every request sees the same street whatever came before
it (an approval that succeeds does not change what the next role is answered). A refused
request (403, 405, a redirect to the login page) and every GET must leave every table's row
count as it was. POSTs carry no data: a refused role must be refused before its data would
be read, and an allowed one gets the form again (200) or the record's page with the
service's message (302).

The Django admin is one entry per page the project decides on, not per generated URL: its
index, each registered model's list, and a delete page. The admin's other URLs (add, change,
history, delete of each model, its login, password and jsi18n pages) are Django's own
views, guarded by the same model permissions as the lists (config.roles, checked exactly by
test_roles_and_auth.py); listing some 45 generated names would copy Django's URL scheme into
the matrix without testing a decision of ours. A model newly registered in the admin needs
its list's entry here.

Adding a URL: one line in MATRIX (and, when it takes parameters, its arguments' name, one
line in ``url_arguments``).
"""

import copy
import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from PIL import Image

from archives.models import RecordKind, RegisterImport
from archives.services import access_request_file, loan_lend
from archives.services.inventory import inventory_start
from archives.services.records import record_register
from archives.services.retention import destruction_draw, hold_place
from config.exporters import exporters
from config.roles import ROLE_LABELS, Role
from deposits.services.moveouts import moveout_add_item, moveout_start
from fees.enums import ReceiptStatus
from fees.models import FeeType
from tests.factories.archives import (
    CentreRecordFactory,
    ContractorFactory,
    NoticeDeliveryFactory,
    OccupancyFactory,
    VolumeFactory,
    closed_file,
    file_document,
    tenant_file,
)
from tests.factories.attendance import StaffFactory
from tests.factories.attendance_diary import diary_street
from tests.factories.complaints import CategoryFactory, DepartmentFactory, case_in
from tests.factories.deposits import (
    deposit_records,
)
from tests.factories.fees import (
    ChargeFactory,
    DiscrepancyFactory,
    ExportJobFactory,
    HandoverFactory,
    PermitFactory,
    ReceiptBookFactory,
    ReceiptFactory,
)
from tests.factories.people import UserFactory
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = tuple(ROLE_LABELS)  # every role of config.roles, in its order
WHO = (ANONYMOUS, *ROLES)
METHODS = ("GET", "POST")

# Answers that are more than a status code.
LOGIN = "login"  # a redirect to the site's login page (LoginRequiredMiddleware)
ADMIN_LOGIN = "admin login"  # a redirect to the admin's own login page

# --- who ---------------------------------------------------------------------------------

ASSISTANT, MANAGER, FINANCE = Role.ASSISTANT, Role.MANAGER, Role.FINANCE
AUDITOR, DEPARTMENT, ADMINISTRATOR = Role.AUDITOR, Role.DEPARTMENT, Role.ADMINISTRATOR

EVERYONE = frozenset(ROLES)
# Money: the desk, the manager, finance and the auditor read everything of fees.
FEES_READERS = frozenset({ASSISTANT, MANAGER, FINANCE, AUDITOR})
# Statements and audit packs (fees.download_statement): finance and the auditor.
STATEMENT_READERS = frozenset({FINANCE, AUDITOR})
# The register (archives): read by whoever reads money, and kept by the administrator.
REGISTER_READERS = FEES_READERS | {ADMINISTRATOR}
REGISTER_KEEPERS = frozenset({ASSISTANT, MANAGER, ADMINISTRATOR})
# Units alone: every department may look a unit up.
UNIT_READERS = REGISTER_READERS | {DEPARTMENT}
# Tenant files: the centre's staff and the auditor; no other role without a permission.
FILE_READERS = frozenset({ASSISTANT, MANAGER, AUDITOR})
# The centre's own records (archives.models.records): kept by the desk and the manager,
# read by the auditor too.
RECORD_KEEPERS = frozenset({ASSISTANT, MANAGER})
RECORD_READERS = RECORD_KEEPERS | {AUDITOR}
# The month-end inventory check: run by the desk, read by the manager and the auditor.
INVENTORY_READERS = frozenset({ASSISTANT, MANAGER, AUDITOR})
# Destruction lists and the register: drawn and recorded by the desk, approved by the
# manager and finance (the second reviewer), read by the auditor.
DESTRUCTION_READERS = frozenset({ASSISTANT, MANAGER, FINANCE, AUDITOR})
# Holds: placed and lifted by the manager, read by the desk and the auditor.
HOLD_READERS = frozenset({ASSISTANT, MANAGER, AUDITOR})
# Deposits and decorations: read by whoever reads money (deposits' view permissions).
DEPOSIT_READERS = FEES_READERS
# Cases: the desk and the manager log them, the auditor reads them, a department reads and
# works those assigned to it (the street's case is assigned to the department's user).
CASE_DESK = frozenset({ASSISTANT, MANAGER})
CASE_READERS = CASE_DESK | {AUDITOR, DEPARTMENT}
# The monthly statistics of cases (complaints.view_statistics): the manager and the auditor.
CASE_STATISTICS_READERS = frozenset({MANAGER, AUDITOR})
# Departments and categories: kept by the manager, read by the desk, the auditor and the
# administrator (who kept them in the admin before).
CASE_CATALOGUE_READERS = CASE_DESK | {AUDITOR, ADMINISTRATOR}
# Attendance: kept by the desk (the register) and the manager (staff, shifts, signatures),
# read by the auditor; finance and the departments read none of it (config.roles).
ATTENDANCE_READERS = frozenset({ASSISTANT, MANAGER, AUDITOR})
ATTENDANCE_DESK = frozenset({ASSISTANT, MANAGER})
# The work diary, the shift handovers and every task: written by the desk (tasks given by
# the manager), read by the manager and the auditor (ATTENDANCE_READERS above).
# The admin is for the administrator (the only staff role).
ADMIN_USERS = frozenset({ADMINISTRATOR})


# --- what each one is answered -----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """The expected answer of one URL, per method and per person (ANONYMOUS or a role);
    ``args``: the name of the street's URL arguments it takes (url_arguments)."""

    get: dict[str, object]
    post: dict[str, object]
    args: str = ""

    def expected(self, method: str, who: str) -> object:
        return (self.get if method == "GET" else self.post)[who]


def answers(given: dict[object, frozenset], *, others=403, anonymous=LOGIN) -> dict[str, object]:
    """{answer: roles} -> each person's answer; roles not named get ``others``."""
    found = {ANONYMOUS: anonymous, **dict.fromkeys(ROLES, others)}
    for answer, roles in given.items():
        found.update(dict.fromkeys(roles, answer))
    return found


def entry(get: dict, post: dict, args: str = "", **anonymous_and_others) -> Entry:
    return Entry(answers(get, **anonymous_and_others), answers(post, **anonymous_and_others), args)


def page(readers, args: str = "") -> Entry:
    """A page to read: 200 for its readers, who may not POST to it (405); 403 for others."""
    return entry({200: readers}, {405: readers}, args)


def download(readers, args: str = "") -> Entry:
    """A file (PDF, Excel, ZIP) to read: as a page."""
    return page(readers, args)


def form(writers, args: str = "") -> Entry:
    """A form page: 200, and an empty POST shows the form again (200) with its errors."""
    return entry({200: writers}, {200: writers}, args)


def action(actors, args: str = "") -> Entry:
    """A POST-only action: GET is 405 for everyone; a POST of an allowed role comes back
    to the record (302) with the service's message, whether it acted or refused."""
    return entry({405: EVERYONE}, {302: actors}, args)


def on_page(actors, args: str = "") -> Entry:
    """A form of a record's page, posted to an address of its own: GET is 405 for everyone;
    an empty POST of an allowed role is the page again with the errors next to the fields
    (400), and nothing written."""
    return entry({405: EVERYONE}, {400: actors}, args)


def reveal(args: str) -> Entry:
    """A whole ID number: shown (200) to a POST of the roles that need it, once recorded."""
    return entry({405: EVERYONE}, {200: {ASSISTANT, MANAGER}}, args)


def goes_on(readers, args: str = "") -> Entry:
    """An address that sends its readers on to a page (302); 405 to a POST."""
    return entry({302: readers}, {405: readers}, args)


def public(get, post, args: str = "") -> Entry:
    """Anyone, without logging in, gets the same answer."""
    return Entry(dict.fromkeys(WHO, get), dict.fromkeys(WHO, post), args)


def admin_page(get=200, post=200, args: str = "", anonymous=LOGIN) -> Entry:
    """A page of the admin: the administrator (staff) gets it; other roles are sent to the
    admin's own login page, which says that their account may not enter it."""
    return entry(
        {get: ADMIN_USERS}, {post: ADMIN_USERS}, args, others=ADMIN_LOGIN, anonymous=anonymous
    )


# fmt: off
MATRIX: dict[str, Entry] = {
    # --- config: the floor ----------------------------------------------------------------
    "home":                     page(EVERYONE),
    "health":                   public(200, 405),
    "login":                    entry({302: EVERYONE}, {302: EVERYONE}, anonymous=200),
    "logout":                   entry({405: EVERYONE}, {LOGIN: EVERYONE}),
    "password_change":          form(EVERYONE),
    "password_change_done":     page(EVERYONE),
    "set_language":             public(302, 302),
    "rights_changes":           page({MANAGER, AUDITOR, ADMINISTRATOR}),
    "verify_receipt":           public(200, 405, "receipt_token"),
    # Each report by itself: its parameters' form (its file once they are given).
    "export[audit_pack]":           page(STATEMENT_READERS),
    "export[book_gaps_xlsx]":       download(FEES_READERS),
    "export[case_statistics_pdf]":  page(CASE_STATISTICS_READERS),
    "export[case_statistics_xlsx]": page(CASE_STATISTICS_READERS),
    "export[change_history]":       page(STATEMENT_READERS),
    "export[charge_ageing_pdf]":    download(FEES_READERS),
    "export[charge_ageing_xlsx]":   download(FEES_READERS),
    "export[daily_closes]":         page(STATEMENT_READERS),
    "export[deposit_ledger_pdf]":   download(FEES_READERS),
    "export[deposit_ledger_xlsx]":  download(FEES_READERS),
    "export[deposit_refunds]":      page(STATEMENT_READERS),
    "export[handover_slips]":       page(STATEMENT_READERS),
    "export[month_statement_pdf]":  page(STATEMENT_READERS),
    "export[month_statement_xlsx]": page(STATEMENT_READERS),
    "export[period_statement_pdf]": page(STATEMENT_READERS),
    "export[period_statement_xlsx]": page(STATEMENT_READERS),
    "export[receipt_prints]":       page(STATEMENT_READERS),
    "export[receipt_chain]":        page(STATEMENT_READERS),
    "export[receipt_register]":     page(STATEMENT_READERS),
    "export[register_import_template]": download({MANAGER}),
    "export[tenant_summary_xlsx]":  download(REGISTER_READERS),
    "export[access_log_xlsx]":      page({MANAGER, AUDITOR}),
    # --- the admin (a sample: see the module's docstring) ---------------------------------
    "admin:index":                                    admin_page(anonymous=ADMIN_LOGIN),
    "admin:archives_accesslog_changelist":            admin_page(403, 403),
    "admin:archives_contractor_changelist":           admin_page(200, 200),
    "admin:archives_occupancy_changelist":            admin_page(200, 200),
    "admin:archives_tenant_changelist":               admin_page(200, 200),
    "admin:archives_unit_changelist":                 admin_page(200, 200),
    "admin:auth_group_changelist":                    admin_page(200, 200),
    "admin:auth_user_changelist":                     admin_page(200, 200),
    "admin:axes_accessattempt_changelist":            admin_page(403, 403),
    "admin:axes_accessfailurelog_changelist":         admin_page(403, 403),
    "admin:axes_accesslog_changelist":                admin_page(403, 403),
    # One row: its list opens the row.
    "admin:config_rightschange_changelist":           admin_page(200, 200),
    "admin:config_centre_changelist":                 admin_page(302, 302),
    "admin:complaints_category_changelist":           admin_page(200, 200),
    "admin:complaints_department_changelist":         admin_page(200, 200),
    "admin:config_calendarday_changelist":            admin_page(200, 200),
    "admin:django_tasks_database_dbtaskresult_changelist": admin_page(403, 403),
    "admin:fees_feetype_changelist":                  admin_page(200, 200),
    "admin:fees_feetype_delete":                      admin_page(403, 403, "fee_type"),
    # --- archives: the register -----------------------------------------------------------
    "search":                       page(UNIT_READERS),
    "archives:index":               goes_on(UNIT_READERS),
    "archives:unit_list":           page(UNIT_READERS),
    "archives:unit_create":         form(REGISTER_KEEPERS),
    "archives:unit_detail":         page(UNIT_READERS, "unit"),
    "archives:unit_update":         form(REGISTER_KEEPERS, "unit"),
    "archives:tenant_list":         page(REGISTER_READERS),
    "archives:tenant_create":       form(REGISTER_KEEPERS),
    "archives:tenant_detail":       page(REGISTER_READERS, "tenant"),
    "archives:tenant_update":       form(REGISTER_KEEPERS, "tenant"),
    "archives:tenant_move_in":      form(REGISTER_KEEPERS, "tenant"),
    "archives:tenant_verify":       action(REGISTER_KEEPERS, "tenant"),
    "archives:occupancy_list":      page(REGISTER_READERS),
    "archives:occupancy_detail":    page(REGISTER_READERS, "occupancy"),
    "archives:contractor_list":     page(REGISTER_READERS),
    "archives:contractor_create":   form(REGISTER_KEEPERS),
    "archives:contractor_detail":   page(REGISTER_READERS, "contractor"),
    "archives:contractor_update":   form(REGISTER_KEEPERS, "contractor"),
    "archives:contractor_suggestions": page(REGISTER_READERS),
    "archives:tenant_suggestions":  page(REGISTER_READERS),
    "archives:tenant_id_number":    reveal("tenant"),
    "archives:access_log":          page({MANAGER, AUDITOR}),
    # --- archives: tenant files (一户一档) -------------------------------------------------
    "archives:file_list":           page(FILE_READERS),
    "archives:file_open":           form({ASSISTANT}, "occupancy_of_moveout"),
    "archives:file_detail":         page(FILE_READERS, "tenant_file"),
    "archives:file_move":           form({ASSISTANT}, "tenant_file"),
    "archives:document_add":        form({ASSISTANT}, "tenant_file"),
    "archives:file_catalogue_pdf":  download(FILE_READERS, "tenant_file"),
    "archives:document_scan":       download(FILE_READERS, "file_document"),
    # Access to a file outside the centre (查阅登记): a department asks, the manager decides;
    # the street's request is the department user's own (it reads its page).
    "archives:access_request_list":   page(FILE_READERS | {DEPARTMENT}),
    "archives:access_request_create": form({DEPARTMENT}),
    "archives:access_request_detail": page(FILE_READERS | {DEPARTMENT}, "access_request"),
    "archives:access_request_approve": form({MANAGER}, "access_request"),
    "archives:access_request_refuse": form({MANAGER}, "access_request"),
    # Loans (借阅): the desk and the manager lend and take back; the auditor reads.
    "archives:loan_list":           page(FILE_READERS),
    "archives:loan_overdue":        page(FILE_READERS),
    "archives:loans_leaving":       page(FILE_READERS),
    "archives:loan_detail":         page(FILE_READERS, "loan"),
    "archives:loan_return":         form(RECORD_KEEPERS, "loan"),
    "archives:document_lend":       form(RECORD_KEEPERS, "file_document"),
    "archives:record_lend":         form(RECORD_KEEPERS, "record"),
    # Tenants' details verified every six months.
    "archives:verification_due":    page(REGISTER_READERS),
    "archives:tenant_verify_edit":  form(REGISTER_KEEPERS, "tenant"),
    # --- archives: the centre's own records -----------------------------------------------
    "archives:record_list":         page(RECORD_READERS),
    "archives:record_create":       form(RECORD_KEEPERS),
    "archives:record_detail":       page(RECORD_READERS, "record"),
    "archives:record_file":         on_page(RECORD_KEEPERS, "record"),
    "archives:record_scan":         download(RECORD_READERS, "record"),
    "archives:notice_delivery":     page(RECORD_READERS, "notice"),
    "archives:notice_send":         on_page(RECORD_KEEPERS, "notice"),
    "archives:delivery_sign":       on_page(RECORD_KEEPERS, "delivery"),
    "archives:volume_list":         page(RECORD_READERS),
    "archives:volume_create":       form(RECORD_KEEPERS),
    "archives:volume_detail":       page(RECORD_READERS, "volume"),
    "archives:volume_update":       form(RECORD_KEEPERS, "volume"),
    "archives:volume_close":        action(RECORD_KEEPERS, "volume"),
    "archives:volume_catalogue_pdf": download(RECORD_READERS, "volume"),
    # The day-one import (the manager's) and the tenant summary.
    # --- archives: the month-end inventory check -----------------------------------------
    "archives:inventory_list":      page(INVENTORY_READERS),
    "archives:inventory_start":     action({ASSISTANT}),
    "archives:inventory_detail":    page(INVENTORY_READERS, "inventory_run"),
    "archives:inventory_mark":      action({ASSISTANT}, "inventory_item"),
    "archives:inventory_mark_page": action({ASSISTANT}, "inventory_run"),
    "archives:inventory_complete":  action({ASSISTANT}, "inventory_run"),
    "archives:inventory_report":    page(INVENTORY_READERS, "inventory_run"),
    "archives:inventory_report_pdf": download(INVENTORY_READERS, "inventory_run"),
    # --- archives: retention, holds and destruction ---------------------------------------
    "archives:retention_due":       page(DESTRUCTION_READERS),
    "archives:destruction_list":    page(DESTRUCTION_READERS),
    "archives:destruction_draw":    action({ASSISTANT}),
    "archives:destruction_register": page(DESTRUCTION_READERS),
    "archives:destruction_register_pdf": download(DESTRUCTION_READERS),
    "archives:destruction_detail":  page(DESTRUCTION_READERS, "destruction_list"),
    "archives:destruction_approve": action({MANAGER}, "destruction_list"),
    "archives:destruction_review":  action({FINANCE}, "destruction_list"),
    "archives:destruction_reject":  on_page({MANAGER, FINANCE}, "destruction_list"),
    "archives:destruction_record":  on_page({ASSISTANT}, "destruction_list"),
    "archives:destruction_pdf":     download(DESTRUCTION_READERS, "destruction_list"),
    "archives:hold_list":           page(HOLD_READERS),
    "archives:hold_place_document": form({MANAGER}, "file_document"),
    "archives:hold_place_record":   form({MANAGER}, "record"),
    "archives:hold_lift":           form({MANAGER}, "hold"),
    "archives:tenant_summary_xlsx": download(REGISTER_READERS),
    "archives:import_upload":       form({MANAGER}),
    "archives:import_template":     download({MANAGER}),
    "archives:import_detail":       page({MANAGER}, "register_import"),
    "archives:import_confirm":      action({MANAGER}, "register_import"),
    # --- fees: receipts -------------------------------------------------------------------
    "fees:index":                   goes_on(FEES_READERS),
    "fees:receipt_list":            page(FEES_READERS),
    "fees:receipt_create":          form({ASSISTANT}),
    "fees:receipt_preview":         entry({405: EVERYONE}, {200: {ASSISTANT}}),
    "fees:receipt_unit":            page({ASSISTANT}),
    "fees:receipt_detail":          page(FEES_READERS, "receipt"),
    "fees:receipt_print":           entry({405: EVERYONE}, {200: {ASSISTANT, MANAGER}}, "receipt"),
    "fees:receipt_request_void":    action({ASSISTANT}, "receipt"),
    "fees:receipt_approve_void":    action({MANAGER}, "receipt"),
    "fees:receipt_reject_void":     action({MANAGER}, "receipt"),
    "fees:receipt_reverse":         action({MANAGER}, "receipt"),
    # --- fees: the daily close ------------------------------------------------------------
    "fees:day_list":                page(FEES_READERS),
    "fees:day_today":               goes_on(FEES_READERS),
    "fees:day_detail":              page(FEES_READERS, "today"),
    "fees:day_count":               action({ASSISTANT}, "today"),
    "fees:day_submit":              action({ASSISTANT}, "today"),
    "fees:day_approve":             action({MANAGER}, "today"),
    "fees:day_return":              action({MANAGER}, "today"),
    "fees:day_handover":            action({FINANCE}, "today"),
    "fees:handover_slip":           download(FEES_READERS, "handed_over_day"),
    "fees:discrepancy_list":        page(FEES_READERS),
    "fees:discrepancy_sign_off":    action({MANAGER}, "discrepancy"),
    # --- fees: permits --------------------------------------------------------------------
    "fees:chain_verify":           page({MANAGER, FINANCE, AUDITOR}),
    "fees:discount_approval_list":  page({MANAGER, FINANCE, AUDITOR}),
    "fees:permit_list":             page(FEES_READERS),
    "fees:permit_expiring":         page(FEES_READERS),
    "fees:permit_not_returned":     page(FEES_READERS),
    "fees:permit_issue":            form({ASSISTANT}),
    "fees:permit_detail":           page(FEES_READERS, "permit"),
    "fees:permit_return":           action({ASSISTANT}, "permit"),
    "fees:permit_lost":             action({ASSISTANT}, "permit"),
    "fees:permit_id_number":       reveal("permit"),
    "fees:permit_photo":            download(FEES_READERS, "permit"),
    "fees:permit_card":             download({ASSISTANT}, "permit"),
    "fees:permit_batch":            page(FEES_READERS, "permit_receipt"),
    "fees:permit_receipt_cards":    download({ASSISTANT}, "permit_receipt"),
    # --- fees: charges --------------------------------------------------------------------
    "fees:charge_list":             page(FEES_READERS),
    "fees:charge_create":           form({ASSISTANT}),
    "fees:charge_detail":           page(FEES_READERS, "charge"),
    "fees:charge_cancel":           action({ASSISTANT}, "charge"),
    "fees:dunning_note_add":        entry({405: EVERYONE}, {400: {ASSISTANT}}, "charge"),
    "fees:tenant_statement":        page(FEES_READERS, "tenant_of_statement"),
    "fees:charge_ageing":           page(FEES_READERS),
    "fees:charge_ageing_xlsx":      download(FEES_READERS),
    "fees:charge_ageing_pdf":       download(FEES_READERS),
    # --- fees: paper receipt books --------------------------------------------------------
    "fees:book_list":               page(FEES_READERS),
    "fees:book_register":           form({ASSISTANT}),
    "fees:book_gaps":               page(FEES_READERS),
    "fees:book_gaps_xlsx":          download(FEES_READERS),
    "fees:book_detail":             page(FEES_READERS, "book"),
    "fees:book_return":             action({ASSISTANT}, "book"),
    "fees:book_transcribe":         form({ASSISTANT}, "book_number"),
    "fees:book_spoil":              form({ASSISTANT}, "book_number"),
    # --- fees: finance --------------------------------------------------------------------
    "fees:finance_index":           page(FEES_READERS),
    "fees:finance_period":          page(FEES_READERS),
    "fees:finance_period_xlsx":     download(STATEMENT_READERS, "period"),
    "fees:finance_period_pdf":      download(STATEMENT_READERS, "period"),
    "fees:finance_month":           page(FEES_READERS, "this_month"),
    "fees:finance_month_xlsx":      download(STATEMENT_READERS, "this_month"),
    "fees:finance_month_pdf":       download(STATEMENT_READERS, "this_month"),
    "fees:finance_month_lock":      action({FINANCE}, "this_month"),
    "fees:export_list":             form(STATEMENT_READERS),
    "fees:export_detail":           page(STATEMENT_READERS, "job"),
    "fees:export_progress":         page(STATEMENT_READERS, "job"),
    "fees:export_download":         download(STATEMENT_READERS, "job"),
    # --- deposits: decoration applications and violations ---------------------------------
    "deposits:index":                   page(DEPOSIT_READERS),
    "deposits:application_list":        page(DEPOSIT_READERS),
    "deposits:application_create":      form({ASSISTANT}),
    "deposits:application_detail":      page(DEPOSIT_READERS, "application"),
    "deposits:application_approve":     action({MANAGER}, "application"),
    "deposits:application_reject":      on_page({MANAGER}, "application"),
    "deposits:application_start":       on_page({ASSISTANT}, "application"),
    "deposits:application_extend":      on_page({ASSISTANT}, "application"),
    "deposits:application_close":       action({ASSISTANT}, "application"),
    "deposits:application_deposit_take": on_page({ASSISTANT}, "application"),
    "deposits:application_permits":     form({ASSISTANT}, "application"),
    "deposits:application_permit_link": on_page({ASSISTANT}, "application"),
    "deposits:application_inspect":     form({ASSISTANT}, "application"),
    "deposits:application_document_add": on_page({ASSISTANT}, "application"),
    "deposits:application_document":    download(DEPOSIT_READERS, "application_document"),
    "deposits:inspection_photo":        download(DEPOSIT_READERS, "inspection_photo"),
    "deposits:violation_list":          page(DEPOSIT_READERS),
    "deposits:violation_create":        form({ASSISTANT}),
    "deposits:violation_detail":        page(DEPOSIT_READERS, "violation"),
    "deposits:violation_resolve":       on_page({ASSISTANT}, "violation"),
    "deposits:violation_photo":         download(DEPOSIT_READERS, "violation_photo"),
    # --- deposits: deposits and their refunds ---------------------------------------------
    "deposits:deposit_list":        page(FEES_READERS),
    "deposits:deposit_record":      form({ASSISTANT}),
    "deposits:deposit_detail":      page(FEES_READERS, "deposit"),
    "deposits:deposit_forfeit":     form({MANAGER}, "deposit"),
    "deposits:deduction_photo":     download(FEES_READERS, "deduction"),
    "deposits:refund_list":         page(FEES_READERS),
    "deposits:refund_prepare":      form({ASSISTANT}, "deposit"),
    "deposits:refund_detail":       page(FEES_READERS, "refund"),
    "deposits:refund_approve":      action({MANAGER}, "refund"),
    "deposits:refund_return":       action({MANAGER}, "refund"),
    "deposits:refund_pay":          action({FINANCE}, "approved_refund"),
    "deposits:refund_pdf":          download(FEES_READERS, "refund"),
    # --- deposits: shop handovers (收铺) ----------------------------------------------------
    "deposits:moveout_list":        page(FEES_READERS),
    "deposits:moveout_start":       form({ASSISTANT}, "occupancy_of_moveout"),
    "deposits:moveout_detail":      page(FEES_READERS, "moveout"),
    "deposits:moveout_keys":        entry({405: EVERYONE}, {200: {ASSISTANT}}, "moveout"),
    "deposits:moveout_reading":     entry({405: EVERYONE}, {200: {ASSISTANT}}, "moveout"),
    "deposits:moveout_item":        entry({405: EVERYONE}, {200: {ASSISTANT}}, "moveout"),
    "deposits:moveout_condition":   action({ASSISTANT}, "moveout"),
    "deposits:moveout_late_days":   action({ASSISTANT}, "moveout"),
    "deposits:moveout_cancel":      action({ASSISTANT}, "moveout"),
    "deposits:moveout_complete":    action({MANAGER}, "moveout"),
    "deposits:moveout_pdf":         download(FEES_READERS, "moveout"),
    "deposits:moveout_item_photo":  download(FEES_READERS, "moveout_item"),
    # --- the areas still to come ----------------------------------------------------------
    "deposits:ledger":              page(FEES_READERS),
    "deposits:ledger_xlsx":         download(FEES_READERS),
    "deposits:ledger_pdf":          download(FEES_READERS),
    "complaints:index":             page(CASE_READERS),
    # --- complaints: cases ----------------------------------------------------------------
    "complaints:case_list":         page(CASE_READERS),
    "complaints:case_queue":        page({DEPARTMENT}),
    "complaints:case_create":       form(CASE_DESK),
    "complaints:case_detail":       page(CASE_READERS, "case"),
    "complaints:case_assign":       action(CASE_DESK, "case"),
    "complaints:case_reassign":     action({MANAGER}, "case"),
    "complaints:case_start":        action({DEPARTMENT}, "case"),
    "complaints:case_wait":         action({DEPARTMENT}, "case"),
    "complaints:case_resume":       action({DEPARTMENT}, "case"),
    "complaints:case_update":       action({DEPARTMENT}, "case"),
    "complaints:case_resolve":      action({DEPARTMENT}, "case"),
    "complaints:case_close":        action({MANAGER}, "case"),
    "complaints:case_callback":     action(CASE_DESK, "case"),
    "complaints:case_work_order":   download(CASE_READERS, "case"),
    "complaints:statistics":        page(CASE_STATISTICS_READERS),
    "complaints:callback_list":     page(CASE_DESK),
    # --- complaints: the manager's departments and categories -----------------------------
    "complaints:department_list":   page(CASE_CATALOGUE_READERS),
    "complaints:department_create": form({MANAGER}),
    "complaints:department_update": form({MANAGER}, "department"),
    "complaints:department_deactivate": action({MANAGER}, "department"),
    "complaints:department_activate": action({MANAGER}, "department"),
    "complaints:category_list":     page(CASE_CATALOGUE_READERS),
    "complaints:category_create":   form({MANAGER}),
    "complaints:category_update":   form({MANAGER}, "category"),
    "complaints:category_deactivate": action({MANAGER}, "category"),
    "complaints:category_activate": action({MANAGER}, "category"),
    "attendance:index":             goes_on(EVERYONE),  # the register, or one's tasks
    "attendance:staff_list":        page(ATTENDANCE_READERS),
    "attendance:staff_create":      form({MANAGER}),
    "attendance:staff_update":      form({MANAGER}, "att_staff"),
    "attendance:staff_leave":       form({MANAGER}, "att_staff"),
    "attendance:shift_list":        page(ATTENDANCE_READERS),
    "attendance:shift_create":      form({MANAGER}),
    "attendance:shift_update":      form({MANAGER}, "att_shift"),
    # The day's register: read by all three; an empty POST is the form again with errors.
    "attendance:register":          entry({200: ATTENDANCE_READERS}, {200: ATTENDANCE_DESK}),
    "attendance:month_list":        page(ATTENDANCE_READERS),
    "attendance:month_sheet":       page(ATTENDANCE_READERS, "this_month"),
    "attendance:month_xlsx":        download(ATTENDANCE_READERS, "this_month"),
    "attendance:month_pdf":         download(ATTENDANCE_READERS, "this_month"),
    "attendance:month_sign":        action({MANAGER}, "this_month"),
    "export[attendance_month_xlsx]": page(ATTENDANCE_READERS),
    "export[attendance_month_pdf]": page(ATTENDANCE_READERS),
    # --- attendance: the work diary, the shift handover, the manager's tasks ---------------
    "attendance:diary_list":        page(ATTENDANCE_READERS),
    "attendance:diary_create":      form({ASSISTANT}),
    "attendance:diary_detail":      page(ATTENDANCE_READERS, "diary"),
    # Only the writer: the street's entry is the desk's.
    "attendance:diary_update":      form({ASSISTANT}, "diary"),
    "attendance:handover_list":     page(ATTENDANCE_READERS),
    "attendance:handover_create":   form({ASSISTANT}),
    "attendance:handover_detail":   page(ATTENDANCE_READERS, "handover"),
    # The desk's own draft: the outgoing person changes and submits it.
    "attendance:handover_update":   form({ASSISTANT}, "handover"),
    "attendance:handover_submit":   action({ASSISTANT}, "handover"),
    # A handover submitted to the desk: the incoming person answers it.
    "attendance:handover_acknowledge_all": action({ASSISTANT}, "submitted_handover"),
    "attendance:handover_item_answer": action({ASSISTANT}, "handover_item"),
    # Anybody's own tasks; the manager gives them; the street's task is the desk's.
    "attendance:task_list":         page(EVERYONE),
    # The daily report: the manager's, read by the auditor; not the desk (the takings).
    "attendance:report":            page({MANAGER, AUDITOR}),
    "attendance:report_pdf":        download({MANAGER, AUDITOR}),
    "attendance:task_create":       form({MANAGER}),
    "attendance:task_detail":       page(ATTENDANCE_READERS, "task"),
    "attendance:task_complete":     action({ASSISTANT}, "task"),
}
# fmt: on


# --- the street --------------------------------------------------------------------------


@dataclass
class Street:
    """The objects the URLs are asked about, one set made once, and a client per person."""

    clients: dict[str, Client] = field(default_factory=dict)
    args: dict[str, dict] = field(default_factory=dict)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def url_arguments() -> dict[str, dict]:
    """The URL arguments of every URL that takes some, by name, from real objects made
    once (``?``: a query string to add)."""
    today = timezone.localdate()
    occupancy = OccupancyFactory()
    contractor = ContractorFactory()
    # A receipt of today whose void the desk asked for: the manager's approval can act.
    receipt = ReceiptFactory(status=ReceiptStatus.VOID_REQUESTED)
    permit = PermitFactory(photo=png(), unit=occupancy.unit, contractor=contractor)
    charge = ChargeFactory(tenant=occupancy.tenant, unit=occupancy.unit)
    book = ReceiptBookFactory()
    handover = HandoverFactory()  # a past day, handed over: its slip prints
    discrepancy = DiscrepancyFactory()  # another past day, short by 10.00, not signed off
    job = ExportJobFactory(requested_by=UserFactory(username=f"staff-{FINANCE}"))
    fee_type = FeeType.objects.get(code="permit_fee")
    decorations = deposit_records(UserFactory(username=f"staff-{ASSISTANT}", roles=[ASSISTANT]))
    # An open shop handover of another occupancy, with a condition item and its photo.
    desk = UserFactory(username=f"staff-{ASSISTANT}-moveout", roles=[ASSISTANT])
    moveout = moveout_start(
        by=desk,
        occupancy=OccupancyFactory(),
        planned_on=today,
        keys_issued=2,
        late_daily_fee="0",
    )
    item = moveout_add_item(
        by=desk, moveout=moveout, description="墙面污损", price="0", photo=png()
    )
    made = tenant_file(by=desk)
    scanned = file_document(made, "lease", by=desk, upload=png())
    # A request of the department's user to read the file, awaiting the manager; a loan of
    # a document of the file, out with the desk.
    asker = UserFactory(username=f"staff-{DEPARTMENT}", roles=[DEPARTMENT])
    asked = access_request_file(by=asker, tenant_file=made, purpose="核对图纸", days=2)
    loan = loan_lend(
        by=desk,
        item=file_document(made, "move_in_form", by=desk),
        borrower=desk,
        due_on=today,
    )
    # A volume of this year holding a report with its scan, and a notice sent to a unit.
    volume = VolumeFactory(year=today.year)
    record = record_register(
        by=desk, kind=RecordKind.REPORT, date=today, title="月度报告", volume=volume, scan=png()
    )
    delivery = NoticeDeliveryFactory(
        notice=CentreRecordFactory(kind=RecordKind.NOTICE, date=today), unit=occupancy.unit
    )
    # A case assigned to the department of the matrix's department user.
    works = UserFactory(username=f"staff-{DEPARTMENT}", roles=[DEPARTMENT])
    case = case_in("assigned", department=DepartmentFactory(code="engineering", members=[works]))
    # A month's inventory check with its lines; a destruction list of a document past its
    # retention (a file closed twenty years ago); a hold on another document.
    inventory = inventory_start(by=desk, year=today.year, month=today.month)
    old = closed_file(date(today.year - 20, 6, 30), by=desk)
    file_document(old, "emergency_contacts", by=desk)
    destruction = destruction_draw(by=desk, review_due=today)
    hold = hold_place(
        by=UserFactory(username=f"staff-{MANAGER}-hold", roles=[MANAGER]),
        document=file_document(old, "lease", by=desk),
        reason="dispute",
        note="押金纠纷",
    )
    register_import = RegisterImport.objects.create(
        file_name="业户.xlsx",
        content=b"",
        sha256="0" * 64,
        checked_by=UserFactory(username=f"staff-{MANAGER}-import"),
    )
    # A member of staff on the usual shift, employed today: the register lists them.
    att_staff = StaffFactory(name="张三", joined_on=today.replace(year=today.year - 1))
    attendance = diary_street(
        UserFactory(username=f"staff-{ASSISTANT}", roles=[ASSISTANT]),
        UserFactory(username=f"staff-{MANAGER}", roles=[MANAGER]),
    )
    return {
        **decorations,
        **attendance,
        "att_staff": {"pk": att_staff.pk},
        "att_shift": {"pk": att_staff.shift_id},
        "tenant_file": {"pk": made.pk},
        "access_request": {"pk": asked.pk},
        "loan": {"pk": loan.pk},
        "file_document": {"pk": scanned.pk},
        "record": {"pk": record.pk},
        "notice": {"pk": delivery.notice_id},
        "delivery": {"pk": delivery.pk},
        "volume": {"pk": volume.pk},
        "register_import": {"pk": register_import.pk},
        "inventory_run": {"pk": inventory.pk},
        "inventory_item": {"pk": inventory.items.order_by("pk").first().pk},
        "destruction_list": {"pk": destruction.pk},
        "hold": {"pk": hold.pk},
        "case": {"pk": case.pk},
        "department": {"pk": case.department_id},
        "category": {"pk": CategoryFactory(name="漏水").pk},
        "unit": {"pk": occupancy.unit.pk},
        "tenant": {"pk": occupancy.tenant.pk},
        "tenant_of_statement": {"tenant_pk": occupancy.tenant.pk},
        "occupancy": {"pk": occupancy.pk},
        "contractor": {"pk": contractor.pk},
        "receipt": {"pk": receipt.pk},
        "receipt_token": {"token": receipt.token},
        "permit": {"pk": permit.pk},
        "permit_receipt": {"receipt_pk": permit.receipt_id},
        "charge": {"pk": charge.pk},
        "book": {"pk": book.pk},
        "book_number": {"pk": book.pk, "number": book.first_number},
        "today": {"day": today.isoformat()},
        "handed_over_day": {"day": handover.day.business_date.isoformat()},
        "discrepancy": {"pk": discrepancy.pk},
        "this_month": {"year": today.year, "month": today.month},
        "period": {"?": f"date_from={today.isoformat()}&date_to={today.isoformat()}"},
        "job": {"pk": job.pk},
        "fee_type": {"object_id": fee_type.pk},
        "occupancy_of_moveout": {"occupancy_pk": occupancy.pk},
        "moveout": {"pk": moveout.pk},
        "moveout_item": {"pk": item.pk},
    }


@pytest.fixture(scope="module")
def street(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back when the module is done."""
    media = tmp_path_factory.mktemp("media")
    fast = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, **fast):
        with transaction.atomic(), translation.override("en"):
            made = Street(args=url_arguments())
            made.clients[ANONYMOUS] = Client(raise_request_exception=False)
            for role in ROLES:
                # The factories' own member of staff of the role: who issued, counted...
                user = UserFactory(username=f"staff-{role}", roles=[role])
                user.is_staff = role == ADMINISTRATOR  # the admin is the administrator's
                user.save(update_fields=["is_staff"])
                client = Client(raise_request_exception=False)
                client.force_login(user)
                made.clients[role] = client
            for client in made.clients.values():
                client.cookies["django_language"] = "en"
            yield made
            transaction.set_rollback(True)


# --- the URLs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str  # the matrix's key: the URL's name, or export[<exporter>]
    name: str  # the URL's name
    params: tuple[str, ...]
    fixed: dict = field(default_factory=dict)  # arguments the key itself fixes


def targets() -> dict[str, Target]:
    """Every URL of the resolver, as the matrix names them."""
    found: dict[str, Target] = {}

    def walk(patterns, namespace):
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = ":".join(filter(None, [namespace, item.namespace]))
                if item.namespace == "admin":
                    continue  # a sample of it: admin_targets()
                walk(item.url_patterns, inner or None)
            elif isinstance(item, URLPattern) and item.name:
                name = f"{namespace}:{item.name}" if namespace else item.name
                params = tuple(item.pattern.converters) or tuple(item.pattern.regex.groupindex)
                found[name] = Target(name, name, params)

    walk(get_resolver().url_patterns, None)
    # One URL serves every registered report: each report is an entry of its own.
    export = found.pop("export")
    for item in exporters():
        key = f"export[{item.name}]"
        found[key] = Target(key, export.name, (), {"name": item.name})
    found.update(admin_targets())
    return found


def admin_targets() -> dict[str, Target]:
    found = {"admin:index": Target("admin:index", "admin:index", ())}
    for model in filter(admin.site.is_registered, apps.get_models()):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        found[name] = Target(name, name, ())
    # Nobody deletes a fee of the catalogue: receipts point to it.
    name = "admin:fees_feetype_delete"
    found[name] = Target(name, name, ("object_id",))
    return found


def url_of(target: Target, entry: Entry, street: Street) -> str:
    kwargs = {**target.fixed, **street.args.get(entry.args, {})}
    query = kwargs.pop("?", "")
    if set(target.params) - set(kwargs):
        pytest.fail(
            f"{target.key} takes {target.params}: its MATRIX line names its arguments, "
            "made in url_arguments()"
        )
    return reverse(target.name, kwargs=kwargs) + (f"?{query}" if query else "")


# --- asking ------------------------------------------------------------------------------


def answer_of(response) -> object:
    """The status, or LOGIN / ADMIN_LOGIN for a redirect to one of the login pages."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


@dataclass
class Asked:
    answer: object
    written: dict  # table: (rows before, rows after)


def ask(client: Client, method: str, url: str) -> Asked:
    """The answer to one request, in a savepoint rolled back afterwards (with the client's
    cookies as they were: a logout or a language switch is undone too)."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)
    try:
        with transaction.atomic():
            before = row_counts()
            response = client.generic(method, url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            after = row_counts() if response.status_code != 500 else before
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    written = {t: (before[t], after[t]) for t in before if before[t] != after.get(t)}
    return Asked(answer_of(response), written)


# --- the tests ---------------------------------------------------------------------------

# Reads that are recorded by design (DESIGN.md section 7: an upload is served through a view
# that logs access): an answered GET writes exactly one line of the access log, and nothing
# else.
RECORDED_READS = {"fees:permit_photo", "deposits:inspection_photo", "deposits:violation_photo"}
# A tenant file refuses whoever is neither the centre's staff nor under a permission, and
# logs the attempt (archives.views.access.file_gate): its 403 writes one line too.
RECORDED_REFUSALS = {
    "archives:file_detail",
    "archives:file_catalogue_pdf",
    "archives:document_scan",
}
ONE_ACCESS_LINE = "archives_accesslog"


def wrote_only_its_access_line(key: str, asked: Asked) -> bool:
    recorded = (key in RECORDED_READS and asked.answer == 200) or (
        key in RECORDED_REFUSALS and asked.answer == 403
    )
    if not recorded:
        return False
    return [(t, after - before) for t, (before, after) in asked.written.items()] == [
        (ONE_ACCESS_LINE, 1)
    ]


KNOWN = targets()


@pytest.mark.parametrize("key", sorted(set(MATRIX) | set(KNOWN)))
def test_every_url_answers_every_role_as_the_matrix_says(key, street):
    if key not in MATRIX:
        pytest.fail(
            f"{key} is a URL without an entry in MATRIX: add one line saying who may open it"
        )
    if key not in KNOWN:
        pytest.fail(f"MATRIX names {key}, which the resolver does not know: remove its line")
    expected = MATRIX[key]
    url = url_of(KNOWN[key], expected, street)
    wrong = []
    for method in METHODS:
        for who in WHO:
            asked = ask(street.clients[who], method, url)
            want = expected.expected(method, who)
            if asked.answer != want:
                wrong.append(f"{method} as {who}: {asked.answer}, expected {want}")
            refused = asked.answer in (403, 405, LOGIN, ADMIN_LOGIN)
            if wrote_only_its_access_line(key, asked):
                continue
            if asked.written and (method == "GET" or refused):
                wrong.append(f"{method} as {who} answered {asked.answer} and wrote {asked.written}")
    if wrong:
        pytest.fail(f"{key} ({url}) answers otherwise than MATRIX says:\n" + "\n".join(wrong))


# A POST of each role's own kind of work, and the login: refused without the CSRF token
# (and nothing written), answered as the matrix says with it.
CSRF_SAMPLE = [
    (ANONYMOUS, "login"),
    (ASSISTANT, "fees:receipt_create"),
    (ASSISTANT, "fees:receipt_request_void"),
    (MANAGER, "fees:receipt_approve_void"),
    (FINANCE, "fees:day_handover"),
    (FINANCE, "fees:export_list"),
    (ADMINISTRATOR, "archives:unit_create"),
]


@pytest.mark.parametrize("who, key", CSRF_SAMPLE)
def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(who, key, street):
    url = url_of(KNOWN[key], MATRIX[key], street)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies = copy.deepcopy(street.clients[who].cookies)  # the same login
    refused = ask(client, "POST", url)
    assert (refused.answer, refused.written) == (403, {})
    # A page gives the browser its token; sent back with the form, the POST goes through.
    page_with_a_form = reverse("login" if who == ANONYMOUS else "home")  # home: the logout
    token = client.get(page_with_a_form).cookies["csrftoken"].value
    with transaction.atomic():
        answered = client.post(url, {"csrfmiddlewaretoken": token})
        transaction.set_rollback(True)
    assert answer_of(answered) == MATRIX[key].expected("POST", who)
