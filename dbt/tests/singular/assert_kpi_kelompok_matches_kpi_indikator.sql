-- The ('*', '*') peer groups are the Kanwil and national rows of kpi_indikator, figure for figure.
select g.level, g.kode, g.periode
from {{ ref('kpi_kelompok') }} as g
left join {{ ref('kpi_indikator') }} as k
    on g.level = k.level and g.kode = k.kode and g.periode = k.periode
where g.jenis_upt = '*' and g.kelas = '*'
    and (k.kode is null
    {% for c in kpi_columns() %}
    or not (g.{{ c.name }} = k.{{ c.name }} or (g.{{ c.name }} is null and k.{{ c.name }} is null))
    {% endfor %})
