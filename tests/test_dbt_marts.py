"""dbt build on the hand-made fixture warehouse (tests/fixtures_dbt.py) and the published marts.

One `dbt build` (models, snapshot, data tests, unit tests) per module. The figures asserted here
are worked out by hand in the docstring of tests/fixtures_dbt.py; the last tests compare the
marts with the independent pandas implementation tests/kpi_reference.py.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from fixtures_dbt import ROWS_Q1_UPT0001, build_and_run_dbt
from kpi_reference import KPI_COLUMNS, compute_breakdown, compute_group, compute_kpis

PUBLISHED = {
    "dim_upt", "dim_kanwil", "dim_periode", "dim_kegiatan", "dim_narapidana", "dim_kanal",
    "fct_partisipasi_bulanan", "fct_produksi", "fct_penjualan", "fct_pnbp", "fct_file_diterima", "fct_karantina",
    "kpi_indikator", "kpi_kelompok", "kpi_rincian", "kpi_rincian_kelompok", "kpi_revisi", "mart_upt_bulanan",
    "mart_kualitas_upt", "mart_kelengkapan_kanwil", "mart_penjualan_ringkas",
    "mart_produksi_ringkas", "mart_pnbp_bulanan", "mart_margin_kegiatan", "mart_anggaran_kegiatan", "mart_kelengkapan", "mart_karantina",
    "mart_file_ditolak", "meta_muatan",
}
PERIODS = ("2024Q1", "2024Q2", "2024S1", "2024")
LEVELS = ("upt", "kanwil", "nasional")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db, result = build_and_run_dbt(tmp_path_factory.mktemp("dbt_marts"))
    con = duckdb.connect(str(db), read_only=True)
    yield con, result
    con.close()


def kpi(con, level, kode, periode) -> dict:
    df = con.execute("select * from marts.kpi_indikator where level = ? and kode = ? and periode = ?",
                     [level, kode, periode]).df()
    assert len(df) == 1, (level, kode, periode)
    return df.iloc[0].to_dict()


def test_build_ran_models_snapshot_unit_and_data_tests(warehouse):
    _, result = warehouse
    out = result.stdout
    assert "ERROR=0" in out and "SKIP=0" in out
    assert "OK snapshotted snapshots.kpi_indikator_snapshot" in out
    # every unit test of the project ran and passed
    for name in ("eligibility_one_third_one_half_and_litmas", "litmas_h7_on_time_late_missing",
                 "participation_overlap_at_period_edges", "eligibility_on_participation_start",
                 "latest_version_wins", "workforce_class_boundaries",
                 "rates_null_when_denominator_zero_and_recomputed_from_sums"):
        assert name in out


def test_published_tables_exist_in_schema_marts(warehouse):
    con, _ = warehouse
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' and table_type = 'BASE TABLE'").fetchall()}
    assert PUBLISHED <= tables
    assert not {t for t in tables if t.startswith(("stg_", "int_"))}


def test_kpi_indikator_columns_in_dictionary_order(warehouse):
    con, _ = warehouse
    cols = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'kpi_indikator' order by ordinal_position").fetchall()]
    assert cols[:4] == ["level", "kode", "periode", "jenis_periode"]
    assert cols[4:4 + len(KPI_COLUMNS)] == list(KPI_COLUMNS)


def test_periods_from_months_with_data(warehouse):
    con, _ = warehouse
    rows = con.execute("select periode, jenis_periode, tanggal_awal, tanggal_akhir, jumlah_bulan "
                       "from marts.dim_periode order by periode").fetchall()
    got = {r[0]: (r[1], str(r[2]), str(r[3]), r[4]) for r in rows}
    assert got == {
        "2024": ("TAHUN", "2024-01-01", "2024-12-31", 12),
        "2024Q1": ("TRIWULAN", "2024-01-01", "2024-03-31", 3),
        "2024Q2": ("TRIWULAN", "2024-04-01", "2024-06-30", 3),
        "2024S1": ("SEMESTER", "2024-01-01", "2024-06-30", 6),
    }


def test_q1_upt0001_hand_worked_figures(warehouse):
    con, _ = warehouse
    r = kpi(con, "upt", "UPT0001", "2024Q1")
    expected = {
        "populasi_akhir": 10, "eligible_pelatihan": 6, "partisipan_pelatihan": 4,
        "eligible_produksi": 4, "partisipan_produksi": 3, "peserta_tidak_memenuhi_syarat": 2,
        "masuk": 5, "litmas_tepat_waktu": 2, "produksi_unit": 150, "lolos_qc_unit": 140,
        "pendapatan": 700000, "pendapatan_internal": 300000, "pendapatan_eksternal": 400000,
        "pnbp_disetor": 600000, "pelatihan_selesai": 3, "pelatihan_bersertifikat": 2,
        "jam_kerja": 186, "upah": 447500, "anggaran_rab": 37_000_000, "realisasi_anggaran": 18_000_000,
        "file_diterima": 12, "baris_dibaca": ROWS_Q1_UPT0001[0], "baris_karantina": ROWS_Q1_UPT0001[1],
    }
    for col, value in expected.items():
        assert float(r[col]) == value, col
    rates = {
        "tingkat_partisipasi_pelatihan": 4 / 6, "tingkat_partisipasi_produksi": 3 / 4,
        "kepatuhan_litmas_h7": 2 / 5, "qc_pass_rate": 140 / 150, "rasio_setor_pnbp": 6 / 7,
        "tingkat_sertifikasi": 2 / 3, "tingkat_realisasi_anggaran": 18 / 37, "kelengkapan_laporan": 12 / 18,
    }
    for col, value in rates.items():
        assert r[col] == pytest.approx(value), col


def _empty(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def test_upt_that_did_not_report_is_empty_not_zero(warehouse):
    """KPI_DICTIONARY v2 "Who reported": UPT0003 (one rejected file) and UPT0002 (files only from
    April) did not report for Q1: every indicator empty, except the file counts (0) and coverage."""
    con, _ = warehouse
    for kode in ("UPT0003", "UPT0002"):
        r = kpi(con, "upt", kode, "2024Q1")
        for col in KPI_COLUMNS:
            if col in ("file_diterima", "baris_dibaca", "baris_karantina", "upt_melapor"):
                assert r[col] == 0, (kode, col)
            elif col == "kelengkapan_laporan":
                assert r[col] == 0  # denominator 18 (all months due), not 0
            elif col in ("upt_diharapkan",):
                assert r[col] == 1
            elif col == "cakupan_upt":
                assert r[col] == 0
            elif col == "status_laporan":
                assert r[col] == "BELUM_MELAPOR"
            else:
                assert _empty(r[col]), (kode, col, r[col])
    kw2 = kpi(con, "kanwil", "KW02", "2024Q1")
    assert _empty(kw2["populasi_akhir"]) and _empty(kw2["pendapatan"]) and _empty(kw2["qc_pass_rate"])
    assert kw2["kelengkapan_laporan"] == 0 and kw2["upt_melapor"] == 0 and kw2["upt_diharapkan"] == 1
    assert _empty(kw2["status_laporan"])


def test_indicator_empty_when_its_kind_of_file_is_missing(warehouse):
    """UPT0001 sent only a narapidana file for Q2: population counted, revenue, production (batch
    B3 dated April sits in the February file) and budget empty, not 0."""
    con, _ = warehouse
    q2 = kpi(con, "upt", "UPT0001", "2024Q2")
    assert q2["populasi_akhir"] == 9 and q2["status_laporan"] == "SEBAGIAN"
    for col in ("pendapatan", "produksi_unit", "pnbp_disetor", "anggaran_rab", "partisipan_pelatihan",
                "jam_kerja", "pnbp_kurang_setor", "qc_pass_rate", "tingkat_partisipasi_produksi"):
        assert _empty(q2[col]), col


def test_higher_levels_sum_reporting_upts_and_recompute_rates(warehouse):
    con, _ = warehouse
    kw1 = kpi(con, "kanwil", "KW01", "2024Q1")
    # UPT0002 did not report for Q1 (its W1..W6 first appear in April): not counted as 6 inmates
    assert kw1["populasi_akhir"] == 10
    assert kw1["eligible_pelatihan"] == 6 and kw1["partisipan_pelatihan"] == 4
    assert kw1["tingkat_partisipasi_pelatihan"] == pytest.approx(4 / 6)
    assert kw1["kelengkapan_laporan"] == pytest.approx(12 / 36)  # 6 kinds x 3 months x 2 UPTs
    assert (kw1["upt_diharapkan"], kw1["upt_melapor"], kw1["cakupan_upt"]) == (2, 1, 0.5)
    nas = kpi(con, "nasional", "NASIONAL", "2024Q1")
    assert nas["kelengkapan_laporan"] == pytest.approx(12 / 54)
    assert nas["kepatuhan_litmas_h7"] == pytest.approx(2 / 5)
    assert (nas["upt_diharapkan"], nas["upt_melapor"]) == (3, 1)


def test_partial_coverage_rate_at_kanwil_uses_upts_with_both_figures(warehouse):
    """Q2, KW01: UPT0001 has inmates (eligible_produksi) but no peserta file (participants empty);
    UPT0002: W1..W6 eligible for production, W1..W5 take part. The Kanwil rate is 5/6 (UPT0002 only),
    not 5 / (UPT0001's eligible + 6)."""
    con, _ = warehouse
    u1 = kpi(con, "upt", "UPT0001", "2024Q2")
    kw1 = kpi(con, "kanwil", "KW01", "2024Q2")
    assert u1["eligible_produksi"] > 0 and _empty(u1["partisipan_produksi"])
    assert kw1["eligible_produksi"] == u1["eligible_produksi"] + 6
    assert kw1["partisipan_produksi"] == 5
    assert kw1["tingkat_partisipasi_produksi"] == pytest.approx(5 / 6)
    assert float(kw1["pendapatan"]) == 1_000_000  # UPT0002's sale; UPT0001 sent no penjualan for Q2
    assert kw1["upt_melapor"] == 2


def test_gross_shortfall_not_hidden_by_over_deposit_in_another_month(warehouse):
    """UPT0001 Q1: February sales 650000 vs deposits for February 500000 (short 150000); March sales
    50000 vs deposits 100000 (over-deposit 50000). Gross shortfall 150000, not the net 100000."""
    con, _ = warehouse
    r = kpi(con, "upt", "UPT0001", "2024Q1")
    assert float(r["pendapatan"]) - float(r["pnbp_disetor"]) == 100000
    assert float(r["pnbp_kurang_setor"]) == 150000
    assert float(kpi(con, "kanwil", "KW01", "2024Q1")["pnbp_kurang_setor"]) == 150000


def test_q2_and_semester_figures(warehouse):
    con, _ = warehouse
    q2 = kpi(con, "upt", "UPT0001", "2024Q2")
    # N06's Litmas (2024-04-01, PELATIHAN_PRODUKSI) counts by e = 2024-06-30; N10 left on 2024-04-01
    assert q2["populasi_akhir"] == 9
    s1 = kpi(con, "upt", "UPT0001", "2024S1")
    # batch B3 dated 2024-04-02 (February file) counts in S1, whose months include February
    assert float(s1["produksi_unit"]) == 160 and float(s1["pendapatan"]) == 700000
    assert s1["file_diterima"] == 13 and s1["kelengkapan_laporan"] == pytest.approx(13 / 36)
    # budget as at the end of S1 (June): K01 6M (March version) + K02 5M + K03 7M + K04 0
    assert float(s1["realisasi_anggaran"]) == 18_000_000 and float(s1["anggaran_rab"]) == 38_000_000


def test_programme_budgets_as_at_period_end(warehouse):
    """mart_anggaran_kegiatan: each programme's budget as at the end of P (the version of the latest
    month up to P's end), only programmes whose run overlaps P; summed, the UPT's published cells."""
    con, _ = warehouse
    rows = {(r[0], r[1]): (float(r[2]), float(r[3]), r[4]) for r in con.execute(
        "select kode_kegiatan, periode, anggaran_rab, realisasi_anggaran, tingkat_realisasi_anggaran "
        "from marts.mart_anggaran_kegiatan where kode_upt = 'UPT0001'").fetchall()}
    # K01: the March version (6M of 10M) at the end of Q1, not January's 4M
    assert rows[("K01", "2024Q1")][:2] == (10_000_000, 6_000_000)
    assert rows[("K01", "2024Q1")][2] == pytest.approx(0.6)
    # K04 starts on 2024-04-01: not a Q1 programme; K05 ended in 2023: in no period of 2024
    assert ("K04", "2024Q1") not in rows and ("K04", "2024Q2") in rows
    assert not any(k == "K05" for k, _ in rows)
    sums = con.execute("""select a.kode_upt, a.periode, sum(a.anggaran_rab), sum(a.realisasi_anggaran)
                          from marts.mart_anggaran_kegiatan a group by all""").fetchall()
    assert sums
    for kode_upt, periode, rab, real in sums:
        k = kpi(con, "upt", kode_upt, periode)
        if k["anggaran_rab"] is not None and not pd.isna(k["anggaran_rab"]):
            assert (float(rab), float(real)) == (float(k["anggaran_rab"]), float(k["realisasi_anggaran"]))


def test_periods_provisional_with_reason(warehouse):
    """Data run January..April 2024 (published long after): Q1 final; Q2, S1 and the year provisional
    because they end after the last month of the data."""
    con, _ = warehouse
    got = {r[0]: (r[1], r[2]) for r in con.execute("select periode, sementara, alasan_sementara from marts.dim_periode").fetchall()}
    assert got["2024Q1"] == (False, None)
    for periode in ("2024Q2", "2024S1", "2024"):
        assert got[periode][0] is True and "bulan periode ini" in got[periode][1]
    flags = con.execute("select distinct periode, sementara from marts.kpi_indikator").fetchall()
    assert dict(flags) == {p: v[0] for p, v in got.items()}


def test_breakdowns(warehouse):
    con, _ = warehouse
    df = con.execute("select dimensi, nilai, pendapatan, produksi_unit, lolos_qc_unit, qc_pass_rate "
                     "from marts.kpi_rincian where level = 'upt' and kode = 'UPT0001' and periode = '2024Q1'").df()
    got = {(r.dimensi, r.nilai): (float(r.pendapatan), r.produksi_unit, r.lolos_qc_unit) for r in df.itertuples()}
    assert got[("bidang", "INDUSTRI")] == (500000, 100, 90)
    assert got[("bidang", "PERTANIAN_PERIKANAN")] == (200000, 50, 50)
    assert got[("kelas_industri", "MIKRO")] == (500000, 100, 90)  # K02: 3 workers
    assert got[("kelas_industri", "-")] == (200000, 50, 50)
    assert got[("kanal", "MARKETPLACE")][0] == 350000 and math.isnan(got[("kanal", "MARKETPLACE")][1])
    # production per canonical unit of measure (the fixture's batches are in "pcs"); revenue empty
    assert math.isnan(got[("satuan", "pcs")][0])
    pcs = df[(df.dimensi == "satuan") & (df.nilai == "pcs")].iloc[0]
    assert (pcs.produksi_unit, pcs.lolos_qc_unit) == (150, 140)
    kecil = con.execute("select pendapatan from marts.kpi_rincian where level = 'upt' and kode = 'UPT0002' "
                        "and periode = '2024Q2' and dimensi = 'kelas_industri' and nilai = 'KECIL'").fetchone()
    assert kecil is not None and float(kecil[0]) == 1_000_000  # K10: 5 workers


def test_monthly_facts_and_operational_marts(warehouse):
    con, _ = warehouse
    # every current peserta row counts in its file month: N10's K02 participation in Jan, Feb, Mar
    assert con.execute("select count(*), sum(jam_kerja) from marts.fct_partisipasi_bulanan "
                       "where kode_upt = 'UPT0001' and kode_kegiatan = 'K02' and tanggal_mulai = '2024-01-10'"
                       ).fetchone() == (3, 150)
    # S3 reported in February and March is one sale, the corrected one
    assert con.execute("select count(*), sum(total) from marts.fct_penjualan where no_transaksi = 'S3'").fetchone() == (1, 150000)
    feb = con.execute("select pendapatan, pnbp_disetor, produksi_unit, jam_kerja from marts.mart_upt_bulanan "
                      "where kode_upt = 'UPT0001' and bulan = '2024-02-01'").fetchone()
    assert tuple(float(x) for x in feb) == (650000, 500000, 100, 60)  # S1 + S2 + corrected S3
    status = dict(((r[0], r[1], str(r[2])), (r[3], r[4])) for r in con.execute(
        "select kode_upt, kind, bulan, status, terlambat from marts.mart_kelengkapan").fetchall())
    assert status[("UPT0003", "kegiatan", "2024-01-01")] == ("DITOLAK", False)
    assert status[("UPT0001", "narapidana", "2024-01-01")] == ("DITERIMA", True)  # received 2024-03-05 > 02-10
    assert status[("UPT0001", "narapidana", "2024-02-01")] == ("DITERIMA", False)  # received 2024-03-02
    assert status[("UPT0001", "kegiatan", "2024-01-01")] == ("DITERIMA", False)  # received 2024-02-05
    assert status[("UPT0002", "pnbp", "2024-04-01")] == ("TIDAK_ADA", False)
    assert con.execute("select count(*) from marts.mart_kelengkapan").fetchone()[0] == 3 * 4 * 6
    assert con.execute("select count(*) from marts.mart_file_ditolak").fetchone()[0] == 2
    # quarantined rows of the superseded March file are not shown
    assert con.execute("select count(*) from marts.mart_karantina").fetchone()[0] == 3
    assert con.execute("select count(*) from marts.fct_karantina").fetchone()[0] == 8


def test_upt_bulanan_is_null_not_zero_for_a_month_not_reported(warehouse):
    """KPI_DICTIONARY v2 "Who reported", monthly: a measure is NULL for a month the UPT sent no file of
    its kind, never 0; a month whose file is in keeps its figures (also a true 0)."""
    con, result = warehouse
    assert "assert_upt_bulanan_belum_melapor_is_null" in result.stdout
    cols = "populasi_akhir, pendapatan, pnbp_disetor, produksi_unit, lolos_qc_unit, jam_kerja, upah"
    rows = {(r[0], str(r[1])): r[2:] for r in con.execute(
        f"select kode_upt, bulan, {cols} from marts.mart_upt_bulanan").fetchall()}
    # UPT0003 sent nothing but a rejected file: every month, every measure empty
    assert [rows[("UPT0003", m)] for m in ("2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01")] == [(None,) * 7] * 4
    jan, feb = rows[("UPT0001", "2024-01-01")], rows[("UPT0001", "2024-02-01")]
    # January: narapidana and peserta files in; no produksi, penjualan, pnbp file for January (nor pnbp
    # for February): production, QC, revenue and deposits empty, although batch B2 is dated 31 January
    assert jan[0] is not None and float(jan[5]) == 40 and jan[1] is None and jan[2] is None
    assert jan[3] is None and jan[4] is None
    # February's deposits arrived with the March pnbp file: reported
    assert float(feb[2]) == 500000
    # UPT0002 reported only in Q2: its Q1 months are empty, not a population of 0
    assert all(rows[("UPT0002", m)][0] is None for m in ("2024-01-01", "2024-02-01", "2024-03-01"))


def test_kualitas_and_peer_group_breakdown_marts(warehouse):
    con, result = warehouse
    for name in ("assert_kpi_rincian_kelompok_matches_kpi_rincian", "assert_rincian_kelompok_totals_match_kpi_kelompok",
                 "assert_rincian_subbidang_sums_to_bidang", "assert_kualitas_marts_match_kpi_indikator"):
        assert name in result.stdout
    # Q1 UPT0001: 12 of the 18 files (see tests/fixtures_dbt.py), as kpi_indikator
    q = con.execute("select file_diterima, kelengkapan_laporan, status_laporan from marts.mart_kualitas_upt "
                    "where kode_upt = 'UPT0001' and periode = '2024Q1'").fetchone()
    assert q[0] == 12 and q[2] == "SEBAGIAN"
    assert q[1] == pytest.approx(kpi(con, "upt", "UPT0001", "2024Q1")["kelengkapan_laporan"])
    assert con.execute("select status_laporan from marts.mart_kualitas_upt where kode_upt = 'UPT0003' "
                       "and periode = '2024Q1'").fetchone()[0] == "BELUM_MELAPOR"
    # KW02 (UPT0003 only) received nothing in January: 0 of 6, one rejected file is not received
    assert con.execute("select jumlah_upt, file_diharapkan, file_diterima, rasio_diterima from marts.mart_kelengkapan_kanwil "
                       "where kode_kanwil = 'KW02' and jenis_upt = '*' and kelas = '*' and bulan = '2024-01-01'"
                       ).fetchone() == (1, 6, 0, 0.0)
    # a peer group of one UPT (the RUTAN of KW01 is UPT0002) is that UPT's breakdown, figure for figure
    a = con.execute("select dimensi, nilai, pendapatan, produksi_unit, qc_pass_rate from marts.kpi_rincian_kelompok "
                    "where level = 'kanwil' and kode = 'KW01' and jenis_upt = 'RUTAN' and kelas = '*' "
                    "and periode = '2024Q2' order by 1, 2").fetchall()
    b = con.execute("select dimensi, nilai, pendapatan, produksi_unit, qc_pass_rate from marts.kpi_rincian "
                    "where level = 'upt' and kode = 'UPT0002' and periode = '2024Q2' order by 1, 2").fetchall()
    assert a == b and ("kelas_industri", "KECIL") in [r[:2] for r in a]


def test_margin_ratio_published(warehouse):
    """Q1 UPT0001: K02 sold S1 300000 + S3 150000 (corrected) + S4 50000, cost B1 50000 -> margin 450000,
    ratio 0.9; K03 sold S2 200000, cost B2 10000 -> 0.95. Sektor & Industri shows this cell."""
    con, _ = warehouse
    got = dict((r[0], (float(r[1]), r[2])) for r in con.execute(
        "select kode_kegiatan, margin, rasio_margin from marts.mart_margin_kegiatan "
        "where kode_upt = 'UPT0001' and periode = '2024Q1'").fetchall())
    assert got["K02"][0] == 450000 and got["K02"][1] == pytest.approx(0.9)
    assert got["K03"][0] == 190000 and got["K03"][1] == pytest.approx(0.95)


def test_no_personal_identifiers_published(warehouse):
    con, _ = warehouse
    cols = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts'").fetchall()}
    assert not cols & {"no_registrasi", "nik", "nik_hash", "nama", "tanggal_lahir"}
    assert con.execute("select count(distinct kunci_narapidana) from marts.dim_narapidana").fetchone()[0] == 18


def test_kpi_revisi_empty_after_first_publication(warehouse):
    con, _ = warehouse
    assert con.execute("select count(*) from marts.kpi_revisi").fetchone()[0] == 0
    assert con.execute("select count(*) from snapshots.kpi_indikator_snapshot").fetchone()[0] == \
        con.execute("select count(*) from marts.kpi_indikator").fetchone()[0]


def _assert_frames_match(ref: pd.DataFrame, mart: pd.DataFrame, keys, what):
    assert len(ref) == len(mart), (what, len(ref), len(mart))
    merged = ref.merge(mart, on=keys, how="outer", suffixes=("_ref", "_mart"), indicator=True)
    assert (merged["_merge"] == "both").all(), (what, merged[merged["_merge"] != "both"][keys])
    for col in [c for c in ref.columns if c not in keys]:
        for key, a, b in zip(merged[keys].itertuples(index=False), merged[col + "_ref"], merged[col + "_mart"]):
            if isinstance(a, str) or isinstance(b, str):  # status_laporan
                assert (a if isinstance(a, str) else None) == (b if isinstance(b, str) else None), (what, key, col)
                continue
            a = float("nan") if a is None or a is pd.NA else float(a)
            b = float("nan") if b is None or b is pd.NA else float(b)
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-6), (what, key, col, a, b)


