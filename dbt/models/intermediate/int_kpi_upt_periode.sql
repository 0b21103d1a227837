-- One row per (UPT of the master, period): every additive figure of KPI_DICTIONARY.md (counts,
-- sums, coverage and the kelengkapan numerator / denominator) for that UPT. An indicator is NULL
-- ("belum melapor") when the UPT had no accepted file of the kind it is computed from for a month
-- of P (int_upt_periode_file); a UPT that did not report for P therefore has only its file
-- counts and coverage. Rates are computed in kpi_indikator from these numerators and denominators.
{{ config(materialized='table') }}

with upts as (
    select kode_upt, kode_kanwil from {{ ref('stg_upt') }}
),

periods as (
    select periode, jenis_periode, tanggal_awal, tanggal_akhir, jumlah_bulan
    from {{ ref('int_periods') }}
),

upt_periods as (
    select
        u.kode_upt,
        u.kode_kanwil,
        p.periode,
        p.jenis_periode,
        p.tanggal_awal,
        p.tanggal_akhir,
        p.jumlah_bulan
    from upts as u
    cross join periods as p
),

-- inmates: presence and eligibility at e, admissions and H+7 in P, participation of the eligible
participation_kinds as (
    select distinct kode_upt, no_registrasi, periode, jenis_kegiatan
    from {{ ref('int_peserta_periode') }}
    where jenis_kegiatan in ('PELATIHAN', 'PRODUKSI')
),

inmate_flags as (
    select
        n.kode_upt,
        n.periode,
        n.is_hadir_akhir,
        n.is_eligible_pelatihan,
        n.is_eligible_produksi,
        n.is_masuk,
        n.is_litmas_tepat_waktu,
        pl.no_registrasi is not null as has_pelatihan,
        pd.no_registrasi is not null as has_produksi
    from {{ ref('int_narapidana_periode') }} as n
    left join participation_kinds as pl
        on n.kode_upt = pl.kode_upt
        and n.no_registrasi = pl.no_registrasi
        and n.periode = pl.periode
        and pl.jenis_kegiatan = 'PELATIHAN'
    left join participation_kinds as pd
        on n.kode_upt = pd.kode_upt
        and n.no_registrasi = pd.no_registrasi
        and n.periode = pd.periode
        and pd.jenis_kegiatan = 'PRODUKSI'
),

inmate_counts as (
    select
        kode_upt,
        periode,
        sum(case when is_hadir_akhir then 1 else 0 end) as populasi_akhir,
        sum(case when is_eligible_pelatihan then 1 else 0 end) as eligible_pelatihan,
        sum(case when is_eligible_pelatihan and has_pelatihan then 1 else 0 end) as partisipan_pelatihan,
        sum(case when is_eligible_produksi then 1 else 0 end) as eligible_produksi,
        sum(case when is_eligible_produksi and has_produksi then 1 else 0 end) as partisipan_produksi,
        sum(case when is_masuk then 1 else 0 end) as masuk,
        sum(case when is_litmas_tepat_waktu then 1 else 0 end) as litmas_tepat_waktu
    from inmate_flags
    group by kode_upt, periode
),

-- participations (latest version): not eligible at start, training completed / certified
participation_counts as (
    select
        pa.kode_upt,
        p.periode,
        sum(case
            when pa.tanggal_mulai >= p.tanggal_awal and pa.tanggal_mulai <= p.tanggal_akhir
                and not pa.is_eligible_saat_mulai then 1 else 0
        end) as peserta_tidak_memenuhi_syarat,
        sum(case
            when pa.jenis_kegiatan = 'PELATIHAN' and pa.status = 'SELESAI'
                and pa.tanggal_selesai >= p.tanggal_awal and pa.tanggal_selesai <= p.tanggal_akhir
                then 1 else 0
        end) as pelatihan_selesai,
        sum(case
            when pa.jenis_kegiatan = 'PELATIHAN' and pa.status = 'SELESAI'
                and pa.tanggal_selesai >= p.tanggal_awal and pa.tanggal_selesai <= p.tanggal_akhir
                and pa.no_sertifikat is not null and pa.no_sertifikat <> ''
                then 1 else 0
        end) as pelatihan_bersertifikat
    from {{ ref('int_peserta_kelayakan') }} as pa
    inner join periods as p
        on (pa.tanggal_mulai >= p.tanggal_awal and pa.tanggal_mulai <= p.tanggal_akhir)
        or (pa.tanggal_selesai >= p.tanggal_awal and pa.tanggal_selesai <= p.tanggal_akhir)
    group by pa.kode_upt, p.periode
),

