"""Publication history (KPI_DICTIONARY v2 "Provisional and final figures"): kpi_revisi records a
revision only when a file of the period was corrected, never because a later month arrived or a
provisional figure completed.

Three `dbt build` runs on the fixture warehouse (tests/fixtures_dbt.py, data January..April 2024),
each with a pinned publication date (dbt var tanggal_terbit):

1. published 2024-06-15: Q1 is final (April's data exist, March's deadline plus a month for deposits,
   2024-05-10, has passed); Q2, S1 and the year are provisional (they end after April).
2. published 2024-08-15 after later months arrived: UPT0001's May kegiatan file (K01 realisasi 6M -> 9M,
   which under "latest version" would have changed Q1's budget), UPT0002's May pnbp file (900000 for
   its April sales) and UPT0002's July narapidana file (the data now run to July). Q1 does not change
   (budget as at the end of Q1); Q2 and S1 become final with figures that differ from their provisional
   versions. kpi_revisi must stay empty.
3. published 2024-08-15 again after UPT0001 re-sent its March penjualan file with sale S4 corrected from
   50000 to 80000: Q1 and S1 (final, containing March) are revised for UPT0001, KW01 and NASIONAL:
   pendapatan 700000 -> 730000, pendapatan_eksternal 400000 -> 430000, rasio_setor_pnbp 600000/700000
   -> 600000/730000 (pnbp_kurang_setor is unchanged: March's deposits of 100000 still cover 80000).
   3 indicators x 3 codes x 2 periods = 18 rows, each naming the corrected file. The year 2024 is still
   provisional (it ends after July): no revision.
"""

from __future__ import annotations

import duckdb
import pytest

from fixtures_dbt import _Builder, build_fixture_warehouse, dep, keg, nap, run_dbt, sale

CODES = (("upt", "UPT0001"), ("kanwil", "KW01"), ("nasional", "NASIONAL"))


def _build(db, work, tanggal_terbit):
    result = run_dbt(db, work, "build", "--vars", f"{{tanggal_terbit: '{tanggal_terbit}'}}")
    assert result.returncode == 0, result.stdout[-6000:]


def _revisions(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select level, kode, periode, indikator, nilai_awal, nilai_terkini, penyebab "
                           "from marts.kpi_revisi").fetchall()
        q1 = con.execute("select periode, realisasi_anggaran, pnbp_disetor, sementara from marts.kpi_indikator "
                         "where level = 'upt' and kode in ('UPT0001', 'UPT0002') order by kode, periode").fetchall()
        return rows, q1
    finally:
        con.close()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_revisi")
    db = work / "monev.work.duckdb"
    build_fixture_warehouse(db)
    _build(db, work, "2024-06-15")
    first = _revisions(db)

    con = duckdb.connect(str(db))
    b = _Builder(con)
    b.next_file_id = 900
    b.file("UPT0001", "kegiatan", "2024-05", [
        keg("K01", "PELATIHAN", "JASA", "JASA_PERSONAL_SOSIAL", "2023-10-01", None, 10_000_000, 9_000_000),
        keg("K02", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN", "2024-01-01", None, 20_000_000, 5_000_000),
    ], "2024-06-05T09:00:00")
    b.file("UPT0002", "pnbp", "2024-05", [dep("NTPN000000000010", "2024-05-08", 900000, "2024-04")],
           "2024-06-05T09:00:00")
    b.file("UPT0002", "narapidana", "2024-07", [nap(f"W{i}", "2024-01-02", 90) for i in range(1, 7)],
           "2024-08-05T09:00:00")
    con.close()
    _build(db, work, "2024-08-15")
    second = _revisions(db)

    con = duckdb.connect(str(db))
    old_id = con.execute("select file_id from meta.file_registry where kode_upt = 'UPT0001' and kind = 'penjualan' "
                         "and bulan = '2024-03-01' and is_current").fetchone()[0]
    con.execute("update meta.file_registry set is_current = false where file_id = ?", [old_id])
    b = _Builder(con)
    b.next_file_id = 1000
    b.file("UPT0001", "penjualan", "2024-03", [
        sale("S3", "K02", "2024-02-28", 150000, "EKSTERNAL", "MARKETPLACE"),
        sale("S4", "K02", "2024-03-05", 80000, "EKSTERNAL", "PAMERAN"),
    ], "2024-08-10T09:00:00")
    con.close()
    _build(db, work, "2024-08-15")
    third = _revisions(db)
    return first, second, third


def test_later_months_and_completed_provisional_figures_are_not_revisions(history):
    (rev1, figures1), (rev2, figures2), _ = history
    assert rev1 == [] and rev2 == []
    before = {(r[0]): r[1:] for r in figures1[:4]}  # UPT0001 by period
    after = {(r[0]): r[1:] for r in figures2[:4]}
    # as at the end of Q1: the May kegiatan file does not change Q1's budget realisation
    assert float(before["2024Q1"][0]) == float(after["2024Q1"][0]) == 18_000_000
    assert before["2024Q1"][2] is False
    # Q2 was provisional and completed: UPT0002's April deposits arrived; now final
    upt2 = {r[0]: r[1:] for r in figures2[4:]}
    upt2_before = {r[0]: r[1:] for r in figures1[4:]}
    assert upt2_before["2024Q2"][1] is None and upt2_before["2024Q2"][2] is True
    assert float(upt2["2024Q2"][1]) == 900000 and upt2["2024Q2"][2] is False
    # the later month does count where it belongs: Q2's budget takes the May version of K01
    assert float(after["2024Q2"][0]) == 9_000_000 + 5_000_000


def test_correction_of_a_file_of_the_period_is_a_revision_with_its_cause(history):
    _, _, (rows, _) = history
    got = {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows}
    expected = {(lv, kode, periode, ind) for lv, kode in CODES for periode in ("2024Q1", "2024S1")
                for ind in ("pendapatan", "pendapatan_eksternal", "rasio_setor_pnbp")}
    assert set(got) == expected
    assert got[("upt", "UPT0001", "2024Q1", "pendapatan")] == (700000, 730000, "UPT0001_penjualan_202403.csv")
    assert got[("upt", "UPT0001", "2024S1", "pendapatan_eksternal")][:2] == (400000, 430000)
    awal, kini, _ = got[("nasional", "NASIONAL", "2024Q1", "rasio_setor_pnbp")]
    assert awal == pytest.approx(6 / 7) and kini == pytest.approx(600000 / 730000)
    # S1 nationally: UPT0002's April sale (1000000) is in both the first final and the current value
    assert got[("nasional", "NASIONAL", "2024S1", "pendapatan")][:2] == (1700000, 1730000)
