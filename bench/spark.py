"""The cost of the switch to Spark: the same dbt build on DuckDB and on a local Spark, same data.

`spark_vs_duckdb(work_db)` takes an ingested working warehouse (e.g. the national year of
`bench/run.py`), copies it, and on the copy measures side by side:

1. the dbt build on DuckDB;
2. the Parquet export of raw/meta/ref (dagster_project/scaleout.py);
3. the same dbt build on Spark (dbt-spark `session`, local[2], the machine's Java 17);
4. the comparison of every mart both engines built (figure for figure, 1e-6 relative).

Both builds run the same selection: every model, the unit tests and the singular invariants
(`--exclude test_type:generic`), without the publication history (snapshot and kpi_revisi are
not built on Spark). Wall-clock on a shared 2-core machine; Spark's figure includes starting
its JVM and catalog (about 20-30 s), which a long-lived cluster pays once.

    .venv/bin/python -m bench.spark data/bench/warehouse/monev.work.duckdb
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project import scaleout  # noqa: E402

SELECTION = ["build", "--exclude", "test_type:generic", "kpi_indikator_snapshot", "kpi_revisi"]


def _count_nodes(stdout: str) -> str:
    for line in stdout.splitlines():
        if "Finished running" in line:
            return line.split("Finished running", 1)[1].split(" in ")[0].strip()
    return ""


def spark_vs_duckdb(work_db: str | os.PathLike, scratch: str | os.PathLike | None = None,
                    driver_memory: str = "4g") -> dict:
    """Build times of the same dbt project on DuckDB and Spark over a copy of `work_db`."""
    work_db = Path(work_db)
    own_scratch = scratch is None
    base = Path(tempfile.mkdtemp(prefix="monev-spark-bench-")) if own_scratch else Path(scratch)
    base.mkdir(parents=True, exist_ok=True)
    result: dict = {}
    try:
        copy = base / "monev.work.duckdb"
        shutil.copy(work_db, copy)
        result["raw_rows"] = scaleout.raw_row_count(copy)

        duck, duck_s = scaleout.run_dbt("duckdb", SELECTION, work_db=copy, scratch=base)
        result["duckdb_build_s"] = round(duck_s, 1)
        result["duckdb_ok"] = duck.returncode == 0
        result["duckdb_nodes"] = _count_nodes(duck.stdout)

        export = scaleout.export_parquet(copy, base / "parquet")
        result["parquet_export_s"] = round(export.seconds, 1)
        result["parquet_mb"] = round(sum(p.stat().st_size for p in (base / "parquet").rglob("*.parquet")) / 1e6, 1)

        spark, spark_s = scaleout.run_dbt(
            "spark", SELECTION, work_db=copy, scratch=base, parquet_dir=base / "parquet",
            spark_dir=base / "spark", extra_env={"MONEV_SPARK_DRIVER_MEMORY": driver_memory})
        result["spark_build_s"] = round(spark_s, 1)
        result["spark_ok"] = spark.returncode == 0
        result["spark_nodes"] = _count_nodes(spark.stdout)
        if not result["spark_ok"]:
            result["spark_error"] = (spark.stdout[-1500:] + spark.stderr[-500:]).strip()
        if result["duckdb_ok"] and result["spark_ok"]:
            report = scaleout.compare_marts(copy, base / "spark" / "warehouse")
            report.pop("kpi_revisi", None)
            result["marts_compared"] = len(report)
            result["marts_differing"] = sorted(t for t, d in report.items() if d)
        if result["duckdb_build_s"]:
            result["spark_over_duckdb"] = round(result["spark_build_s"] / result["duckdb_build_s"], 1)
    finally:
        if own_scratch:
            shutil.rmtree(base, ignore_errors=True)
    return result


def markdown(result: dict) -> str:
    """A section for bench/results/latest.md."""
    lines = [
        "## dbt build: DuckDB vs Spark (same data, same models)",
        "",
        f"Raw rows: {result.get('raw_rows', '?'):,}" if isinstance(result.get("raw_rows"), int) else "",
        "",
        "| engine | build (s) | ran |",
        "|---|---|---|",
        f"| DuckDB | {result.get('duckdb_build_s')} | {result.get('duckdb_nodes')} |",
        f"| Spark (local[2], session) | {result.get('spark_build_s')} | {result.get('spark_nodes')} |",
        "",
        f"Parquet export of raw/meta/ref: {result.get('parquet_export_s')} s, {result.get('parquet_mb')} MB. "
        f"Spark / DuckDB: {result.get('spark_over_duckdb')}x. Marts compared: {result.get('marts_compared')}, "
        f"differing: {result.get('marts_differing') or 'none'}.",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "data" / "bench" / "warehouse" / "monev.work.duckdb")
    res = spark_vs_duckdb(target)
    print(json.dumps(res, indent=2))
    print(markdown(res))