-- monthly participation facts: every current peserta row counts in its file month
work_sums as (
    select
        ps.kode_upt,
        p.periode,
        sum(coalesce(ps.jam_kerja, 0)) as jam_kerja,
        sum(coalesce(ps.upah, 0)) as upah
    from {{ ref('stg_peserta') }} as ps
    inner join periods as p
        on ps.bulan >= p.tanggal_awal and ps.bulan <= p.tanggal_akhir
    group by ps.kode_upt, p.periode
),

-- batches by their own date
production_sums as (
    select
        b.kode_upt,
        p.periode,
        sum(b.jumlah_produksi) as produksi_unit,
        sum(b.jumlah_lolos_qc) as lolos_qc_unit
    from {{ ref('stg_produksi') }} as b
    inner join periods as p
        on b.tanggal >= p.tanggal_awal and b.tanggal <= p.tanggal_akhir
    group by b.kode_upt, p.periode
),

-- sales (latest version) by their own date
sales_sums as (
    select
        s.kode_upt,
        p.periode,
        sum(s.total) as pendapatan,
        sum(case when s.jenis_pembeli = 'INTERNAL' then s.total else 0 end) as pendapatan_internal,
        sum(case when s.jenis_pembeli = 'EKSTERNAL' then s.total else 0 end) as pendapatan_eksternal
    from {{ ref('int_penjualan_latest') }} as s
    inner join periods as p
        on s.tanggal >= p.tanggal_awal and s.tanggal <= p.tanggal_akhir
    group by s.kode_upt, p.periode
),

-- deposits (latest version) by the sales month they cover
deposit_sums as (
    select
        d.kode_upt,
        p.periode,
        sum(d.jumlah_setor) as pnbp_disetor
    from {{ ref('int_pnbp_latest') }} as d
    inner join periods as p
        on d.periode_penjualan >= p.tanggal_awal and d.periode_penjualan <= p.tanggal_akhir
    group by d.kode_upt, p.periode
),

-- budgets "as at the end of P" per programme (int_kegiatan_anggaran_periode), summed per UPT
budget_sums as (
    select
        kode_upt,
        periode,
        sum(coalesce(anggaran_rab, 0)) as anggaran_rab,
        sum(coalesce(realisasi_anggaran, 0)) as realisasi_anggaran
    from {{ ref('int_kegiatan_anggaran_periode') }}
    group by kode_upt, periode
),

-- gross PNBP shortfall: per UPT and month m, max(0, sales dated in m - deposits for m)
sales_by_month as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan, sum(total) as penjualan
    from {{ ref('int_penjualan_latest') }}
    group by 1, 2
),

deposits_by_month as (
    select kode_upt, cast({{ dbt.date_trunc('month', 'periode_penjualan') }} as date) as bulan,
        sum(jumlah_setor) as setoran
    from {{ ref('int_pnbp_latest') }}
    group by 1, 2
),

shortfall_by_month as (
    select
        coalesce(s.kode_upt, d.kode_upt) as kode_upt,
        coalesce(s.bulan, d.bulan) as bulan,
        case
            when coalesce(s.penjualan, 0) > coalesce(d.setoran, 0)
                then coalesce(s.penjualan, 0) - coalesce(d.setoran, 0)
            else 0
        end as kurang_setor
    from sales_by_month as s
    full outer join deposits_by_month as d
        on s.kode_upt = d.kode_upt and s.bulan = d.bulan
),

shortfall_sums as (
    select m.kode_upt, p.periode, sum(m.kurang_setor) as pnbp_kurang_setor
    from shortfall_by_month as m
    inner join periods as p
        on m.bulan >= p.tanggal_awal and m.bulan <= p.tanggal_akhir
    group by m.kode_upt, p.periode
)

