"""Export writers on 1,000,000 rows of the facts export's shape, each beside an in-run baseline.

    .venv/bin/python bench/bench_export.py                 # 1,000,000 rows
    BENCH_EXPORT_ROWS=200000 .venv/bin/python bench/bench_export.py

Rows have the nine columns of ``facts_table(by="unit")`` (month, province,
regency/city, unit, indicator key, indicator, breakdown, member, value as the
suppressed text), drawn from pools the size of a national data set, and are
generated lazily, so the writers' memory is what the RSS figures show. The
writers are the ones the export job calls (``write_csv``, ``write_xlsx``); the
progress counter here only counts (the job's one UPDATE per 2,000 rows is left out).

Baselines, measured in the same run on the same rows:
* raw ``csv.writer`` of the rows to a file (what CSV cannot beat);
* ``zipfile`` deflate (level 1, the writer's level) of those same CSV bytes, plus the
  raw CSV time: an XLSX is at least "make the text, deflate it";
* openpyxl's write-only workbook (the writer used before) on a tenth of the rows,
  extrapolated (``BENCH_OPENPYXL=0`` skips it).

With ``BENCH_EXPORT_FACTS=postgres://…/<own database>`` the whole export job
(``export_run``: the ORM query, suppression flags, label lookups and the writer)
also runs on the facts already in that database (never use a database others
are writing to), beside a raw SELECT of the same rows to a CSV sink.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
FACTS_DB = os.environ.get("BENCH_EXPORT_FACTS", "")
if FACTS_DB:
    os.environ["DATABASE_URL"] = FACTS_DB

import django  # noqa: E402

django.setup()

from pulih.reports.exports import Document, Progress, Table, write_csv, write_xlsx  # noqa: E402

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
TARGET_S = 60.0


class Count(Progress):
    """The job's progress without the job row: counts only."""

    def __init__(self) -> None:
        self.done = 0

    def tick(self, n: int = 1) -> None:
        self.done += n


def fact_rows(n: int, seed: int = 8) -> Iterator[list[Any]]:
    """``n`` rows shaped like the facts export by unit (sorted by unit, month, indicator, dim, member)."""
    rnd = random.Random(seed)
    provinces = [f"Provinsi {i}" for i in range(38)]
    units = [
        (f"IBM Desa {rnd.choice('ABCDEFGHIJ')}{i:04d} Sejahtera", f"Kabupaten {i % 514:03d}", provinces[i % 38])
        for i in range(1500)
    ]
    indicators = [(f"indicator_{i:02d}", f"Indicator number {i} (jumlah klien)") for i in range(40)]
    members = [
        ("", "", ""),
        ("Sex", "Male", ""),
        ("Sex", "Female", ""),
        ("Age band", "15–19", ""),
        ("Age band", "20–24", ""),
        ("Age band", "25–34", ""),
        ("Substance", "Methamphetamine", ""),
        ("Substance", "Cannabis", ""),
    ]
    months = [f"{y}-{m:02d}" for y in range(2021, 2027) for m in range(1, 13)]
    produced = 0
    while True:
        for unit in units:
            for month in months:
                for key, name in indicators:
                    for dim, member, _x in members:
                        v = rnd.randrange(0, 60)
                        value = "<5" if 0 < v < 5 else ("×" if v == 7 else str(v))
                        yield [month, unit[2], unit[1], unit[0], key, name, dim, member, value]
                        produced += 1
                        if produced >= n:
                            return


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def header() -> list[str]:
    return [
        "Month",
        "Province",
        "Regency/city",
        "IBM unit",
        "Indicator key",
        "Indicator",
        "Breakdown",
        "Member",
        "Value",
    ]


def run(label: str, fn: Any) -> tuple[float, float]:
    before = rss_mb()
    t = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t
    return elapsed, rss_mb() - before


def line(what: str, rows: int, elapsed: float, grew: float, size: int, extra: str = "") -> None:
    rate = rows / max(elapsed, 1e-9)
    print(
        f"{what}: {rows:,} rows in {elapsed:.2f} s ({rate:,.0f} rows/s; 1,000,000 rows = "
        f"{1_000_000 / rate:.1f} s, target <= {TARGET_S:.0f} s); file {size / 1e6:.1f} MB; "
        f"peak RSS grew {grew:.1f} MB{extra}",
        flush=True,
    )


