"""The dashboards' only data-access module.

- Reads only the published warehouse (docs/DESIGN.md, "Published warehouse"), never staging.
- Opens it the safe way (docs STACK_NOTES): ``duckdb.connect(':memory:')`` then
  ``ATTACH path AS srv (READ_ONLY)``; reopened when the file's inode/mtime/size changes,
  because publication swaps in a new file with ``os.replace``.
- Every public function takes the current user (:class:`Pengguna`) and filters in SQL with
  bound parameters: role ``ditjenpas`` sees everything, ``kanwil`` only the UPTs of its
  Kanwil (and that Kanwil's aggregate), ``upt`` only itself. Asking explicitly for a Kanwil
  or UPT outside the scope raises :class:`TidakBerwenang`; the scope clause is also part of
  every query, so a forgotten check still returns nothing rather than someone else's data.
- Values come from SQL text written here with ``?`` placeholders only; identifiers that vary
  (indicator columns, dimensions) are checked against fixed whitelists first.
- Query results are cached per publication: a published file never changes (a load publishes a
  new file), so the result of one SQL text with one set of parameters (the user's scope among
  them) is the same until the next publication, when the whole cache is dropped. The cache is
  bounded in bytes (``MONEV_DASH_CACHE_MB``, default 256) and least recently used results go first.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pandas as pd

from dashboards.indikator import KOLOM_KPI, hari_setor_sql, rasio_sql

PERAN = ("ditjenpas", "kanwil", "upt")
DIMENSI_RINCIAN = ("bidang", "subbidang", "kelas_industri", "kanal", "satuan")
JENIS_LAPORAN = ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")

# Tables (and the columns this module relies on) of the published warehouse.
SKEMA: dict[str, tuple[str, ...]] = {
    "dim_upt": ("kode_upt", "nama_upt", "jenis_upt", "kelas", "kode_kanwil", "nama_kanwil", "provinsi",
                "kapasitas", "kelompok_sejawat"),
    "dim_kanwil": ("kode_kanwil", "nama_kanwil", "provinsi", "jumlah_upt", "kapasitas"),
    "dim_periode": ("periode", "jenis_periode", "tahun", "tanggal_awal", "tanggal_akhir", "jumlah_bulan"),
    "kpi_indikator": ("level", "kode", "periode", "jenis_periode", *KOLOM_KPI),
    "kpi_kelompok": ("level", "kode", "jenis_upt", "kelas", "periode", "jenis_periode", "jumlah_upt", "kapasitas",
                     *KOLOM_KPI),
    "kpi_rincian": ("level", "kode", "periode", "dimensi", "nilai", "pendapatan", "produksi_unit",
                    "lolos_qc_unit", "qc_pass_rate"),
    "kpi_rincian_kelompok": ("level", "kode", "jenis_upt", "kelas", "periode", "dimensi", "nilai", "pendapatan",
                             "produksi_unit", "lolos_qc_unit", "qc_pass_rate"),
    "kpi_revisi": ("level", "kode", "periode", "indikator", "nilai_awal", "diterbitkan_awal", "nilai_terkini",
                   "diterbitkan_terkini"),
    "dim_kegiatan": ("kode_upt", "kode_kegiatan", "nama_kegiatan", "jenis_kegiatan", "bidang", "subbidang",
                     "tanggal_mulai", "tanggal_selesai", "tahap", "anggaran_rab", "realisasi_anggaran"),
    "mart_upt_bulanan": ("kode_upt", "bulan", "populasi_akhir", "pendapatan", "pnbp_disetor", "produksi_unit",
                         "lolos_qc_unit", "jam_kerja", "upah"),
    "mart_penjualan_ringkas": ("kode_upt", "bulan", "kode_kegiatan", "kanal", "jenis_pembeli", "pendapatan",
                               "jumlah_transaksi"),
    "mart_produksi_ringkas": ("kode_upt", "bulan", "kode_kegiatan", "nama_produk", "standar_mutu",
                              "produksi_unit", "lolos_qc_unit", "biaya_bahan"),
    "mart_pnbp_bulanan": ("kode_upt", "bulan", "pendapatan", "pnbp_disetor", "selisih", "rata_hari_setor"),
    "mart_margin_kegiatan": ("kode_upt", "kode_kegiatan", "periode", "pendapatan", "biaya_bahan", "margin", "rasio_margin"),
    "mart_anggaran_kegiatan": ("kode_upt", "kode_kegiatan", "periode", "tahap", "tanggal_mulai", "tanggal_selesai",
                               "anggaran_rab", "realisasi_anggaran", "tingkat_realisasi_anggaran"),
    "mart_kelengkapan": ("kode_upt", "bulan", "kind", "status", "terlambat", "received_at", "rows_read",
                         "rows_quarantined"),
    # DESIGN.md names the row column `row_number`; accept `source_row` too (see karantina()).
    "mart_kualitas_upt": ("kode_upt", "periode", "file_diharapkan", "file_diterima_jatuh_tempo", "file_diterima",
                          "file_ditolak", "file_tidak_ada", "file_terlambat", "baris_dibaca", "baris_karantina",
                          "kelengkapan_laporan", "status_laporan"),
    "mart_kelengkapan_kanwil": ("kode_kanwil", "jenis_upt", "kelas", "bulan", "jumlah_upt", "file_diharapkan",
                                "file_diterima", "file_terlambat", "rasio_diterima"),
    "mart_karantina": ("file_id", "reason_code", "kode_upt", "kind", "bulan", "path", "reason"),
    "mart_file_ditolak": ("path", "kode_upt", "kind", "bulan", "reason_code", "reason", "received_at"),
    "meta_muatan": ("load_id", "started_at", "finished_at", "status"),
    "mart_temuan": ("temuan_id", "periode", "jenis_periode", "aturan", "kategori", "level", "kode", "kode_kanwil",
                    "kode_upt", "kode_kegiatan", "bidang", "indikator", "nilai", "pembanding", "peringkat",
                    "sementara"),
}


def _batas_cache() -> int:
    try:
        return max(0, int(float(os.environ.get("MONEV_DASH_CACHE_MB", "256")) * 1_000_000))
    except ValueError:
        return 256_000_000


class GudangTidakTersedia(Exception):
    """The published warehouse is missing, empty, unreadable or incomplete (message in Indonesian)."""


class TidakBerwenang(Exception):
    """The current user asked for data outside their scope (message in Indonesian)."""


@dataclass(frozen=True)
class Pengguna:
    """The signed-in user as the data layer sees it: a role and the scope it is bound to."""

    username: str
    role: str  # ditjenpas | kanwil | upt
    scope: str | None = None  # kode_kanwil for kanwil, kode_upt for upt, None for ditjenpas

    def __post_init__(self):
        if self.role not in PERAN:
            raise TidakBerwenang(f"Peran '{self.role}' tidak dikenal.")
        if self.role != "ditjenpas" and not self.scope:
            raise TidakBerwenang("Akun ini tidak memiliki cakupan wilayah/UPT.")


@dataclass(frozen=True)
class Pilihan:
    """The filters of a page (kept in the URL). ``None`` means "all within my scope"."""

    periode: str | None = None
    kanwil: str | None = None
    upt: str | None = None
    jenis_upt: str | None = None
    kelas: str | None = None
    bidang: str | None = None
    indikator: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class StatusGudang:
    ok: bool
    pesan: str
    dimuat: dt.datetime | None = None


def _bersih(x: Any) -> Any:
    """pandas missing values -> None (for Python-side use)."""
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return x


class Gudang:
    """Read-only access to one published warehouse file, scoped per user."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._sig: tuple | None = None
        self._status: StatusGudang | None = None
        self._kolom: dict[str, set[str]] = {}
        self._local = threading.local()  # per-request pin (see sematkan)
        # (publication signature, sql, params) -> result; see the module docstring.
        self._cache: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
        self._cache_bytes = 0
        self._cache_max = _batas_cache()
        self.cache_hits = 0
        self.cache_misses = 0

    # ------------------------------------------------------------------ one publication per request
    def sematkan(self) -> None:
        """Pin, for this thread, the publication its next query opens: every further query of the
        request reads that same file even if a load publishes a new one meanwhile (a page never mixes
        old and new figures). Called at the start of each HTTP request; :meth:`lepas` at its end."""
        self._local.aktif, self._local.con, self._local.sig = True, None, None

    def lepas(self) -> None:
        self._local.aktif, self._local.con, self._local.sig = False, None, None

    def kosongkan_cache(self) -> None:
        """Forget every cached result (benchmarks use it to measure the first view after a publication)."""
        with self._lock:
            self._cache.clear()
            self._cache_bytes = 0

    # ------------------------------------------------------------------ connection
    def _signature(self) -> tuple:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise GudangTidakTersedia(
                "Gudang data belum tersedia: belum ada muatan yang diterbitkan. "
                "Jalankan `monev load` lalu muat ulang halaman ini."
            ) from None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        return self._connection_sig()[0]

    def _connection_sig(self) -> tuple[duckdb.DuckDBPyConnection, tuple]:
        """The connection this request reads and the signature of the publication it has open."""
        pinned = getattr(self._local, "con", None)
        if pinned is not None:
            return pinned, self._local.sig
        sig = self._signature()
        if self._con is not None and sig == self._sig:
            return self._pin(self._con, sig), sig
        # A new publication: drop our reference to the old connection without closing it, since a
        # request that pinned it may still be reading; it closes when its last user lets go.
        self._con, self._sig = None, None
        con = duckdb.connect(":memory:")
        try:
            escaped = str(self.path).replace("'", "''")
            con.execute(f"ATTACH '{escaped}' AS srv (READ_ONLY)")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except duckdb.Error as exc:
            con.close()
            raise GudangTidakTersedia(
                "Gudang data tidak dapat dibuka (mungkin sedang diterbitkan ulang). Coba lagi sebentar lagi."
            ) from exc
        self._con, self._sig, self._status = con, sig, None
        self.kosongkan_cache()  # results of the previous publication are never served again
        return self._pin(con, sig), sig

    def _pin(self, con: duckdb.DuckDBPyConnection, sig: tuple) -> duckdb.DuckDBPyConnection:
        if getattr(self._local, "aktif", False):
            self._local.con, self._local.sig = con, sig
        return con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                try:
                    self._con.close()
                finally:
                    self._con = None
                    self._sig = None

    def _q(self, sql: str, params: Iterable[Any] = ()) -> pd.DataFrame:
        """Run one read query on this request's publication; a copy of a cached result if there is one.

        The lock covers only the connection and cache bookkeeping: the query itself runs on its own
        cursor, so requests served by different threads query in parallel (DuckDB releases the GIL).
        """
        params = list(params)
        with self._lock:
            con, sig = self._connection_sig()
            kunci = (sig, sql, tuple(params))
            try:
                hasil = self._cache.get(kunci)
            except TypeError:  # an unhashable parameter: not cacheable
                kunci, hasil = None, None
            if hasil is not None:
                self._cache.move_to_end(kunci)
                self.cache_hits += 1
                # pandas 3 copy-on-write: a shallow copy is enough for the caller to change its frame
                # (columns, values) without touching the cached one; tests/test_dashboard_cache.py.
                return hasil[0].copy(deep=False)
            cur = con.cursor()
        try:
            df = cur.execute(sql, params).df()
        except duckdb.CatalogException as exc:
            raise GudangTidakTersedia(
                "Struktur gudang data tidak lengkap (tabel atau kolom tidak ada). Hubungi tim data."
            ) from exc
        finally:
            cur.close()
        with self._lock:
            self.cache_misses += 1
            if kunci is not None and sig == self._sig:  # never cache for a publication already replaced
                self._simpan(kunci, df)
        return df

    def _simpan(self, kunci: tuple, df: pd.DataFrame) -> None:
        # Size: the arrays plus ~64 bytes per text cell (exact deep sizing costs more than the query).
        teks = sum(1 for t in df.dtypes if t == object or str(t).startswith(("str", "string")))
        ukuran = int(df.memory_usage(index=True, deep=False).sum()) + 64 * len(df) * teks + 256
        if ukuran > self._cache_max // 8:
            return
        self._cache[kunci] = (df.copy(deep=False), ukuran)
        self._cache_bytes += ukuran
        while self._cache_bytes > self._cache_max and self._cache:
            _, (_lama, ukuran_lama) = self._cache.popitem(last=False)
            self._cache_bytes -= ukuran_lama

    def status(self) -> StatusGudang:
        """Whether the warehouse can be shown; a friendly Indonesian message if not."""
        with self._lock:
            try:
                con = self._connection()
            except GudangTidakTersedia as exc:
                return StatusGudang(False, str(exc))
            if self._status is not None and con is self._con:
                return self._status
            ada = con.execute(
                "select table_name, column_name from information_schema.columns where table_catalog = 'srv'"
            ).fetchall()
            kolom: dict[str, set[str]] = {}
            for t, c in ada:
                kolom.setdefault(t, set()).add(c)
            self._kolom = kolom
            hilang = [t for t in SKEMA if t not in kolom]
            if hilang:
                st = StatusGudang(False, "Gudang data belum lengkap: tabel " + ", ".join(hilang) + " belum diterbitkan.")
            else:
                kurang = [f"{t}.{c}" for t, cols in SKEMA.items() for c in cols if c not in kolom[t]]
                if kurang:
                    st = StatusGudang(False, "Struktur gudang data tidak sesuai: kolom " + ", ".join(kurang[:5]) + " tidak ada.")
                elif not {"row_number", "source_row"} & kolom["mart_karantina"]:
                    st = StatusGudang(False, "Struktur gudang data tidak sesuai: kolom mart_karantina.row_number tidak ada.")
                elif con.execute("select count(*) from srv.kpi_indikator").fetchone()[0] == 0:
                    st = StatusGudang(False, "Gudang data masih kosong: belum ada indikator yang diterbitkan. "
                                             "Jalankan `monev load` lalu muat ulang halaman ini.")
                else:
                    row = con.execute("select max(finished_at) from srv.meta_muatan").fetchone()
                    st = StatusGudang(True, "OK", row[0] if row else None)
            if con is self._con:
                self._status = st
            return st

    def punya_kolom(self, tabel: str, kolom: str) -> bool:
        """Whether the published table has an (optional) column."""
        self.status()
        return kolom in self._kolom.get(tabel, set())

    # ------------------------------------------------------------------ scope helpers
    @staticmethod
    def _upt_dalam_cakupan(p: Pengguna) -> tuple[str, list]:
        """SQL condition on dim_upt (alias-free) restricting to the user's UPTs."""
        if p.role == "ditjenpas":
            return "true", []
        if p.role == "kanwil":
            return "kode_kanwil = ?", [p.scope]
        if p.role == "upt":
            return "kode_upt = ?", [p.scope]
        raise TidakBerwenang("Peran tidak dikenal.")

    def _subquery_upt(self, p: Pengguna, f: Pilihan | None = None) -> tuple[str, list]:
        """``(select kode_upt from srv.dim_upt where <scope> and <filters>)`` with its params."""
        cond, params = self._upt_dalam_cakupan(p)
        conds = [cond]
        if f is not None:
            for kolom, nilai in (("kode_kanwil", f.kanwil), ("kode_upt", f.upt), ("jenis_upt", f.jenis_upt), ("kelas", f.kelas)):
                if nilai:
                    conds.append(f"{kolom} = ?")
                    params.append(nilai)
        return "(select kode_upt from srv.dim_upt where " + " and ".join(conds) + ")", params

    def periksa_akses(self, p: Pengguna, f: Pilihan) -> None:
        """Raise :class:`TidakBerwenang` if the filters name a Kanwil or UPT outside the user's scope."""
        if f.kanwil:
            if p.role == "upt":
                ok = self._q("select 1 from srv.dim_upt where kode_upt = ? and kode_kanwil = ?", [p.scope, f.kanwil])
            else:
                cond, params = self._upt_dalam_cakupan(p)
                ok = self._q(f"select 1 from srv.dim_upt where kode_kanwil = ? and {cond} limit 1", [f.kanwil, *params])
            if ok.empty:
                raise TidakBerwenang(
                    f"Anda tidak berwenang melihat data Kanwil {f.kanwil} (atau Kanwil tersebut tidak ada)."
                )
        if f.upt:
            cond, params = self._upt_dalam_cakupan(p)
            ok = self._q(f"select 1 from srv.dim_upt where kode_upt = ? and {cond}", [f.upt, *params])
            if ok.empty:
                raise TidakBerwenang(f"Anda tidak berwenang melihat data UPT {f.upt} (atau UPT tersebut tidak ada).")

    def _level_dalam_cakupan(self, p: Pengguna, alias: str = "k") -> tuple[str, list]:
        """Condition on (level, kode) rows of kpi_* tables visible to the user."""
        if p.role == "ditjenpas":
            return "true", []
        if p.role == "kanwil":
            return (
                f"(({alias}.level = 'kanwil' and {alias}.kode = ?) or ({alias}.level = 'upt' and {alias}.kode in "
                "(select kode_upt from srv.dim_upt where kode_kanwil = ?)))",
                [p.scope, p.scope],
            )
        return f"({alias}.level = 'upt' and {alias}.kode = ?)", [p.scope]

    def unit_analisis(self, p: Pengguna, f: Pilihan) -> tuple[str, str]:
        """The (level, kode) a page shows for these filters and this user."""
        if f.upt:
            return "upt", f.upt
        if p.role == "upt":
            return "upt", p.scope
        if f.kanwil:
            return "kanwil", f.kanwil
        if p.role == "kanwil":
            return "kanwil", p.scope
        return "nasional", "NASIONAL"

    # ------------------------------------------------------------------ reference lists
    def daftar_periode(self, p: Pengguna, jenis: str | None = None) -> pd.DataFrame:
        """Periods that have published indicators, newest first."""
        sql = ("select d.* from srv.dim_periode d where exists (select 1 from srv.kpi_indikator k where k.periode = d.periode)")
        params: list = []
        if jenis:
            sql += " and d.jenis_periode = ?"
            params.append(jenis)
        return self._q(sql + " order by d.tanggal_akhir desc, d.jumlah_bulan", params)

    def periode_terbaru(self, p: Pengguna) -> str | None:
        df = self.daftar_periode(p, "TRIWULAN")
        return None if df.empty else str(df.periode.iloc[0])

    def info_periode(self, p: Pengguna, periode: str) -> dict | None:
        df = self._q("select * from srv.dim_periode where periode = ?", [periode])
        return None if df.empty else {k: _bersih(v) for k, v in df.iloc[0].items()}

    def periode_pembanding(self, p: Pengguna, periode: str) -> dict[str, str | None]:
        """The previous period of the same kind and the same period one year earlier."""
        df = self._q(
            """
            with cur as (select * from srv.dim_periode where periode = ?)
            select
              (select d.periode from srv.dim_periode d, cur where d.jenis_periode = cur.jenis_periode
                 and d.tanggal_akhir = cur.tanggal_awal - interval 1 day) as sebelumnya,
              (select d.periode from srv.dim_periode d, cur where d.jenis_periode = cur.jenis_periode
                 and d.tanggal_awal = cur.tanggal_awal - interval 1 year) as tahun_lalu
            """,
            [periode],
        )
        if df.empty:
            return {"sebelumnya": None, "tahun_lalu": None}
        return {"sebelumnya": _bersih(df.sebelumnya.iloc[0]), "tahun_lalu": _bersih(df.tahun_lalu.iloc[0])}

    def daftar_kanwil(self, p: Pengguna) -> pd.DataFrame:
        if p.role == "ditjenpas":
            return self._q("select * from srv.dim_kanwil order by kode_kanwil")
        cond, params = self._upt_dalam_cakupan(p)
        return self._q(
            f"select * from srv.dim_kanwil where kode_kanwil in (select kode_kanwil from srv.dim_upt where {cond}) order by kode_kanwil",
            params,
        )

    def daftar_upt(self, p: Pengguna, f: Pilihan | None = None) -> pd.DataFrame:
        f = f or Pilihan()
        sub, params = self._subquery_upt(p, replace(f, upt=None))
        return self._q(f"select * from srv.dim_upt where kode_upt in {sub} order by kode_kanwil, kode_upt", params)

    def daftar_nilai_upt(self, p: Pengguna, kolom: str) -> list[str]:
        """Distinct jenis_upt / kelas among the user's UPTs (filter options)."""
        if kolom not in ("jenis_upt", "kelas"):
            raise ValueError(kolom)
        cond, params = self._upt_dalam_cakupan(p)
        df = self._q(f"select distinct {kolom} as v from srv.dim_upt where {cond} order by 1", params)
        return [str(v) for v in df.v if v is not None]

    def daftar_bidang(self, p: Pengguna) -> list[str]:
        sub, params = self._subquery_upt(p)
        df = self._q(f"select distinct bidang from srv.dim_kegiatan where kode_upt in {sub} and bidang is not null order by 1", params)
        return list(df.bidang)

    def info_upt(self, p: Pengguna, kode_upt: str) -> dict:
        self.periksa_akses(p, Pilihan(upt=kode_upt))
        cond, params = self._upt_dalam_cakupan(p)
        df = self._q(f"select * from srv.dim_upt where kode_upt = ? and {cond}", [kode_upt, *params])
        if df.empty:
            raise TidakBerwenang(f"Anda tidak berwenang melihat data UPT {kode_upt}.")
        return {k: _bersih(v) for k, v in df.iloc[0].items()}

    # ------------------------------------------------------------------ indicators
    def sel_kpi(self, p: Pengguna, f: Pilihan, periode: str, kolom: Iterable[str]) -> dict:
        """The published cells of the unit the filters select for one period (kpi_indikator, or
        kpi_kelompok by type/class), as {column: value}; a column the publication lacks, or a period
        without a row, gives None. Cards show these cells, never a figure recomputed by the page."""
        kolom = list(kolom)
        tabel = "kpi_indikator" if (self.unit_analisis(p, f)[0] == "upt" or not (f.jenis_upt or f.kelas)) else "kpi_kelompok"
        ada = [k for k in kolom if self.punya_kolom(tabel, k)]
        df = self.indikator(p, f, [periode], kolom=ada) if ada else pd.DataFrame()
        baris = df.iloc[0].to_dict() if not df.empty else {}
        return {k: _bersih(baris.get(k)) for k in kolom}

    def indikator(self, p: Pengguna, f: Pilihan, periode: Iterable[str] | None = None,
                  jenis_periode: str | None = None, kolom: Iterable[str] | None = None) -> pd.DataFrame:
        """Indicators of the unit the filters select, one row per period.

        Without a UPT type/class filter these are the published rows of ``kpi_indikator``
        (level upt/kanwil/nasional). With one, the published peer-group rows of
        ``kpi_kelompok`` (the UPTs of that type/class in the Kanwil or nation, computed by dbt
        exactly as a Kanwil is).
        """
        self.periksa_akses(p, f)
        level, kode = self.unit_analisis(p, f)
        kolom = tuple(kolom) if kolom is not None else KOLOM_KPI
        periode = list(periode) if periode is not None else None
        per_cond, per_params = "true", []
        if periode is not None:
            if not periode:
                return pd.DataFrame(columns=["periode", *kolom])
            per_cond = "k.periode in (" + ",".join("?" * len(periode)) + ")"
            per_params = periode
        if jenis_periode:
            per_cond += " and k.jenis_periode = ?"
            per_params = [*per_params, jenis_periode]
        if level == "upt" or not (f.jenis_upt or f.kelas):
            scope_cond, scope_params = self._level_dalam_cakupan(p)
            return self._q(
                f"""select k.periode, k.jenis_periode, {", ".join("k." + c for c in kolom)}
                    from srv.kpi_indikator k join srv.dim_periode d on d.periode = k.periode
                    where k.level = ? and k.kode = ? and {per_cond} and {scope_cond}
                    order by d.tanggal_awal, d.jumlah_bulan""",
                [level, kode, *per_params, *scope_params],
            )
        # peer groups (UPT type / class) published by dbt (kpi_kelompok): no KPI arithmetic here
        scope_cond, scope_params = self._level_dalam_cakupan(p)
        return self._q(
            f"""select k.periode, k.jenis_periode, {", ".join("k." + c for c in kolom)}
                from srv.kpi_kelompok k join srv.dim_periode d on d.periode = k.periode
                where k.level = ? and k.kode = ? and k.jenis_upt = ? and k.kelas = ? and {per_cond}
                    and {scope_cond}
                order by d.tanggal_awal, d.jumlah_bulan""",
            [level, kode, f.jenis_upt or "*", f.kelas or "*", *per_params, *scope_params],
        )

    def cakupan(self, p: Pengguna, f: Pilihan, periode: str) -> dict:
        """Coverage and provisional status of the figures the filters select for one period
        (KPI_DICTIONARY v2): ``upt_melapor`` of ``upt_diharapkan`` UPTs reported, whether the
        period is ``sementara`` and why. Empty values when the publication predates them."""
        self.periksa_akses(p, f)
        level, kode = self.unit_analisis(p, f)
        out = {"level": level, "upt_melapor": None, "upt_diharapkan": None, "sementara": None, "alasan_sementara": None}
        if self.punya_kolom("kpi_indikator", "upt_melapor"):
            if level != "upt" and (f.jenis_upt or f.kelas) and self.punya_kolom("kpi_kelompok", "upt_melapor"):
                df = self._q("select upt_melapor, upt_diharapkan from srv.kpi_kelompok where level = ? and kode = ? "
                             "and jenis_upt = ? and kelas = ? and periode = ?",
                             [level, kode, f.jenis_upt or "*", f.kelas or "*", periode])
            else:
                df = self._q("select upt_melapor, upt_diharapkan from srv.kpi_indikator where level = ? and kode = ? "
                             "and periode = ?", [level, kode, periode])
            if not df.empty:
                out["upt_melapor"], out["upt_diharapkan"] = (_bersih(df.iloc[0].upt_melapor), _bersih(df.iloc[0].upt_diharapkan))
        if self.punya_kolom("dim_periode", "sementara"):
            df = self._q("select sementara, alasan_sementara from srv.dim_periode where periode = ?", [periode])
            if not df.empty:
                out["sementara"], out["alasan_sementara"] = _bersih(df.iloc[0].sementara), _bersih(df.iloc[0].alasan_sementara)
        return out

    def indikator_kanwil(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """One row per Kanwil in scope for one period (kpi_indikator rows, or kpi_kelompok rows by type/class)."""
        if p.role == "upt":
            raise TidakBerwenang("Akun UPT tidak berwenang melihat perbandingan Kanwil.")
        self.periksa_akses(p, replace(f, upt=None))
        kw_cond, kw_params = ("true", []) if p.role == "ditjenpas" else ("w.kode_kanwil = ?", [p.scope])
        if f.kanwil:
            kw_cond += " and w.kode_kanwil = ?"
            kw_params = [*kw_params, f.kanwil]
        if not (f.jenis_upt or f.kelas):
            return self._q(
                f"""select w.kode_kanwil, w.nama_kanwil, w.provinsi, w.jumlah_upt, w.kapasitas,
                           {", ".join("k." + c for c in KOLOM_KPI)}
                    from srv.kpi_indikator k join srv.dim_kanwil w on k.level = 'kanwil' and k.kode = w.kode_kanwil
                    where k.periode = ? and {kw_cond} order by w.kode_kanwil""",
                [periode, *kw_params],
            )
        # peer groups per Kanwil (UPT type / class) published by dbt (kpi_kelompok): no KPI arithmetic here
        return self._q(
            f"""select w.kode_kanwil, w.nama_kanwil, w.provinsi, k.jumlah_upt, k.kapasitas,
                       {", ".join("k." + c for c in KOLOM_KPI)}
                from srv.kpi_kelompok k join srv.dim_kanwil w on k.level = 'kanwil' and k.kode = w.kode_kanwil
                where k.periode = ? and k.jenis_upt = ? and k.kelas = ? and {kw_cond}
                order by w.kode_kanwil""",
            [periode, f.jenis_upt or "*", f.kelas or "*", *kw_params],
        )

    def indikator_upt(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """One row per UPT in scope (and filters, except ``upt``) for one period, with dim_upt and occupancy."""
        self.periksa_akses(p, f)
        sub, params = self._subquery_upt(p, replace(f, upt=None))
        return self._q(
            f"""select u.kode_upt, u.nama_upt, u.jenis_upt, u.kelas, u.kelompok_sejawat, u.kode_kanwil, u.nama_kanwil,
                       u.kapasitas,
                       case when coalesce(u.kapasitas, 0) = 0 then null
                            else cast(k.populasi_akhir as double) / u.kapasitas end as tingkat_hunian,
                       {", ".join("k." + c for c in KOLOM_KPI)}
                from srv.kpi_indikator k join srv.dim_upt u on k.level = 'upt' and k.kode = u.kode_upt
                where k.periode = ? and u.kode_upt in {sub}
                order by u.kode_upt""",
            [periode, *params],
        )

    def temuan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """Findings (mart_temuan) of one period within the user's scope and the filters' Kanwil / UPT.

        Ditjenpas: every finding; Kanwil: the findings about the Kanwil and its UPTs; UPT: its own.
        With ``f.upt`` only that UPT's findings; with ``f.kanwil`` that Kanwil's and its UPTs'."""
        self.periksa_akses(p, f)
        conds, params = ["t.periode = ?"], [periode]
        if p.role == "kanwil":
            conds.append("t.kode_kanwil = ?")
            params.append(p.scope)
        elif p.role == "upt":
            conds.append("t.level = 'upt' and t.kode_upt = ?")
            params.append(p.scope)
        if f.kanwil:
            conds.append("t.kode_kanwil = ?")
            params.append(f.kanwil)
        if f.upt:
            conds.append("t.level = 'upt' and t.kode_upt = ?")
            params.append(f.upt)
        return self._q(
            f"""select t.*, u.nama_upt, kw.nama_kanwil, g.nama_kegiatan
                from srv.mart_temuan t
                left join srv.dim_upt u on t.kode_upt = u.kode_upt
                left join srv.dim_kanwil kw on t.kode_kanwil = kw.kode_kanwil
                left join srv.dim_kegiatan g on t.kode_upt = g.kode_upt and t.kode_kegiatan = g.kode_kegiatan
                where {" and ".join(conds)}
                order by t.aturan, t.peringkat nulls last, t.kode, t.indikator""",
            params,
        )

    def rincian(self, p: Pengguna, f: Pilihan, periode: str, dimensi: str) -> pd.DataFrame:
        """Breakdown of the selected unit for one dimension, as published: kpi_rincian rows, or the peer
        group's kpi_rincian_kelompok rows (UPT type / class, computed by dbt exactly as a Kanwil is)."""
        if dimensi not in DIMENSI_RINCIAN:
            raise ValueError(f"dimensi tidak dikenal: {dimensi}")
        self.periksa_akses(p, f)
        level, kode = self.unit_analisis(p, f)
        scope_cond, scope_params = self._level_dalam_cakupan(p)
        if level == "upt" or not (f.jenis_upt or f.kelas):
            return self._q(
                f"""select k.nilai, k.pendapatan, k.produksi_unit, k.lolos_qc_unit, k.qc_pass_rate
                    from srv.kpi_rincian k
                    where k.level = ? and k.kode = ? and k.periode = ? and k.dimensi = ? and {scope_cond}
                    order by k.pendapatan desc nulls last, k.nilai""",
                [level, kode, periode, dimensi, *scope_params],
            )
        return self._q(
            f"""select k.nilai, k.pendapatan, k.produksi_unit, k.lolos_qc_unit, k.qc_pass_rate
                from srv.kpi_rincian_kelompok k
                where k.level = ? and k.kode = ? and k.jenis_upt = ? and k.kelas = ? and k.periode = ?
                    and k.dimensi = ? and {scope_cond}
                order by k.pendapatan desc nulls last, k.nilai""",
            [level, kode, f.jenis_upt or "*", f.kelas or "*", periode, dimensi, *scope_params],
        )

    def peta_subbidang(self, p: Pengguna) -> dict[str, str]:
        """subbidang -> bidang, from the programmes in scope."""
        sub, params = self._subquery_upt(p)
        df = self._q(
            f"select subbidang, any_value(bidang) as bidang from srv.dim_kegiatan where kode_upt in {sub} "
            "and subbidang is not null group by subbidang",
            params,
        )
        return dict(zip(df.subbidang, df.bidang))

    def revisi(self, p: Pengguna, f: Pilihan, periode: str | None = None, semua_unit: bool = False) -> pd.DataFrame:
        """kpi_revisi rows visible to the user: of the selected unit, or (semua_unit) of every unit in scope."""
        self.periksa_akses(p, f)
        scope_cond, scope_params = self._level_dalam_cakupan(p, "r")
        conds, params = [scope_cond], list(scope_params)
        if not semua_unit:
            level, kode = self.unit_analisis(p, f)
            conds.append("r.level = ? and r.kode = ?")
            params += [level, kode]
        if periode:
            conds.append("r.periode = ?")
            params.append(periode)
        return self._q(
            f"""select r.level, r.kode, coalesce(u.nama_upt, w.nama_kanwil, r.kode) as nama, r.periode, r.indikator,
                       r.nilai_awal, r.diterbitkan_awal, r.nilai_terkini, r.diterbitkan_terkini
                from srv.kpi_revisi r
                left join srv.dim_upt u on r.level = 'upt' and u.kode_upt = r.kode
                left join srv.dim_kanwil w on r.level = 'kanwil' and w.kode_kanwil = r.kode
                where {" and ".join(conds)}
                order by r.diterbitkan_terkini desc, r.level, r.kode, r.indikator""",
            params,
        )

    # ------------------------------------------------------------------ marts
    def _bulan_periode(self, periode: str, alias: str = "t") -> tuple[str, list]:
        return (
            f"{alias}.bulan between (select tanggal_awal from srv.dim_periode where periode = ?) "
            "and (select tanggal_akhir from srv.dim_periode where periode = ?)",
            [periode, periode],
        )

    def _unit_cond(self, p: Pengguna, f: Pilihan, alias: str = "t") -> tuple[str, list]:
        self.periksa_akses(p, f)
        sub, params = self._subquery_upt(p, f)
        return f"{alias}.kode_upt in {sub}", params

    def kegiatan(self, p: Pengguna, f: Pilihan) -> pd.DataFrame:
        """Programmes (latest version) of the UPTs selected, with their UPT name."""
        cond, params = self._unit_cond(p, f)
        conds = [cond]
        if f.bidang:
            conds.append("t.bidang = ?")
            params.append(f.bidang)
        return self._q(
            f"""select t.*, u.nama_upt from srv.dim_kegiatan t join srv.dim_upt u using (kode_upt)
                where {" and ".join(conds)} order by t.kode_upt, t.kode_kegiatan""",
            params,
        )

    def anggaran_kegiatan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """Programmes of the UPTs selected that run in the period, with budget, realisation and rate as
        at the end of the period (mart_anggaran_kegiatan); names from dim_kegiatan."""
        cond, params = self._unit_cond(p, f)
        return self._q(
            f"""select t.kode_upt, u.nama_upt, t.kode_kegiatan, g.nama_kegiatan, g.jenis_kegiatan, g.bidang, t.tahap,
                       t.tanggal_mulai, t.tanggal_selesai, t.anggaran_rab, t.realisasi_anggaran,
                       t.tingkat_realisasi_anggaran
                from srv.mart_anggaran_kegiatan t join srv.dim_upt u on u.kode_upt = t.kode_upt
                left join srv.dim_kegiatan g on g.kode_upt = t.kode_upt and g.kode_kegiatan = t.kode_kegiatan
                where t.periode = ? and {cond} order by t.kode_upt, t.kode_kegiatan""",
            [periode, *params],
        )

    def upt_bulanan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """The mart_upt_bulanan rows of one UPT (``f.upt``, or the UPT user's own), one row per month
        of the period, as published: a NULL measure is a month the UPT did not report (belum melapor)."""
        level, kode = self.unit_analisis(p, f)
        if level != "upt":
            raise ValueError("upt_bulanan membutuhkan satu UPT")
        cond, params = self._unit_cond(p, replace(f, upt=kode))
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.bulan, t.populasi_akhir, t.pendapatan, t.pnbp_disetor, t.produksi_unit, t.lolos_qc_unit,
                       t.jam_kerja, t.upah
                from srv.mart_upt_bulanan t where {cond} and {bcond} order by t.bulan""",
            [*params, *bparams],
        )

    def _bidang_cond(self, f: Pilihan, alias: str = "t") -> tuple[str, list]:
        if not f.bidang:
            return "true", []
        return (
            f"exists (select 1 from srv.dim_kegiatan g where g.kode_upt = {alias}.kode_upt "
            f"and g.kode_kegiatan = {alias}.kode_kegiatan and g.bidang = ?)",
            [f.bidang],
        )

    def penjualan_per_kanal(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        gcond, gparams = self._bidang_cond(f)
        return self._q(
            f"""select t.kanal, t.jenis_pembeli, sum(t.pendapatan) as pendapatan, sum(t.jumlah_transaksi) as jumlah_transaksi
                from srv.mart_penjualan_ringkas t where {cond} and {bcond} and {gcond}
                group by t.kanal, t.jenis_pembeli order by pendapatan desc""",
            [*params, *bparams, *gparams],
        )

    def qc_per_produk(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        gcond, gparams = self._bidang_cond(f)
        return self._q(
            f"""select t.nama_produk, t.standar_mutu, sum(t.produksi_unit) as produksi_unit,
                       sum(t.lolos_qc_unit) as lolos_qc_unit, sum(t.biaya_bahan) as biaya_bahan,
                       {rasio_sql("qc_pass_rate")} as qc_pass_rate
                from srv.mart_produksi_ringkas t where {cond} and {bcond} and {gcond}
                group by t.nama_produk, t.standar_mutu order by produksi_unit desc""",
            [*params, *bparams, *gparams],
        )

    def margin_kegiatan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        gcond, gparams = self._bidang_cond(f)
        return self._q(
            f"""select t.kode_upt, u.nama_upt, t.kode_kegiatan, g.nama_kegiatan, g.jenis_kegiatan, g.bidang, g.subbidang,
                       t.pendapatan, t.biaya_bahan, t.margin, t.rasio_margin
                from srv.mart_margin_kegiatan t
                join srv.dim_upt u on u.kode_upt = t.kode_upt
                left join srv.dim_kegiatan g on g.kode_upt = t.kode_upt and g.kode_kegiatan = t.kode_kegiatan
                where t.periode = ? and {cond} and {gcond}
                order by t.margin asc nulls last""",
            [periode, *params, *gparams],
        )

    def pnbp_per_bulan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.bulan, sum(t.pendapatan) as pendapatan, sum(t.pnbp_disetor) as pnbp_disetor,
                       sum(t.selisih) as selisih, {rasio_sql("rasio_setor_pnbp")} as rasio_setor_pnbp,
                       {hari_setor_sql()} as rata_hari_setor
                from srv.mart_pnbp_bulanan t where {cond} and {bcond} group by t.bulan order by t.bulan""",
            [*params, *bparams],
        )

    def rata_hari_setor(self, p: Pengguna, f: Pilihan, periode: str) -> float | None:
        """Deposit delay (days) over the units in scope and the months of the period, weighted by the
        amount deposited (the same weighting as mart_pnbp_bulanan within a month)."""
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        df = self._q(f"select {hari_setor_sql()} as hari from srv.mart_pnbp_bulanan t where {cond} and {bcond}",
                     [*params, *bparams])
        return None if df.empty else _bersih(df.iloc[0].hari)

    def pnbp_per_upt(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """Sales vs deposits per UPT over the period, largest gap first.

        ``rata_hari_setor`` over several months is weighted by the amount deposited.
        """
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        # the gross shortfall of the UPT for the period is the published kpi_indikator cell
        kurang = "max(k.pnbp_kurang_setor)" if self.punya_kolom("kpi_indikator", "pnbp_kurang_setor") else "null"
        return self._q(
            f"""select t.kode_upt, u.nama_upt, u.kode_kanwil, sum(t.pendapatan) as pendapatan,
                       sum(t.pnbp_disetor) as pnbp_disetor, {kurang} as pnbp_kurang_setor, sum(t.selisih) as selisih,
                       {rasio_sql("rasio_setor_pnbp")} as rasio_setor_pnbp,
                       {hari_setor_sql()} as rata_hari_setor
                from srv.mart_pnbp_bulanan t join srv.dim_upt u on u.kode_upt = t.kode_upt
                left join srv.kpi_indikator k on k.level = 'upt' and k.kode = t.kode_upt and k.periode = ?
                where {cond} and {bcond}
                group by t.kode_upt, u.nama_upt, u.kode_kanwil
                order by pnbp_kurang_setor desc nulls last, selisih desc nulls last""",
            [periode, *params, *bparams],
        )

    def kelengkapan(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.kode_upt, u.nama_upt, t.bulan, t.kind, t.status, t.terlambat, t.received_at,
                       t.rows_read, t.rows_quarantined, u.kode_kanwil, u.nama_kanwil
                from srv.mart_kelengkapan t join srv.dim_upt u on u.kode_upt = t.kode_upt
                where {cond} and {bcond} order by t.kode_upt, t.bulan, t.kind""",
            [*params, *bparams],
        )

    def kualitas_upt(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """mart_kualitas_upt of the period: one row per UPT in scope (completeness as kpi_indikator)."""
        cond, params = self._unit_cond(p, f)
        return self._q(
            f"""select t.kode_upt, u.nama_upt, t.file_diharapkan, t.file_diterima_jatuh_tempo, t.file_diterima,
                       t.file_ditolak, t.file_tidak_ada, t.file_terlambat, t.baris_dibaca, t.baris_karantina,
                       t.kelengkapan_laporan, t.status_laporan
                from srv.mart_kualitas_upt t join srv.dim_upt u on u.kode_upt = t.kode_upt
                where t.periode = ? and {cond} order by t.kode_upt""",
            [periode, *params],
        )

    def kelengkapan_kanwil(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        """mart_kelengkapan_kanwil rows of the months of the period, of the Kanwils in scope, for the UPT
        type / class filters."""
        self.periksa_akses(p, f)
        kw_cond, kw_params = ("true", []) if p.role == "ditjenpas" else (
            "t.kode_kanwil in (select kode_kanwil from srv.dim_upt where " + self._upt_dalam_cakupan(p)[0] + ")",
            self._upt_dalam_cakupan(p)[1])
        if f.kanwil:
            kw_cond += " and t.kode_kanwil = ?"
            kw_params = [*kw_params, f.kanwil]
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.kode_kanwil, w.nama_kanwil, t.bulan, t.jumlah_upt, t.file_diharapkan, t.file_diterima,
                       t.file_terlambat, t.rasio_diterima
                from srv.mart_kelengkapan_kanwil t join srv.dim_kanwil w on w.kode_kanwil = t.kode_kanwil
                where t.jenis_upt = ? and t.kelas = ? and {kw_cond} and {bcond} order by t.kode_kanwil, t.bulan""",
            [f.jenis_upt or "*", f.kelas or "*", *kw_params, *bparams],
        )

    def file_ditolak(self, p: Pengguna, f: Pilihan, periode: str | None) -> pd.DataFrame:
        """Rejected file versions of the scope counted in the period (docs/DECISIONS.md 50): one row per
        version (an identical re-send is a second rejection), in the period of ``bulan_periode`` (the
        file's reporting month, else the month before the month it was received), so a file is counted in exactly one
        period and the page's card, this table and mart_kualitas_upt.file_ditolak agree. Files whose
        UPT is unknown are national matters: ditjenpas only, and only with no unit filter."""
        self.periksa_akses(p, f)
        sub, params = self._subquery_upt(p, f)
        filtered = p.role != "ditjenpas" or any((f.kanwil, f.upt, f.jenis_upt, f.kelas))
        conds = [f"t.kode_upt in {sub}"] if filtered else ["true"]
        if not filtered:
            params = []
        if periode:
            # publications before DECISIONS 50 have no bulan_periode: the same rule, computed here
            bp = ("t.bulan_periode" if self.punya_kolom("mart_file_ditolak", "bulan_periode")
                  else "coalesce(t.bulan, cast(date_trunc('month', t.received_at) - interval 1 month as date))")
            conds.append(
                f"{bp} between (select tanggal_awal from srv.dim_periode where periode = ?) "
                "and (select tanggal_akhir from srv.dim_periode where periode = ?)"
            )
            params += [periode, periode]
        oleh = ", t.submitted_by" if self.punya_kolom("mart_file_ditolak", "submitted_by") else ""
        return self._q(
            f"""select t.received_at, t.path, t.kode_upt, t.kind, t.bulan, t.reason_code, t.reason{oleh}
                from srv.mart_file_ditolak t where {" and ".join(conds)}
                order by t.received_at desc nulls last""",
            params,
        )

    def file_masuk(self, p: Pengguna, f: Pilihan, periode: str, batas: int = 500) -> pd.DataFrame:
        """The latest registered file versions of the period in scope, with who submitted them
        (uploads through the app). Empty when the publication predates the column."""
        if not self.punya_kolom("fct_file_diterima", "submitted_by"):
            return pd.DataFrame(columns=["received_at", "path", "kode_upt", "kind", "bulan", "status", "submitted_by"])
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.received_at, t.path, t.kode_upt, t.kind, t.bulan,
                       case t.status when 'LOADED' then 'DITERIMA' when 'REJECTED' then 'DITOLAK'
                                     when 'IDENTICAL' then 'IDENTIK' else t.status end as status, t.rows_read,
                       t.rows_quarantined, t.submitted_by
                from srv.fct_file_diterima t where {cond} and {bcond}
                order by t.received_at desc nulls last, t.file_id desc limit {int(batas)}""",
            [*params, *bparams],
        )

    def karantina_ringkas(self, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.reason_code, t.kind, count(*) as jumlah_baris, count(distinct t.file_id) as jumlah_file
                from srv.mart_karantina t where {cond} and {bcond}
                group by t.reason_code, t.kind order by jumlah_baris desc""",
            [*params, *bparams],
        )

    def karantina(self, p: Pengguna, f: Pilihan, periode: str, batas: int = 1000) -> pd.DataFrame:
        cond, params = self._unit_cond(p, f)
        baris = "row_number" if self.punya_kolom("mart_karantina", "row_number") else "source_row"
        bcond, bparams = self._bulan_periode(periode)
        return self._q(
            f"""select t.kode_upt, t.kind, t.bulan, t.path, t.{baris} as row_number, t.reason_code, t.reason
                from srv.mart_karantina t where {cond} and {bcond}
                order by t.bulan desc, t.kode_upt, t.path, t.{baris} limit ?""",
            [*params, *bparams, int(batas)],
        )

    def muatan(self, p: Pengguna, batas: int = 10) -> pd.DataFrame:
        """Latest loads (freshness). Every role sees when and whether loads ran; file counts are national."""
        kolom = "load_id, started_at, finished_at, status"
        if p.role == "ditjenpas":
            kolom = "*"
        return self._q(f"select {kolom} from srv.meta_muatan order by started_at desc nulls last limit ?", [int(batas)])
