"""config composes the home page and the demo street from the apps' own modules, found by
name: the order of each role's panels and of the demo's parts is fixed."""

from config.demo import demo_parts
from config.home import role_panels
from config.roles import ROLE_LABELS, Role


def names(builders) -> list[str]:
    return [f"{build.__module__}.{build.__name__}" for build in builders]


def test_each_role_sees_the_apps_panels_in_one_order():
    assert {role: names(role_panels(role)) for role in ROLE_LABELS} == {
        Role.ASSISTANT: [
            "attendance.panels.my_tasks_panel",
            "attendance.panels.handovers_to_acknowledge_panel",
            "fees.panels.today_close_panel",
            "fees.panels.permits_panel",
            "fees.panels.overdue_charges_panel",
            "deposits.panels.refunds_to_prepare_panel",
            "deposits.panels.returned_refunds_panel",
            "complaints.panels.callbacks_panel",
            "complaints.panels.unassigned_panel",
            "complaints.panels.overdue_panel",
            "complaints.panels.logged_today_panel",
            "archives.panels.verification_due_panel",
            "archives.panels.overdue_loans_panel",
            "attendance.panels.register_panel",
            "archives.panels.leases_ending_panel",
            "fees.panels.receipt_books_panel",
            "archives.panels.register_links_panel",
            "attendance.panels.diary_links_panel",
        ],
        Role.MANAGER: [
            "attendance.panels.my_tasks_panel",
            "attendance.panels.daily_report_panel",
            "fees.panels.void_requests_panel",
            "fees.panels.days_to_approve_panel",
            "deposits.panels.refunds_to_approve_panel",
            "deposits.panels.applications_to_approve_panel",
            "fees.panels.discrepancies_panel",
            "attendance.panels.overdue_tasks_panel",
            "fees.panels.overdue_charges_panel",
            "complaints.panels.overdue_panel",
            "complaints.panels.unassigned_panel",
            "archives.panels.access_requests_panel",
            "attendance.panels.months_panel",
            "archives.panels.units_panel",
            "archives.panels.verification_due_panel",
            "archives.panels.overdue_loans_panel",
            "archives.panels.leases_ending_panel",
            "attendance.panels.diary_links_panel",
        ],
        Role.FINANCE: [
            "attendance.panels.my_tasks_panel",
            "fees.panels.days_to_receive_panel",
            "deposits.panels.refunds_to_pay_panel",
            "fees.panels.discrepancies_panel",
            "fees.panels.overdue_charges_panel",
            "archives.panels.register_links_panel",
        ],
        Role.AUDITOR: [
            "attendance.panels.my_tasks_panel",
            "fees.panels.months_panel",
            "fees.panels.statements_panel",
            "fees.panels.discrepancy_register_panel",
            "fees.panels.audit_packs_panel",
            "archives.panels.register_links_panel",
            "attendance.panels.diary_links_panel",
        ],
        Role.DEPARTMENT: [
            "attendance.panels.my_tasks_panel",
            "complaints.panels.department_panel",
            "archives.panels.my_access_requests_panel",
        ],
        Role.ADMINISTRATOR: [
            "attendance.panels.my_tasks_panel",
            "config.panels.administration_panel",
            "config.panels.calendar_panel",
            "archives.panels.units_panel",
        ],
    }


def test_the_demo_street_is_built_in_the_order_of_installed_apps():
    assert [part.__name__ for part in demo_parts()] == [
        "archives.demo",
        "fees.demo",
        "deposits.demo",
        "complaints.demo",
        "attendance.demo",
    ]
