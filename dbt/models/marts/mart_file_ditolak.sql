-- One row per rejected file version (file_id). bulan_periode is the month the rejection is counted
-- in (docs/DECISIONS.md 50): the reporting month of the file name, or, when the name gives none
-- (BAD_NAME, BAD_MONTH), the month before the month of receipt (a month is reported in the next
-- one, by day var('hari_batas_kirim')). Every count of rejected files (the Kualitas
-- Data card and table, mart_kualitas_upt.file_ditolak) selects rows of this mart by kode_upt and
-- bulan_periode, so they agree.
select
    file_id,
    path,
    kode_upt,
    kind,
    bulan,
    cast(coalesce(bulan, {{ add_months(-1, dbt.date_trunc('month', 'received_at')) }}) as date) as bulan_periode,
    reject_code as reason_code,
    reject_reason as reason,
    received_at,
    load_id,
    submitted_by
from {{ ref('stg_file_registry') }}
where status = 'REJECTED'
