{#
  Small portable helpers. Model SQL uses these and dbt's cross-database macros only, so that
  a Spark target is a profile change. Adapter-specific SQL, when unavoidable, goes here
  behind adapter.dispatch.
#}

{# 8-byte floating point (dbt.type_float() is a 4-byte REAL on DuckDB). #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'monev')()) }}
{%- endmacro %}
{% macro default__type_double() -%}double{%- endmacro %}

{# Rupiah and unit amounts. #}
{% macro type_amount() -%}decimal(18,2){%- endmacro %}

{# num / den as a double, NULL when den is 0 or NULL (KPI_DICTIONARY: never 0). #}
{% macro safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else cast({{ numerator }} as {{ type_double() }}) / cast({{ denominator }} as {{ type_double() }})
    end
{%- endmacro %}

{# Whole days from first_date to second_date (second - first). #}
{% macro days_between(first_date, second_date) -%}
    {{ dbt.datediff(first_date, second_date, 'day') }}
{%- endmacro %}

{# A date shifted by n days / months, as a date (DuckDB's interval arithmetic yields a timestamp). #}
{% macro add_days(n, date_expr) -%}
    {{ return(adapter.dispatch('add_days', 'monev')(n, date_expr)) }}
{%- endmacro %}
{% macro default__add_days(n, date_expr) -%}
    cast({{ dbt.dateadd('day', n, date_expr) }} as date)
{%- endmacro %}
{% macro add_months(n, date_expr) -%}
    {{ return(adapter.dispatch('add_months', 'monev')(n, date_expr)) }}
{%- endmacro %}
{% macro default__add_months(n, date_expr) -%}
    cast({{ dbt.dateadd('month', n, date_expr) }} as date)
{%- endmacro %}

{# Integer to text. #}
{% macro to_text(expr) -%}
    cast({{ expr }} as {{ dbt.type_string() }})
{%- endmacro %}

{# Pseudonymous key of a record: hash of its parts joined with '|' (NULLs as empty). #}
{% macro pseudonym(parts) -%}
    {%- set coalesced = [] -%}
    {%- for p in parts -%}
        {%- if not loop.first -%}{%- do coalesced.append("'|'") -%}{%- endif -%}
        {%- do coalesced.append("coalesce(" ~ to_text(p) ~ ", '')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(coalesced)) }}
{%- endmacro %}

{#
  Pseudonymous inmate key. The NIK hash is a keyed HMAC (ingestion), so including it makes the
  key unguessable from a register number alone; kode_upt and no_registrasi keep it unique.
#}
{% macro inmate_key(kode_upt, no_registrasi, nik_hash) -%}
    {{ pseudonym([kode_upt, no_registrasi, nik_hash]) }}
{%- endmacro %}

{#
  Engine-specific date shifts. dbt.dateadd on Spark goes through unix timestamps (session time
  zone dependent); Spark's own date_add / add_months keep a date a date.
#}
{% macro spark__add_days(n, date_expr) -%}
    date_add(cast({{ date_expr }} as date), cast({{ n }} as int))
{%- endmacro %}
{% macro spark__add_months(n, date_expr) -%}
    add_months(cast({{ date_expr }} as date), cast({{ n }} as int))
{%- endmacro %}
