-- KPI_DICTIONARY v2 "Who reported", monthly: a measure of mart_upt_bulanan is NULL exactly when the
-- UPT has no accepted (current, LOADED) file of the kind it is computed from for that month (never
-- 0 for a UPT that sent nothing), and not NULL when it has. Deposits cover a sales month and come
-- with that month's or the next month's pnbp file (or, later, as a deposit row covering it).
with present as (
    select
        kode_upt,
        bulan,
        max(case when kind = 'narapidana' then 1 else 0 end) as narapidana,
        max(case when kind = 'penjualan' then 1 else 0 end) as penjualan,
        max(case when kind = 'produksi' then 1 else 0 end) as produksi,
        max(case when kind = 'peserta' then 1 else 0 end) as peserta,
        max(case when kind = 'pnbp' then 1 else 0 end) as pnbp
    from {{ ref('stg_file_registry') }}
    where is_current
    group by kode_upt, bulan
),

checks as (
    select
        m.*,
        coalesce(p.narapidana, 0) = 1 as ada_narapidana,
        coalesce(p.penjualan, 0) = 1 as ada_penjualan,
        coalesce(p.produksi, 0) = 1 as ada_produksi,
        coalesce(p.peserta, 0) = 1 as ada_peserta,
        coalesce(p.pnbp, 0) = 1 or coalesce(n.pnbp, 0) = 1 as ada_pnbp
    from {{ ref('mart_upt_bulanan') }} as m
    left join present as p
        on p.kode_upt = m.kode_upt and p.bulan = m.bulan
    left join present as n
        on n.kode_upt = m.kode_upt and n.bulan = {{ add_months(1, 'm.bulan') }}
)

select kode_upt, bulan
from checks
where (populasi_akhir is null) = ada_narapidana
    or (pendapatan is null) = ada_penjualan
    or (produksi_unit is null) = ada_produksi
    or (lolos_qc_unit is null) = ada_produksi
    or (jam_kerja is null) = ada_peserta
    or (upah is null) = ada_peserta
    or (ada_pnbp and pnbp_disetor is null)
