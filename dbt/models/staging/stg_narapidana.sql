-- One row per narapidana row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

narapidana_rows as (
    select *
    from {{ source('raw', 'narapidana') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    no_registrasi,
    nik_hash,
    jenis_kelamin,
    kelompok_umur,
    tanggal_masuk,
    lama_pidana_hari,
    tanggal_keluar,
    tanggal_litmas,
    rekomendasi_litmas,
    minat_bakat,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from narapidana_rows
