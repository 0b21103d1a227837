-- One row per inmate record (kode_upt, no_registrasi), latest version, under a pseudonymous key
-- (hash of kode_upt, no_registrasi and the keyed NIK hash of the latest version).
-- No register number, NIK hash, name or birth date is published.
with inmates as (
    select * from {{ ref('int_narapidana_latest') }}
)

select
    {{ inmate_key('kode_upt', 'no_registrasi', 'nik_hash') }} as kunci_narapidana,
    kode_upt,
    jenis_kelamin,
    kelompok_umur,
    tanggal_masuk,
    cast(lama_pidana_hari as integer) as lama_pidana_hari,
    tanggal_keluar,
    tanggal_litmas,
    rekomendasi_litmas,
    bulan as bulan_terakhir
from inmates
