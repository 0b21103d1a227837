-- Quantity passing QC never exceeds quantity produced (indicators, breakdowns, batches).
select 'kpi_indikator' as source, level, kode, periode
from {{ ref('kpi_indikator') }}
where lolos_qc_unit > produksi_unit
union all
select 'kpi_rincian' as source, level, kode, periode
from {{ ref('kpi_rincian') }}
where lolos_qc_unit > produksi_unit
union all
select 'fct_produksi' as source, 'upt' as level, kode_upt as kode, cast(no_batch as {{ dbt.type_string() }}) as periode
from {{ ref('fct_produksi') }}
where jumlah_lolos_qc > jumlah_produksi
