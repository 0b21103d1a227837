-- One row per participation (latest version) with its programme's kind, sector and the
-- inmate's eligibility for that kind on the participation's tanggal_mulai. A participation
-- whose inmate or programme is unknown is not eligible (it cannot be shown to be).
{{ config(materialized='table') }}

with participations as (
    select * from {{ ref('int_peserta_latest') }}
),

programmes as (
    select kode_upt, kode_kegiatan, jenis_kegiatan, bidang, subbidang
    from {{ ref('int_kegiatan_latest') }}
),

inmates as (
    select * from {{ ref('int_narapidana_latest') }}
)

select
    pa.kode_upt,
    pa.no_registrasi,
    pa.kode_kegiatan,
    pa.tanggal_mulai,
    pa.tanggal_selesai,
    pa.status,
    pa.no_sertifikat,
    pa.lulus,
    pa.nilai_akhir,
    pr.jenis_kegiatan,
    pr.bidang,
    pr.subbidang,
    coalesce(
        n.no_registrasi is not null
        and {{ is_eligible_for_kind('pr.jenis_kegiatan', 'n', 'pa.tanggal_mulai') }},
        false
    ) as is_eligible_saat_mulai
from participations as pa
left join programmes as pr
    on pa.kode_upt = pr.kode_upt
    and pa.kode_kegiatan = pr.kode_kegiatan
left join inmates as n
    on pa.kode_upt = n.kode_upt
    and pa.no_registrasi = n.no_registrasi
