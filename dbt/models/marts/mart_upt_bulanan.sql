-- One row per (UPT of the master, month present in the data): the month's population at its
-- last day, revenue and production by their own date, deposits by the sales month they cover,
-- and hours and wages of the month's peserta file.
-- KPI_DICTIONARY v2 "Who reported": a measure is NULL ("belum melapor") when the UPT has no
-- accepted (current, LOADED) file of the kind it is computed from for that month: population:
-- narapidana; revenue: penjualan; production and QC: produksi; hours and wages: peserta.
-- Deposits are by the sales month they cover and arrive with that month's or the next month's
-- pnbp file: pnbp_disetor of m is NULL when the UPT has no accepted pnbp file for m or m + 1 and
-- no deposit covering m (docs/DECISIONS.md 33). Within a month whose file is in, an empty sum is
-- a true 0.
with upt_months as (
    select u.kode_upt, u.kode_kanwil, m.bulan, {{ add_days(-1, add_months(1, 'm.bulan')) }} as akhir_bulan
    from {{ ref('stg_upt') }} as u
    cross join {{ ref('int_bulan_data') }} as m
),

kinds_in as (
    select
        kode_upt,
        bulan,
        {% for kind in ['narapidana', 'peserta', 'produksi', 'penjualan', 'pnbp'] %}
        max(case when kind = '{{ kind }}' then 1 else 0 end) = 1 as ada_{{ kind }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('stg_file_registry') }}
    where is_current
    group by kode_upt, bulan
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
    cast(case when f.ada_narapidana then coalesce(p.populasi_akhir, 0) end as {{ dbt.type_bigint() }}) as populasi_akhir,
    cast(case when f.ada_penjualan then coalesce(s.pendapatan, 0) end as {{ type_amount() }}) as pendapatan,
    cast(case when f.ada_pnbp or f1.ada_pnbp or d.pnbp_disetor is not null then coalesce(d.pnbp_disetor, 0) end as {{ type_amount() }}) as pnbp_disetor,
    cast(case when f.ada_produksi then coalesce(b.produksi_unit, 0) end as {{ type_amount() }}) as produksi_unit,
    cast(case when f.ada_produksi then coalesce(b.lolos_qc_unit, 0) end as {{ type_amount() }}) as lolos_qc_unit,
    cast(case when f.ada_peserta then coalesce(w.jam_kerja, 0) end as {{ type_amount() }}) as jam_kerja,
    cast(case when f.ada_peserta then coalesce(w.upah, 0) end as {{ type_amount() }}) as upah
from upt_months as um
left join kinds_in as f on um.kode_upt = f.kode_upt and um.bulan = f.bulan
left join kinds_in as f1 on um.kode_upt = f1.kode_upt and f1.bulan = {{ add_months(1, 'um.bulan') }}
left join population as p on um.kode_upt = p.kode_upt and um.bulan = p.bulan
left join sales as s on um.kode_upt = s.kode_upt and um.bulan = s.bulan
left join deposits as d on um.kode_upt = d.kode_upt and um.bulan = d.bulan
left join batches as b on um.kode_upt = b.kode_upt and um.bulan = b.bulan
left join work as w on um.kode_upt = w.kode_upt and um.bulan = w.bulan
