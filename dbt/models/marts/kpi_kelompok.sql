-- Peer groups: one row per (level, kode, jenis_upt, kelas, periode) for the groups of UPTs the
-- dashboards filter by (UPT type and/or class, nationally or within a Kanwil): every indicator of
-- KPI_DICTIONARY.md computed over the UPTs of the group exactly as kpi_indikator computes a Kanwil
-- (sums over non-empty UPT values, rates from the sums of both parts over the UPTs where both are
-- not empty, coverage of the group). '*' = any type / any class; the ('*', '*') rows equal the
-- kanwil / nasional rows of kpi_indikator. Only groups with at least one master UPT.

with upt_figures as (
    select f.*, u.jenis_upt, u.kelas, u.kapasitas
    from {{ ref('int_kpi_upt_periode') }} as f
    inner join {{ ref('stg_upt') }} as u
        on f.kode_upt = u.kode_upt
),

groups as (
    {% for level in ['kanwil', 'nasional'] %}
    {% for by_jenis in [true, false] %}
    {% for by_kelas in [true, false] %}
    select
        '{{ level }}' as level,
        {{ "kode_kanwil" if level == 'kanwil' else "'NASIONAL'" }} as kode,
        {{ "jenis_upt" if by_jenis else "'*'" }} as jenis_upt,
        {{ "kelas" if by_kelas else "'*'" }} as kelas,
        periode,
        jenis_periode,
        count(*) as jumlah_upt,
        sum(kapasitas) as kapasitas,
        cast(null as {{ dbt.type_string() }}) as status_laporan,
        {{ kpi_aggregate_columns() }}
    from upt_figures
    group by
        {{ "kode_kanwil, " if level == 'kanwil' else "" }}{{ "jenis_upt, " if by_jenis else "" }}{{ "kelas, " if by_kelas else "" }}periode, jenis_periode
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    a.level,
    a.kode,
    cast(a.jenis_upt as {{ dbt.type_string() }}) as jenis_upt,
    cast(a.kelas as {{ dbt.type_string() }}) as kelas,
    a.periode,
    a.jenis_periode,
    cast(a.jumlah_upt as {{ dbt.type_bigint() }}) as jumlah_upt,
    cast(a.kapasitas as {{ dbt.type_bigint() }}) as kapasitas,
    {{ kpi_final_columns('a') }}
    p.sementara,
    cast(p.alasan_sementara as {{ dbt.type_string() }}) as alasan_sementara,
    cast(a.file_diharapkan as {{ dbt.type_bigint() }}) as file_diharapkan,
    cast(a.file_diterima_jatuh_tempo as {{ dbt.type_bigint() }}) as file_diterima_jatuh_tempo
from groups as a
inner join {{ ref('int_periods') }} as p
    on a.periode = p.periode
