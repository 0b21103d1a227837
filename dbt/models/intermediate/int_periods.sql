-- One row per reporting period (quarter, semester, year) that contains at least one month
-- present in the data (int_bulan_data), with its first and last day, the months expected at
-- publication time (deadline passed) and whether its figures are provisional (sementara), with
-- the reason (dbt/README.md "Provisional figures").
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
),

aggregated as (
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
),

data_span as (
    select max(bulan) as bulan_terakhir_data from {{ ref('int_bulan_data') }}
),

with_dates as (
    select
        a.*,
        cast({{ dbt.date_trunc('month', 'a.tanggal_akhir') }} as date) as bulan_akhir,
        d.bulan_terakhir_data,
        {{ bulan_jatuh_tempo_terakhir() }} as bulan_jatuh_tempo_terakhir,
        {{ tanggal_terbit() }} as tanggal_terbit
    from aggregated as a
    cross join data_span as d
),

flagged as (
    select
        w.*,
        -- months of P whose deadline has passed at publication time (0 .. jumlah_bulan)
        case
            when w.bulan_jatuh_tempo_terakhir < w.tanggal_awal then 0
            when w.bulan_jatuh_tempo_terakhir >= w.bulan_akhir then w.jumlah_bulan
            else {{ dbt.datediff('w.tanggal_awal', 'w.bulan_jatuh_tempo_terakhir', 'month') }} + 1
        end as jumlah_bulan_jatuh_tempo,
        -- the period ends after the last month of the data (a year with only six months)
        w.bulan_akhir > w.bulan_terakhir_data as is_belum_berakhir,
        -- deposits for the last month of the data arrive with the next month's files
        w.bulan_akhir = w.bulan_terakhir_data as is_menunggu_setoran,
        -- the deadline of P's last month, plus one month for deposits, has not passed
        w.tanggal_terbit <= {{ batas_kirim(add_months(1, 'w.bulan_akhir')) }} as is_batas_belum_lewat
    from with_dates as w
)

select
    periode,
    jenis_periode,
    tahun,
    tanggal_awal,
    tanggal_akhir,
    jumlah_bulan,
    jumlah_bulan_berdata,
    cast(jumlah_bulan_jatuh_tempo as integer) as jumlah_bulan_jatuh_tempo,
    bulan_jatuh_tempo_terakhir,
    tanggal_terbit,
    is_belum_berakhir or is_menunggu_setoran or is_batas_belum_lewat as sementara,
    case
        when not (is_belum_berakhir or is_menunggu_setoran or is_batas_belum_lewat) then null
        else {{ dbt.concat([
            "case when is_belum_berakhir then " ~ dbt.concat(["'baru '", to_text('jumlah_bulan_berdata'), "' dari '", to_text('jumlah_bulan'), "' bulan periode ini yang sudah ada datanya'"]) ~ " when is_menunggu_setoran then 'setoran PNBP bulan terakhir datang bersama file bulan berikutnya' else '' end",
            "case when is_batas_belum_lewat and (is_belum_berakhir or is_menunggu_setoran) then '; ' else '' end",
            "case when is_batas_belum_lewat then 'batas kirim bulan terakhir (dan satu bulan untuk setoran PNBP) belum lewat' else '' end",
        ]) }}
    end as alasan_sementara
from flagged
