"""Arrival records: when and by whom a file's bytes arrived in the landing folder.

Contract shared by the generator, the upload page and the loader (KPI_DICTIONARY "Timeliness": a
file arrives when the loader first registers it, or when it is uploaded through the app; never
the file's own modification time):

    <landing>/.kedatangan/<sha256 hex of the file's bytes>.json =
    {"sha256": "...", "diterima": "<ISO 8601 with offset>", "akun": "<username or 'generator'>",
     "sumber": "unggah" | "generator",
     "nama_file": "<file name>", "kedatangan": [{"nama_file", "diterima", "akun", "sumber"}, ...]}

The four first fields are the contract (the latest arrival of these bytes). Identical bytes can
arrive more than once and under several names (a header-only file is byte-identical for every UPT
and month that had nothing to report, an identical re-send repeats a file), so the record also
lists every arrival in `kedatangan`; the loader picks the arrival of the same file name that no
registered version has used yet (see `choose`). The loader ignores dot-folders when discovering
exports, so the records are never taken for exports.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
from pathlib import Path

FOLDER = ".kedatangan"
SUMBER = ("unggah", "generator")


def record_path(landing: Path, sha256: str) -> Path:
    return Path(landing) / FOLDER / f"{sha256}.json"


def write_arrival(landing: Path, sha256: str, diterima: dt.datetime, akun: str, sumber: str,
                  nama_file: str) -> Path:
    """Add one arrival of these bytes to their record (atomic replace, under a folder lock)."""
    if sumber not in SUMBER:
        raise ValueError(f"sumber {sumber!r}")
    if diterima.tzinfo is None:
        diterima = diterima.astimezone()  # local wall time: give it its offset
    folder = Path(landing) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}.json"
    entry = {"nama_file": nama_file, "diterima": diterima.isoformat(), "akun": akun, "sumber": sumber}
    lock = os.open(folder, os.O_RDONLY)  # the folder itself is the lock (no extra file in it)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            previous = _read(target) or {}
            arrivals = [e for e in previous.get("kedatangan", []) if isinstance(e, dict)]
            arrivals.append(entry)
            arrivals.sort(key=lambda e: _parse(e.get("diterima")) or dt.datetime.min.replace(tzinfo=dt.timezone.utc))
            latest = arrivals[-1]
            record = {"sha256": sha256, "diterima": latest["diterima"], "akun": latest["akun"],
                      "sumber": latest["sumber"], "nama_file": latest["nama_file"], "kedatangan": arrivals}
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(record, fh, ensure_ascii=False)
                stamp = _parse(latest["diterima"]).timestamp()
                os.utime(tmp, (stamp, stamp))  # deterministic bytes and times for the generator
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        os.close(lock)
    return target


def _read(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _parse(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.astimezone()


def arrivals(landing: Path, sha256: str, nama_file: str) -> list[tuple[dt.datetime, str | None]]:
    """The recorded arrivals of these bytes under this file name, oldest first, as
    (local naive time, account). A record without `kedatangan` counts as one arrival; an unreadable
    record counts as none (the file then arrives when it is registered)."""
    record = _read(record_path(landing, sha256))
    if not record or record.get("sha256", sha256) != sha256:
        return []
    entries = record.get("kedatangan") if isinstance(record.get("kedatangan"), list) else [record]
    out = []
    for e in entries:
        if not isinstance(e, dict) or e.get("nama_file") not in (None, nama_file):
            continue
        t = _parse(e.get("diterima"))
        if t is None:
            continue
        akun = e.get("akun") if isinstance(e.get("akun"), str) else None
        out.append((t.astimezone().replace(tzinfo=None), akun[:64] if akun else None))
    out.sort(key=lambda x: x[0])
    return out


def choose(found: list[tuple[dt.datetime, str | None]], registered_until: dt.datetime | None,
           used: set[dt.datetime]) -> tuple[dt.datetime, str | None] | None:
    """The arrival a newly registered version of these bytes stands for: the oldest one later than
    every version of the same bytes and name registered before and not taken by an earlier file of
    this load; when all are used, the latest (the same bytes seen again without a new arrival)."""
    for t, akun in found:
        if (registered_until is None or t > registered_until) and t not in used:
            return t, akun
    return found[-1] if found else None


def remove_generator_arrivals(landing: Path) -> int:
    """Delete the records that only the generator wrote (before it writes a landing folder again);
    records of uploads are kept."""
    folder = Path(landing) / FOLDER
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.json"):
        record = _read(path) or {}
        entries = record.get("kedatangan") if isinstance(record.get("kedatangan"), list) else [record]
        if entries and all(isinstance(e, dict) and e.get("sumber") == "generator" for e in entries):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
