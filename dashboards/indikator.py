"""Metadata of the published indicators (KPI_DICTIONARY.md): labels, kinds, how to re-aggregate.

Labels, display kinds, directions and rate parts come from the one KPI catalogue
(dagster_project/katalog.py, which reads dbt/dbt_project.yml and imports nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass

from dagster_project import katalog

from dashboards import fmt


@dataclass(frozen=True)
class Indikator:
    kolom: str
    label: str
    jenis: str  # "persen" | "rupiah" | "angka" | "desimal"
    naik_baik: bool = True  # a higher value is better (for rankings and colours)


# The columns of kpi_indikator after (level, kode, periode, jenis_periode) that the pages re-aggregate,
# in dictionary order: the output contract shared with `monev kpi`, up to the version-1 columns (the
# coverage and status columns of version 2 are not summed by the pages).
_SEMUA: tuple[str, ...] = katalog.kolom()
KOLOM_KPI: tuple[str, ...] = _SEMUA[: _SEMUA.index("baris_karantina") + 1]

# rate -> (numerator, denominator); rates are recomputed from sums, never averaged.
RASIO: dict[str, tuple[str, str]] = {
    k: v for k, v in katalog.rasio().items() if k in KOLOM_KPI and k != "kelengkapan_laporan"}
# kelengkapan_laporan = file_diterima / (6 x months x number of UPTs): handled separately.
KOLOM_JUMLAH: tuple[str, ...] = tuple(c for c in KOLOM_KPI if c not in RASIO and c != "kelengkapan_laporan")

_DAFTAR = [Indikator(i.nama, i.label, i.tampilan, i.naik_baik is not False) for i in katalog.katalog()]
INDIKATOR: dict[str, Indikator] = {i.kolom: i for i in _DAFTAR}
# Counts and sums of the dictionary: empty only when the unit did not report what they are computed from.
KOLOM_BELUM_MELAPOR: frozenset[str] = frozenset(i.nama for i in katalog.katalog() if i.jenis in ("count", "amount"))


def kosong_belum_melapor(kolom: str) -> bool:
    """Whether an empty value of this column reads "belum melapor" (rather than "–")."""
    return kolom in KOLOM_BELUM_MELAPOR

# The headline indicators of Ringkasan Nasional, in display order.
UTAMA: tuple[str, ...] = (
    "tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7",
    "qc_pass_rate", "pendapatan", "rasio_setor_pnbp", "kelengkapan_laporan",
)
# Indicators offered for rankings/heatmaps (rates compare units of different sizes fairly).
PERINGKAT: tuple[str, ...] = (
    "tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7",
    "qc_pass_rate", "rasio_setor_pnbp", "tingkat_sertifikasi", "tingkat_realisasi_anggaran",
    "kelengkapan_laporan", "pendapatan",
)


def rasio_sql(kolom: str, alias: str = "t") -> str:
    """SQL for rate ``kolom`` over a group of published rows: the sum of the catalogue's numerator over
    the sum of its denominator, NULL when the denominator sums to 0 or is empty; never an average of
    rates. For the slices only the pages make (a month across the units in scope, a product)."""
    pembilang, penyebut = katalog.rasio()[kolom]
    return (f"case when coalesce(sum({alias}.{penyebut}), 0) = 0 then null "
            f"else cast(sum({alias}.{pembilang}) as double) / cast(sum({alias}.{penyebut}) as double) end")


def hari_setor_sql(alias: str = "t") -> str:
    """Deposit delay over several rows of mart_pnbp_bulanan: its rata_hari_setor is weighted by the amount
    deposited, so weighting again by pnbp_disetor combines months and units exactly (DECISIONS.md 49)."""
    return (f"case when coalesce(sum({alias}.pnbp_disetor), 0) = 0 then null "
            f"else sum({alias}.rata_hari_setor * {alias}.pnbp_disetor) / sum({alias}.pnbp_disetor) end")


def label(kolom: str) -> str:
    i = INDIKATOR.get(kolom)
    return i.label if i else kolom.replace("_", " ").capitalize()


def format_nilai(kolom: str, nilai) -> str:
    """Format a value of indicator ``kolom`` the Indonesian way ("belum melapor" for an empty count or sum)."""
    if fmt.kosong(nilai) and kosong_belum_melapor(kolom):
        return fmt.BELUM_MELAPOR
    i = INDIKATOR.get(kolom)
    jenis = i.jenis if i else "desimal"
    if jenis == "persen":
        return fmt.format_persen(nilai)
    if jenis == "rupiah":
        return fmt.format_rupiah(nilai)
    if jenis == "desimal":
        return fmt.format_angka(nilai, 0 if fmt.kosong(nilai) or float(nilai).is_integer() else 1)
    return fmt.format_angka(nilai)


def format_perubahan(kolom: str, baru, lama) -> str:
    """Change between two values: points for rates, relative % for amounts and counts."""
    i = INDIKATOR.get(kolom)
    if i and i.jenis == "persen":
        if fmt.kosong(baru) or fmt.kosong(lama):
            return fmt.KOSONG
        return fmt.format_selisih_persen_poin(float(baru) - float(lama))
    return fmt.format_perubahan_relatif(baru, lama)


# Labels and kinds of the other columns the pages and exports show.
_KOLOM_LAIN: dict[str, tuple[str, str]] = {
    "kode_upt": ("Kode UPT", "teks"), "nama_upt": ("Nama UPT", "teks"), "jenis_upt": ("Jenis UPT", "teks"),
    "kelas": ("Kelas", "teks"), "kelompok_sejawat": ("Kelompok sejawat", "teks"),
    "kode_kanwil": ("Kode Kanwil", "teks"), "nama_kanwil": ("Kanwil", "teks"), "provinsi": ("Provinsi", "teks"),
    "kapasitas": ("Kapasitas", "angka"), "jumlah_upt": ("Jumlah UPT", "angka"),
    "tingkat_hunian": ("Tingkat hunian", "persen"), "peringkat": ("Peringkat", "angka"),
    "peringkat_sebelumnya": ("Peringkat triwulan lalu", "angka"), "perubahan_peringkat": ("Perubahan peringkat", "angka"),
    "nilai": ("Nilai", "teks"), "nilai_sebelumnya": ("Nilai triwulan lalu", "teks"), "perubahan": ("Perubahan", "teks"),
    "pencilan": ("Pencilan", "teks"), "indikator": ("Indikator", "teks"), "label": ("Indikator", "teks"),
    "periode": ("Periode", "teks"), "level": ("Tingkat", "teks"), "kode": ("Kode", "teks"), "nama": ("Nama", "teks"),
    "nilai_awal": ("Nilai awal", "desimal"), "nilai_terkini": ("Nilai terkini", "desimal"),
    "diterbitkan_awal": ("Diterbitkan awal", "waktu"), "diterbitkan_terkini": ("Diterbitkan terkini", "waktu"),
    "selisih": ("Selisih bersih (penjualan - setoran)", "rupiah"),
    "rata_hari_setor": ("Rata-rata jeda setor (hari, tertimbang nilai)", "desimal"),
    "biaya_bahan": ("Biaya bahan", "rupiah"), "margin": ("Margin", "rupiah"), "rasio_margin": ("Rasio margin", "persen"),
    "kode_kegiatan": ("Kode kegiatan", "teks"), "nama_kegiatan": ("Nama kegiatan", "teks"),
    "jenis_kegiatan": ("Jenis kegiatan", "teks"), "bidang": ("Bidang", "teks"), "subbidang": ("Subbidang", "teks"),
    "tahap": ("Tahap", "teks"), "jumlah_kegiatan": ("Jumlah kegiatan", "angka"),
    "tanggal_mulai": ("Tanggal mulai", "tanggal"), "tanggal_selesai": ("Tanggal selesai", "tanggal"),
    "kanal": ("Kanal", "teks"), "satuan": ("Satuan", "teks"), "jenis_pembeli": ("Jenis pembeli", "teks"), "jumlah_transaksi": ("Jumlah transaksi", "angka"),
    "nama_produk": ("Produk", "teks"), "standar_mutu": ("Standar mutu", "teks"),
    "bulan": ("Bulan", "bulan"), "kind": ("Jenis laporan", "teks"), "status": ("Status", "teks"),
    "terlambat": ("Terlambat", "teks"), "received_at": ("Diterima", "waktu"), "rows_read": ("Baris dibaca", "angka"),
    "rows_quarantined": ("Baris dikarantina", "angka"), "path": ("File", "teks"), "submitted_by": ("Dikirim oleh", "teks"), "row_number": ("Baris ke-", "angka"),
    "reason_code": ("Kode alasan", "teks"), "reason": ("Alasan", "teks"), "jumlah_baris": ("Jumlah baris", "angka"),
    "jumlah_file": ("Jumlah file", "angka"), "file_diharapkan": ("File diharapkan", "angka"),
    "file_diterima_jatuh_tempo": ("File diterima (sudah jatuh tempo)", "angka"),
    "file_ditolak": ("File ditolak", "angka"), "file_tidak_ada": ("File tidak ada", "angka"),
    "file_terlambat": ("File terlambat", "angka"), "load_id": ("ID muatan", "angka"), "started_at": ("Mulai", "waktu"),
    "finished_at": ("Selesai", "waktu"), "message": ("Pesan", "teks"), "files_seen": ("File dilihat", "angka"),
    "files_accepted": ("File diterima", "angka"), "files_rejected": ("File ditolak", "angka"),
    "rows_loaded": ("Baris dimuat", "angka"), "nilai_periode": ("Nilai", "teks"),
    "tahun_lalu": ("Periode sama tahun lalu", "teks"), "sebelumnya": ("Periode sebelumnya", "teks"),
    "vs_sebelumnya": ("Perubahan vs periode sebelumnya", "teks"), "vs_tahun_lalu": ("Perubahan vs tahun lalu", "teks"),
    "prioritas": ("Prioritas", "teks"), "sumber_dana": ("Sumber dana", "teks"), "mitra": ("Mitra", "teks"),
    "penanggung_jawab": ("Penanggung jawab", "teks"),
}


def label_kolom(kolom: str) -> str:
    if kolom in INDIKATOR:
        return INDIKATOR[kolom].label
    if kolom in _KOLOM_LAIN:
        return _KOLOM_LAIN[kolom][0]
    return kolom.replace("_", " ").capitalize()


JENIS_ANGKA = ("rupiah", "persen", "angka", "desimal")  # kinds of column that hold numbers


def jenis_kolom(kolom: str) -> str:
    """teks | angka | desimal | rupiah | persen | tanggal | bulan | waktu."""
    if kolom in INDIKATOR:
        return INDIKATOR[kolom].jenis
    if kolom in _KOLOM_LAIN:
        return _KOLOM_LAIN[kolom][1]
    return "teks"
