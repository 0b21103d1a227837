-- KPI_DICTIONARY "Who reported": a UPT that did not report for P (status BELUM_MELAPOR) has every
-- indicator empty except the file counts (0) and coverage; a Kanwil or the nation with no
-- reporting UPT likewise. upt_melapor / status_laporan agree with file_diterima.
select level, kode, periode
from {{ ref('kpi_indikator') }}
where (upt_melapor = 0 and (
        {% for c in kpi_columns() if c.name not in ('file_diterima', 'kelengkapan_laporan', 'baris_dibaca',
            'baris_karantina', 'upt_diharapkan', 'upt_melapor', 'cakupan_upt', 'status_laporan') -%}
        {{ c.name }} is not null{% if not loop.last %} or {% endif %}
        {% endfor %}
        or file_diterima <> 0 or baris_dibaca <> 0 or baris_karantina <> 0))
    or (level = 'upt' and ((status_laporan = 'BELUM_MELAPOR') <> (upt_melapor = 0)))
    or (level = 'upt' and ((file_diterima > 0) <> (upt_melapor = 1)))
