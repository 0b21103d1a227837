{#
  The indicator columns of KPI_DICTIONARY.md (version 2) in dictionary order, from the KPI
  catalogue (var kpi_katalog in dbt_project.yml, also read by dagster_project/katalog.py). kind:
  count (bigint), amount (decimal), rate (double, num / den), code (string, level upt only). Used
  by kpi_indikator, the snapshot's revision view, and the singular tests. kelengkapan_laporan's numerator is the hidden file_diterima_jatuh_tempo (files of the
  months whose deadline has passed), its denominator the hidden file_diharapkan.
#}
{% macro kpi_columns() -%}
    {%- set cols = [] -%}
    {%- for e in var('kpi_katalog') -%}
        {%- if e['jenis'] == 'rate' -%}
            {%- do cols.append({'name': e['nama'], 'kind': 'rate', 'num': e['pembilang'], 'den': e['penyebut']}) -%}
        {%- else -%}
            {%- do cols.append({'name': e['nama'], 'kind': e['jenis']}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{#
  The condition under which indicator `name` of a UPT is not empty: the UPT had an accepted file of
  every kind the catalogue's `butuh` lists for a month of P (columns ada_<kind> of
  int_upt_periode_file, aliased `alias`). KPI_DICTIONARY "Who reported".
#}
{% macro kpi_butuh(name, alias='fl') -%}
    {%- set conds = [] -%}
    {%- for e in var('kpi_katalog') if e['nama'] == name -%}
        {%- for kind in e['butuh'] -%}{%- do conds.append(alias ~ '.ada_' ~ kind) -%}{%- endfor -%}
    {%- endfor -%}
    {%- if conds -%}({{ conds | join(' and ') }}){%- else -%}{{ alias }}.is_melapor{%- endif -%}
{%- endmacro %}

{# Count and amount columns, plus the hidden denominators that are not dictionary columns. #}
{% macro kpi_additive_columns() -%}
    {%- set cols = [] -%}
    {%- for c in kpi_columns() if c.kind in ('count', 'amount') -%}{%- do cols.append(c) -%}{%- endfor -%}
    {%- do cols.append({'name': 'file_diharapkan', 'kind': 'count'}) -%}
    {%- do cols.append({'name': 'file_diterima_jatuh_tempo', 'kind': 'count'}) -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro kpi_rate_columns() -%}
    {%- set cols = [] -%}
    {%- for c in kpi_columns() if c.kind == 'rate' -%}{%- do cols.append(c) -%}{%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro kpi_column_type(kind) -%}
    {%- if kind == 'count' -%}{{ dbt.type_bigint() }}
    {%- elif kind == 'amount' -%}{{ type_amount() }}
    {%- elif kind == 'code' -%}{{ dbt.type_string() }}
    {%- else -%}{{ type_double() }}{%- endif -%}
{%- endmacro %}

{#
  Select-list of an aggregated KPI row (kpi_indikator's kanwil / nasional rows, kpi_kelompok): every
  count and amount summed over the UPTs whose value is not empty, and each rate's numerator and
  denominator (n_<rate>, d_<rate>) summed over the UPTs where both are not empty. `aggregate` false
  gives the same columns for a single UPT row.
#}
{% macro kpi_aggregate_columns(aggregate=true) -%}
    {%- for c in kpi_additive_columns() -%}
    {{ 'sum(' ~ c.name ~ ')' if aggregate else c.name }} as {{ c.name }},
    {% endfor -%}
    {%- for r in kpi_rate_columns() -%}
    {%- set both = r.num ~ ' is not null and ' ~ r.den ~ ' is not null' -%}
    {%- set n = 'case when ' ~ both ~ ' then ' ~ r.num ~ ' end' -%}
    {%- set d = 'case when ' ~ both ~ ' then ' ~ r.den ~ ' end' -%}
    {{ 'sum(' ~ n ~ ')' if aggregate else n }} as n_{{ r.name }},
    {{ 'sum(' ~ d ~ ')' if aggregate else d }} as d_{{ r.name }}{% if not loop.last %},{% endif %}
    {% endfor -%}
{%- endmacro %}

{# The dictionary columns of a row built by kpi_aggregate_columns (alias `a`): rates from their parts. #}
{% macro kpi_final_columns(alias='a') -%}
    {%- for c in kpi_columns() -%}
    {%- if c.kind == 'rate' -%}
    {{ safe_divide(alias ~ '.n_' ~ c.name, alias ~ '.d_' ~ c.name) }} as {{ c.name }},
    {%- else -%}
    cast({{ alias }}.{{ c.name }} as {{ kpi_column_type(c.kind) }}) as {{ c.name }},
    {%- endif %}
    {% endfor -%}
{%- endmacro %}
