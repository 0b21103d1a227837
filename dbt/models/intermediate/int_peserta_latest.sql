-- One row per participation (kode_upt, no_registrasi, kode_kegiatan, tanggal_mulai): its latest
-- version among current file versions.
{{ config(materialized='table') }}

{{ select_latest_version('stg_peserta', ['kode_upt', 'no_registrasi', 'kode_kegiatan', 'tanggal_mulai']) }}
