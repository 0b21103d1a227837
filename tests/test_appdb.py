"""The application database (dashboards/appdb.py) and `monev akun` / `monev db` on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest
from pg_server import app_db, postgres_server  # noqa: F401 (fixtures: SQLite and a real PostgreSQL)
from sqlalchemy import inspect

from dashboards import appdb
from dashboards.auth import DaftarAkun, DaftarSesi, add_account

MONEV = [sys.executable, "-m", "dagster_project.cli"]


def monev(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([*MONEV, *args], capture_output=True, text=True, timeout=300, env=env)


def test_default_url_is_sqlite_in_data_and_env_overrides(monkeypatch, tmp_path):
    monkeypatch.delenv("MONEV_DB_URL", raising=False)
    assert appdb.database_url() == f"sqlite:///{appdb.PROJECT_DIR / 'data' / 'app.db'}"
    monkeypatch.setenv("MONEV_DB_URL", "sqlite:///" + str(tmp_path / "x.db"))
    assert appdb.database_url().endswith("x.db")
    assert appdb.normalise_url(tmp_path / "y.db") == f"sqlite:///{tmp_path / 'y.db'}"


def _head() -> str:
    """The newest Alembic revision of dashboards/migrations/versions/ (later features add revisions)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(appdb.alembic_config()).get_current_head()


def test_upgrade_creates_every_table_at_the_head_revision(app_db):
    appdb.upgrade(app_db)
    appdb._upgraded.clear()
    appdb.upgrade(app_db)  # idempotent, also when really re-run
    insp = inspect(appdb.engine_for(app_db))
    tables = set(insp.get_table_names())
    assert {"akun", "sesi", "percobaan_login", "audit", "batas_laju", "alembic_version"} <= tables
    assert appdb.current_revision(app_db) == _head()
    # The migration and the ORM models describe the same columns.
    for t in appdb.Base.metadata.sorted_tables:
        assert {c["name"] for c in insp.get_columns(t.name)} == {c.name for c in t.columns}, t.name


def test_concurrent_upgrades_from_several_processes(app_db):
    """Four workers starting at once on an empty database: one migrates, none fails."""
    code = ("import sys; from dashboards import appdb; appdb.upgrade(sys.argv[1]); "
            "print(appdb.current_revision(sys.argv[1]))")
    procs = [subprocess.Popen([sys.executable, "-c", code, app_db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    assert {o[0].strip() for o in outs} == {_head()}


def test_session_scope_commits_or_rolls_back(app_db):
    url = app_db
    appdb.upgrade(url)
    with pytest.raises(RuntimeError):
        with appdb.session_scope(url) as s:
            s.add(appdb.CatatanAudit(event="x"))
            s.flush()
            raise RuntimeError("batal")
    with appdb.session_scope(url) as s:
        assert s.query(appdb.CatatanAudit).count() == 0
        s.add(appdb.CatatanAudit(event="y"))
    with appdb.session_scope(url) as s:
        assert [r.event for r in s.query(appdb.CatatanAudit)] == ["y"]


def test_rate_limit_counters_are_atomic_across_threads(app_db):
    """The Flask-Limiter storage on the app database: concurrent hits are all counted."""
    import threading

    from dashboards.ratelimit import AppDbStorage

    st = AppDbStorage("appdb://", url=app_db)
    st.clear("k")
    threads = [threading.Thread(target=lambda: [st.incr("k", 60) for _ in range(10)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert st.get("k") == 40 and st.get_expiry("k") > 0 and st.check()
    assert st.incr("kedaluwarsa", -1) == 1 and st.get("kedaluwarsa") == 0  # an ended window counts from zero
    assert st.incr("kedaluwarsa", 60) == 1


def test_monev_akun_commands(app_db, tmp_path):
    db = app_db
    r = monev("db", "upgrade", "--db", db)
    assert r.returncode == 0 and _head() in r.stdout, r.stderr
    r = monev("akun", "tambah", "--db", db, "--username", "KW01_Op", "--role", "kanwil", "--scope", "kw01",
              env_extra={"MONEV_NEW_PASSWORD": "kata-sandi-awal"})
    assert r.returncode == 0, r.stderr
    token = DaftarSesi(db).buat("kw01_op")
    r = monev("akun", "list", "--db", db)
    assert r.returncode == 0 and "kw01_op" in r.stdout and "KW01" in r.stdout and "sesi aktif: 1" in r.stdout
    assert "scrypt" not in r.stdout
    r = monev("akun", "reset-password", "--db", db, "--username", "kw01_op",
              env_extra={"MONEV_NEW_PASSWORD": "kata-sandi-baru"})
    assert r.returncode == 0 and "1 sesi" in r.stdout, r.stderr
    assert DaftarSesi(db).muat(token) is None
    assert DaftarAkun(db).periksa("kw01_op", "kata-sandi-baru") is not None
    token = DaftarSesi(db).buat("kw01_op")
    r = monev("akun", "revoke-sessions", "--db", db, "--username", "KW01_OP")
    assert r.returncode == 0 and DaftarSesi(db).muat(token) is None
    r = monev("akun", "disable", "--db", db, "--username", "kw01_op")
    assert r.returncode == 0 and DaftarAkun(db).periksa("kw01_op", "kata-sandi-baru") is None
    assert "NONAKTIF" in monev("akun", "list", "--db", db).stdout
    # Mistakes: one sentence, no traceback.
    for args, env, needle in [
        (("akun", "disable", "--db", db, "--username", "tidak_ada"), {}, "tidak_ada"),
        (("akun", "tambah", "--db", db, "--username", "x", "--role", "ditjenpas"), {"MONEV_NEW_PASSWORD": "kata-sandi-1"},
         "username"),
        (("akun", "tambah", "--db", db, "--username", "pusat", "--role", "ditjenpas"), {"MONEV_NEW_PASSWORD": ""},
         "MONEV_NEW_PASSWORD"),
        (("akun", "import-json", "--db", db, str(tmp_path / "tidak.json")), {}, "tidak.json"),
    ]:
        r = monev(*args, env_extra=env)
        lines = [x for x in r.stderr.strip().splitlines() if x.strip()]
        assert r.returncode == 2 and len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_old_accounts_json_is_imported_with_its_hashes(app_db, tmp_path):
    from werkzeug.security import generate_password_hash

    old = tmp_path / "accounts.json"
    old.write_text(json.dumps({"accounts": {"Pusat": {"password_hash": generate_password_hash("sandi-lama-123"),
                                                      "role": "ditjenpas", "scope": None}}}))
    db = app_db
    r = monev("akun", "import-json", "--db", db, str(old))
    assert r.returncode == 0 and "1 akun" in r.stdout, r.stderr
    assert DaftarAkun(db).periksa("pusat", "sandi-lama-123").role == "ditjenpas"
    add_account(db, "lain", "sandi-lain-123", "ditjenpas")
    assert monev("akun", "import-json", "--db", db, str(old)).stdout.startswith("0 akun")
