-- One row per registered file version (every status), as recorded by ingestion.
with registry as (
    select * from {{ source('meta', 'file_registry') }}
)

select
    file_id,
    load_id,
    path,
    file_name,
    kode_upt,
    kind,
    bulan,
    format,
    encoding,
    delimiter,
    sha256,
    size_bytes,
    received_at,
    registered_at,
    submitted_by,
    status,
    reject_code,
    reject_reason,
    rows_read,
    rows_loaded,
    rows_quarantined,
    extra_columns,
    replaces_file_id,
    coalesce(is_current, false) and status = 'LOADED' as is_current
from registry
