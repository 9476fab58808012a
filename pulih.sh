#!/usr/bin/env bash
# Pulih developer entry point.
#   ./pulih.sh start   install into .venv, prepare the SQLite database with
#                      regions and demo data, start the job worker and serve
#                      http://127.0.0.1:8000
#   ./pulih.sh test    install into .venv and run the whole test suite
#                      (set DATABASE_URL=postgres://… to run it on PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

ensure_env() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Creating virtual environment in $VENV"
    "$PY" -m venv "$VENV" || {
      echo "Could not create a virtual environment. On Debian: apt-get install python3-venv" >&2
      exit 1
    }
  fi
  local stamp="$VENV/.pulih-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "==> Installing Python packages (PyPI)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -e '.[dev]'
    touch "$stamp"
  fi
}

manage() { "$VENV/bin/python" manage.py "$@"; }

cmd=${1:-start}
shift || true
case "$cmd" in
  start)
    ensure_env
    echo "==> Preparing the database"
    manage migrate --noinput -v0
    manage load_regions
    manage load_demo
    echo "==> Starting the background job worker"
    manage run_huey --quiet > var/worker.log 2>&1 &
    WORKER=$!
    trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
    "$VENV/bin/python" - <<'PYEOF'
from pulih.core.demo import DEMO_LOGINS, DEMO_PASSWORD
print("\nPulih is running at http://127.0.0.1:8000\n")
print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
for username, role, where in DEMO_LOGINS:
    print(f"  {username:<24} {role:<26} {where}")
print()
PYEOF
    manage runserver 127.0.0.1:8000 "$@"
    ;;
  test)
    ensure_env
    if [ ! -x /usr/bin/chromium ] && [ -z "${PULIH_CHROMIUM:-}" ]; then
      echo "Browser tests need Debian's chromium: apt-get install -y chromium" >&2
      exit 1
    fi
    "$VENV/bin/python" -m pytest -q "$@"
    ;;
  *)
    echo "usage: ./pulih.sh start|test" >&2
    exit 2
    ;;
esac
