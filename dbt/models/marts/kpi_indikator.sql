-- One row per (level, kode, periode): every indicator of KPI_DICTIONARY.md (version 2) in its order.
-- upt: one row per UPT of the master and period; indicators NULL ("belum melapor") where the UPT
-- had no accepted file of the kind they are computed from (int_kpi_upt_periode). kanwil and
-- nasional: sums over the UPTs whose value is not empty (NULL when none is); every rate
-- recomputed from the sums of numerator and denominator over the UPTs where both are not empty,
-- NULL when the denominator is 0. Coverage (upt_diharapkan, upt_melapor, cakupan_upt) counts every
-- master UPT; status_laporan only at level upt. sementara / alasan_sementara from int_periods.

with upt_figures as (
    select * from {{ ref('int_kpi_upt_periode') }}
),

all_levels as (
    select
        'upt' as level,
        kode_upt as kode,
        periode,
        jenis_periode,
        {{ kpi_aggregate_columns(aggregate=false) }},
        status_laporan,
        id_file_terakhir
    from upt_figures

    {% for level in ['kanwil', 'nasional'] %}
    union all

    select
        '{{ level }}' as level,
        {{ "kode_kanwil" if level == 'kanwil' else "'NASIONAL'" }} as kode,
        periode,
        jenis_periode,
        {{ kpi_aggregate_columns() }},
        cast(null as {{ dbt.type_string() }}) as status_laporan,
        max(id_file_terakhir) as id_file_terakhir
    from upt_figures
    group by {{ "kode_kanwil, " if level == 'kanwil' else "" }}periode, jenis_periode
    {% endfor %}
)

select
    a.level,
    a.kode,
    a.periode,
    a.jenis_periode,
    {{ kpi_final_columns('a') }}
    p.sementara,
    cast(p.alasan_sementara as {{ dbt.type_string() }}) as alasan_sementara,
    cast(a.file_diharapkan as {{ dbt.type_bigint() }}) as file_diharapkan,
    cast(a.file_diterima_jatuh_tempo as {{ dbt.type_bigint() }}) as file_diterima_jatuh_tempo,
    cast(a.id_file_terakhir as {{ dbt.type_bigint() }}) as id_file_terakhir
from all_levels as a
inner join {{ ref('int_periods') }} as p
    on a.periode = p.periode
