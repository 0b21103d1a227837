-- One row per ingestion run.
with loads as (
    select * from {{ source('meta', 'loads') }}
)

select
    load_id,
    started_at,
    finished_at,
    status,
    files_seen,
    files_accepted,
    files_replaced,
    files_unchanged,
    files_identical,
    files_rejected,
    rows_loaded,
    rows_quarantined,
    message
from loads
