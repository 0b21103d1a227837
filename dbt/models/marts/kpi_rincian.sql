-- One row per (level, kode, periode, dimensi, nilai) with revenue or production: revenue and
-- production restricted to the sales and batches of programmes with that value (dimensi
-- bidang, subbidang, kelas_industri), revenue by sales channel (dimensi kanal; production
-- columns empty), or production by canonical unit of measure (dimensi satuan; revenue empty).
-- Revenue / production NULL for UPTs without the file kind for a month of P (as kpi_indikator).
-- Higher levels are sums over their UPTs' non-empty values; qc_pass_rate recomputed.
with upt_rows as (
    select
        r.kode_upt,
        u.kode_kanwil,
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

all_levels as (
    select 'upt' as level, kode_upt as kode, periode, dimensi, nilai, pendapatan, produksi_unit, lolos_qc_unit
    from upt_rows

    union all

    select 'kanwil' as level, kode_kanwil as kode, periode, dimensi, nilai,
        sum(pendapatan) as pendapatan, sum(produksi_unit) as produksi_unit, sum(lolos_qc_unit) as lolos_qc_unit
    from upt_rows
    group by kode_kanwil, periode, dimensi, nilai

    union all

    select 'nasional' as level, 'NASIONAL' as kode, periode, dimensi, nilai,
        sum(pendapatan) as pendapatan, sum(produksi_unit) as produksi_unit, sum(lolos_qc_unit) as lolos_qc_unit
    from upt_rows
    group by periode, dimensi, nilai
)

select
    level,
    kode,
    periode,
    dimensi,
    nilai,
    cast(pendapatan as {{ type_amount() }}) as pendapatan,
    cast(produksi_unit as {{ type_amount() }}) as produksi_unit,
    cast(lolos_qc_unit as {{ type_amount() }}) as lolos_qc_unit,
    {{ safe_divide('lolos_qc_unit', 'produksi_unit') }} as qc_pass_rate
from all_levels
