-- One row per (participation, period) where the participation (latest version) overlaps the
-- period: tanggal_mulai <= last day and (tanggal_selesai empty or >= first day). Carries the
-- programme's kind (jenis_kegiatan) from the latest programme version.
{{ config(materialized='table') }}

with participations as (
    select * from {{ ref('int_peserta_latest') }}
),

programmes as (
    select kode_upt, kode_kegiatan, jenis_kegiatan
    from {{ ref('int_kegiatan_latest') }}
),

periods as (
    select periode, tanggal_awal, tanggal_akhir from {{ ref('int_periods') }}
)

select
    pa.kode_upt,
    pa.no_registrasi,
    pa.kode_kegiatan,
    pa.tanggal_mulai,
    pa.tanggal_selesai,
    p.periode,
    pr.jenis_kegiatan
from participations as pa
inner join periods as p
    on {{ overlaps('pa.tanggal_mulai', 'pa.tanggal_selesai', 'p.tanggal_awal', 'p.tanggal_akhir') }}
left join programmes as pr
    on pa.kode_upt = pr.kode_upt
    and pa.kode_kegiatan = pr.kode_kegiatan
