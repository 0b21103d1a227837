-- One row per quarantined row (file_id, row_number, reason_code) of every file version, with
-- whether the file version is current.
with quarantined as (
    select * from {{ ref('stg_quarantine') }}
),

files as (
    select file_id, is_current from {{ ref('stg_file_registry') }}
)

select
    q.file_id,
    q.source_row as row_number,
    q.reason_code,
    q.load_id,
    q.kind,
    q.kode_upt,
    q.bulan,
    q.reason,
    q.record_key,
    coalesce(f.is_current, false) as is_current
from quarantined as q
left join files as f
    on q.file_id = f.file_id
