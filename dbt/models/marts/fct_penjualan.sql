-- One row per sale (kode_upt, no_transaksi), latest version; a sale counts on its own date.
select
    kode_upt,
    no_transaksi,
    tanggal,
    kode_kegiatan,
    nama_produk,
    cast(jumlah as {{ type_amount() }}) as jumlah,
    cast(harga_satuan as {{ type_amount() }}) as harga_satuan,
    cast(total as {{ type_amount() }}) as total,
    kanal,
    jenis_pembeli,
    mitra,
    bulan as bulan_file,
    file_id
from {{ ref('int_penjualan_latest') }}
