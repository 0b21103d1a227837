-- One row per (kode_upt, kode_kegiatan, periode) with sales or batches in the period:
-- revenue of the programme's sales, material cost of its batches, margin = revenue - cost and
-- rasio_margin = margin / revenue (NULL without revenue), read as published by Sektor & Industri.
with periods as (
    select periode, tanggal_awal, tanggal_akhir from {{ ref('int_periods') }}
),

sales as (
    select s.kode_upt, s.kode_kegiatan, p.periode, sum(s.total) as pendapatan
    from {{ ref('int_penjualan_latest') }} as s
    inner join periods as p on s.tanggal >= p.tanggal_awal and s.tanggal <= p.tanggal_akhir
    group by 1, 2, 3
),

costs as (
    select b.kode_upt, b.kode_kegiatan, p.periode, sum(coalesce(b.biaya_bahan, 0)) as biaya_bahan
    from {{ ref('stg_produksi') }} as b
    inner join periods as p on b.tanggal >= p.tanggal_awal and b.tanggal <= p.tanggal_akhir
    group by 1, 2, 3
),

keys as (
    select kode_upt, kode_kegiatan, periode from sales
    union
    select kode_upt, kode_kegiatan, periode from costs
)

select
    k.kode_upt,
    k.kode_kegiatan,
    k.periode,
    cast(coalesce(s.pendapatan, 0) as {{ type_amount() }}) as pendapatan,
    cast(coalesce(c.biaya_bahan, 0) as {{ type_amount() }}) as biaya_bahan,
    cast(coalesce(s.pendapatan, 0) - coalesce(c.biaya_bahan, 0) as {{ type_amount() }}) as margin,
    {{ safe_divide('coalesce(s.pendapatan, 0) - coalesce(c.biaya_bahan, 0)', 's.pendapatan') }} as rasio_margin
from keys as k
left join sales as s on k.kode_upt = s.kode_upt and k.kode_kegiatan = s.kode_kegiatan and k.periode = s.periode
left join costs as c on k.kode_upt = c.kode_upt and k.kode_kegiatan = c.kode_kegiatan and k.periode = c.periode
