-- One row per (kode_upt, bulan of the sale date, kode_kegiatan, kanal, jenis_pembeli): revenue
-- and number of sales (latest version of each sale).
select
    kode_upt,
    cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan,
    kode_kegiatan,
    kanal,
    jenis_pembeli,
    cast(sum(total) as {{ type_amount() }}) as pendapatan,
    cast(count(*) as {{ dbt.type_bigint() }}) as jumlah_transaksi
from {{ ref('int_penjualan_latest') }}
group by 1, 2, 3, 4, 5
