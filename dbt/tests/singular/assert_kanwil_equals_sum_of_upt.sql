-- Every count and sum of a Kanwil row equals the sum over its UPTs (master), for every period.
{%- set additive = kpi_additive_columns() %}
with upt_rows as (
    select k.*, u.kode_kanwil
    from {{ ref('kpi_indikator') }} as k
    inner join {{ ref('dim_upt') }} as u
        on k.kode = u.kode_upt
    where k.level = 'upt'
),

upt_sums as (
    select
        kode_kanwil,
        periode,
        {% for c in additive %}sum({{ c.name }}) as {{ c.name }}{% if not loop.last %}, {% endif %}{% endfor %}
    from upt_rows
    group by kode_kanwil, periode
),

kanwil_rows as (
    select * from {{ ref('kpi_indikator') }} where level = 'kanwil'
)

select kw.kode, kw.periode
from kanwil_rows as kw
full outer join upt_sums as s
    on kw.kode = s.kode_kanwil and kw.periode = s.periode
where kw.kode is null
    or s.kode_kanwil is null
    {% for c in additive %}
    or kw.{{ c.name }} <> s.{{ c.name }}
    {% endfor %}
