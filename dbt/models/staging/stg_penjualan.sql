-- One row per penjualan row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

penjualan_rows as (
    select *
    from {{ source('raw', 'penjualan') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    no_transaksi,
    tanggal,
    kode_kegiatan,
    nama_produk,
    jumlah,
    harga_satuan,
    total,
    kanal,
    jenis_pembeli,
    mitra,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from penjualan_rows
