-- One row per (level, kode, periode, indikator) whose *final* published value was revised because
-- a file of a month of P was corrected (or first arrived) after the figure became final
-- (KPI_DICTIONARY "Provisional and final figures"): the first final value and when it was
-- published, next to the current value and when that was published, and the cause (the files).
-- Arrivals a provisional figure was waiting for are not revisions (provisional versions are
-- ignored), and neither is a change with no new file of P (e.g. a later month's file: figures of
-- P never depend on it except through the "as corrected" attributes, dbt/README.md).
-- Built from the kpi_indikator snapshot (publication history).
-- Not built on Spark: the snapshot needs a merge (Delta/Hudi); publication history stays on the
-- serving engine (dbt/README.md "Portability").
{{ config(enabled=target.type != 'spark') }}
with history as (
    select * from {{ ref('kpi_indikator_snapshot') }}
),

final_versions as (
    select
        history.*,
        row_number() over (partition by level, kode, periode order by dbt_valid_from) as urutan_versi,
        row_number() over (partition by level, kode, periode order by dbt_valid_from desc) as urutan_terbalik
    from history
    where not sementara
),

values_by_version as (
    {% for c in kpi_columns() if c.kind != 'code' %}
    select
        level,
        kode,
        periode,
        '{{ c.name }}' as indikator,
        cast({{ c.name }} as {{ type_double() }}) as nilai,
        dbt_valid_from as diterbitkan,
        id_file_terakhir,
        urutan_versi,
        urutan_terbalik
    from final_versions
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- consecutive final versions whose value differs and between which a new file of P arrived
revision_steps as (
    select
        cur.level,
        cur.kode,
        cur.periode,
        cur.indikator,
        prev.id_file_terakhir as id_file_sebelum,
        cur.id_file_terakhir as id_file_sesudah
    from values_by_version as cur
    inner join values_by_version as prev
        on cur.level = prev.level and cur.kode = prev.kode and cur.periode = prev.periode
        and cur.indikator = prev.indikator and cur.urutan_versi = prev.urutan_versi + 1
    where (cur.nilai <> prev.nilai or (cur.nilai is null) <> (prev.nilai is null))
        and coalesce(cur.id_file_terakhir, 0) > coalesce(prev.id_file_terakhir, 0)
),

scope as (
    select kode_upt, 'upt' as level, kode_upt as kode from {{ ref('stg_upt') }}
    union all
    select kode_upt, 'kanwil' as level, kode_kanwil as kode from {{ ref('stg_upt') }}
    union all
    select kode_upt, 'nasional' as level, 'NASIONAL' as kode from {{ ref('stg_upt') }}
),

cause_files as (
    select distinct
        r.level,
        r.kode,
        r.periode,
        r.indikator,
        f.file_name
    from revision_steps as r
    inner join {{ ref('int_periods') }} as p
        on r.periode = p.periode
    inner join scope as s
        on r.level = s.level and r.kode = s.kode
    inner join {{ ref('stg_file_registry') }} as f
        on f.kode_upt = s.kode_upt
        and f.bulan >= p.tanggal_awal and f.bulan <= p.tanggal_akhir
        and f.status = 'LOADED'
        and f.file_id > coalesce(r.id_file_sebelum, 0) and f.file_id <= r.id_file_sesudah
),

causes as (
    select level, kode, periode, indikator,
        {{ dbt.listagg('file_name', "', '", "order by file_name") }} as penyebab
    from cause_files
    group by level, kode, periode, indikator
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
    cast(cur.jumlah_versi as {{ dbt.type_bigint() }}) as jumlah_versi,
    cast(c.penyebab as {{ dbt.type_string() }}) as penyebab
from causes as c
inner join first_values as f
    on c.level = f.level and c.kode = f.kode and c.periode = f.periode and c.indikator = f.indikator
inner join current_values as cur
    on c.level = cur.level and c.kode = cur.kode and c.periode = cur.periode and c.indikator = cur.indikator
