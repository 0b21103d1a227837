-- One row per kegiatan row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

kegiatan_rows as (
    select *
    from {{ source('raw', 'kegiatan') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    kode_kegiatan,
    nama_kegiatan,
    jenis_kegiatan,
    bidang,
    subbidang,
    tanggal_mulai,
    tanggal_selesai,
    tahap,
    anggaran_rab,
    realisasi_anggaran,
    sumber_dana,
    mitra,
    penanggung_jawab,
    prioritas,
    bahan_baku,
    produksi,
    bahan_mentah,
    lokasi,
    proses,
    barang,
    modal,
    pengelola,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from kegiatan_rows
