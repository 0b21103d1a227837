"""Audit log: one JSON object per line (logins, logouts, downloads, refused access).

Never written: passwords, password hashes, session cookies.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from dashboards.auth import PROJECT_DIR

DEFAULT_AUDIT_LOG = PROJECT_DIR / "data" / "audit.log"


def resolve_audit_path(path: Path | str | None = None) -> Path:
    if path:
        return Path(path)
    env = os.environ.get("MONEV_AUDIT_LOG")
    return Path(env) if env else DEFAULT_AUDIT_LOG


class AuditLog:
    def __init__(self, path: Path | str | None = None):
        self.path = resolve_audit_path(path)
        self._lock = threading.Lock()

    def tulis(self, event: str, username: str | None = None, ip: str | None = None, **detail: Any) -> dict:
        """Append one event; returns the record written."""
        record = {
            "waktu": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "event": event,
            "username": username,
            "ip": ip,
            **{k: v for k, v in detail.items() if k not in ("password", "password_hash")},
        }
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

    def baca(self) -> list[dict]:
        """All records (for tests and operators)."""
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
