-- One row per inmate record (kode_upt, no_registrasi): its latest version (latest file month,
-- then latest received file, then highest file id) among current file versions.
{{ config(materialized='table') }}

{{ select_latest_version('stg_narapidana', ['kode_upt', 'no_registrasi']) }}
