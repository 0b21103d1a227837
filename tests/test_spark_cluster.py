"""Scale-out on a real Spark cluster: standalone master + two workers, dbt on it, marts handed back.

The test starts a Spark standalone cluster from the pyspark distribution's own launcher
(dagster_project/sparkcluster.py): a master and two workers, each its own JVM (256 MB heap),
each worker offering 1 core and 1 GB, so the application gets one 640 MB executor per worker.
The working warehouse of the session's demo pipeline (generated mini exports loaded by the real
job) is exported to Parquet, and dbt (dbt-spark, `session` method, `MONEV_SPARK_MASTER` set to
the cluster's `spark://` URL) builds every model there. Then:

- the master's JSON (`/json/`) shows both workers ALIVE and the dbt application completed;
  each worker's own JSON lists an executor of that application; the application's event log
  shows tasks run by the executors of both workers;
- the hand-back: Spark's mart tables (Parquet) are loaded into the working DuckDB
  (`scaleout.finish_spark_build`, which also records the publication history on DuckDB) and
  published by the same `publish()` the Dagster asset `gudang_terbit` calls, after the DuckDB
  marts of the copy were dropped, so every published figure was computed on the cluster;
- every table of that publication equals the DuckDB-built publication of the same load;
- every JVM the test started (master, workers, executors) is gone after teardown.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dagster_project import scaleout, sparkcluster
from dagster_project.config import warehouse_paths
from dagster_project.perubahan import fingerprint_of_load
from dagster_project.publish import publish

pytestmark = pytest.mark.slow

EXECUTOR_MEMORY = "640m"


@pytest.fixture(scope="module")
def cluster_build(demo_pipeline, tmp_path_factory):
    assert demo_pipeline.load_exit == 0
    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Spark cluster (Debian: openjdk-17-jre-headless)")
    base = tmp_path_factory.mktemp("cluster")
    paths = warehouse_paths(base / "warehouse" / "monev.duckdb")
    paths.serving.parent.mkdir(parents=True)
    demo_pipeline.work_copy_as_published(paths.work)
    con = duckdb.connect(str(paths.work))
    # Nothing DuckDB built may reach this publication: only raw/meta/ref stay.
    con.execute("drop schema if exists marts cascade")
    con.execute("drop schema if exists snapshots cascade")
    con.close()
    parquet = base / "parquet"
    scaleout.export_parquet(paths.work, parquet)
    events = base / "events"
    events.mkdir()
    spark_dir = base / "spark"
    cluster = sparkcluster.StandaloneCluster(base / "cluster", workers=2, worker_cores=1, worker_memory="1g")
    try:
        cluster.start(timeout=300)
        result, seconds = scaleout.run_dbt(
            "spark", ["run"], work_db=paths.work, scratch=base, parquet_dir=parquet, spark_dir=spark_dir,
            extra_env={"MONEV_SPARK_MASTER": cluster.master_url, "MONEV_SPARK_DRIVER_MEMORY": "1g",
                       "MONEV_SPARK_EXECUTOR_MEMORY": EXECUTOR_MEMORY, "MONEV_SPARK_EXECUTOR_CORES": "1",
                       "MONEV_SPARK_CORES_MAX": "2", "MONEV_SPARK_EVENT_LOG": str(events),
                       # one-shot build into an empty folder: a catalog in the driver's memory (no
                       # Derby), two models at a time so both executors have work
                       "MONEV_SPARK_CATALOG": "in-memory", "MONEV_SPARK_THREADS": "2"})
        master = cluster.master_state()
        workers = cluster.worker_states()
        worker_uis = {d.role: f"http://{sparkcluster.HOST}:{d.ui_port}" for d in cluster.worker_daemons}
    finally:
        cluster.stop()
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]
    # the hand-back, then the publication step of the Dagster job
    import os

    old = os.environ.get("MONEV_SPARK_DIR")
    os.environ["MONEV_SPARK_DIR"] = str(spark_dir)
    try:
        counts = scaleout.finish_spark_build(paths.work, scratch=base / "history")
    finally:
        if old is None:
            os.environ.pop("MONEV_SPARK_DIR", None)
        else:
            os.environ["MONEV_SPARK_DIR"] = old
    con = duckdb.connect(str(paths.work), read_only=True)
    load_id = con.execute("select max(load_id) from meta.loads").fetchone()[0]
    con.close()
    # what the asset gudang_terbit does (dagster_project/defs/publication/assets.py)
    published = publish(paths, load_id, fingerprint=fingerprint_of_load(paths.work, load_id))
    return {"cluster": cluster, "result": result, "master": master, "workers": workers, "worker_uis": worker_uis,
            "events": events, "counts": counts, "published": published, "paths": paths, "base": base}


def test_every_model_built_on_the_cluster(cluster_build):
    out = cluster_build["result"].stdout
    assert "ERROR=0" in out and "SKIP=0" in out, out[-3000:]
    for model in ("stg_narapidana", "int_kpi_upt_periode", "kpi_indikator", "kpi_rincian", "mart_kelengkapan",
                  "mart_upt_bulanan"):
        assert f".{model}" in out
    done = int(out.rsplit("PASS=", 1)[1].split()[0])
    assert done >= 45  # every model but the publication history (kpi_revisi, built on DuckDB)


def test_master_saw_two_workers_and_the_dbt_application(cluster_build):
    master = cluster_build["master"]
    alive = [w for w in master["workers"] if w["state"] == "ALIVE"]
    assert len(alive) == 2
    assert all(w["cores"] == 1 and w["memory"] == 1024 for w in alive)
    apps = [a for a in master["activeapps"] + master["completedapps"] if a["name"] == "monev-dbt"]
    assert len(apps) == 1, master
    assert apps[0]["state"] == "FINISHED" and apps[0]["memoryperexecutor"] == 640


def test_each_worker_ran_an_executor_with_its_memory_limit(cluster_build):
    master = cluster_build["master"]
    [app] = [a for a in master["activeapps"] + master["completedapps"] if a["name"] == "monev-dbt"]
    for role, state in cluster_build["workers"].items():
        mine = [e for e in state["executors"] + state["finishedexecutors"] if e["appid"] == app["id"]]
        assert len(mine) == 1, (role, state)
        assert mine[0]["memory"] == 640  # MB: spark.executor.memory, within the worker's 1 GB
        assert mine[0]["appdesc"]["cores"] == 2  # spark.cores.max: one core on each worker


def test_tasks_ran_on_both_workers(cluster_build):
    master = cluster_build["master"]
    [app] = [a for a in master["activeapps"] + master["completedapps"] if a["name"] == "monev-dbt"]
    executors = sparkcluster.executor_tasks(cluster_build["events"], app["id"])
    # an executor's log URLs point at the web UI of the worker that launched it: key on its port
    tasks_by_worker = {}
    for info in executors.values():
        port = info["worker_ui"].rsplit(":", 1)[-1]
        tasks_by_worker[port] = tasks_by_worker.get(port, 0) + info["tasks"]
    ui_ports = {url.rsplit(":", 1)[-1] for url in cluster_build["worker_uis"].values()}
    assert set(tasks_by_worker) == ui_ports, (executors, cluster_build["worker_uis"])
    assert all(n > 0 for n in tasks_by_worker.values()), tasks_by_worker


def test_no_jvm_left_after_teardown(cluster_build):
    cluster = cluster_build["cluster"]
    assert all(d.process.poll() is not None for d in cluster.daemons)
    assert sparkcluster.jvms_under(cluster.workdir) == []


def test_marts_handed_back_from_the_cluster(cluster_build):
    counts = cluster_build["counts"]
    assert {"kpi_indikator", "kpi_rincian", "mart_upt_bulanan", "dim_upt"} <= set(counts)
    assert "kpi_revisi" not in counts  # publication history: rebuilt on DuckDB from the cluster's marts
    assert cluster_build["published"]["tables"]["kpi_indikator"] == counts["kpi_indikator"] > 0


def test_every_published_table_equals_the_duckdb_built_one(cluster_build, demo_pipeline):
    serving = cluster_build["paths"].serving
    report = scaleout.compare_publications(serving, demo_pipeline.warehouse,
                                           ignore_columns={"publikasi": {"diterbitkan_pada"}})
    assert "kpi_indikator" in report and "publikasi" in report and len(report) >= 24
    assert {t: d for t, d in report.items() if d} == {}


def test_publication_comparison_detects_a_changed_figure(cluster_build, demo_pipeline, tmp_path):
    tampered = tmp_path / "tampered.duckdb"
    shutil.copy(cluster_build["paths"].serving, tampered)
    con = duckdb.connect(str(tampered))
    con.execute("update kpi_indikator set pendapatan = coalesce(pendapatan, 0) + 1000 where level = 'nasional' "
                "and periode = (select min(periode) from kpi_indikator)")
    con.execute("drop table mart_pnbp_bulanan")
    con.close()
    report = scaleout.compare_publications(tampered, demo_pipeline.warehouse,
                                           ignore_columns={"publikasi": {"diterbitkan_pada"}})
    assert any("pendapatan" in d for d in report["kpi_indikator"])
    assert report["mart_pnbp_bulanan"] == ["only in the second publication"]
    assert report["dim_upt"] == []


@pytest.mark.parametrize("level", ["nasional", "kanwil", "upt"])
def test_monev_kpi_serves_the_same_figures_from_the_cluster_publication(cluster_build, demo_pipeline, tmp_path, level):
    """What readers get (`monev kpi`, the same published tables the dashboards read) is identical."""
    from dagster_project.kpi_export import write_kpi_csv

    cluster_csv, duckdb_csv = tmp_path / "cluster.csv", tmp_path / "duckdb.csv"
    n = write_kpi_csv(cluster_build["paths"].serving, "2024S1", level, None, cluster_csv)
    m = write_kpi_csv(demo_pipeline.warehouse, "2024S1", level, None, duckdb_csv)
    assert n == m > 0
    assert cluster_csv.read_bytes() == duckdb_csv.read_bytes()
