-- One row per sale (kode_upt, no_transaksi): its latest version among current file versions
-- (a sale reported again in a later month's file is the same record, EXPORT_SPEC "Record keys").
{{ config(materialized=latest_materialization(), incremental_strategy='append',
          pre_hook="{{ delete_affected_records('penjualan', ['kode_upt', 'no_transaksi']) }}") }}

{{ select_latest_version('stg_penjualan', ['kode_upt', 'no_transaksi'], 'penjualan') }}
