"""`gunicorn -w 4` behaves like one worker (issue 13): a session made on one worker is valid on
every worker, a logout ends it on every worker, and the lockout counts wrong passwords made on
different workers. A real gunicorn with 4 worker processes on the fixture warehouse, once with
the embedded SQLite app database and once with a real PostgreSQL (tests/pg_server.py)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse  # noqa: E402
from pg_server import app_db, postgres_server  # noqa: E402,F401

from dashboards.auth import add_account  # noqa: E402
from dashboards.permintaan import csrf_requests, halaman, masuk  # noqa: E402

pytestmark = pytest.mark.slow
GUNICORN = Path(sys.executable).parent / "gunicorn"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh_gunicorn") / "monev.duckdb")


@pytest.fixture()
def gunicorn4(wh, app_db, tmp_path):
    add_account(app_db, "kw01", "kata-sandi-kw01", "kanwil", "KW01")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "akses.log"
    env = {**os.environ, "MONEV_WAREHOUSE": str(wh), "MONEV_DB_URL": app_db, "MONEV_SECRET_KEY": "kunci-uji-gunicorn",
           "MONEV_LOGIN_LIMIT": "1000/minute"}
    proc = subprocess.Popen([str(GUNICORN), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "120",
                             "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s",
                             "dashboards.app:server_factory()"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "err.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if requests.get(base + "/sehat", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "err.log").read_text()[-2000:])
            time.sleep(0.5)
        yield base, log
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _pids(log: Path, path: str, start: int = 0) -> set[str]:
    lines = log.read_text().splitlines()[start:]
    return {m.split()[0] for m in lines if m.endswith(path)}


def test_four_workers_share_sessions_logout_and_lockout(gunicorn4):
    base, log = gunicorn4
    s = csrf_requests(requests.Session(), base)
    r = s.post(base + "/_dash-update-component", json=masuk("kw01", "kata-sandi-kw01"), timeout=60)
    assert r.status_code == 200 and r.json()["response"]["url-login"]["href"] == "/ringkasan"
    assert "gunicorn/" not in r.headers.get("Server", "") and not re.search(r"\d", r.headers.get("Server", ""))
    body = halaman("/ringkasan", {"periode": "2024Q3"})

    def page(_i):
        return s.post(base + "/_dash-update-component", json=body, timeout=120).status_code

    time.sleep(1)
    n0 = len(log.read_text().splitlines())
    with ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(page, range(32)))
    assert codes == [200] * 32  # the session made on one worker is valid on all of them
    time.sleep(1)
    served = _pids(log, "/_dash-update-component", n0)
    assert len(served) >= 2, f"the requests reached only worker(s) {served}"

    saved = dict(s.cookies)
    s.get(base + "/keluar", timeout=30)
    stale = csrf_requests(requests.Session(), base)
    stale.cookies.update(saved)
    with ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(lambda _i: stale.post(base + "/_dash-update-component", json=body, timeout=60).status_code,
                            range(16)))
    assert codes == [401] * 16  # logged out on every worker

    # Five wrong passwords spread over the workers lock the username for this address.
    n0 = len(log.read_text().splitlines())
    attackers = [csrf_requests(requests.Session(), base) for _ in range(5)]
    with ThreadPoolExecutor(5) as ex:
        list(ex.map(lambda a: a.post(base + "/_dash-update-component", json=masuk("KW01", "salah-salah"), timeout=60),
                    attackers))
    r = attackers[0].post(base + "/_dash-update-component", json=masuk("kw01", "kata-sandi-kw01"), timeout=60)
    assert "terkunci" in r.text.lower() and "url-login" not in r.json()["response"]
    time.sleep(1)
    assert len(_pids(log, "/_dash-update-component", n0)) >= 2
