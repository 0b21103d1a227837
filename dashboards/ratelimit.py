"""A ``limits`` storage on the app database, so Flask-Limiter's counters are shared by every
gunicorn worker without another service (``limits`` itself offers Redis, Memcached, MongoDB and
etcd, not SQL). Registered as the scheme ``appdb://``; the database URL comes in the storage
option ``url``. A Redis URL (``MONEV_RATELIMIT_STORAGE=redis://...``) works as well.

Fixed-window counters: one row per key (``batas_laju``), incremented with one atomic
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite >= 3.35 and PostgreSQL), so
concurrent workers never lose a hit.
"""

from __future__ import annotations

import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from dashboards import appdb
from dashboards.appdb import BatasLaju


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported app databases
        raise ValueError(f"rate-limit storage: database {dialect} is not supported (SQLite or PostgreSQL)")
    return insert


class AppDbStorage(Storage):
    STORAGE_SCHEME = ["appdb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.url = appdb.normalise_url(options.get("url") or None)
        appdb.upgrade(self.url)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        eng = appdb.engine_for(self.url)
        insert = _insert(eng.dialect.name)
        t = BatasLaju.__table__
        stmt = insert(t).values(kunci=key[:255], jumlah=amount, berakhir=now + expiry)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.kunci],
            set_={"jumlah": case((t.c.berakhir <= now, amount), else_=t.c.jumlah + amount),
                  "berakhir": case((t.c.berakhir <= now, now + expiry), else_=t.c.berakhir)},
        ).returning(t.c.jumlah)
        with eng.begin() as con:
            return int(con.execute(stmt).scalar_one())

    def get(self, key: str) -> int:
        with appdb.engine_for(self.url).connect() as con:
            row = con.execute(select(BatasLaju.jumlah, BatasLaju.berakhir).where(BatasLaju.kunci == key[:255])).first()
        return int(row[0]) if row and row[1] > time.time() else 0

    def get_expiry(self, key: str) -> float:
        with appdb.engine_for(self.url).connect() as con:
            row = con.execute(select(BatasLaju.berakhir).where(BatasLaju.kunci == key[:255])).first()
        return float(row[0]) if row and row[0] > time.time() else time.time()

    def check(self) -> bool:
        try:
            with appdb.engine_for(self.url).connect() as con:
                con.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with appdb.engine_for(self.url).begin() as con:
            return con.execute(delete(BatasLaju)).rowcount

    def clear(self, key: str) -> None:
        with appdb.engine_for(self.url).begin() as con:
            con.execute(delete(BatasLaju).where(BatasLaju.kunci == key[:255]))

    def bersihkan(self) -> int:
        """Delete counters whose window has ended."""
        with appdb.engine_for(self.url).begin() as con:
            return con.execute(delete(BatasLaju).where(BatasLaju.berakhir <= time.time())).rowcount
