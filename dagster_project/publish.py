"""Atomic publication of the marts from the working warehouse to the serving file.

The next publication is written beside the serving file (`<stem>.next.duckdb`), checked, and
switched in with one `os.replace` (same folder, so atomic): a reader sees the old file or the new
one, never a mix. The previous publication is kept as `<stem>.prev.duckdb` for rollback. A load
that dies before the switch leaves only a stale `.next` file, which the next publication removes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from .config import WarehousePaths

MARTS_SCHEMA = "marts"


def publish(paths: WarehousePaths, load_id: int | None = None, required: tuple[str, ...] = ("kpi_indikator",)) -> dict:
    """Copy every table of schema `marts` of the working warehouse into a new serving file."""
    nxt = paths.next
    for leftover in (nxt, nxt.with_name(nxt.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(nxt))
    try:
        con.execute(f"attach '{paths.work}' as wh (read_only)")
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' and schema_name = ? order by 1",
            [MARTS_SCHEMA]).fetchall()]
        missing = [t for t in required if t not in tables]
        if missing:
            raise RuntimeError(f"{paths.work}: marts missing before publication: {', '.join(missing)}")
        counts = {}
        for table in tables:
            con.execute(f'create table main."{table}" as select * from wh.{MARTS_SCHEMA}."{table}"')
            counts[table] = con.execute(f'select count(*) from main."{table}"').fetchone()[0]
        published_at = dt.datetime.now().replace(microsecond=0)
        con.execute(
            "create table main.publikasi as select ?::timestamp as diterbitkan_pada, ?::bigint as load_id, "
            "?::integer as jumlah_tabel", [published_at, load_id, len(tables)])
        con.execute("detach wh")
        con.execute("checkpoint")
    finally:
        con.close()
    serving = paths.serving
    if serving.exists():
        paths.previous.unlink(missing_ok=True)
        os.link(serving, paths.previous)  # keep the outgoing publication for rollback
    os.replace(nxt, serving)
    _fsync_dir(serving.parent)
    return {"tables": counts, "published_at": published_at.isoformat(), "path": str(serving)}


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rollback(paths: WarehousePaths) -> bool:
    """Put the previous publication back (operator command). Returns False when there is none."""
    if not paths.previous.exists():
        return False
    os.replace(paths.previous, paths.serving)
    return True
