-- One row per reporting month present in the data: any bulan of a LOADED file version.
with loaded_files as (
    select bulan
    from {{ ref('stg_file_registry') }}
    where status = 'LOADED' and bulan is not null
)

select distinct
    cast({{ dbt.date_trunc('month', 'bulan') }} as date) as bulan
from loaded_files
