"""Benchmarks of what operators run (`make bench`). Results: bench/results/latest.md (+ .json).

Every load is `monev load` as a child process, timed from outside, on a national year of exports
(`monev generate --scale national`, generated once into data/bench/exports and reused):

1. the full year into an empty warehouse;
2. one new month (January of the next year, generated once into data/bench/exports_<month>);
3. a load with nothing new;
4. one corrected file (a held-back re-send of the year replacing its first version).

For each: wall time, the share of each step (ingest, contracts, dbt, publish, freshness) read from
the run's own record (the JSON beside the load's log under logs/, written from the Dagster
run's step events), and the peak RSS of the process tree (all descendants summed, /proc polled).
The DuckDB floor is measured in the same run: one explicit-column `read_csv` per kind and
delimiter of the same CSV files into a DuckDB file (no validation, no lineage, no dbt).
Optionally (MONEV_BENCH_DASH=1 / MONEV_BENCH_SPARK=1) dashboard latency and the Spark build.
Timings are wall-clock on a shared 2-core machine: read ratios measured side by side.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project import config  # noqa: E402

OUT = ROOT / "bench" / "results"
# There is no built-in pseudonymisation key: the benchmark's synthetic data gets a random one.
os.environ.setdefault("MONEV_PSEUDONYM_KEY", __import__("secrets").token_hex(32))
BASE = Path(os.environ.get("MONEV_BENCH_DIR", ROOT / "data" / "bench"))
YEAR = ("2024-01", "2024-12")
NEW_MONTH = "2025-01"
STEPS = ("ingest", "kontrak", "dbt", "terbit", "kesegaran")
NOOP_REPEATS = 3


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


# ---------------------------------------------------------------------- a child process, measured
def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (kB), from /proc."""
    parent, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parent[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    tree, frontier = {root_pid}, [root_pid]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree)


def run_measured(cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; wall seconds, peak tree RSS (MB), exit code and output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def poll():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.25)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, err = proc.communicate()
    done.set()
    poller.join()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the whole tree (dbt included): on a shared machine the closest figure to
    # what the load would take alone.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mb": round(peak[0] / 1024),
            "exit": proc.returncode, "stdout": out, "stderr": err}


def monev_load(landing: Path, serving: Path, home: Path) -> dict:
    env = dict(os.environ, DAGSTER_HOME=str(home), GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env.setdefault("MONEV_PSEUDONYM_KEY", "kunci-bench-bukan-rahasia-" + "0" * 32)
    cmd = [str(Path(sys.executable).with_name("monev")), "load", "--landing", str(landing), "--warehouse", str(serving)]
    res = run_measured(cmd, env)
    m = re.search(r"log lengkap: (\S+\.log)", res["stdout"])
    record = {}
    if m and Path(m.group(1)).with_suffix(".json").exists():
        record = json.loads(Path(m.group(1)).with_suffix(".json").read_text(encoding="utf-8"))
        res["log"] = m.group(1)
        res["slowest_dbt_nodes"] = slowest_dbt_nodes(Path(m.group(1)))
    res["steps"] = {s: (record.get("langkah") or {}).get(s, {}).get("detik") for s in STEPS}
    res["step_status"] = {s: (record.get("langkah") or {}).get(s, {}).get("status") for s in STEPS}
    res["published"] = record.get("terbit")
    res["load_status"] = record.get("status")
    inner = sum(v for v in res["steps"].values() if v)
    res["outside_steps_s"] = round(res["seconds"] - inner, 2)  # start-up, Dagster run set-up, summary
    res["stdout_tail"] = res.pop("stdout")[-1500:]
    res["stderr_tail"] = res.pop("stderr")[-1500:]
    return res


def slowest_dbt_nodes(log: Path, n: int = 8) -> list[tuple[str, float]]:
    """The dbt nodes that took longest in this load (from dbt's own lines in the log)."""
    found = []
    pat = re.compile(r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL)\S* (?:created \S+ \S+ model|snapshotted|\S+) ([A-Za-z_][\w.]+) .*?in (\d+\.\d+)s\]")
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = pat.search(line)
        if m:
            found.append((m.group(1), float(m.group(2))))
    return sorted(found, key=lambda x: -x[1])[:n]


# ---------------------------------------------------------------------- the DuckDB floor
def _delimiter(path: Path) -> str | None:
    head = path.open("rb").read(4096).split(b"\n", 1)[0]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None  # Windows-1252: the loader transcodes these; the floor skips them
    return ";" if head.count(b";") > head.count(b",") else ","


