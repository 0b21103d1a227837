"""Dashboard latency with 1 gunicorn worker vs 4, side by side in one run (issue 13).

    python -m bench.workers [--warehouse PATH] [--users 20] [--seconds 30] [--threads 4]

For each worker count: gunicorn serves the warehouse (`dashboards.app:server_factory()`, the
README's production command) on a fresh SQLite app database; USERS simulated users each log in
(CSRF token, login callback) and request pages (the page callback of every page, with the
latest period) in a loop for SECONDS; latency of every page request is recorded. Results:
bench/results/workers.md and .json (p50/p95/p99, requests per second, errors).

The default warehouse is the demo's (`make demo-data`) or the national one of the last
`make bench` (data/bench/...); any published warehouse works. Figures are wall-clock on a shared
machine: read the 1-vs-4 ratio, measured in the same run, not the absolute values.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards.auth import add_account  # noqa: E402
from dashboards.data import Gudang, Pengguna  # noqa: E402
from dashboards.permintaan import csrf_requests, halaman, masuk  # noqa: E402

PAGES = ["/ringkasan", "/perbandingan", "/upt", "/sektor", "/pnbp", "/kualitas"]
RESULTS = ROOT / "bench" / "results"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(warehouse: Path, workers: int, threads: int, db: str):
    port = _free_port()
    env = {**os.environ, "MONEV_WAREHOUSE": str(warehouse), "MONEV_DB_URL": db,
           "MONEV_SECRET_KEY": os.environ.get("MONEV_SECRET_KEY", "kunci-bench-workers"),
           "MONEV_LOGIN_LIMIT": "10000/minute"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads",
                             str(threads), "-b", f"127.0.0.1:{port}", "--timeout", "300",
                             "dashboards.app:server_factory()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/sehat", timeout=5).status_code == 200:
                return proc, base
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn -w {workers} stopped while starting (exit {proc.returncode}).")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"gunicorn -w {workers} did not answer /sehat within 5 minutes.")


def _run(base: str, users: int, seconds: float, periode: str) -> dict:
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(i: int):
        s = csrf_requests(requests.Session(), base)
        u = f"bench-{i % 3}"
        r = s.post(base + "/_dash-update-component", json=masuk(u, f"sandi-{u}-panjang-sekali"), timeout=120)
        if r.status_code != 200 or "url-login" not in r.json().get("response", {}):
            with lock:
                errors.append(f"login {u}: {r.status_code}")
            return
        n = i
        while time.perf_counter() < stop:
            page = PAGES[n % len(PAGES)]
            n += 1
            t0 = time.perf_counter()
            try:
                r = s.post(base + "/_dash-update-component", json=halaman(page, {"periode": periode}), timeout=120)
                ok = r.status_code == 200
            except requests.RequestException as exc:
                ok, r = False, exc
            dt = time.perf_counter() - t0
            with lock:
                if ok:
                    lat.append(dt)
                else:
                    errors.append(f"{page}: {getattr(r, 'status_code', r)}")

    t = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    t0 = time.perf_counter()
    for x in t:
        x.start()
    for x in t:
        x.join()
    wall = time.perf_counter() - t0
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0] if lat else None] * 99

    def ms(v):
        return None if v is None else round(v * 1000)

    return {"requests": len(lat), "errors": len(errors), "error_samples": errors[:5],
            "rps": round(len(lat) / wall, 1), "p50_ms": ms(q[49]), "p95_ms": ms(q[94]), "p99_ms": ms(q[98])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "monev.duckdb")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--workers", default="1,4")
    args = ap.parse_args()
    if not args.warehouse.exists():
        print(f"{args.warehouse}: published warehouse not found; run `make demo-data` first.", file=sys.stderr)
        return 2
    g = Gudang(args.warehouse)
    periode = g.periode_terbaru(Pengguna("bench", "ditjenpas"))
    upt = g.daftar_upt(Pengguna("bench", "ditjenpas"))
    g.close()
    kanwil = str(upt.kode_kanwil.iloc[0])
    rows = []
    with tempfile.TemporaryDirectory(prefix="monev-bench-workers-") as tmp:
        for w in [int(x) for x in args.workers.split(",")]:
            db = f"sqlite:///{Path(tmp) / f'app_{w}.db'}"
            for i, (role, scope) in enumerate([("ditjenpas", None), ("kanwil", kanwil),
                                               ("upt", str(upt[upt.kode_kanwil == kanwil].kode_upt.iloc[0]))]):
                add_account(db, f"bench-{i}", f"sandi-bench-{i}-panjang-sekali", role, scope)
            proc, base = _serve(args.warehouse, w, args.threads, db)
            try:
                warm = _run(base, min(args.users, 6), min(5.0, args.seconds), periode)  # warm the caches
                if warm["errors"]:
                    print(f"-w {w}: warm-up errors {warm['error_samples']}", file=sys.stderr)
                res = _run(base, args.users, args.seconds, periode)
            finally:
                proc.terminate()
                proc.wait(timeout=60)
            res.update(workers=w, threads=args.threads, users=args.users, seconds=args.seconds)
            rows.append(res)
            print(f"-w {w} --threads {args.threads}: {res['requests']} requests, {res['rps']}/s, "
                  f"p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms, p99 {res['p99_ms']} ms, errors {res['errors']}"
                  + (f" {res['error_samples']}" if res["errors"] else ""))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "workers.json").write_text(json.dumps({"warehouse": str(args.warehouse), "periode": periode,
                                                      "rows": rows}, indent=2))
    md = [f"# Dashboards: 1 vs 4 gunicorn workers ({args.users} users, {args.seconds:.0f} s each, {periode})", "",
          "| workers | threads | requests | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|---|"]
    md += [f"| {r['workers']} | {r['threads']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
           f"{r['p99_ms']} | {r['errors']} |" for r in rows]
    (RESULTS / "workers.md").write_text("\n".join(md) + "\n")
    print(f"Hasil: {RESULTS / 'workers.md'}")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
