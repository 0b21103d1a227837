"""Audit log: logins, logouts, downloads, refused access, account changes, in the app database
(table ``audit``), so every worker writes to one log that operators can query. Optionally also one
JSON object per line in a file (``MONEV_AUDIT_LOG`` or the ``path`` argument) for log shipping.

Never written: passwords, password hashes, session tokens or cookies. Every value is bounded
(a 2 MB username is stored as its first 64 characters), so requests cannot grow the log at will.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dashboards import appdb
from dashboards.appdb import CatatanAudit, session_scope

MAKS_TEKS = 200        # characters of one string value
MAKS_DETAIL = 4000     # characters of the JSON detail of one event
_RAHASIA = ("password", "password_hash", "sandi", "token", "cookie")


def resolve_audit_path(path: Path | str | None = None) -> Path | None:
    """The JSON-lines copy of the log, if any: ``path``, else env MONEV_AUDIT_LOG, else none."""
    if path:
        return Path(path)
    env = os.environ.get("MONEV_AUDIT_LOG")
    return Path(env) if env else None


def _batasi(v: Any, depth: int = 0) -> Any:
    if isinstance(v, str):
        return v if len(v) <= MAKS_TEKS else v[:MAKS_TEKS] + "…"
    if isinstance(v, dict):
        return {str(k)[:40]: _batasi(x, depth + 1) for k, x in list(v.items())[:40]
                if not any(r in str(k).lower() for r in _RAHASIA)} if depth < 4 else "…"
    if isinstance(v, (list, tuple)):
        return [_batasi(x, depth + 1) for x in list(v)[:40]] if depth < 4 else "…"
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return _batasi(str(v), depth)


class AuditLog:
    def __init__(self, db=None, path: Path | str | None = None):
        self.url = appdb.normalise_url(db)
        appdb.upgrade(self.url)
        self.path = resolve_audit_path(path)
        self._lock = threading.Lock()

    def tulis(self, event: str, username: str | None = None, ip: str | None = None, **detail: Any) -> dict:
        """Append one event; returns the record written."""
        now = appdb.utcnow()
        bersih = _batasi({k: v for k, v in detail.items() if not any(r in k.lower() for r in _RAHASIA)})
        teks = json.dumps(bersih, ensure_ascii=False, default=str)
        if len(teks) > MAKS_DETAIL:
            bersih = {"dipotong": True, "awal": teks[:MAKS_DETAIL - 100]}
            teks = json.dumps(bersih, ensure_ascii=False)
        username = username[:64] if username else username
        ip = ip[:64] if ip else ip
        with session_scope(self.url) as s:
            s.add(CatatanAudit(waktu=now, event=event[:40], username=username, ip=ip, detail=teks))
        record = {"waktu": now.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds"), "event": event,
                  "username": username, "ip": ip, **bersih}
        if self.path is not None:
            line = json.dumps(record, ensure_ascii=False, default=str)
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # O_APPEND: lines from several worker processes do not interleave within a line.
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                try:
                    os.write(fd, (line + "\n").encode("utf-8"))
                finally:
                    os.close(fd)
        return record

    def baca(self, batas: int | None = None) -> list[dict]:
        """The records, oldest first (for tests and operators)."""
        with session_scope(self.url) as s:
            q = select(CatatanAudit).order_by(CatatanAudit.id)
            rows = s.scalars(q).all()
        out = []
        for r in rows[-batas:] if batas else rows:
            out.append({"waktu": r.waktu.replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds"),
                        "event": r.event, "username": r.username, "ip": r.ip, **json.loads(r.detail or "{}")})
        return out
