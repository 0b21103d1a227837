-- The Sektor page's treemap shows each bidang row of kpi_rincian / kpi_rincian_kelompok as the parent of
-- the subbidang rows of its programmes (the subbidang -> bidang of dim_kegiatan): the parent must
-- equal the sum of its children, at every level and peer group, so the page does no arithmetic.
with peta as (
    select subbidang, min(bidang) as bidang
    from {{ ref('dim_kegiatan') }}
    where subbidang is not null
    group by subbidang
),

rows_all as (
    select level, kode, '*' as jenis_upt, '*' as kelas, periode, dimensi, nilai, pendapatan, produksi_unit
    from {{ ref('kpi_rincian') }}
    union all
    select level, kode, jenis_upt, kelas, periode, dimensi, nilai, pendapatan, produksi_unit
    from {{ ref('kpi_rincian_kelompok') }}
    where not (jenis_upt = '*' and kelas = '*')  -- those are kpi_rincian's rows (tested equal)
),

children as (
    select r.level, r.kode, r.jenis_upt, r.kelas, r.periode, coalesce(p.bidang, r.nilai) as bidang,
        sum(coalesce(r.pendapatan, 0)) as pendapatan, sum(coalesce(r.produksi_unit, 0)) as produksi_unit
    from rows_all as r
    left join peta as p on r.nilai = p.subbidang
    where r.dimensi = 'subbidang'
    group by 1, 2, 3, 4, 5, 6
),

parents as (
    select level, kode, jenis_upt, kelas, periode, nilai as bidang,
        coalesce(pendapatan, 0) as pendapatan, coalesce(produksi_unit, 0) as produksi_unit
    from rows_all
    where dimensi = 'bidang'
)

select coalesce(c.level, p.level) as level, coalesce(c.kode, p.kode) as kode, coalesce(c.periode, p.periode) as periode,
    coalesce(c.bidang, p.bidang) as bidang
from children as c
full outer join parents as p
    on c.level = p.level and c.kode = p.kode and c.jenis_upt = p.jenis_upt and c.kelas = p.kelas
    and c.periode = p.periode and c.bidang = p.bidang
where c.level is null or p.level is null
    or c.pendapatan <> p.pendapatan or c.produksi_unit <> p.produksi_unit
