-- Every rate is NULL exactly when its denominator is 0, and otherwise equals numerator / denominator.
{% for r in kpi_rate_columns() %}
select level, kode, periode, '{{ r.name }}' as rate
from {{ ref('kpi_indikator') }}
where ({{ r.name }} is null) <> ({{ r.den }} = 0)
    or abs({{ r.name }} - cast({{ r.num }} as {{ type_double() }}) / cast({{ r.den }} as {{ type_double() }})) > 1e-9
{% if not loop.last %}union all{% endif %}
{% endfor %}
union all
select level, kode, periode, 'qc_pass_rate (kpi_rincian)' as rate
from {{ ref('kpi_rincian') }}
where (qc_pass_rate is null) <> (coalesce(produksi_unit, 0) = 0)
