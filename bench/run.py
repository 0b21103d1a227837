"""Benchmarks at national scale (`make bench`). Results: bench/results/latest.md (+ .json).

Measured side by side in one run on this machine:
1. generation of a national year of exports (`monev generate --scale national`);
2. ingestion of 11 months into an empty working warehouse, then of the 12th month alone
   (the nightly case), then a load with nothing new;
3. the dbt build over the national year;
4. publication (copy of the marts into the serving file);
5. dashboard data-access latency per page (median and p95 over repeated calls).
Timings are wall-clock on a shared 2-core machine: read medians and ratios, not single values.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project import config  # noqa: E402
from dagster_project.generator import generate  # noqa: E402
from dagster_project.ingest.loader import ingest  # noqa: E402
from dagster_project.publish import publish  # noqa: E402

OUT = ROOT / "bench" / "results"
# There is no built-in pseudonymisation key: the benchmark's synthetic data gets a random one.
os.environ.setdefault("MONEV_PSEUDONYM_KEY", __import__("secrets").token_hex(32))
BASE = Path(os.environ.get("MONEV_BENCH_DIR", ROOT / "data" / "bench"))


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t, result


def link_tree(src: Path, dst: Path, keep) -> int:
    n = 0
    for path in src.rglob("*"):
        if path.is_file() and keep(path):
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                os.link(path, target)
                n += 1
    return n


def dashboards_only() -> int:
    """`make bench-dash`: only the page latencies, on the national warehouse a previous `make bench`
    published (bench/results/dashboards.md), for iterating on the dashboards."""
    serving = config.warehouse_paths(BASE / "warehouse" / "monev.duckdb").serving
    if not serving.exists():
        print(f"{serving} does not exist: run `make bench` once first.", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    load_start = round(os.getloadavg()[0], 2)
    lat = dashboard_latency(serving)
    lines = ["# Dashboard page latency (national warehouse)", "",
             f"Machine: {platform.node()} {os.cpu_count()} cpu; load average {load_start} at start.", "",
             *latency_markdown(lat)]
    (OUT / "dashboards.json").write_text(json.dumps(lat, indent=2), encoding="utf-8")
    (OUT / "dashboards.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


def main() -> int:
    if "--dashboards" in sys.argv[1:]:
        return dashboards_only()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": f"{platform.node()} {os.cpu_count()} cpu, python {platform.python_version()}",
                     "load_average_at_start": round(os.getloadavg()[0], 2)}
    exports = BASE / "exports"
    if not (exports / "manifest.json").exists():
        shutil.rmtree(exports, ignore_errors=True)
        secs, summary = timed(generate, exports, scale="national", months=("2024-01", "2024-12"), seed=7)
        results["generate_national_s"] = round(secs, 1)
        results["generate_summary"] = {k: v for k, v in summary.items() if not isinstance(v, (dict, list))}
    files = [p for p in exports.rglob("*") if p.is_file() and p.name != "manifest.json"]
    results["files"] = len(files)
    results["bytes_mb"] = round(sum(p.stat().st_size for p in files) / 1e6, 1)

    landing = BASE / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    last_month = "202412"
    link_tree(exports, landing, lambda p: last_month not in p.name)
    paths = config.warehouse_paths(BASE / "warehouse" / "monev.duckdb")
    for p in (paths.work, paths.serving, paths.previous):
        p.unlink(missing_ok=True)
    paths.serving.parent.mkdir(parents=True, exist_ok=True)
    master = config.upt_master_path()

    secs, s11 = timed(ingest, paths.work, landing, master, paths.staging_dir)
    results["ingest_11_months_s"] = round(secs, 1)
    results["ingest_11_months_rows"] = s11.rows_loaded + s11.rows_quarantined
    results["ingest_11_months_files"] = s11.files_new
    results["ingest_rows_per_s"] = int((s11.rows_loaded + s11.rows_quarantined) / secs)
    added = link_tree(exports, landing, lambda p: last_month in p.name)
    secs, s1 = timed(ingest, paths.work, landing, master, paths.staging_dir)
    results["ingest_new_month_s"] = round(secs, 1)
    results["ingest_new_month_files"] = added
    results["ingest_new_month_rows"] = s1.rows_loaded + s1.rows_quarantined
    secs, s0 = timed(ingest, paths.work, landing, master, paths.staging_dir)
    results["ingest_nothing_new_s"] = round(secs, 2)

    env = dict(os.environ, MONEV_WORK_DB=str(paths.work))
    dbt = str(Path(sys.executable).with_name("dbt"))
    t = time.perf_counter()
    proc = subprocess.run([dbt, "build", "--quiet", "--project-dir", str(config.DBT_DIR), "--profiles-dir",
                           str(config.DBT_DIR), "--target-path", str(BASE / "dbt_target")],
                          env=env, capture_output=True, text=True)
    results["dbt_build_national_s"] = round(time.perf_counter() - t, 1)
    results["dbt_build_ok"] = proc.returncode == 0
    if proc.returncode != 0:
        results["dbt_build_error"] = (proc.stdout + proc.stderr)[-2000:]
    else:
        secs, pub = timed(publish, paths, s0.load_id)
        results["publish_s"] = round(secs, 1)
        results["published_kpi_rows"] = pub["tables"].get("kpi_indikator")
        results["dashboard_latency_ms"] = dashboard_latency(paths.serving)

    if results.get("dbt_build_ok") and os.environ.get("MONEV_BENCH_SPARK", "1") != "0":
        # The same working warehouse built on local Spark beside DuckDB (issue: scale-out).
        from bench.spark import markdown as spark_markdown
        from bench.spark import spark_vs_duckdb

        spark = spark_vs_duckdb(paths.work)
        results["spark_vs_duckdb"] = spark
        results["_spark_markdown"] = spark_markdown(spark)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    (OUT / "latest.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    lines = ["# Benchmark results", "", f"Machine: {results['machine']}", "", "| measure | value |", "|---|---|"]
    for k, v in results.items():
        if k not in ("machine", "dashboard_latency_ms", "generate_summary", "dbt_build_error", "spark_vs_duckdb",
                     "_spark_markdown"):
            lines.append(f"| {k} | {v} |")
    lat = results.get("dashboard_latency_ms") or {}
    if lat:
        lines += ["", *latency_markdown(lat)]
    if results.get("_spark_markdown"):
        lines += ["", "Same data on DuckDB and on local Spark:", "", results["_spark_markdown"]]
    (OUT / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if results["dbt_build_ok"] else 1


def latency_markdown(lat: dict) -> list[str]:
    """The page latencies of :func:`dashboard_latency` as a markdown table and a one-line verdict."""
    pages = {k: v for k, v in lat.items() if k != "_all_pages"}
    lines = ["Page callback requests at national scale (ms; cold = first view after a publication, "
             "warm = a later view of the same page and filters):", "",
             "| page (account) | cold median | cold p95 | warm median | warm p95 | response KB |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {page} | {v['cold']['median']} | {v['cold']['p95']} | {v['warm']['median']} | {v['warm']['p95']} "
              f"| {v['response_kb']} |" for page, v in pages.items()]
    semua = lat.get("_all_pages")
    if semua:
        lines += ["", f"Cold p95 under 300 ms on {semua['pages_under_300ms_p95']} of {semua['pages']} pages; "
                  f"worst cold p95 {semua['cold_p95_max']} ms; load average {semua['load_average']} at the end."]
    return lines


def dashboard_latency(serving: Path, repeats: int = 30) -> dict:
    """Median and p95 (ms) of each page's callback request, first view after a publication
    (``cold``: query cache emptied before every request) and later views (``warm``)."""
    try:
        from dashboards import bench_hooks
    except ImportError:
        return {}
    site = bench_hooks.situs(serving)
    out = {}

    def stats(samples: list[float]) -> dict:
        samples = sorted(samples)
        return {"median": round(statistics.median(samples), 1), "p95": round(samples[int(0.95 * (len(samples) - 1))], 1)}

    try:
        for page, call in site.calls.items():
            cold, warm = [], []
            for _ in range(repeats):
                site.gudang.kosongkan_cache()
                t = time.perf_counter()
                size = call()
                cold.append((time.perf_counter() - t) * 1000)
            for _ in range(repeats):
                t = time.perf_counter()
                call()
                warm.append((time.perf_counter() - t) * 1000)
            out[page] = {"cold": stats(cold), "warm": stats(warm), "response_kb": round(size / 1024, 1)}
        every_cold = sorted(v["cold"]["p95"] for v in out.values())
        out["_all_pages"] = {"cold_p95_max": every_cold[-1], "pages_under_300ms_p95": sum(v < 300 for v in every_cold),
                             "pages": len(every_cold), "load_average": round(os.getloadavg()[0], 2)}
    finally:
        site.tmp.cleanup()
    return out


if __name__ == "__main__":
    sys.exit(main())
