-- One row per (inmate record, period) for inmates admitted on or before the period's last day
-- and not released before its first day (or admitted in the period): the inmate-level building blocks of KPI_DICTIONARY.md
-- evaluated at the period end e (presence, eligibility) and over the period (admission, H+7).
{{ config(materialized='table') }}

with inmates as (
    select * from {{ ref('int_narapidana_latest') }}
),

periods as (
    select periode, tanggal_awal, tanggal_akhir from {{ ref('int_periods') }}
),

inmate_periods as (
    select
        n.kode_upt,
        n.no_registrasi,
        p.periode,
        {{ is_present('n', 'p.tanggal_akhir') }} as is_hadir_akhir,
        {{ is_eligible('PELATIHAN', 'n', 'p.tanggal_akhir') }} as is_eligible_pelatihan,
        {{ is_eligible('PRODUKSI', 'n', 'p.tanggal_akhir') }} as is_eligible_produksi,
        (n.tanggal_masuk >= p.tanggal_awal and n.tanggal_masuk <= p.tanggal_akhir) as is_masuk,
        (n.tanggal_masuk >= p.tanggal_awal
            and n.tanggal_masuk <= p.tanggal_akhir
            and n.tanggal_litmas is not null
            and {{ days_between('n.tanggal_masuk', 'n.tanggal_litmas') }} <= 7) as is_litmas_tepat_waktu
    from inmates as n
    inner join periods as p
        on n.tanggal_masuk <= p.tanggal_akhir
        and (
            n.tanggal_keluar is null
            or n.tanggal_keluar >= p.tanggal_awal
            -- admitted in P counts for masuk even if a (quarantine-worthy) release date precedes admission
            or n.tanggal_masuk >= p.tanggal_awal
        )
)

select * from inmate_periods
