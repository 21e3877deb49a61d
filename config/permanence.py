"""Permanent records: money and register rows that nothing deletes or rewrites.

A model becomes permanent by deriving from ``PermanentModel`` instead of ``models.Model``;
its ``permanence`` says which fields are fixed once the row is written (all of them unless
it says otherwise). Then, whatever the path:

- the ORM refuses ``Model.delete()`` and ``QuerySet.delete()`` with ``RecordIsPermanent``,
  before it looks at anything else; a delete that reaches the model's rows or its
  django-simple-history rows another way (a cascade, a related manager, the history's
  manager) meets the ``pre_delete`` receiver, which Django's deletion collector calls for
  each row before it deletes any (having a receiver also keeps it off its fast path, which
  would skip the signal);
- the admin offers no delete: a permanent model is registered with ``PermanentAdmin`` or
  not at all (a system check refuses anything else);
- the database refuses too, whatever the client: the migration operation ``MakePermanent``
  installs triggers that refuse ``DELETE`` (and ``TRUNCATE``, with or without ``CASCADE``,
  on PostgreSQL) and every ``UPDATE`` that changes a fixed column. The state of a record and
  its stamps (who approved it, when) still change, through the services. Both databases
  answer with an IntegrityError (SQLSTATE 23001 restrict_violation; SQLite's
  ``RAISE(ABORT)``).

``permanence`` is the one place a model's fixed fields are listed. The migration that
installs the triggers keeps a frozen copy, as migrations do; the tests check that the two
agree and that the database refuses a change of each fixed column. On SQLite, a later
migration that rebuilds a permanent table (Django does for most column changes) drops its
triggers with the old table: such a migration ends with ``MakePermanent`` again.

Maintenance: only ``maintenance()`` lets a transaction past the triggers. On PostgreSQL it
sets the transaction-local setting ``servicedesk.maintenance``; on SQLite it raises a flag of
the Django connection that the SQL function ``servicedesk_maintenance()`` reads, a function
that only Django's connections have (``register_sqlite_function``): on a raw sqlite3
connection every trigger fails when it fires, and so refuses. The test suite uses it to
empty the database between transactional tests (Django's flush truncates every table) and
to move records into the past; the application never does. It keeps honest code honest and
stops the careless; whoever owns the database can still drop a trigger, and against that
the receipts' hash chain shows what changed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields

from django.apps import apps
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.migrations.operations.base import Operation
from django.db.models.signals import pre_delete

ALL = "__all__"
MAINTENANCE_SETTING = "servicedesk.maintenance"
SQLITE_FUNCTION = "servicedesk_maintenance"
PG_FUNCTION = "servicedesk_refuse"
_MAINTENANCE_FLAG = "servicedesk_maintenance"
TEXT_FIELDS = (models.CharField, models.TextField, models.FileField)


class RecordIsPermanent(IntegrityError):
    """A delete of a permanent record, refused before the database is asked."""


def _refusal(model: type[models.Model], row=None) -> RecordIsPermanent:
    name = model._meta.object_name
    if row is None:
        return RecordIsPermanent(f"{name} rows are permanent records: they cannot be deleted.")
    return RecordIsPermanent(f"{name} {row} is a permanent record: it cannot be deleted.")


@dataclass(frozen=True)
class Permanence:
    """What may change in a permanent model's rows once written.

    - ``fixed``: fields that never change (``ALL``: every field); the primary key always is;
    - ``filled_once``: fields that may be filled in once, while empty (NULL, or "" for text),
      and never change after;
    - ``only_up``: numbers that may grow, never shrink (a numbering sequence);
    - ``frozen_when``: a condition on the row before the change (``OLD.status = 'void'``),
      in SQL that both databases read, under which no field changes at all.
    """

    fixed: tuple[str, ...] | str = ALL
    filled_once: tuple[str, ...] = ()
    only_up: tuple[str, ...] = ()
    frozen_when: str = ""

    def __post_init__(self):
        for name in ("fixed", "filled_once", "only_up"):
            value = getattr(self, name)
            if value != ALL:
                object.__setattr__(self, name, tuple(value))

    def problems(self, model: type[models.Model]) -> list[str]:
        """What is wrong with this declaration for ``model`` (nothing: [])."""
        named = [*(() if self.fixed == ALL else self.fixed), *self.filled_once, *self.only_up]
        found = {field.name for field in model._meta.concrete_fields}
        wrong = [
            f"{name} is no field of {model._meta.label}" for name in named if name not in found
        ]
        if len(named) != len(set(named)):
            wrong.append(f"{model._meta.label}: a field is listed twice")
        if self.fixed == ALL and (self.filled_once or self.only_up):
            wrong.append(f"{model._meta.label}: every field is fixed, so none can change")
        return wrong

    def as_kwargs(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class PermanentQuerySet(models.QuerySet):
    def delete(self):
        raise _refusal(self.model)

    delete.alters_data = True
    delete.queryset_only = True


class PermanentModel(models.Model):
    """A money or register record: never deleted; its ``permanence`` fields never change
    once written (see the module's docstring)."""

    permanence = Permanence()
    objects = PermanentQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise _refusal(type(self), self)


def permanent_models() -> list[type[PermanentModel]]:
    return [model for model in apps.get_models() if issubclass(model, PermanentModel)]


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history model of ``model``, if it keeps a history."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def _refuse_delete(sender, instance, **kwargs) -> None:
    raise _refusal(sender, instance)


# The permanent models and their histories, filled by refuse_deletes() once the apps are ready.
_UNDELETABLE: set[type[models.Model]] = set()


def refuse_deletes() -> None:
    """Connect the pre_delete refusal to every permanent model and to its history's model
    (config.apps, once every model, history models included, exists)."""
    for model in permanent_models():
        for sender in (model, history_model(model)):
            if sender is not None:
                _UNDELETABLE.add(sender)
                pre_delete.connect(
                    _refuse_delete,
                    sender=sender,
                    weak=False,
                    dispatch_uid=f"permanent:{sender._meta.label}",
                )


def is_permanent(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` (a permanent model or its history) are never deleted."""
    return model in _UNDELETABLE


def check_declarations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every permanent model's ``permanence`` names its own fields."""
    return [
        checks.Error(problem, obj=model, id="config.E100")
        for model in permanent_models()
        for problem in model.permanence.problems(model)
    ]


# --- the admin ----------------------------------------------------------------------------


class PermanentAdmin:
    """Mix into the ModelAdmin of a permanent model: no delete page, link or button, and no
    "delete selected" action (Django offers that action only with the delete permission)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def check_admin_offers_no_delete(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A permanent model in the admin is registered with PermanentAdmin."""
    from django.contrib import admin  # the admin's site exists once the apps are loaded

    return [
        checks.Error(
            f"{model._meta.label} is a permanent record, but its admin may delete it.",
            hint="Mix config.permanence.PermanentAdmin into its ModelAdmin.",
            obj=type(model_admin),
            id="config.E101",
        )
        for model, model_admin in admin.site._registry.items()
        if is_permanent(model) and not isinstance(model_admin, PermanentAdmin)
    ]


# --- maintenance --------------------------------------------------------------------------


def register_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    """Give a new SQLite connection of Django's the function the triggers ask whether the
    transaction is in maintenance (connection_created, config.apps)."""
    if connection is None or connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: bool(getattr(connection, _MAINTENANCE_FLAG, False))
    )


def _pg_maintenance(connection, value: str) -> str:
    """Set the transaction-local setting; return what it was."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), set_config(%s, %s, true)",
            [MAINTENANCE_SETTING, MAINTENANCE_SETTING, value],
        )
        before, _now = cursor.fetchone()
    return before or "off"


@contextmanager
def maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside this block (one transaction), the triggers of permanent records let rows be
    deleted and rewritten on this connection. For the test suite's flush and its time travel,
    and a data migration that must rewrite rows; never for the application's own work."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            before = _pg_maintenance(connection, "on")
            yield
            # Left by an exception, the block's rollback undoes the setting with the rest.
            _pg_maintenance(connection, before)
        else:
            before = getattr(connection, _MAINTENANCE_FLAG, False)
            setattr(connection, _MAINTENANCE_FLAG, True)
            try:
                yield
            finally:
                setattr(connection, _MAINTENANCE_FLAG, before)


# --- the triggers -------------------------------------------------------------------------

PG_REFUSAL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- config.permanence.maintenance(): the deliberate way past, for one transaction.
    IF current_setting('{MAINTENANCE_SETTING}', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
END
$$
"""


PG_UPDATE_CHECK = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ({condition}) AND current_setting('{setting}', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = {message};
    END IF;
    RETURN NEW;
END
$$
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def trigger_names(table: str) -> dict[str, str]:
    return {
        "delete": f"{table}_no_delete",
        "truncate": f"{table}_no_truncate",
        "update": f"{table}_fixed",
    }


def _update_condition(model, rule: Permanence, vendor: str, quote) -> str:
    """The SQL condition under which an UPDATE of a row is refused."""
    every = list(model._meta.concrete_fields)
    fixed = (
        every if rule.fixed == ALL else [model._meta.pk, *map(model._meta.get_field, rule.fixed)]
    )
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"

    def differs(field) -> str:
        column = quote(field.column)
        return f"OLD.{column} {distinct} NEW.{column}"

    def filled(field) -> str:
        column = quote(field.column)
        if isinstance(field, TEXT_FIELDS):
            return f"COALESCE(OLD.{column}, '') <> ''"
        return f"OLD.{column} IS NOT NULL"

    refused = [differs(field) for field in fixed]
    for field in map(model._meta.get_field, rule.filled_once):
        refused.append(f"({filled(field)} AND {differs(field)})")
    for field in map(model._meta.get_field, rule.only_up):
        refused.append(f"NEW.{quote(field.column)} < OLD.{quote(field.column)}")
    if rule.frozen_when:
        # The fixed ones are refused above in any case.
        others = [field for field in every if field not in fixed]
        refused.append(f"(({rule.frozen_when}) AND ({' OR '.join(map(differs, others))}))")
    return " OR ".join(refused)


def install_sql(model: type[models.Model], rule: Permanence, connection) -> list[str]:
    """The statements that make ``model``'s table refuse deletes and rewrites."""
    vendor, quote = connection.vendor, connection.ops.quote_name
    table = model._meta.db_table
    names = {key: quote(name) for key, name in trigger_names(table).items()}
    label = model._meta.label
    refusals = {
        "delete": f"{label} is a permanent record: its rows cannot be deleted.",
        "update": f"{label} is a permanent record: this change of a fixed field is refused.",
    }
    condition = _update_condition(model, rule, vendor, quote)
    if vendor == "postgresql":
        refuse = f"EXECUTE FUNCTION {PG_FUNCTION}({_literal(refusals['delete'])})"
        # The update's condition is a function of its own: PostgreSQL allows no subquery in
        # a trigger's WHEN, and a condition may look at another row (the day of a figure).
        return [
            f"CREATE TRIGGER {names['delete']} BEFORE DELETE ON {quote(table)} FOR EACH ROW "
            f"{refuse}",
            f"CREATE TRIGGER {names['truncate']} BEFORE TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT {refuse}",
            PG_UPDATE_CHECK.format(
                function=names["update"],
                condition=condition,
                setting=MAINTENANCE_SETTING,
                message=_literal(refusals["update"]),
            ),
            f"CREATE TRIGGER {names['update']} BEFORE UPDATE ON {quote(table)} FOR EACH ROW "
            f"EXECUTE FUNCTION {names['update']}()",
        ]
    if vendor == "sqlite":
        # SQLite has no TRUNCATE: its "DELETE FROM t" (flush's too) fires the delete trigger.
        outside_maintenance = f"NOT {SQLITE_FUNCTION}()"
        return [
            f"CREATE TRIGGER {names['delete']} BEFORE DELETE ON {quote(table)} FOR EACH ROW "
            f"WHEN {outside_maintenance} "
            f"BEGIN SELECT RAISE(ABORT, {_literal(refusals['delete'])}); END",
            f"CREATE TRIGGER {names['update']} BEFORE UPDATE ON {quote(table)} FOR EACH ROW "
            f"WHEN ({condition}) AND {outside_maintenance} "
            f"BEGIN SELECT RAISE(ABORT, {_literal(refusals['update'])}); END",
        ]
    raise NotImplementedError(f"Permanent records on {vendor} are not supported.")


def remove_sql(table: str, connection) -> list[str]:
    quote = connection.ops.quote_name
    names = trigger_names(table)
    if connection.vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}" for name in names.values()),
            f"DROP FUNCTION IF EXISTS {quote(names['update'])}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {quote(name)}" for name in names.values()]


PG_DROP_UNUSED_REFUSAL = f"""
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger JOIN pg_proc ON pg_proc.oid = pg_trigger.tgfoid
        WHERE pg_proc.proname = '{PG_FUNCTION}'
    ) THEN
        DROP FUNCTION IF EXISTS {PG_FUNCTION}();
    END IF;
END
$$;
"""


class InstallRefusal(Operation):
    """PostgreSQL's trigger function that refuses (outside maintenance); the triggers of
    MakePermanent call it. Nothing on SQLite, whose triggers refuse by themselves."""

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(PG_REFUSAL, None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Several apps install the function; it goes with the last trigger that calls it.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(PG_DROP_UNUSED_REFUSAL, None)

    def describe(self):
        return "Install the function the triggers of permanent records refuse with"


class MakePermanent(Operation):
    """Install the triggers that refuse to delete a model's rows or to change their fixed
    fields (the arguments of ``Permanence``); reversed, remove them. A later operation that
    changes a model's declaration (a new fixed column) gives the one it replaces as
    ``previous``, which its reversal installs again."""

    reversible = True

    def __init__(self, model_name: str, previous: dict | None = None, **declaration):
        self.model_name = model_name
        self.previous = previous
        self.permanence = Permanence(**declaration)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        problems = self.permanence.problems(model)
        if problems:
            raise ValueError("; ".join(problems))
        connection = schema_editor.connection
        for statement in remove_sql(model._meta.db_table, connection):
            schema_editor.execute(statement, None)  # a new declaration replaces the last
        for statement in install_sql(model, self.permanence, connection):
            schema_editor.execute(statement, None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        for statement in remove_sql(model._meta.db_table, schema_editor.connection):
            schema_editor.execute(statement, None)
        if self.previous is not None:
            for statement in install_sql(
                model, Permanence(**self.previous), schema_editor.connection
            ):
                schema_editor.execute(statement, None)

    def describe(self):
        return f"Refuse deletes and rewrites of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"permanent_{self.model_name.lower()}"


class LiftPermanence(MakePermanent):
    """Remove a model's triggers for the operations that follow it in a migration (SQLite
    cannot drop a column that a trigger names, nor should a trigger name a column not yet
    there), which end with MakePermanent again; reversed, install ``declaration`` again,
    after the reversal of those operations."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Lift the triggers of {self.model_name} for the change that follows"

    @property
    def migration_name_fragment(self):
        return f"lift_permanent_{self.model_name.lower()}"
