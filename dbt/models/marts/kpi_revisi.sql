-- One row per (level, kode, periode, indikator) whose published value changed after its first
-- publication: the first value and when it was published, next to the current value and when
-- that was published. Built from the kpi_indikator snapshot (publication history).
-- Not built on Spark: the snapshot needs a merge (Delta/Hudi); publication history stays on the
-- serving engine (dbt/README.md "Portability").
{{ config(enabled=target.type != 'spark') }}
with history as (
    select * from {{ ref('kpi_indikator_snapshot') }}
),

versions as (
    select
        history.*,
        row_number() over (partition by level, kode, periode order by dbt_valid_from) as urutan_versi,
        row_number() over (partition by level, kode, periode order by dbt_valid_from desc) as urutan_terbalik
    from history
),

values_by_version as (
    {% for c in kpi_columns() %}
    select
        level,
        kode,
        periode,
        '{{ c.name }}' as indikator,
        cast({{ c.name }} as {{ type_double() }}) as nilai,
        dbt_valid_from as diterbitkan,
        urutan_versi,
        urutan_terbalik
    from versions
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

first_values as (
    select level, kode, periode, indikator, nilai, diterbitkan
    from values_by_version
    where urutan_versi = 1
),

current_values as (
    select level, kode, periode, indikator, nilai, diterbitkan, urutan_versi as jumlah_versi
    from values_by_version
    where urutan_terbalik = 1
),

changed as (
    select distinct v.level, v.kode, v.periode, v.indikator
    from values_by_version as v
    inner join first_values as f
        on v.level = f.level and v.kode = f.kode and v.periode = f.periode and v.indikator = f.indikator
    where v.urutan_versi > 1
        and (v.nilai <> f.nilai or (v.nilai is null) <> (f.nilai is null))
)

select
    c.level,
    c.kode,
    c.periode,
    c.indikator,
    f.nilai as nilai_awal,
    cast(f.diterbitkan as {{ dbt.type_timestamp() }}) as diterbitkan_awal,
    cur.nilai as nilai_terkini,
    cast(cur.diterbitkan as {{ dbt.type_timestamp() }}) as diterbitkan_terkini,
    cast(cur.jumlah_versi as {{ dbt.type_bigint() }}) as jumlah_versi
from changed as c
inner join first_values as f
    on c.level = f.level and c.kode = f.kode and c.periode = f.periode and c.indikator = f.indikator
inner join current_values as cur
    on c.level = cur.level and c.kode = cur.kode and c.periode = cur.periode and c.indikator = cur.indikator
