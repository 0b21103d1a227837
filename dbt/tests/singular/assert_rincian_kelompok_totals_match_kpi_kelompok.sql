-- Summed over the values of a dimension, a peer group's breakdown equals the group's revenue and
-- production in kpi_kelompok (as assert_breakdown_totals_match_indicators does for kpi_rincian).
with totals as (
    select level, kode, jenis_upt, kelas, periode, dimensi,
        sum(pendapatan) as pendapatan,
        sum(coalesce(produksi_unit, 0)) as produksi_unit,
        sum(coalesce(lolos_qc_unit, 0)) as lolos_qc_unit
    from {{ ref('kpi_rincian_kelompok') }}
    group by level, kode, jenis_upt, kelas, periode, dimensi
)

select t.level, t.kode, t.jenis_upt, t.kelas, t.periode, t.dimensi
from totals as t
inner join {{ ref('kpi_kelompok') }} as k
    on t.level = k.level and t.kode = k.kode and t.jenis_upt = k.jenis_upt and t.kelas = k.kelas
    and t.periode = k.periode
where t.pendapatan <> k.pendapatan
    or (t.dimensi <> 'kanal' and (t.produksi_unit <> k.produksi_unit or t.lolos_qc_unit <> k.lolos_qc_unit))
