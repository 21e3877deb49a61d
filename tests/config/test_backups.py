"""manage.py backup and restore (config.backups): a street's receipts, deposit, uploaded photo
and frozen month statement go into one archive and come back, table for table, money for
money and byte for byte, into a new empty database of the engine the suite runs on
(a scratch PostgreSQL database, or a new SQLite file); a tampered archive is told apart,
and a database or uploads folder that is not empty is never restored into."""

import copy
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from config import backups
from fees.models import Receipt
from tests.conftest import ensure_fee_catalogue
from tests.factories.deposits import DepositFactory, ViolationPhotoFactory
from tests.factories.fees import MonthLockFactory, ReceiptFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"
CENT = Decimal("0.01")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def street(media):
    """Real records through the services: two receipts (three lines), a decoration deposit
    on its own receipt, a violation's uploaded photo and a locked month's frozen files."""
    ensure_fee_catalogue()  # a transactional test before this one flushed it
    ReceiptFactory(lines=(("permit_fee", "20.00", 2), ("waste_removal", "300.00", 1)))
    ReceiptFactory(lines=(("key_replacement", "20.00", 3),), method="wechat")
    DepositFactory()
    ViolationPhotoFactory()
    MonthLockFactory()


@dataclass
class EmptyDatabase:
    """A new, empty database of the suite's engine beside the test database: a connection
    to it, and the environment in which manage.py uses it (and an empty MEDIA_ROOT)."""

    connection: BaseDatabaseWrapper
    env: dict[str, str]
    media_root: Path


@pytest.fixture
def empty_database(tmp_path):
    """A scratch PostgreSQL database (dropped after), or a new SQLite file."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_VAR_DIR": str(tmp_path / "restored-var"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    if ON_POSTGRESQL:
        settings_dict["NAME"] = f"restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with _server() as admin:
            admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path=f"/{settings_dict['NAME']}").geturl()
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{settings_dict['NAME']}"
    # Not one of django.db.connections (the test allows only its own), a connection made
    # for the test, as Django allows.
    restored = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restored")
    yield EmptyDatabase(restored, env, Path(env["DJANGO_MEDIA_ROOT"]))
    restored.close()
    if ON_POSTGRESQL:
        with _server() as admin:
            admin.execute(f'DROP DATABASE "{settings_dict["NAME"]}" WITH (FORCE)')


def _server():
    """A connection to the PostgreSQL server's own database, to create and drop others."""
    given = {key.lower(): connection.settings_dict[key] for key in ("HOST", "PORT", "USER")}
    given["password"] = connection.settings_dict["PASSWORD"]
    return psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in given.items() if v}
    )


def manage(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def money_columns() -> dict[str, list[str]]:
    """Every money column (DecimalField) of every table, history tables included."""
    columns: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                columns.setdefault(model._meta.db_table, []).append(field.column)
    return columns


def database_summary(database: BaseDatabaseWrapper) -> dict[str, tuple]:
    """Per table (as the database's introspection lists them): its row count and the sum
    of each money column."""
    quote = database.ops.quote_name
    money = money_columns()
    summary = {}
    with database.cursor() as cursor:
        for table in sorted(database.introspection.table_names()):
            sums = [f"SUM({quote(column)})" for column in money.get(table, [])]
            cursor.execute(f"SELECT {', '.join(['COUNT(*)', *sums])} FROM {quote(table)}")
            count, *totals = cursor.fetchone()
            summary[table] = (count, *(_money(total) for total in totals))
    return summary


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT)


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_round_trip_keeps_every_row_every_sum_and_every_file(
    street, media, empty_database, tmp_path
):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    before, files_before = database_summary(connection), file_hashes(media)

    # What was built is in what is compared: the money tables and the three kinds of file.
    assert before["fees_receipt"][0] == 3  # two receipts and the deposit's
    assert before["fees_receiptline"][0] == 4
    assert before["deposits_deposit"][0] == 1
    columns, sums = money_columns()["fees_receipt"], before["fees_receipt"][1:]
    receipts_money = dict(zip(columns, sums, strict=True))
    assert receipts_money["total"] == Decimal("5400.00")  # 40 + 300, 60, the 5,000 deposit
    assert sorted(path.split("/")[0] for path in files_before) == [
        "deposits",
        "statements",
        "statements",
    ]
    manifest = backups.backup_check(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["migrations"]["config"] == "0007_ops_worker_beat"
    assert {member["name"] for member in manifest["members"]} == {
        manifest["database"],
        *(f"media/{path}" for path in files_before),
    }

    # As the administrator would: manage.py restore, in its own process, on the new database.
    done = manage(empty_database.env, "restore", str(archive))
    assert done.returncode == 0, done.stderr

    assert database_summary(empty_database.connection) == before
    assert file_hashes(empty_database.media_root) == files_before
    # The restored receipts are still permanent records: their triggers came back too.
    with pytest.raises(IntegrityError), empty_database.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Receipt._meta.db_table}")


