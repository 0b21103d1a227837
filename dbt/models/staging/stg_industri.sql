-- One row per industry classification code (dimensi, kode).
select dimensi, kode, label, keterangan from {{ source('ref', 'industri') }}
