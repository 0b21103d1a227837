-- One row per deposit (ntpn, unique nationally): its latest version among current file versions.
{{ config(materialized='table') }}

{{ select_latest_version('stg_pnbp', ['ntpn']) }}
