-- Every count and sum of a Kanwil row equals the sum over its UPTs (master) whose value is not
-- empty (NULL when all are), for every period; every rate equals the sum of its numerator over the
-- sum of its denominator, both over the UPTs where numerator and denominator are not empty.
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
        {% for c in additive %}sum({{ c.name }}) as {{ c.name }}, {% endfor %}
        {% for r in kpi_rate_columns() %}
        {%- set both = r.num ~ ' is not null and ' ~ r.den ~ ' is not null' -%}
        {{ safe_divide('sum(case when ' ~ both ~ ' then ' ~ r.num ~ ' end)', 'sum(case when ' ~ both ~ ' then ' ~ r.den ~ ' end)') }} as {{ r.name }}{% if not loop.last %}, {% endif %}
        {% endfor %}
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
    or not (kw.{{ c.name }} = s.{{ c.name }} or (kw.{{ c.name }} is null and s.{{ c.name }} is null))
    {% endfor %}
    {% for r in kpi_rate_columns() %}
    or (kw.{{ r.name }} is null) <> (s.{{ r.name }} is null)
    or abs(kw.{{ r.name }} - s.{{ r.name }}) > 1e-9
    {% endfor %}
