# Decorations, violations, deposits, deductions and refunds are permanent records
# (config.permanence): triggers refuse to delete their rows (and their histories'), to
# truncate their tables and to change what is fixed once written. Each MakePermanent is a
# frozen copy of the model's declaration (tests/deposits/test_permanence.py checks that they
# agree). Kept apart from 0001: a migration that rebuilds a table on SQLite drops its
# triggers, so they are installed after the tables are final.

from django.db import migrations

from config.permanence import InstallRefusal, MakePermanent


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0001_initial"),
    ]

    operations = [
        # The refusing function again (CREATE OR REPLACE): this app's triggers must not
        # depend on the order in which other apps' migrations run.
        InstallRefusal(),
        MakePermanent(
            "decorationapplication",
            fixed=(
                "number",
                "unit",
                "tenant",
                "contractor",
                "scope",
                "planned_start",
                "submitted_by",
                "submitted_at",
            ),
            filled_once=(
                "decided_by",
                "decided_at",
                "rejection_reason",
                "started_on",
                "closed_by",
                "closed_at",
            ),
            only_up=("planned_end",),
            frozen_when="OLD.status IN ('rejected', 'closed')",
        ),
        MakePermanent("historicaldecorationapplication"),
        MakePermanent("applicationextension"),
        MakePermanent("applicationpermit"),
        MakePermanent("inspection"),
        MakePermanent("inspectionitem"),
        MakePermanent(
            "violation",
            fixed=(
                "application",
                "tenant",
                "unit",
                "description",
                "occurred_on",
                "penalty",
                "recorded_by",
                "recorded_at",
            ),
            filled_once=("resolved_on", "resolution", "resolved_by"),
        ),
        MakePermanent("historicalviolation"),
        MakePermanent(
            "deposit",
            fixed=(
                "kind",
                "receipt_line",
                "amount",
                "application",
                "permit",
                "tenant",
                "contractor",
                "unit",
                "payer_name",
                "taken_at",
            ),
            filled_once=("released_on",),
            frozen_when="OLD.status IN ('refunded', 'forfeited', 'cancelled')",
        ),
        MakePermanent("historicaldeposit"),
        MakePermanent(
            "refund",
            fixed=(
                "deposit",
                "held",
                "deducted",
                "amount",
                "payee",
                "receipt_collected",
                "prepared_by",
                "prepared_at",
            ),
            filled_once=(
                "decided_by",
                "decided_at",
                "return_comment",
                "paid_by",
                "paid_at",
                "paid_on",
                "method",
                "reference",
            ),
            frozen_when="OLD.status IN ('paid', 'returned')",
        ),
        MakePermanent("historicalrefund"),
        MakePermanent(
            "deduction",
            fixed=(
                "deposit",
                "refund",
                "kind",
                "reason",
                "amount",
                "charge",
                "violation",
                "recorded_by",
                "recorded_at",
            ),
            filled_once=("offset",),
        ),
    ]
