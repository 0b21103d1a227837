"""Accounts, password checking and login throttling for the dashboards.

Accounts live in a JSON file configured by the operator (``accounts_path``, env
``MONEV_ACCOUNTS``, default ``data/accounts.json``)::

    {"accounts": {"analis": {"password_hash": "scrypt:...", "role": "ditjenpas", "scope": null},
                  "kw01":   {"password_hash": "...", "role": "kanwil", "scope": "KW01"},
                  "upt0001": {"password_hash": "...", "role": "upt", "scope": "UPT0001"}}}

Passwords are stored only as werkzeug hashes (scrypt). Roles: ``ditjenpas`` (everything),
``kanwil`` (scope = kode_kanwil), ``upt`` (scope = kode_upt).

Lockout: 5 wrong passwords for one username within 15 minutes lock it for 15 minutes
(even the right password is refused meanwhile). The counters live in the serving process;
run the app with one gunicorn worker (threads are fine) or the limit is per worker.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from werkzeug.security import check_password_hash, generate_password_hash

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_ACCOUNTS = PROJECT_DIR / "data" / "accounts.json"
PERAN = ("ditjenpas", "kanwil", "upt")
HASH_METHOD = "scrypt"
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8

MAKS_GAGAL = 5
JENDELA_DETIK = 15 * 60
KUNCI_DETIK = 15 * 60

# Used to spend the same time on an unknown username as on a wrong password.
_DUMMY_HASH = generate_password_hash("tidak-ada-akun-ini", method=HASH_METHOD)


@dataclass(frozen=True)
class Akun:
    username: str
    role: str
    scope: str | None
    nama: str | None = None


def resolve_accounts_path(path: Path | str | None = None) -> Path:
    if path:
        return Path(path)
    env = os.environ.get("MONEV_ACCOUNTS")
    return Path(env) if env else DEFAULT_ACCOUNTS


def default_accounts_path() -> Path:
    """The accounts file used when no path is given: env MONEV_ACCOUNTS, else data/accounts.json."""
    return resolve_accounts_path(None)


def _validasi(username: str, role: str, scope: str | None) -> None:
    if not USERNAME_RE.match(username or ""):
        raise ValueError("username: 3-64 karakter huruf, angka, titik, garis bawah atau tanda hubung")
    if role not in PERAN:
        raise ValueError(f"peran harus salah satu dari {', '.join(PERAN)}")
    if role != "ditjenpas" and not scope:
        raise ValueError(f"peran {role} memerlukan cakupan (kode {'Kanwil' if role == 'kanwil' else 'UPT'})")


def _baca_file(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict):
        raise ValueError(f"{path}: format akun tidak dikenal (harus {{\"accounts\": {{...}}}})")
    return data


def _tulis_file(path: Path, data: dict) -> None:
    """Write atomically (temp file + os.replace), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".accounts.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def add_account(path: Path | str, username: str, password: str, role: str, scope: str | None = None,
                nama: str | None = None) -> None:
    """Create or replace an account in the accounts file (the password is stored hashed only)."""
    path = resolve_accounts_path(path)
    scope = scope.strip().upper() if scope else None
    if role == "ditjenpas":
        scope = None
    _validasi(username, role, scope)
    if not password or len(password) < MIN_PASSWORD:
        raise ValueError(f"kata sandi minimal {MIN_PASSWORD} karakter")
    data = _baca_file(path) if path.exists() else {"accounts": {}}
    data["accounts"][username] = {
        "password_hash": generate_password_hash(password, method=HASH_METHOD),
        "role": role,
        "scope": scope,
        "nama": nama,
    }
    _tulis_file(path, data)


def _contoh_cakupan(warehouse_path: Path | str | None) -> tuple[str, str]:
    """One Kanwil and one of its UPTs from the published warehouse (for demo accounts): a Kanwil
    with two or more UPTs that all reported, and the UPT of it that sent the most files."""
    import duckdb

    wh = Path(warehouse_path or os.environ.get("MONEV_WAREHOUSE") or PROJECT_DIR / "data" / "warehouse" / "monev.duckdb")
    if wh.exists():
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"ATTACH '{str(wh).replace(chr(39), chr(39) * 2)}' AS srv (READ_ONLY)")
            row = None
            try:  # a Kanwil with two or more UPTs that all sent files; its UPT that sent the most
                row = con.execute("""
                    with kirim as (
                        select u.kode_kanwil, u.kode_upt, count(f.kode_upt) as n
                        from srv.dim_upt u left join srv.fct_file_diterima f
                          on f.kode_upt = u.kode_upt and f.is_current and f.status = 'LOADED'
                        group by 1, 2),
                    kw as (select kode_kanwil from kirim group by 1 having count(*) >= 2 and min(n) > 0)
                    select k.kode_kanwil, k.kode_upt from kirim k join kw using (kode_kanwil)
                    order by k.kode_kanwil, k.n desc, k.kode_upt limit 1""").fetchone()
            except duckdb.Error:
                pass
            row = row or con.execute(
                "select kode_kanwil, min(kode_upt) from srv.dim_upt group by 1 order by 1 limit 1").fetchone()
            if row:
                return str(row[0]), str(row[1])
        except Exception:  # noqa: BLE001 - a demo fallback, the warehouse may not exist yet
            pass
        finally:
            con.close()
    return "KW01", "UPT0001"


