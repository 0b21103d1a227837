-- One row per participation row of a current peserta file (kode_upt, bulan, inmate,
-- programme, tanggal_mulai): the month's hours and wages. Every current row counts in its
-- file month (monthly facts are not reduced to the latest version).
with participation_rows as (
    select * from {{ ref('stg_peserta') }}
),

inmates as (
    select kode_upt, no_registrasi, nik_hash from {{ ref('int_narapidana_latest') }}
),

programmes as (
    select kode_upt, kode_kegiatan, jenis_kegiatan from {{ ref('int_kegiatan_latest') }}
)

select
    pr.kode_upt,
    pr.bulan,
    {{ inmate_key('pr.kode_upt', 'pr.no_registrasi', 'n.nik_hash') }} as kunci_narapidana,
    pr.kode_kegiatan,
    pr.tanggal_mulai,
    pr.tanggal_selesai,
    k.jenis_kegiatan,
    pr.status,
    cast(pr.nilai_akhir as decimal(9,2)) as nilai_akhir,
    pr.lulus,
    pr.no_sertifikat is not null as bersertifikat,
    cast(coalesce(pr.jam_kerja, 0) as {{ type_amount() }}) as jam_kerja,
    cast(coalesce(pr.upah, 0) as {{ type_amount() }}) as upah,
    pr.file_id
from participation_rows as pr
left join inmates as n
    on pr.kode_upt = n.kode_upt and pr.no_registrasi = n.no_registrasi
left join programmes as k
    on pr.kode_upt = k.kode_upt and pr.kode_kegiatan = k.kode_kegiatan