@pytest.mark.parametrize("periode", PERIODS)
@pytest.mark.parametrize("level", LEVELS)
def test_reference_implementation_matches_kpi_indikator(warehouse, periode, level):
    con, _ = warehouse
    ref = compute_kpis(con, periode, level)
    mart = con.execute("select level, kode, periode, " + ", ".join(KPI_COLUMNS) +
                       " from marts.kpi_indikator where level = ? and periode = ?", [level, periode]).df()
    _assert_frames_match(ref, mart, ["level", "kode", "periode"], f"kpi {level} {periode}")


@pytest.mark.parametrize("dimensi", ("bidang", "subbidang", "kelas_industri", "kanal", "satuan"))
def test_reference_implementation_matches_kpi_rincian(warehouse, dimensi):
    con, _ = warehouse
    for periode in PERIODS:
        for level in LEVELS:
            ref = compute_breakdown(con, periode, level, dimensi)
            mart = con.execute("select level, kode, periode, dimensi, nilai, pendapatan, produksi_unit, lolos_qc_unit, "
                               "qc_pass_rate from marts.kpi_rincian where level = ? and periode = ? and dimensi = ?",
                               [level, periode, dimensi]).df()
            _assert_frames_match(ref, mart, ["level", "kode", "periode", "dimensi", "nilai"],
                                 f"rincian {level} {periode} {dimensi}")


