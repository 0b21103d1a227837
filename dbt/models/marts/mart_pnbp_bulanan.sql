-- One row per (kode_upt, bulan = sales month) with sales or deposits: revenue of the month,
-- deposits covering it, the difference (selisih = pendapatan - pnbp_disetor) and the average
-- number of days from the end of the sales month to the deposit date, weighted by the amount
-- deposited (rata_hari_setor; docs/DECISIONS.md 49).
with sales as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan, sum(total) as pendapatan
    from {{ ref('int_penjualan_latest') }}
    group by 1, 2
),

deposits as (
    select
        kode_upt,
        cast({{ dbt.date_trunc('month', 'periode_penjualan') }} as date) as bulan,
        sum(jumlah_setor) as pnbp_disetor,
        -- weighted by the amount deposited, so that months and units combine exactly (sum of
        -- days x amount over sum of amount); a deposit of Rp 0 weighs nothing
        case when sum(jumlah_setor) = 0 then null else
            sum(cast({{ days_between(add_days(-1, add_months(1, dbt.date_trunc('month', 'periode_penjualan'))), 'tanggal_setor') }} as {{ type_double() }})
                * cast(jumlah_setor as {{ type_double() }}))
            / cast(sum(jumlah_setor) as {{ type_double() }}) end as rata_hari_setor
    from {{ ref('int_pnbp_latest') }}
    group by 1, 2
),

upt_months as (
    select kode_upt, bulan from sales
    union
    select kode_upt, bulan from deposits
)

select
    um.kode_upt,
    um.bulan,
    cast(coalesce(s.pendapatan, 0) as {{ type_amount() }}) as pendapatan,
    cast(coalesce(d.pnbp_disetor, 0) as {{ type_amount() }}) as pnbp_disetor,
    cast(coalesce(s.pendapatan, 0) - coalesce(d.pnbp_disetor, 0) as {{ type_amount() }}) as selisih,
    cast(d.rata_hari_setor as {{ type_double() }}) as rata_hari_setor
from upt_months as um
left join sales as s on um.kode_upt = s.kode_upt and um.bulan = s.bulan
left join deposits as d on um.kode_upt = d.kode_upt and um.bulan = d.bulan
