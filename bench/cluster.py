"""The national year built three ways, side by side in one run: DuckDB, local Spark, a 2-worker cluster.

`make bench-cluster` (this module) takes a working warehouse: the national one of the last
`make bench` (data/bench/warehouse/monev.work.duckdb) when it exists, else the synthetic
national year of tests/fixtures_dbt_national.py (530 UPTs x 12 months, about 6.2M raw rows;
`--upts N` for a smaller one). On a copy it measures, one after the other:

1. `dbt run` (every model) on DuckDB;
2. the Parquet export of raw/meta/ref;
3. the same `dbt run` on a local Spark session (`local[2]`, driver 2 GB);
4. the same `dbt run` on a Spark standalone cluster started here (dagster_project/sparkcluster.py):
   a master and two workers, 1 core and 1 GB each, one executor of 640 MB per worker, the
   driver (2 GB) in the dbt process; the cluster's own start-up is timed separately (both Spark
   builds use the driver's in-memory catalog and two dbt threads);
5. every mart of both Spark builds compared with DuckDB's (figure for figure, 1e-6 relative).

Results in bench/results/cluster.json and cluster.md (not committed). Wall-clock on a shared
machine: record the load average beside the figures (it is in the output).

    .venv/bin/python -m bench.cluster [--work PATH] [--upts N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project import scaleout, sparkcluster  # noqa: E402

OUT = ROOT / "bench" / "results"
DEFAULT_WORK = Path(os.environ.get("MONEV_BENCH_DIR", ROOT / "data" / "bench")) / "data" / "warehouse" / "monev.work.duckdb"
SELECTION = ["run"]
# both Spark builds: the driver's in-memory catalog (one-shot build, no Derby) and two dbt threads
SPARK_ENV = {"MONEV_SPARK_CATALOG": "in-memory", "MONEV_SPARK_THREADS": "2", "MONEV_SPARK_DRIVER_MEMORY": "2g"}
CLUSTER_ENV = {**SPARK_ENV, "MONEV_SPARK_EXECUTOR_MEMORY": "640m", "MONEV_SPARK_EXECUTOR_CORES": "1",
               "MONEV_SPARK_CORES_MAX": "2"}


def _models(stdout: str) -> str:
    for line in stdout.splitlines():
        if "Done. PASS=" in line:
            return line.split("Done.", 1)[1].strip()
    return ""


def _build(result: dict, key: str, target: str, copy: Path, base: Path, spark_dir: Path | None = None,
           env: dict | None = None) -> None:
    run, seconds = scaleout.run_dbt(target, SELECTION, work_db=copy, scratch=base / key,
                                    parquet_dir=base / "parquet" if target == "spark" else None,
                                    spark_dir=spark_dir, extra_env=env)
    result[f"{key}_s"] = round(seconds, 1)
    result[f"{key}_ok"] = run.returncode == 0
    result[f"{key}_models"] = _models(run.stdout)
    if run.returncode != 0:
        result[f"{key}_error"] = (run.stdout[-1500:] + run.stderr[-500:]).strip()


def three_engines(work_db: Path, scratch: Path | None = None) -> dict:
    own = scratch is None
    base = Path(tempfile.mkdtemp(prefix="monev-cluster-bench-")) if own else Path(scratch)
    base.mkdir(parents=True, exist_ok=True)
    result: dict = {"load_average_at_start": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                    "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    try:
        copy = base / "monev.work.duckdb"
        shutil.copy(work_db, copy)
        result["raw_rows"] = scaleout.raw_row_count(copy)
        result["work_db_mb"] = round(copy.stat().st_size / 1e6, 1)
        _build(result, "duckdb", "duckdb", copy, base)
        export = scaleout.export_parquet(copy, base / "parquet")
        result["parquet_export_s"] = round(export.seconds, 1)
        result["parquet_mb"] = round(sum(p.stat().st_size for p in (base / "parquet").rglob("*.parquet")) / 1e6, 1)
        _build(result, "spark_local", "spark", copy, base, base / "spark_local",
               {**SPARK_ENV, "MONEV_SPARK_MASTER": "local[2]"})
        cluster = sparkcluster.StandaloneCluster(base / "cluster", workers=2, worker_cores=1, worker_memory="1g")
        started = time.perf_counter()
        try:
            cluster.start(timeout=300)
            result["cluster_start_s"] = round(time.perf_counter() - started, 1)
            _build(result, "spark_cluster", "spark", copy, base, base / "spark_cluster",
                   {**CLUSTER_ENV, "MONEV_SPARK_MASTER": cluster.master_url})
            result["cluster_workers_alive"] = len(cluster.alive_workers())
        finally:
            cluster.stop()
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        for key in ("spark_local", "spark_cluster"):
            if result["duckdb_ok"] and result.get(f"{key}_ok"):
                report = scaleout.compare_marts(copy, base / key / "warehouse")
                report.pop("kpi_revisi", None)
                result[f"{key}_marts_compared"] = len(report)
                result[f"{key}_marts_differing"] = sorted(t for t, d in report.items() if d)
                result[f"{key}_over_duckdb"] = round(result[f"{key}_s"] / result["duckdb_s"], 1)
    finally:
        if own:
            shutil.rmtree(base, ignore_errors=True)
    return result


def markdown(r: dict) -> str:
    return "\n".join([
        "## The same `dbt run` (every model) on three engines",
        "",
        f"Raw rows: {r.get('raw_rows', 0):,}; working warehouse {r.get('work_db_mb')} MB; Parquet export "
        f"{r.get('parquet_mb')} MB in {r.get('parquet_export_s')} s. {r.get('cpus')} CPUs shared; load average "
        f"{r.get('load_average_at_start')} at start, {r.get('load_average_at_end')} at end.",
        "",
        "| engine | build (s) | models | x DuckDB | marts equal to DuckDB's |",
        "|---|---|---|---|---|",
        f"| DuckDB (1 thread) | {r.get('duckdb_s')} | {r.get('duckdb_models')} | 1 | - |",
        f"| Spark local[2] (driver 2 GB) | {r.get('spark_local_s')} | {r.get('spark_local_models')} | "
        f"{r.get('spark_local_over_duckdb')} | {_equal(r, 'spark_local')} |",
        f"| Spark standalone, 2 workers x 1 core, 640 MB executors | {r.get('spark_cluster_s')} | "
        f"{r.get('spark_cluster_models')} | {r.get('spark_cluster_over_duckdb')} | {_equal(r, 'spark_cluster')} |",
        "",
        f"Starting the cluster (master + 2 workers) took {r.get('cluster_start_s')} s, not included above.",
        "",
    ])


def _equal(r: dict, key: str) -> str:
    if f"{key}_marts_compared" not in r:
        return "not compared"
    bad = r[f"{key}_marts_differing"]
    return f"{r[f'{key}_marts_compared'] - len(bad)} of {r[f'{key}_marts_compared']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=None, help="working warehouse to build from (default: the last "
                                                     "`make bench` national warehouse, else a synthetic national year)")
    parser.add_argument("--upts", type=int, default=530, help="UPTs of the synthetic year (default 530: national)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="monev-cluster-bench-"))
    try:
        work = Path(args.work) if args.work else DEFAULT_WORK
        if args.work and not work.is_file():
            print(f"{work}: working warehouse not found.", file=sys.stderr)
            return 2
        source = str(work)
        if not work.is_file():
            sys.path.insert(0, str(ROOT / "tests"))
            from fixtures_dbt_national import build_national_warehouse

            work = scratch / "synthetic.work.duckdb"
            build_national_warehouse(work, NU=args.upts)
            source = f"synthetic year, {args.upts} UPTs x 12 months (tests/fixtures_dbt_national.py)"
        result = three_engines(work, scratch / "run")
        result["source"] = source
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cluster.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    text = f"Source: {result['source']}\n\n" + markdown(result)
    (OUT / "cluster.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(result.get(f"{k}_ok") for k in ("duckdb", "spark_local", "spark_cluster")) else 1


if __name__ == "__main__":
    raise SystemExit(main())
