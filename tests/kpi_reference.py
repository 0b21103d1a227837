"""A plain-pandas reference implementation of KPI_DICTIONARY.md, independent of the dbt SQL.

Given a DuckDB connection to a working warehouse (raw / meta / ref layers of docs/DESIGN.md),
compute the indicators of one period at one level, to compare with the published marts.

    compute_kpis(con, periode, level, tanggal_terbit=None)
        -> level, kode, periode + dictionary columns (version 2)
    compute_breakdown(con, periode, level, dimensi)
        -> level, kode, periode, dimensi, nilai, pendapatan, produksi_unit, lolos_qc_unit, qc_pass_rate
    provisional(con, periode, tanggal_terbit=None) -> (sementara, reasons)

periode: '2024Q3', '2024S2' or '2024'; level: 'upt', 'kanwil' or 'nasional'; dimensi: 'bidang',
'subbidang', 'kelas_industri', 'kanal' or 'satuan'. A NULL (empty, "belum melapor") figure is NaN /
<NA>. tanggal_terbit is the publication ("as of") date, default today (UTC).

Version 2 of the dictionary, as written there ("Who reported", "Provisional and final figures"):
- a UPT reported for P when one of its files for a month of P was accepted; otherwise every
  indicator is empty except the file counts (0) and coverage;
- within a reporting UPT an indicator is empty when no file of the kind it needs was accepted for a
  month of P (narapidana; narapidana+peserta; peserta; produksi; penjualan; pnbp; both; kegiatan);
- higher levels: counts and sums over the UPTs whose value is not empty (empty when none is); a rate
  from the sums of numerator and denominator over the UPTs where both are not empty;
- a month is expected once its deadline (the 10th of the next month) has passed at tanggal_terbit;
- budgets "as at the end of P": the latest version among files of months up to P's last month;
- pnbp_kurang_setor: per UPT and month, max(0, sales - deposits for that month), summed.

Written from the dictionary text plus the choices documented in dbt/README.md where the
dictionary is silent:
- only rows of current file versions count (meta.file_registry.is_current);
- inmates, programmes, participations: latest version = row of the file with the latest bulan,
  then the latest received_at, then the highest file_id; every inmate record ever reported counts
  with its latest attributes;
- sales: latest version per (kode_upt, no_transaksi); deposits: latest version per ntpn; batches:
  every current row (no_batch is unique only within UPT and month);
- "months in P" = calendar months of P; kelengkapan at kanwil / nasional divides by
  6 x months x number of UPTs of the level in the master;
- levels are built from the UPT master: a UPT outside the master is not counted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import cache

import pandas as pd

KPI_COLUMNS: tuple[str, ...] = (
    "populasi_akhir", "eligible_pelatihan", "partisipan_pelatihan", "tingkat_partisipasi_pelatihan",
    "eligible_produksi", "partisipan_produksi", "tingkat_partisipasi_produksi",
    "peserta_tidak_memenuhi_syarat", "masuk", "litmas_tepat_waktu", "kepatuhan_litmas_h7",
    "produksi_unit", "lolos_qc_unit", "qc_pass_rate", "pendapatan", "pendapatan_internal",
    "pendapatan_eksternal", "pnbp_disetor", "rasio_setor_pnbp", "pelatihan_selesai",
    "pelatihan_bersertifikat", "tingkat_sertifikasi", "jam_kerja", "upah", "anggaran_rab",
    "realisasi_anggaran", "tingkat_realisasi_anggaran", "file_diterima", "kelengkapan_laporan",
    "baris_dibaca", "baris_karantina", "pnbp_kurang_setor", "upt_diharapkan", "upt_melapor",
    "cakupan_upt", "status_laporan",
)

# rate -> (numerator, denominator)
RATES: dict[str, tuple[str, str]] = {
    "tingkat_partisipasi_pelatihan": ("partisipan_pelatihan", "eligible_pelatihan"),
    "tingkat_partisipasi_produksi": ("partisipan_produksi", "eligible_produksi"),
    "kepatuhan_litmas_h7": ("litmas_tepat_waktu", "masuk"),
    "qc_pass_rate": ("lolos_qc_unit", "produksi_unit"),
    "rasio_setor_pnbp": ("pnbp_disetor", "pendapatan"),
    "tingkat_sertifikasi": ("pelatihan_bersertifikat", "pelatihan_selesai"),
    "tingkat_realisasi_anggaran": ("realisasi_anggaran", "anggaran_rab"),
    "kelengkapan_laporan": ("file_jatuh_tempo", "file_diharapkan"),
    "cakupan_upt": ("upt_melapor", "upt_diharapkan"),
}
CODES: tuple[str, ...] = ("status_laporan",)
ADDITIVE: tuple[str, ...] = tuple(c for c in KPI_COLUMNS if c not in RATES and c not in CODES) + (
    "file_diharapkan", "file_jatuh_tempo")
AMOUNTS: tuple[str, ...] = ("produksi_unit", "lolos_qc_unit", "pendapatan", "pendapatan_internal",
                            "pendapatan_eksternal", "pnbp_disetor", "jam_kerja", "upah", "anggaran_rab",
                            "realisasi_anggaran", "pnbp_kurang_setor")
# the kinds of file each indicator is computed from (KPI_DICTIONARY "Who reported")
NEEDS: dict[str, tuple[str, ...]] = {
    **{c: ("narapidana",) for c in ("populasi_akhir", "eligible_pelatihan", "eligible_produksi", "masuk",
                                    "litmas_tepat_waktu")},
    **{c: ("narapidana", "peserta") for c in ("partisipan_pelatihan", "partisipan_produksi",
                                              "peserta_tidak_memenuhi_syarat")},
    **{c: ("peserta",) for c in ("pelatihan_selesai", "pelatihan_bersertifikat", "jam_kerja", "upah")},
    **{c: ("produksi",) for c in ("produksi_unit", "lolos_qc_unit")},
    **{c: ("penjualan",) for c in ("pendapatan", "pendapatan_internal", "pendapatan_eksternal")},
    "pnbp_disetor": ("pnbp",),
    "pnbp_kurang_setor": ("penjualan", "pnbp"),
    "anggaran_rab": ("kegiatan",),
    "realisasi_anggaran": ("kegiatan",),
}
COUNTS: tuple[str, ...] = tuple(c for c in ADDITIVE if c not in AMOUNTS)
LEVELS = ("upt", "kanwil", "nasional")
DIMENSIONS = ("bidang", "subbidang", "kelas_industri", "kanal", "satuan")
DEADLINE_DAY = 10  # a month's files are due by the 10th of the following month


# ---------------------------------------------------------------- periods
def period_bounds(periode: str) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """First day, last day e and number of calendar months of a period label."""
    m = re.fullmatch(r"(\d{4})(?:([QS])([1-4]))?", periode)
    if not m:
        raise ValueError(f"bad period {periode!r}")
    year = int(m.group(1))
    if m.group(2) == "Q":
        n = int(m.group(3))
        start, months = date(year, 3 * n - 2, 1), 3
    elif m.group(2) == "S":
        n = int(m.group(3))
        if n > 2:
            raise ValueError(f"bad period {periode!r}")
        start, months = date(year, 1 if n == 1 else 7, 1), 6
    else:
        start, months = date(year, 1, 1), 12
    end_month = start.month + months  # first month after P
    nxt = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return pd.Timestamp(start), pd.Timestamp(nxt - timedelta(days=1)), months


def _months(s: pd.Timestamp, e: pd.Timestamp) -> list[pd.Timestamp]:
    return list(pd.date_range(s, e, freq="MS"))


def _deadline(month: pd.Timestamp) -> pd.Timestamp:
    """The 10th of the month after `month`."""
    return month + pd.DateOffset(months=1) + pd.Timedelta(days=DEADLINE_DAY - 1)


def _as_of(tanggal_terbit) -> pd.Timestamp:
    if tanggal_terbit is None:
        return pd.Timestamp(datetime.now(timezone.utc).date())
    return pd.Timestamp(tanggal_terbit)


def due_months(periode: str, tanggal_terbit=None) -> int:
    """Months of P whose deadline has passed at the publication date."""
    s, e, _ = period_bounds(periode)
    t = _as_of(tanggal_terbit)
    return sum(1 for m in _months(s, e) if _deadline(m) < t)


# ---------------------------------------------------------------- loading
def _df(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _dates(df: pd.DataFrame, cols) -> pd.DataFrame:
    for c in cols:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c])
    return df


class _Warehouse:
    """The working warehouse as DataFrames: current rows and latest versions."""

    def __init__(self, con):
        reg = _dates(_df(con, "select * from meta.file_registry"), ["bulan", "received_at"])
        self.registry = reg
        cur = reg[(reg["is_current"].fillna(False).astype(bool)) & (reg["status"] == "LOADED")]
        self.current_files = cur
        received = cur[["file_id", "received_at"]].rename(columns={"file_id": "_file_id"})
        date_cols = ["bulan", "tanggal_masuk", "tanggal_keluar", "tanggal_litmas", "tanggal_mulai",
                     "tanggal_selesai", "tanggal", "tanggal_setor", "periode_penjualan"]
        self.rows: dict[str, pd.DataFrame] = {}
        for kind in ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp"):
            df = _dates(_df(con, f"select * from raw.{kind}"), date_cols)
            df = df.merge(received, on="_file_id", how="inner")  # current versions only
            self.rows[kind] = df
        self.upt = _df(con, "select kode_upt, kode_kanwil from ref.upt")
        units = _df(con, "select satuan_asal, satuan from ref.satuan")
        self.units = {str(a).strip().lower(): b for a, b in zip(units["satuan_asal"], units["satuan"])}

    @staticmethod
    def latest(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
        ordered = df.sort_values(["bulan", "received_at", "_file_id"], ascending=False, kind="mergesort")
        return ordered.drop_duplicates(subset=key, keep="first").reset_index(drop=True)

    @cache
    def inmates(self):
        return self.latest(self.rows["narapidana"], ["kode_upt", "no_registrasi"])

    @cache
    def programmes(self):
        return self.latest(self.rows["kegiatan"], ["kode_upt", "kode_kegiatan"])

    @cache
    def participations(self):
        p = self.latest(self.rows["peserta"], ["kode_upt", "no_registrasi", "kode_kegiatan", "tanggal_mulai"])
        k = self.programmes()[["kode_upt", "kode_kegiatan", "jenis_kegiatan", "bidang", "subbidang"]]
        return p.merge(k, on=["kode_upt", "kode_kegiatan"], how="left")

    @cache
    def sales(self):
        return self.latest(self.rows["penjualan"], ["kode_upt", "no_transaksi"])

    @cache
    def deposits(self):
        return self.latest(self.rows["pnbp"], ["ntpn"])


_CACHE: dict = {}


def _fingerprint(con) -> tuple:
    counts = ", ".join(f"(select count(*) from raw.{k})" for k in
                       ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp"))
    return tuple(con.execute(
        "select count(*), max(file_id), sum(case when is_current then file_id else 0 end), "
        f"(select count(*) from ref.upt), {counts} from meta.file_registry").fetchone())


def _warehouse(con) -> _Warehouse:
    """Load the warehouse once per connection and content (the loads are the slow part)."""
    key = (id(con), _fingerprint(con))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _Warehouse(con)
    return _CACHE[key]


# ---------------------------------------------------------------- building blocks
def _present(n: pd.DataFrame, d) -> pd.Series:
    return (n["tanggal_masuk"] <= d) & (n["tanggal_keluar"].isna() | (n["tanggal_keluar"] > d))


def _served(n: pd.DataFrame, d) -> pd.Series:
    return (d - n["tanggal_masuk"]).dt.days


def _litmas_says(n: pd.DataFrame, kind: str, d) -> pd.Series:
    return (n["tanggal_litmas"].notna() & (n["tanggal_litmas"] <= d)
            & n["rekomendasi_litmas"].isin([kind, "PELATIHAN_PRODUKSI"]))


def _eligible(n: pd.DataFrame, kind: str, d) -> pd.Series:
    factor = 3 if kind == "PELATIHAN" else 2
    return _present(n, d) & (_litmas_says(n, kind, d) | (factor * _served(n, d) >= n["lama_pidana_hari"]))


def _overlaps(start: pd.Series, end: pd.Series, s, e) -> pd.Series:
    return (start <= e) & (end.isna() | (end >= s))


def _in(col: pd.Series, s, e) -> pd.Series:
    return (col >= s) & (col <= e)


def _count_by_upt(mask: pd.Series, df: pd.DataFrame) -> pd.Series:
    return df.loc[mask.fillna(False).astype(bool)].groupby("kode_upt").size()


def _sum_by_upt(df: pd.DataFrame, mask, col: str) -> pd.Series:
    sub = df.loc[mask.fillna(False).astype(bool)] if mask is not None else df
    return sub.groupby("kode_upt")[col].apply(lambda x: float(pd.to_numeric(x).fillna(0).sum()))


# ---------------------------------------------------------------- indicators
def _upt_figures(w: _Warehouse, periode: str, tanggal_terbit=None) -> pd.DataFrame:
    """Additive figures per UPT of the master (index kode_upt)."""
    s, e, months = period_bounds(periode)
    out = pd.DataFrame(index=pd.Index(w.upt["kode_upt"], name="kode_upt"))

    n = w.inmates()
    elig_pel = _eligible(n, "PELATIHAN", e)
    elig_prod = _eligible(n, "PRODUKSI", e)
    p = w.participations()
    overlapping = p[_overlaps(p["tanggal_mulai"], p["tanggal_selesai"], s, e)]
    keys = list(zip(n["kode_upt"], n["no_registrasi"]))

    def has_kind(kind):
        sub = overlapping[overlapping["jenis_kegiatan"] == kind]
        pairs = set(zip(sub["kode_upt"], sub["no_registrasi"]))
        return pd.Series([k in pairs for k in keys], index=n.index, dtype=bool)

    out["populasi_akhir"] = _count_by_upt(_present(n, e), n)
    out["eligible_pelatihan"] = _count_by_upt(elig_pel, n)
    out["partisipan_pelatihan"] = _count_by_upt(elig_pel & has_kind("PELATIHAN"), n)
    out["eligible_produksi"] = _count_by_upt(elig_prod, n)
    out["partisipan_produksi"] = _count_by_upt(elig_prod & has_kind("PRODUKSI"), n)

    # participations starting in P, inmate not eligible for the programme's kind on tanggal_mulai
    starting = p[_in(p["tanggal_mulai"], s, e)].copy()
    m = starting.merge(n.drop(columns=["tanggal_mulai"], errors="ignore"), on=["kode_upt", "no_registrasi"],
                       how="left", suffixes=("", "_n"))
    ok = pd.Series(False, index=m.index)
    for kind in ("PELATIHAN", "PRODUKSI"):
        factor = 3 if kind == "PELATIHAN" else 2
        d = m["tanggal_mulai"]
        present = (m["tanggal_masuk"] <= d) & (m["tanggal_keluar"].isna() | (m["tanggal_keluar"] > d))
        litmas = (m["tanggal_litmas"].notna() & (m["tanggal_litmas"] <= d)
                  & m["rekomendasi_litmas"].isin([kind, "PELATIHAN_PRODUKSI"]))
        served = (d - m["tanggal_masuk"]).dt.days
        elig = present & (litmas | (factor * served >= m["lama_pidana_hari"]))
        ok = ok | ((m["jenis_kegiatan"] == kind) & elig.fillna(False).astype(bool))
    out["peserta_tidak_memenuhi_syarat"] = _count_by_upt(~ok, m)

    admitted = _in(n["tanggal_masuk"], s, e)
    on_time = admitted & n["tanggal_litmas"].notna() & ((n["tanggal_litmas"] - n["tanggal_masuk"]).dt.days <= 7)
    out["masuk"] = _count_by_upt(admitted, n)
    out["litmas_tepat_waktu"] = _count_by_upt(on_time, n)

    b = w.rows["produksi"]
    in_p = _in(b["tanggal"], s, e)
    out["produksi_unit"] = _sum_by_upt(b, in_p, "jumlah_produksi")
    out["lolos_qc_unit"] = _sum_by_upt(b, in_p, "jumlah_lolos_qc")

    sa = w.sales()
    in_p = _in(sa["tanggal"], s, e)
    out["pendapatan"] = _sum_by_upt(sa, in_p, "total")
    out["pendapatan_internal"] = _sum_by_upt(sa, in_p & (sa["jenis_pembeli"] == "INTERNAL"), "total")
    out["pendapatan_eksternal"] = _sum_by_upt(sa, in_p & (sa["jenis_pembeli"] == "EKSTERNAL"), "total")

    dp = w.deposits()
    out["pnbp_disetor"] = _sum_by_upt(dp, _in(dp["periode_penjualan"], s, e), "jumlah_setor")

    done = (p["jenis_kegiatan"] == "PELATIHAN") & (p["status"] == "SELESAI") & _in(p["tanggal_selesai"], s, e)
    cert = p["no_sertifikat"].notna() & (p["no_sertifikat"].astype("string").str.len() > 0)
    out["pelatihan_selesai"] = _count_by_upt(done, p)
    out["pelatihan_bersertifikat"] = _count_by_upt(done & cert, p)

    rows = w.rows["peserta"]
    in_p = _in(rows["bulan"], s, e)
    out["jam_kerja"] = _sum_by_upt(rows, in_p, "jam_kerja")
    out["upah"] = _sum_by_upt(rows, in_p, "upah")

    # budgets as at the end of P: per programme the latest version among files of months <= e
    kr = w.rows["kegiatan"]
    k = w.latest(kr[kr["bulan"] <= e], ["kode_upt", "kode_kegiatan"])
    run = _overlaps(k["tanggal_mulai"], k["tanggal_selesai"], s, e)
    out["anggaran_rab"] = _sum_by_upt(k, run, "anggaran_rab")
    out["realisasi_anggaran"] = _sum_by_upt(k, run, "realisasi_anggaran")

    # gross PNBP shortfall, month by month per UPT
    sa_m = sa.assign(m=sa["tanggal"].dt.to_period("M")).groupby(["kode_upt", "m"])["total"].apply(
        lambda x: float(pd.to_numeric(x).fillna(0).sum()))
    dp_m = dp.assign(m=dp["periode_penjualan"].dt.to_period("M")).groupby(["kode_upt", "m"])["jumlah_setor"].apply(
        lambda x: float(pd.to_numeric(x).fillna(0).sum()))
    months_p = {pd.Period(m, "M") for m in _months(s, e)}
    gap = pd.concat([sa_m.rename("sales"), dp_m.rename("dep")], axis=1).fillna(0.0)
    gap = gap[[m in months_p for m in gap.index.get_level_values("m")]]
    gap["short"] = (gap["sales"] - gap["dep"]).clip(lower=0)
    out["pnbp_kurang_setor"] = gap.groupby(level="kode_upt")["short"].sum()

    f = w.current_files[_in(w.current_files["bulan"], s, e)]
    out["file_diterima"] = f.drop_duplicates(["kode_upt", "kind", "bulan"]).groupby("kode_upt").size()
    last_due = [m for m in _months(s, e) if _deadline(m) < _as_of(tanggal_terbit)]
    f_due = f[f["bulan"].isin(last_due)]
    out["file_jatuh_tempo"] = f_due.drop_duplicates(["kode_upt", "kind", "bulan"]).groupby("kode_upt").size()
    out["baris_dibaca"] = f.groupby("kode_upt")["rows_read"].sum()
    out["baris_karantina"] = f.groupby("kode_upt")["rows_quarantined"].sum()
    out["file_diharapkan"] = 6 * len(last_due)
    out["upt_diharapkan"] = 1

    out = out.reindex(columns=list(ADDITIVE)).fillna(0)
    out["upt_melapor"] = (out["file_diterima"] > 0).astype(int)
    # "Who reported": empty where the kind of file an indicator needs has no accepted file in P
    kinds_sent = f.groupby("kode_upt")["kind"].apply(set)
    for col, kinds in NEEDS.items():
        has = pd.Series([set(kinds) <= kinds_sent.get(u, set()) for u in out.index], index=out.index)
        out[col] = out[col].where(has)
    out["status_laporan"] = [
        "BELUM_MELAPOR" if r.file_diterima == 0 else "LENGKAP" if r.file_jatuh_tempo >= r.file_diharapkan
        else "SEBAGIAN" for r in out.itertuples()]
    return out


def _rate(num, den):
    return float(num) / float(den) if den else float("nan")


def _finish(df: pd.DataFrame, level: str, periode: str) -> pd.DataFrame:
    df = df.copy()
    for c in COUNTS:
        df[c] = df[c].astype("Int64")
    for c in AMOUNTS:
        df[c] = df[c].astype("float64")
    for rate in RATES:
        df[rate] = [_rate(a, b) if a == a and b == b else float("nan")
                    for a, b in zip(df[f"n_{rate}"], df[f"d_{rate}"])]
    if "status_laporan" not in df.columns:
        df["status_laporan"] = None
    df.insert(0, "periode", periode)
    df.insert(0, "level", level)
    return df[["level", "kode", "periode", *KPI_COLUMNS]].reset_index(drop=True)


def _with_rate_parts(df: pd.DataFrame) -> pd.DataFrame:
    """Numerator and denominator of each rate, kept only where both are not empty."""
    df = df.copy()
    for rate, (num, den) in RATES.items():
        both = df[num].notna() & df[den].notna()
        df[f"n_{rate}"] = df[num].where(both)
        df[f"d_{rate}"] = df[den].where(both)
    return df


def _roll_up(upt_df: pd.DataFrame, w: _Warehouse, level: str, value_cols, extra_keys=()) -> pd.DataFrame:
    """upt_df has a kode_upt column; returns rows with a kode column at the level (sums of non-empty values)."""
    if level == "upt":
        return upt_df.rename(columns={"kode_upt": "kode"})
    df = upt_df.merge(w.upt, on="kode_upt", how="inner")
    if level == "kanwil":
        df["kode"] = df["kode_kanwil"]
    elif level == "nasional":
        df["kode"] = "NASIONAL"
    else:
        raise ValueError(f"bad level {level!r}")
    return df.groupby(["kode", *extra_keys], as_index=False)[list(value_cols)].sum(min_count=1)


def compute_kpis(con, periode: str, level: str, tanggal_terbit=None) -> pd.DataFrame:
    """kpi_indikator of one period at one level (one row per UPT / Kanwil of the master, or NASIONAL)."""
    w = _warehouse(con)
    upt = _with_rate_parts(_upt_figures(w, periode, tanggal_terbit)).reset_index()
    parts = [f"{x}_{r}" for r in RATES for x in ("n", "d")]
    rolled = _roll_up(upt, w, level, [*ADDITIVE, *parts])
    if level != "upt":
        rolled["status_laporan"] = None
    return _finish(rolled, level, periode).sort_values("kode").reset_index(drop=True)


def compute_group(con, periode: str, level: str, jenis_upt: str, kelas: str, tanggal_terbit=None) -> pd.DataFrame:
    """kpi_kelompok: the indicators of the master UPTs of one type and/or class ('*' = any), per Kanwil
    (level 'kanwil') or nationally, computed like a Kanwil from the UPT figures."""
    w = _warehouse(con)
    upt = _with_rate_parts(_upt_figures(w, periode, tanggal_terbit)).reset_index()
    master = con.execute("select kode_upt, jenis_upt, kelas from ref.upt").df()
    keep = master[((master["jenis_upt"] == jenis_upt) | (jenis_upt == "*")) & ((master["kelas"] == kelas) | (kelas == "*"))]
    upt = upt[upt["kode_upt"].isin(set(keep["kode_upt"]))]
    parts = [f"{x}_{r}" for r in RATES for x in ("n", "d")]
    rolled = _roll_up(upt, w, level, [*ADDITIVE, *parts])
    rolled["status_laporan"] = None
    return _finish(rolled, level, periode).sort_values("kode").reset_index(drop=True)


def provisional(con, periode: str, tanggal_terbit=None) -> tuple[bool, list[str]]:
    """KPI_DICTIONARY "Provisional and final figures", with the reading of dbt/README.md: provisional
    while the period ends after the last month of the data, while its last month is the last month of
    the data (that month's deposits arrive with the next month's files), or until the deadline of its
    last month plus one month for deposits has passed. Returns (sementara, reason codes)."""
    w = _warehouse(con)
    _, e, _ = period_bounds(periode)
    loaded = w.registry[w.registry["status"] == "LOADED"]
    last_data = loaded["bulan"].max()
    last_month = pd.Timestamp(e.year, e.month, 1)
    reasons = []
    if last_month > last_data:
        reasons.append("BELUM_BERAKHIR")
    elif last_month == last_data:
        reasons.append("MENUNGGU_SETORAN")
    if _as_of(tanggal_terbit) <= _deadline(last_month + pd.DateOffset(months=1)):
        reasons.append("BATAS_BELUM_LEWAT")
    return bool(reasons), reasons


def compute_breakdown(con, periode: str, level: str, dimensi: str) -> pd.DataFrame:
    """kpi_rincian of one period, level and dimension (rows only for values with sales or batches)."""
    if dimensi not in DIMENSIONS:
        raise ValueError(f"bad dimension {dimensi!r}")
    w = _warehouse(con)
    s, e, _ = period_bounds(periode)
    k = w.programmes()[["kode_upt", "kode_kegiatan", "bidang", "subbidang"]].copy()
    p = w.participations()
    overlapping = p[_overlaps(p["tanggal_mulai"], p["tanggal_selesai"], s, e)]
    workers = overlapping.groupby(["kode_upt", "kode_kegiatan"])["no_registrasi"].nunique().rename("workers")
    k = k.merge(workers.reset_index(), on=["kode_upt", "kode_kegiatan"], how="left")
    k["workers"] = k["workers"].fillna(0)

    def klass(row):
        if row["bidang"] != "INDUSTRI":
            return "-"
        n = row["workers"]
        return "MIKRO" if n < 5 else "KECIL" if n < 20 else "SEDANG" if n < 100 else "BESAR"

    k["kelas_industri"] = [klass(r) for _, r in k.iterrows()] if len(k) else []

    # only UPTs whose indicator is not empty: a file of the kind accepted for a month of P
    f = w.current_files[_in(w.current_files["bulan"], s, e)]
    with_sales = set(f.loc[f["kind"] == "penjualan", "kode_upt"])
    with_batches = set(f.loc[f["kind"] == "produksi", "kode_upt"])
    sa = w.sales()
    sa = sa[_in(sa["tanggal"], s, e) & sa["kode_upt"].isin(with_sales)].merge(
        k, on=["kode_upt", "kode_kegiatan"], how="left")
    b = w.rows["produksi"]
    b = b[_in(b["tanggal"], s, e) & b["kode_upt"].isin(with_batches)].merge(
        k, on=["kode_upt", "kode_kegiatan"], how="left")
    if dimensi == "satuan":
        written = b["satuan"].fillna("").astype(str).str.strip().str.lower()
        nilai = [w.units.get(x, x if x else "-") for x in written]
        facts = pd.DataFrame({"kode_upt": b["kode_upt"], "nilai": nilai,
                              "produksi_unit": pd.to_numeric(b["jumlah_produksi"]).astype(float),
                              "lolos_qc_unit": pd.to_numeric(b["jumlah_lolos_qc"]).astype(float)})
        upt = facts.groupby(["kode_upt", "nilai"], as_index=False)[["produksi_unit", "lolos_qc_unit"]].sum()
        upt["pendapatan"] = float("nan")
    elif dimensi == "kanal":
        sa["nilai"] = sa["kanal"]
        facts = pd.DataFrame({"kode_upt": sa["kode_upt"], "nilai": sa["nilai"],
                              "pendapatan": pd.to_numeric(sa["total"]).astype(float)})
        upt = facts.groupby(["kode_upt", "nilai"], as_index=False)["pendapatan"].sum()
        upt["produksi_unit"] = float("nan")
        upt["lolos_qc_unit"] = float("nan")
    else:
        sales = pd.DataFrame({"kode_upt": sa["kode_upt"], "nilai": sa[dimensi].fillna("TIDAK_DIKETAHUI"),
                              "pendapatan": pd.to_numeric(sa["total"]).astype(float),
                              "produksi_unit": 0.0, "lolos_qc_unit": 0.0})
        batches = pd.DataFrame({"kode_upt": b["kode_upt"], "nilai": b[dimensi].fillna("TIDAK_DIKETAHUI"),
                                "pendapatan": 0.0,
                                "produksi_unit": pd.to_numeric(b["jumlah_produksi"]).astype(float),
                                "lolos_qc_unit": pd.to_numeric(b["jumlah_lolos_qc"]).astype(float)})
        facts = pd.concat([x for x in (sales, batches) if len(x)], ignore_index=True) if (len(sales) or len(batches)) \
            else pd.DataFrame(columns=["kode_upt", "nilai", "pendapatan", "produksi_unit", "lolos_qc_unit"])
        upt = facts.groupby(["kode_upt", "nilai"], as_index=False)[["pendapatan", "produksi_unit", "lolos_qc_unit"]].sum()
        # revenue empty for a UPT without a penjualan file in P, production without a produksi file
        upt["pendapatan"] = upt["pendapatan"].where(upt["kode_upt"].isin(with_sales))
        upt["produksi_unit"] = upt["produksi_unit"].where(upt["kode_upt"].isin(with_batches))
        upt["lolos_qc_unit"] = upt["lolos_qc_unit"].where(upt["kode_upt"].isin(with_batches))
    upt = upt[upt["kode_upt"].isin(set(w.upt["kode_upt"]))]
    rolled = _roll_up(upt, w, level, ["pendapatan", "produksi_unit", "lolos_qc_unit"], extra_keys=("nilai",))
    rolled["qc_pass_rate"] = [_rate(a, b_) if b_ == b_ else float("nan")
                              for a, b_ in zip(rolled["lolos_qc_unit"], rolled["produksi_unit"])]
    rolled.insert(0, "periode", periode)
    rolled.insert(0, "level", level)
    rolled["dimensi"] = dimensi
    cols = ["level", "kode", "periode", "dimensi", "nilai", "pendapatan", "produksi_unit", "lolos_qc_unit", "qc_pass_rate"]
    return rolled[cols].sort_values(["kode", "nilai"]).reset_index(drop=True)
