-- One row per (UPT of the master, period): which kinds of file the UPT had accepted (current
-- LOADED version) for a month of P, the file counts of the completeness indicators, and whether
-- the UPT reported for P at all (KPI_DICTIONARY "Who reported"). An indicator of a UPT is empty
-- when the kind of file it is computed from has no accepted file for a month of P.
{{ config(materialized='table') }}

with periods as (
    select periode, tanggal_awal, tanggal_akhir, jumlah_bulan, jumlah_bulan_jatuh_tempo,
        bulan_jatuh_tempo_terakhir
    from {{ ref('int_periods') }}
),

files as (
    select
        f.kode_upt,
        p.periode,
        f.kind,
        f.bulan,
        f.file_id,
        f.rows_read,
        f.rows_quarantined,
        f.bulan <= p.bulan_jatuh_tempo_terakhir as is_jatuh_tempo
    from {{ ref('stg_file_registry') }} as f
    inner join periods as p
        on f.bulan >= p.tanggal_awal and f.bulan <= p.tanggal_akhir
    where f.is_current
),

file_sums as (
    select
        kode_upt,
        periode,
        count(distinct {{ dbt.concat(['kind', "'|'", to_text('bulan')]) }}) as file_diterima,
        count(distinct case when is_jatuh_tempo then {{ dbt.concat(['kind', "'|'", to_text('bulan')]) }} end)
            as file_diterima_jatuh_tempo,
        sum(coalesce(rows_read, 0)) as baris_dibaca,
        sum(coalesce(rows_quarantined, 0)) as baris_karantina,
        max(file_id) as id_file_terakhir,
        {% for kind in ['narapidana', 'kegiatan', 'peserta', 'produksi', 'penjualan', 'pnbp'] %}
        max(case when kind = '{{ kind }}' then 1 else 0 end) = 1 as ada_{{ kind }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from files
    group by kode_upt, periode
)

select
    u.kode_upt,
    u.kode_kanwil,
    p.periode,
    cast(coalesce(fs.file_diterima, 0) as {{ dbt.type_bigint() }}) as file_diterima,
    cast(coalesce(fs.file_diterima_jatuh_tempo, 0) as {{ dbt.type_bigint() }}) as file_diterima_jatuh_tempo,
    cast(6 * p.jumlah_bulan_jatuh_tempo as {{ dbt.type_bigint() }}) as file_diharapkan,
    cast(coalesce(fs.baris_dibaca, 0) as {{ dbt.type_bigint() }}) as baris_dibaca,
    cast(coalesce(fs.baris_karantina, 0) as {{ dbt.type_bigint() }}) as baris_karantina,
    cast(fs.id_file_terakhir as {{ dbt.type_bigint() }}) as id_file_terakhir,
    coalesce(fs.file_diterima, 0) > 0 as is_melapor,
    {% for kind in ['narapidana', 'kegiatan', 'peserta', 'produksi', 'penjualan', 'pnbp'] %}
    coalesce(fs.ada_{{ kind }}, false) as ada_{{ kind }}{% if not loop.last %},{% endif %}
    {% endfor %}
from {{ ref('stg_upt') }} as u
cross join periods as p
left join file_sums as fs
    on u.kode_upt = fs.kode_upt and p.periode = fs.periode
