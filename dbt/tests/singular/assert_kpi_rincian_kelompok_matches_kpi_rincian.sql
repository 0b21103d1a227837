-- The ('*', '*') peer-group breakdowns are kpi_rincian's Kanwil and national rows, figure for figure,
-- with no row missing on either side.
with g as (
    select * from {{ ref('kpi_rincian_kelompok') }} where jenis_upt = '*' and kelas = '*'
),

r as (
    select * from {{ ref('kpi_rincian') }} where level in ('kanwil', 'nasional')
)

select coalesce(g.level, r.level) as level, coalesce(g.kode, r.kode) as kode, coalesce(g.periode, r.periode) as periode,
    coalesce(g.dimensi, r.dimensi) as dimensi, coalesce(g.nilai, r.nilai) as nilai
from g
full outer join r
    on g.level = r.level and g.kode = r.kode and g.periode = r.periode and g.dimensi = r.dimensi and g.nilai = r.nilai
where g.level is null or r.level is null
    {% for c in ['pendapatan', 'produksi_unit', 'lolos_qc_unit', 'qc_pass_rate'] %}
    or not (g.{{ c }} = r.{{ c }} or (g.{{ c }} is null and r.{{ c }} is null))
    {% endfor %}
