-- One row per rejected file version (file_id).
select
    file_id,
    path,
    kode_upt,
    kind,
    bulan,
    reject_code as reason_code,
    reject_reason as reason,
    received_at,
    load_id,
    submitted_by
from {{ ref('stg_file_registry') }}
where status = 'REJECTED'
