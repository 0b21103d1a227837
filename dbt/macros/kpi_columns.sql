{#
  The indicator columns of KPI_DICTIONARY.md (version 2) in dictionary order. kind: count
  (bigint), amount (decimal), rate (double, num / den), code (string, level upt only). Used by
  kpi_indikator, the snapshot's revision view, and the singular tests, so a column is declared
  once. kelengkapan_laporan's numerator is the hidden file_diterima_jatuh_tempo (files of the
  months whose deadline has passed), its denominator the hidden file_diharapkan.
#}
{% macro kpi_columns() -%}
    {{ return([
        {'name': 'populasi_akhir', 'kind': 'count'},
        {'name': 'eligible_pelatihan', 'kind': 'count'},
        {'name': 'partisipan_pelatihan', 'kind': 'count'},
        {'name': 'tingkat_partisipasi_pelatihan', 'kind': 'rate', 'num': 'partisipan_pelatihan', 'den': 'eligible_pelatihan'},
        {'name': 'eligible_produksi', 'kind': 'count'},
        {'name': 'partisipan_produksi', 'kind': 'count'},
        {'name': 'tingkat_partisipasi_produksi', 'kind': 'rate', 'num': 'partisipan_produksi', 'den': 'eligible_produksi'},
        {'name': 'peserta_tidak_memenuhi_syarat', 'kind': 'count'},
        {'name': 'masuk', 'kind': 'count'},
        {'name': 'litmas_tepat_waktu', 'kind': 'count'},
        {'name': 'kepatuhan_litmas_h7', 'kind': 'rate', 'num': 'litmas_tepat_waktu', 'den': 'masuk'},
        {'name': 'produksi_unit', 'kind': 'amount'},
        {'name': 'lolos_qc_unit', 'kind': 'amount'},
        {'name': 'qc_pass_rate', 'kind': 'rate', 'num': 'lolos_qc_unit', 'den': 'produksi_unit'},
        {'name': 'pendapatan', 'kind': 'amount'},
        {'name': 'pendapatan_internal', 'kind': 'amount'},
        {'name': 'pendapatan_eksternal', 'kind': 'amount'},
        {'name': 'pnbp_disetor', 'kind': 'amount'},
        {'name': 'rasio_setor_pnbp', 'kind': 'rate', 'num': 'pnbp_disetor', 'den': 'pendapatan'},
        {'name': 'pelatihan_selesai', 'kind': 'count'},
        {'name': 'pelatihan_bersertifikat', 'kind': 'count'},
        {'name': 'tingkat_sertifikasi', 'kind': 'rate', 'num': 'pelatihan_bersertifikat', 'den': 'pelatihan_selesai'},
        {'name': 'jam_kerja', 'kind': 'amount'},
        {'name': 'upah', 'kind': 'amount'},
        {'name': 'anggaran_rab', 'kind': 'amount'},
        {'name': 'realisasi_anggaran', 'kind': 'amount'},
        {'name': 'tingkat_realisasi_anggaran', 'kind': 'rate', 'num': 'realisasi_anggaran', 'den': 'anggaran_rab'},
        {'name': 'file_diterima', 'kind': 'count'},
        {'name': 'kelengkapan_laporan', 'kind': 'rate', 'num': 'file_diterima_jatuh_tempo', 'den': 'file_diharapkan'},
        {'name': 'baris_dibaca', 'kind': 'count'},
        {'name': 'baris_karantina', 'kind': 'count'},
        {'name': 'pnbp_kurang_setor', 'kind': 'amount'},
        {'name': 'upt_diharapkan', 'kind': 'count'},
        {'name': 'upt_melapor', 'kind': 'count'},
        {'name': 'cakupan_upt', 'kind': 'rate', 'num': 'upt_melapor', 'den': 'upt_diharapkan'},
        {'name': 'status_laporan', 'kind': 'code'},
    ]) }}
{%- endmacro %}

{# Count and amount columns, plus the hidden denominators that are not dictionary columns. #}
{% macro kpi_additive_columns() -%}
    {%- set cols = [] -%}
    {%- for c in kpi_columns() if c.kind in ('count', 'amount') -%}{%- do cols.append(c) -%}{%- endfor -%}
    {%- do cols.append({'name': 'file_diharapkan', 'kind': 'count'}) -%}
    {%- do cols.append({'name': 'file_diterima_jatuh_tempo', 'kind': 'count'}) -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro kpi_rate_columns() -%}
    {%- set cols = [] -%}
    {%- for c in kpi_columns() if c.kind == 'rate' -%}{%- do cols.append(c) -%}{%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro kpi_column_type(kind) -%}
    {%- if kind == 'count' -%}{{ dbt.type_bigint() }}
    {%- elif kind == 'amount' -%}{{ type_amount() }}
    {%- elif kind == 'code' -%}{{ dbt.type_string() }}
    {%- else -%}{{ type_double() }}{%- endif -%}
{%- endmacro %}