@pytest.fixture
def frozen_files(media) -> dict[str, bytes]:
    """A locked month's statement files, as they lie under MEDIA_ROOT."""
    files = {"statements/2025-01.pdf": b"%PDF-1.4\n%%EOF\n", "statements/2025-01.xlsx": b"PK\5\6"}
    for name, data in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    return files


def test_check_passes_a_whole_archive_and_tells_a_tampered_or_cut_one(frozen_files, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600  # tenants' personal data: its owner only
    assert not list(tmp_path.glob("*.partial"))
    out = io.StringIO()
    call_command("backup", "--check", str(archive), stdout=out)
    assert "3 members, every checksum matches" in out.getvalue()

    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, {"media/statements/2025-01.pdf": b"%PDF-1.4\n% altered\n%%EOF\n"})
    with pytest.raises(CommandError) as refused:
        call_command("backup", "--check", str(tampered))
    assert str(refused.value) == (
        f"{tampered} is damaged:\n  media/statements/2025-01.pdf: does not match its checksum"
    )
    assert refused.value.returncode == 1  # manage.py's exit status

    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="is damaged or not a backup"):
        call_command("backup", "--check", str(cut))


def test_restore_refuses_a_database_with_tables(frozen_files, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    before = database_summary(connection)
    refusal = r"is not empty \(\d+ tables\): restore only into a new, empty database"
    with pytest.raises(CommandError, match=refusal) as refused:
        call_command("restore", str(archive))  # the test database itself
    assert refused.value.returncode == 1
    assert database_summary(connection) == before
    assert not settings.MEDIA_ROOT.exists()


def test_restore_refuses_and_leaves_the_empty_database_empty(
    frozen_files, media, empty_database, tmp_path, settings
):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    restored = empty_database.connection

    # The uploads folder has files (the street's own, still MEDIA_ROOT).
    with pytest.raises(backups.BackupError, match=r"\(MEDIA_ROOT\) is not empty"):
        backups.restore(archive, connection=restored)
    settings.MEDIA_ROOT = empty_database.media_root

    # A member altered: the checksums are read before anything is written.
    tampered = tmp_path / "tampered.tar.gz"
    database = backups.DUMPS[connection.vendor]
    _rewrite(archive, tampered, {database: b"not a database"})
    with pytest.raises(backups.BackupError, match=f"{database}: does not match its checksum"):
        backups.restore(tampered, connection=restored)

    # The other engine's archive.
    other = "sqlite" if ON_POSTGRESQL else "postgresql"
    foreign = tmp_path / "foreign.tar.gz"
    _rewrite(archive, foreign, {}, engine=other)
    with pytest.raises(backups.BackupError, match=f"This is a backup of a {other} database"):
        backups.restore(foreign, connection=restored)

    assert restored.introspection.table_names() == []
    assert not empty_database.media_root.exists()


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's client tools")
def test_the_client_tools_can_dump_and_restore_this_server():
    server = connection.pg_version // 10000
    assert backups.client_major_version("pg_dump") >= server
    assert backups.client_major_version("pg_restore") >= server


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's client tools")
def test_an_older_pg_dump_is_refused_with_what_to_install(media, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "client_major_version", lambda tool: 9)
    server = connection.pg_version // 10000
    with pytest.raises(CommandError, match=f"install postgresql-client-{server}"):
        call_command("backup", "--output", str(tmp_path / "backup.tar.gz"))
    assert not list(tmp_path.glob("backup.tar.gz*"))


def _rewrite(archive: Path, target: Path, replaced: dict[str, bytes], engine: str = ""):
    """A copy of the archive with some members' bytes replaced (the manifest unchanged), or
    with the manifest's engine changed."""
    with tarfile.open(archive, "r:gz") as source, gzip.open(target, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w") as tar:
            for info in source:
                data = source.extractfile(info).read()
                if info.name in replaced:
                    data = replaced[info.name]
                if info.name == backups.MANIFEST and engine:
                    data = json.dumps({**json.loads(data), "engine": engine}).encode()
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
