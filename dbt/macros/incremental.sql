{#
  Incremental latest-version models (docs/DESIGN.md "Incremental builds", docs/DECISIONS.md 37).

  A record's latest version can only change through a file of its (UPT, kind, month) group: a new
  file, a corrected re-send (the replaced version stops counting), a forced re-ingestion. So a build
  after load N recomputes exactly the records whose key appears in any version of a group that has
  a file registered after N (`var('sejak_load')`, set by the Dagster asset to the load of the last
  successful dbt build), from all current rows of those keys; every other row is kept. Recomputing
  a key is idempotent, so a smaller N (a failed build) only recomputes more. Without the var every
  key is recomputed. Spark builds these as plain tables (its Parquet tables cannot delete rows).
#}

{% macro latest_materialization() -%}
{{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{% macro affected_record_keys(kind, key_columns) -%}
select distinct {{ key_columns | join(', ') }}
from {{ source('raw', kind) }}
where _file_id in (
    select f.file_id
    from {{ source('meta', 'file_registry') }} as f
    inner join (
        select distinct kode_upt, bulan
        from {{ source('meta', 'file_registry') }}
        where kind = '{{ kind }}' and load_id > {{ var('sejak_load', -1) }}
    ) as g
        on f.kode_upt = g.kode_upt and f.bulan = g.bulan
    where f.kind = '{{ kind }}'
)
{%- endmacro %}

{% macro delete_affected_records(kind, key_columns) -%}
{%- if is_incremental() -%}
delete from {{ this }}
where exists (
    select 1
    from ({{ affected_record_keys(kind, key_columns) }}) as a
    where {% for c in key_columns %}a.{{ c }} is not distinct from {{ this.identifier }}.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %}
)
{%- endif -%}
{%- endmacro %}
