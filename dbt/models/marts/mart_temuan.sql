-- Findings (temuan) of the monev cycle: one row per finding, per quarter and semester, computed from
-- the published figures with the rules and thresholds of var('temuan_aturan') (dbt_project.yml,
-- explained there in Indonesian for the reader). Each row carries its rule, the unit it is about
-- (level upt or kanwil, with kode_kanwil for scoping), the indicator, its value (nilai), what it is
-- compared with (pembanding: the national / Kanwil / peer-group figure, the history mean, the previous
-- period, the threshold) and, for ranking rules, its rank. Ranking rules (peringkat: true) never rank
-- on provisional figures (KPI_DICTIONARY v2): they produce nothing for a period that is sementara.
-- temuan_id is a stable key (rule, period, unit, indicator, programme/sector) that follow-ups refer to.
{%- set aturan = var('temuan_aturan') %}
{%- set rasio = [] %}
{%- for i in var('kpi_katalog') if i.jenis == 'rate' and i.nama not in ('kelengkapan_laporan', 'cakupan_upt') %}
{%- do rasio.append(i.nama) %}
{%- endfor %}
{%- set partisipasi = aturan.PARTISIPASI_RENDAH_KANWIL.indikator %}
{%- set besaran = aturan.LONJAKAN.indikator %}
{%- set riwayat = aturan.DI_LUAR_RIWAYAT.indikator %}

with periods as (
    select
        periode,
        jenis_periode,
        tanggal_awal,
        tanggal_akhir,
        sementara,
        lag(periode) over (partition by jenis_periode order by tanggal_awal) as periode_lalu,
        lag(tanggal_akhir) over (partition by jenis_periode order by tanggal_awal) as akhir_lalu
    from {{ ref('int_periods') }}
    where jenis_periode in ('TRIWULAN', 'SEMESTER')
),

prev_period as (
    -- the immediately preceding period of the same kind (none when a period without data lies between)
    select periode, periode_lalu
    from periods
    where periode_lalu is not null
        and {{ add_days(1, 'akhir_lalu') }} = tanggal_awal
),

upt as (
    select kode_upt, kode_kanwil, jenis_upt, kelas from {{ ref('dim_upt') }}
),

kpi_upt as (
    select k.*, u.kode_kanwil, u.jenis_upt, u.kelas, p.tanggal_awal, p.sementara as periode_sementara
    from {{ ref('kpi_indikator') }} as k
    inner join upt as u on k.kode = u.kode_upt
    inner join periods as p on k.periode = p.periode
    where k.level = 'upt'
),

kpi_kanwil as (
    select k.*, p.sementara as periode_sementara
    from {{ ref('kpi_indikator') }} as k
    inner join periods as p on k.periode = p.periode
    where k.level = 'kanwil'
),

kpi_nasional as (
    select k.*
    from {{ ref('kpi_indikator') }} as k
    where k.level = 'nasional'
),