def writers(tmp: Path) -> None:
    print(f"rows: {ROWS:,}; peak RSS at start {rss_mb():.1f} MB", flush=True)
    # Baseline 1: raw csv.writer of the same rows.
    raw = tmp / "raw.csv"

    def raw_csv() -> None:
        with open(raw, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header())
            w.writerows(fact_rows(ROWS))

    raw_s, raw_grew = run("raw csv", raw_csv)
    line("baseline raw csv.writer", ROWS, raw_s, raw_grew, raw.stat().st_size)

    # Baseline 2: deflate (level 1) of the same CSV bytes into a zip entry.
    zipped = tmp / "raw.zip"

    def deflate() -> None:
        with (
            zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
            z.open("raw.csv", "w", force_zip64=True) as out,
            open(raw, "rb") as src,
        ):
            while chunk := src.read(1 << 20):
                out.write(chunk)

    zip_s, zip_grew = run("deflate", deflate)
    line("baseline zipfile deflate of that CSV", ROWS, zip_s, zip_grew, zipped.stat().st_size)

    # The export's CSV writer.
    path = tmp / "export.csv"
    counter = Count()
    doc = Document("bench", "", None, [Table("Indicator values by unit", header(), fact_rows(ROWS), ROWS)])
    csv_s, csv_grew = run("write_csv", lambda: write_csv(path, doc, counter))
    assert counter.done == ROWS
    line(
        "write_csv",
        ROWS,
        csv_s,
        csv_grew,
        path.stat().st_size,
        f"; {csv_s / raw_s:.2f}x the raw csv.writer baseline",
    )
    path.unlink()

    # The export's XLSX writer (pulih.reports.xlsx).
    path = tmp / "export.xlsx"
    counter = Count()
    doc = Document("bench", "", None, [Table("Indicator values by unit", header(), fact_rows(ROWS), ROWS)])
    xlsx_s, xlsx_grew = run("write_xlsx", lambda: write_xlsx(path, doc, counter))
    assert counter.done == ROWS
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    line(
        "write_xlsx (pulih.reports.xlsx)",
        ROWS,
        xlsx_s,
        xlsx_grew,
        path.stat().st_size,
        f"; {xlsx_s / (raw_s + zip_s):.2f}x the baseline raw csv + deflate ({raw_s + zip_s:.2f} s)",
    )
    path.unlink()

    if os.environ.get("BENCH_OPENPYXL", "1") != "0":
        from openpyxl import Workbook

        few = max(ROWS // 10, 1)
        old = tmp / "openpyxl.xlsx"

        def openpyxl_write() -> None:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Indicator values by unit")
            ws.append(header())
            for row in fact_rows(few):
                ws.append(row)
            wb.save(str(old))

        old_s, old_grew = run("openpyxl", openpyxl_write)
        line(
            "before: openpyxl write-only",
            few,
            old_s,
            old_grew,
            old.stat().st_size,
            f"; pulih.reports.xlsx is {(ROWS / xlsx_s) / (few / old_s):.1f}x faster",
        )
        old.unlink()
    raw.unlink()
    zipped.unlink()


def whole_job() -> None:
    """``export_run`` of the facts by unit on the facts in BENCH_EXPORT_FACTS, beside a raw SELECT."""
    from django.db import connection

    from pulih.accounts.models import User
    from pulih.reports.exports import export_path, export_run
    from pulih.reports.models import ExportJob, Fact
    from pulih.scale.generator import USER_PREFIX

    national = User.objects.filter(username=f"{USER_PREFIX}national").first()
    if national is None:
        print("whole job: no generated national user (manage.py generate_data) in that database; skipped")
        return
    facts = Fact.objects.filter(unit__isnull=False).count()
    for fmt in os.environ.get("BENCH_EXPORT_FORMATS", "csv,xlsx").split(","):
        job = ExportJob.objects.create(
            requested_by=national,
            kind="facts",
            format=fmt,
            title="bench",
            params={"level": "national", "area": "", "from": "1900-01", "to": "2099-12", "by": "unit"},
        )
        before = rss_mb()
        t = time.perf_counter()
        status = export_run(str(job.pk))
        elapsed = time.perf_counter() - t
        grew = rss_mb() - before
        job.refresh_from_db()
        path = export_path(job)
        t = time.perf_counter()
        with connection.cursor() as cur, open(os.devnull, "w", newline="") as sink:
            cur.execute(
                "SELECT f.month, p.name, r.name, u.name, f.indicator, f.dim, f.member, f.value, f.hidden "
                "FROM reports_fact f JOIN regions_province p ON p.code = f.province_id "
                "JOIN regions_regency r ON r.code = f.regency_id JOIN organisations_unit u ON u.id = f.unit_id "
                "ORDER BY f.unit_id, f.month, f.indicator, f.dim, f.member"
            )
            w = csv.writer(sink)
            while batch := cur.fetchmany(5000):
                w.writerows(batch)
        base_s = time.perf_counter() - t
        line(
            f"whole export job {fmt} ({status}, {facts:,} unit facts)",
            job.rows_done,
            elapsed,
            grew,
            path.stat().st_size if path else 0,
            f"; baseline raw SELECT (joined, ordered) to a CSV sink {base_s:.2f} s, ratio {elapsed / base_s:.2f}x",
        )
        if path:
            path.unlink()
        job.delete()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        writers(Path(tmp))
    if FACTS_DB:
        whole_job()


if __name__ == "__main__":
    main()
