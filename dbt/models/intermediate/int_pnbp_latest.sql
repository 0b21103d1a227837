-- One row per deposit (ntpn, unique nationally): its latest version among current file versions.
{{ config(materialized=latest_materialization(), incremental_strategy='append',
          pre_hook="{{ delete_affected_records('pnbp', ['ntpn']) }}") }}

{{ select_latest_version('stg_pnbp', ['ntpn'], 'pnbp') }}
