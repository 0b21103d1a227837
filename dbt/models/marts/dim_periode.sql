-- One row per reporting period (quarter, semester, year) containing at least one month of data.
select
    periode,
    jenis_periode,
    cast(tahun as integer) as tahun,
    tanggal_awal,
    tanggal_akhir,
    cast(jumlah_bulan as integer) as jumlah_bulan,
    cast(jumlah_bulan_berdata as integer) as jumlah_bulan_berdata,
    cast(jumlah_bulan_jatuh_tempo as integer) as jumlah_bulan_jatuh_tempo,
    cast(tanggal_terbit as date) as tanggal_terbit,
    sementara,
    cast(alasan_sementara as {{ dbt.type_string() }}) as alasan_sementara
from {{ ref('int_periods') }}
