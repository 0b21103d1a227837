"""`monev load` as operators run it (issue 16): a load with nothing new skips contracts, dbt and
publication; a change, a passed reporting deadline or a forced reload does not; the terminal shows
one line per step and a summary that matches the warehouse's own records; the full log is a file.

Everything runs `monev load` as a child process without a TTY (as cron and CI do), on one Kanwil
of the demo set for one month. Three full builds (first load, a forced reload that fails at
publication, a load after a reporting deadline) and two no-op loads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from dagster_project import perubahan as P
from dagster_project.config import warehouse_paths
from dagster_project.generator import generate

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"
STEP_LINE = re.compile(r"^\[(ingest|kontrak|dbt|terbit|kesegaran)\] ")

pytestmark = pytest.mark.slow


def monev_load(s, *args, **env_extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONEV_FAULT", "MONEV_NOW"))}
    env.update({"DAGSTER_HOME": str(s.home), "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                "MONEV_PSEUDONYM_KEY": "kunci-uji-noop-" + "0" * 32, "TERM": "xterm-256color"})
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(s.landing),
                           "--warehouse", str(s.serving), *args],
                          capture_output=True, text=True, timeout=1200, env=env, cwd=ROOT)


def loads(work: Path) -> list[tuple]:
    con = duckdb.connect(str(work), read_only=True)
    try:
        return con.execute("select load_id, status, files_accepted, files_replaced, files_rejected, "
                           "rows_quarantined, message from meta.loads order by load_id").fetchall()
    finally:
        con.close()


def record_of(stdout: str) -> dict:
    log = Path(re.search(r"log lengkap: (\S+\.log)", stdout).group(1))
    return json.loads(log.with_suffix(".json").read_text(encoding="utf-8")) | {"_log": log}


def stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    base = tmp_path_factory.mktemp("noop")
    generate(base / "gen", scale="mini", months=("2024-01", "2024-01"), seed=5)
    landing = base / "landing"
    shutil.copytree(base / "gen" / "KW01", landing / "KW01")
    s = SimpleNamespace(base=base, landing=landing, serving=base / "data" / "warehouse" / "monev.duckdb",
                        home=base / "dagster")
    s.home.mkdir()
    s.work = warehouse_paths(s.serving).work
    s.result = monev_load(s)
    assert s.result.returncode == 0, s.result.stdout[-3000:] + s.result.stderr[-3000:]
    return s


def test_terminal_reads_like_a_report(first):
    out = first.result.stdout
    assert "\x1b" not in out and "\r" not in out  # no TTY: plain lines, no control codes
    lines = out.splitlines()
    steps = [m.group(1) for m in map(STEP_LINE.match, lines) if m]
    assert steps == ["ingest", "kontrak", "dbt", "terbit", "kesegaran"]  # one line per step, in order
    assert all(re.search(r"selesai.*\(\d+\.\d dtk\)", line) for line in lines if STEP_LINE.match(line))
    assert len(lines) < 60  # the report, not hundreds of dbt and Dagster lines
    assert "OK created" not in out and "STEP_START" not in out and "Calculating Metrics" not in first.result.stderr
    # The summary's figures are the warehouse's own records of this load.
    load_id, status, accepted, replaced, rejected, quarantined, _msg = loads(first.work)[-1]
    assert status == "SELESAI"
    assert f"Ringkasan muatan #{load_id} (SELESAI)" in out
    assert f"file diterima {accepted} (menggantikan versi lama {replaced})" in out
    assert f"ditolak {rejected}" in out and f"baris dikarantina {quarantined}" in out
    con = duckdb.connect(str(first.work), read_only=True)
    reg = con.execute("select count(*) filter (where status = 'REJECTED'), count(*) filter (where status = 'LOADED') "
                      "from meta.file_registry where load_id = ?", [load_id]).fetchone()
    reasons = con.execute("select path, reject_reason from meta.file_registry where load_id = ? and "
                          "status = 'REJECTED'", [load_id]).fetchall()
    con.close()
    assert reg == (rejected, accepted) and rejected > 0
    assert all(f"DITOLAK {p}: {r}" in out for p, r in reasons)  # rejected files with their reasons
    assert "publikasi: TERBIT" in out and re.search(r"durasi \d+\.\d dtk", out)
    # The full log: under logs/ beside the warehouse's folder, holding dbt's own output.
    rec = record_of(out)
    assert rec["_log"].parent == first.serving.parent.parent / "logs"
    text = rec["_log"].read_text(encoding="utf-8")
    assert "OK created" in text and "STEP_START" in text and "\x1b[" not in text
    assert rec["terbit"] is True and rec["load_id"] == load_id
    assert rec["langkah"]["dbt"]["status"] == "selesai" and rec["langkah"]["dbt"]["detik"] > 0


def test_nothing_new_skips_contracts_dbt_and_publication(first):
    before = stamp(first.serving)
    res = monev_load(first)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert stamp(first.serving) == before  # the publication file was not touched
    last = loads(first.work)[-1]
    assert last[1] == P.NO_CHANGE_STATUS and "dilewati" in last[6]
    rec = record_of(res.stdout)
    assert rec["terbit"] is False
    assert {s: rec["langkah"][s]["status"] for s in ("ingest", "kontrak", "dbt", "terbit", "kesegaran")} == \
        {"ingest": "selesai", "kontrak": "dilewati", "dbt": "dilewati", "terbit": "dilewati", "kesegaran": "selesai"}
    assert "OK created" not in rec["_log"].read_text(encoding="utf-8")  # dbt did not run
    steps = [m.group(1) for m in map(STEP_LINE.match, res.stdout.splitlines()) if m]
    assert steps == ["ingest", "kontrak", "dbt", "terbit", "kesegaran"]
    assert "publikasi: DILEWATI" in res.stdout and "publikasi segar" in res.stdout
    # No Dagster run was started for it (docs/DECISIONS.md 36): the no-op and the freshness verdict
    # are in the instance as runless events.
    assert rec["run_id"].startswith("tanpa-run-") and "STEP_START" not in rec["_log"].read_text(encoding="utf-8")
    import dagster as dg

    os.environ["DAGSTER_HOME"], saved = str(first.home), os.environ.get("DAGSTER_HOME")
    try:
        with dg.DagsterInstance.get() as instance:
            mat = instance.get_latest_materialization_event(dg.AssetKey(["meta", "loads"]))
            assert mat.run_id == "" and mat.asset_materialization.metadata["load_id"].value == last[0]
    finally:
        if saved is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = saved
    # --verbose puts the detail back on the terminal (the ingestion's lines and the decision).
    verbose = monev_load(first, "--verbose")
    assert verbose.returncode == 0 and stamp(first.serving) == before
    assert "Keputusan: tidak ada yang berubah" in verbose.stderr and "file ditemukan" in verbose.stderr


def test_a_changed_master_or_dbt_project_is_seen(first, tmp_path, monkeypatch):
    paths = warehouse_paths(first.serving)
    assert not P.preflight(paths, first.landing, MASTER, False).publish
    changed = tmp_path / "master.csv"
    changed.write_text(MASTER.read_text(encoding="utf-8").replace("\n", "\r\n", 1), encoding="utf-8")
    d = P.preflight(paths, first.landing, changed, False)
    assert d.publish and d.reasons == [P.PART_LABELS["master_upt"]]
    # A model edited in a copy of the dbt project changes the fingerprint (content, not mtime).
    dbt_copy = tmp_path / "dbt"
    shutil.copytree(ROOT / "dbt", dbt_copy, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(P, "DBT_DIR", dbt_copy)
    assert not P.preflight(paths, first.landing, MASTER, False).publish
    model = dbt_copy / "models" / "marts" / "dim_upt.sql"
    os.utime(model, (1, 1))  # a new mtime alone is not a change
    assert not P.preflight(paths, first.landing, MASTER, False).publish
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    d = P.preflight(paths, first.landing, MASTER, False)
    assert d.publish and d.reasons == [P.PART_LABELS["dbt"]]
    monkeypatch.undo()
    # The job's own decision (ingestion step only, real Dagster run) says the same for the master.
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.defs.ingestion.assets import ingest_exports

    for k, v in {"MONEV_LANDING": str(first.landing), "MONEV_WAREHOUSE": str(first.serving),
                 "MONEV_UPT_MASTER": str(changed), "MONEV_PSEUDONYM_KEY": "kunci-uji-noop-" + "0" * 32}.items():
        monkeypatch.setenv(k, v)
    result = defs.resolve_job_def("monev_load").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), asset_selection=list(ingest_exports.keys), raise_on_error=False)
    assert result.success
    assert loads(first.work)[-1][1] == "SELESAI"  # not a no-op: the master changed
    raw = [e for e in result.get_asset_materialization_events() if e.asset_key.path[0] == "raw"]
    assert len(raw) == 6  # raw/* materialized: contracts, dbt and publication would run


def test_a_passed_deadline_republishes(first):
    pub = P.served_publication(first.serving)
    deadline = P.first_deadline_after(P.as_aware(pub["diterbitkan_pada"]))
    before = stamp(first.serving)
    quiet = monev_load(first, MONEV_NOW=(deadline - dt.timedelta(minutes=1)).isoformat())
    assert quiet.returncode == 0 and stamp(first.serving) == before, quiet.stdout[-2000:]
    assert loads(first.work)[-1][1] == P.NO_CHANGE_STATUS
    after = monev_load(first, MONEV_NOW=(deadline + dt.timedelta(minutes=1)).isoformat())
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    assert stamp(first.serving) != before and "publikasi: TERBIT" in after.stdout
    assert loads(first.work)[-1][1] == "SELESAI"
    assert f"tenggat pelaporan {deadline:%Y-%m-%d %H:%M} WIB lewat" in record_of(after.stdout)["_log"].read_text(
        encoding="utf-8")


def test_forced_reload_does_not_skip_and_a_failure_keeps_the_publication(first):
    before = stamp(first.serving)
    res = monev_load(first, "--ulang", "*:2024-01", MONEV_FAULT_AT="publish", MONEV_FAULT_MODE="raise")
    assert res.returncode == 1, res.stdout[-3000:] + res.stderr[-3000:]
    assert stamp(first.serving) == before  # the previous publication stays
    assert "GAGAL pada langkah terbit (gudang_terbit)" in res.stderr and "Traceback" not in res.stderr
    rec = record_of(res.stdout)
    assert rec["langkah"]["dbt"]["status"] == "selesai"  # forced: the build ran
    assert rec["langkah"]["terbit"]["status"] == "gagal"
    assert re.search(r"^\[terbit\] publikasi: GAGAL", res.stdout, re.M)


@pytest.mark.parametrize("published,now,passed", [
    ("2024-07-09T23:00:00+07:00", "2024-07-10T00:30:00+07:00", "2024-07-10T00:00:00+07:00"),
    ("2024-07-10T00:01:00+07:00", "2024-08-09T23:59:00+07:00", None),
    ("2024-12-20T10:00:00+07:00", "2025-01-10T00:00:00+07:00", "2025-01-10T00:00:00+07:00"),
    ("2024-07-09T16:59:00+00:00", "2024-07-09T17:00:00+00:00", "2024-07-10T00:00:00+07:00"),  # UTC clocks
])
def test_reporting_deadline_is_the_10th_midnight_in_jakarta(published, now, passed):
    got = P.deadline_passed(dt.datetime.fromisoformat(published), dt.datetime.fromisoformat(now))
    assert got == (dt.datetime.fromisoformat(passed) if passed else None)
