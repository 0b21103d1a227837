-- One row per participation (kode_upt, no_registrasi, kode_kegiatan, tanggal_mulai): its latest
-- version among current file versions.
{{ config(materialized=latest_materialization(), incremental_strategy='append',
          pre_hook="{{ delete_affected_records('peserta', ['kode_upt', 'no_registrasi', 'kode_kegiatan', 'tanggal_mulai']) }}") }}

{{ select_latest_version('stg_peserta', ['kode_upt', 'no_registrasi', 'kode_kegiatan', 'tanggal_mulai'], 'peserta') }}
