"""Findings (mart_temuan): each kind of finding planted in the fixture warehouse, then found by dbt.

One ``dbt build`` of the hand-made fixture (tests/fixtures_dbt.py: 2024Q1 final, 2024Q2 provisional;
UPT0001 reports Q1 partly, UPT0003 of KW02 sends nothing); then figures are planted directly in the
upstream marts / the file registry and only ``mart_temuan`` is rebuilt, so each assertion checks
that the rule finds what was planted (and, where it matters, that it was absent before).
"""

from __future__ import annotations

import duckdb
import pytest

from fixtures_dbt import build_and_run_dbt, run_dbt

Q1, Q2 = "2024Q1", "2024Q2"
BUILD_OUT: list[str] = []


def _temuan(db) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select * from marts.mart_temuan").df().to_dict("records")
    finally:
        con.close()


def _find(rows, **kw) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in kw.items())]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_temuan")
    db, result = build_and_run_dbt(work)
    BUILD_OUT.append(result.stdout)
    before = _temuan(db)
    con = duckdb.connect(str(db))
    try:
        q1 = con.execute("select tingkat_partisipasi_pelatihan from marts.kpi_indikator "
                         "where level = 'kanwil' and kode = 'KW01' and periode = ?", [Q1]).fetchone()[0]
        assert q1 is not None and 0 < q1 < 0.9
        # 1. participation: four more Kanwil, one below KW01, three above; top 3 lowest = KW94, KW01, KW90
        for kode, nilai in (("KW90", 0.90), ("KW91", 0.95), ("KW92", 0.99), ("KW94", 0.01)):
            con.execute("insert into marts.kpi_indikator (level, kode, periode, jenis_periode, "
                        "tingkat_partisipasi_pelatihan, sementara) values ('kanwil', ?, ?, 'TRIWULAN', ?, false)",
                        [kode, Q1, nilai])
        # 2. a gross PNBP shortfall above the threshold (Rp 1.000.000)
        con.execute("update marts.kpi_indikator set pnbp_kurang_setor = 2500000 "
                    "where level = 'upt' and kode = 'UPT0001' and periode = ?", [Q1])
        # 3. a loss-making programme (K02, INDUSTRI): material cost above its revenue
        con.execute("update marts.mart_margin_kegiatan set biaya_bahan = pendapatan + 400000, margin = -400000 "
                    "where kode_upt = 'UPT0001' and kode_kegiatan = 'K02' and periode = ?", [Q1])
        # 4a. a rate over 100 %
        con.execute("update marts.kpi_indikator set kepatuhan_litmas_h7 = 1.25 "
                    "where level = 'upt' and kode = 'UPT0001' and periode = ?", [Q1])
        # 4b. far outside the peer group: the group (5 reporting UPTs) passes QC at 40 %
        con.execute("update marts.kpi_kelompok set qc_pass_rate = 0.40, upt_melapor = 5 "
                    "where level = 'nasional' and periode = ? "
                    "and jenis_upt = (select jenis_upt from marts.dim_upt where kode_upt = 'UPT0001') "
                    "and kelas = (select kelas from marts.dim_upt where kode_upt = 'UPT0001')", [Q1])
        # 4c. a sudden jump: Q2 revenue ten times Q1's
        con.execute("update marts.kpi_indikator set pendapatan = 10 * (select pendapatan from marts.kpi_indikator "
                    "where level = 'upt' and kode = 'UPT0001' and periode = ?) "
                    "where level = 'upt' and kode = 'UPT0001' and periode = ?", [Q1, Q2])
        # 5. a late file (pnbp for January first received in June) and a late *correction* of a file
        #    first received on time (narapidana February: first 2024-03-02, corrected 2024-06-01)
        con.execute("""insert into meta.file_registry (file_id, load_id, path, file_name, kode_upt, kind, bulan,
                format, sha256, size_bytes, mtime_ns, received_at, registered_at, status, rows_read, rows_loaded,
                rows_quarantined, is_current) values
                (901, 1, 'x/a.csv', 'a.csv', 'UPT0001', 'pnbp', '2024-01-01', 'csv', 'a', 1, 0,
                 '2024-06-01 09:00', '2024-06-01 09:00', 'LOADED', 0, 0, 0, true),
                (902, 1, 'x/b.csv', 'b.csv', 'UPT0001', 'narapidana', '2024-02-01', 'csv', 'b', 1, 0,
                 '2024-06-01 09:00', '2024-06-01 09:00', 'LOADED', 0, 0, 0, true)""")
    finally:
        con.close()
    res = run_dbt(db, work, "run", "--select", "mart_temuan")
    assert res.returncode == 0, res.stdout[-4000:]
    return before, _temuan(db)


