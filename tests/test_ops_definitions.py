"""Operations definitions and their plain logic: schedule, sensors, failure records, freshness,
reload selectors, interrupted loads, `monev status`. Fast: no dbt build."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import ops_status as O
from dagster_project.config import warehouse_paths
from dagster_project.errors import UserError
from dagster_project.generator import generate
from dagster_project.ingest.loader import ingest
from dagster_project.ingest.schema import create_all

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"


@pytest.fixture(scope="module")
def defs():
    from dagster_project.definitions import defs

    return defs


def test_operations_are_defined(defs):
    sched = {s.name: s for s in defs.schedules}
    assert sched["muatan_malam"].cron_schedule == "0 1 * * *"
    assert sched["muatan_malam"].execution_timezone == "Asia/Jakarta"
    assert sched["muatan_malam"].job_name == "monev_load"
    assert sched["cek_kesegaran_jam"].job_name == "cek_kesegaran"
    sensors = {s.name: s for s in defs.sensors}
    assert {"file_masuk", "catat_kegagalan"} <= set(sensors)
    assert isinstance(sensors["catat_kegagalan"], dg.RunStatusSensorDefinition)
    job = defs.resolve_job_def("monev_load")
    assert job.executor_def.name == "in_process"
    nodes = set(job.graph.node_dict)
    assert {"ingest_exports", "dbt_warehouse", "gudang_terbit", "gudang_terbit_gudang_terbit_segar"} <= nodes
    fresh = defs.resolve_job_def("cek_kesegaran")
    assert set(fresh.graph.node_dict) == {"gudang_terbit_gudang_terbit_segar"}  # the check only, no load


def test_landing_sensor_fires_on_new_or_changed_files(defs, tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("MONEV_LANDING", str(landing))
    sensor = {s.name: s for s in defs.sensors}["file_masuk"]
    f = landing / "UPT0001_pnbp_202401.csv"
    f.write_text("a\n")
    ctx = dg.build_sensor_context(cursor=None)
    res = sensor.evaluate_tick(ctx)
    assert len(res.run_requests) == 1 and res.run_requests[0].tags["monev/trigger"] == "sensor"
    cursor = res.cursor
    res = sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor))
    assert not res.run_requests and "no new" in res.skip_message
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    res = sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor))
    assert len(res.run_requests) == 1 and res.cursor != cursor


@pytest.mark.parametrize("value,unit,first,last", [
    ("UPT0001:2024-03", "UPT0001", dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    ("upt0001:2024-01..2024-03", "UPT0001", dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
    ("KW01:2024-02", "KW01", dt.date(2024, 2, 1), dt.date(2024, 2, 1)),
    ("*:2023-11..2024-02", "*", dt.date(2023, 11, 1), dt.date(2024, 2, 1)),
])
def test_reload_selectors(value, unit, first, last):
    (s,) = O.parse_selectors([value])
    assert (s.unit, s.first, s.last) == (unit, first, last)
    assert s.matches("UPT0001", "KW01", first) and not s.matches("UPT0001", "KW01", dt.date(2030, 1, 1))


@pytest.mark.parametrize("value", ["UPT0001", "UPT0001:2024-13", "UPT0001:2024-03..2024-01", "*:2024",
                                   "UPT0001:2024-03; drop table raw.pnbp", "' OR 1=1 --:2024-01", "../..:2024-01",
                                   "UPT0001:2024-01..", ""])
def test_bad_reload_selectors_are_user_errors(value):
    with pytest.raises(UserError):
        O.parse_selectors([value])


def test_fault_point_is_off_by_default(monkeypatch):
    monkeypatch.delenv("MONEV_FAULT_AT", raising=False)
    for p in O.FAULT_POINTS:
        O.fault_point(p)  # returns: no hook set
    monkeypatch.setenv("MONEV_FAULT_AT", "dbt")
    monkeypatch.setenv("MONEV_FAULT_MODE", "raise")
    O.fault_point("ingest")
    with pytest.raises(RuntimeError, match="gangguan uji"):
        O.fault_point("dbt")


# ---------------------------------------------------------------------- failure records
def _work(tmp_path) -> "O.WarehousePaths":
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    paths.serving.parent.mkdir(parents=True)
    con = duckdb.connect(str(paths.work))
    create_all(con)
    con.execute("insert into meta.loads (load_id, started_at, finished_at, status) values "
                "(1, now()::timestamp, now()::timestamp, 'SELESAI'), (2, now()::timestamp, null, 'BERJALAN')")
    con.close()
    return paths


def test_failure_record_marks_the_load_and_is_idempotent(tmp_path):
    paths = _work(tmp_path)
    assert O.record_failure(paths, "run-aaaa-1", "ingest_exports", "disk penuh", "jadwal") == "gudang_kerja"
    assert O.record_failure(paths, "run-aaaa-1", "ingest_exports", "disk penuh", "sensor") == "gudang_kerja"
    # A second failed run before any new load gets a row of its own.
    assert O.record_failure(paths, "run-bbbb-2", "dbt_warehouse", "dbt gagal", "cli") == "gudang_kerja"
    con = duckdb.connect(str(paths.work), read_only=True)
    loads = con.execute("select load_id, status, message from meta.loads order by 1").fetchall()
    fails = con.execute("select run_id, load_id, step, trigger from meta.run_failures order by run_id").fetchall()
    con.close()
    assert loads[1][1] == "GAGAL" and "ingest_exports" in loads[1][2] and "disk penuh" in loads[1][2]
    assert loads[2][1] == "GAGAL" and "dbt_warehouse" in loads[2][2]
    assert fails == [("run-aaaa-1", 2, "ingest_exports", "jadwal"), ("run-bbbb-2", 3, "dbt_warehouse", "cli")]
    text = "\n".join(O.status_report(paths))
    assert "Publikasi: belum ada" in text and "disk penuh" in text and "GAGAL" in text


def test_failure_goes_to_the_journal_when_the_warehouse_cannot_be_written(tmp_path):
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    paths.serving.parent.mkdir(parents=True)
    paths.work.mkdir()  # not a database file: cannot be opened
    assert O.record_failure(paths, "run-cccc", "ingest_exports", "terkunci", "cli") == "jurnal"
    rec = json.loads(O.journal_path(paths).read_text().splitlines()[0])
    assert rec["run_id"] == "run-cccc" and rec["step"] == "ingest_exports"
    text = "\n".join(O.status_report(paths))
    assert "terkunci" in text and "[jurnal]" in text


def test_run_failure_sensor_records_a_failed_dagster_run(defs, tmp_path, monkeypatch):
    """A real failed run of monev_load (the landing folder is missing) handed to catat_kegagalan."""
    paths = _work(tmp_path)
    monkeypatch.setenv("MONEV_WAREHOUSE", str(paths.serving))
    monkeypatch.setenv("MONEV_LANDING", str(tmp_path / "tidak-ada"))
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("monev_load").execute_in_process(
        instance=instance, raise_on_error=False, tags={"monev/trigger": "jadwal", "monev/warehouse": str(paths.serving)})
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    sensor = {s.name: s for s in defs.sensors}["catat_kegagalan"]
    ctx = dg.build_run_status_sensor_context(sensor_name="catat_kegagalan", dagster_event=failure,
                                             dagster_instance=instance, dagster_run=run).for_run_failure()
    sensor(ctx)
    con = duckdb.connect(str(paths.work), read_only=True)
    step, msg, trig = con.execute("select step, message, trigger from meta.run_failures where run_id = ?",
                                  [result.run_id]).fetchone()
    status = con.execute("select status from meta.loads where load_id = 2").fetchone()[0]
    con.close()
    assert step == "ingest_exports" and "tidak-ada" in msg and trig == "jadwal" and status == "GAGAL"


# ---------------------------------------------------------------------- freshness
def _published(tmp_path, age_hours: float):
    paths = warehouse_paths(tmp_path / "pub" / "monev.duckdb")
    paths.serving.parent.mkdir(parents=True)
    con = duckdb.connect(str(paths.serving))
    at = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=age_hours)
    con.execute("create table publikasi as select ?::timestamp as diterbitkan_pada, 7::bigint as load_id, "
                "1 as jumlah_tabel", [at])
    con.close()
    return paths


@pytest.mark.parametrize("age,passed", [(1, True), (35.5, True), (40, False)])
def test_freshness_check(tmp_path, age, passed):
    from dagster_project.defs.operations.freshness import gudang_terbit_segar
    from dagster_project.defs.resources import MonevPaths

    paths = _published(tmp_path, age)
    result = gudang_terbit_segar(monev=MonevPaths(warehouse=str(paths.serving)))
    assert result.passed is passed
    assert result.metadata["batas_jam"].value == O.FRESHNESS_HOURS
    text = "\n".join(O.status_report(paths))
    assert ("SEGAR" in text) is passed and ("BASI" in text) is (not passed)


def test_freshness_check_fails_without_publication(tmp_path):
    from dagster_project.defs.operations.freshness import gudang_terbit_segar
    from dagster_project.defs.resources import MonevPaths

    result = gudang_terbit_segar(monev=MonevPaths(warehouse=str(tmp_path / "x" / "monev.duckdb")))
    assert result.passed is False


# ---------------------------------------------------------------------- reload and interrupted loads (ingestion level)
@pytest.fixture(scope="module")
def one_month(tmp_path_factory):
    base = tmp_path_factory.mktemp("ops_month")
    generate(base / "gen", scale="mini", months=("2024-01", "2024-01"), seed=3)
    landing = base / "landing"
    shutil.copytree(base / "gen" / "KW01", landing / "KW01")
    return landing


def test_reload_selector_re_ingests_unchanged_files(one_month, tmp_path):
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    s1 = ingest(paths.work, one_month, MASTER, paths.staging_dir)
    assert s1.files_accepted > 0
    s2 = ingest(paths.work, one_month, MASTER, paths.staging_dir)
    assert s2.files_new == 0
    con = duckdb.connect(str(paths.work), read_only=True)
    upt = con.execute("select kode_upt from meta.file_registry where status = 'LOADED' order by 1 limit 1").fetchone()[0]
    n_upt = con.execute("select count(*) from meta.file_registry where status = 'LOADED' and kode_upt = ?", [upt]).fetchone()[0]
    before = dict(con.execute("select kind, file_id from meta.file_registry where is_current and kode_upt = ?", [upt]).fetchall())
    rows_before = con.execute("select count(*) from raw.kegiatan where _file_id in (select file_id from meta.file_registry where is_current)").fetchone()[0]
    con.close()
    s3 = ingest(paths.work, one_month, MASTER, paths.staging_dir, reload=O.parse_selectors([f"{upt}:2024-01"]))
    assert s3.files_new >= n_upt and s3.files_accepted == n_upt and s3.files_identical == 0
    s4 = ingest(paths.work, one_month, MASTER, paths.staging_dir, reload=O.parse_selectors([f"{upt}:2024-02"]))
    assert s4.files_new == 0  # another month: nothing forced
    con = duckdb.connect(str(paths.work), read_only=True)
    after = dict(con.execute("select kind, file_id from meta.file_registry where is_current and kode_upt = ?", [upt]).fetchall())
    rows_after = con.execute("select count(*) from raw.kegiatan where _file_id in (select file_id from meta.file_registry where is_current)").fetchone()[0]
    con.close()
    assert set(after) == set(before) and all(after[k] > before[k] for k in before)  # new versions are current
    assert rows_after == rows_before  # the same rows count once


def test_interrupted_load_is_closed_by_the_next(one_month, tmp_path):
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    ingest(paths.work, one_month, MASTER, paths.staging_dir)
    con = duckdb.connect(str(paths.work))
    con.execute("insert into meta.loads (load_id, started_at, status) values (99, now()::timestamp, 'BERJALAN')")
    con.close()
    ingest(paths.work, one_month, MASTER, paths.staging_dir)
    con = duckdb.connect(str(paths.work), read_only=True)
    st = dict(con.execute("select load_id, status from meta.loads").fetchall())
    con.close()
    assert st[99] == "TERPUTUS" and st[100] == "SELESAI" and "BERJALAN" not in st.values()


# ---------------------------------------------------------------------- one publication per request
def test_a_request_reads_one_publication_even_across_a_switch(tmp_path):
    from dashboards.data import Gudang

    serving = tmp_path / "monev.duckdb"
    for path, v in ((serving, 1), (tmp_path / "next.duckdb", 2)):
        con = duckdb.connect(str(path))
        con.execute("create table x as select ? as v", [v])
        con.close()
    g = Gudang(serving)
    g.sematkan()  # start of a request
    assert g._q("select v from srv.x").v[0] == 1
    os.replace(tmp_path / "next.duckdb", serving)  # a load publishes in the middle of the request
    assert g._q("select v from srv.x").v[0] == 1  # the same request keeps its publication
    g.lepas()
    assert g._q("select v from srv.x").v[0] == 2  # the next request sees the new one
    g.close()