def duckdb_floor(files: list[Path], scratch: Path) -> dict:
    """One explicit-column read_csv per (kind, delimiter) of the same CSV files into a DuckDB file."""
    from dagster_project.spec import KINDS

    groups: dict[tuple[str, str], list[str]] = {}
    skipped = 0
    for f in files:
        kind = next((k for k in KINDS if f"_{k}_" in f.name), None)
        d = _delimiter(f) if f.suffix == ".csv" and kind else None
        if d is None:
            skipped += 1
            continue
        groups.setdefault((kind, d), []).append(str(f))
    db = scratch / "floor.duckdb"
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    con = duckdb.connect(str(db))
    rows = 0
    try:
        for (kind, d), members in sorted(groups.items()):
            cols = {f"c{i}": "VARCHAR" for i in range(32)}
            con.execute(
                f"create table {kind}_{'semi' if d == ';' else 'koma'} as select * from read_csv(?, delim = ?, "
                "header = true, columns = ?, auto_detect = false, null_padding = true, ignore_errors = true, "
                "filename = true)", [members, d, cols])
            rows += con.execute(f"select count(*) from {kind}_{'semi' if d == ';' else 'koma'}").fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()
    secs = time.perf_counter() - t
    db.unlink(missing_ok=True)
    return {"seconds": round(secs, 2), "files": sum(len(v) for v in groups.values()), "files_skipped": skipped,
            "rows": rows, "groups": len(groups)}


