"""A Spark standalone cluster from the pyspark distribution: one master and N workers, each its own JVM.

Used by the cluster test (tests/test_spark_cluster.py) and the cluster benchmark
(bench/cluster.py) to prove the scale-out path on real multi-process Spark rather than a
`local[*]` session: the master and the workers are started with the distribution's own launcher,

    $SPARK_HOME/bin/spark-class org.apache.spark.deploy.master.Master --host H --port P --webui-port U
    $SPARK_HOME/bin/spark-class org.apache.spark.deploy.worker.Worker --cores 1 --memory 1g spark://H:P

(`SPARK_HOME` is the installed `pyspark` package), and each worker starts one executor JVM per
application. dbt reaches the cluster through the `spark` target (session method) with
`MONEV_SPARK_MASTER=spark://H:P` (dbt/profiles.yml); the driver runs in the dbt process.

Everything listens on 127.0.0.1 only, on free ports chosen at start. The master and workers'
own heaps are small (`SPARK_DAEMON_MEMORY`, 256m); an executor's heap is the application's
`spark.executor.memory`, capped by the worker's `--memory`. :meth:`StandaloneCluster.stop`
ends every JVM it started (workers first, so their executors go with them) and waits for them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


def spark_home() -> Path:
    """The pyspark package folder: a complete Spark distribution (bin/spark-class, jars/)."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return json.loads(response.read().decode("utf-8"))


@dataclass
class Daemon:
    role: str  # "master" or "worker-N"
    process: subprocess.Popen
    ui_port: int
    log: Path

    @property
    def json_url(self) -> str:
        return f"http://{HOST}:{self.ui_port}/json/"


@dataclass
class StandaloneCluster:
    """A master and `workers` workers on this machine (see the module docstring)."""

    workdir: Path
    workers: int = 2
    worker_cores: int = 1
    worker_memory: str = "1g"
    daemon_memory: str = "256m"
    daemons: list[Daemon] = field(default_factory=list)
    master_port: int = 0
    ui_port: int = 0

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def master_json_url(self) -> str:
        return f"http://{HOST}:{self.ui_port}/json/"

    @property
    def worker_daemons(self) -> list[Daemon]:
        return [d for d in self.daemons if d.role.startswith("worker")]

    def _env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        home = spark_home()
        env.update(SPARK_HOME=str(home), SPARK_LOCAL_IP=HOST, SPARK_DAEMON_MEMORY=self.daemon_memory,
                   # no REST submission server (port 6066): applications connect to spark://
                   SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false",
                   SPARK_CONF_DIR=str(self.workdir / "conf"), SPARK_LOG_DIR=str(self.workdir / "logs"))
        env.pop("PYSPARK_SUBMIT_ARGS", None)
        env.update(extra or {})
        return env

    def _launch(self, role: str, args: list[str], ui_port: int, extra_env: dict[str, str] | None = None) -> Daemon:
        log = self.workdir / "logs" / f"{role}.log"
        fh = open(log, "wb")
        try:
            process = subprocess.Popen(
                [str(spark_home() / "bin" / "spark-class"), *args], cwd=self.workdir, env=self._env(extra_env),
                stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            fh.close()
        daemon = Daemon(role, process, ui_port, log)
        self.daemons.append(daemon)
        return daemon

    def start(self, timeout: float = 120.0) -> StandaloneCluster:
        """Start the master, then the workers; return when every worker is ALIVE at the master."""
        self.workdir = Path(self.workdir).resolve()
        for sub in ("conf", "logs"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        self.master_port, self.ui_port = free_port(), free_port()
        try:
            self._launch("master", ["org.apache.spark.deploy.master.Master", "--host", HOST,
                                    "--port", str(self.master_port), "--webui-port", str(self.ui_port)], self.ui_port)
            self._wait(lambda: get_json(self.master_json_url).get("status") == "ALIVE", timeout, "master")
            for n in range(1, self.workers + 1):
                work = self.workdir / f"worker-{n}"
                (work / "local").mkdir(parents=True, exist_ok=True)
                port = free_port()
                self._launch(f"worker-{n}", [
                    "org.apache.spark.deploy.worker.Worker", "--host", HOST, "--webui-port", str(port),
                    "--cores", str(self.worker_cores), "--memory", self.worker_memory,
                    "--work-dir", str(work), self.master_url], port,
                    {"SPARK_LOCAL_DIRS": str(work / "local")})
            self._wait(lambda: len(self.alive_workers()) == self.workers, timeout, "workers")
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            for d in self.daemons:
                if d.process.poll() is not None:
                    raise RuntimeError(f"Spark {d.role} exited ({d.process.returncode}): "
                                       + d.log.read_text(errors="replace")[-2000:])
            try:
                if ready():
                    return
            except OSError as exc:  # not listening yet
                last = exc
            time.sleep(0.5)
        raise TimeoutError(f"Spark {what} not ready after {timeout:.0f} s ({last})")

    def master_state(self) -> dict:
        return get_json(self.master_json_url)

    def alive_workers(self) -> list[dict]:
        return [w for w in self.master_state().get("workers", []) if w.get("state") == "ALIVE"]

    def worker_states(self) -> dict[str, dict]:
        """Each worker's own /json/ (its executors, running and finished), by role."""
        return {d.role: get_json(d.json_url) for d in self.worker_daemons}

    def pids(self) -> list[int]:
        return [d.process.pid for d in self.daemons]

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every JVM (workers first: they kill their executors), wait, SIGKILL what remains."""
        for d in sorted(self.daemons, key=lambda d: d.role == "master"):
            if d.process.poll() is None:
                try:
                    os.killpg(d.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for d in self.daemons:
            try:
                d.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(d.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                d.process.wait(timeout=10)

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def jvms_under(folder: Path) -> list[int]:
    """PIDs of live processes whose command line mentions `folder` (a cluster's JVMs and executors)."""
    needle = str(Path(folder).resolve()).encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if needle in cmdline and state != "Z":
            found.append(int(proc.name))
    return found


# --- which executor ran which tasks: the application's event log --------------------------------

def executor_tasks(event_log_dir: Path, app_id: str) -> dict[str, dict]:
    """{executor id: {"host", "worker_ui", "tasks"}} from an application's Spark event log.

    `SparkListenerExecutorAdded` names the executor's host and its log URLs, which point at the
    web UI of the worker that launched it; `SparkListenerTaskEnd` names the executor a task ran on.
    """
    # one uncompressed file `<app id>` (dbt/profiles.yml: spark.eventLog.compress/rolling false)
    files = sorted(p for p in Path(event_log_dir).iterdir() if p.name.startswith(app_id) and p.is_file())
    if not files:
        raise FileNotFoundError(f"{event_log_dir}: no event log of {app_id}")
    executors: dict[str, dict] = {}
    with open(files[0], encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerExecutorAdded":
                info = event["Executor Info"]
                url = (info.get("Log Urls") or {}).get("stdout", "")
                worker_ui = url.split("/logPage")[0] if url else ""
                executors.setdefault(event["Executor ID"], {"tasks": 0}).update(
                    host=info.get("Host"), worker_ui=worker_ui)
            elif kind == "SparkListenerTaskEnd":
                executor = event.get("Task Info", {}).get("Executor ID")
                if executor is not None:
                    executors.setdefault(executor, {"tasks": 0, "host": None, "worker_ui": ""})["tasks"] += 1
    return executors