@pytest.mark.parametrize("periode", PERIODS)
def test_reference_implementation_matches_kpi_kelompok(warehouse, periode):
    """Peer groups (the dashboards' type / class filters) equal the reference for every group present."""
    con, _ = warehouse
    groups = con.execute("select distinct level, jenis_upt, kelas from marts.kpi_kelompok where periode = ?",
                         [periode]).fetchall()
    assert len(groups) > 4
    for level, jenis, kelas in groups:
        ref = compute_group(con, periode, level, jenis, kelas)
        ref = ref[ref["upt_diharapkan"] > 0] if level == "kanwil" else ref
        mart = con.execute("select level, kode, periode, " + ", ".join(KPI_COLUMNS) + " from marts.kpi_kelompok "
                           "where level = ? and periode = ? and jenis_upt = ? and kelas = ?",
                           [level, periode, jenis, kelas]).df()
        _assert_frames_match(ref.reset_index(drop=True), mart, ["level", "kode", "periode"],
                             f"kelompok {level} {jenis} {kelas} {periode}")


def test_file_ditolak_counts_rejected_versions_in_the_period_of_their_month(warehouse):
    """DECISIONS 50. UPT0001 re-sent February 2024's narapidana file and it was rejected, the earlier
    accepted version stays current (mart_kelengkapan DITERIMA): the rejection still counts, once, in
    2024Q1 (the Kualitas Data card and table list it). UPT0003's rejected January kegiatan: 2024Q1.
    Nothing was rejected in Q2; the semester and the year hold the same two files."""
    con, _ = warehouse
    n = dict(((r[0], r[1]), r[2]) for r in con.execute(
        "select kode_upt, periode, file_ditolak from marts.mart_kualitas_upt").fetchall())
    assert n[("UPT0001", "2024Q1")] == 1 and n[("UPT0003", "2024Q1")] == 1
    assert n[("UPT0002", "2024Q1")] == 0
    assert all(n[(u, "2024Q2")] == 0 for u in ("UPT0001", "UPT0002", "UPT0003"))
    assert n[("UPT0001", "2024S1")] == n[("UPT0001", "2024")] == 1 and n[("UPT0003", "2024")] == 1
    bp = con.execute("select kode_upt, bulan, bulan_periode from marts.mart_file_ditolak order by kode_upt").fetchall()
    assert [(u, str(b), str(p)) for u, b, p in bp] == [("UPT0001", "2024-02-01", "2024-02-01"),
                                                       ("UPT0003", "2024-01-01", "2024-01-01")]
