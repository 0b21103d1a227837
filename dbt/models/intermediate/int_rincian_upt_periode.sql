-- One row per (UPT, period, dimensi, nilai) with revenue or production: sales (latest version)
-- and batches dated in the period, attributed through their programme (latest version) to its
-- bidang, subbidang and workforce class in the period; sales also by kanal, batches also by
-- canonical unit of measure (satuan, seeds/taxonomy_satuan.csv; an unknown unit kept trimmed and
-- lower-cased). Revenue is NULL for a UPT without an accepted penjualan file for a month of P,
-- production NULL without a produksi file, as in kpi_indikator, so the totals agree. Sales or batches of
-- a programme the UPT never sent (ingestion quarantines those) would show as 'TIDAK_DIKETAHUI'.
{{ config(materialized='table') }}

with periods as (
    select periode, tanggal_awal, tanggal_akhir from {{ ref('int_periods') }}
),

programme_classes as (
    select kode_upt, kode_kegiatan, periode, bidang, subbidang, kelas_industri
    from {{ ref('int_kegiatan_kelas_industri') }}
),

sales_in_period as (
    select
        s.kode_upt,
        p.periode,
        s.kode_kegiatan,
        s.kanal,
        s.total
    from {{ ref('int_penjualan_latest') }} as s
    inner join periods as p
        on s.tanggal >= p.tanggal_awal and s.tanggal <= p.tanggal_akhir
),

batches_in_period as (
    select
        b.kode_upt,
        p.periode,
        b.kode_kegiatan,
        coalesce(su.satuan, nullif(lower(trim(b.satuan)), ''), '-') as satuan,
        b.jumlah_produksi,
        b.jumlah_lolos_qc
    from {{ ref('stg_produksi') }} as b
    inner join periods as p
        on b.tanggal >= p.tanggal_awal and b.tanggal <= p.tanggal_akhir
    left join {{ ref('stg_satuan') }} as su
        on lower(trim(b.satuan)) = su.satuan_asal
),

facts as (
    select
        s.kode_upt,
        s.periode,
        coalesce(c.bidang, 'TIDAK_DIKETAHUI') as bidang,
        coalesce(c.subbidang, 'TIDAK_DIKETAHUI') as subbidang,
        coalesce(c.kelas_industri, 'TIDAK_DIKETAHUI') as kelas_industri,
        s.kanal,
        cast(null as {{ dbt.type_string() }}) as satuan,
        s.total as pendapatan,
        cast(null as {{ type_amount() }}) as produksi_unit,
        cast(null as {{ type_amount() }}) as lolos_qc_unit
    from sales_in_period as s
    left join programme_classes as c
        on s.kode_upt = c.kode_upt and s.kode_kegiatan = c.kode_kegiatan and s.periode = c.periode

    union all

    select
        b.kode_upt,
        b.periode,
        coalesce(c.bidang, 'TIDAK_DIKETAHUI') as bidang,
        coalesce(c.subbidang, 'TIDAK_DIKETAHUI') as subbidang,
        coalesce(c.kelas_industri, 'TIDAK_DIKETAHUI') as kelas_industri,
        cast(null as {{ dbt.type_string() }}) as kanal,
        b.satuan,
        cast(null as {{ type_amount() }}) as pendapatan,
        b.jumlah_produksi as produksi_unit,
        b.jumlah_lolos_qc as lolos_qc_unit
    from batches_in_period as b
    left join programme_classes as c
        on b.kode_upt = c.kode_upt and b.kode_kegiatan = c.kode_kegiatan and b.periode = c.periode
),

by_dimension as (
    {% for dimensi in ['bidang', 'subbidang', 'kelas_industri'] %}
    select
        kode_upt,
        periode,
        '{{ dimensi }}' as dimensi,
        {{ dimensi }} as nilai,
        sum(coalesce(pendapatan, 0)) as pendapatan,
        sum(coalesce(produksi_unit, 0)) as produksi_unit,
        sum(coalesce(lolos_qc_unit, 0)) as lolos_qc_unit,
        true as ada_penjualan_dimensi,
        true as ada_produksi_dimensi
    from facts
    group by kode_upt, periode, {{ dimensi }}
    union all
    {% endfor %}
    select
        kode_upt,
        periode,
        'kanal' as dimensi,
        kanal as nilai,
        sum(pendapatan) as pendapatan,
        cast(null as {{ type_amount() }}) as produksi_unit,
        cast(null as {{ type_amount() }}) as lolos_qc_unit,
        true as ada_penjualan_dimensi,
        false as ada_produksi_dimensi
    from facts
    where kanal is not null
    group by kode_upt, periode, kanal
    union all
    select
        kode_upt,
        periode,
        'satuan' as dimensi,
        satuan as nilai,
        cast(null as {{ type_amount() }}) as pendapatan,
        sum(produksi_unit) as produksi_unit,
        sum(lolos_qc_unit) as lolos_qc_unit,
        false as ada_penjualan_dimensi,
        true as ada_produksi_dimensi
    from facts
    where satuan is not null
    group by kode_upt, periode, satuan
),

-- only UPTs whose indicator is not empty (an accepted file of the kind for a month of P)
with_files as (
    select
        d.kode_upt,
        d.periode,
        d.dimensi,
        d.nilai,
        case when d.ada_penjualan_dimensi and f.ada_penjualan then d.pendapatan end as pendapatan,
        case when d.ada_produksi_dimensi and f.ada_produksi then d.produksi_unit end as produksi_unit,
        case when d.ada_produksi_dimensi and f.ada_produksi then d.lolos_qc_unit end as lolos_qc_unit
    from by_dimension as d
    inner join {{ ref('int_upt_periode_file') }} as f
        on d.kode_upt = f.kode_upt and d.periode = f.periode
)

select
    kode_upt,
    periode,
    dimensi,
    nilai,
    cast(pendapatan as {{ type_amount() }}) as pendapatan,
    cast(produksi_unit as {{ type_amount() }}) as produksi_unit,
    cast(lolos_qc_unit as {{ type_amount() }}) as lolos_qc_unit
from with_files
where pendapatan is not null or produksi_unit is not null
