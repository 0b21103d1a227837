-- The Kualitas Data marts agree with kpi_indikator and mart_kelengkapan:
-- 1. mart_kualitas_upt: kelengkapan_laporan and status_laporan are the UPT's kpi_indikator cells, and
--    file_diterima equals the DITERIMA (month, kind) rows of mart_kelengkapan over the months of P;
-- 2. mart_kelengkapan_kanwil ('*', '*'): summed over the months of P whose deadline has passed, the
--    files received equal the Kanwil's kpi_indikator.file_diterima_jatuh_tempo.
with kel_upt as (
    select k.kode_upt, p.periode, sum(case when k.status = 'DITERIMA' then 1 else 0 end) as diterima
    from {{ ref('mart_kelengkapan') }} as k
    inner join {{ ref('int_periods') }} as p
        on k.bulan >= p.tanggal_awal and k.bulan <= p.tanggal_akhir
    group by k.kode_upt, p.periode
),

upt_bad as (
    select q.kode_upt as kode, q.periode
    from {{ ref('mart_kualitas_upt') }} as q
    inner join {{ ref('kpi_indikator') }} as i
        on i.level = 'upt' and i.kode = q.kode_upt and i.periode = q.periode
    left join kel_upt as k
        on k.kode_upt = q.kode_upt and k.periode = q.periode
    where not (q.kelengkapan_laporan = i.kelengkapan_laporan or (q.kelengkapan_laporan is null and i.kelengkapan_laporan is null))
        or q.status_laporan <> i.status_laporan
        or q.file_diterima <> coalesce(k.diterima, 0)
),

kanwil_sum as (
    select m.kode_kanwil, p.periode, sum(m.file_diterima) as diterima
    from {{ ref('mart_kelengkapan_kanwil') }} as m
    inner join {{ ref('int_periods') }} as p
        on m.bulan >= p.tanggal_awal and m.bulan <= p.tanggal_akhir and m.bulan <= p.bulan_jatuh_tempo_terakhir
    where m.jenis_upt = '*' and m.kelas = '*'
    group by m.kode_kanwil, p.periode
),

kanwil_bad as (
    select i.kode, i.periode
    from {{ ref('kpi_indikator') }} as i
    left join kanwil_sum as s
        on s.kode_kanwil = i.kode and s.periode = i.periode
    where i.level = 'kanwil' and coalesce(s.diterima, 0) <> i.file_diterima_jatuh_tempo
)

select * from upt_bad
union all
select * from kanwil_bad
