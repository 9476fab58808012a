#!/usr/bin/env bash
# The production topology on loopback: PostgreSQL, Redis, N gunicorn application
# servers behind one round-robin address, and huey workers on the Redis queue.
#
#   scripts/topology.sh start     # start everything (idempotent), print the address
#   scripts/topology.sh stop      # stop what this script started (by pid files)
#   scripts/topology.sh status
#
# gunicorn keeps idle connections open for 300 s: the balancer relays TCP, so a
# server closing a kept-alive connection while the client reuses it would be an
# error the client sees (the classic keep-alive race of a TCP-level balancer).
#
# One address, two ways (LB_MODE): `reuseport` (default) — every application server
# binds the same address with SO_REUSEPORT and the kernel spreads the connections
# over them (no process in between, nothing to spend CPU on the two cores); `proxy`
# — the servers listen on their own ports behind scripts/lb.py, a round-robin TCP
# relay (the shape of a load balancer in front of several machines).
#
# Knobs (environment): LB_MODE (reuseport), PULIH_TOPOLOGY_DB (default pulih_scale, a database filled by
# `manage.py generate_data`), APP_SERVERS (2), APP_WORKERS (2 gunicorn workers each),
# APP_THREADS (2), LB_PORT (8100), first app port LB_PORT+1 …, HUEY_WORKERS (2),
# DATABASE_REPLICA_URL (optional: report reads go to the replica, see scripts/replica.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=$ROOT/var/topology
mkdir -p "$RUN"

DB=${PULIH_TOPOLOGY_DB:-pulih_scale}
APP_SERVERS=${APP_SERVERS:-2}
APP_WORKERS=${APP_WORKERS:-2}
APP_THREADS=${APP_THREADS:-2}
LB_PORT=${LB_PORT:-8100}
LB_MODE=${LB_MODE:-reuseport}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB}
export PULIH_QUEUE_URL=${PULIH_QUEUE_URL:-redis://127.0.0.1:6379/0}
export PULIH_CACHE_URL=${PULIH_CACHE_URL:-redis://127.0.0.1:6379/1}
export PULIH_QUEUE_WORKERS=${HUEY_WORKERS:-2}
export PULIH_DB_CONN_MAX_AGE=${PULIH_DB_CONN_MAX_AGE:-60}
export PULIH_DEBUG=${PULIH_DEBUG:-0}
export PULIH_LOG_LEVEL=${PULIH_LOG_LEVEL:-WARNING}
PY=$ROOT/.venv/bin/python

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  echo "==> PostgreSQL"
  pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
  echo "==> Redis"
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    redis-server --port 6379 --daemonize yes --save "" --appendonly no
  fi
  "$PY" manage.py migrate --noinput -v0
  echo "==> $APP_SERVERS application servers ($APP_WORKERS gunicorn workers × $APP_THREADS threads each)"
  backends=()
  for i in $(seq 1 "$APP_SERVERS"); do
    port=$((LB_PORT + i))
    bind=(--bind "127.0.0.1:$port")
    if [ "$LB_MODE" = reuseport ]; then bind=(--bind "127.0.0.1:$LB_PORT" --reuse-port); fi
    backends+=(--backend "127.0.0.1:$port")
    if ! alive "$RUN/app$i.pid"; then
      "$ROOT/.venv/bin/gunicorn" config.wsgi:application "${bind[@]}" \
        --workers "$APP_WORKERS" --threads "$APP_THREADS" --worker-class gthread --keep-alive 300 --timeout 120 \
        --pid "$RUN/app$i.pid" --access-logfile "$RUN/app$i.access.log" \
        --error-logfile "$RUN/app$i.error.log" --daemon
    fi
  done
  echo "==> huey workers on $PULIH_QUEUE_URL"
  if ! alive "$RUN/huey.pid"; then
    nohup "$PY" manage.py run_huey --quiet > "$RUN/huey.log" 2>&1 &
    echo $! > "$RUN/huey.pid"
  fi
  if [ "$LB_MODE" = reuseport ]; then
    echo "==> one address 127.0.0.1:$LB_PORT shared by the $APP_SERVERS servers (SO_REUSEPORT)"
  elif ! alive "$RUN/lb.pid"; then
    echo "==> load balancer 127.0.0.1:$LB_PORT"
    nohup python3 scripts/lb.py --listen "127.0.0.1:$LB_PORT" "${backends[@]}" > "$RUN/lb.log" 2>&1 &
    echo $! > "$RUN/lb.pid"
  fi
  for _ in $(seq 1 60); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$LB_PORT/accounts/login/"; then
      echo "Pulih is served at http://127.0.0.1:$LB_PORT (database $DATABASE_URL)"
      return 0
    fi
    sleep 1
  done
  echo "the topology did not answer on port $LB_PORT; see $RUN/*.log" >&2
  return 1
}

stop() {
  for f in "$RUN"/lb.pid "$RUN"/huey.pid "$RUN"/app*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then kill "$(cat "$f")" && echo "stopped $(basename "$f" .pid)"; fi
    rm -f "$f"
  done
}

status() {
  for f in "$RUN"/*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
