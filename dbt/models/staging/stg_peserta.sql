-- One row per peserta row of the current version of each file (meta.file_registry.is_current).
with current_files as (
    select file_id
    from {{ source('meta', 'file_registry') }}
    where is_current and status = 'LOADED'
),

peserta_rows as (
    select *
    from {{ source('raw', 'peserta') }}
    where _file_id in (select file_id from current_files)
)

select
    kode_upt,
    bulan,
    no_registrasi,
    kode_kegiatan,
    tanggal_mulai,
    tanggal_selesai,
    status,
    nilai_akhir,
    lulus,
    no_sertifikat,
    penerbit_sertifikat,
    jam_kerja,
    upah,
    _file_id as file_id,
    _row_number as source_row,
    _load_id as load_id
from peserta_rows
