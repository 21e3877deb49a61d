"""The scratch databases, one per size: an SQLite file in the size's folder, or a database
``bench_<size>`` created on a PostgreSQL server (through psycopg, on its maintenance
database ``postgres``) and dropped after the run unless it is kept. ``BENCH_DATABASE_PREFIX``
replaces ``bench`` in those names, so that two benchmarks can share one server."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def server_url(url: str, database: str) -> str:
    """``url`` (a server, or any database on it) pointing at ``database``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


class Scratch:
    """Where one size's data lives: ``url`` for DATABASE_URL, ``folder`` for DJANGO_VAR_DIR
    (uploads and frozen files); ``exists()`` says whether a kept one is there to reuse."""

    def __init__(self, size: str, folder: Path, server: str | None):
        self.size, self.folder, self.server = size, folder, server
        self.name = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'bench')}_{size}"
        if server:
            self.url = server_url(server, self.name)
        else:
            self.url = f"sqlite:///{folder / 'db.sqlite3'}"

    def _admin(self):
        import psycopg

        return psycopg.connect(server_url(self.server, "postgres"), autocommit=True)

    def exists(self) -> bool:
        if not self.server:
            return (self.folder / "db.sqlite3").exists()
        with self._admin() as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return found.fetchone() is not None

    def create(self) -> None:
        """A new empty database (an old one of the name is dropped first)."""
        self.drop()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.server:
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        import shutil

        if self.server:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)
