-- One row per Kanwil (regional office) of the UPT master.
with upts as (
    select * from {{ ref('stg_upt') }}
)

select
    kode_kanwil,
    min(nama_kanwil) as nama_kanwil,
    min(provinsi) as provinsi,
    cast(count(*) as {{ dbt.type_bigint() }}) as jumlah_upt,
    cast(sum(kapasitas) as {{ dbt.type_bigint() }}) as kapasitas
from upts
group by kode_kanwil
