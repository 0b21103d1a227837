-- One row per (UPT of the master, month present in the data, kind): DITERIMA when a current
-- accepted version exists, DITOLAK when only rejected versions were received, TIDAK_ADA when
-- nothing was received. terlambat: the current version was received after the deadline (day
-- var('hari_batas_kirim') of the following month, end of day).
{%- set kinds = ['narapidana', 'kegiatan', 'peserta', 'produksi', 'penjualan', 'pnbp'] %}
with kinds as (
    {% for k in kinds %}
    select '{{ k }}' as kind{% if not loop.last %} union all{% endif %}
    {% endfor %}
),

expected as (
    select u.kode_upt, m.bulan, k.kind
    from {{ ref('stg_upt') }} as u
    cross join {{ ref('int_bulan_data') }} as m
    cross join kinds as k
),

files as (
    select * from {{ ref('stg_file_registry') }}
),

current_files as (
    select kode_upt, bulan, kind, received_at, rows_read, rows_quarantined
    from files
    where is_current
),

rejected as (
    select kode_upt, bulan, kind, count(*) as jumlah_ditolak
    from files
    where status = 'REJECTED' and kode_upt is not null and bulan is not null and kind is not null
    group by 1, 2, 3
)

select
    e.kode_upt,
    e.bulan,
    e.kind,
    case
        when c.kode_upt is not null then 'DITERIMA'
        when r.kode_upt is not null then 'DITOLAK'
        else 'TIDAK_ADA'
    end as status,
    coalesce(
        c.received_at >= cast({{ add_days(var('hari_batas_kirim'), add_months(1, 'e.bulan')) }} as {{ dbt.type_timestamp() }}),
        false
    ) as terlambat,
    cast(c.received_at as {{ dbt.type_timestamp() }}) as received_at,
    cast(c.rows_read as integer) as rows_read,
    cast(c.rows_quarantined as integer) as rows_quarantined,
    cast(coalesce(r.jumlah_ditolak, 0) as {{ dbt.type_bigint() }}) as jumlah_ditolak
from expected as e
left join current_files as c
    on e.kode_upt = c.kode_upt and e.bulan = c.bulan and e.kind = c.kind
left join rejected as r
    on e.kode_upt = r.kode_upt and e.bulan = r.bulan and e.kind = r.kind
