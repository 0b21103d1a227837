{#
  Custom schemas are used verbatim (staging, intermediate, marts, snapshots) instead of
  dbt's default "<target schema>_<custom schema>": publication copies schema `marts` as is.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
