"""deploy/ on a real PostgreSQL: the multi-machine Dagster instance runs the load through the queue.

A PostgreSQL 15 server is started from the machine's binaries (tests/pgserver.py, as the
`postgres` user when the tests run as root). DAGSTER_HOME holds deploy/dagster.yaml unchanged,
with deploy/monev.env.example's variables pointing at that server; `dagster-daemon run -w
deploy/workspace.yaml` runs as its own process. Then:

- the sensor `file_masuk` and the schedule `muatan_malam` are started with the `dagster` CLI;
  the sensor's first tick, evaluated by the daemon, requests a `monev_load` run;
- a second `monev_load` run is submitted to the queue (`dagster job launch`, i.e.
  `DagsterInstance.submit_run` through the instance's QueuedRunCoordinator);
- the daemon's run queue starts them one at a time (deploy/dagster.yaml: tag limit 1 for
  `dagster/job=monev_load`), each in its own process (DefaultRunLauncher); both succeed, the
  first publishes the serving warehouse, the second finds nothing new.

Every assertion reads PostgreSQL itself (tables `runs`, `event_logs`, `instigators`,
`job_ticks`, `daemon_heartbeats`) or the published warehouse, never Dagster's own summary.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pgserver import remove, start_postgres

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 1800  # seconds for both runs; a busy shared machine needs most of it


def _dagster_parallel(calls: list[list[str]], env: dict) -> list[str]:
    procs = [subprocess.Popen([str(BIN / "dagster"), *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for args in calls]
    outputs = []
    for args, proc in zip(calls, procs):
        out, _ = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise AssertionError(f"dagster {' '.join(args)} failed:\n{out[-3000:]}")
        outputs.append(out)
    return outputs


def _query(server, sql: str, params=()):
    con = server.connect("dagster")
    try:
        cur = con.cursor()
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        con.close()


def _descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (code servers, run processes), from /proc."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(proc.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stop_daemon(daemon: subprocess.Popen) -> list[int]:
    """SIGTERM the daemon's process group, wait; returns the processes of its tree still alive."""
    tree = _descendants(daemon.pid)
    if daemon.poll() is None:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.5)
    return [p for p in tree if _alive(p)]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    from dagster_project.generator import generate

    base = tmp_path_factory.mktemp("deploy_pg")
    landing = base / "landing"
    generate(landing, scale="mini", months=("2024-01", "2024-02"), seed=5)
    server = start_postgres()
    daemon = None
    try:
        server.create_database("dagster")
        home = base / "dagster_home"
        home.mkdir()
        shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")  # unchanged
        env = dict(os.environ)
        for line in (DEPLOY / "monev.env.example").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, value = line.partition("=")
                env.setdefault(key.strip(), value.strip())
        env.update(
            DAGSTER_HOME=str(home), DAGSTER_PG_HOST="127.0.0.1", DAGSTER_PG_PORT=str(server.port),
            DAGSTER_PG_DB="dagster", DAGSTER_PG_USER="monev", DAGSTER_PG_PASSWORD="",
            MONEV_COMPUTE_LOG_DIR=str(base / "logs"), MONEV_LANDING=str(landing),
            MONEV_WAREHOUSE=str(base / "warehouse" / "monev.duckdb"), MONEV_DBT_TARGET="duckdb",
            MONEV_PSEUDONYM_KEY=os.environ["MONEV_PSEUDONYM_KEY"], PATH=f"{BIN}:{os.environ['PATH']}",
        )
        env.pop("MONEV_UPT_MASTER")  # the mini exports use the project's own UPT master (seeds/)
        (base / "warehouse").mkdir()
        daemon_log = open(base / "daemon.log", "wb")
        daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w", str(DEPLOY / "workspace.yaml")],
                                  cwd=REPO, env=env, stdout=daemon_log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        daemon_log.close()
        # three CLI calls side by side (each loads the code location, about a minute on a busy machine)
        workspace = ["-w", str(DEPLOY / "workspace.yaml")]
        started, _, launched = _dagster_parallel(
            [["sensor", "start", "file_masuk", *workspace], ["schedule", "start", "muatan_malam", *workspace],
             ["job", "launch", "-j", "monev_load", *workspace, "--tags", json.dumps({"monev/trigger": "antrian"})]],
            env)
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            runs = _query(server, "select run_id, status, run_body from runs where pipeline_name = 'monev_load'")
            sensor_runs = [r for r in runs if json.loads(r[2])["tags"].get("monev/trigger") == "sensor"]
            done = [r for r in runs if r[1] in ("SUCCESS", "FAILURE", "CANCELED")]
            if len(runs) >= 2 and sensor_runs and len(done) == len(runs):
                break
            if daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"runs not finished ({runs and [(r[0], r[1]) for r in runs]}); daemon log:\n"
                            + (base / "daemon.log").read_text(errors="replace")[-4000:])
            time.sleep(3)
        # The records stay in PostgreSQL: stop the daemon (and its code servers) before the assertions.
        left_behind = _stop_daemon(daemon)
        yield {"server": server, "env": env, "base": base, "launch": launched, "sensor_start": started,
               "daemon": daemon, "left_behind": left_behind}
    finally:
        if daemon is not None and daemon.poll() is None:
            _stop_daemon(daemon)
        remove(server)


