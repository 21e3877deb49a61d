"""The production stack's own parts: static files served by WhiteNoise under production
settings, and gunicorn's settings read from the environment (gunicorn.conf.py)."""

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run in a child process: the settings module reads DJANGO_PRODUCTION once, at import.
SERVE_STATIC = """
import json
import django
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
client = Client(HTTP_HOST="desk.example.cn", HTTP_X_FORWARDED_PROTO="https")
answers = {}
for name, url in [
    ("plain", "/static/css/app.css"),
    ("hashed", staticfiles_storage.url("css/app.css")),
    ("gzip", staticfiles_storage.url("css/app.css")),
]:
    extra = {"HTTP_ACCEPT_ENCODING": "gzip"} if name == "gzip" else {}
    response = client.get(url, **extra)
    answers[name] = {
        "url": url,
        "status": response.status_code,
        "cache": response.get("Cache-Control", ""),
        "encoding": response.get("Content-Encoding", ""),
        "body": b"".join(response.streaming_content).hex(),
    }
print(json.dumps(answers))
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "desk.example.cn",
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


@pytest.mark.slow
def test_production_serves_collected_static_files_through_whitenoise(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE_STATIC],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.splitlines()[-1])
    source = (ROOT / "static" / "css" / "app.css").read_bytes()

    plain, hashed, gzip = answers["plain"], answers["hashed"], answers["gzip"]
    assert plain["status"] == 200
    assert bytes.fromhex(plain["body"]) == source
    # Only static files may be kept (config.middleware.NoStoreMiddleware never sees them);
    # an unhashed name may change with the next release, so it is kept for a minute only.
    assert plain["cache"] == "max-age=60, public"
    # The page's links name the content's hash: kept for ten years, never asked again.
    assert hashed["url"].startswith("/static/css/app.") and hashed["url"] != plain["url"]
    assert hashed["status"] == 200
    assert bytes.fromhex(hashed["body"]) == source
    assert hashed["cache"] == "max-age=315360000, public, immutable"
    # The compressed copy made by collectstatic, for a browser that takes it.
    assert gzip["status"] == 200 and gzip["encoding"] == "gzip"
    assert len(bytes.fromhex(gzip["body"])) < len(source)


def test_gunicorn_takes_its_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8101")
    monkeypatch.setenv("GUNICORN_WORKERS", "2")
    monkeypatch.setenv("GUNICORN_THREADS", "6")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["bind"], config["workers"], config["threads"]) == ("127.0.0.1:8101", 2, 6)
    # Threaded workers: a request waiting on a lock holds a thread, not the worker.
    assert config["worker_class"] == "gthread"
    assert (config["timeout"], config["graceful_timeout"]) == (30, 30)
    assert (config["max_requests"], config["max_requests_jitter"]) == (1000, 100)
    assert config["accesslog"] == "-" and config["control_socket_disable"] is True
