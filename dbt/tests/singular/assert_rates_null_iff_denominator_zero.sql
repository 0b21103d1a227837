-- At level upt every rate is NULL exactly when its numerator or denominator is empty or the
-- denominator is 0, and otherwise equals numerator / denominator (Kanwil and national rates are
-- checked against their UPTs in assert_kanwil_equals_sum_of_upt). At every level a rate is never
-- set where its denominator is 0 or empty.
{% for r in kpi_rate_columns() %}
select level, kode, periode, '{{ r.name }}' as rate
from {{ ref('kpi_indikator') }}
where (level = 'upt' and (
        ({{ r.name }} is null) <> ({{ r.num }} is null or {{ r.den }} is null or {{ r.den }} = 0)
        or abs({{ r.name }} - cast({{ r.num }} as {{ type_double() }}) / cast({{ r.den }} as {{ type_double() }})) > 1e-9))
    or ({{ r.name }} is not null and ({{ r.den }} is null or {{ r.den }} = 0))
{% if not loop.last %}union all{% endif %}
{% endfor %}
union all
select level, kode, periode, 'qc_pass_rate (kpi_rincian)' as rate
from {{ ref('kpi_rincian') }}
where (qc_pass_rate is null) <> (coalesce(produksi_unit, 0) = 0)
