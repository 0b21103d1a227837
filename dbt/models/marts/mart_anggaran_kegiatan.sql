-- One row per (kode_upt, kode_kegiatan, periode): a programme's budget and realisation as at the end
-- of the period (int_kegiatan_anggaran_periode) and its realisation rate (NULL without a budget),
-- read by Profil UPT. Summed over a UPT's programmes these are kpi_indikator's anggaran_rab and
-- realisasi_anggaran of the UPT (tested).
select
    kode_upt,
    kode_kegiatan,
    periode,
    tahap,
    tanggal_mulai,
    tanggal_selesai,
    cast(coalesce(anggaran_rab, 0) as {{ type_amount() }}) as anggaran_rab,
    cast(coalesce(realisasi_anggaran, 0) as {{ type_amount() }}) as realisasi_anggaran,
    {{ safe_divide('coalesce(realisasi_anggaran, 0)', 'anggaran_rab') }} as tingkat_realisasi_anggaran
from {{ ref('int_kegiatan_anggaran_periode') }}
