-- One row per programme (kode_upt, kode_kegiatan): its latest version among current file versions.
{{ config(materialized='table') }}

{{ select_latest_version('stg_kegiatan', ['kode_upt', 'kode_kegiatan']) }}
