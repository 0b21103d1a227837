-- One row per reporting period (quarter, semester, year) that contains at least one month
-- present in the data (int_bulan_data), with its first and last day.
with months as (
    select
        bulan,
        extract(year from bulan) as tahun,
        extract(month from bulan) as nomor_bulan,
        extract(quarter from bulan) as nomor_triwulan
    from {{ ref('int_bulan_data') }}
),

month_periods as (
    select
        {{ dbt.concat([to_text('tahun'), "'Q'", to_text('nomor_triwulan')]) }} as periode,
        'TRIWULAN' as jenis_periode,
        tahun,
        cast({{ dbt.date_trunc('quarter', 'bulan') }} as date) as tanggal_awal,
        3 as jumlah_bulan,
        bulan
    from months

    union all

    select
        {{ dbt.concat([to_text('tahun'), "'S'", "case when nomor_bulan <= 6 then '1' else '2' end"]) }} as periode,
        'SEMESTER' as jenis_periode,
        tahun,
        case
            when nomor_bulan <= 6 then cast({{ dbt.date_trunc('year', 'bulan') }} as date)
            else {{ add_months(6, dbt.date_trunc('year', 'bulan')) }}
        end as tanggal_awal,
        6 as jumlah_bulan,
        bulan
    from months

    union all

    select
        {{ to_text('tahun') }} as periode,
        'TAHUN' as jenis_periode,
        tahun,
        cast({{ dbt.date_trunc('year', 'bulan') }} as date) as tanggal_awal,
        12 as jumlah_bulan,
        bulan
    from months
)

select
    periode,
    jenis_periode,
    cast(tahun as integer) as tahun,
    tanggal_awal,
    {{ add_days(-1, add_months('jumlah_bulan', 'tanggal_awal')) }} as tanggal_akhir,
    jumlah_bulan,
    count(distinct bulan) as jumlah_bulan_berdata
from month_periods
group by periode, jenis_periode, tahun, tanggal_awal, jumlah_bulan