def ensure_demo_accounts(path: Path | str | None = None, warehouse_path: Path | str | None = None) -> dict[str, dict] | None:
    """Create demo accounts (ditjenpas, one Kanwil, one UPT of the data) if the file does not exist.

    Returns ``{username: {"password", "role", "scope"}}`` for the caller to show once, or None
    when the file already exists (nothing is changed then). Prints nothing itself.
    """
    path = resolve_accounts_path(path)
    if path.exists():
        return None
    kanwil, upt = _contoh_cakupan(warehouse_path)
    akun = {
        "ditjenpas": {"role": "ditjenpas", "scope": None},
        f"kanwil_{kanwil.lower()}": {"role": "kanwil", "scope": kanwil},
        f"upt_{upt.lower()}": {"role": "upt", "scope": upt},
    }
    data = {"accounts": {}}
    for username, a in akun.items():
        a["password"] = secrets.token_urlsafe(12)
        data["accounts"][username] = {
            "password_hash": generate_password_hash(a["password"], method=HASH_METHOD),
            "role": a["role"], "scope": a["scope"], "nama": f"Akun demo {a['role']}",
        }
    _tulis_file(path, data)
    return akun


class DaftarAkun:
    """Reads the accounts file, re-reading it when it changes (the operator may edit it live)."""

    def __init__(self, path: Path | str | None = None):
        self.path = resolve_accounts_path(path)
        self._lock = threading.Lock()
        self._sig: tuple | None = None
        self._data: dict = {}

    def _muat(self) -> dict:
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                self._sig, self._data = None, {}
                return {}
            sig = (st.st_ino, st.st_mtime_ns, st.st_size)
            if sig != self._sig:
                self._data = _baca_file(self.path)["accounts"]
                self._sig = sig
            return self._data

    def get(self, username: str) -> Akun | None:
        rec = self._muat().get(username)
        if not rec or rec.get("role") not in PERAN:
            return None
        return Akun(username, rec["role"], rec.get("scope"), rec.get("nama"))

    def periksa(self, username: str, password: str) -> Akun | None:
        """The account if the password matches, else None (constant work for unknown users)."""
        rec = self._muat().get(username or "")
        if not rec or not rec.get("password_hash"):
            check_password_hash(_DUMMY_HASH, password or "")
            return None
        if not check_password_hash(rec["password_hash"], password or ""):
            return None
        return self.get(username)


class PembatasLogin:
    """Locks a username after MAKS_GAGAL wrong passwords within JENDELA_DETIK, for KUNCI_DETIK."""

    def __init__(self, maks_gagal: int = MAKS_GAGAL, jendela: float = JENDELA_DETIK, kunci: float = KUNCI_DETIK,
                 jam: Callable[[], float] = time.time):
        self.maks_gagal, self.jendela, self.kunci, self.jam = maks_gagal, jendela, kunci, jam
        self._gagal: dict[str, list[float]] = {}
        self._terkunci: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _kunci_nama(username: str) -> str:
        return (username or "").strip().lower()

    def sisa_kunci(self, username: str) -> float:
        """Seconds left on the lock of this username (0 if not locked)."""
        k = self._kunci_nama(username)
        with self._lock:
            sampai = self._terkunci.get(k)
            if sampai is None:
                return 0.0
            sisa = sampai - self.jam()
            if sisa <= 0:
                del self._terkunci[k]
                self._gagal.pop(k, None)
                return 0.0
            return sisa

    def catat_gagal(self, username: str) -> bool:
        """Record a wrong password; True if this failure locks the username."""
        k = self._kunci_nama(username)
        now = self.jam()
        with self._lock:
            daftar = [t for t in self._gagal.get(k, []) if now - t < self.jendela]
            daftar.append(now)
            self._gagal[k] = daftar
            if len(daftar) >= self.maks_gagal:
                self._terkunci[k] = now + self.kunci
                self._gagal[k] = []
                return True
            return False

    def catat_berhasil(self, username: str) -> None:
        with self._lock:
            self._gagal.pop(self._kunci_nama(username), None)
