"""Which dbt build a load needs: incremental since the last successful build, or a full rebuild.

The latest-version models (dbt/macros/incremental.sql) recompute only the records of the file
groups (UPT, kind, month) that have a file registered after load N, N = the load of the last
successful dbt build, kept in ``meta.dbt_bangun`` of the working warehouse with the fingerprint of
what every row of the models depends on besides the files: the UPT master, the taxonomy seeds and
the dbt project (dagster_project/perubahan.py). A different fingerprint, or no recorded build (a
new or restored working warehouse), means ``--full-refresh``. A failed build records nothing, so the
next one starts from the same N again (recomputing a record is idempotent). docs/DECISIONS.md 37.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

STATE_DDL = """create table if not exists meta.dbt_bangun (
    load_id BIGINT NOT NULL, sidik VARCHAR NOT NULL, mode VARCHAR NOT NULL, dibangun_pada TIMESTAMP NOT NULL)"""
REBUILD_PARTS = ("master_upt", "taksonomi", "dbt")


def _sidik(parts: dict[str, str] | None) -> str | None:
    if not parts or any(k not in parts for k in REBUILD_PARTS):
        return None
    from .perubahan import combine

    return combine({k: parts[k] for k in REBUILD_PARTS})


def last_build(work_db: Path) -> tuple[int, str] | None:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        return con.execute("select load_id, sidik from meta.dbt_bangun order by load_id desc, dibangun_pada desc "
                           "limit 1").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()


def build_args(work_db: Path, parts: dict[str, str] | None) -> tuple[list[str], str, int | None]:
    """dbt arguments after ``build`` for this load, a sentence saying why, and N (None: full)."""
    sidik = _sidik(parts)
    prev = last_build(work_db)
    if prev is None:
        return ["--full-refresh"], "bangun penuh: belum ada bangunan dbt yang tercatat", None
    if sidik is None or prev[1] != sidik:
        return ["--full-refresh"], "bangun penuh: master UPT, taksonomi atau proyek dbt berubah", None
    return (["--vars", json.dumps({"sejak_load": int(prev[0])})],
            f"inkremental: file yang terdaftar sesudah muatan #{prev[0]}", int(prev[0]))


def record_build(work_db: Path, load_id: int, parts: dict[str, str] | None, mode: str) -> None:
    """After a successful build: the next build is incremental from ``load_id``."""
    sidik = _sidik(parts)
    if sidik is None:
        return
    con = duckdb.connect(str(work_db))
    try:
        con.execute(STATE_DDL)
        con.execute("insert into meta.dbt_bangun values (?, ?, ?, ?)",
                    [load_id, sidik, mode, dt.datetime.now().replace(microsecond=0)])
    finally:
        con.close()
