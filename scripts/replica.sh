#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL 15 cluster on port 5433.
#
#   scripts/replica.sh start   # create (pg_createcluster + pg_basebackup -R) if missing, start
#   scripts/replica.sh stop    # stop the replica cluster
#   scripts/replica.sh drop    # stop and delete it
#   scripts/replica.sh status  # replication state seen from the primary and the replica
#
# Then: export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<db>
# (the same database name as DATABASE_URL: the replica holds every database).
set -euo pipefail
VERSION=15
NAME=replica
PORT=${REPLICA_PORT:-5433}
DATA=/var/lib/postgresql/$VERSION/$NAME
HBA=/etc/postgresql/$VERSION/main/pg_hba.conf

start() {
  if ! grep -qE '^host\s+replication\s+all\s+127\.0\.0\.1/32' "$HBA"; then
    echo "==> allowing replication connections from 127.0.0.1 on the primary"
    echo "host replication all 127.0.0.1/32 trust" >> "$HBA"
    pg_ctlcluster $VERSION main reload
  fi
  if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
    echo "==> creating cluster $VERSION/$NAME on port $PORT"
    pg_createcluster $VERSION $NAME --port "$PORT" >/dev/null
    find "$DATA" -mindepth 1 -delete  # the data comes from the primary
  fi
  if [ ! -f "$DATA/standby.signal" ]; then
    echo "==> pg_basebackup -R from 127.0.0.1:5432"
    find "$DATA" -mindepth 1 -delete
    # A replication slot keeps the primary's WAL until the replica has it (a busy
    # primary recycles segments faster than a fresh replica catches up otherwise).
    slot=$(psql -h 127.0.0.1 -p 5432 -U postgres -Atc "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pulih_replica'")
    create=""; [ "$slot" = "0" ] && create="--create-slot"
    su postgres -c "pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D $DATA -R -X stream -c fast $create --slot=pulih_replica"
  fi
  # Same client authentication as the primary (Debian keeps it outside the data directory).
  if ! cmp -s "$HBA" /etc/postgresql/$VERSION/$NAME/pg_hba.conf; then
    cp "$HBA" /etc/postgresql/$VERSION/$NAME/pg_hba.conf
    pg_ctlcluster $VERSION $NAME status >/dev/null 2>&1 && pg_ctlcluster $VERSION $NAME reload
  fi
  pg_ctlcluster $VERSION $NAME status >/dev/null 2>&1 || pg_ctlcluster $VERSION $NAME start
  status
}

status() {
  psql -h 127.0.0.1 -p 5432 -U postgres -Atc \
    "SELECT 'primary sees: ' || application_name || ' ' || state || ' (replay lag ' || coalesce(replay_lag::text, '0') || ')' FROM pg_stat_replication" || true
  psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc \
    "SELECT 'replica in recovery: ' || pg_is_in_recovery() || ', last replay ' || coalesce(pg_last_xact_replay_timestamp()::text, '-')" || true
}

case "${1:-start}" in
  start) start ;;
  stop) pg_ctlcluster $VERSION $NAME stop ;;
  drop)
    pg_dropcluster $VERSION $NAME --stop || true
    psql -h 127.0.0.1 -p 5432 -U postgres -Atc \
      "SELECT pg_drop_replication_slot('pulih_replica') FROM pg_replication_slots WHERE slot_name = 'pulih_replica'" ;;
  status) status ;;
  *) echo "usage: $0 start|stop|drop|status" >&2; exit 2 ;;
esac
