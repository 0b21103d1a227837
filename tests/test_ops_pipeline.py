"""Reliability of the real load job: faults, concurrency, hostile content end to end.

Every scenario starts from the same state: the demo publication of tests/conftest.py (January-June
2024) plus a batch of new July exports (reliability/harness.py: formula cells in every free-text
field, files with odd names and symlinks). Then:

- a clean `monev load` while 20 simulated dashboard users keep requesting pages: zero errors,
  every response shows the old figures or the new ones (byte-identical to one of them), never a mix;
- `monev load` killed with SIGKILL (whole process group, dbt included) during ingestion, during
  dbt and during publication: the served file still holds exactly the previous figures, and a
  rerun without any cleanup publishes exactly the figures of the clean load;
- after the kill during ingestion, a second run fails (raised, not killed) at publication: it is
  recorded (meta.loads GAGAL + meta.run_failures), shown by `monev status`, and published with
  the next successful publication;
- publication into a full or read-only folder (a small tmpfs when we may mount one): a clear
  failure, the previous publication intact, and publication succeeds once there is room again;
- every dashboard download of the resulting warehouse carries the formulas neutralised.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import openpyxl
import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reliability import harness as H  # noqa: E402

from dashboards.permintaan import csrf_requests, halaman, masuk  # noqa: E402

pytestmark = pytest.mark.slow

USERS = 20
PAGES = ("/ringkasan", "/perbandingan", "/sektor", "/pnbp")
FAULTS_SURVIVED: dict[str, dict] = {}


# ---------------------------------------------------------------------- the shared starting state
@pytest.fixture(scope="module")
def state_a(demo_pipeline, tmp_path_factory):
    assert demo_pipeline.load_exit == 0
    base = tmp_path_factory.mktemp("ops_a")
    landing, serving = H.copy_state(demo_pipeline.landing, demo_pipeline.warehouse, base)
    batch = H.make_batch(landing / "baru")
    return SimpleNamespace(base=base, landing=landing, serving=serving, batch=batch, old=H.figures(serving))


def scenario(state_a, tmp_path_factory, name: str):
    dest = tmp_path_factory.mktemp(name)
    landing, serving = H.copy_state(state_a.landing, state_a.serving, dest)
    return SimpleNamespace(dir=dest, landing=landing, serving=serving, home=dest / "dagster")


# ---------------------------------------------------------------------- concurrent users during a clean load
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(serving: Path, tmp: Path):
    from werkzeug.serving import make_server

    from dashboards.app import create_app
    from dashboards.auth import add_account

    con = duckdb.connect(str(serving), read_only=True)
    kanwil, upt = con.execute("select kode_kanwil, kode_upt from dim_upt order by kode_upt limit 1").fetchone()
    con.close()
    acc = tmp / "app.db"
    users = {"pusat": ("ditjenpas", None), "kanwil": ("kanwil", kanwil), "upt": ("upt", upt)}
    for u, (role, scope) in users.items():
        add_account(acc, u, f"sandi-{u}-uji", role, scope)
    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-ops")
    # 20 simulated users log in from one address within a minute: above the default per-address
    # login throttle (30/minute), which tests/test_sesi_keamanan.py checks on its own.
    os.environ.setdefault("MONEV_LOGIN_LIMIT", "1000/minute")
    app = create_app(serving, acc, tmp / "audit.log")
    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}", list(users)


def _session(url: str, user: str) -> requests.Session:
    s = csrf_requests(requests.Session(), url)
    r = s.post(url + "/_dash-update-component", json=masuk(user, f"sandi-{user}-uji"), timeout=60)
    assert r.status_code == 200 and "url-login" in r.text, r.text[:300]
    return s


def _snapshot(url: str, users: list[str]) -> dict:
    out = {}
    for u in users:
        s = _session(url, u)
        for page in PAGES:
            out[(u, page)] = s.post(url + "/_dash-update-component", json=halaman(page, {"periode": "2024"}),
                                    timeout=120).text
    return out


@pytest.fixture(scope="module")
def clean_load(state_a, tmp_path_factory):
    """The reference load of the batch, run while USERS simulated users request pages."""
    sc = scenario(state_a, tmp_path_factory, "ops_clean")
    server, url, users = _start_app(sc.serving, sc.dir)
    try:
        old = _snapshot(url, users)
        assert old == _snapshot(url, users), "pages must render deterministically for this test"
        stop = threading.Event()
        samples: list[tuple[float, str, str, str]] = []  # (latency, user, page, body)
        errors: list[str] = []
        lock = threading.Lock()

        def user_loop(i: int):
            u = users[i % len(users)]
            try:
                s = _session(url, u)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"login {u}: {exc}")
                return
            n = 0
            while not stop.is_set():
                page = PAGES[(i + n) % len(PAGES)]
                n += 1
                t0 = time.perf_counter()
                try:
                    r = s.post(url + "/_dash-update-component", json=halaman(page, {"periode": "2024"}),
                               timeout=120)
                    dt_ = time.perf_counter() - t0
                    with lock:
                        if r.status_code != 200:
                            errors.append(f"{u} {page}: HTTP {r.status_code}")
                        samples.append((dt_, u, page, r.text))
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"{u} {page}: {type(exc).__name__}: {exc}")
                time.sleep(0.2)  # think time

        threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(USERS)]
        t_start = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(2)
        proc = H.start_load(sc.landing, sc.serving, sc.home, sc.dir / "load.log")
        try:
            rc = proc.wait(timeout=900)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 9)
        time.sleep(3)  # a few requests against the new publication too
        stop.set()
        for t in threads:
            t.join(timeout=180)
        duration = time.perf_counter() - t_start
        new = _snapshot(url, users)
    finally:
        server.shutdown()
    log = (sc.dir / "load.log").read_text(errors="replace")
    return SimpleNamespace(sc=sc, rc=rc, log=log, old=old, new=new, samples=samples, errors=errors,
                           duration=duration, figures=H.figures(sc.serving))


def test_clean_load_publishes_the_batch(clean_load, state_a):
    assert clean_load.rc == 0, clean_load.log[-3000:]
    assert not H.same_figures(clean_load.figures, state_a.old), "the batch must change the published figures"
    periods = {r[2] for r in clean_load.figures["kpi_indikator"]}
    assert "2024Q3" in periods
    # Odd names and symlinks: registered as rejected (symlinks ignored), never read from outside.
    con = duckdb.connect(str(clean_load.sc.serving), read_only=True)
    ditolak = {r[0] for r in con.execute("select path from mart_file_ditolak").fetchall()}
    con.close()
    for name in H.ODD_NAMES:
        assert (f"baru/aneh/{name}" in ditolak) is (not name.startswith(".")), name  # hidden files ignored
    assert not any("passwd" in p and "etc" in p and "%2F" not in p for p in ditolak)
    con = duckdb.connect(str(clean_load.sc.serving.with_name("monev.work.duckdb")), read_only=True)
    assert con.execute("select count(*) from meta.file_registry where path like '%tautan_keluar%' "
                       "or path = 'baru/aneh/UPT0001_narapidana_202407.csv'").fetchone()[0] == 0
    con.close()


def test_concurrent_users_see_old_or_new_figures_never_a_mix(clean_load):
    old, new = clean_load.old, clean_load.new
    assert any(old[k] != new[k] for k in old), "the load must change what the pages show"
    mixed = [(u, p) for _t, u, p, body in clean_load.samples if body not in (old[(u, p)], new[(u, p)])]
    saw_old = sum(1 for _t, u, p, body in clean_load.samples if body == old[(u, p)] and old[(u, p)] != new[(u, p)])
    saw_new = sum(1 for _t, u, p, body in clean_load.samples if body == new[(u, p)] and old[(u, p)] != new[(u, p)])
    lat = sorted(t for t, *_ in clean_load.samples)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
    H.record("load", {
        "users": USERS, "pages": list(PAGES), "seconds": round(clean_load.duration, 1),
        "requests": len(lat), "errors": len(clean_load.errors), "mixed_responses": len(mixed),
        "responses_old": saw_old, "responses_new": saw_new,
        "p50_ms": round(q[49] * 1000), "p95_ms": round(q[94] * 1000), "p99_ms": round(q[98] * 1000),
        "max_ms": round(lat[-1] * 1000), "load_exit": clean_load.rc,
    })
    assert clean_load.errors == [], clean_load.errors[:5]
    assert mixed == [], f"{len(mixed)} responses were neither the old nor the new figures"
    assert saw_old > 0 and saw_new > 0, "users must have been served across the switch"
    assert len(lat) >= USERS * 5


# ---------------------------------------------------------------------- SIGKILL at three points
def _statuses(sc) -> list[tuple]:
    con = duckdb.connect(str(sc.serving.with_name("monev.work.duckdb")), read_only=True)
    try:
        return con.execute("select status, message from meta.loads order by load_id").fetchall()
    finally:
        con.close()


def _status_cli(sc) -> str:
    r = subprocess.run([sys.executable, "-m", "dagster_project.cli", "status", "--warehouse", str(sc.serving)],
                       capture_output=True, text=True, timeout=120, env=H.monev_env(sc.home), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("point", ["ingest", "dbt", "publish"])
def test_kill_during_load_keeps_previous_publication_and_rerun_recovers(point, state_a, clean_load, tmp_path_factory):
    sc = scenario(state_a, tmp_path_factory, f"ops_kill_{point}")
    killed = H.run_load(sc.landing, sc.serving, sc.home, MONEV_FAULT_AT=point)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
    after_kill = H.figures(sc.serving)
    assert H.same_figures(after_kill, state_a.old), f"killed at {point}: the served figures changed"
    assert after_kill["load_id"] == state_a.old["load_id"]
    if point == "ingest":
        # Same scenario, second fault: the next run fails (an error, not a kill) at publication.
        # It must be recorded, shown by `monev status`, and leave the publication as it was.
        failed = H.run_load(sc.landing, sc.serving, sc.home, MONEV_FAULT_AT="publish", MONEV_FAULT_MODE="raise")
        assert failed.returncode == 1, failed.stderr[-2000:]
        assert "gudang_terbit" in failed.stderr and "Kegagalan dicatat (gudang_kerja)" in failed.stderr
        assert H.same_figures(H.figures(sc.serving), state_a.old)
        out = _status_cli(sc)
        assert "GAGAL" in out and "gangguan uji" in out and "gudang_terbit" in out and "TERPUTUS" in out
        FAULTS_SURVIVED["langkah gagal (dicatat, terbit kemudian)"] = {"exit": failed.returncode, "recorded": True}
    rerun = H.run_load(sc.landing, sc.serving, sc.home)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    recovered = H.figures(sc.serving)
    assert H.same_figures(recovered, clean_load.figures), f"rerun after a kill at {point} differs from a clean load"
    assert not sc.serving.with_name("monev.next.duckdb").exists()
    statuses = [r[0] for r in _statuses(sc)]
    assert "BERJALAN" not in statuses and statuses[-1] == "SELESAI"
    if point == "ingest":
        assert "TERPUTUS" in statuses  # the killed load is closed by the next one
        con = duckdb.connect(str(sc.serving), read_only=True)
        rows = con.execute("select status, message from meta_muatan order by load_id").fetchall()
        con.close()
        # What the Kualitas Data page shows once the next load published.
        assert any(s == "GAGAL" and "gudang_terbit" in (m or "") for s, m in rows)
        assert any(s == "TERPUTUS" for s, _m in rows)
    FAULTS_SURVIVED[f"SIGKILL saat {point}"] = {"killed_exit": killed.returncode, "previous_intact": True,
                                                "rerun_exit": rerun.returncode, "rerun_equals_clean": True}
    H.record("faults_kill", FAULTS_SURVIVED)


# ---------------------------------------------------------------------- full / read-only target folder
def _mount_tmpfs(where: Path, size_bytes: int) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(where)],
                       capture_output=True)
    return r.returncode == 0


def _remount(where: Path, opts: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{opts}", str(where)], check=True, capture_output=True)


def test_full_or_read_only_target_folder(state_a, clean_load, tmp_path_factory):
    from dagster_project.publish import publish

    work = clean_load.sc.serving.with_name("monev.work.duckdb")  # marts of the clean load
    tmp = tmp_path_factory.mktemp("ops_disk")
    mnt = tmp / "mnt"
    size = state_a.serving.stat().st_size
    mounted = _mount_tmpfs(mnt, size + 512 * 1024)
    results = {}
    try:
        if not mounted:  # fallback: make the .next path unwritable (a directory stands in its way)
            mnt.mkdir()
        shutil.copy2(state_a.serving, mnt / "monev.duckdb")
        paths = SimpleNamespace(serving=mnt / "monev.duckdb", next=mnt / "monev.next.duckdb",
                                previous=mnt / "monev.prev.duckdb", work=work)
        if not mounted:
            paths.next.mkdir()
        with pytest.raises(Exception) as full:
            publish(paths, 99)
        assert H.same_figures(H.figures(paths.serving), state_a.old)
        if mounted:
            assert not paths.next.exists(), "a failed publication must not leave its partial file"
        results["folder penuh"] = {"simulation": "tmpfs" if mounted else ".next path blocked",
                                   "error": str(full.value).splitlines()[0][:160], "previous_intact": True}
        if mounted:
            _remount(mnt, "ro")
            with pytest.raises(Exception) as ro:
                publish(paths, 99)
            assert "read-only" in str(ro.value).lower() or "Read-only" in str(ro.value)
            assert H.same_figures(H.figures(paths.serving), state_a.old)
            results["folder hanya-baca"] = {"simulation": "tmpfs remount ro", "error": str(ro.value).splitlines()[0][:160],
                                            "previous_intact": True}
            # room again: the publication in place, the new one and its WAL during the checkpoint, with margin
            room = size + 3 * clean_load.sc.serving.stat().st_size + 64 * 1024 * 1024
            _remount(mnt, f"rw,size={room}")
        else:
            paths.next.rmdir()
        publish(paths, 99)  # room again: the next attempt succeeds without any cleanup
        assert H.same_figures(H.figures(paths.serving), clean_load.figures)
        assert H.same_figures(H.figures(paths.previous), state_a.old)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
    H.record("faults_disk", results)


# ---------------------------------------------------------------------- hostile content in every download
def _cells(xlsx: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield c


def test_formulas_neutralised_in_every_download(clean_load, state_a):
    from dashboards.app import buat_unduhan
    from dashboards.data import Gudang, Pengguna, TidakBerwenang
    from dashboards.pages import TABEL

    g = Gudang(clean_load.sc.serving)
    downloads = 0
    p = Pengguna("uji", "ditjenpas")
    found: set[str] = set()
    checked = 0
    kunci = list(TABEL) + ["laporan_kanwil", "laporan_upt"]
    con = duckdb.connect(str(clean_load.sc.serving), read_only=True)
    kanwil, upt = con.execute(
        "select u.kode_kanwil, u.kode_upt from dim_kegiatan k join dim_upt u using (kode_upt) "
        "where k.nama_kegiatan like '=HYPERLINK%' limit 1").fetchone()
    con.close()
    for k in kunci:
        for nilai in ({"periode": "2024Q3"}, {"periode": "2024", "kanwil": kanwil, "upt": upt}):
            try:
                _name, data = buat_unduhan(g, p, k, nilai)
            except TidakBerwenang:
                continue  # e.g. a UPT report without a UPT chosen: nothing is produced
            downloads += 1
            for c in _cells(data):
                checked += 1
                assert c.data_type != "f", f"{k}: formula cell {c.coordinate}"
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{k}: {c.value[:60]!r}"
                    for f in H.FORMULAS.values():
                        if c.value == "'" + f or ("'" + f) in c.value:
                            found.add(f)
    g.close()
    # The hostile values reached the downloads (neutralised), so this test can fail.
    assert H.FORMULAS["nama_kegiatan"] in found and H.FORMULAS["nama_produk"] in found
    assert downloads >= len(kunci)
    H.record("hostile_downloads", {"downloads": downloads, "cells_checked": checked,
                                   "formula_values_seen_neutralised": sorted(found),
                                   "formula_cells_injected": state_a.batch["formula_cells"],
                                   "odd_file_names": state_a.batch["odd_names"]})


def test_kpi_csv_has_no_formula_cells(clean_load, tmp_path):
    from dagster_project.cli import main

    n = 0
    for level in ("upt", "kanwil", "nasional"):
        for by in (None, "bidang", "subbidang", "kelas_industri", "kanal"):
            out = tmp_path / f"{level}_{by}.csv"
            args = ["kpi", "--warehouse", str(clean_load.sc.serving), "--period", "2024Q3", "--level", level,
                    "--out", str(out)] + (["--by", by] if by else [])
            assert main(args) == 0
            for line in out.read_text(encoding="utf-8").splitlines():
                for cell in line.split(","):
                    n += 1
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                    # A negative number, or a lone "-" code, is not a formula; "-x..." would be.
                    assert cell == "-" or not (cell.startswith("-") and not cell[1:].replace(".", "").isdigit()), cell
    assert n > 100
