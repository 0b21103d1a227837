-- One row per pnbp row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

pnbp_rows as (
    select *
    from {{ source('raw', 'pnbp') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    ntpn,
    tanggal_setor,
    jumlah_setor,
    periode_penjualan,
    kode_billing,
    keterangan,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from pnbp_rows
