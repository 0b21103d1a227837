-- One row per ingestion run (copy of meta.loads).
select
    load_id,
    started_at,
    finished_at,
    status,
    cast(files_seen as integer) as files_seen,
    cast(files_accepted as integer) as files_accepted,
    cast(files_replaced as integer) as files_replaced,
    cast(files_unchanged as integer) as files_unchanged,
    cast(files_identical as integer) as files_identical,
    cast(files_rejected as integer) as files_rejected,
    cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
    cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
    message
from {{ ref('stg_loads') }}