def _runs(deployed):
    rows = _query(deployed["server"], "select run_id, status, run_body, create_timestamp, start_time, end_time "
                                      "from runs where pipeline_name = 'monev_load' order by start_time")
    return [{"run_id": r[0], "status": r[1], "tags": json.loads(r[2])["tags"], "created": r[3],
             "start": r[4], "end": r[5]} for r in rows]


def _step_failures(server, run_id: str) -> list[str]:
    out = []
    for (event,) in _query(server, "select event from event_logs where run_id = %s and "
                                   "dagster_event_type in ('STEP_FAILURE', 'PIPELINE_FAILURE', 'RUN_FAILURE')",
                           (run_id,)):
        data = json.loads(event)
        dagster_event = data.get("dagster_event") or {}
        error = (dagster_event.get("event_specific_data") or {}).get("error") or {}
        stack = "".join((error.get("stack") or [])[-4:])
        cause = ((error.get("cause") or {}).get("message") or "")
        out.append(f"{dagster_event.get('step_key')}: {error.get('message') or data.get('user_message')}"
                   f"{stack}{cause}"[:3000])
    return out


def test_both_runs_succeeded_through_the_queue(deployed):
    runs = _runs(deployed)
    failures = {r["run_id"]: _step_failures(deployed["server"], r["run_id"]) for r in runs if r["status"] != "SUCCESS"}
    assert [r["status"] for r in runs] == ["SUCCESS", "SUCCESS"], failures
    assert {r["tags"].get("monev/trigger") for r in runs} == {"sensor", "antrian"}
    server = deployed["server"]
    for run in runs:
        kinds = {k for (k,) in _query(server, "select distinct dagster_event_type from event_logs where run_id = %s",
                                      (run["run_id"],))}
        # queued by the coordinator, launched by the daemon (STARTING), then executed
        assert {"PIPELINE_ENQUEUED", "PIPELINE_STARTING", "PIPELINE_START",
                "PIPELINE_SUCCESS"} <= kinds, (run["run_id"], sorted(k for k in kinds if k))


def test_queue_admits_one_load_at_a_time(deployed):
    first, second = _runs(deployed)
    assert first["end"] is not None and second["start"] is not None
    assert second["start"] >= first["end"], (first, second)
    # the second was already waiting in the queue when the first started
    assert second["created"].timestamp() <= first["end"]


def test_run_and_event_records_are_in_postgres(deployed):
    server = deployed["server"]
    first, second = _runs(deployed)
    materialized = {json.loads(e)["dagster_event"]["event_specific_data"]["materialization"]["asset_key"]["path"][-1]
                    for (e,) in _query(server, "select event from event_logs where run_id = %s and "
                                               "dagster_event_type = 'ASSET_MATERIALIZATION'", (first["run_id"],))}
    assert {"loads", "narapidana", "kpi_indikator", "kpi_rincian", "gudang_terbit"} <= materialized, materialized
    # the asset catalogue of the instance is in PostgreSQL too
    keys = {k for (k,) in _query(server, "select asset_key from asset_keys")}
    assert '["gudang_terbit"]' in keys
    # the first run published the serving warehouse the dashboards read
    serving = deployed["base"] / "warehouse" / "monev.duckdb"
    con = duckdb.connect(str(serving), read_only=True)
    try:
        assert con.execute("select count(*) from kpi_indikator where level = 'nasional'").fetchone()[0] > 0
        assert con.execute("select count(*) from publikasi").fetchone()[0] == 1
    finally:
        con.close()
    # the second found nothing new: no second publication
    assert not _query(server, "select 1 from event_logs where run_id = %s and asset_key = %s "
                              "and dagster_event_type = 'ASSET_MATERIALIZATION'",
                      (second["run_id"], '["gudang_terbit"]'))


def test_sensor_and_schedule_registered_and_the_daemon_heartbeats(deployed):
    server = deployed["server"]
    def name(body: str) -> str:
        origin = json.loads(body)["origin"]
        return origin.get("instigator_name") or origin["job_name"]  # serialized under its old field name

    states = {name(body): (selector, status) for selector, status, body in _query(
        server, "select selector_id, status, instigator_body from instigators")}
    assert states["file_masuk"][1] == "RUNNING" and states["muatan_malam"][1] == "RUNNING", states
    ticks = _query(server, "select tick_body from job_ticks where selector_id = %s", (states["file_masuk"][0],))
    sensor_run = next(r for r in _runs(deployed) if r["tags"].get("monev/trigger") == "sensor")
    assert any(sensor_run["run_id"] in json.loads(t)["run_ids"] for (t,) in ticks)
    daemons = {d for (d,) in _query(server, "select daemon_type from daemon_heartbeats")}
    assert {"SCHEDULER", "SENSOR", "QUEUED_RUN_COORDINATOR"} <= daemons, daemons


def test_daemon_stops_with_its_code_servers_and_runs(deployed):
    assert deployed["daemon"].returncode is not None
    assert deployed["left_behind"] == []