def test_lowest_participation_kanwil_then_its_upts(planted):
    before, after = planted
    kw = {r["kode"]: r["peringkat"] for r in _find(after, aturan="PARTISIPASI_RENDAH_KANWIL", periode=Q1,
                                                    indikator="tingkat_partisipasi_pelatihan")}
    assert kw == {"KW94": 1, "KW01": 2, "KW90": 3}
    upt = _find(after, aturan="PARTISIPASI_RENDAH_UPT", periode=Q1, indikator="tingkat_partisipasi_pelatihan")
    # UPT0001 is the only UPT of KW01 with a Q1 figure (UPT0002 reports from Q2), compared with KW01's rate
    assert [(r["kode"], r["kode_kanwil"], r["peringkat"]) for r in upt] == [("UPT0001", "KW01", 1)]
    assert upt[0]["pembanding"] == pytest.approx(_find(after, aturan="PARTISIPASI_RENDAH_KANWIL", kode="KW01",
                                                       indikator="tingkat_partisipasi_pelatihan")[0]["nilai"])


def test_ranking_rules_never_rank_provisional_periods(planted):
    _, after = planted
    ranking = {"PARTISIPASI_RENDAH_KANWIL", "PARTISIPASI_RENDAH_UPT", "PNBP_KURANG_SETOR", "KEGIATAN_RUGI",
               "SEKTOR_RUGI"}
    assert not [r for r in after if r["aturan"] in ranking and r["sementara"]]
    assert not [r for r in after if r["periode"] in (Q2, "2024S1") and r["aturan"] in ranking]


def test_largest_pnbp_shortfall(planted):
    before, after = planted
    assert not _find(before, aturan="PNBP_KURANG_SETOR", periode=Q1)  # Rp 150.000 in the fixture: below threshold
    got = _find(after, aturan="PNBP_KURANG_SETOR", periode=Q1)
    assert [(r["kode"], r["nilai"], r["peringkat"]) for r in got] == [("UPT0001", 2500000.0, 1)]


def test_loss_making_programme_and_sector(planted):
    before, after = planted
    assert not _find(before, aturan="KEGIATAN_RUGI") and not _find(before, aturan="SEKTOR_RUGI")
    keg = _find(after, aturan="KEGIATAN_RUGI", periode=Q1)
    assert [(r["kode_upt"], r["kode_kegiatan"], r["bidang"], r["nilai"]) for r in keg] == [
        ("UPT0001", "K02", "INDUSTRI", -400000.0)]
    sek = _find(after, aturan="SEKTOR_RUGI", periode=Q1)
    # K02 is the only INDUSTRI programme of KW01 with sales or batches in Q1
    assert [(r["level"], r["kode"], r["bidang"], r["nilai"]) for r in sek] == [("kanwil", "KW01", "INDUSTRI", -400000.0)]


def test_implausible_reports(planted):
    before, after = planted
    assert not _find(before, aturan="RASIO_LEBIH_100")
    lebih = _find(after, aturan="RASIO_LEBIH_100", periode=Q1)
    assert [(r["kode"], r["indikator"], r["nilai"]) for r in lebih] == [("UPT0001", "kepatuhan_litmas_h7", 1.25)]
    assert not _find(before, aturan="DI_LUAR_KELOMPOK")
    luar = _find(after, aturan="DI_LUAR_KELOMPOK", periode=Q1, kode="UPT0001", indikator="qc_pass_rate")
    assert len(luar) == 1 and luar[0]["pembanding"] == pytest.approx(0.40)
    assert luar[0]["nilai"] == pytest.approx(140 / 150)  # hand-worked Q1 QC of UPT0001
    assert not _find(before, aturan="LONJAKAN", indikator="pendapatan")
    jump = _find(after, aturan="LONJAKAN", periode=Q2, kode="UPT0001", indikator="pendapatan")
    assert len(jump) == 1 and jump[0]["pembanding"] == pytest.approx(700000.0) and jump[0]["nilai"] == pytest.approx(7e6)


def test_units_that_did_not_report_partly_or_late(planted):
    before, after = planted
    # UPT0003 sends nothing; UPT0002 reports from Q2 only (tests/fixtures_dbt.py)
    assert sorted(r["kode"] for r in _find(after, aturan="BELUM_MELAPOR", periode=Q1)) == ["UPT0002", "UPT0003"]
    assert [r["kode"] for r in _find(after, aturan="BELUM_MELAPOR", periode=Q2)] == ["UPT0003"]
    sebagian = _find(after, aturan="LAPORAN_SEBAGIAN", periode=Q1, kode="UPT0001")
    assert len(sebagian) == 1 and (sebagian[0]["nilai"], sebagian[0]["pembanding"]) == (12.0, 18.0)
    late_before = _find(before, aturan="TERLAMBAT", periode=Q1, kode="UPT0001")
    late_after = _find(after, aturan="TERLAMBAT", periode=Q1, kode="UPT0001")
    n_before = late_before[0]["nilai"] if late_before else 0
    # the new late pnbp file counts; the late correction of an on-time file does not
    assert late_after[0]["nilai"] == n_before + 1


def test_finding_ids_are_stable_across_rebuilds(planted):
    before, after = planted
    same = {r["temuan_id"] for r in before if r["aturan"] == "BELUM_MELAPOR"}
    assert same and same <= {r["temuan_id"] for r in after}


def test_dbt_unit_test_of_history_and_jump_ran(planted):
    """dbt/models/marts/_unit_tests_temuan.yml (four quarters of history, planted as unit-test rows)."""
    assert "temuan_history_and_jump" in BUILD_OUT[0] and "ERROR=0" in BUILD_OUT[0]
