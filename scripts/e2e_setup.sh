#!/usr/bin/env bash
# Prerequisites of the browser tests (tests/e2e): Chromium and axe-core; and of three
# others: LibreOffice, a system Chinese font and GNU gettext (makemessages).
#
# Without them the e2e tests skip, saying why, so that a developer without root or
# network can still run the rest of the suite. With E2E_REQUIRED=1 (CI) a missing
# prerequisite fails here and the tests fail instead of skipping.
set -uo pipefail

cd "$(dirname "$0")/../tests/e2e"
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
missing=()

as_root_install() {
    [ "$(id -u)" = 0 ] || return 1
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

if [ ! -x "$CHROMIUM" ]; then
    as_root_install chromium || true
    [ -x "$CHROMIUM" ] || missing+=("Chromium at $CHROMIUM")
fi

# LibreOffice recomputes the statements' Excel formulas in tests/fees/test_statements.py.
if ! command -v soffice >/dev/null; then
    as_root_install --no-install-recommends libreoffice-calc-nogui || missing+=("LibreOffice (soffice)")
fi

# Another Chinese font on the system: tests/config/test_pdf.py then shows that a PDF still
# embeds only the shipped font (it fails in CI, and skips elsewhere, without one).
if ! fc-list :lang=zh-cn family 2>/dev/null | grep -q .; then
    as_root_install --no-install-recommends fontconfig fonts-noto-cjk \
        || missing+=("a system Chinese font (fonts-noto-cjk)")
fi

# tests/config/test_catalogue.py runs makemessages, which needs xgettext.
if ! command -v xgettext >/dev/null; then
    as_root_install --no-install-recommends gettext || missing+=("GNU gettext (xgettext)")
fi

if ! command -v npm >/dev/null; then
    as_root_install npm || true
fi
# npm ci installs exactly what package-lock.json pins. A copy of the lock file marks a
# finished install, so that later runs (and offline ones) need not fetch it again.
STAMP=node_modules/.installed-from-lock.json
if cmp -s package-lock.json "$STAMP"; then
    :
elif command -v npm >/dev/null; then
    if npm ci --no-audit --no-fund --loglevel=error; then
        cp package-lock.json "$STAMP"
    else
        missing+=("axe-core (npm ci failed)")
    fi
else
    missing+=("npm, to install axe-core")
fi

if [ ${#missing[@]} -gt 0 ]; then
    for item in "${missing[@]}"; do echo "e2e setup: missing $item" >&2; done
    if [[ "${E2E_REQUIRED:-0}" =~ ^(1|true|yes)$ ]]; then
        echo "e2e setup: E2E_REQUIRED is set, so this is an error." >&2
        exit 1
    fi
    echo "e2e setup: the browser tests will be skipped." >&2
fi
exit 0
