-- One row per programme (kode_upt, kode_kegiatan): attributes of its latest version.
with programmes as (
    select * from {{ ref('int_kegiatan_latest') }}
)

select
    kode_upt,
    kode_kegiatan,
    nama_kegiatan,
    jenis_kegiatan,
    bidang,
    subbidang,
    tanggal_mulai,
    tanggal_selesai,
    tahap,
    cast(anggaran_rab as {{ type_amount() }}) as anggaran_rab,
    cast(realisasi_anggaran as {{ type_amount() }}) as realisasi_anggaran,
    sumber_dana,
    mitra,
    penanggung_jawab,
    prioritas,
    bahan_baku,
    produksi,
    bahan_mentah,
    lokasi,
    proses,
    barang,
    modal,
    pengelola,
    bulan as bulan_terakhir,
    cast(jumlah_versi as {{ dbt.type_bigint() }}) as jumlah_versi
from programmes
