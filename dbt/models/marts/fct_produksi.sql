-- One row per production batch of a current produksi file (kode_upt, bulan, no_batch); a batch
-- counts on its own date (tanggal).
select
    kode_upt,
    bulan,
    no_batch,
    kode_kegiatan,
    tanggal,
    nama_produk,
    satuan,
    cast(jumlah_produksi as {{ type_amount() }}) as jumlah_produksi,
    cast(jumlah_lolos_qc as {{ type_amount() }}) as jumlah_lolos_qc,
    standar_mutu,
    cast(biaya_bahan as {{ type_amount() }}) as biaya_bahan,
    file_id
from {{ ref('stg_produksi') }}
