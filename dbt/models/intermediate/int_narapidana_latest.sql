-- One row per inmate record (kode_upt, no_registrasi): its latest version (latest file month,
-- then latest received file, then highest file id) among current file versions.
{{ config(materialized=latest_materialization(), incremental_strategy='append',
          pre_hook="{{ delete_affected_records('narapidana', ['kode_upt', 'no_registrasi']) }}") }}

{{ select_latest_version('stg_narapidana', ['kode_upt', 'no_registrasi'], 'narapidana') }}
