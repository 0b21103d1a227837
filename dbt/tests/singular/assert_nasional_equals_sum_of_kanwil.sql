-- Every count and sum of the national row equals the sum over the Kanwil rows, for every period.
{%- set additive = kpi_additive_columns() %}
with kanwil_sums as (
    select
        periode,
        {% for c in additive %}sum({{ c.name }}) as {{ c.name }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ ref('kpi_indikator') }}
    where level = 'kanwil'
    group by periode
),

national_rows as (
    select * from {{ ref('kpi_indikator') }} where level = 'nasional'
)

select n.kode, n.periode
from national_rows as n
full outer join kanwil_sums as s
    on n.periode = s.periode
where n.kode is null
    or s.periode is null
    {% for c in additive %}
    or not (n.{{ c.name }} = s.{{ c.name }} or (n.{{ c.name }} is null and s.{{ c.name }} is null))
    {% endfor %}
