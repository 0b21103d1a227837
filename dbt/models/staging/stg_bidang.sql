-- One row per sector (bidang) of the taxonomy.
select kode_bidang, label from {{ source('ref', 'bidang') }}
