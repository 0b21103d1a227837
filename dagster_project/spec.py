"""The UPT export specification (EXPORT_SPEC.md, version 1) as data.

This module is the single source of truth shared by the generator, the ingestion
step, the data contracts and the tests. Nothing here touches a database.

Column types:
- ``text``     free text / identifiers, trimmed
- ``code``     an enumeration value: upper-cased and trimmed, checked against ``enum``
- ``date``     Indonesian/ISO day-first date
- ``int``      a non-negative whole count (Indonesian thousands separators allowed)
- ``num``      a non-negative decimal count (jam_kerja, jumlah)
- ``rupiah``   a non-negative amount of Rupiah
- ``bool``     a yes/no value
- ``nik``      16-digit national ID (personal data: pseudonymised at ingest)
- ``name``     personal name (personal data: never stored)
- ``birth``    date of birth (personal data: reduced to an age band)
- ``period``   a ``YYYY-MM`` month
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS: tuple[str, ...] = ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")

# Order in which kinds are loaded within one batch: referenced kinds first.
LOAD_ORDER: tuple[str, ...] = KINDS

FILE_NAME_RE = re.compile(
    r"^(?P<kode_upt>[A-Za-z0-9]+)_(?P<kind>[A-Za-z]+)_(?P<yyyymm>[0-9A-Za-z]+)\.(?P<ext>csv|xlsx)$",
    re.IGNORECASE,
)

ENUMS: dict[str, tuple[str, ...]] = {
    "jenis_kelamin": ("L", "P"),
    "rekomendasi_litmas": ("PELATIHAN", "PRODUKSI", "PELATIHAN_PRODUKSI", "TIDAK_ADA"),
    "jenis_kegiatan": ("PELATIHAN", "PRODUKSI"),
    "bidang": ("PERTANIAN_PERIKANAN", "JASA", "INDUSTRI"),
    "tahap": ("PERENCANAAN", "ANALISIS", "PENGORGANISASIAN", "PELAKSANAAN", "MONEV", "SELESAI"),
    "sumber_dana": ("DIPA", "PNBP", "MITRA", "HIBAH", "LAINNYA"),
    "status": ("AKTIF", "SELESAI", "GUGUR"),
    "standar_mutu": ("SNI", "P-IRT", "HALAL", "INTERNAL", "TIDAK_ADA"),
    "kanal": (
        "MARKETPLACE", "WEBSITE", "MEDIA_SOSIAL", "IKLAN_ONLINE", "PAMERAN",
        "MALL", "BANDARA", "GALERI", "LANGSUNG",
    ),
    "jenis_pembeli": ("INTERNAL", "EKSTERNAL"),
}

# Industry classification dimensions carried by `kegiatan` (codes live in
# seeds/taxonomy_industri.csv, dimension column = the kegiatan column name).
INDUSTRY_DIMENSIONS: tuple[str, ...] = (
    "bahan_baku", "produksi", "bahan_mentah", "lokasi", "proses", "barang", "modal", "pengelola",
)

YES_VALUES = ("Y", "YA", "1", "TRUE")
NO_VALUES = ("N", "TIDAK", "0", "FALSE")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    enum: str | None = None  # key into ENUMS, or "subbidang" / an industry dimension (taxonomy)
    positive: bool = False  # value must be > 0 (not only >= 0)


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # (kind referenced, local column, referenced column): must have been sent by the same UPT
    references: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

SPEC: dict[str, Kind] = {
    "narapidana": Kind(
        "narapidana",
        (
            C("no_registrasi", "text", True),
            C("nik", "nik", True),
            C("nama", "name", True),
            C("jenis_kelamin", "code", True, "jenis_kelamin"),
            C("tanggal_lahir", "birth", True),
            C("tanggal_masuk", "date", True),
            C("lama_pidana_hari", "int", True, positive=True),
            C("tanggal_keluar", "date"),
            C("tanggal_litmas", "date"),
            C("rekomendasi_litmas", "code", False, "rekomendasi_litmas"),
            C("minat_bakat", "text"),
        ),
        key=("no_registrasi",),
    ),
    "kegiatan": Kind(
        "kegiatan",
        (
            C("kode_kegiatan", "text", True),
            C("nama_kegiatan", "text", True),
            C("jenis_kegiatan", "code", True, "jenis_kegiatan"),
            C("bidang", "code", True, "bidang"),
            C("subbidang", "code", True, "subbidang"),
            C("tanggal_mulai", "date", True),
            C("tanggal_selesai", "date"),
            C("tahap", "code", True, "tahap"),
            C("anggaran_rab", "rupiah"),
            C("realisasi_anggaran", "rupiah"),
            C("sumber_dana", "code", False, "sumber_dana"),
            C("mitra", "text"),
            C("penanggung_jawab", "text"),
            C("prioritas", "bool"),
            *(C(d, "code", False, d) for d in INDUSTRY_DIMENSIONS),
        ),
        key=("kode_kegiatan",),
    ),
    "peserta": Kind(
        "peserta",
        (
            C("no_registrasi", "text", True),
            C("kode_kegiatan", "text", True),
            C("tanggal_mulai", "date", True),
            C("tanggal_selesai", "date"),
            C("status", "code", True, "status"),
            C("nilai_akhir", "num"),
            C("lulus", "bool"),
            C("no_sertifikat", "text"),
            C("penerbit_sertifikat", "text"),
            C("jam_kerja", "num"),
            C("upah", "rupiah"),
        ),
        key=("no_registrasi", "kode_kegiatan", "tanggal_mulai"),
        references=(("narapidana", "no_registrasi"), ("kegiatan", "kode_kegiatan")),
    ),
    "produksi": Kind(
        "produksi",
        (
            C("no_batch", "text", True),
            C("kode_kegiatan", "text", True),
            C("tanggal", "date", True),
            C("nama_produk", "text", True),
            C("satuan", "text", True),
            C("jumlah_produksi", "num", True),
            C("jumlah_lolos_qc", "num", True),
            C("standar_mutu", "code", False, "standar_mutu"),
            C("biaya_bahan", "rupiah"),
        ),
        key=("no_batch",),
        references=(("kegiatan", "kode_kegiatan"),),
    ),
    "penjualan": Kind(
        "penjualan",
        (
            C("no_transaksi", "text", True),
            C("tanggal", "date", True),
            C("kode_kegiatan", "text", True),
            C("nama_produk", "text", True),
            C("jumlah", "num", True),
            C("harga_satuan", "rupiah", True),
            C("total", "rupiah", True),
            C("kanal", "code", True, "kanal"),
            C("jenis_pembeli", "code", True, "jenis_pembeli"),
            C("mitra", "text"),
        ),
        key=("no_transaksi",),
        references=(("kegiatan", "kode_kegiatan"),),
    ),
    "pnbp": Kind(
        "pnbp",
        (
            C("ntpn", "text", True),
            C("tanggal_setor", "date", True),
            C("jumlah_setor", "rupiah", True, positive=True),
            C("periode_penjualan", "period", True),
            C("kode_billing", "text"),
            C("keterangan", "text"),
        ),
        key=("ntpn",),
    ),
}

# Pairs of date columns that must be in order (first <= second), per kind.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "narapidana": (
        ("tanggal_lahir", "tanggal_masuk"),
        ("tanggal_masuk", "tanggal_keluar"),
        ("tanggal_masuk", "tanggal_litmas"),
    ),
    "kegiatan": (("tanggal_mulai", "tanggal_selesai"),),
    "peserta": (("tanggal_mulai", "tanggal_selesai"),),
}

# Reasons a whole file is rejected (nothing of it loads).
REJECT_CODES: dict[str, str] = {
    "BAD_NAME": "nama file tidak mengikuti pola {KODE_UPT}_{JENIS}_{YYYYMM}.csv|xlsx",
    "UNKNOWN_UPT": "kode UPT tidak ada dalam daftar induk UPT",
    "UNKNOWN_KIND": "jenis laporan tidak dikenal",
    "BAD_MONTH": "bulan pada nama file tidak valid",
    "UNREADABLE": "file tidak dapat dibaca",
    "MISSING_COLUMN": "kolom wajib tidak ada",
    "UPT_MISMATCH": "kolom kode_upt tidak sesuai dengan nama file",
}

# Reasons a row is quarantined (the rest of the file loads).
DEFECT_CODES: dict[str, str] = {
    "MISSING_REQUIRED": "nilai wajib kosong",
    "UNPARSEABLE": "nilai tidak dapat dibaca",
    "INVALID_ENUM": "nilai di luar daftar kode",
    "NEGATIVE": "jumlah negatif atau tidak positif",
    "DATE_ORDER": "urutan tanggal salah",
    "QC_EXCEEDS": "jumlah_lolos_qc melebihi jumlah_produksi",
    "TOTAL_MISMATCH": "total tidak sama dengan jumlah x harga_satuan",
    "UNKNOWN_REFERENCE": "merujuk narapidana/kegiatan yang tidak pernah dikirim UPT ini",
    "INVALID_NIK": "NIK bukan 16 digit",
    "DUPLICATE_KEY": "kunci ganda dalam file yang sama",
    "DUPLICATE_NTPN": "NTPN sudah dilaporkan UPT lain",
}

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("<18", 0, 17),
    ("18-25", 18, 25),
    ("26-35", 26, 35),
    ("36-45", 36, 45),
    ("46-55", 46, 55),
    ("56+", 56, 200),
)


def normalise_header(name: str) -> str:
    """`  Tanggal Masuk ` -> `tanggal_masuk` (case, surrounding spaces, spaces vs underscores)."""
    return re.sub(r"[\s_]+", "_", name.replace("\ufeff", "").strip().lower())
