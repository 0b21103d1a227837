{#
  Scale-out to Spark (docs: dbt/README.md "Portability", deploy/README.md).

  On Spark the sources are the Parquet files that dagster_project/scaleout.py exports from the
  working warehouse, one folder per table: <MONEV_PARQUET_DIR>/<schema>/<table>/. The
  on-run-start hook registers every source of the project as an external table over its
  folder (drop + create: dropping an external table never deletes files), so a build always
  reads the latest export. Without MONEV_PARQUET_DIR nothing is registered: on a cluster whose
  metastore already has raw/meta/ref, leave it unset.
  On DuckDB the sources are tables of the working warehouse: nothing to do.
#}
{% macro register_parquet_sources() -%}
    {{ return(adapter.dispatch('register_parquet_sources', 'monev')()) }}
{%- endmacro %}

{% macro default__register_parquet_sources() -%}
    select 1 as nothing_to_register
{%- endmacro %}

{% macro spark__register_parquet_sources() -%}
    {%- set root = env_var('MONEV_PARQUET_DIR', '') -%}
    {%- if execute and root -%}
        {%- set schemas = [] -%}
        {%- for node in graph.sources.values() if node.schema not in schemas -%}
            {%- do schemas.append(node.schema) -%}
        {%- endfor -%}
        {%- for schema in schemas -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- endfor -%}
        {%- for node in graph.sources.values() -%}
            {%- set name = node.schema ~ '.' ~ node.identifier -%}
            {%- set location = root.rstrip('/') ~ '/' ~ node.schema ~ '/' ~ node.identifier -%}
            {%- do run_query('drop table if exists ' ~ name) -%}
            {%- do run_query("create table " ~ name ~ " using parquet location '" ~ location ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as sources_registered
{%- endmacro %}