-- long form: one row per (UPT, period, indicator) for the rates and the amounts the rules look at
upt_long as (
    {%- set semua = rasio + (besaran + riwayat) | unique | list %}
    {%- for c in semua | unique %}
    select kode as kode_upt, kode_kanwil, jenis_upt, kelas, periode, jenis_periode, tanggal_awal,
        '{{ c }}' as indikator, cast({{ c }} as {{ type_double() }}) as nilai
    from kpi_upt
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- 1. lowest participation: Kanwil, then the UPTs behind it
kanwil_partisipasi as (
    {%- for c in partisipasi %}
    select kw.kode as kode_kanwil, kw.periode, kw.jenis_periode, '{{ c }}' as indikator,
        cast(kw.{{ c }} as {{ type_double() }}) as nilai, cast(n.{{ c }} as {{ type_double() }}) as pembanding,
        row_number() over (partition by kw.periode order by kw.{{ c }}, kw.kode) as peringkat
    from kpi_kanwil as kw
    inner join kpi_nasional as n on kw.periode = n.periode
    where kw.{{ c }} is not null and not kw.periode_sementara
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

kanwil_rendah as (
    select * from kanwil_partisipasi where peringkat <= {{ aturan.PARTISIPASI_RENDAH_KANWIL.jumlah }}
),

upt_partisipasi as (
    select l.kode_upt, l.kode_kanwil, l.periode, l.jenis_periode, l.indikator, l.nilai, r.nilai as pembanding,
        row_number() over (partition by l.kode_kanwil, l.periode, l.indikator order by l.nilai, l.kode_upt) as peringkat
    from upt_long as l
    inner join kanwil_rendah as r
        on l.kode_kanwil = r.kode_kanwil and l.periode = r.periode and l.indikator = r.indikator
    where l.nilai is not null
),

-- 2. largest gross PNBP shortfalls
kurang_setor as (
    select kode as kode_upt, kode_kanwil, periode, jenis_periode,
        cast(pnbp_kurang_setor as {{ type_double() }}) as nilai,
        cast(pendapatan as {{ type_double() }}) as pembanding,
        row_number() over (partition by periode order by pnbp_kurang_setor desc, kode) as peringkat
    from kpi_upt
    where pnbp_kurang_setor >= {{ aturan.PNBP_KURANG_SETOR.minimal_rupiah }} and not periode_sementara
),

-- 3. loss-making programmes and sectors
margin as (
    select m.kode_upt, u.kode_kanwil, m.kode_kegiatan, k.bidang, m.periode, p.jenis_periode, p.sementara,
        m.pendapatan, m.biaya_bahan, m.margin
    from {{ ref('mart_margin_kegiatan') }} as m
    inner join periods as p on m.periode = p.periode
    inner join upt as u on m.kode_upt = u.kode_upt
    left join {{ ref('dim_kegiatan') }} as k on m.kode_upt = k.kode_upt and m.kode_kegiatan = k.kode_kegiatan
),

kegiatan_rugi as (
    select kode_upt, kode_kanwil, kode_kegiatan, bidang, periode, jenis_periode,
        cast(margin as {{ type_double() }}) as nilai, cast(biaya_bahan as {{ type_double() }}) as pembanding,
        row_number() over (partition by periode order by margin, kode_upt, kode_kegiatan) as peringkat
    from margin
    where margin < 0 and not sementara
),

sektor as (
    select kode_kanwil, coalesce(bidang, '-') as bidang, periode, jenis_periode,
        sum(margin) as margin, sum(pendapatan) as pendapatan
    from margin
    where not sementara
    group by kode_kanwil, coalesce(bidang, '-'), periode, jenis_periode
),

sektor_rugi as (
    select kode_kanwil, bidang, periode, jenis_periode,
        cast(margin as {{ type_double() }}) as nilai, cast(pendapatan as {{ type_double() }}) as pembanding,
        row_number() over (partition by periode order by margin, kode_kanwil, bidang) as peringkat
    from sektor
    where margin < 0
),

-- 4. implausible reports
rasio_upt as (
    select * from upt_long
    where indikator in ({% for c in rasio %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
        and nilai is not null
),

lebih_100 as (
    select * from rasio_upt where nilai > 1
),

kelompok as (
    {%- for c in rasio %}
    select jenis_upt, kelas, periode, '{{ c }}' as indikator, cast({{ c }} as {{ type_double() }}) as nilai
    from {{ ref('kpi_kelompok') }}
    where level = 'nasional' and jenis_upt <> '*' and kelas <> '*'
        and upt_melapor >= {{ aturan.DI_LUAR_KELOMPOK.minimal_upt }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

luar_kelompok as (
    select r.*, g.nilai as pembanding
    from rasio_upt as r
    inner join kelompok as g
        on r.jenis_upt = g.jenis_upt and r.kelas = g.kelas and r.periode = g.periode and r.indikator = g.indikator
    where g.nilai is not null
        and abs(r.nilai - g.nilai) * 100 > {{ aturan.DI_LUAR_KELOMPOK.selisih_poin }}
),

sejarah as (
    select l.*,
        avg(nilai) over (partition by kode_upt, indikator order by tanggal_awal
            rows between unbounded preceding and 1 preceding) as rata_lalu,
        stddev_samp(nilai) over (partition by kode_upt, indikator order by tanggal_awal
            rows between unbounded preceding and 1 preceding) as simpangan_lalu,
        count(nilai) over (partition by kode_upt, indikator order by tanggal_awal
            rows between unbounded preceding and 1 preceding) as jumlah_lalu
    from upt_long as l
    where jenis_periode = 'TRIWULAN'
        and indikator in ({% for c in riwayat %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

luar_riwayat as (
    select kode_upt, kode_kanwil, periode, jenis_periode, indikator, nilai, rata_lalu as pembanding
    from sejarah
    where nilai is not null
        and jumlah_lalu >= {{ aturan.DI_LUAR_RIWAYAT.minimal_riwayat }}
        and simpangan_lalu > 0
        and abs(nilai - rata_lalu) > {{ aturan.DI_LUAR_RIWAYAT.kali_simpangan }} * simpangan_lalu
),

lonjakan as (
    select l.kode_upt, l.kode_kanwil, l.periode, l.jenis_periode, l.indikator, l.nilai, b.nilai as pembanding
    from upt_long as l
    inner join prev_period as pp on l.periode = pp.periode
    inner join upt_long as b
        on b.kode_upt = l.kode_upt and b.indikator = l.indikator and b.periode = pp.periode_lalu
    where l.indikator in ({% for c in besaran %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
        and l.nilai is not null and b.nilai > 0
        and (l.nilai > {{ aturan.LONJAKAN.kali }} * b.nilai or l.nilai * {{ aturan.LONJAKAN.kali }} < b.nilai)
),

-- 5. units that did not report, reported partly, or late
pelaporan as (
    select kode as kode_upt, kode_kanwil, periode, jenis_periode, status_laporan,
        cast(file_diterima_jatuh_tempo as {{ type_double() }}) as nilai,
        cast(file_diharapkan as {{ type_double() }}) as pembanding
    from kpi_upt
    where file_diharapkan > 0 and status_laporan in ('BELUM_MELAPOR', 'SEBAGIAN')
),

file_pertama as (
    -- timeliness: a file is on time when its first accepted version arrived by the deadline
    select kode_upt, kind, bulan, min(received_at) as diterima_pertama
    from {{ ref('stg_file_registry') }}
    where status = 'LOADED' and kode_upt is not null and bulan is not null and kind is not null
    group by kode_upt, kind, bulan
),

terlambat as (
    select u.kode_upt, u.kode_kanwil, p.periode, p.jenis_periode,
        cast(sum(case when f.diterima_pertama >= cast({{ add_days(var('hari_batas_kirim'), add_months(1, 'f.bulan')) }}
            as {{ dbt.type_timestamp() }}) then 1 else 0 end) as {{ type_double() }}) as nilai,
        cast(count(*) as {{ type_double() }}) as pembanding
    from file_pertama as f
    inner join upt as u on f.kode_upt = u.kode_upt
    inner join periods as p on f.bulan >= p.tanggal_awal and f.bulan <= p.tanggal_akhir
    group by u.kode_upt, u.kode_kanwil, p.periode, p.jenis_periode
),

semua as (
    select 'PARTISIPASI_RENDAH_KANWIL' as aturan, 'kanwil' as level, kode_kanwil as kode, kode_kanwil,
        cast(null as {{ dbt.type_string() }}) as kode_upt, cast(null as {{ dbt.type_string() }}) as kode_kegiatan,
        cast(null as {{ dbt.type_string() }}) as bidang, periode, jenis_periode, indikator, nilai, pembanding,
        peringkat
    from kanwil_rendah
    union all
    select 'PARTISIPASI_RENDAH_UPT', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        indikator, nilai, pembanding, peringkat
    from upt_partisipasi
    where peringkat <= {{ aturan.PARTISIPASI_RENDAH_UPT.jumlah }}
    union all
    select 'PNBP_KURANG_SETOR', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        'pnbp_kurang_setor', nilai, pembanding, peringkat
    from kurang_setor
    union all
    select 'KEGIATAN_RUGI', 'upt', kode_upt, kode_kanwil, kode_upt, kode_kegiatan, bidang, periode, jenis_periode,
        'margin', nilai, pembanding, peringkat
    from kegiatan_rugi
    union all
    select 'SEKTOR_RUGI', 'kanwil', kode_kanwil, kode_kanwil, null, null, bidang, periode, jenis_periode,
        'margin', nilai, pembanding, peringkat
    from sektor_rugi
    union all
    select 'RASIO_LEBIH_100', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        indikator, nilai, 1.0, null
    from lebih_100
    union all
    select 'DI_LUAR_KELOMPOK', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        indikator, nilai, pembanding, null
    from luar_kelompok
    union all
    select 'DI_LUAR_RIWAYAT', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        indikator, nilai, pembanding, null
    from luar_riwayat
    union all
    select 'LONJAKAN', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        indikator, nilai, pembanding, null
    from lonjakan
    union all
    select case when status_laporan = 'BELUM_MELAPOR' then 'BELUM_MELAPOR' else 'LAPORAN_SEBAGIAN' end,
        'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        'file_diterima', nilai, pembanding, null
    from pelaporan
    union all
    select 'TERLAMBAT', 'upt', kode_upt, kode_kanwil, kode_upt, null, null, periode, jenis_periode,
        'file_terlambat', nilai, pembanding, null
    from terlambat
    where nilai > 0
)

select
    cast({{ dbt.hash(dbt.concat([
        "s.aturan", "'|'", "s.periode", "'|'", "s.level", "'|'", "s.kode", "'|'",
        "coalesce(s.indikator, '')", "'|'", "coalesce(s.kode_kegiatan, '')", "'|'", "coalesce(s.bidang, '')"])) }}
        as {{ dbt.type_string() }}) as temuan_id,
    s.periode,
    s.jenis_periode,
    s.aturan,
    case s.aturan
    {%- for kode, a in aturan.items() %}
        when '{{ kode }}' then '{{ a.kategori }}'
    {%- endfor %}
    end as kategori,
    s.level,
    s.kode,
    s.kode_kanwil,
    s.kode_upt,
    s.kode_kegiatan,
    s.bidang,
    s.indikator,
    cast(s.nilai as {{ type_double() }}) as nilai,
    cast(s.pembanding as {{ type_double() }}) as pembanding,
    cast(s.peringkat as {{ dbt.type_bigint() }}) as peringkat,
    p.sementara
from semua as s
inner join periods as p on s.periode = p.periode
