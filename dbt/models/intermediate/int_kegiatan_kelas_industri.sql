-- One row per (programme latest version, period): sector, sub-sector and workforce class in
-- the period. INDUSTRI programmes: MIKRO (< 5 distinct workers), KECIL (5-19), SEDANG (20-99),
-- BESAR (>= 100); other sectors '-'. A programme with no overlapping participation has 0 workers.
with programmes as (
    select kode_upt, kode_kegiatan, jenis_kegiatan, bidang, subbidang
    from {{ ref('int_kegiatan_latest') }}
),

periods as (
    select periode from {{ ref('int_periods') }}
),

workforce as (
    select kode_upt, kode_kegiatan, periode, jumlah_tenaga_kerja
    from {{ ref('int_kegiatan_tenaga_kerja') }}
),

programme_periods as (
    select
        pr.kode_upt,
        pr.kode_kegiatan,
        p.periode,
        pr.jenis_kegiatan,
        pr.bidang,
        pr.subbidang,
        coalesce(w.jumlah_tenaga_kerja, 0) as jumlah_tenaga_kerja
    from programmes as pr
    cross join periods as p
    left join workforce as w
        on pr.kode_upt = w.kode_upt
        and pr.kode_kegiatan = w.kode_kegiatan
        and p.periode = w.periode
)

select
    kode_upt,
    kode_kegiatan,
    periode,
    jenis_kegiatan,
    bidang,
    subbidang,
    jumlah_tenaga_kerja,
    {{ kelas_industri('bidang', 'jumlah_tenaga_kerja') }} as kelas_industri
from programme_periods
