-- One row per (kode_upt, bulan of the batch date, kode_kegiatan, nama_produk, standar_mutu):
-- quantities produced and passed, material cost. standar_mutu not reported shows as '-'.
select
    kode_upt,
    cast({{ dbt.date_trunc('month', 'tanggal') }} as date) as bulan,
    kode_kegiatan,
    nama_produk,
    coalesce(standar_mutu, '-') as standar_mutu,
    cast(sum(jumlah_produksi) as {{ type_amount() }}) as produksi_unit,
    cast(sum(jumlah_lolos_qc) as {{ type_amount() }}) as lolos_qc_unit,
    cast(sum(coalesce(biaya_bahan, 0)) as {{ type_amount() }}) as biaya_bahan,
    cast(count(*) as {{ dbt.type_bigint() }}) as jumlah_batch
from {{ ref('stg_produksi') }}
group by 1, 2, 3, 4, 5
