"""Reads of loans: the open ones, the overdue ones, and a person's (one leaving the centre
returns everything first)."""

from datetime import date

from django.db.models import QuerySet

from archives.models import Loan

ITEM = ("document", "document__file", "record", "borrower", "lent_by", "received_by")


def loans_listed() -> QuerySet[Loan]:
    return Loan.objects.select_related(*ITEM)


def open_loans() -> QuerySet[Loan]:
    return loans_listed().filter(returned_on__isnull=True)


def overdue_loans(today: date) -> QuerySet[Loan]:
    """Open loans whose due date has passed, the longest overdue first."""
    return open_loans().filter(due_on__lt=today).order_by("due_on", "pk")


def loans_due_on(day: date) -> QuerySet[Loan]:
    """Open loans due back on ``day`` (the shift handover lists them: today's returns)."""
    return open_loans().filter(due_on=day).order_by("pk")


def open_loans_of(user) -> QuerySet[Loan]:
    return open_loans().filter(borrower=user).order_by("due_on", "pk")


def open_loan_of(item) -> Loan | None:
    field = "record" if item._meta.model_name == "centrerecord" else "document"
    return Loan.objects.filter(**{field: item}, returned_on__isnull=True).first()
