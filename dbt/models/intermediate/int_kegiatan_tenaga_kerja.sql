-- One row per (kode_upt, kode_kegiatan, periode) with at least one participation overlapping
-- the period: the number of distinct inmates with a participation (any kind) in that programme.
with overlapping as (
    select kode_upt, kode_kegiatan, periode, no_registrasi
    from {{ ref('int_peserta_periode') }}
)

select
    kode_upt,
    kode_kegiatan,
    periode,
    count(distinct no_registrasi) as jumlah_tenaga_kerja
from overlapping
group by kode_upt, kode_kegiatan, periode
