-- Participants never exceed eligible inmates, at every level and period.
select level, kode, periode, partisipan_pelatihan, eligible_pelatihan, partisipan_produksi, eligible_produksi
from {{ ref('kpi_indikator') }}
where partisipan_pelatihan > eligible_pelatihan
    or partisipan_produksi > eligible_produksi
    or eligible_pelatihan > populasi_akhir
    or eligible_produksi > populasi_akhir
    or litmas_tepat_waktu > masuk
    or pelatihan_bersertifikat > pelatihan_selesai
