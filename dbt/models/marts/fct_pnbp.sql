-- One row per treasury deposit (ntpn), latest version; counts in its sales month (periode_penjualan).
select
    ntpn,
    kode_upt,
    tanggal_setor,
    cast(jumlah_setor as {{ type_amount() }}) as jumlah_setor,
    periode_penjualan,
    kode_billing,
    keterangan,
    bulan as bulan_file,
    file_id
from {{ ref('int_pnbp_latest') }}
