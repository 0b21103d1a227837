"""A small *published* warehouse for the dashboard tests.

Builds a DuckDB file with exactly the tables and columns of docs/DESIGN.md, section
"Published warehouse" (schema ``main``), filled with 3 Kanwil, 7 UPTs and 2023-2024 of
plausible, deterministic data. Upper levels (``kanwil``, ``nasional``) are sums of the UPT
rows with every rate recomputed from the summed numerator and denominator, as
KPI_DICTIONARY.md requires, so the dashboard's own re-aggregation can be checked against them.

Usage: ``build_warehouse(tmp_path / "monev.duckdb")`` returns the path; test modules that import
the ``wh`` and ``gudang`` fixtures and ``ctx`` from here share one warehouse per module.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pandas as pd
import pytest

KANWIL = [
    ("KW01", "Kanwil Aceh", "Aceh"),
    ("KW02", "Kanwil Jawa Barat", "Jawa Barat"),
    ("KW03", "Kanwil Bali", "Bali"),
]
UPT = [
    # kode_upt, nama_upt, jenis_upt, kelas, kode_kanwil, kapasitas
    ("UPT0001", "Lapas Kelas IIA Banda Aceh", "LAPAS", "IIA", "KW01", 600),
    ("UPT0002", "Rutan Kelas IIB Sigli", "RUTAN", "IIB", "KW01", 250),
    ("UPT0003", "Lapas Kelas I Cipinang Bandung", "LAPAS", "I", "KW02", 1500),
    ("UPT0004", "Lapas Kelas IIA Garut", "LAPAS", "IIA", "KW02", 700),
    ("UPT0005", "LPP Kelas IIA Bandung", "LPP", "IIA", "KW02", 400),
    ("UPT0006", "Lapas Kelas IIA Kerobokan", "LAPAS", "IIA", "KW03", 650),
    ("UPT0007", "LPKA Kelas II Karangasem", "LPKA", "IIB", "KW03", 150),
]
KINDS = ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")
KANAL = ("MARKETPLACE", "GALERI", "PAMERAN", "LANGSUNG")
KEGIATAN = [
    # kode, nama, jenis, bidang, subbidang
    ("KG01", "Roti dan kue kering", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN"),
    ("KG02", "Konveksi seragam", "PRODUKSI", "INDUSTRI", "KONVEKSI_TEKSTIL"),
    ("KG03", "Budidaya lele", "PRODUKSI", "PERTANIAN_PERIKANAN", "PERIKANAN_AIR_TAWAR"),
    ("KG04", "Pelatihan las", "PELATIHAN", "INDUSTRI", "LOGAM_BENGKEL"),
    ("KG05", "Pelatihan barista", "PELATIHAN", "JASA", "JASA_PERSONAL_SOSIAL"),
    ("KG06", "Cuci kendaraan", "PRODUKSI", "JASA", "JASA_PERDAGANGAN"),
]
PRODUK = {"KG01": "Roti manis", "KG02": "Seragam", "KG03": "Ikan lele", "KG06": "Jasa cuci"}
TAHAP = ("PERENCANAAN", "PELAKSANAAN", "PELAKSANAAN", "MONEV", "SELESAI", "PELAKSANAAN")
MONTHS = [dt.date(y, m, 1) for y in (2023, 2024) for m in range(1, 13)]

KPI_COLUMNS = [
    "populasi_akhir", "eligible_pelatihan", "partisipan_pelatihan", "tingkat_partisipasi_pelatihan",
    "eligible_produksi", "partisipan_produksi", "tingkat_partisipasi_produksi",
    "peserta_tidak_memenuhi_syarat", "masuk", "litmas_tepat_waktu", "kepatuhan_litmas_h7",
    "produksi_unit", "lolos_qc_unit", "qc_pass_rate", "pendapatan", "pendapatan_internal",
    "pendapatan_eksternal", "pnbp_disetor", "rasio_setor_pnbp", "pelatihan_selesai",
    "pelatihan_bersertifikat", "tingkat_sertifikasi", "jam_kerja", "upah", "anggaran_rab",
    "realisasi_anggaran", "tingkat_realisasi_anggaran", "file_diterima", "kelengkapan_laporan",
    "baris_dibaca", "baris_karantina",
]
RATES = {
    "tingkat_partisipasi_pelatihan": ("partisipan_pelatihan", "eligible_pelatihan"),
    "tingkat_partisipasi_produksi": ("partisipan_produksi", "eligible_produksi"),
    "kepatuhan_litmas_h7": ("litmas_tepat_waktu", "masuk"),
    "qc_pass_rate": ("lolos_qc_unit", "produksi_unit"),
    "rasio_setor_pnbp": ("pnbp_disetor", "pendapatan"),
    "tingkat_sertifikasi": ("pelatihan_bersertifikat", "pelatihan_selesai"),
    "tingkat_realisasi_anggaran": ("realisasi_anggaran", "anggaran_rab"),
}
MONEY = {"pendapatan", "pendapatan_internal", "pendapatan_eksternal", "pnbp_disetor", "upah",
         "anggaran_rab", "realisasi_anggaran"}
DECIMAL_COUNTS = {"produksi_unit", "lolos_qc_unit", "jam_kerja"}

DDL = {
    "dim_upt": """create table dim_upt (kode_upt VARCHAR PRIMARY KEY, nama_upt VARCHAR, jenis_upt VARCHAR,
        kelas VARCHAR, kode_kanwil VARCHAR, nama_kanwil VARCHAR, provinsi VARCHAR, kapasitas INTEGER,
        kelompok_sejawat VARCHAR)""",
    "dim_kanwil": """create table dim_kanwil (kode_kanwil VARCHAR PRIMARY KEY, nama_kanwil VARCHAR,
        provinsi VARCHAR, jumlah_upt INTEGER, kapasitas INTEGER)""",
    "dim_periode": """create table dim_periode (periode VARCHAR PRIMARY KEY, jenis_periode VARCHAR,
        tahun INTEGER, tanggal_awal DATE, tanggal_akhir DATE, jumlah_bulan INTEGER)""",
    "kpi_indikator": "create table kpi_indikator (level VARCHAR, kode VARCHAR, periode VARCHAR, jenis_periode VARCHAR, "
    + ", ".join(
        f"{c} {'DOUBLE' if c in RATES or c == 'kelengkapan_laporan' else 'DECIMAL(18,2)' if c in MONEY or c in DECIMAL_COUNTS else 'BIGINT'}"
        for c in KPI_COLUMNS
    )
    + ")",
    "kpi_kelompok": "create table kpi_kelompok (level VARCHAR, kode VARCHAR, jenis_upt VARCHAR, kelas VARCHAR, "
    "periode VARCHAR, jenis_periode VARCHAR, jumlah_upt BIGINT, kapasitas BIGINT, "
    + ", ".join(
        f"{c} {'DOUBLE' if c in RATES or c == 'kelengkapan_laporan' else 'DECIMAL(18,2)' if c in MONEY or c in DECIMAL_COUNTS else 'BIGINT'}"
        for c in KPI_COLUMNS
    )
    + ")",
    "kpi_rincian": """create table kpi_rincian (level VARCHAR, kode VARCHAR, periode VARCHAR, dimensi VARCHAR,
        nilai VARCHAR, pendapatan DECIMAL(18,2), produksi_unit DECIMAL(18,2), lolos_qc_unit DECIMAL(18,2),
        qc_pass_rate DOUBLE)""",
    "kpi_rincian_kelompok": """create table kpi_rincian_kelompok (level VARCHAR, kode VARCHAR, jenis_upt VARCHAR,
        kelas VARCHAR, periode VARCHAR, dimensi VARCHAR, nilai VARCHAR, pendapatan DECIMAL(18,2),
        produksi_unit DECIMAL(18,2), lolos_qc_unit DECIMAL(18,2), qc_pass_rate DOUBLE)""",
    "kpi_revisi": """create table kpi_revisi (level VARCHAR, kode VARCHAR, periode VARCHAR, indikator VARCHAR,
        nilai_awal DOUBLE, diterbitkan_awal TIMESTAMP, nilai_terkini DOUBLE, diterbitkan_terkini TIMESTAMP)""",
    "dim_kegiatan": """create table dim_kegiatan (kode_upt VARCHAR, kode_kegiatan VARCHAR, nama_kegiatan VARCHAR,
        jenis_kegiatan VARCHAR, bidang VARCHAR, subbidang VARCHAR, tanggal_mulai DATE, tanggal_selesai DATE,
        tahap VARCHAR, anggaran_rab DECIMAL(18,2), realisasi_anggaran DECIMAL(18,2), sumber_dana VARCHAR,
        mitra VARCHAR, penanggung_jawab VARCHAR, prioritas BOOLEAN, bahan_baku VARCHAR, produksi VARCHAR,
        bahan_mentah VARCHAR, lokasi VARCHAR, proses VARCHAR, barang VARCHAR, modal VARCHAR, pengelola VARCHAR)""",
    "mart_upt_bulanan": """create table mart_upt_bulanan (kode_upt VARCHAR, bulan DATE, populasi_akhir BIGINT,
        pendapatan DECIMAL(18,2), pnbp_disetor DECIMAL(18,2), produksi_unit DECIMAL(18,2),
        lolos_qc_unit DECIMAL(18,2), jam_kerja DECIMAL(18,2), upah DECIMAL(18,2))""",
    "mart_penjualan_ringkas": """create table mart_penjualan_ringkas (kode_upt VARCHAR, bulan DATE,
        kode_kegiatan VARCHAR, kanal VARCHAR, jenis_pembeli VARCHAR, pendapatan DECIMAL(18,2),
        jumlah_transaksi BIGINT)""",
    "mart_produksi_ringkas": """create table mart_produksi_ringkas (kode_upt VARCHAR, bulan DATE,
        kode_kegiatan VARCHAR, nama_produk VARCHAR, standar_mutu VARCHAR, produksi_unit DECIMAL(18,2),
        lolos_qc_unit DECIMAL(18,2), biaya_bahan DECIMAL(18,2))""",
    "mart_pnbp_bulanan": """create table mart_pnbp_bulanan (kode_upt VARCHAR, bulan DATE, pendapatan DECIMAL(18,2),
        pnbp_disetor DECIMAL(18,2), selisih DECIMAL(18,2), rata_hari_setor DOUBLE)""",
    "mart_margin_kegiatan": """create table mart_margin_kegiatan (kode_upt VARCHAR, kode_kegiatan VARCHAR,
        periode VARCHAR, pendapatan DECIMAL(18,2), biaya_bahan DECIMAL(18,2), margin DECIMAL(18,2),
        rasio_margin DOUBLE)""",
    "mart_anggaran_kegiatan": """create table mart_anggaran_kegiatan (kode_upt VARCHAR, kode_kegiatan VARCHAR,
        periode VARCHAR, tahap VARCHAR, tanggal_mulai DATE, tanggal_selesai DATE, anggaran_rab DECIMAL(18,2),
        realisasi_anggaran DECIMAL(18,2), tingkat_realisasi_anggaran DOUBLE)""",
    "mart_kelengkapan": """create table mart_kelengkapan (kode_upt VARCHAR, bulan DATE, kind VARCHAR,
        status VARCHAR, terlambat BOOLEAN, received_at TIMESTAMP, rows_read INTEGER, rows_quarantined INTEGER)""",
    "mart_kualitas_upt": """create table mart_kualitas_upt (kode_upt VARCHAR, periode VARCHAR, file_diharapkan BIGINT,
        file_diterima_jatuh_tempo BIGINT, file_diterima BIGINT, file_ditolak BIGINT, file_tidak_ada BIGINT,
        file_terlambat BIGINT, baris_dibaca BIGINT, baris_karantina BIGINT, kelengkapan_laporan DOUBLE,
        status_laporan VARCHAR)""",
    "mart_kelengkapan_kanwil": """create table mart_kelengkapan_kanwil (kode_kanwil VARCHAR, jenis_upt VARCHAR,
        kelas VARCHAR, bulan DATE, jumlah_upt BIGINT, file_diharapkan BIGINT, file_diterima BIGINT,
        file_terlambat BIGINT, rasio_diterima DOUBLE)""",
    "mart_karantina": """create table mart_karantina (file_id BIGINT, row_number INTEGER, reason_code VARCHAR,
        kode_upt VARCHAR, kind VARCHAR, bulan DATE, path VARCHAR, reason VARCHAR)""",
    "mart_file_ditolak": """create table mart_file_ditolak (file_id BIGINT, path VARCHAR, kode_upt VARCHAR,
        kind VARCHAR, bulan DATE, reason_code VARCHAR, reason VARCHAR, received_at TIMESTAMP)""",
    "meta_muatan": """create table meta_muatan (load_id BIGINT, started_at TIMESTAMP, finished_at TIMESTAMP,
        status VARCHAR, files_seen INTEGER, files_accepted INTEGER, files_replaced INTEGER,
        files_unchanged INTEGER, files_identical INTEGER, files_rejected INTEGER, rows_loaded BIGINT,
        rows_quarantined BIGINT, message VARCHAR)""",
    "mart_temuan": """create table mart_temuan (temuan_id VARCHAR, periode VARCHAR, jenis_periode VARCHAR,
        aturan VARCHAR, kategori VARCHAR, level VARCHAR, kode VARCHAR, kode_kanwil VARCHAR, kode_upt VARCHAR,
        kode_kegiatan VARCHAR, bidang VARCHAR, indikator VARCHAR, nilai DOUBLE, pembanding DOUBLE, peringkat BIGINT,
        sementara BOOLEAN)""",
}
TABLES = tuple(DDL)

# Findings as dbt publishes them (mart_temuan; computed and tested in tests/test_dbt_temuan.py), one of
# each kind spread over the three Kanwil for the scope and rendering tests of the dashboards.
# (id, periode, aturan, kategori, level, kode, kode_kanwil, kode_upt, kode_kegiatan, bidang, indikator,
#  nilai, pembanding, peringkat)
TEMUAN = [
    ("t-kw01-part", "2024Q3", "PARTISIPASI_RENDAH_KANWIL", "partisipasi", "kanwil", "KW01", "KW01", None, None, None,
     "tingkat_partisipasi_pelatihan", 0.125, 0.40, 1),
    ("t-u1-part", "2024Q3", "PARTISIPASI_RENDAH_UPT", "partisipasi", "upt", "UPT0001", "KW01", "UPT0001", None, None,
     "tingkat_partisipasi_pelatihan", 0.10, 0.125, 1),
    ("t-u3-pnbp", "2024Q3", "PNBP_KURANG_SETOR", "pnbp", "upt", "UPT0003", "KW02", "UPT0003", None, None,
     "pnbp_kurang_setor", 2_750_000.0, 40_000_000.0, 1),
    ("t-u4-rugi", "2024Q3", "KEGIATAN_RUGI", "rugi", "upt", "UPT0004", "KW02", "UPT0004", "KG01", "INDUSTRI",
     "margin", -1_250_000.0, 3_000_000.0, 1),
    ("t-kw02-sektor", "2024Q3", "SEKTOR_RUGI", "rugi", "kanwil", "KW02", "KW02", None, None, "JASA",
     "margin", -500_000.0, 2_000_000.0, 1),
    ("t-u2-100", "2024Q3", "RASIO_LEBIH_100", "tidak_wajar", "upt", "UPT0002", "KW01", "UPT0002", None, None,
     "kepatuhan_litmas_h7", 1.25, 1.0, None),
    ("t-u6-belum", "2024Q3", "BELUM_MELAPOR", "pelaporan", "upt", "UPT0006", "KW03", "UPT0006", None, None,
     "file_diterima", 0.0, 18.0, None),
    ("t-u5-telat", "2024Q3", "TERLAMBAT", "pelaporan", "upt", "UPT0005", "KW02", "UPT0005", None, None,
     "file_terlambat", 3.0, 18.0, None),
    ("t-u1-lonjak-q2", "2024Q2", "LONJAKAN", "tidak_wajar", "upt", "UPT0001", "KW01", "UPT0001", None, None,
     "pendapatan", 90_000_000.0, 10_000_000.0, None),
]


def periods() -> list[dict]:
    out = []
    for y in (2023, 2024):
        for q in range(1, 5):
            a = dt.date(y, 3 * q - 2, 1)
            e = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
            out.append(dict(periode=f"{y}Q{q}", jenis_periode="TRIWULAN", tahun=y, tanggal_awal=a, tanggal_akhir=e, jumlah_bulan=3))
        out.append(dict(periode=f"{y}S1", jenis_periode="SEMESTER", tahun=y, tanggal_awal=dt.date(y, 1, 1), tanggal_akhir=dt.date(y, 6, 30), jumlah_bulan=6))
        out.append(dict(periode=f"{y}S2", jenis_periode="SEMESTER", tahun=y, tanggal_awal=dt.date(y, 7, 1), tanggal_akhir=dt.date(y, 12, 31), jumlah_bulan=6))
        out.append(dict(periode=f"{y}", jenis_periode="TAHUN", tahun=y, tanggal_awal=dt.date(y, 1, 1), tanggal_akhir=dt.date(y, 12, 31), jumlah_bulan=12))
    return out


def _rate(num, den):
    return None if not den else num / den


def build_warehouse(path: Path, seed: int = 11) -> Path:
    """Write the fixture warehouse to ``path`` (replaced if it exists) and return it."""
    rnd = random.Random(seed)
    path = Path(path)
    if path.exists():
        path.unlink()
    nama_kanwil = {k: (n, p) for k, n, p in KANWIL}
    dim_upt = pd.DataFrame(
        [
            dict(kode_upt=u, nama_upt=n, jenis_upt=j, kelas=c, kode_kanwil=k, nama_kanwil=nama_kanwil[k][0],
                 provinsi=nama_kanwil[k][1], kapasitas=cap, kelompok_sejawat=f"{j} {c}")
            for u, n, j, c, k, cap in UPT
        ]
    )
    dim_kanwil = (
        dim_upt.groupby(["kode_kanwil", "nama_kanwil", "provinsi"], as_index=False)
        .agg(jumlah_upt=("kode_upt", "count"), kapasitas=("kapasitas", "sum"))
    )
    dim_periode = pd.DataFrame(periods())

    # Programmes: 4-6 per UPT.
    keg_rows = []
    for i, (u, *_rest) in enumerate(UPT):
        for j, (kode, nama, jenis, bidang, sub) in enumerate(KEGIATAN[: 4 + (i % 3)]):
            rab = rnd.randint(20, 120) * 1_000_000
            keg_rows.append(dict(
                kode_upt=u, kode_kegiatan=kode, nama_kegiatan=nama, jenis_kegiatan=jenis, bidang=bidang,
                subbidang=sub, tanggal_mulai=dt.date(2023, 1 + j, 2), tanggal_selesai=None if j % 2 else dt.date(2024, 12, 20),
                tahap=TAHAP[(i + j) % len(TAHAP)], anggaran_rab=rab, realisasi_anggaran=round(rab * rnd.uniform(0.4, 1.05), -3),
                sumber_dana="DIPA" if j % 2 else "PNBP", mitra="CV Mitra Binaan" if j == 0 else None,
                penanggung_jawab=f"Petugas {j + 1}", prioritas=j < 2,
                bahan_baku="NON_EKSTRAKTIF" if bidang == "INDUSTRI" else None, produksi=None, bahan_mentah=None,
                lokasi=None, proses=None, barang="RINGAN" if bidang == "INDUSTRI" else None, modal=None, pengelola=None,
            ))
    dim_kegiatan = pd.DataFrame(keg_rows)
    keg_by_upt = dim_kegiatan.groupby("kode_upt")

    # Monthly facts per UPT and programme.
    bulanan, penj, prod, pnbp, kel, kar, tolak = [], [], [], [], [], [], []
    file_id = 1000
    for ui, (u, _n, _j, _c, _k, cap) in enumerate(UPT):
        size = cap / 600
        kegs = keg_by_upt.get_group(u)
        for mi, b in enumerate(MONTHS):
            trend = 1 + 0.02 * mi
            pend_total = dep_total = prod_total = qc_total = 0.0
            for _, kg in kegs.iterrows():
                if kg.jenis_kegiatan != "PRODUKSI":
                    continue
                produk = PRODUK[kg.kode_kegiatan]
                p_unit = round(rnd.randint(100, 400) * size * trend)
                qc = round(p_unit * rnd.uniform(0.78, 0.99))
                biaya = round(p_unit * rnd.randint(4, 9) * 1000, -3)
                prod.append(dict(kode_upt=u, bulan=b, kode_kegiatan=kg.kode_kegiatan, nama_produk=produk,
                                 standar_mutu="P-IRT" if kg.kode_kegiatan == "KG01" else "INTERNAL",
                                 produksi_unit=p_unit, lolos_qc_unit=qc, biaya_bahan=biaya))
                prod_total += p_unit
                qc_total += qc
                for kanal in rnd.sample(KANAL, 2):
                    for pembeli in ("INTERNAL", "EKSTERNAL"):
                        nilai = round(qc * rnd.randint(3, 12) * 1000 * (0.4 if pembeli == "INTERNAL" else 0.6), -3)
                        penj.append(dict(kode_upt=u, bulan=b, kode_kegiatan=kg.kode_kegiatan, kanal=kanal,
                                         jenis_pembeli=pembeli, pendapatan=nilai, jumlah_transaksi=rnd.randint(3, 40)))
                        pend_total += nilai
            # UPT0002 deposits poorly (an accountability gap to see).
            dep_ratio = rnd.uniform(0.35, 0.6) if u == "UPT0002" else rnd.uniform(0.85, 1.0)
            dep_total = round(pend_total * dep_ratio, -3)
            pnbp.append(dict(kode_upt=u, bulan=b, pendapatan=pend_total, pnbp_disetor=dep_total,
                             selisih=pend_total - dep_total, rata_hari_setor=round(rnd.uniform(3, 25) * (2 if u == "UPT0002" else 1), 1)))
            jam = round(rnd.randint(800, 2500) * size, 1)
            bulanan.append(dict(kode_upt=u, bulan=b, populasi_akhir=round(cap * rnd.uniform(0.9, 1.6)),
                                pendapatan=pend_total, pnbp_disetor=dep_total, produksi_unit=prod_total,
                                lolos_qc_unit=qc_total, jam_kerja=jam, upah=round(jam * rnd.randint(2, 4) * 1000, -3)))
            for kind in KINDS:
                r = rnd.random()
                if u == "UPT0007" and mi % 4 == 3:
                    status = "TIDAK_ADA"
                elif r < 0.03:
                    status = "DITOLAK"
                else:
                    status = "DITERIMA"
                file_id += 1
                received = dt.datetime(b.year + (b.month == 12), b.month % 12 + 1, rnd.randint(1, 20), 9, 30)
                rows = rnd.randint(20, 300) if status == "DITERIMA" else None
                quar = rnd.choice([0, 0, 0, 1, 2]) if rows else None
                kel.append(dict(kode_upt=u, bulan=b, kind=kind, status=status, terlambat=status != "TIDAK_ADA" and received.day > 10,
                                received_at=None if status == "TIDAK_ADA" else received, rows_read=rows, rows_quarantined=quar))
                for q in range(quar or 0):
                    code = rnd.choice(["QC_EXCEEDS", "MISSING_REQUIRED", "INVALID_ENUM"])
                    kar.append(dict(file_id=file_id, row_number=q * 7 + 3, reason_code=code, kode_upt=u, kind=kind, bulan=b,
                                    path=f"{_k}/{u}/{u}_{kind}_{b:%Y%m}.csv", reason=f"{code.lower()}: baris tidak valid"))
                if status == "DITOLAK":
                    tolak.append(dict(file_id=file_id, path=f"{_k}/{u}/{u}_{kind}_{b:%Y%m}.xlsx", kode_upt=u, kind=kind, bulan=b,
                                      reason_code="MISSING_COLUMN", reason="kolom wajib tidak ada: tanggal_masuk", received_at=received))
    # A file with an unknown UPT and a formula-like name (must be neutralised in exports).
    tolak.append(dict(file_id=99001, path="_masuk/=HYPERLINK(\"http://contoh\")_narapidana_202407.csv", kode_upt=None,
                      kind=None, bulan=None, reason_code="BAD_NAME", reason="nama file tidak mengikuti pola",
                      received_at=dt.datetime(2024, 8, 3, 8, 0)))
    tolak.append(dict(file_id=99002, path="KW01/UPT9999/UPT9999_narapidana_202407.csv", kode_upt="UPT9999",
                      kind="narapidana", bulan=dt.date(2024, 7, 1), reason_code="UNKNOWN_UPT",
                      reason="kode UPT tidak ada dalam daftar induk UPT", received_at=dt.datetime(2024, 8, 4, 8, 0)))

    bulanan = pd.DataFrame(bulanan)
    penj = pd.DataFrame(penj)
    prod = pd.DataFrame(prod)
    pnbp_df = pd.DataFrame(pnbp)
    kel_df = pd.DataFrame(kel)

    # kpi_indikator at UPT level, then summed upward.
    kpi_rows, rincian_rows, margin_rows = [], [], []
    for per in periods():
        a, e = per["tanggal_awal"], per["tanggal_akhir"]
        months = [m for m in MONTHS if a <= m <= e]
        nm = len(months)
        for ui, (u, _n, _j, _c, _k, cap) in enumerate(UPT):
            bm = bulanan[(bulanan.kode_upt == u) & bulanan.bulan.isin(months)]
            pj = penj[(penj.kode_upt == u) & penj.bulan.isin(months)]
            pr = prod[(prod.kode_upt == u) & prod.bulan.isin(months)]
            kl = kel_df[(kel_df.kode_upt == u) & kel_df.bulan.isin(months)]
            keg = dim_kegiatan[dim_kegiatan.kode_upt == u]
            r2 = random.Random(f"{seed}-{u}-{per['periode']}")
            pop = int(bm[bm.bulan == bm.bulan.max()].populasi_akhir.iloc[0])
            el_pel = int(pop * r2.uniform(0.45, 0.7))
            el_pro = int(pop * r2.uniform(0.25, 0.45))
            masuk = int(pop * 0.08 * nm)
            selesai = int(el_pel * r2.uniform(0.05, 0.15))
            # UPT0003 is an outlier on Litmas compliance.
            tepat = int(masuk * (r2.uniform(0.2, 0.35) if u == "UPT0003" else r2.uniform(0.7, 0.95)))
            row = dict(level="upt", kode=u, periode=per["periode"], jenis_periode=per["jenis_periode"],
                       populasi_akhir=pop, eligible_pelatihan=el_pel,
                       partisipan_pelatihan=int(el_pel * r2.uniform(0.2, 0.6)), eligible_produksi=el_pro,
                       partisipan_produksi=int(el_pro * r2.uniform(0.3, 0.8)),
                       peserta_tidak_memenuhi_syarat=r2.randint(0, 4), masuk=masuk, litmas_tepat_waktu=tepat,
                       produksi_unit=float(pr.produksi_unit.sum()), lolos_qc_unit=float(pr.lolos_qc_unit.sum()),
                       pendapatan=float(pj.pendapatan.sum()),
                       pendapatan_internal=float(pj[pj.jenis_pembeli == "INTERNAL"].pendapatan.sum()),
                       pendapatan_eksternal=float(pj[pj.jenis_pembeli == "EKSTERNAL"].pendapatan.sum()),
                       pnbp_disetor=float(bm.pnbp_disetor.sum()), pelatihan_selesai=selesai,
                       pelatihan_bersertifikat=int(selesai * r2.uniform(0.5, 0.95)),
                       jam_kerja=float(bm.jam_kerja.sum()), upah=float(bm.upah.sum()),
                       anggaran_rab=float(keg.anggaran_rab.sum()) * nm / 24,
                       realisasi_anggaran=float(keg.realisasi_anggaran.sum()) * nm / 24,
                       file_diterima=int((kl.status == "DITERIMA").sum()),
                       baris_dibaca=int(kl.rows_read.fillna(0).sum()), baris_karantina=int(kl.rows_quarantined.fillna(0).sum()))
            kpi_rows.append(row)
            # Breakdowns.
            pj_k = pj.merge(keg[["kode_kegiatan", "bidang", "subbidang"]], on="kode_kegiatan")
            pr_k = pr.merge(keg[["kode_kegiatan", "bidang", "subbidang"]], on="kode_kegiatan")
            for dim in ("bidang", "subbidang", "kelas_industri", "kanal"):
                if dim == "kelas_industri":
                    pj_k["kelas_industri"] = pj_k.bidang.map(lambda b: "KECIL" if b == "INDUSTRI" else "-")
                    pr_k["kelas_industri"] = pr_k.bidang.map(lambda b: "KECIL" if b == "INDUSTRI" else "-")
                src_p = pj_k if dim != "kanal" else pj
                for val in sorted(set(src_p[dim])):
                    p_sel = pr_k[pr_k[dim] == val] if dim != "kanal" else None
                    pu = None if p_sel is None else float(p_sel.produksi_unit.sum())
                    lq = None if p_sel is None else float(p_sel.lolos_qc_unit.sum())
                    rincian_rows.append(dict(level="upt", kode=u, periode=per["periode"], dimensi=dim, nilai=val,
                                             pendapatan=float(src_p[src_p[dim] == val].pendapatan.sum()),
                                             produksi_unit=pu, lolos_qc_unit=lq, qc_pass_rate=_rate(lq, pu) if pu is not None else None))
            for _, kg in keg.iterrows():
                pend = float(pj[pj.kode_kegiatan == kg.kode_kegiatan].pendapatan.sum())
                biaya = float(pr[pr.kode_kegiatan == kg.kode_kegiatan].biaya_bahan.sum())
                if kg.jenis_kegiatan == "PRODUKSI" and kg.kode_kegiatan == "KG06":
                    biaya = pend * 1.3  # a loss-making programme
                margin_rows.append(dict(kode_upt=u, kode_kegiatan=kg.kode_kegiatan, periode=per["periode"],
                                        pendapatan=pend, biaya_bahan=biaya, margin=pend - biaya,
                                        rasio_margin=_rate(pend - biaya, pend)))

    kpi = pd.DataFrame(kpi_rows)
    counts = [c for c in KPI_COLUMNS if c not in RATES and c != "kelengkapan_laporan"]
    kpi = kpi.merge(dim_upt[["kode_upt", "kode_kanwil"]], left_on="kode", right_on="kode_upt")
    upper = []
    for level, key in (("kanwil", "kode_kanwil"), ("nasional", None)):
        grp = kpi.assign(_k=kpi[key] if key else "NASIONAL").groupby(["_k", "periode", "jenis_periode"], as_index=False)
        agg = grp[counts].sum()
        agg["_n"] = grp.size()["size"]
        agg["level"] = level
        agg = agg.rename(columns={"_k": "kode"})
        upper.append(agg)
    # peer groups (the dbt mart kpi_kelompok): UPTs of one type and/or class per Kanwil / nationally
    kel = kpi.merge(dim_upt[["kode_upt", "jenis_upt", "kelas", "kapasitas"]], on="kode_upt")
    kelompok = []
    for level, key in (("kanwil", "kode_kanwil"), ("nasional", None)):
        for by_jenis in (True, False):
            for by_kelas in (True, False):
                d = kel.assign(_k=kel[key] if key else "NASIONAL", _j=kel.jenis_upt if by_jenis else "*",
                               _c=kel.kelas if by_kelas else "*")
                grp = d.groupby(["_k", "_j", "_c", "periode", "jenis_periode"], as_index=False)
                agg = grp[counts].sum()
                agg["_n"] = grp.size()["size"]
                agg["kapasitas"] = grp["kapasitas"].sum()["kapasitas"]
                agg["level"] = level
                kelompok.append(agg.rename(columns={"_k": "kode", "_j": "jenis_upt", "_c": "kelas"}))
    kelompok = pd.concat(kelompok, ignore_index=True)
    kpi["_n"] = 1
    kpi = pd.concat([kpi.drop(columns=["kode_upt", "kode_kanwil"])] + upper, ignore_index=True)
    months_per = {p["periode"]: p["jumlah_bulan"] for p in periods()}
    for rate, (num, den) in RATES.items():
        kpi[rate] = [_rate(n, d) for n, d in zip(kpi[num], kpi[den])]
    kpi["kelengkapan_laporan"] = [f / (6 * months_per[p] * n) for f, p, n in zip(kpi.file_diterima, kpi.periode, kpi._n)]
    kpi = kpi[["level", "kode", "periode", "jenis_periode"] + KPI_COLUMNS]
    for rate, (num, den) in RATES.items():
        kelompok[rate] = [_rate(n, d) for n, d in zip(kelompok[num], kelompok[den])]
    kelompok["kelengkapan_laporan"] = [f / (6 * months_per[p] * n) for f, p, n in
                                       zip(kelompok.file_diterima, kelompok.periode, kelompok._n)]
    kelompok["jumlah_upt"] = kelompok["_n"]
    kelompok = kelompok[["level", "kode", "jenis_upt", "kelas", "periode", "jenis_periode", "jumlah_upt",
                         "kapasitas"] + KPI_COLUMNS]

    rinc = pd.DataFrame(rincian_rows).merge(dim_upt[["kode_upt", "kode_kanwil"]], left_on="kode", right_on="kode_upt")
    up_r = []
    for level, key in (("kanwil", "kode_kanwil"), ("nasional", None)):
        g = rinc.assign(_k=rinc[key] if key else "NASIONAL").groupby(["_k", "periode", "dimensi", "nilai"], as_index=False, dropna=False)
        agg = g[["pendapatan", "produksi_unit", "lolos_qc_unit"]].sum(min_count=1)
        agg["level"] = level
        up_r.append(agg.rename(columns={"_k": "kode"}))
    # peer-group breakdowns (the dbt mart kpi_rincian_kelompok)
    rk = rinc.merge(dim_upt[["kode_upt", "jenis_upt", "kelas"]], on="kode_upt")
    rinc_kel = []
    for level, key in (("kanwil", "kode_kanwil"), ("nasional", None)):
        for by_jenis in (True, False):
            for by_kelas in (True, False):
                d = rk.assign(_k=rk[key] if key else "NASIONAL", _j=rk.jenis_upt if by_jenis else "*",
                              _c=rk.kelas if by_kelas else "*")
                agg = d.groupby(["_k", "_j", "_c", "periode", "dimensi", "nilai"], as_index=False, dropna=False)[
                    ["pendapatan", "produksi_unit", "lolos_qc_unit"]].sum(min_count=1)
                agg["level"] = level
                rinc_kel.append(agg.rename(columns={"_k": "kode", "_j": "jenis_upt", "_c": "kelas"}))
    rinc_kel = pd.concat(rinc_kel, ignore_index=True)
    rinc_kel["qc_pass_rate"] = [_rate(q, p) if p == p and p is not None else None
                                for q, p in zip(rinc_kel.lolos_qc_unit, rinc_kel.produksi_unit)]
    rinc = pd.concat([rinc.drop(columns=["kode_upt", "kode_kanwil"])] + up_r, ignore_index=True)
    rinc["qc_pass_rate"] = [_rate(q, p) if p == p and p is not None else None for q, p in zip(rinc.lolos_qc_unit, rinc.produksi_unit)]
    rinc = rinc[["level", "kode", "periode", "dimensi", "nilai", "pendapatan", "produksi_unit", "lolos_qc_unit", "qc_pass_rate"]]

    # per-UPT data quality (the dbt mart mart_kualitas_upt: completeness as kpi_indikator)
    kel_p = []
    for per in periods():
        months = [m for m in MONTHS if per["tanggal_awal"] <= m <= per["tanggal_akhir"]]
        d = kel_df[kel_df.bulan.isin(months)]
        kel_p.append(d.assign(periode=per["periode"]).groupby(["kode_upt", "periode"], as_index=False).agg(
            file_ditolak=("status", lambda x: int((x == "DITOLAK").sum())),
            file_tidak_ada=("status", lambda x: int((x == "TIDAK_ADA").sum())),
            file_terlambat=("terlambat", lambda x: int(x.fillna(False).astype(bool).sum()))))
    kualitas = kpi[kpi.level == "upt"][["kode", "periode", "file_diterima", "baris_dibaca", "baris_karantina",
                                        "kelengkapan_laporan"]].rename(columns={"kode": "kode_upt"})
    kualitas = kualitas.merge(pd.concat(kel_p), on=["kode_upt", "periode"], how="left")
    kualitas["file_diharapkan"] = [6 * months_per[p] for p in kualitas.periode]
    kualitas["file_diterima_jatuh_tempo"] = kualitas.file_diterima
    kualitas["status_laporan"] = ["BELUM_MELAPOR" if f == 0 else "LENGKAP" if f == e else "SEBAGIAN"
                                  for f, e in zip(kualitas.file_diterima, kualitas.file_diharapkan)]
    # monthly completeness per Kanwil and peer group (the dbt mart mart_kelengkapan_kanwil)
    kk = kel_df.merge(dim_upt[["kode_upt", "kode_kanwil", "jenis_upt", "kelas"]], on="kode_upt")
    kk = kk.assign(_d=kk.status.eq("DITERIMA").astype(int), _t=kk.terlambat.fillna(False).astype(bool).astype(int))
    kel_kanwil = []
    for by_jenis in (True, False):
        for by_kelas in (True, False):
            d = kk.assign(_j=kk.jenis_upt if by_jenis else "*", _c=kk.kelas if by_kelas else "*")
            agg = d.groupby(["kode_kanwil", "_j", "_c", "bulan"], as_index=False).agg(
                jumlah_upt=("kode_upt", "nunique"), file_diharapkan=("kind", "size"), file_diterima=("_d", "sum"),
                file_terlambat=("_t", "sum"))
            kel_kanwil.append(agg.rename(columns={"_j": "jenis_upt", "_c": "kelas"}))
    kel_kanwil = pd.concat(kel_kanwil, ignore_index=True)
    kel_kanwil["rasio_diterima"] = kel_kanwil.file_diterima / kel_kanwil.file_diharapkan

    revisi = pd.DataFrame([
        dict(level="upt", kode="UPT0001", periode="2024Q3", indikator="pendapatan", nilai_awal=41_250_000.0,
             diterbitkan_awal=dt.datetime(2024, 10, 15, 2, 0), nilai_terkini=43_900_000.0, diterbitkan_terkini=dt.datetime(2024, 11, 2, 2, 0)),
        dict(level="kanwil", kode="KW01", periode="2024Q3", indikator="pendapatan", nilai_awal=70_000_000.0,
             diterbitkan_awal=dt.datetime(2024, 10, 15, 2, 0), nilai_terkini=72_650_000.0, diterbitkan_terkini=dt.datetime(2024, 11, 2, 2, 0)),
        dict(level="upt", kode="UPT0004", periode="2024Q3", indikator="kepatuhan_litmas_h7", nilai_awal=0.71,
             diterbitkan_awal=dt.datetime(2024, 10, 15, 2, 0), nilai_terkini=0.78, diterbitkan_terkini=dt.datetime(2024, 11, 2, 2, 0)),
        dict(level="nasional", kode="NASIONAL", periode="2024Q3", indikator="pendapatan", nilai_awal=300_000_000.0,
             diterbitkan_awal=dt.datetime(2024, 10, 15, 2, 0), nilai_terkini=305_000_000.0, diterbitkan_terkini=dt.datetime(2024, 11, 2, 2, 0)),
    ])
    muatan = pd.DataFrame([
        dict(load_id=1, started_at=dt.datetime(2025, 1, 5, 1, 0), finished_at=dt.datetime(2025, 1, 5, 1, 6), status="BERHASIL",
             files_seen=1008, files_accepted=990, files_replaced=0, files_unchanged=0, files_identical=0, files_rejected=18,
             rows_loaded=150000, rows_quarantined=120, message="muatan awal"),
        dict(load_id=2, started_at=dt.datetime(2025, 1, 6, 1, 0), finished_at=dt.datetime(2025, 1, 6, 1, 2), status="BERHASIL",
             files_seen=1020, files_accepted=8, files_replaced=4, files_unchanged=1000, files_identical=2, files_rejected=2,
             rows_loaded=900, rows_quarantined=3, message="kiriman ulang"),
    ])

    # budgets as at the end of each period: spending grows through the year (the dbt mart's rule)
    anggaran_rows = []
    for per in dim_periode.itertuples():
        for kg in dim_kegiatan.itertuples():
            if kg.tanggal_mulai > per.tanggal_akhir or (kg.tanggal_selesai is not None and not pd.isna(kg.tanggal_selesai)
                                                        and kg.tanggal_selesai < per.tanggal_awal):
                continue
            real = round(kg.realisasi_anggaran * min(1.0, per.tanggal_akhir.month / 12), -3)
            anggaran_rows.append(dict(kode_upt=kg.kode_upt, kode_kegiatan=kg.kode_kegiatan, periode=per.periode,
                                      tahap=kg.tahap, tanggal_mulai=kg.tanggal_mulai, tanggal_selesai=kg.tanggal_selesai,
                                      anggaran_rab=kg.anggaran_rab, realisasi_anggaran=real,
                                      tingkat_realisasi_anggaran=_rate(real, kg.anggaran_rab)))

    frames = {
        "mart_anggaran_kegiatan": pd.DataFrame(anggaran_rows),
        "dim_upt": dim_upt, "dim_kanwil": dim_kanwil, "dim_periode": dim_periode, "kpi_indikator": kpi,
        "kpi_kelompok": kelompok,
        "kpi_rincian": rinc, "kpi_rincian_kelompok": rinc_kel, "kpi_revisi": revisi,
        "mart_kualitas_upt": kualitas, "mart_kelengkapan_kanwil": kel_kanwil, "dim_kegiatan": dim_kegiatan, "mart_upt_bulanan": bulanan,
        "mart_penjualan_ringkas": penj, "mart_produksi_ringkas": prod, "mart_pnbp_bulanan": pnbp_df,
        "mart_margin_kegiatan": pd.DataFrame(margin_rows), "mart_kelengkapan": kel_df,
        "mart_karantina": pd.DataFrame(kar), "mart_file_ditolak": pd.DataFrame(tolak), "meta_muatan": muatan,
        "mart_temuan": pd.DataFrame(
            [dict(temuan_id=t[0], periode=t[1], jenis_periode="TRIWULAN", aturan=t[2], kategori=t[3], level=t[4],
                  kode=t[5], kode_kanwil=t[6], kode_upt=t[7], kode_kegiatan=t[8], bidang=t[9], indikator=t[10],
                  nilai=t[11], pembanding=t[12], peringkat=t[13], sementara=False) for t in TEMUAN]),
    }
    con = duckdb.connect(str(path))
    try:
        for name, ddl in DDL.items():
            con.execute(ddl)
            df = frames[name]
            cols = [r[0] for r in con.execute(f"select column_name from information_schema.columns where table_name = '{name}' order by ordinal_position").fetchall()]
            con.register("_src", df[cols])
            con.execute(f"insert into {name} select * from _src")
            con.unregister("_src")
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def build_empty_warehouse(path: Path) -> Path:
    """The same tables with no rows (a warehouse published before any load)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        for ddl in DDL.values():
            con.execute(ddl)
    finally:
        con.close()
    return path


