"""Atomic publication of the marts from the working warehouse to the serving file.

The next publication is written beside the serving file (`<stem>.next.duckdb`), checked, and
switched in with one `os.replace` (same folder, so atomic): a reader sees the old file or the new
one, never a mix. The previous publication is kept as `<stem>.prev.duckdb` for rollback. A load
that dies before the switch leaves only a stale `.next` file, which the next publication removes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb

from .config import WarehousePaths
from .ops_status import fault_point

MARTS_SCHEMA = "marts"


def publish(paths: WarehousePaths, load_id: int | None = None, required: tuple[str, ...] = ("kpi_indikator",),
            fingerprint: dict[str, str] | None = None) -> dict:
    """Copy every table of schema `marts` of the working warehouse into a new serving file.

    ``fingerprint``: the input fingerprint of the published load (dagster_project/perubahan.py),
    stored in ``publikasi`` so the next load can tell whether anything changed since."""
    nxt = paths.next
    for leftover in (nxt, nxt.with_name(nxt.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        counts, published_at = _build_next(paths, nxt, load_id, required, fingerprint)
    except BaseException:
        # A failed build (disk full, read-only folder, missing marts) must not leave a partial
        # file taking space beside the publication it did not replace.
        for leftover in (nxt, nxt.with_name(nxt.name + ".wal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    fault_point("publish")  # test hook (MONEV_FAULT_AT), off by default: dies before the switch
    serving = paths.serving
    if serving.exists():
        paths.previous.unlink(missing_ok=True)
        os.link(serving, paths.previous)  # keep the outgoing publication for rollback
    os.replace(nxt, serving)
    _fsync_dir(serving.parent)
    return {"tables": counts, "published_at": published_at.isoformat(), "path": str(serving)}


def _build_next(paths: WarehousePaths, nxt: Path, load_id: int | None, required: tuple[str, ...],
                fingerprint: dict[str, str] | None = None):
    from .config import duckdb_config

    con = duckdb.connect(str(nxt), config=duckdb_config())
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
        sidik = rincian = None
        if fingerprint:
            from .perubahan import combine

            sidik, rincian = combine(fingerprint), json.dumps(fingerprint, sort_keys=True)
        con.execute(
            "create table main.publikasi as select ?::timestamp as diterbitkan_pada, ?::bigint as load_id, "
            "?::integer as jumlah_tabel, ?::varchar as sidik_masukan, ?::varchar as rincian_sidik",
            [published_at, load_id, len(tables), sidik, rincian])
        con.execute("detach wh")
        con.execute("checkpoint")
    finally:
        con.close()
    # Re-open what was written, read-only, before it may replace anything.
    check = duckdb.connect(":memory:")
    try:
        escaped = str(nxt).replace("'", "''")
        check.execute(f"attach '{escaped}' as nx (read_only)")
        for table, n in counts.items():
            got = check.execute(f'select count(*) from nx.main."{table}"').fetchone()[0]
            if got != n:
                raise RuntimeError(f"{nxt}: {table} has {got} rows after writing, expected {n}")
    finally:
        check.close()
    with open(nxt, "rb") as fh:
        os.fsync(fh.fileno())
    return counts, published_at


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
