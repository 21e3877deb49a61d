"""The roles of DESIGN.md section 5, as Django groups with permissions, defined once here.

The assistant creates and prepares; the manager approves; finance confirms, pays and
exports; the auditor reads; other departments see what is assigned to them. Nobody is
given a delete permission on a money record. Later apps add their permissions here.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.privacy import WHOLE


class Role:
    ASSISTANT = "assistant"
    MANAGER = "manager"
    FINANCE = "finance"
    AUDITOR = "auditor"
    DEPARTMENT = "department"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.ASSISTANT: _("Front-desk assistant"),
    Role.MANAGER: _("Centre manager"),
    Role.FINANCE: _("Finance"),
    Role.AUDITOR: _("Auditor"),
    Role.DEPARTMENT: _("Other department"),
    Role.ADMINISTRATOR: _("Administrator"),
}


def model_perms(app_label: str, model: str, *actions: str) -> set[str]:
    return {f"{app_label}.{action}_{model}" for action in actions}


REGISTER_MODELS = ("unit", "tenant", "occupancy", "contractor")


def _register(*actions: str) -> set[str]:
    perms: set[str] = set()
    for model in REGISTER_MODELS:
        perms |= model_perms("archives", model, *actions)
    return perms


FEES_MODELS = (
    "feetype",
    "receipt",
    "receiptline",
    "receiptprint",
    "receiptbook",
    "spoiledpaperreceipt",
    "permit",
    "charge",
    "chargeoffset",
    "dunningnote",
    "dailyclose",
    "handover",
    "discrepancy",
    "monthlock",
    "payout",
)


def _fees_view() -> set[str]:
    perms: set[str] = set()
    for model in FEES_MODELS:
        perms |= model_perms("fees", model, "view")
    # Export jobs moved to config (any app's long export is one); who reads fees reads them.
    return perms | model_perms("config", "exportjob", "view")


def _fees(*codenames: str) -> set[str]:
    return {f"fees.{codename}" for codename in codenames}


DEPOSITS_MODELS = (
    "decorationapplication",
    "applicationextension",
    "applicationpermit",
    "inspection",
    "inspectionitem",
    "violation",
    "deposit",
    "refund",
    "deduction",
    "deductionphoto",
    "applicationdocument",
    "inspectionphoto",
    "violationphoto",
    "moveout",
    "moveoutreading",
    "moveoutitem",
)


def _deposits_view() -> set[str]:
    perms: set[str] = set()
    for model in DEPOSITS_MODELS:
        perms |= model_perms("deposits", model, "view")
    return perms


def _deposits(*codenames: str) -> set[str]:
    return {f"deposits.{codename}" for codename in codenames}


COMPLAINTS_MODELS = ("case", "caseaction", "callback", "department", "category")


def _complaints_view() -> set[str]:
    perms: set[str] = set()
    for model in COMPLAINTS_MODELS:
        perms |= model_perms("complaints", model, "view")
    return perms


def _complaints(*codenames: str) -> set[str]:
    return {f"complaints.{codename}" for codename in codenames}


# Personal data whole (config.privacy): the desk and the manager, who meet tenants and workers
# and call them, may show a whole ID number (each time recorded) and see mobile numbers;
# every other role reads both masked. The manager and the auditor read the access log.
PERSONAL_WHOLE = set(WHOLE.values())
ACCESS_LOG = {"archives.view_accesslog"}

# Tenant files (一户一档): the centre's staff read them (the auditor too); the desk opens,
# moves and fills them. Other roles read none until a recorded permission (archives, later).
FILES_VIEW = (
    model_perms("archives", "tenantfile", "view")
    | model_perms("archives", "document", "view")
    | model_perms("archives", "documenttype", "view")
    | model_perms("archives", "filelocation", "view")
)
FILES_KEEP = model_perms("archives", "tenantfile", "add", "change") | model_perms(
    "archives", "document", "add"
)
# Access to a tenant file outside the centre (查阅登记, archives.models.access): a department
# files a request for one file; the centre's staff read the requests, the manager decides.
ACCESS_REQUEST = model_perms("archives", "accessrequest", "add")
ACCESS_REQUESTS_VIEW = model_perms("archives", "accessrequest", "view")
ACCESS_APPROVE = {"archives.approve_accessrequest"}
# Loans (借阅) of documents and records: the desk and the manager lend and receive them
# back; the auditor reads them.
LOANS_KEEP = model_perms("archives", "loan", "view", "add", "change")
LOANS_VIEW = model_perms("archives", "loan", "view")
# The centre's own records (archives.models.records): the desk and the manager register
# them, file them into volumes and record notices' delivery; the auditor reads. Nobody
# deletes one (the models have no delete permission).
RECORDS_MODELS = ("volume", "centrerecord", "noticedelivery")


def _records(*actions: str) -> set[str]:
    perms: set[str] = set()
    for model in RECORDS_MODELS:
        perms |= model_perms("archives", model, *actions)
    return perms


# The month-end inventory check (archives.inventory): the desk starts, marks and completes
# it; the manager and the auditor read its result.
INVENTORY_VIEW = (
    model_perms("archives", "inventoryrun", "view")
    | model_perms("archives", "inventoryitem", "view")
    | model_perms("archives", "scanproblem", "view")
)
INVENTORY_KEEP = model_perms("archives", "inventoryrun", "add", "change")
# Retention and destruction (archives.retention): the desk draws destruction lists and
# records the destruction before a witness; the manager places and lifts holds and gives the
# first approval; finance gives the second (《会计档案管理办法》 has the accounting side
# take part in deciding what is destroyed, and finance is neither the desk that draws a
# list nor the manager; the auditor only reads). Finance reads the lists, not the files.
DESTRUCTION_VIEW = model_perms("archives", "destructionlist", "view") | model_perms(
    "archives", "destructionitem", "view"
)
RETENTION_VIEW = DESTRUCTION_VIEW | model_perms("archives", "hold", "view")

# Attendance (attendance.models.staff, .register): the desk registers each day and
# amends the days of an open month; the manager keeps the staff and their shifts, signs a
# month (which locks it) and alone amends a signed month; the auditor reads everything.
# Finance reads none of it (it pays salaries from the signed sheet the manager hands over,
# not from the register); departments read none.
ATTENDANCE_MODELS = ("shift", "staff", "attendancerecord", "amendment", "monthsignoff")


def _attendance_view() -> set[str]:
    perms: set[str] = set()
    for model in ATTENDANCE_MODELS:
        perms |= model_perms("attendance", model, "view")
    return perms


ATTENDANCE_REGISTER = {"attendance.register_attendance"}
ATTENDANCE_MANAGE = (
    model_perms("attendance", "staff", "add", "change")
    | model_perms("attendance", "shift", "add", "change")
    | {"attendance.sign_month", "attendance.amend_signed_month"}
)
# The work diary, the shift handover and the manager's tasks (attendance, issue #13): the
# desk writes its diary and hands its shift over (the incoming person answers the lines,
# checked by the service); the manager gives tasks and reads everything; the auditor reads.
# Any logged-in user sees and completes the tasks given to them (no permission: the
# assignee is checked by the service).
DIARY_VIEW = model_perms("attendance", "workdiary", "view")
HANDOVERS_VIEW = model_perms("attendance", "shifthandover", "view") | model_perms(
    "attendance", "handoveritem", "view"
)
TASKS_VIEW = model_perms("attendance", "task", "view")
DIARY_WRITE = DIARY_VIEW | model_perms("attendance", "workdiary", "add", "change")
HANDOVERS_WRITE = HANDOVERS_VIEW | model_perms("attendance", "shifthandover", "add", "change")
TASKS_GIVE = TASKS_VIEW | model_perms("attendance", "task", "add")
ATTENDANCE_READ = DIARY_VIEW | HANDOVERS_VIEW | TASKS_VIEW
# The daily report (每日情况汇报) goes to the manager; the auditor reads it too. Not the desk:
# it shows the day's takings, which a counting role sees only after its blind count.
DAILY_REPORT = {"attendance.view_daily_report"}

# Who reads the record of every change of a user's rights (config.rights).
_RIGHTS_VIEW = model_perms("config", "rightschange", "view")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ASSISTANT: _register("view", "add", "change")
    | _fees_view()
    | _fees(
        "issue_receipt",
        "add_receiptprint",
        "request_void",
        "issue_permit",
        "bill_charge",
        "add_dunningnote",
        "manage_receipt_book",
        "submit_day",
    )
    | _deposits_view()
    | _deposits("manage_decoration", "take_deposit", "prepare_refund", "prepare_moveout")
    | PERSONAL_WHOLE
    | FILES_VIEW
    | FILES_KEEP
    | ACCESS_REQUESTS_VIEW
    | LOANS_KEEP
    | _records("view", "add", "change")
    | _complaints_view()
    | _complaints("receive_case", "record_callback")
    | PERSONAL_WHOLE
    | INVENTORY_VIEW
    | INVENTORY_KEEP
    | RETENTION_VIEW
    | {"archives.add_destructionlist", "archives.record_destruction"}
    | _attendance_view()
    | ATTENDANCE_REGISTER
    | DIARY_WRITE
    | HANDOVERS_WRITE,
    Role.MANAGER: _register("view", "add", "change")
    | _fees_view()
    | PERSONAL_WHOLE
    | ACCESS_LOG
    # The day-one import of units and tenants from Excel (archives.imports).
    | {"archives.view_registerimport", "archives.import_register"}
    | _fees("add_receiptprint", "view_discountapproval")
    | _fees(
        "approve_discount", "approve_void", "reverse_receipt", "approve_day", "sign_off_discrepancy"
    )
    | _RIGHTS_VIEW
    | _fees("verify_receipts", "offset_charge")
    | _deposits_view()
    | _deposits("approve_decoration", "approve_refund", "forfeit_deposit", "complete_moveout")
    | FILES_VIEW
    | ACCESS_REQUESTS_VIEW
    | ACCESS_APPROVE
    | LOANS_KEEP
    | _records("view", "add", "change")
    | _complaints_view()
    | _complaints("receive_case", "manage_cases", "record_callback", "view_statistics")
    # The manager keeps the departments and the case categories (DESIGN.md, complaints).
    | model_perms("complaints", "department", "add", "change")
    | model_perms("complaints", "category", "add", "change")
    | INVENTORY_VIEW
    | RETENTION_VIEW
    | model_perms("archives", "hold", "add", "change")
    | {"archives.approve_destructionlist"}
    | _attendance_view()
    | ATTENDANCE_REGISTER
    | ATTENDANCE_MANAGE
    | ATTENDANCE_READ
    | TASKS_GIVE
    | DAILY_REPORT,
    Role.FINANCE: _register("view")
    | _fees_view()
    | _fees("view_discountapproval")
    | _fees("confirm_handover", "lock_month", "download_statement", "verify_receipts")
    | _fees("record_payout")
    | _deposits_view()
    | _deposits("pay_refund")
    | DESTRUCTION_VIEW
    | {"archives.review_destructionlist"},
    Role.AUDITOR: _register("view")
    | _fees_view()
    | _fees("view_discountapproval", "download_statement", "verify_receipts")
    | _deposits_view()
    | ACCESS_LOG
    | _RIGHTS_VIEW
    | FILES_VIEW
    | ACCESS_REQUESTS_VIEW
    | LOANS_VIEW
    | _records("view")
    | _complaints_view()
    | _complaints("view_statistics")
    | INVENTORY_VIEW
    | RETENTION_VIEW
    | _attendance_view()
    | ATTENDANCE_READ
    | DAILY_REPORT,
    # A department sees the cases assigned to it (complaints.selectors), and works them.
    Role.DEPARTMENT: model_perms("archives", "unit", "view")
    | model_perms("complaints", "case", "view")
    | model_perms("complaints", "caseaction", "view")
    | _complaints("work_case")
    # A tenant file only under a permission asked for and approved (archives.access).
    | ACCESS_REQUEST,
    # Users, the fee catalogue, the centre's details: no money, and no rights to give
    # (only a superuser grants roles, permissions and staff status: config.admin).
    Role.ADMINISTRATOR: _register("view", "add", "change")
    | model_perms("fees", "feetype", "view", "add", "change")
    | model_perms("config", "centre", "view", "add", "change")
    | model_perms("complaints", "department", "view")
    | model_perms("complaints", "category", "view")
    # Holidays and 调休 working days for the years chinese-calendar does not know yet.
    | model_perms("config", "calendarday", "view", "add", "change")
    | model_perms("auth", "user", "view", "add", "change")
    | model_perms("auth", "group", "view")
    | _RIGHTS_VIEW,
}

# What takes, gives back or vouches for money: whoever holds one of these is a person who
# handles money, and is never made a superuser (config.admin refuses the pair).
MONEY_PERMISSIONS = frozenset(
    _fees(
        "issue_receipt",
        "request_void",
        "approve_discount",
        "approve_void",
        "reverse_receipt",
        "issue_permit",
        "bill_charge",
        "manage_receipt_book",
        "submit_day",
        "approve_day",
        "confirm_handover",
        "sign_off_discrepancy",
        "lock_month",
        "offset_charge",
        "record_payout",
    )
    | _deposits(
        "take_deposit",
        "forfeit_deposit",
        "prepare_refund",
        "approve_refund",
        "pay_refund",
    )
)
MONEY_ROLES = frozenset(
    role for role, codes in ROLE_PERMISSIONS.items() if codes & MONEY_PERMISSIONS
)


# Django names the permissions it makes for every model "Can add <model>" etc.
DEFAULT_PERMISSIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def _model_name(model) -> str:
    # django-simple-history names its tables "historical <model>" in the language of the
    # moment the model was loaded; name them from the model they keep the history of.
    recorded = getattr(model, "instance_type", None)
    if recorded is not None:
        return gettext("history of %(model)s") % {"model": recorded._meta.verbose_name}
    return str(model._meta.verbose_name)


def permission_label(permission: Permission) -> str:
    """The app and the permission in the reader's language, e.g. 收费 | 可开具收据."""
    model = permission.content_type.model_class()
    if model is None:
        return f"{permission.content_type.app_label} | {permission.name}"
    action, _sep, model_name = permission.codename.partition("_")
    if action in DEFAULT_PERMISSIONS and model_name == model._meta.model_name:
        name = DEFAULT_PERMISSIONS[action] % {"model": _model_name(model)}
    else:
        # Meta.permissions names are message ids of our catalogue, stored untranslated.
        name = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {name}"


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def user_roles(user) -> list[str]:
    """The user's roles in the order of ROLE_LABELS (cached on the user for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_roles_cache"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        user._roles_cache = [role for role in ROLE_LABELS if role in names]
    return user._roles_cache


@transaction.atomic
def sync_roles() -> None:
    """Create the groups and set each one's permissions to exactly what is listed above."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                raise LookupError(f"Role {role} lists unknown permission {code}")
            wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(**kwargs) -> None:
    # Permissions are created by another post_migrate handler; make sure they exist first.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles()
