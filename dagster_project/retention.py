"""Retention of landed files (EXPORT_SPEC.md, "Personal data outside its columns").

Landing files still hold clear NIK, names and birth dates. ``monev bersihkan --landing DIR
--lebih-dari-hari N`` deletes the files that the loader registered (loaded, rejected or an
identical re-send) more than N days ago; a file never registered, or changed since it was
registered, is kept whatever its age. The registry (meta.file_registry) keeps the file's hash,
size and outcome, so lineage survives the deletion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .errors import UserError
from .ingest.files import discover


@dataclass
class Cleanup:
    removed: list[str] = field(default_factory=list)
    removed_bytes: int = 0
    kept_recent: int = 0
    kept_unregistered: int = 0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def clean_landing(landing: Path, work_db: Path, days: int, dry_run: bool = False,
                  now: dt.datetime | None = None) -> Cleanup:
    if days < 1:
        raise UserError(f"--lebih-dari-hari {days}: expected a whole number of days, at least 1.")
    if not landing.is_dir():
        raise UserError(f"{landing}: landing folder does not exist.")
    if not work_db.exists():
        raise UserError(f"{work_db}: working warehouse not found; nothing has been loaded yet.")
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.Error:
        raise UserError(f"{work_db}: the working warehouse is in use by a load; try again when it has finished.") from None
    try:
        registered: dict[tuple[int, int], dict[str, dt.datetime]] = {}
        for size, mtime, sha, first in con.execute(
                """select size_bytes, mtime_ns, sha256, min(registered_at) from meta.file_registry
                   where status in ('LOADED', 'REJECTED', 'IDENTICAL') group by all""").fetchall():
            registered.setdefault((size, mtime), {})[sha] = first
    finally:
        con.close()
    cutoff = (now or dt.datetime.now()) - dt.timedelta(days=days)
    out = Cleanup()
    for f in discover(landing):
        by_sha = registered.get((f.size, f.mtime_ns))
        if not by_sha:
            out.kept_unregistered += 1
            continue
        try:
            first = by_sha.get(_sha256(f.path))
        except OSError:
            continue
        if first is None:
            out.kept_unregistered += 1  # changed since it was registered
        elif first > cutoff:
            out.kept_recent += 1
        else:
            if not dry_run:
                f.path.unlink()
            out.removed.append(f.relpath)
            out.removed_bytes += f.size
    if not dry_run:  # folders emptied by the cleanup (never the landing folder itself)
        for root, dirs, files in os.walk(landing, topdown=False):
            if Path(root) != landing and not os.listdir(root) and not Path(root).name.startswith("."):
                try:
                    os.rmdir(root)
                except OSError:
                    pass
    return out
