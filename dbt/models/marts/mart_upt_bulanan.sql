-- One row per (UPT of the master, month present in the data): the month's population at its
-- last day, revenue and production by their own date, deposits by the sales month they cover,
-- and hours and wages of the month's peserta file.
with upt_months as (
    select u.kode_upt, u.kode_kanwil, m.bulan, {{ add_days(-1, add_months(1, 'm.bulan')) }} as akhir_bulan
    from {{ ref('stg_upt') }} as u
    cross join {{ ref('int_bulan_data') }} as m
),

inmates as (
    select * from {{ ref('int_narapidana_latest') }}
),

population as (
    select um.kode_upt, um.bulan, count(*) as populasi_akhir
    from upt_months as um
    inner join inmates as n
        on um.kode_upt = n.kode_upt
        and {{ is_present('n', 'um.akhir_bulan') }}
    group by um.kode_upt, um.bulan
),

sales as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan, sum(total) as pendapatan
    from {{ ref('int_penjualan_latest') }}
    group by 1, 2
),

deposits as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'periode_penjualan') }} as date) as bulan, sum(jumlah_setor) as pnbp_disetor
    from {{ ref('int_pnbp_latest') }}
    group by 1, 2
),

batches as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan,
        sum(jumlah_produksi) as produksi_unit, sum(jumlah_lolos_qc) as lolos_qc_unit
    from {{ ref('stg_produksi') }}
    group by 1, 2
),

work as (
    select kode_upt, bulan, sum(coalesce(jam_kerja, 0)) as jam_kerja, sum(coalesce(upah, 0)) as upah
    from {{ ref('stg_peserta') }}
    group by 1, 2
)

select
    um.kode_upt,
    um.bulan,
    um.kode_kanwil,
    cast(coalesce(p.populasi_akhir, 0) as {{ dbt.type_bigint() }}) as populasi_akhir,
    cast(coalesce(s.pendapatan, 0) as {{ type_amount() }}) as pendapatan,
    cast(coalesce(d.pnbp_disetor, 0) as {{ type_amount() }}) as pnbp_disetor,
    cast(coalesce(b.produksi_unit, 0) as {{ type_amount() }}) as produksi_unit,
    cast(coalesce(b.lolos_qc_unit, 0) as {{ type_amount() }}) as lolos_qc_unit,
    cast(coalesce(w.jam_kerja, 0) as {{ type_amount() }}) as jam_kerja,
    cast(coalesce(w.upah, 0) as {{ type_amount() }}) as upah
from upt_months as um
left join population as p on um.kode_upt = p.kode_upt and um.bulan = p.bulan
left join sales as s on um.kode_upt = s.kode_upt and um.bulan = s.bulan
left join deposits as d on um.kode_upt = d.kode_upt and um.bulan = d.bulan
left join batches as b on um.kode_upt = b.kode_upt and um.bulan = b.bulan
left join work as w on um.kode_upt = w.kode_upt and um.bulan = w.bulan
