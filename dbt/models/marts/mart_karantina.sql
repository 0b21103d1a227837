-- One row per quarantined row (file_id, row_number, reason_code) of current file versions.
with quarantined as (
    select * from {{ ref('stg_quarantine') }}
),

current_files as (
    select file_id, path from {{ ref('stg_file_registry') }} where is_current
)

select
    q.file_id,
    q.source_row as row_number,
    q.reason_code,
    q.kode_upt,
    q.kind,
    q.bulan,
    f.path,
    q.reason,
    q.record_key
from quarantined as q
inner join current_files as f
    on q.file_id = f.file_id
