{#
  The building blocks of KPI_DICTIONARY.md as SQL expressions, written once and used by every
  model that needs them. `n` is the alias of an inmate row (latest version), `d` a date
  expression.
#}

{# present(d): tanggal_masuk <= d and (tanggal_keluar empty or tanggal_keluar > d) #}
{% macro is_present(n, d) -%}
    ({{ n }}.tanggal_masuk <= {{ d }} and ({{ n }}.tanggal_keluar is null or {{ n }}.tanggal_keluar > {{ d }}))
{%- endmacro %}

{# served(d): d - tanggal_masuk in days #}
{% macro served_days(n, d) -%}
    {{ days_between(n ~ '.tanggal_masuk', d) }}
{%- endmacro %}

{# litmas_says(kind, d): a Litmas dated on or before d recommending kind or PELATIHAN_PRODUKSI #}
{% macro litmas_says(kind, n, d) -%}
    ({{ n }}.tanggal_litmas is not null
     and {{ n }}.tanggal_litmas <= {{ d }}
     and {{ n }}.rekomendasi_litmas in ('{{ kind }}', 'PELATIHAN_PRODUKSI'))
{%- endmacro %}

{# eligible_<kind>(d): present and (Litmas says so, or 1/3 (PELATIHAN) / 1/2 (PRODUKSI) of the sentence served) #}
{% macro is_eligible(kind, n, d) -%}
    {%- set factor = 3 if kind == 'PELATIHAN' else 2 -%}
    ({{ is_present(n, d) }}
     and ({{ litmas_says(kind, n, d) }}
          or {{ factor }} * {{ served_days(n, d) }} >= {{ n }}.lama_pidana_hari))
{%- endmacro %}

{# Same, for a kind held in a column (the programme's jenis_kegiatan). #}
{% macro is_eligible_for_kind(kind_col, n, d) -%}
    (case
        when {{ kind_col }} = 'PELATIHAN' then {{ is_eligible('PELATIHAN', n, d) }}
        when {{ kind_col }} = 'PRODUKSI' then {{ is_eligible('PRODUKSI', n, d) }}
        else false
    end)
{%- endmacro %}

{# A date range [start_col, end_col (NULL = open)] overlaps [first_day, last_day]. #}
{% macro overlaps(start_col, end_col, first_day, last_day) -%}
    ({{ start_col }} <= {{ last_day }} and ({{ end_col }} is null or {{ end_col }} >= {{ first_day }}))
{%- endmacro %}

{# Workforce class of an INDUSTRI programme from its number of distinct workers. #}
{% macro kelas_industri(bidang_col, workers_col) -%}
    case
        when {{ bidang_col }} <> 'INDUSTRI' then '-'
        when {{ workers_col }} < 5 then 'MIKRO'
        when {{ workers_col }} < 20 then 'KECIL'
        when {{ workers_col }} < 100 then 'SEDANG'
        else 'BESAR'
    end
{%- endmacro %}

{# Keep the latest version of each record: latest file month, then latest received, then highest file id. #}
{% macro latest_version_order() -%}
    bulan desc, received_at desc, file_id desc
{%- endmacro %}

{#
  Body of an int_*_latest model: the rows of `staging_model` (current file versions) reduced
  to the latest version per `key_columns`, with the file's received_at and the number of
  current monthly versions the record appears in.
#}
{% macro select_latest_version(staging_model, key_columns, incremental_kind=none) -%}
with record_rows as (
    select * from {{ ref(staging_model) }} as r
    {%- if incremental_kind and is_incremental() %}
    -- incremental build: only the records a changed file group can have changed (macros/incremental.sql)
    where exists (
        select 1
        from ({{ affected_record_keys(incremental_kind, key_columns) }}) as a
        where {% for c in key_columns %}a.{{ c }} is not distinct from r.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %}
    )
    {%- endif %}
),

files as (
    select file_id, received_at from {{ ref('stg_file_registry') }}
),

{%- set partition_cols = [] -%}
{%- for c in key_columns -%}{%- do partition_cols.append('record_rows.' ~ c) -%}{%- endfor %}

ranked_versions as (
    select
        record_rows.*,
        files.received_at,
        row_number() over (
            partition by {{ partition_cols | join(', ') }}
            order by record_rows.bulan desc, files.received_at desc, record_rows.file_id desc
        ) as version_rank,
        count(*) over (
            partition by {{ partition_cols | join(', ') }}
        ) as jumlah_versi
    from record_rows
    left join files
        on record_rows.file_id = files.file_id
)

select *
from ranked_versions
where version_rank = 1
{%- endmacro %}

{#
  Publication date ("as of"): var('tanggal_terbit') (YYYY-MM-DD) when given, else the UTC date
  the dbt run started. Decides which months are expected (their deadline has passed) and which
  periods are still provisional (sementara). Tests pin it with --vars.
#}
{% macro tanggal_terbit() -%}
    {%- set v = var('tanggal_terbit', none) -%}
    {%- if v -%}cast('{{ v }}' as date){%- else -%}cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date){%- endif -%}
{%- endmacro %}

{# Deadline of a reporting month (first day given): day var('hari_batas_kirim') (10) of the next month. #}
{% macro batas_kirim(bulan_expr) -%}
    {{ add_days(var('hari_batas_kirim') - 1, add_months(1, bulan_expr)) }}
{%- endmacro %}

{# The latest month whose deadline has passed at tanggal_terbit (deadline < as-of date). #}
{% macro bulan_jatuh_tempo_terakhir() -%}
    {{ add_months(-1, dbt.date_trunc('month', add_days(-var('hari_batas_kirim'), tanggal_terbit()))) }}
{%- endmacro %}
