"""The follow-up register (rencana tindak lanjut, RTL) of the monev cycle, in the application database.

A Kanwil or Ditjenpas user opens a follow-up on a finding (``mart_temuan``) they can see: what will
be done, who is responsible, the due date. The UPT concerned (for a finding about a Kanwil: the
Kanwil) sees it and answers; the Kanwil (or Ditjenpas) closes it with a note. A follow-up not closed
by its due date is *terlambat*. Everything is scoped like the figures (Ditjenpas: all; Kanwil: its
own and its UPTs'; UPT: its own) and every change is written to the audit log. No Dash here: the
page (dashboards/pages/tindak_lanjut.py) and the report call these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Date, DateTime, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from dashboards import appdb
from dashboards.appdb import Base, session_scope
from dashboards.data import Gudang, Pengguna, Pilihan

TERBUKA, DIJAWAB, DITUTUP = "TERBUKA", "DIJAWAB", "DITUTUP"
LABEL_STATUS = {TERBUKA: "Terbuka", DIJAWAB: "Dijawab UPT", DITUTUP: "Ditutup"}
MAKS_TEKS, MAKS_NAMA = 4000, 200


class TindakLanjut(Base):
    __tablename__ = "tindak_lanjut"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temuan_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    periode: Mapped[str] = mapped_column(String(8), nullable=False)
    aturan: Mapped[str] = mapped_column(String(40), nullable=False)
    level: Mapped[str] = mapped_column(String(8), nullable=False)
    kode: Mapped[str] = mapped_column(String(40), nullable=False)
    kode_kanwil: Mapped[str] = mapped_column(String(40), nullable=False)
    kode_upt: Mapped[str | None] = mapped_column(String(40))
    uraian_temuan: Mapped[str] = mapped_column(Text, nullable=False)  # the finding as it read when opened
    tindakan: Mapped[str] = mapped_column(Text, nullable=False)
    penanggung_jawab: Mapped[str] = mapped_column(String(200), nullable=False)
    tenggat: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=TERBUKA)
    dibuka_oleh: Mapped[str] = mapped_column(String(64), nullable=False)
    dibuka_pada: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=appdb.utcnow)
    jawaban: Mapped[str | None] = mapped_column(Text)
    dijawab_oleh: Mapped[str | None] = mapped_column(String(64))
    dijawab_pada: Mapped[dt.datetime | None] = mapped_column(DateTime)
    catatan_tutup: Mapped[str | None] = mapped_column(Text)
    ditutup_oleh: Mapped[str | None] = mapped_column(String(64))
    ditutup_pada: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Ditolak(Exception):
    """A follow-up action refused: one Indonesian sentence for the user."""


@dataclass
class Register:
    """The register on one app database (URL or SQLite path; None = MONEV_DB_URL / data/app.db)."""

    db: str | None = None
    audit: object | None = None  # dashboards.audit.AuditLog

    def __post_init__(self):
        self.url = appdb.normalise_url(self.db)
        appdb.upgrade(self.url)

    # ------------------------------------------------------------------ helpers
    def _catat(self, event: str, p: Pengguna, **detail) -> None:
        if self.audit is not None:
            self.audit.tulis(event, p.username, None, **detail)

    @staticmethod
    def _teks(nilai, nama: str, maks: int = MAKS_TEKS) -> str:
        t = " ".join(str(nilai or "").split()) if nama != "tindakan" else str(nilai or "").strip()
        if not t:
            raise Ditolak(f"Isian {nama} wajib diisi.")
        if len(t) > maks:
            raise Ditolak(f"Isian {nama} terlalu panjang (paling banyak {maks} karakter).")
        return t

    @staticmethod
    def _cakupan(q, p: Pengguna):
        if p.role == "kanwil":
            return q.where(TindakLanjut.kode_kanwil == p.scope)
        if p.role == "upt":
            return q.where(TindakLanjut.kode_upt == p.scope)
        return q

    def _ambil(self, s, p: Pengguna, id_: int) -> TindakLanjut:
        row = s.scalars(self._cakupan(select(TindakLanjut).where(TindakLanjut.id == int(id_)), p)).first()
        if row is None:
            raise Ditolak(f"Tindak lanjut #{id_} tidak ada atau di luar cakupan akun ini.")
        return row

    # ------------------------------------------------------------------ actions
    def buka(self, gudang: Gudang, p: Pengguna, temuan_id: str, periode: str, tindakan: str, penanggung_jawab: str,
             tenggat: dt.date | str, hari_ini: dt.date | None = None) -> int:
        """Open a follow-up on a finding the user can see; returns its number."""
        if p.role not in ("ditjenpas", "kanwil"):
            raise Ditolak("Tindak lanjut hanya dapat dibuka oleh akun Kanwil atau Ditjenpas.")
        from dashboards.temuan import nama_unit, uraian  # dash-free helpers of the panel module

        df = gudang.temuan(p, Pilihan(periode=periode), periode)
        cocok = df[df.temuan_id == temuan_id] if not df.empty else df
        if cocok.empty:
            raise Ditolak("Temuan tersebut tidak ada pada periode ini atau di luar cakupan akun ini.")
        r = cocok.iloc[0].to_dict()
        try:
            tenggat = tenggat if isinstance(tenggat, dt.date) else dt.date.fromisoformat(str(tenggat)[:10])
        except ValueError:
            raise Ditolak("Tenggat harus berupa tanggal (TTTT-BB-HH).") from None
        if tenggat < (hari_ini or dt.date.today()):
            raise Ditolak("Tenggat tidak boleh sebelum hari ini.")
        row = TindakLanjut(
            temuan_id=temuan_id, periode=periode, aturan=r["aturan"], level=r["level"], kode=r["kode"],
            kode_kanwil=r["kode_kanwil"], kode_upt=r.get("kode_upt") if r["level"] == "upt" else None,
            uraian_temuan=f"{nama_unit(r)}: {uraian(r)}"[:MAKS_TEKS],
            tindakan=self._teks(tindakan, "tindakan"), penanggung_jawab=self._teks(penanggung_jawab, "penanggung jawab",
                                                                                 MAKS_NAMA),
            tenggat=tenggat, status=TERBUKA, dibuka_oleh=p.username, dibuka_pada=appdb.utcnow())
        with session_scope(self.url) as s:
            s.add(row)
            s.flush()
            id_ = row.id
        self._catat("rtl_buka", p, id=id_, temuan_id=temuan_id, periode=periode, kode=r["kode"], tenggat=str(tenggat))
        return id_

    def jawab(self, p: Pengguna, id_: int, jawaban: str) -> None:
        """The unit concerned answers (a UPT for a UPT finding, the Kanwil for a Kanwil finding)."""
        teks = self._teks(jawaban, "jawaban")
        with session_scope(self.url) as s:
            row = self._ambil(s, p, id_)
            boleh = (p.role == "upt" and row.kode_upt == p.scope) or (
                p.role == "kanwil" and row.level == "kanwil" and row.kode_kanwil == p.scope)
            if not boleh:
                raise Ditolak("Jawaban tindak lanjut diberikan oleh unit yang bersangkutan (UPT, atau Kanwil untuk "
                              "temuan tingkat Kanwil).")
            if row.status == DITUTUP:
                raise Ditolak(f"Tindak lanjut #{id_} sudah ditutup.")
            row.jawaban, row.dijawab_oleh, row.dijawab_pada, row.status = teks, p.username, appdb.utcnow(), DIJAWAB
        self._catat("rtl_jawab", p, id=int(id_))

    def tutup(self, p: Pengguna, id_: int, catatan: str) -> None:
        """The Kanwil (or Ditjenpas) closes a follow-up with a note."""
        teks = self._teks(catatan, "catatan penutupan")
        if p.role not in ("ditjenpas", "kanwil"):
            raise Ditolak("Tindak lanjut hanya dapat ditutup oleh akun Kanwil atau Ditjenpas.")
        with session_scope(self.url) as s:
            row = self._ambil(s, p, id_)
            if row.status == DITUTUP:
                raise Ditolak(f"Tindak lanjut #{id_} sudah ditutup.")
            row.catatan_tutup, row.ditutup_oleh, row.ditutup_pada, row.status = teks, p.username, appdb.utcnow(), DITUTUP
        self._catat("rtl_tutup", p, id=int(id_))

    # ------------------------------------------------------------------ reading
    def daftar(self, p: Pengguna, kanwil: str | None = None, upt: str | None = None, sampai_periode: str | None = None,
               hari_ini: dt.date | None = None) -> pd.DataFrame:
        """The follow-ups in the user's scope (optionally of one Kanwil / UPT and of findings up to a
        period), newest first, with ``terlambat`` (not closed and past its due date)."""
        q = self._cakupan(select(TindakLanjut), p)
        if kanwil:
            q = q.where(TindakLanjut.kode_kanwil == kanwil)
        if upt:
            q = q.where(or_(TindakLanjut.kode_upt == upt))
        if sampai_periode:
            q = q.where(TindakLanjut.periode <= sampai_periode)
        with session_scope(self.url) as s:
            rows = s.scalars(q.order_by(TindakLanjut.id.desc())).all()
            data = [{c.name: getattr(r, c.name) for c in TindakLanjut.__table__.columns} for r in rows]
        kolom = [c.name for c in TindakLanjut.__table__.columns]
        df = pd.DataFrame(data, columns=kolom)
        hari = hari_ini or dt.date.today()
        df["terlambat"] = [st != DITUTUP and t < hari for st, t in zip(df.status, df.tenggat)] if len(df) else []
        return df


def tabel_laporan(df: pd.DataFrame, hari_ini: dt.date | None = None) -> pd.DataFrame:
    """The follow-ups as the report lists them (open and closed)."""
    kolom = ["No", "Periode temuan", "Temuan", "Tindakan", "Penanggung jawab", "Tenggat", "Status", "Terlambat",
             "Jawaban", "Catatan penutupan"]
    if df is None or df.empty:
        return pd.DataFrame(columns=kolom)
    from dashboards import fmt

    return pd.DataFrame([{
        "No": int(r["id"]), "Periode temuan": fmt.label_periode(r["periode"]), "Temuan": r["uraian_temuan"],
        "Tindakan": r["tindakan"], "Penanggung jawab": r["penanggung_jawab"], "Tenggat": r["tenggat"],
        "Status": LABEL_STATUS.get(r["status"], r["status"]), "Terlambat": "Ya" if r["terlambat"] else "Tidak",
        "Jawaban": r["jawaban"] or "", "Catatan penutupan": r["catatan_tutup"] or "",
    } for r in df.sort_values("id").to_dict("records")], columns=kolom)
