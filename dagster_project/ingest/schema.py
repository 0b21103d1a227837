"""DDL of the working warehouse's raw, meta and ref layers (docs/DESIGN.md, "Raw layer").

Ingestion owns these tables; dbt reads them as sources. Tests build small fixture
warehouses with the same DDL via :func:`create_all`.
"""

from __future__ import annotations

import duckdb

LINEAGE = "_file_id BIGINT NOT NULL, _row_number INTEGER NOT NULL, _load_id BIGINT NOT NULL"
HEAD = "kode_upt VARCHAR NOT NULL, bulan DATE NOT NULL"

# Typed columns of each raw table (personal data already reduced), in table order.
RAW_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "narapidana": [
        ("no_registrasi", "VARCHAR"), ("nik_hash", "VARCHAR"), ("jenis_kelamin", "VARCHAR"),
        ("kelompok_umur", "VARCHAR"), ("tanggal_masuk", "DATE"), ("lama_pidana_hari", "INTEGER"),
        ("tanggal_keluar", "DATE"), ("tanggal_litmas", "DATE"), ("rekomendasi_litmas", "VARCHAR"),
        ("minat_bakat", "VARCHAR"),
    ],
    "kegiatan": [
        ("kode_kegiatan", "VARCHAR"), ("nama_kegiatan", "VARCHAR"), ("jenis_kegiatan", "VARCHAR"),
        ("bidang", "VARCHAR"), ("subbidang", "VARCHAR"), ("tanggal_mulai", "DATE"),
        ("tanggal_selesai", "DATE"), ("tahap", "VARCHAR"), ("anggaran_rab", "DECIMAL(18,2)"),
        ("realisasi_anggaran", "DECIMAL(18,2)"), ("sumber_dana", "VARCHAR"), ("mitra", "VARCHAR"),
        ("penanggung_jawab", "VARCHAR"), ("prioritas", "BOOLEAN"),
        ("bahan_baku", "VARCHAR"), ("produksi", "VARCHAR"), ("bahan_mentah", "VARCHAR"),
        ("lokasi", "VARCHAR"), ("proses", "VARCHAR"), ("barang", "VARCHAR"), ("modal", "VARCHAR"),
        ("pengelola", "VARCHAR"),
    ],
    "peserta": [
        ("no_registrasi", "VARCHAR"), ("kode_kegiatan", "VARCHAR"), ("tanggal_mulai", "DATE"),
        ("tanggal_selesai", "DATE"), ("status", "VARCHAR"), ("nilai_akhir", "DECIMAL(9,2)"),
        ("lulus", "BOOLEAN"), ("no_sertifikat", "VARCHAR"), ("penerbit_sertifikat", "VARCHAR"),
        ("jam_kerja", "DECIMAL(9,2)"), ("upah", "DECIMAL(18,2)"),
    ],
    "produksi": [
        ("no_batch", "VARCHAR"), ("kode_kegiatan", "VARCHAR"), ("tanggal", "DATE"),
        ("nama_produk", "VARCHAR"), ("satuan", "VARCHAR"), ("jumlah_produksi", "DECIMAL(18,2)"),
        ("jumlah_lolos_qc", "DECIMAL(18,2)"), ("standar_mutu", "VARCHAR"), ("biaya_bahan", "DECIMAL(18,2)"),
    ],
    "penjualan": [
        ("no_transaksi", "VARCHAR"), ("tanggal", "DATE"), ("kode_kegiatan", "VARCHAR"),
        ("nama_produk", "VARCHAR"), ("jumlah", "DECIMAL(18,2)"), ("harga_satuan", "DECIMAL(18,2)"),
        ("total", "DECIMAL(18,2)"), ("kanal", "VARCHAR"), ("jenis_pembeli", "VARCHAR"), ("mitra", "VARCHAR"),
    ],
    "pnbp": [
        ("ntpn", "VARCHAR"), ("tanggal_setor", "DATE"), ("jumlah_setor", "DECIMAL(18,2)"),
        ("periode_penjualan", "DATE"), ("kode_billing", "VARCHAR"), ("keterangan", "VARCHAR"),
    ],
}

META_DDL = [
    """create table if not exists meta.file_registry (
        file_id BIGINT PRIMARY KEY, load_id BIGINT NOT NULL, path VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
        kode_upt VARCHAR, kind VARCHAR, bulan DATE, format VARCHAR, encoding VARCHAR, delimiter VARCHAR,
        sha256 VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, mtime_ns BIGINT NOT NULL,
        received_at TIMESTAMP NOT NULL, registered_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
        reject_code VARCHAR, reject_reason VARCHAR, rows_read INTEGER, rows_loaded INTEGER,
        rows_quarantined INTEGER, extra_columns VARCHAR, replaces_file_id BIGINT,
        is_current BOOLEAN NOT NULL DEFAULT false, submitted_by VARCHAR)""",
    """create table if not exists meta.quarantine (
        file_id BIGINT NOT NULL, load_id BIGINT NOT NULL, kind VARCHAR NOT NULL, kode_upt VARCHAR NOT NULL,
        bulan DATE NOT NULL, row_number INTEGER NOT NULL, reason_code VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        record_key VARCHAR, record JSON)""",
    """create table if not exists meta.loads (
        load_id BIGINT PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, status VARCHAR NOT NULL,
        files_seen INTEGER, files_accepted INTEGER, files_replaced INTEGER, files_unchanged INTEGER,
        files_identical INTEGER, files_rejected INTEGER, rows_loaded BIGINT, rows_quarantined BIGINT,
        message VARCHAR)""",
]

REF_DDL = [
    """create table if not exists ref.upt (
        kode_upt VARCHAR PRIMARY KEY, nama_upt VARCHAR NOT NULL, jenis_upt VARCHAR NOT NULL, kelas VARCHAR NOT NULL,
        kode_kanwil VARCHAR NOT NULL, nama_kanwil VARCHAR NOT NULL, provinsi VARCHAR NOT NULL, kapasitas INTEGER NOT NULL)""",
    "create table if not exists ref.bidang (kode_bidang VARCHAR PRIMARY KEY, label VARCHAR NOT NULL)",
    """create table if not exists ref.subbidang (kode_subbidang VARCHAR PRIMARY KEY, kode_bidang VARCHAR NOT NULL,
        label VARCHAR NOT NULL, cakupan VARCHAR)""",
    """create table if not exists ref.industri (dimensi VARCHAR NOT NULL, kode VARCHAR NOT NULL, label VARCHAR NOT NULL,
        keterangan VARCHAR, PRIMARY KEY (dimensi, kode))""",
    # units of measure: written spelling (trimmed, lower-case) -> canonical unit (KPI_DICTIONARY `satuan`)
    "create table if not exists ref.satuan (satuan_asal VARCHAR PRIMARY KEY, satuan VARCHAR NOT NULL, label VARCHAR)",
]


def raw_ddl(kind: str) -> str:
    cols = ", ".join(f"{name} {typ}" for name, typ in RAW_COLUMNS[kind])
    return f"create table if not exists raw.{kind} ({HEAD}, {cols}, {LINEAGE})"


def create_all(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table of the working warehouse that does not exist yet."""
    for schema in ("raw", "meta", "ref"):
        con.execute(f"create schema if not exists {schema}")
    for kind in RAW_COLUMNS:
        con.execute(raw_ddl(kind))
    for ddl in META_DDL + REF_DDL:
        con.execute(ddl)
    # Added after the first releases: warehouses created before get the column here.
    con.execute("alter table meta.file_registry add column if not exists submitted_by VARCHAR")
