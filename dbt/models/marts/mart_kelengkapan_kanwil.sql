-- One row per (Kanwil, UPT type, UPT class, month with data), '*' = any type / any class: files
-- expected (6 kinds x master UPTs of the group), received (current accepted version), late, and the
-- share received. Read by the Kualitas Data page's national Kanwil x month matrix so the page does
-- no ratio of its own.
with rows_upt as (
    select k.kode_upt, u.kode_kanwil, u.jenis_upt, u.kelas, k.bulan, k.status, k.terlambat
    from {{ ref('mart_kelengkapan') }} as k
    inner join {{ ref('stg_upt') }} as u
        on k.kode_upt = u.kode_upt
),

groups as (
    {% for by_jenis in [true, false] %}
    {% for by_kelas in [true, false] %}
    select
        kode_kanwil,
        {{ "jenis_upt" if by_jenis else "'*'" }} as jenis_upt,
        {{ "kelas" if by_kelas else "'*'" }} as kelas,
        bulan,
        count(distinct kode_upt) as jumlah_upt,
        count(*) as file_diharapkan,
        sum(case when status = 'DITERIMA' then 1 else 0 end) as file_diterima,
        sum(case when terlambat then 1 else 0 end) as file_terlambat
    from rows_upt
    group by kode_kanwil, {{ "jenis_upt, " if by_jenis else "" }}{{ "kelas, " if by_kelas else "" }}bulan
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    g.kode_kanwil,
    cast(g.jenis_upt as {{ dbt.type_string() }}) as jenis_upt,
    cast(g.kelas as {{ dbt.type_string() }}) as kelas,
    g.bulan,
    cast(g.jumlah_upt as {{ dbt.type_bigint() }}) as jumlah_upt,
    cast(g.file_diharapkan as {{ dbt.type_bigint() }}) as file_diharapkan,
    cast(g.file_diterima as {{ dbt.type_bigint() }}) as file_diterima,
    cast(g.file_terlambat as {{ dbt.type_bigint() }}) as file_terlambat,
    {{ safe_divide('g.file_diterima', 'g.file_diharapkan') }} as rasio_diterima
from groups as g
