-- One row per registered file version (file_id), whatever its status.
select
    file_id,
    load_id,
    path,
    file_name,
    kode_upt,
    kind,
    bulan,
    format,
    status,
    reject_code,
    received_at,
    registered_at,
    submitted_by,
    cast(rows_read as integer) as rows_read,
    cast(rows_loaded as integer) as rows_loaded,
    cast(rows_quarantined as integer) as rows_quarantined,
    extra_columns,
    replaces_file_id,
    is_current
from {{ ref('stg_file_registry') }}
