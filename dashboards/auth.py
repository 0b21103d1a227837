"""Accounts, password checking, server-side sessions and the login lockout, in the app database.

Everything lives in the application database (dashboards/appdb.py: SQLite ``data/app.db`` by
default, PostgreSQL by ``MONEV_DB_URL``), so every gunicorn worker sees the same accounts,
sessions and failed attempts. The ``db`` argument of the functions below is a database URL, a
filesystem path (a SQLite file there) or None (:func:`dashboards.appdb.database_url`).

- Accounts (table ``akun``): usernames are stored lower-case and compared case-insensitively;
  passwords only as werkzeug scrypt hashes. Roles: ``ditjenpas`` (everything), ``kanwil``
  (scope = kode_kanwil), ``upt`` (scope = kode_upt). An account can be disabled.
- Sessions (table ``sesi``): the cookie carries a random token, the table its SHA-256, the
  account, an absolute expiry (8 h after login, never extended) and the revocation. Logout,
  password reset, disabling the account, changing its role/scope and ``monev akun
  revoke-sessions`` end them.
- Lockout (table ``percobaan_login``): 5 wrong passwords for one username *from one client
  address* within 15 minutes lock that username for that address for 15 minutes, so a stranger
  elsewhere cannot lock the owner out (the address-wide throttle is Flask-Limiter's, app.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from dashboards import appdb
from dashboards.appdb import Akun as AkunRow
from dashboards.appdb import PercobaanLogin, Sesi, session_scope

PROJECT_DIR = Path(__file__).resolve().parents[1]
PERAN = ("ditjenpas", "kanwil", "upt")
HASH_METHOD = "scrypt"
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
SCOPE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MIN_PASSWORD = 8
MAKS_USERNAME = 64
MAKS_PASSWORD = 256

MAKS_GAGAL = 5
JENDELA_DETIK = 15 * 60
KUNCI_DETIK = 15 * 60
SESI_JAM = 8

# Used to spend the same time on an unknown username as on a wrong password.
_DUMMY_HASH = generate_password_hash("tidak-ada-akun-ini", method=HASH_METHOD)


class AkunTidakAda(ValueError):
    """The named account does not exist."""


@dataclass(frozen=True)
class Akun:
    username: str
    role: str
    scope: str | None
    nama: str | None = None
    aktif: bool = True


def _akun(row: AkunRow) -> Akun:
    return Akun(row.username, row.role, row.scope, row.nama, bool(row.aktif))


def kunci_nama(username: str | None) -> str:
    """The case-insensitive key of a username (bounded: a 2 MB username becomes 64 characters)."""
    return (username or "").strip().lower()[:MAKS_USERNAME]


def nama_sah(username: str | None) -> bool:
    return bool(USERNAME_RE.match(username or ""))


def _validasi(username: str, role: str, scope: str | None) -> None:
    if not nama_sah(username):
        raise ValueError("username: 3-64 karakter huruf, angka, titik, garis bawah atau tanda hubung")
    if role not in PERAN:
        raise ValueError(f"peran harus salah satu dari {', '.join(PERAN)}")
    if role != "ditjenpas" and not scope:
        raise ValueError(f"peran {role} memerlukan cakupan (kode {'Kanwil' if role == 'kanwil' else 'UPT'})")
    if scope and not SCOPE_RE.match(scope):
        raise ValueError("cakupan: 1-40 karakter huruf, angka, titik, garis bawah atau tanda hubung")


def _validasi_sandi(password: str | None) -> None:
    if not password or len(password) < MIN_PASSWORD:
        raise ValueError(f"kata sandi minimal {MIN_PASSWORD} karakter")
    if len(password) > MAKS_PASSWORD:
        raise ValueError(f"kata sandi maksimal {MAKS_PASSWORD} karakter")


def siapkan(db=None) -> str:
    """The normalised URL of the app database, its schema brought up to date."""
    url = appdb.normalise_url(db)
    appdb.upgrade(url)
    return url


def _cabut(s, akun_id: int, alasan: str) -> int:
    res = s.execute(update(Sesi).where(Sesi.akun_id == akun_id, Sesi.dicabut.is_(None))
                    .values(dicabut=appdb.utcnow(), alasan_cabut=alasan))
    return res.rowcount or 0


def add_account(db, username: str, password: str, role: str, scope: str | None = None,
                nama: str | None = None) -> None:
    """Create or replace an account (the password is stored hashed only). Replacing one ends its sessions."""
    scope = scope.strip().upper() if scope else None
    if role == "ditjenpas":
        scope = None
    _validasi(username, role, scope)
    _validasi_sandi(password)
    url = siapkan(db)
    h = generate_password_hash(password, method=HASH_METHOD)
    with session_scope(url) as s:
        row = s.scalar(select(AkunRow).where(AkunRow.username == kunci_nama(username)))
        if row is None:
            s.add(AkunRow(username=kunci_nama(username), nama=nama, role=role, scope=scope, password_hash=h,
                          aktif=True))
        else:
            row.role, row.scope, row.password_hash, row.aktif, row.diubah = role, scope, h, True, appdb.utcnow()
            if nama is not None:
                row.nama = nama
            s.flush()
            _cabut(s, row.id, "akun_diganti")


def _ambil(s, username: str) -> AkunRow:
    row = s.scalar(select(AkunRow).where(AkunRow.username == kunci_nama(username)))
    if row is None:
        raise AkunTidakAda(f"akun {username!r} tidak ada")
    return row


def list_accounts(db=None) -> list[dict]:
    """Every account with its role, scope, state and number of live sessions (no hashes)."""
    url = siapkan(db)
    now = appdb.utcnow()
    with session_scope(url) as s:
        out = []
        for row in s.scalars(select(AkunRow).order_by(AkunRow.username)):
            n = len(s.scalars(select(Sesi.id).where(Sesi.akun_id == row.id, Sesi.dicabut.is_(None),
                                                    Sesi.kedaluwarsa > now)).all())
            out.append({"username": row.username, "role": row.role, "scope": row.scope, "nama": row.nama,
                        "aktif": bool(row.aktif), "sesi_aktif": n})
        return out


def disable_account(db, username: str) -> int:
    """Disable an account and end its sessions; returns the number of sessions ended."""
    with session_scope(siapkan(db)) as s:
        row = _ambil(s, username)
        row.aktif, row.diubah = False, appdb.utcnow()
        return _cabut(s, row.id, "akun_dinonaktifkan")


def enable_account(db, username: str) -> None:
    with session_scope(siapkan(db)) as s:
        row = _ambil(s, username)
        row.aktif, row.diubah = True, appdb.utcnow()


def reset_password(db, username: str, password: str) -> int:
    """Set a new password and end every session of the account; returns the number ended."""
    _validasi_sandi(password)
    h = generate_password_hash(password, method=HASH_METHOD)
    with session_scope(siapkan(db)) as s:
        row = _ambil(s, username)
        row.password_hash, row.diubah = h, appdb.utcnow()
        return _cabut(s, row.id, "sandi_diganti")


def revoke_sessions(db, username: str) -> int:
    """End every session of the account (it must log in again); returns the number ended."""
    with session_scope(siapkan(db)) as s:
        return _cabut(s, _ambil(s, username).id, "dicabut_operator")


def any_account(db=None) -> bool:
    with session_scope(siapkan(db)) as s:
        return s.scalar(select(AkunRow.id).limit(1)) is not None


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


def ensure_demo_accounts(db=None, warehouse_path: Path | str | None = None) -> dict[str, dict] | None:
    """Create demo accounts (ditjenpas, one Kanwil, one UPT of the data) if the database has no account.

    Returns ``{username: {"password", "role", "scope"}}`` for the caller to show once, or None
    when accounts already exist (nothing is changed then). Prints nothing itself.
    """
    if any_account(db):
        return None
    kanwil, upt = _contoh_cakupan(warehouse_path)
    akun = {
        "ditjenpas": {"role": "ditjenpas", "scope": None},
        f"kanwil_{kanwil.lower()}": {"role": "kanwil", "scope": kanwil},
        f"upt_{upt.lower()}": {"role": "upt", "scope": upt},
    }
    for username, a in akun.items():
        a["password"] = secrets.token_urlsafe(12)
        add_account(db, username, a["password"], a["role"], a["scope"], nama=f"Akun demo {a['role']}")
    return akun


def import_json(db, path: Path | str) -> int:
    """Import the accounts of a pre-database ``accounts.json`` (hashes kept as they are); returns how many."""
    import json

    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict):
        raise ValueError(f"{path}: format akun tidak dikenal (harus {{\"accounts\": {{...}}}})")
    n = 0
    with session_scope(siapkan(db)) as s:
        for username, rec in data["accounts"].items():
            role, scope = rec.get("role"), rec.get("scope")
            _validasi(username, role, scope)
            if not str(rec.get("password_hash", "")).startswith(("scrypt:", "pbkdf2:")):
                raise ValueError(f"{path}: akun {username} tanpa hash kata sandi")
            row = s.scalar(select(AkunRow).where(AkunRow.username == kunci_nama(username)))
            if row is None:
                s.add(AkunRow(username=kunci_nama(username), nama=rec.get("nama"), role=role, scope=scope,
                              password_hash=rec["password_hash"], aktif=True))
                n += 1
    return n


# ---------------------------------------------------------------------- reading accounts
class DaftarAkun:
    """The accounts of the app database (read on every call: every worker sees operators' changes)."""

    def __init__(self, db=None):
        self.url = siapkan(db)

    def get(self, username: str) -> Akun | None:
        """The account if it exists and is enabled."""
        with session_scope(self.url) as s:
            row = s.scalar(select(AkunRow).where(AkunRow.username == kunci_nama(username)))
            return _akun(row) if row is not None and row.aktif and row.role in PERAN else None

    def ada(self) -> bool:
        with session_scope(self.url) as s:
            return s.scalar(select(AkunRow.id).limit(1)) is not None

    def periksa(self, username: str, password: str) -> Akun | None:
        """The account if the password matches and it is enabled, else None (constant work otherwise)."""
        password = password or ""
        row = None
        if nama_sah(username) and len(password) <= MAKS_PASSWORD:
            with session_scope(self.url) as s:
                row = s.scalar(select(AkunRow).where(AkunRow.username == kunci_nama(username)))
        if row is None or not row.password_hash:
            check_password_hash(_DUMMY_HASH, password[:MAKS_PASSWORD])
            return None
        if not check_password_hash(row.password_hash, password):
            return None
        return _akun(row) if row.aktif and row.role in PERAN else None


# ---------------------------------------------------------------------- sessions
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class DaftarSesi:
    """Server-side sessions: create on login, look up on every request, revoke."""

    def __init__(self, db=None, jam: float = SESI_JAM, waktu: Callable[[], dt.datetime] = appdb.utcnow):
        self.url, self.umur, self.waktu = siapkan(db), dt.timedelta(hours=jam), waktu

    def buat(self, username: str, ip: str | None = None) -> str:
        """A new session of this account; returns the token for the cookie (stored only hashed)."""
        token = secrets.token_urlsafe(32)
        now = self.waktu()
        with session_scope(self.url) as s:
            row = _ambil(s, username)
            s.add(Sesi(id=_hash_token(token), akun_id=row.id, dibuat=now, kedaluwarsa=now + self.umur,
                       ip=(ip or "")[:64] or None))
        return token

    def muat(self, token: str | None) -> tuple[Akun, dt.datetime] | None:
        """(account, absolute expiry) of a live session: not revoked, not expired, account enabled."""
        if not token or len(token) > 128:
            return None
        with session_scope(self.url) as s:
            hit = s.execute(select(Sesi, AkunRow).join(AkunRow, AkunRow.id == Sesi.akun_id)
                            .where(Sesi.id == _hash_token(token))).first()
            if hit is None:
                return None
            sesi, row = hit
            if sesi.dicabut is not None or sesi.kedaluwarsa <= self.waktu() or not row.aktif or row.role not in PERAN:
                return None
            return _akun(row), sesi.kedaluwarsa

    def cabut(self, token: str | None, alasan: str = "keluar") -> None:
        if not token:
            return
        with session_scope(self.url) as s:
            s.execute(update(Sesi).where(Sesi.id == _hash_token(token), Sesi.dicabut.is_(None))
                      .values(dicabut=self.waktu(), alasan_cabut=alasan))

    def bersihkan(self, umur_hari: int = 30) -> int:
        """Delete sessions that ended more than ``umur_hari`` days ago."""
        batas = self.waktu() - dt.timedelta(days=umur_hari)
        with session_scope(self.url) as s:
            return s.execute(delete(Sesi).where(Sesi.kedaluwarsa < batas)).rowcount or 0


# ---------------------------------------------------------------------- lockout
class PembatasLogin:
    """Locks a username for one client address after MAKS_GAGAL wrong passwords from that address
    within JENDELA_DETIK, for KUNCI_DETIK. The attempts are rows of the app database, so every
    worker process counts the same attempts."""

    def __init__(self, db=None, maks_gagal: int = MAKS_GAGAL, jendela: float = JENDELA_DETIK,
                 kunci: float = KUNCI_DETIK, jam: Callable[[], float] = time.time):
        self.url = siapkan(db)
        self.maks_gagal, self.jendela, self.kunci, self.jam = maks_gagal, jendela, kunci, jam

    def _waktu(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.jam(), dt.timezone.utc).replace(tzinfo=None)

    def sisa_kunci(self, username: str, ip: str | None = None) -> float:
        """Seconds left on the lock of this username for this address (0 if not locked)."""
        now = self._waktu()
        awal = now - dt.timedelta(seconds=self.jendela + self.kunci)
        with session_scope(self.url) as s:
            rows = s.execute(select(PercobaanLogin.waktu, PercobaanLogin.berhasil)
                             .where(PercobaanLogin.username == kunci_percobaan(username),
                                    PercobaanLogin.ip == _ip(ip) if ip else PercobaanLogin.ip.is_(None),
                                    PercobaanLogin.waktu > awal)
                             .order_by(PercobaanLogin.waktu, PercobaanLogin.id)).all()
        gagal: list[dt.datetime] = []
        sampai: dt.datetime | None = None
        for waktu, berhasil in rows:
            if sampai is not None and waktu < sampai:
                continue  # attempts during a lock are not counted (they are refused before the check)
            if berhasil:
                gagal, sampai = [], None
                continue
            gagal = [t for t in gagal if (waktu - t).total_seconds() < self.jendela] + [waktu]
            if len(gagal) >= self.maks_gagal:
                sampai, gagal = waktu + dt.timedelta(seconds=self.kunci), []
        if sampai is None:
            return 0.0
        return max(0.0, (sampai - now).total_seconds())

    def _catat(self, username: str, ip: str | None, berhasil: bool) -> None:
        with session_scope(self.url) as s:
            s.add(PercobaanLogin(waktu=self._waktu(), username=kunci_percobaan(username), ip=_ip(ip),
                                 berhasil=berhasil))

    def catat_gagal(self, username: str, ip: str | None = None) -> bool:
        """Record a wrong password; True if this failure locks the username for this address."""
        self._catat(username, ip, False)
        return self.sisa_kunci(username, ip) > 0

    def catat_berhasil(self, username: str, ip: str | None = None) -> None:
        self._catat(username, ip, True)


def kunci_percobaan(username: str | None) -> str:
    """What the attempts table stores for a typed username: the SHA-256 of its case-insensitive
    form, never the text itself (a password typed into the name field must not be stored)."""
    return hashlib.sha256(kunci_nama(username).encode("utf-8")).hexdigest()


def _ip(ip: str | None) -> str | None:
    return (ip or "")[:64] or None
