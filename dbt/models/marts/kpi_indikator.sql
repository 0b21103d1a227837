-- One row per (level, kode, periode): every indicator of KPI_DICTIONARY.md in its order.
-- upt: one row per UPT of the master and period (zeros where it sent nothing); kanwil and
-- nasional: sums of their UPTs' counts and amounts; rates recomputed from the summed
-- numerator and denominator, NULL when the denominator is 0.
{%- set additive = kpi_additive_columns() %}

with upt_figures as (
    select * from {{ ref('int_kpi_upt_periode') }}
),

all_levels as (
    select
        'upt' as level,
        kode_upt as kode,
        periode,
        jenis_periode,
        {% for c in additive %}{{ c.name }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from upt_figures

    union all

    select
        'kanwil' as level,
        kode_kanwil as kode,
        periode,
        jenis_periode,
        {% for c in additive %}sum({{ c.name }}) as {{ c.name }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from upt_figures
    group by kode_kanwil, periode, jenis_periode

    union all

    select
        'nasional' as level,
        'NASIONAL' as kode,
        periode,
        jenis_periode,
        {% for c in additive %}sum({{ c.name }}) as {{ c.name }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from upt_figures
    group by periode, jenis_periode
)

select
    level,
    kode,
    periode,
    jenis_periode,
    {% for c in kpi_columns() -%}
    {%- if c.kind == 'rate' -%}
    {{ safe_divide(c.num, c.den) }} as {{ c.name }},
    {%- else -%}
    cast({{ c.name }} as {{ kpi_column_type(c.kind) }}) as {{ c.name }},
    {%- endif %}
    {% endfor -%}
    cast(file_diharapkan as {{ dbt.type_bigint() }}) as file_diharapkan
from all_levels