select
    up.kode_upt,
    up.kode_kanwil,
    up.periode,
    up.jenis_periode,
    case when {{ kpi_butuh('populasi_akhir') }} then cast(coalesce(ic.populasi_akhir, 0) as {{ dbt.type_bigint() }}) end as populasi_akhir,
    case when {{ kpi_butuh('eligible_pelatihan') }} then cast(coalesce(ic.eligible_pelatihan, 0) as {{ dbt.type_bigint() }}) end as eligible_pelatihan,
    case when {{ kpi_butuh('partisipan_pelatihan') }} then cast(coalesce(ic.partisipan_pelatihan, 0) as {{ dbt.type_bigint() }}) end as partisipan_pelatihan,
    case when {{ kpi_butuh('eligible_produksi') }} then cast(coalesce(ic.eligible_produksi, 0) as {{ dbt.type_bigint() }}) end as eligible_produksi,
    case when {{ kpi_butuh('partisipan_produksi') }} then cast(coalesce(ic.partisipan_produksi, 0) as {{ dbt.type_bigint() }}) end as partisipan_produksi,
    case when {{ kpi_butuh('peserta_tidak_memenuhi_syarat') }} then cast(coalesce(pc.peserta_tidak_memenuhi_syarat, 0) as {{ dbt.type_bigint() }}) end as peserta_tidak_memenuhi_syarat,
    case when {{ kpi_butuh('masuk') }} then cast(coalesce(ic.masuk, 0) as {{ dbt.type_bigint() }}) end as masuk,
    case when {{ kpi_butuh('litmas_tepat_waktu') }} then cast(coalesce(ic.litmas_tepat_waktu, 0) as {{ dbt.type_bigint() }}) end as litmas_tepat_waktu,
    case when {{ kpi_butuh('produksi_unit') }} then cast(coalesce(ps.produksi_unit, 0) as {{ type_amount() }}) end as produksi_unit,
    case when {{ kpi_butuh('lolos_qc_unit') }} then cast(coalesce(ps.lolos_qc_unit, 0) as {{ type_amount() }}) end as lolos_qc_unit,
    case when {{ kpi_butuh('pendapatan') }} then cast(coalesce(ss.pendapatan, 0) as {{ type_amount() }}) end as pendapatan,
    case when {{ kpi_butuh('pendapatan_internal') }} then cast(coalesce(ss.pendapatan_internal, 0) as {{ type_amount() }}) end as pendapatan_internal,
    case when {{ kpi_butuh('pendapatan_eksternal') }} then cast(coalesce(ss.pendapatan_eksternal, 0) as {{ type_amount() }}) end as pendapatan_eksternal,
    case when {{ kpi_butuh('pnbp_disetor') }} then cast(coalesce(ds.pnbp_disetor, 0) as {{ type_amount() }}) end as pnbp_disetor,
    case when {{ kpi_butuh('pelatihan_selesai') }} then cast(coalesce(pc.pelatihan_selesai, 0) as {{ dbt.type_bigint() }}) end as pelatihan_selesai,
    case when {{ kpi_butuh('pelatihan_bersertifikat') }} then cast(coalesce(pc.pelatihan_bersertifikat, 0) as {{ dbt.type_bigint() }}) end as pelatihan_bersertifikat,
    case when {{ kpi_butuh('jam_kerja') }} then cast(coalesce(ws.jam_kerja, 0) as {{ type_amount() }}) end as jam_kerja,
    case when {{ kpi_butuh('upah') }} then cast(coalesce(ws.upah, 0) as {{ type_amount() }}) end as upah,
    case when {{ kpi_butuh('anggaran_rab') }} then cast(coalesce(bs.anggaran_rab, 0) as {{ type_amount() }}) end as anggaran_rab,
    case when {{ kpi_butuh('realisasi_anggaran') }} then cast(coalesce(bs.realisasi_anggaran, 0) as {{ type_amount() }}) end as realisasi_anggaran,
    case when {{ kpi_butuh('pnbp_kurang_setor') }} then cast(coalesce(sh.pnbp_kurang_setor, 0) as {{ type_amount() }}) end as pnbp_kurang_setor,
    fl.file_diterima,
    fl.file_diterima_jatuh_tempo,
    fl.file_diharapkan,
    fl.baris_dibaca,
    fl.baris_karantina,
    fl.id_file_terakhir,
    cast(1 as {{ dbt.type_bigint() }}) as upt_diharapkan,
    cast(case when fl.is_melapor then 1 else 0 end as {{ dbt.type_bigint() }}) as upt_melapor,
    case
        when not fl.is_melapor then 'BELUM_MELAPOR'
        when fl.file_diterima_jatuh_tempo >= fl.file_diharapkan then 'LENGKAP'
        else 'SEBAGIAN'
    end as status_laporan
from upt_periods as up
left join inmate_counts as ic
    on up.kode_upt = ic.kode_upt and up.periode = ic.periode
left join participation_counts as pc
    on up.kode_upt = pc.kode_upt and up.periode = pc.periode
left join work_sums as ws
    on up.kode_upt = ws.kode_upt and up.periode = ws.periode
left join production_sums as ps
    on up.kode_upt = ps.kode_upt and up.periode = ps.periode
left join sales_sums as ss
    on up.kode_upt = ss.kode_upt and up.periode = ss.periode
left join deposit_sums as ds
    on up.kode_upt = ds.kode_upt and up.periode = ds.periode
left join budget_sums as bs
    on up.kode_upt = bs.kode_upt and up.periode = bs.periode
left join shortfall_sums as sh
    on up.kode_upt = sh.kode_upt and up.periode = sh.periode
inner join {{ ref('int_upt_periode_file') }} as fl
    on up.kode_upt = fl.kode_upt and up.periode = fl.periode
