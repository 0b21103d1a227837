-- Summed over the values of a dimension, kpi_rincian's revenue and production equal kpi_indikator's
-- (bidang, subbidang and kelas_industri partition the sales and batches; kanal partitions the sales).
with totals as (
    select level, kode, periode, dimensi,
        sum(pendapatan) as pendapatan,
        sum(coalesce(produksi_unit, 0)) as produksi_unit,
        sum(coalesce(lolos_qc_unit, 0)) as lolos_qc_unit
    from {{ ref('kpi_rincian') }}
    group by level, kode, periode, dimensi
)

select t.level, t.kode, t.periode, t.dimensi
from totals as t
inner join {{ ref('kpi_indikator') }} as k
    on t.level = k.level and t.kode = k.kode and t.periode = k.periode
where t.pendapatan <> k.pendapatan
    or (t.dimensi <> 'kanal' and (t.produksi_unit <> k.produksi_unit or t.lolos_qc_unit <> k.lolos_qc_unit))
