-- One row per UPT of the master list in force.
with upts as (
    select * from {{ ref('stg_upt') }}
)

select
    kode_upt,
    nama_upt,
    jenis_upt,
    kelas,
    kode_kanwil,
    nama_kanwil,
    provinsi,
    cast(kapasitas as integer) as kapasitas,
    {{ dbt.concat(['jenis_upt', "' '", 'kelas']) }} as kelompok_sejawat
from upts
