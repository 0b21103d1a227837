"""Analyses shared by the pages and the reports: headline changes, rankings, outliers, completeness.

Plain functions over :class:`dashboards.data.Gudang` (scope enforced there), no Dash.
"""

from __future__ import annotations

import pandas as pd

from dashboards import fmt
from dashboards.data import Gudang, Pengguna, Pilihan
from dashboards.indikator import INDIKATOR, UTAMA, format_nilai, format_perubahan, label


def ringkasan_indikator(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
    banding = gudang.periode_pembanding(p, periode)
    per = [x for x in (periode, banding["sebelumnya"], banding["tahun_lalu"]) if x]
    df = gudang.indikator(p, f, per).set_index("periode")

    def ambil(per_kode, kolom):
        if not per_kode or per_kode not in df.index:
            return None
        return df.at[per_kode, kolom]

    rows = []
    for kolom in (*UTAMA, "tingkat_sertifikasi", "tingkat_realisasi_anggaran", "pnbp_disetor", "upah", "jam_kerja",
                  "populasi_akhir"):
        now, sebelum, lalu = ambil(periode, kolom), ambil(banding["sebelumnya"], kolom), ambil(banding["tahun_lalu"], kolom)
        rows.append({
            "label": label(kolom),
            "nilai": _angka(now),
            "sebelumnya": _angka(sebelum),
            "tahun_lalu": _angka(lalu),
            "vs_sebelumnya": format_perubahan(kolom, now, sebelum),
            "vs_tahun_lalu": format_perubahan(kolom, now, lalu),
            "nilai_periode": format_nilai(kolom, now),
        })
    return pd.DataFrame(rows)


def _angka(v):
    return None if fmt.kosong(v) else float(v)


def peringkat_upt(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, kolom: str) -> pd.DataFrame:
    """UPTs in scope ranked on one indicator (1 = best), with movement since the previous period."""
    if kolom not in INDIKATOR:
        raise ValueError(kolom)
    now = gudang.indikator_upt(p, f, periode)
    if now.empty:
        return now
    naik_baik = INDIKATOR[kolom].naik_baik
    now["peringkat"] = now[kolom].rank(ascending=not naik_baik, method="min", na_option="keep")
    sebelum = gudang.periode_pembanding(p, periode)["sebelumnya"]
    if sebelum:
        prev = gudang.indikator_upt(p, f, sebelum)
        if not prev.empty:
            prev["peringkat_sebelumnya"] = prev[kolom].rank(ascending=not naik_baik, method="min", na_option="keep")
            prev = prev[["kode_upt", kolom, "peringkat_sebelumnya"]].rename(columns={kolom: "_nilai_lalu"})
            now = now.merge(prev, on="kode_upt", how="left")
    if "peringkat_sebelumnya" not in now:
        now["peringkat_sebelumnya"] = None
        now["_nilai_lalu"] = None
    now["perubahan_peringkat"] = now["peringkat_sebelumnya"] - now["peringkat"]
    now["perubahan"] = [format_perubahan(kolom, a, b) for a, b in zip(now[kolom], now["_nilai_lalu"])]
    now["pencilan"] = tandai_pencilan(now[kolom])
    now = now.sort_values(["peringkat", "kode_upt"], na_position="last")
    return now[["peringkat", "kode_upt", "nama_upt", "kode_kanwil", "kelompok_sejawat", kolom, "perubahan",
                "peringkat_sebelumnya", "perubahan_peringkat", "pencilan", "populasi_akhir", "kapasitas", "tingkat_hunian"]]


def tandai_pencilan(nilai: pd.Series) -> list[str]:
    """Tukey's rule (outside 1.5 x IQR of the quartiles); needs at least 4 values."""
    v = pd.to_numeric(nilai, errors="coerce")
    ada = v.dropna()
    if len(ada) < 4:
        return ["" for _ in v]
    q1, q3 = ada.quantile(0.25), ada.quantile(0.75)
    iqr = q3 - q1
    bawah, atas = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    return ["rendah" if x < bawah else "tinggi" if x > atas else "" if not pd.isna(x) else "" for x in v]


def teks_cakupan(c: dict) -> tuple[str | None, str | None, str | None]:
    """The sentences of coverage, of a UPT that did not report, and of a provisional period for
    :meth:`Gudang.cakupan`'s answer ``c`` (KPI_DICTIONARY v2); the pages, the Excel and the monev
    report all use them."""
    cakupan = upt_belum = sementara = None
    if c["level"] != "upt" and c["upt_diharapkan"]:
        cakupan = (f"Dihitung dari {fmt.format_angka(c['upt_melapor'])} dari {fmt.format_angka(c['upt_diharapkan'])} UPT "
                   "yang sudah melapor; UPT yang belum melapor tidak dihitung sebagai 0.")
    elif c["level"] == "upt" and c["upt_diharapkan"] and not c["upt_melapor"]:
        upt_belum = "UPT ini belum melapor untuk periode ini: angka kosong berarti belum melapor, bukan 0."
    if c["sementara"]:
        sementara = f"Angka sementara: {c['alasan_sementara']}."
    return cakupan, upt_belum, sementara


def pnbp_per_upt(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
    """Sales vs deposits per UPT in scope, largest gap first; a UPT with no sales or deposit rows
    for the period is listed last with empty figures (shown "belum melapor"), never left out or
    shown as Rp 0. Used by Akuntabilitas PNBP and the monev report."""
    df = gudang.pnbp_per_upt(p, f, periode)
    semua = gudang.daftar_upt(p, f)
    if f.upt:
        semua = semua[semua.kode_upt == f.upt]
    belum = semua[~semua.kode_upt.isin(df.kode_upt)][["kode_upt", "nama_upt", "kode_kanwil"]]
    if belum.empty:
        return df
    return pd.concat([df, belum], ignore_index=True) if not df.empty else belum.reindex(columns=df.columns)


def kualitas_per_upt(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str) -> pd.DataFrame:
    """Per-UPT data quality as published in mart_kualitas_upt (completeness as kpi_indikator: files of
    the months whose deadline has passed); ``status_laporan`` in words ("melapor" / "belum melapor",
    KPI_DICTIONARY v2 "Who reported"). No ratio is computed here."""
    df = gudang.kualitas_upt(p, f, periode)
    if df.empty:
        return df
    return df.assign(status_laporan=df.status_laporan.map(
        lambda s: None if fmt.kosong(s) else fmt.BELUM_MELAPOR if s == "BELUM_MELAPOR" else "melapor"))


def peringkat_sejawat(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, kolom: str) -> pd.DataFrame:
    """UPTs ranked within their peer group (kelompok_sejawat = jenis + kelas), occupancy beside."""
    if kolom not in INDIKATOR:
        raise ValueError(kolom)
    df = gudang.indikator_upt(p, f, periode)
    if df.empty:
        return df
    naik_baik = INDIKATOR[kolom].naik_baik
    df["peringkat"] = df.groupby("kelompok_sejawat")[kolom].rank(ascending=not naik_baik, method="min", na_option="keep")
    df["jumlah_upt"] = df.groupby("kelompok_sejawat")["kode_upt"].transform("size")
    df = df.sort_values(["kelompok_sejawat", "peringkat", "kode_upt"], na_position="last")
    return df[["kelompok_sejawat", "peringkat", "jumlah_upt", "kode_upt", "nama_upt", "kode_kanwil", kolom,
               "populasi_akhir", "kapasitas", "tingkat_hunian"]]


def periode_tahun(gudang: Gudang, p: Pengguna, periode: str) -> list[str]:
    """The quarters and semesters of the year of ``periode`` that have data, in order."""
    info = gudang.info_periode(p, periode)
    if not info:
        return []
    df = gudang.daftar_periode(p)
    df = df[(df.tahun == info["tahun"]) & df.jenis_periode.isin(["TRIWULAN", "SEMESTER"])]
    df = df.sort_values(["jumlah_bulan", "tanggal_awal"])
    return list(df.periode)
