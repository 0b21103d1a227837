-- One row per produksi row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

produksi_rows as (
    select *
    from {{ source('raw', 'produksi') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    no_batch,
    kode_kegiatan,
    tanggal,
    nama_produk,
    satuan,
    jumlah_produksi,
    jumlah_lolos_qc,
    standar_mutu,
    biaya_bahan,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from produksi_rows
