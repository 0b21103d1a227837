-- One row per programme (kode_upt, kode_kegiatan): its latest version among current file versions.
{{ config(materialized=latest_materialization(), incremental_strategy='append',
          pre_hook="{{ delete_affected_records('kegiatan', ['kode_upt', 'kode_kegiatan']) }}") }}

{{ select_latest_version('stg_kegiatan', ['kode_upt', 'kode_kegiatan'], 'kegiatan') }}
