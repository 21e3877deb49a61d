"""Backups: the database and every file the application keeps, in one archive, and back.

An archive is a gzipped tar file with:

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite: a copy made by SQLite's online backup API, consistent while desks write);
- ``media/...``: every file under MEDIA_ROOT, which is where the application keeps all its
  files: uploads (logo and seal, permit and inspection photos, scans of documents), the
  frozen month statements (``media/statements/``) and the files of export jobs
  (``media/exports/``);
- ``manifest.json``: every other member with its size and SHA-256, the database engine,
  the latest applied migration of each app, and when the backup was made.

The database is written first and the files after it: a file is saved before the row that
names it is committed, so every file the dump names is in the archive.

restore() puts an archive back into an empty database (of the same engine) and an empty
MEDIA_ROOT. The triggers of permanent records (config.permanence) come back with the schema:
pg_restore creates them after loading the rows, and SQLite's backup copies the database
whole.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# libpq's environment variables for the connection settings pg_dump and pg_restore need;
# the password goes through the environment, never the command line (which `ps` shows).
PG_ENVIRONMENT = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey")


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for whoever runs it."""


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"servicedesk-{stamp}.tar.gz"


# --- Writing -----------------------------------------------------------------------------


def backup_write(output: Path, *, connection=None) -> dict:
    """Write the archive of ``connection``'s database (the default one unless given) and
    MEDIA_ROOT at ``output``, through a ``.partial`` file renamed when complete: an
    interrupted backup never looks like one. Returns its manifest."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    media_root = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(dir=output.parent) as scratch:
        dump = Path(scratch) / DUMPS[connection.vendor]
        _dump_database(connection, dump)
        members = []
        # Readable by its owner only: it holds receipts and tenants' personal data.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                members.append(_add_file(tar, dump, dump.name))
                for path in _media_files(media_root, skip={output, partial}):
                    name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                    members.append(_add_file(tar, path, name))
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "engine": connection.vendor,
                    "database": dump.name,
                    "migrations": migration_state(connection),
                    "members": members,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
    partial.replace(output)
    return manifest


def migration_state(connection) -> dict[str, str]:
    """The latest applied migration of each app (by name, which starts with its number)."""
    latest = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = name
    return latest


def _media_files(media_root: Path, skip: set[Path]) -> Iterator[Path]:
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path not in skip:
            yield path


class _Hashing:
    """A file read by tarfile, hashed on the way: each file is read once."""

    def __init__(self, handle):
        self.handle = handle
        self.hash = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.hash.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(path, arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    return {"name": name, "size": info.size, "sha256": reader.hash.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _dump_database(connection, dump: Path) -> None:
    if connection.vendor == "postgresql":
        _require_client("pg_dump", connection)
        name = connection.settings_dict["NAME"]
        _run_pg(["pg_dump", "--format=custom", "--file", str(dump), "--dbname", name], connection)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


# --- PostgreSQL's client tools -----------------------------------------------------------


def _pg_environment(connection) -> dict[str, str]:
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    for key, variable in PG_ENVIRONMENT.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option in PG_OPTIONS:
        if settings_dict.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(settings_dict["OPTIONS"][option])
    return env


def client_major_version(tool: str) -> int:
    """The major version of pg_dump or pg_restore on this machine ("pg_dump (PostgreSQL)
    15.20 (Debian 15.20-0+deb12u1)" gives 15)."""
    try:
        answer = subprocess.run(
            [tool, "--version"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client tools (postgresql-client)."
        ) from None
    found = re.search(r"\)\s*(\d+)", answer)
    if not found:
        raise BackupError(f"Cannot read the version of {tool}: {answer.strip()}")
    return int(found.group(1))


def _require_client(tool: str, connection) -> None:
    """pg_dump refuses a server newer than itself, and an old pg_restore may not read a
    newer pg_dump's archive: say so before starting, with what to install."""
    client = client_major_version(tool)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(
            f"{tool} {client} is older than the PostgreSQL {server} server: install "
            f"postgresql-client-{server} and run this again."
        )


def _run_pg(command: list[str], connection) -> None:
    done = subprocess.run(command, env=_pg_environment(connection), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


# --- Checking ----------------------------------------------------------------------------


def backup_check(archive: Path) -> dict:
    """Read the whole archive and compare every member with the manifest: its size and
    SHA-256, none missing and none added. Returns the manifest; BackupError otherwise."""
    found: dict[str, tuple[int, str]] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"{archive}: {info.name} is not a plain file.")
                handle = tar.extractfile(info)
                if info.name == MANIFEST:
                    manifest = json.load(handle)
                else:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
                    found[info.name] = (info.size, digest)
    except FileNotFoundError:
        raise BackupError(f"{archive}: no such file.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        raise BackupError(f"{archive} is damaged or not a backup: {exc}") from None
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has no manifest of this application's backups.")
    listed = {member["name"]: (member["size"], member["sha256"]) for member in manifest["members"]}
    problems = [
        *(f"{name}: missing" for name in listed if name not in found),
        *(
            f"{name}: does not match its checksum"
            for name in listed
            if name in found and found[name] != listed[name]
        ),
        *(f"{name}: not in the manifest" for name in found if name not in listed),
    ]
    if problems:
        raise BackupError(f"{archive} is damaged:\n  " + "\n  ".join(problems))
    return manifest


# --- Restoring ---------------------------------------------------------------------------


def restore(archive: Path, *, connection=None) -> dict:
    """Put the archive's database into the empty database of ``connection`` (the default
    one unless given) and its files into the empty MEDIA_ROOT, after checking every
    checksum. Returns the manifest."""
    manifest = backup_check(archive)
    connection = connection or connections[DEFAULT_DB_ALIAS]
    media_root = Path(settings.MEDIA_ROOT)
    _require_empty_target(manifest, connection, media_root)
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        dump = Path(scratch) / manifest["database"]
        with tar.extractfile(manifest["database"]) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target)
        _load_database(connection, dump)
        for info in tar:
            if info.name.startswith(f"{MEDIA}/"):
                _restore_file(tar, info, media_root)
    return manifest


def _require_empty_target(manifest: dict, connection, media_root: Path) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This is a backup of a {manifest['engine']} database; the database to restore "
            f"into is {connection.vendor}. Restore it into a {manifest['engine']} database."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} "
            "tables): restore only into a new, empty database, so that nothing is mixed "
            "or overwritten."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"The uploads folder {media_root} (MEDIA_ROOT) is not empty: restore only into "
            "an empty or missing folder, so that no file is overwritten."
        )


def _load_database(connection, dump: Path) -> None:
    if connection.vendor == "postgresql":
        _require_client("pg_restore", connection)
        # One transaction: a restore that fails leaves the database empty. No owner and no
        # privileges: the new server's roles need not be the old one's.
        name = connection.settings_dict["NAME"]
        _run_pg(
            ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction"]
            + ["--dbname", name, str(dump)],
            connection,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()  # opened again with the restored schema


def _restore_file(tar: tarfile.TarFile, info: tarfile.TarInfo, media_root: Path) -> None:
    relative = PurePosixPath(info.name).relative_to(MEDIA)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(f"{info.name}: a path outside the uploads folder; not restored.")
    target = media_root.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(info) as source, target.open("xb") as handle:
        shutil.copyfileobj(source, handle)
