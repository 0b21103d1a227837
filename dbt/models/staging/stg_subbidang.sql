-- One row per sub-sector (subbidang) of the taxonomy.
select kode_subbidang, kode_bidang, label, cakupan from {{ source('ref', 'subbidang') }}
