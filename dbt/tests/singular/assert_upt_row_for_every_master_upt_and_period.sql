-- kpi_indikator has a upt row for every UPT of the master and every period, and nothing else.
with expected as (
    select u.kode_upt as kode, p.periode
    from {{ ref('dim_upt') }} as u
    cross join {{ ref('dim_periode') }} as p
),

actual as (
    select kode, periode from {{ ref('kpi_indikator') }} where level = 'upt'
)

select coalesce(e.kode, a.kode) as kode, coalesce(e.periode, a.periode) as periode
from expected as e
full outer join actual as a
    on e.kode = a.kode and e.periode = a.periode
where e.kode is null or a.kode is null
