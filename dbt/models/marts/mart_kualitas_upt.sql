-- One row per (UPT of the master, period): the Kualitas Data page's per-UPT summary. The completeness
-- figures (files expected and received for the months of P whose deadline has passed,
-- kelengkapan_laporan, status_laporan, rows read and quarantined) are kpi_indikator's, so the page
-- shows the dictionary's figure and computes nothing; the counts of missing and late files are taken
-- from mart_kelengkapan over every month of P with data; file_ditolak counts the rejected file versions
-- of mart_file_ditolak whose bulan_periode lies in P (DECISIONS 50: the Kualitas Data card and table
-- count the same rows).
with kel as (
    select
        k.kode_upt,
        p.periode,
        sum(case when k.status = 'TIDAK_ADA' then 1 else 0 end) as file_tidak_ada,
        sum(case when k.terlambat then 1 else 0 end) as file_terlambat
    from {{ ref('mart_kelengkapan') }} as k
    inner join {{ ref('int_periods') }} as p
        on k.bulan >= p.tanggal_awal and k.bulan <= p.tanggal_akhir
    group by k.kode_upt, p.periode
),

tolak as (
    select
        t.kode_upt,
        p.periode,
        count(*) as file_ditolak
    from {{ ref('mart_file_ditolak') }} as t
    inner join {{ ref('int_periods') }} as p
        on t.bulan_periode >= p.tanggal_awal and t.bulan_periode <= p.tanggal_akhir
    where t.kode_upt is not null
    group by t.kode_upt, p.periode
)

select
    i.kode as kode_upt,
    i.periode,
    i.file_diharapkan,
    i.file_diterima_jatuh_tempo,
    i.file_diterima,
    cast(coalesce(tolak.file_ditolak, 0) as {{ dbt.type_bigint() }}) as file_ditolak,
    cast(coalesce(kel.file_tidak_ada, 0) as {{ dbt.type_bigint() }}) as file_tidak_ada,
    cast(coalesce(kel.file_terlambat, 0) as {{ dbt.type_bigint() }}) as file_terlambat,
    i.baris_dibaca,
    i.baris_karantina,
    i.kelengkapan_laporan,
    i.status_laporan
from {{ ref('kpi_indikator') }} as i
left join kel
    on i.kode = kel.kode_upt and i.periode = kel.periode
left join tolak
    on i.kode = tolak.kode_upt and i.periode = tolak.periode
where i.level = 'upt'
