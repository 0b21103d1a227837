-- Breakdowns of the peer groups: one row per (level, kode, jenis_upt, kelas, periode, dimensi, nilai)
-- for the groups of UPTs the dashboards filter by (UPT type and/or class, within a Kanwil or
-- nationally; '*' = any), computed from the UPT rows exactly as kpi_rincian computes a Kanwil: sums
-- over the UPTs' non-empty values, qc_pass_rate recomputed from the sums. The ('*', '*') rows equal
-- kpi_rincian's Kanwil and national rows (tests/singular/assert_kpi_rincian_kelompok_matches_kpi_rincian.sql).
-- The pages read these rows instead of re-aggregating UPT rows themselves.
with upt_rows as (
    select
        r.kode_upt,
        u.kode_kanwil,
        u.jenis_upt,
        u.kelas,
        r.periode,
        r.dimensi,
        r.nilai,
        r.pendapatan,
        r.produksi_unit,
        r.lolos_qc_unit
    from {{ ref('int_rincian_upt_periode') }} as r
    inner join {{ ref('stg_upt') }} as u
        on r.kode_upt = u.kode_upt
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
        dimensi,
        nilai,
        sum(pendapatan) as pendapatan,
        sum(produksi_unit) as produksi_unit,
        sum(lolos_qc_unit) as lolos_qc_unit
    from upt_rows
    group by
        {{ "kode_kanwil, " if level == 'kanwil' else "" }}{{ "jenis_upt, " if by_jenis else "" }}{{ "kelas, " if by_kelas else "" }}periode, dimensi, nilai
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    level,
    kode,
    cast(jenis_upt as {{ dbt.type_string() }}) as jenis_upt,
    cast(kelas as {{ dbt.type_string() }}) as kelas,
    periode,
    dimensi,
    nilai,
    cast(pendapatan as {{ type_amount() }}) as pendapatan,
    cast(produksi_unit as {{ type_amount() }}) as produksi_unit,
    cast(lolos_qc_unit as {{ type_amount() }}) as lolos_qc_unit,
    {{ safe_divide('lolos_qc_unit', 'produksi_unit') }} as qc_pass_rate
from groups
