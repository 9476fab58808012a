#!/usr/bin/env bash
# Every benchmark of the performance table, in one go, on PostgreSQL.
#
#   bench/run_all.sh                  # uses the generated database pulih_scale
#   PULIH_BENCH_DB=other bench/run_all.sh
#
# Fill the database first (see docs/performance.md):
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pulih_scale .venv/bin/python manage.py \
#       generate_data --scale national --clients 100000 --units 150 --seed 8 --rollups --password synthetic-load-test
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${PULIH_BENCH_DB:-pulih_scale}
echo "== region load and search (own database bench_pulih)"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_regions.py
echo "== pages, reports, sync and exports on $DB"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB .venv/bin/python bench/bench_national.py
