"""The application database: accounts, server-side sessions, login attempts, the audit log, rate-limit
counters, and the tables later features add (follow-up register, ...).

Contract (kept stable for other modules):

- ``Base``: the SQLAlchemy 2 declarative base every app table derives from.
- ``database_url()``: env ``MONEV_DB_URL``, else ``sqlite:///<project>/data/app.db``.
- ``engine_for(url=None)``: one engine per URL per process (``url`` may also be a filesystem path,
  meaning a SQLite file there).
- ``session_scope(url=None)``: a context manager yielding a Session, committing on success,
  rolling back on an exception.
- ``upgrade(url=None)``: bring the schema to the newest Alembic revision
  (dashboards/migrations/versions/); ``monev db upgrade`` and ``create_app`` call it. Concurrent
  callers (several gunicorn workers starting at once) are serialised: a file lock for SQLite, an
  advisory lock for PostgreSQL.

SQLite is the embedded default (``make demo`` needs nothing else); PostgreSQL is used by URL in
production (``postgresql+psycopg://user:pass@host/db``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, String, Text, create_engine, event, text)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_DIR / "data" / "app.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    """Timezone-naive UTC (stored the same way by SQLite and PostgreSQL ``timestamp``)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------------- tables of the login layer
class Akun(Base):
    """A dashboard account. ``username`` is stored lower-case: names compare case-insensitively."""

    __tablename__ = "akun"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    nama: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    scope: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    aktif: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    dibuat: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    diubah: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class Sesi(Base):
    """A login session. The cookie carries a random token; only its SHA-256 is stored here."""

    __tablename__ = "sesi"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    akun_id: Mapped[int] = mapped_column(ForeignKey("akun.id", ondelete="CASCADE"), nullable=False, index=True)
    dibuat: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    kedaluwarsa: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)  # absolute, never extended
    dicabut: Mapped[dt.datetime | None] = mapped_column(DateTime)
    alasan_cabut: Mapped[str | None] = mapped_column(String(40))
    ip: Mapped[str | None] = mapped_column(String(64))


class PercobaanLogin(Base):
    """One login attempt (for the lockout per username and client address, and for operators)."""

    __tablename__ = "percobaan_login"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    username: Mapped[str] = mapped_column(String(64), nullable=False)  # sha256 hex of the lower-case name
    ip: Mapped[str | None] = mapped_column(String(64))
    berhasil: Mapped[bool] = mapped_column(Boolean, nullable=False)
    __table_args__ = (Index("ix_percobaan_login_username_ip_waktu", "username", "ip", "waktu"),
                      Index("ix_percobaan_login_ip_waktu", "ip", "waktu"))


class CatatanAudit(Base):
    """The audit log: logins, logouts, downloads, refused access, account changes."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    username: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON object


class BatasLaju(Base):
    """Fixed-window rate-limit counters shared by every worker (the Flask-Limiter storage)."""

    __tablename__ = "batas_laju"
    kunci: Mapped[str] = mapped_column(String(255), primary_key=True)
    jumlah: Mapped[int] = mapped_column(Integer, nullable=False)
    berakhir: Mapped[float] = mapped_column(nullable=False)  # epoch seconds


# ---------------------------------------------------------------------- engines and sessions
def database_url() -> str:
    """env MONEV_DB_URL, else the SQLite file data/app.db beside the warehouse's data folder."""
    return os.environ.get("MONEV_DB_URL") or f"sqlite:///{DEFAULT_DB}"


def normalise_url(url: str | os.PathLike | None = None) -> str:
    """A URL as given, a filesystem path as a SQLite URL, None as :func:`database_url`."""
    if url is None or str(url) == "":
        return database_url()
    s = str(url)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).resolve()}"


_engines: dict[tuple[int, str], Engine] = {}
_makers: dict[tuple[int, str], sessionmaker] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (several workers)
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def engine_for(url: str | os.PathLike | None = None) -> Engine:
    """The engine of this database URL in this process (created once; a fork gets its own)."""
    u = normalise_url(url)
    key = (os.getpid(), u)
    with _lock:
        eng = _engines.get(key)
        if eng is None:
            if u.startswith("sqlite"):
                path = u.split(":///", 1)[1] if ":///" in u else ""
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                eng = create_engine(u, connect_args={"timeout": 10, "check_same_thread": False})
                event.listen(eng, "connect", _sqlite_pragmas)
            else:
                eng = create_engine(u, pool_pre_ping=True, pool_size=5, max_overflow=5)
            _engines[key] = eng
            _makers[key] = sessionmaker(eng, expire_on_commit=False)
        return eng


@contextmanager
def session_scope(url: str | os.PathLike | None = None) -> Iterator[Session]:
    """A Session on the app database, committed on success, rolled back on an exception."""
    engine_for(url)
    maker = _makers[(os.getpid(), normalise_url(url))]
    s = maker()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        s.close()


def alembic_config(url: str | os.PathLike | None = None):
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["url"] = normalise_url(url)
    return cfg


_upgraded: set[tuple[int, str]] = set()


def upgrade(url: str | os.PathLike | None = None, revision: str = "head") -> None:
    """Apply the Alembic migrations up to ``revision`` (serialised across processes)."""
    from alembic import command

    u = normalise_url(url)
    if revision == "head" and (os.getpid(), u) in _upgraded:
        return
    cfg = alembic_config(u)
    eng = engine_for(u)
    if u.startswith("sqlite"):
        path = u.split(":///", 1)[1] if ":///" in u else ""
        lock_path = (path + ".lock") if path and path != ":memory:" else None
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600) if lock_path else None
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            with eng.begin() as con:
                cfg.attributes["connection"] = con
                command.upgrade(cfg, revision)
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        if path and path != ":memory:":
            os.chmod(path, 0o600)  # password hashes and sessions: readable by the owner only
    else:
        with eng.begin() as con:
            if eng.dialect.name == "postgresql":
                con.execute(text("select pg_advisory_xact_lock(726173)"))  # one migrator at a time
            cfg.attributes["connection"] = con
            command.upgrade(cfg, revision)
    if revision == "head":
        _upgraded.add((os.getpid(), u))


def current_revision(url: str | os.PathLike | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine_for(url).connect() as con:
        return MigrationContext.configure(con).get_current_revision()