if __name__ == "__main__":  # pragma: no cover - handy for a manual look
    import sys

    print(build_warehouse(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/monev_fixture.duckdb")))


# ---------------------------------------------------------------------- shared by the dashboard tests
@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Path:
    """The fixture warehouse, built once per test module."""
    return build_warehouse(tmp_path_factory.mktemp("wh") / "monev.duckdb")


@pytest.fixture(scope="module")
def gudang(wh):
    from dashboards.data import Gudang

    g = Gudang(wh)
    yield g
    g.close()


def ctx(gudang, p, **kw):
    """A page context for user ``p`` with filters ``kw`` (period 2024Q3 unless given)."""
    from dashboards.components import Konteks
    from dashboards.data import Pilihan

    kw.setdefault("periode", "2024Q3")
    return Konteks(gudang, p, Pilihan(**kw))


def cari_id(komponen, id_):
    """The component with ``id_`` in a Dash component tree (None when absent)."""
    if isinstance(komponen, (list, tuple)):
        for x in komponen:
            hasil = cari_id(x, id_)
            if hasil is not None:
                return hasil
        return None
    if getattr(komponen, "id", None) == id_:
        return komponen
    anak = getattr(komponen, "children", None)
    return None if anak is None or isinstance(anak, str) else cari_id(anak, id_)
