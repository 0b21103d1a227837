-- Budgets "as at the end of P" per programme (KPI_DICTIONARY v2): for each (UPT, programme, period)
-- the latest version among the kegiatan files of months up to and including P's last month, for
-- the programmes (in that version) whose run overlaps P. A later month's file never changes an
-- earlier period's figure. Summed per UPT by int_kpi_upt_periode; published per programme by
-- mart_anggaran_kegiatan.
with periods as (
    select periode, tanggal_awal, tanggal_akhir from {{ ref('int_periods') }}
),

kegiatan_versions as (
    select
        k.kode_upt,
        k.kode_kegiatan,
        k.tahap,
        k.tanggal_mulai,
        k.tanggal_selesai,
        k.anggaran_rab,
        k.realisasi_anggaran,
        p.periode,
        p.tanggal_awal,
        p.tanggal_akhir,
        row_number() over (
            partition by k.kode_upt, k.kode_kegiatan, p.periode
            order by k.bulan desc, f.received_at desc, k.file_id desc
        ) as version_rank
    from {{ ref('stg_kegiatan') }} as k
    inner join periods as p
        on k.bulan <= p.tanggal_akhir
    left join {{ ref('stg_file_registry') }} as f
        on k.file_id = f.file_id
)

select
    kode_upt,
    kode_kegiatan,
    periode,
    tahap,
    tanggal_mulai,
    tanggal_selesai,
    anggaran_rab,
    realisasi_anggaran
from kegiatan_versions
where version_rank = 1
    and {{ overlaps('tanggal_mulai', 'tanggal_selesai', 'tanggal_awal', 'tanggal_akhir') }}
