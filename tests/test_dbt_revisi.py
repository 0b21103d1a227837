"""Publication history: a corrected re-send after the first publication shows up in kpi_revisi.

Two `dbt build` runs on the fixture warehouse (tests/fixtures_dbt.py): the first publishes; then
UPT0001 re-sends its March 2024 penjualan file with sale S4 corrected from 50000 to 80000 and the
second build publishes again. Worked figures: Q1 pendapatan 700000 -> 730000, pendapatan_eksternal
400000 -> 430000, rasio_setor_pnbp 600000/700000 -> 600000/730000, for UPT0001, KW01 and NASIONAL
and for the periods containing March (2024Q1, 2024S1, 2024): 3 indicators x 3 codes x 3 periods.
Nothing else changes, so the snapshot gains exactly 9 versions and the first values stay visible.
"""

from __future__ import annotations

import duckdb
import pytest

from fixtures_dbt import build_and_run_dbt, run_dbt


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_revisi")
    db, _first = build_and_run_dbt(work)
    con = duckdb.connect(str(db))
    first_versions = con.execute("select count(*) from snapshots.kpi_indikator_snapshot").fetchone()[0]
    old_id = con.execute("select file_id from meta.file_registry where kode_upt = 'UPT0001' and kind = 'penjualan' "
                         "and bulan = '2024-03-01' and is_current").fetchone()[0]
    con.execute("update meta.file_registry set is_current = false where file_id = ?", [old_id])
    con.execute("""insert into meta.file_registry (file_id, load_id, path, file_name, kode_upt, kind, bulan, format,
                       sha256, size_bytes, mtime_ns, received_at, registered_at, status, rows_read, rows_loaded,
                       rows_quarantined, replaces_file_id, is_current)
                   values (1000, 2, 'kirim_ulang/UPT0001_penjualan_202403.csv', 'UPT0001_penjualan_202403.csv',
                       'UPT0001', 'penjualan', '2024-03-01', 'csv', 'sha1000', 100, 0, '2024-06-01 10:00:00',
                       '2024-06-01 10:00:00', 'LOADED', 2, 2, 0, ?, true)""", [old_id])
    for row_number, (no, tanggal, total) in enumerate((("S3", "2024-02-28", 150000), ("S4", "2024-03-05", 80000)), 1):
        con.execute("""insert into raw.penjualan (kode_upt, bulan, no_transaksi, tanggal, kode_kegiatan, nama_produk,
                           jumlah, harga_satuan, total, kanal, jenis_pembeli, _file_id, _row_number, _load_id)
                       values ('UPT0001', '2024-03-01', ?, ?, 'K02', 'Produk K02', 1, ?, ?, ?, 'EKSTERNAL', 1000, ?, 2)""",
                    [no, tanggal, total, total, "MARKETPLACE" if no == "S3" else "PAMERAN", row_number])
    con.close()
    second = run_dbt(db, work, "build")
    assert second.returncode == 0, second.stdout[-6000:]
    con = duckdb.connect(str(db), read_only=True)
    yield con, first_versions
    con.close()


def test_revisions_listed_with_first_and_current_values(revised):
    con, _ = revised
    rows = con.execute("select level, kode, periode, indikator, nilai_awal, nilai_terkini, "
                       "diterbitkan_awal < diterbitkan_terkini, jumlah_versi from marts.kpi_revisi").fetchall()
    got = {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6], r[7]) for r in rows}
    keys = {(lv, kode) for lv, kode in (("upt", "UPT0001"), ("kanwil", "KW01"), ("nasional", "NASIONAL"))}
    expected = {}
    for lv, kode in keys:
        for periode in ("2024Q1", "2024S1", "2024"):
            expected[(lv, kode, periode, "pendapatan")] = 1
            expected[(lv, kode, periode, "pendapatan_eksternal")] = 1
            expected[(lv, kode, periode, "rasio_setor_pnbp")] = 1
    assert set(got) == set(expected)
    awal, kini, later, versions = got[("upt", "UPT0001", "2024Q1", "pendapatan")]
    assert (awal, kini, later, versions) == (700000, 730000, True, 2)
    assert got[("upt", "UPT0001", "2024Q1", "pendapatan_eksternal")][:2] == (400000, 430000)
    awal, kini = got[("nasional", "NASIONAL", "2024Q1", "rasio_setor_pnbp")][:2]
    assert awal == pytest.approx(6 / 7) and kini == pytest.approx(600000 / 730000)
    # full year: UPT0002's April sale adds 1000000 to the national figure
    assert got[("nasional", "NASIONAL", "2024", "pendapatan")][:2] == (1700000, 1730000)


def test_snapshot_keeps_first_publication(revised):
    con, first_versions = revised
    assert con.execute("select count(*) from snapshots.kpi_indikator_snapshot").fetchone()[0] == first_versions + 9
    history = con.execute("select pendapatan, dbt_valid_to is null from snapshots.kpi_indikator_snapshot "
                          "where level = 'upt' and kode = 'UPT0001' and periode = '2024Q1' order by dbt_valid_from").fetchall()
    assert [(float(p), cur) for p, cur in history] == [(700000, False), (730000, True)]
    assert float(con.execute("select pendapatan from marts.kpi_indikator where level = 'upt' and kode = 'UPT0001' "
                             "and periode = '2024Q1'").fetchone()[0]) == 730000
