-- One row per quarantined data row (every file version).
with quarantined as (
    select * from {{ source('meta', 'quarantine') }}
)

select
    file_id,
    load_id,
    kind,
    kode_upt,
    bulan,
    row_number as source_row,
    reason_code,
    reason,
    record_key,
    {{ to_text('record') }} as record
from quarantined