# ---------------------------------------------------------------------- main
def main() -> int:
    if "--dashboards" in sys.argv[1:]:
        return dashboards_only()
    if "--nothing-new" in sys.argv[1:]:
        return nothing_new_only()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": f"{platform.node()} {os.cpu_count()} cpu, python {platform.python_version()}",
                     "load_average_at_start": round(os.getloadavg()[0], 2),
                     "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    monev = str(Path(sys.executable).with_name("monev"))
    exports, extra = BASE / "exports", BASE / f"exports_{NEW_MONTH.replace('-', '_')}"
    for folder, months, seed in ((exports, YEAR, 7), (extra, (NEW_MONTH, NEW_MONTH), 8)):
        if not (folder / "manifest.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            r = run_measured([monev, "generate", "--out", str(folder), "--scale", "national", "--months",
                              f"{months[0]}:{months[1]}", "--seed", str(seed)], dict(os.environ))
            if r["exit"] != 0:
                print(r["stderr"][-2000:], file=sys.stderr)
                return 1
            results[f"generate_{folder.name}_s"] = r["seconds"]
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    # One corrected re-send of the year is held back for scenario 4.
    corrected = next(f["path"] for f in manifest["files"] if f["role"] == "resend_corrected" and f["expect"] == "accept")
    # export files only: the generator's arrival records (.kedatangan/*.json) are linked into the
    # landing folder with them but are neither counted nor read by the floor
    year_files = [p for p in exports.rglob("*") if p.is_file() and p.name != "manifest.json"
                  and not any(part.startswith(".") for part in p.relative_to(exports).parts)
                  and p.relative_to(exports).as_posix() != corrected]
    results["year_files"] = len(year_files)
    results["year_mb"] = round(sum(p.stat().st_size for p in year_files) / 1e6, 1)

    landing = BASE / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    link_tree(exports, landing, lambda p: p.relative_to(exports).as_posix() != corrected)
    wh_dir = BASE / "data"
    shutil.rmtree(wh_dir, ignore_errors=True)
    serving = wh_dir / "warehouse" / "monev.duckdb"
    serving.parent.mkdir(parents=True)
    home = BASE / "dagster"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)

    # Read every file once so that the floor and the first load both start with a warm page cache.
    for p in year_files:
        p.read_bytes()
    # `--only full_year,nothing_new` and `--no-floor`: a shorter run when the machine is busy.
    only = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")), None)
    wanted = set(only.split(",")) if only else set(LABELS)
    results["floor"] = None if "--no-floor" in sys.argv[1:] else duckdb_floor(year_files, BASE)
    scenarios = {}
    scenarios["full_year"] = monev_load(landing, serving, home)
    if "new_month" in wanted:
        link_tree(extra, landing / "bulan_baru", lambda p: p.name != "manifest.json")
        results["new_month_files"] = sum(1 for p in extra.rglob("*") if p.is_file() and p.name != "manifest.json"
                                         and not any(part.startswith(".") for part in p.relative_to(extra).parts))
        scenarios["new_month"] = monev_load(landing, serving, home)
    if "nothing_new" in wanted:
        # The no-op is short and noisy on a shared machine: three runs, the median one reported.
        noops = sorted((monev_load(landing, serving, home) for _ in range(NOOP_REPEATS)), key=lambda r: r["seconds"])
        scenarios["nothing_new"] = noops[len(noops) // 2] | {"runs_s": [r["seconds"] for r in noops]}
    if "corrected_file" in wanted:
        link_tree(exports, landing, lambda p: p.relative_to(exports).as_posix() == corrected)
        results["corrected_file"] = corrected
        scenarios["corrected_file"] = monev_load(landing, serving, home)
    results["scenarios"] = scenarios
    if results["floor"]:
        results["floor_ratio_full_year"] = round(scenarios["full_year"]["seconds"] / results["floor"]["seconds"], 2)
    ok = all(s["exit"] == 0 for s in scenarios.values())

    if ok and os.environ.get("MONEV_BENCH_DASH", "0") == "1":
        results["dashboard_latency_ms"] = dashboard_latency(serving)
    if ok and os.environ.get("MONEV_BENCH_SPARK", "0") == "1":
        from bench.spark import markdown as spark_markdown
        from bench.spark import spark_vs_duckdb

        results["spark_vs_duckdb"] = spark_vs_duckdb(config.warehouse_paths(serving).work)
        results["_spark_markdown"] = spark_markdown(results["spark_vs_duckdb"])
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    (OUT / "latest.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    lines = markdown(results)
    (OUT / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if ok else 1


LABELS = {"full_year": "full year into an empty warehouse", "new_month": "one new month",
          "nothing_new": "nothing new", "corrected_file": "one corrected file"}


def markdown(results: dict) -> list[str]:
    floor = results["floor"]
    lines = ["# Benchmark results: `monev load` as a process", "",
             f"Machine: {results['machine']}; load average {results['load_average_at_start']} at the start, "
             f"{results['load_average_at_end']} at the end; started {results['started']}.",
             f"National year: {results['year_files']} files ({results['year_mb']} MB); new month: "
             f"{results.get('new_month_files')} files.", "",
             "| load | wall s | CPU s (tree) | ingest | contracts | dbt | publish | freshness | outside steps | peak RSS (tree) | x floor |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, s in results["scenarios"].items():
        def share(step):
            v = s["steps"].get(step)
            if v is None or s["step_status"].get(step) == "dilewati":
                return "skipped"
            return f"{v:.1f} s ({100 * v / s['seconds']:.0f}%)"
        lines.append(f"| {LABELS[key]} | {s['seconds']:.1f} | {s.get('cpu_seconds', '-')} | {share('ingest')} | {share('kontrak')} | {share('dbt')} "
                     f"| {share('terbit')} | {share('kesegaran')} | {s['outside_steps_s']:.1f} s | "
                     f"{s['peak_rss_mb']} MB | {f'{s_floor:.1f}' if (s_floor := s['seconds'] / floor['seconds'] if floor else None) else '-'} |")
    if floor:
        lines += ["", f"DuckDB floor (same run): {floor['seconds']} s for {floor['files']} CSV files, {floor['rows']} rows "
                  f"in {floor['groups']} explicit-column read_csv calls ({floor['files_skipped']} XLSX/Windows-1252 files "
                  "not readable by read_csv alone left out)."]
    else:
        lines += ["", "DuckDB floor not measured in this run (`--no-floor`)."]
    noop = results["scenarios"].get("nothing_new") or {}
    if noop.get("runs_s"):
        lines.append(f"Nothing new: median of {len(noop['runs_s'])} runs (wall s: "
                     f"{', '.join(str(x) for x in noop['runs_s'])}).")
    for key, s in results["scenarios"].items():
        if s.get("slowest_dbt_nodes"):
            lines.append(f"Slowest dbt nodes, {LABELS[key]}: "
                         + ", ".join(f"{n} {t:.1f} s" for n, t in s["slowest_dbt_nodes"]))
    lat = results.get("dashboard_latency_ms") or {}
    if lat:
        lines += ["", *latency_markdown(lat)]
    if results.get("_spark_markdown"):
        lines += ["", "Same data on DuckDB and on local Spark:", "", results["_spark_markdown"]]
    return lines


def nothing_new_only(repeats: int = 3) -> int:
    """`python -m bench.run --nothing-new`: only the no-op load, repeated, on the landing folder and
    warehouse a previous `make bench` left (bench/results/nothing_new.json)."""
    serving, landing, home = BASE / "data" / "warehouse" / "monev.duckdb", BASE / "landing", BASE / "dagster"
    if not serving.exists():
        print(f"{serving} does not exist: run `make bench` once first.", file=sys.stderr)
        return 2
    runs = []
    for _ in range(repeats):
        r = monev_load(landing, serving, home)
        runs.append({k: r.get(k) for k in ("seconds", "cpu_seconds", "peak_rss_mb", "exit", "steps", "step_status",
                                           "load_status", "outside_steps_s")} | {"load_avg": os.getloadavg()[0]})
    (OUT / "nothing_new.json").write_text(json.dumps(runs, indent=2), encoding="utf-8")
    for r in runs:
        print(f"nothing new: {r['seconds']} s wall, {r['cpu_seconds']} s CPU, ingest {r['steps']['ingest']} s, "
              f"{r['load_status']}, load average {r['load_avg']:.1f}")
    return 0 if all(r["exit"] == 0 and r["load_status"] == "TANPA_PERUBAHAN" for r in runs) else 1


def dashboards_only() -> int:
    """`make bench-dash`: only the page latencies, on the national warehouse a previous `make bench`
    published (bench/results/dashboards.md), for iterating on the dashboards."""
    serving = BASE / "data" / "warehouse" / "monev.duckdb"
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
