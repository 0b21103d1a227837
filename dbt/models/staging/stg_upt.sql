-- One row per UPT of the master list in force.
with upt_master as (
    select * from {{ source('ref', 'upt') }}
)

select
    kode_upt,
    nama_upt,
    jenis_upt,
    kelas,
    kode_kanwil,
    nama_kanwil,
    provinsi,
    kapasitas
from upt_master
