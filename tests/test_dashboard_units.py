"""Dashboard unit tests: formatting, formula neutralisation, scoped data access, page functions,
downloads, accounts, lockout, audit log, and the server-side guards (Flask test client)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import stat
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import DDL, build_empty_warehouse, build_warehouse, ctx, gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards import fmt  # noqa: E402
from dashboards.components import nama_pendek  # noqa: E402
from dashboards.app import Penjaga, baca_query, buat_unduhan, create_app, normalisasi, render_halaman, tulis_query  # noqa: E402
from dashboards.audit import AuditLog  # noqa: E402
from dashboards.auth import (AkunTidakAda, DaftarAkun, DaftarSesi, PembatasLogin, add_account,  # noqa: E402
                             disable_account, enable_account, ensure_demo_accounts, list_accounts,
                             reset_password, revoke_sessions)
from dashboards.data import SKEMA, Gudang, Pengguna, Pilihan, TidakBerwenang  # noqa: E402
from dashboards.excel import ke_xlsx, laporan_monev  # noqa: E402
from dashboards.permintaan import csrf_klien_uji, halaman, masuk  # noqa: E402
from dashboards.pages import HALAMAN, PER_PATH, TABEL, kualitas, perbandingan, pnbp, profil_upt, ringkasan, sektor  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
UPT4 = Pengguna("upt4", "upt", "UPT0004")  # a UPT of KW02
UPT_KW01 = {"UPT0001", "UPT0002"}


# ---------------------------------------------------------------------- formatting
@pytest.mark.parametrize("nilai, teks", [
    (1250000, "Rp 1.250.000"), (0, "Rp 0"), (999.6, "Rp 1.000"), (-250000, "-Rp 250.000"),
    (1234567890.4, "Rp 1.234.567.890"), (None, "–"), (float("nan"), "–"),
])
def test_format_rupiah(nilai, teks):
    assert fmt.format_rupiah(nilai) == teks


@pytest.mark.parametrize("nilai, teks", [
    (0.8125, "81,3%"), (1, "100,0%"), (0, "0,0%"), (0.00049, "0,0%"), (None, "–"), (float("nan"), "–"),
])
def test_format_persen(nilai, teks):
    assert fmt.format_persen(nilai) == teks


def test_format_angka_and_dates():
    assert fmt.format_angka(1250.5, 1) == "1.250,5"
    assert fmt.format_angka(1234567) == "1.234.567"
    assert fmt.format_angka(-0.01) == "0"
    assert fmt.format_rupiah_ringkas(1_250_000_000) == "Rp 1,25 miliar"
    assert fmt.format_rupiah_ringkas(850_300_000) == "Rp 850,3 juta"
    assert fmt.nama_bulan(dt.date(2024, 7, 1)) == "Juli 2024"
    assert fmt.nama_bulan("2024-08") == "Agustus 2024"
    assert fmt.nama_bulan(dt.date(2024, 12, 1), pendek=True) == "Des 2024"
    assert fmt.format_tanggal(dt.datetime(2024, 7, 13, 9, 5), jam=True) == "13 Juli 2024 09.05"
    assert fmt.label_periode("2024Q3") == "Triwulan III 2024"
    assert fmt.label_periode("2024S1") == "Semester I 2024"
    assert fmt.label_periode("2024") == "Tahun 2024"
    assert fmt.format_selisih_persen_poin(0.021) == "+2,1 poin"
    assert fmt.format_perubahan_relatif(112.5, 100) == "+12,5%"
    assert fmt.format_perubahan_relatif(5, 0) == "–"


# ---------------------------------------------------------------------- formula neutralisation
@pytest.mark.parametrize("teks", ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\t=cmd", "\r=x", '=HYPERLINK("http://x")'])
def test_netralkan_formula_prefixes(teks):
    assert fmt.netralkan_formula(teks) == "'" + teks


@pytest.mark.parametrize("nilai", ["Lapas Garut", "", "1.250.000", 5, -3.5, None, dt.date(2024, 1, 1)])
def test_netralkan_formula_leaves_other_values(nilai):
    assert fmt.netralkan_formula(nilai) == nilai


def test_excel_cells_are_neutralised_and_typed():
    df = pd.DataFrame({"path": ["=HYPERLINK(\"http://contoh\")", "aman.csv"], "pendapatan": [1250000.0, -5.0],
                       "bulan": [pd.Timestamp("2024-07-01"), None]})
    wb = openpyxl.load_workbook(io.BytesIO(ke_xlsx([("Uji", df)], judul="=judul")))
    ws = wb["Uji"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), "no cell may be a formula"
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://contoh\")" in values
    assert "'=judul: Uji" in values
    assert 1250000 in values and -5 in values  # numbers stay numbers (a negative number is not a formula)


# ---------------------------------------------------------------------- warehouse access
def test_fixture_has_the_published_schema(wh):
    import duckdb

    con = duckdb.connect(str(wh), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        for table, cols in SKEMA.items():
            assert table in tables
            have = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [table]).fetchall()}
            assert set(cols) <= have, (table, set(cols) - have)
        assert set(DDL) == set(SKEMA)
    finally:
        con.close()


def test_status_missing_empty_and_ok(tmp_path, gudang):
    assert gudang.status().ok
    hilang = Gudang(tmp_path / "tidak_ada.duckdb").status()
    assert not hilang.ok and "belum tersedia" in hilang.pesan
    kosong = Gudang(build_empty_warehouse(tmp_path / "kosong.duckdb")).status()
    assert not kosong.ok and "kosong" in kosong.pesan


@pytest.mark.parametrize("path", [h.PATH for h in HALAMAN])
def test_missing_warehouse_gives_friendly_message_on_every_page(tmp_path, path):
    if path == "/unggah":  # checking and submitting exports needs no publication (and no Ditjenpas)
        out = render_halaman(Gudang(tmp_path / "tidak_ada.duckdb"), UPT4, path, {})
        teks = json.dumps(out.to_plotly_json(), default=str)
        assert "unggah-berkas" in teks and "Traceback" not in teks
        return
    out = render_halaman(Gudang(tmp_path / "tidak_ada.duckdb"), PUSAT, path, {})
    teks = json.dumps(out.to_plotly_json(), default=str)
    assert "belum tersedia" in teks and "Traceback" not in teks


def test_reopens_when_the_file_is_replaced(tmp_path):
    path = build_warehouse(tmp_path / "serve.duckdb")
    g = Gudang(path)
    before = g.indikator(PUSAT, Pilihan(), ["2024Q3"]).pendapatan.iloc[0]
    nxt = build_warehouse(tmp_path / "next.duckdb", seed=99)
    os.replace(nxt, path)  # what publication does
    after = g.indikator(PUSAT, Pilihan(), ["2024Q3"]).pendapatan.iloc[0]
    assert before != after
    g.close()


def test_upper_levels_equal_recomputed_upt_sums(gudang):
    """The type/class re-aggregation path must give the published numbers when it covers every UPT."""
    published = gudang.indikator(PUSAT, Pilihan(), ["2024Q3"]).iloc[0]
    semua_jenis = gudang.daftar_nilai_upt(PUSAT, "jenis_upt")
    parts = [gudang.indikator(PUSAT, Pilihan(jenis_upt=j), ["2024Q3"]).iloc[0] for j in semua_jenis]
    assert sum(p.pendapatan for p in parts) == pytest.approx(published.pendapatan)
    # Rates are recomputed from summed numerators/denominators, never averaged.
    lapas = gudang.indikator(PUSAT, Pilihan(jenis_upt="LAPAS"), ["2024Q3"]).iloc[0]
    assert lapas.kepatuhan_litmas_h7 == pytest.approx(lapas.litmas_tepat_waktu / lapas.masuk)
    upts = gudang.indikator_upt(PUSAT, Pilihan(jenis_upt="LAPAS"), "2024Q3")
    assert lapas.kelengkapan_laporan == pytest.approx(upts.file_diterima.sum() / (6 * 3 * len(upts)))


def test_type_and_class_filters_read_the_published_peer_groups(tmp_path):
    """With a type/class filter the pages show kpi_kelompok's cells (dbt), not their own arithmetic."""
    import duckdb

    dash_db = build_warehouse(tmp_path / "kelompok.duckdb")
    con = duckdb.connect(str(dash_db), read_only=True)
    try:
        cell = con.execute("select pendapatan, kepatuhan_litmas_h7 from kpi_kelompok where level = 'nasional' "
                           "and jenis_upt = 'LAPAS' and kelas = '*' and periode = '2024Q3'").fetchone()
        kw = con.execute("select kode, jumlah_upt, qc_pass_rate from kpi_kelompok where level = 'kanwil' "
                         "and jenis_upt = '*' and kelas = 'IIA' and periode = '2024Q3' order by kode").fetchall()
        # tamper with one published cell: the page must show the tampered value (it reads the mart)
        con.close()
        con = duckdb.connect(str(dash_db))
        con.execute("update kpi_kelompok set pendapatan = pendapatan + 1 where level = 'nasional' "
                    "and jenis_upt = 'LAPAS' and kelas = '*' and periode = '2024Q3'")
    finally:
        con.close()
    g = Gudang(dash_db)
    try:
        lapas = g.indikator(PUSAT, Pilihan(jenis_upt="LAPAS"), ["2024Q3"]).iloc[0]
        assert float(lapas.pendapatan) == float(cell[0]) + 1
        assert lapas.kepatuhan_litmas_h7 == pytest.approx(cell[1])
        per_kw = g.indikator_kanwil(PUSAT, Pilihan(kelas="IIA"), "2024Q3")
        assert [(r.kode_kanwil, r.jumlah_upt) for r in per_kw.itertuples()] == [(k, n) for k, n, _ in kw]
    finally:
        g.close()


def test_previous_and_last_year_periods(gudang):
    assert gudang.periode_pembanding(PUSAT, "2024Q3") == {"sebelumnya": "2024Q2", "tahun_lalu": "2023Q3"}
    assert gudang.periode_pembanding(PUSAT, "2024Q1") == {"sebelumnya": "2023Q4", "tahun_lalu": "2023Q1"}
    assert gudang.periode_pembanding(PUSAT, "2024S1") == {"sebelumnya": "2023S2", "tahun_lalu": "2023S1"}
    assert gudang.periode_pembanding(PUSAT, "2023Q1")["sebelumnya"] is None


# ---------------------------------------------------------------------- role scoping
def test_kanwil_scope_sees_only_its_upts(gudang):
    assert set(gudang.daftar_upt(KW01).kode_upt) == UPT_KW01
    assert set(gudang.daftar_kanwil(KW01).kode_kanwil) == {"KW01"}
    assert set(gudang.indikator_upt(KW01, Pilihan(), "2024Q3").kode_upt) == UPT_KW01
    assert set(gudang.indikator_kanwil(KW01, Pilihan(), "2024Q3").kode_kanwil) == {"KW01"}
    assert set(gudang.pnbp_per_upt(KW01, Pilihan(), "2024Q3").kode_upt) <= UPT_KW01
    assert set(gudang.kelengkapan(KW01, Pilihan(), "2024Q3").kode_upt) == UPT_KW01
    assert set(gudang.karantina(KW01, Pilihan(), "2024Q3").kode_upt) <= UPT_KW01
    assert set(gudang.margin_kegiatan(KW01, Pilihan(), "2024Q3").kode_upt) <= UPT_KW01
    ditolak = gudang.file_ditolak(KW01, Pilihan(), None)
    assert set(ditolak.kode_upt.dropna()) <= UPT_KW01 and ditolak.kode_upt.notna().all()
    revisi = gudang.revisi(KW01, Pilihan(), None, semua_unit=True)
    assert set(zip(revisi.level, revisi.kode)) <= {("kanwil", "KW01"), ("upt", "UPT0001"), ("upt", "UPT0002")}
    assert not revisi.empty
    # The national and other Kanwil aggregates are not visible to a Kanwil account.
    assert set(gudang.indikator(KW01, Pilihan(), ["2024Q3"]).columns) >= {"pendapatan"}
    own = gudang.indikator(KW01, Pilihan(), ["2024Q3"]).pendapatan.iloc[0]
    kw01 = gudang.indikator_kanwil(PUSAT, Pilihan(kanwil="KW01"), "2024Q3").pendapatan.iloc[0]
    assert own == kw01


@pytest.mark.parametrize("call", [
    lambda g: g.indikator(KW01, Pilihan(upt="UPT0004"), ["2024Q3"]),
    lambda g: g.info_upt(KW01, "UPT0004"),
    lambda g: g.indikator(KW01, Pilihan(kanwil="KW02"), ["2024Q3"]),
    lambda g: g.pnbp_per_upt(KW01, Pilihan(upt="UPT0004"), "2024Q3"),
    lambda g: g.kelengkapan(KW01, Pilihan(kanwil="KW02"), "2024Q3"),
    lambda g: g.karantina(KW01, Pilihan(upt="UPT0004"), "2024Q3"),
    lambda g: g.revisi(KW01, Pilihan(upt="UPT0004")),
    lambda g: g.rincian(KW01, Pilihan(upt="UPT0004"), "2024Q3", "bidang"),
    lambda g: g.indikator_kanwil(UPT4, Pilihan(), "2024Q3"),
    lambda g: g.info_upt(UPT4, "UPT0005"),
    lambda g: g.indikator(UPT4, Pilihan(kanwil="KW01"), ["2024Q3"]),
])
def test_out_of_scope_requests_are_refused(gudang, call):
    with pytest.raises(TidakBerwenang, match="tidak berwenang"):
        call(gudang)


def test_sql_scope_holds_even_without_the_explicit_check(gudang, monkeypatch):
    """Bypass the explicit check: the scope clause in every query still returns nothing foreign."""
    monkeypatch.setattr(Gudang, "periksa_akses", lambda self, p, f: None)
    f = Pilihan(upt="UPT0004")
    assert gudang.indikator(KW01, f, ["2024Q3"]).empty
    assert gudang.pnbp_per_upt(KW01, f, "2024Q3").empty
    assert gudang.kelengkapan(KW01, f, "2024Q3").empty
    assert gudang.qc_per_produk(KW01, f, "2024Q3").empty
    assert gudang.rincian(KW01, f, "2024Q3", "kanal").empty
    assert gudang.indikator(KW01, Pilihan(kanwil="KW02"), ["2024Q3"]).empty
    assert gudang.indikator_upt(KW01, Pilihan(kanwil="KW02"), "2024Q3").empty
    assert gudang.indikator(UPT4, Pilihan(upt="UPT0001"), ["2024Q3"]).empty


def test_upt_scope_sees_only_itself(gudang):
    assert list(gudang.daftar_upt(UPT4).kode_upt) == ["UPT0004"]
    assert list(gudang.indikator_upt(UPT4, Pilihan(), "2024Q3").kode_upt) == ["UPT0004"]
    assert gudang.unit_analisis(UPT4, Pilihan()) == ("upt", "UPT0004")
    assert gudang.file_ditolak(UPT4, Pilihan(), None).kode_upt.eq("UPT0004").all()


def test_invalid_users_are_refused():
    with pytest.raises(TidakBerwenang):
        Pengguna("x", "admin")
    with pytest.raises(TidakBerwenang):
        Pengguna("x", "kanwil", None)


def test_unknown_dimension_is_rejected(gudang):
    with pytest.raises(ValueError):
        gudang.rincian(PUSAT, Pilihan(), "2024Q3", "bidang; drop table dim_upt")


# ---------------------------------------------------------------------- page functions
def test_headline_cards_match_published_row(gudang):
    kartu = {k["kolom"]: k for k in ringkasan.data_kartu(ctx(gudang, PUSAT))}
    row = gudang.indikator(PUSAT, Pilihan(), ["2024Q3"]).iloc[0]
    assert kartu["pendapatan"]["teks"] == fmt.format_rupiah(row.pendapatan)
    assert kartu["kepatuhan_litmas_h7"]["teks"] == fmt.format_persen(row.kepatuhan_litmas_h7)
    assert kartu["pendapatan"]["sebelumnya"] == "2024Q2" and kartu["pendapatan"]["tahun_lalu"] == "2023Q3"
    assert kartu["qc_pass_rate"]["vs_sebelumnya"].endswith("poin")


def test_trend_and_ranking_figures(gudang):
    fig = ringkasan.fig_tren_rasio(ctx(gudang, PUSAT))
    assert len(fig.data) == 6 and len(fig.data[0].x) == 8  # 8 quarters of the fixture
    assert fig.layout.separators == ",."
    a = ringkasan.fig_peringkat(ctx(gudang, PUSAT, indikator="kepatuhan_litmas_h7"))
    b = ringkasan.fig_peringkat(ctx(gudang, PUSAT, indikator="rasio_setor_pnbp"))
    assert list(a.data[0].y) != list(b.data[0].y) or list(a.data[0].x) != list(b.data[0].x)
    assert len(a.data[0].y) == 3  # three Kanwil
    # A Kanwil account ranks its own UPTs instead.
    assert set(ringkasan.tabel_peringkat(ctx(gudang, KW01)).kode) == UPT_KW01


def test_filter_changes_the_figures(gudang):
    semua = ringkasan.data_kartu(ctx(gudang, PUSAT))
    lapas = ringkasan.data_kartu(ctx(gudang, PUSAT, jenis_upt="LAPAS"))
    q2 = ringkasan.data_kartu(ctx(gudang, PUSAT, periode="2024Q2"))
    assert semua[4]["nilai"] != lapas[4]["nilai"] != q2[4]["nilai"]


def test_comparison_ranking_outliers_and_peers(gudang):
    c = ctx(gudang, PUSAT, indikator="kepatuhan_litmas_h7")
    rank = perbandingan.tabel_peringkat_upt(c)
    assert list(rank.peringkat)[:1] == [1] and len(rank) == 7
    assert rank.set_index("kode_upt").at["UPT0003", "pencilan"] == "rendah"  # the fixture's Litmas outlier
    assert rank.perubahan.str.endswith("poin").all()
    peers = perbandingan.tabel_sejawat(c)
    assert set(peers[peers.kelompok_sejawat == "LAPAS IIA"].peringkat) == {1, 2, 3}
    assert peers.tingkat_hunian.notna().all()
    assert perbandingan.fig_heatmap(c).data[0].z.shape == (3, len(perbandingan.RASIO_PETA))
    batang = perbandingan.fig_kanwil_per_periode(c)
    assert len(batang.data) == 6  # 4 quarters + 2 semesters
    # Many Kanwil (national view of 33): the same figures as a Kanwil x period grid.
    grid = perbandingan.fig_kanwil_per_periode(c, batas_batang=2).data[0]
    assert grid.type == "heatmap" and list(grid.x) == [t.name for t in batang.data]
    for j, t in enumerate(batang.data):
        per_kanwil = {nama_pendek(k): v for k, v in zip(t.x, t.y)}  # the grid shows short names
        for i, nama in enumerate(grid.y):
            assert grid.z[i][j] == pytest.approx(per_kanwil[nama]), (nama, t.name)
    # Kanwil: the heatmap rows are its UPTs.
    assert len(perbandingan.fig_heatmap(ctx(gudang, KW01)).data[0].y) == 2


def test_profile_sector_pnbp_quality_functions(gudang):
    c = ctx(gudang, PUSAT, upt="UPT0003")
    assert profil_upt.fig_corong(c).data[0].x[0] >= profil_upt.fig_corong(c).data[0].x[-1]
    assert not profil_upt.tabel_qc(c).empty and not profil_upt.tabel_kanal(c).empty
    assert set(profil_upt.tabel_kanal(c).jenis_pembeli) == {"INTERNAL", "EKSTERNAL"}
    assert profil_upt.tabel_anggaran(c).tingkat_realisasi_anggaran.notna().all()
    # budgets as at the end of the period: the published cells of that period, not the latest version
    q1, q3 = (profil_upt.tabel_anggaran(ctx(gudang, PUSAT, upt="UPT0003", periode=p)).set_index("kode_kegiatan")
              for p in ("2024Q1", "2024Q3"))
    con = duckdb.connect(str(gudang.path), read_only=True)
    try:
        mart = {(k, p): float(r) for k, p, r in con.execute(
            "select kode_kegiatan, periode, realisasi_anggaran from mart_anggaran_kegiatan "
            "where kode_upt = 'UPT0003' and periode in ('2024Q1', '2024Q3')").fetchall()}
    finally:
        con.close()
    for kode in q1.index:
        assert float(q1.at[kode, "realisasi_anggaran"]) == mart[(kode, "2024Q1")]
        assert float(q3.at[kode, "realisasi_anggaran"]) == mart[(kode, "2024Q3")]
    assert (q1.realisasi_anggaran.astype(float) < q3.realisasi_anggaran.astype(float)).any()
    m = sektor.tabel_margin(ctx(gudang, PUSAT))
    assert (m.margin < 0).any(), "loss-making programmes must be visible"
    assert sektor.fig_treemap(ctx(gudang, PUSAT)) is not None
    assert set(sektor.tabel_rincian(ctx(gudang, PUSAT, bidang="JASA"), "bidang").bidang) == {"JASA"}
    per_upt = pnbp.tabel_per_upt(ctx(gudang, PUSAT))
    assert per_upt.iloc[0].kode_upt in {"UPT0002", "UPT0003"} and per_upt.selisih.is_monotonic_decreasing
    assert pnbp.ringkasan(ctx(gudang, PUSAT))["rasio_setor_pnbp"] < 1
    segar = kualitas.kesegaran(ctx(gudang, PUSAT), sekarang=dt.datetime(2025, 1, 6, 13, 2))
    assert segar["umur"] == "12 jam yang lalu" and segar["status"] == "BERHASIL"
    # National: Kanwil x month, the share of expected files received; each cell must equal the sum of
    # the UPT view's counts of that Kanwil over 6 x its UPTs (two views of the same completeness).
    nas = kualitas.fig_matriks(ctx(gudang, PUSAT)).data[0]
    assert [y.split()[0] for y in nas.y] == ["KW01", "KW02", "KW03"]
    for i, kw in enumerate(("KW01", "KW02", "KW03")):
        per_upt = kualitas.fig_matriks(ctx(gudang, PUSAT, kanwil=kw)).data[0]
        assert all(y.split()[0] in {"KW01": {"UPT0001", "UPT0002"}, "KW02": {"UPT0003", "UPT0004", "UPT0005"},
                                    "KW03": {"UPT0006", "UPT0007"}}[kw] for y in per_upt.y)
        assert all(0 <= v <= 6 for row in per_upt.z for v in row)
        for j in range(len(nas.x)):
            diterima = sum(row[j] for row in per_upt.z)
            assert nas.z[i][j] == pytest.approx(diterima / (6 * len(per_upt.y))), (kw, nas.x[j])
    assert len(kualitas.fig_matriks(ctx(gudang, KW01)).data[0].y) == 2  # a Kanwil account: its own UPTs


@pytest.mark.parametrize("p", [PUSAT, KW01, UPT4], ids=lambda p: p.role)
@pytest.mark.parametrize("path", [h.PATH for h in HALAMAN])
def test_every_page_renders_for_every_role(gudang, p, path):
    out = render_halaman(gudang, p, path, {"periode": "2024Q3"})
    teks = json.dumps(out.to_plotly_json(), default=str)
    assert "Kesalahan" not in teks and "Traceback" not in teks
    if p.role not in getattr(PER_PATH[path], "PERAN", (p.role,)):  # Unggah & periksa: UPT and Kanwil only
        assert "tidak berwenang" in teks.lower() and "unggah-berkas" not in teks
        return
    if p is not UPT4 or path != "/perbandingan":
        assert "Tidak berwenang" not in teks
    if p is KW01:
        for asing in ("Garut", "Kerobokan", "UPT0004", "UPT0006"):
            assert asing not in teks, (path, asing)


def test_foreign_upt_in_url_is_refused_on_the_page(gudang):
    out = render_halaman(gudang, KW01, "/upt", {"upt": "UPT0004"})
    teks = json.dumps(out.to_plotly_json(), default=str)
    assert "tidak berwenang" in teks and "Garut" not in teks


def test_query_string_roundtrip_and_validation(gudang):
    q = tulis_query({"periode": "2024Q3", "kanwil": "KW01", "indikator": "qc_pass_rate", "upt": None})
    assert q == "?periode=2024Q3&kanwil=KW01&indikator=qc_pass_rate"
    assert baca_query(q)["kanwil"] == "KW01"
    n = normalisasi(gudang, PUSAT, {"periode": "1999Q1", "kanwil": "KW01' or 1=1 --", "indikator": "x"})
    # an unknown indicator falls back to the default, which the filter then shows (issue 15)
    assert n["periode"] == "2024Q4" and n["kanwil"] is None and n["indikator"] == "kepatuhan_litmas_h7"


# ---------------------------------------------------------------------- downloads and reports
@pytest.mark.parametrize("kunci", sorted(TABEL))
def test_every_table_downloads_as_xlsx(gudang, kunci):
    nilai = {"periode": "2024Q3", "upt": "UPT0003"} if kunci.startswith("upt_") else {"periode": "2024Q3"}
    nama, data = buat_unduhan(gudang, PUSAT, kunci, nilai)
    assert nama.endswith(".xlsx") and len(data) > 1000
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.worksheets[0].max_row >= 5


def test_quarterly_reports(gudang):
    nama, data = laporan_monev(gudang, KW01, Pilihan(), "2024Q3", "kanwil")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert {"Ringkasan", "Peringkat UPT", "PNBP per UPT", "Kualitas Data"} <= set(wb.sheetnames)
    isi = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert "Kanwil Aceh" in isi and "Garut" not in isi and "UPT0004" not in isi
    nama, data = laporan_monev(gudang, UPT4, Pilihan(), "2024Q3", "upt")
    assert nama == "laporan_monev_upt_UPT0004_2024Q3.xlsx"
    with pytest.raises(TidakBerwenang):
        laporan_monev(gudang, KW01, Pilihan(kanwil="KW02"), "2024Q3", "kanwil")
    with pytest.raises(TidakBerwenang):
        buat_unduhan(gudang, KW01, "laporan_upt", {"periode": "2024Q3", "upt": "UPT0004"})


# ---------------------------------------------------------------------- accounts, lockout, audit
def test_add_account_stores_only_a_hash(tmp_path):
    path = tmp_path / "app.db"
    add_account(path, "kw01", "kata-sandi-rahasia", "kanwil", "kw01")
    assert b"kata-sandi-rahasia" not in path.read_bytes()
    con = sqlite3.connect(path)
    h, scope, username = con.execute("select password_hash, scope, username from akun").fetchone()
    con.close()
    assert h.startswith(("scrypt:", "pbkdf2:")) and scope == "KW01" and username == "kw01"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    akun = DaftarAkun(path)
    assert akun.periksa("kw01", "kata-sandi-rahasia").scope == "KW01"
    assert akun.periksa("KW01", "kata-sandi-rahasia").username == "kw01"  # names are case-insensitive
    assert akun.periksa("kw01", "salah") is None and akun.periksa("siapa", "x") is None
    assert akun.periksa("kw01" * 1000, "kata-sandi-rahasia") is None
    with pytest.raises(ValueError):
        add_account(path, "x1", "kata-sandi-rahasia", "admin")
    with pytest.raises(ValueError):
        add_account(path, "upt9", "kata-sandi-rahasia", "upt")
    with pytest.raises(ValueError):
        add_account(path, "pendek", "123", "ditjenpas")
    with pytest.raises(ValueError):
        add_account(path, "a" * 65, "kata-sandi-rahasia", "ditjenpas")
    # Another case of an existing name replaces that account, it does not create a second one.
    add_account(path, "KW01", "kata-sandi-baru-1", "kanwil", "KW01")
    assert [a["username"] for a in list_accounts(path)] == ["kw01"]
    assert akun.periksa("kw01", "kata-sandi-rahasia") is None and akun.periksa("kw01", "kata-sandi-baru-1")


def test_disabled_accounts_cannot_log_in_and_lose_their_sessions(tmp_path):
    path = tmp_path / "app.db"
    add_account(path, "kw01", "kata-sandi-rahasia", "kanwil", "KW01")
    sesi = DaftarSesi(path)
    token = sesi.buat("kw01", "10.0.0.1")
    assert sesi.muat(token)[0].username == "kw01"
    assert disable_account(path, "KW01") == 1
    assert sesi.muat(token) is None
    assert DaftarAkun(path).periksa("kw01", "kata-sandi-rahasia") is None
    assert list_accounts(path)[0]["aktif"] is False
    enable_account(path, "kw01")
    assert DaftarAkun(path).periksa("kw01", "kata-sandi-rahasia").scope == "KW01"
    assert sesi.muat(token) is None  # a disabled account's sessions stay ended


def test_sessions_end_on_reset_revoke_and_absolute_expiry(tmp_path):
    path = tmp_path / "app.db"
    add_account(path, "kw01", "kata-sandi-rahasia", "kanwil", "KW01")
    t0 = dt.datetime(2026, 1, 1, 8, 0)
    now = [t0]
    sesi = DaftarSesi(path, waktu=lambda: now[0])
    a, b = sesi.buat("kw01"), sesi.buat("kw01")
    assert b"kw01" not in a.encode() and sesi.muat(a)[1] == t0 + dt.timedelta(hours=8)
    now[0] = t0 + dt.timedelta(hours=7, minutes=59)
    assert sesi.muat(a) is not None  # looking a session up does not extend it
    now[0] = t0 + dt.timedelta(hours=8)
    assert sesi.muat(a) is None and sesi.muat(b) is None  # absolute expiry
    now[0] = t0
    assert reset_password(path, "kw01", "kata-sandi-lain-1") == 2
    assert sesi.muat(a) is None and sesi.muat(b) is None
    c = sesi.buat("kw01")
    assert revoke_sessions(path, "Kw01") == 1 and sesi.muat(c) is None
    d = sesi.buat("kw01")
    sesi.cabut(d)
    assert sesi.muat(d) is None and sesi.muat("bukan-token") is None and sesi.muat("x" * 10_000) is None
    with pytest.raises(AkunTidakAda):
        revoke_sessions(path, "tidak_ada")


def test_ensure_demo_accounts(tmp_path, wh, capsys):
    path = tmp_path / "app.db"
    akun = ensure_demo_accounts(path, wh)
    assert capsys.readouterr().out == ""  # prints nothing itself
    assert set(akun) == {"ditjenpas", "kanwil_kw01", "upt_upt0001"}
    daftar = DaftarAkun(path)
    for username, a in akun.items():
        assert daftar.periksa(username, a["password"]).role == a["role"]
    assert ensure_demo_accounts(path, wh) is None  # an existing file is left alone


def test_lockout_after_five_failures_within_fifteen_minutes(tmp_path):
    now = [1_000_000.0]
    path = tmp_path / "app.db"
    add_account(path, "kw01", "kata-sandi-benar", "kanwil", "KW01")
    pembatas = PembatasLogin(path, jam=lambda: now[0])
    audit = AuditLog(path, tmp_path / "audit.log")
    penjaga = Penjaga(DaftarAkun(path), audit, pembatas)
    for i in range(4):  # the username in any case counts for the same account
        ok, pesan, _p = penjaga.masuk("kw01" if i % 2 else "KW01", "salah", "10.0.0.1")
        assert not ok and "salah" in pesan
    ok, pesan, _p = penjaga.masuk("kw01", "salah", "10.0.0.1")
    assert not ok and "terkunci" in pesan
    ok, pesan, _p = penjaga.masuk("kw01", "kata-sandi-benar", "10.0.0.1")
    assert not ok and "terkunci" in pesan and "15 menit" in pesan
    # The lock is for that client address: the owner elsewhere still logs in.
    ok, pesan, p = penjaga.masuk("kw01", "kata-sandi-benar", "10.0.0.2")
    assert ok and p.scope == "KW01"
    now[0] += 15 * 60 + 1
    ok, pesan, p = penjaga.masuk("kw01", "kata-sandi-benar", "10.0.0.1")
    assert ok and p.scope == "KW01"
    # Failures spread over more than 15 minutes do not lock.
    for _ in range(4):
        penjaga.masuk("kw01", "salah")
    now[0] += 16 * 60
    ok, pesan, _p = penjaga.masuk("kw01", "salah")
    assert "terkunci" not in pesan
    events = [r["event"] for r in audit.baca()]
    assert events.count("login_gagal") >= 10 and "akun_terkunci" in events and "login_berhasil" in events
    teks = (tmp_path / "audit.log").read_text()
    assert "kata-sandi-benar" not in teks and "scrypt" not in teks
    for line in teks.splitlines():
        rec = json.loads(line)
        assert {"waktu", "event", "username", "ip"} <= set(rec)


def test_inputs_are_bounded_and_a_password_in_the_name_field_is_not_logged(tmp_path):
    path = tmp_path / "app.db"
    add_account(path, "kw01", "kata-sandi-benar", "kanwil", "KW01")
    audit = AuditLog(path)
    penjaga = Penjaga(DaftarAkun(path), audit)
    for _ in range(20):
        ok, pesan, _p = penjaga.masuk("u" * 2_000_000, "x" * 2_000_000, "10.0.0.9")
        assert not ok and "salah" in pesan
    ok, _pesan, _p = penjaga.masuk("kata-sandi-benar", "kw01", "10.0.0.9")  # fields swapped
    assert not ok
    rows = audit.baca()
    assert len(rows) == 21 and all(r["username"] is None for r in rows)
    dump = json.dumps(rows)
    assert "kata-sandi-benar" not in dump and len(dump) < 20_000
    assert path.stat().st_size < 2_000_000  # nothing of the 2 MB inputs was stored


# ---------------------------------------------------------------------- server-side guards (Flask test client)
@pytest.fixture()
def klien(wh, tmp_path, monkeypatch):
    monkeypatch.setenv("MONEV_SECRET_KEY", "uji-rahasia")
    acc = tmp_path / "app.db"
    add_account(acc, "kw01", "kata-sandi-kw01", "kanwil", "KW01")
    app = create_app(wh, acc, tmp_path / "audit.log")
    return csrf_klien_uji(app.server.test_client()), tmp_path / "audit.log"


def test_callbacks_refused_without_session(klien):
    c, _ = klien
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"}))
    assert r.status_code == 401 and "Sesi" in r.get_json()["pesan"]


def test_login_then_scoped_callbacks(klien):
    c, audit = klien
    r = c.post("/_dash-update-component", json=masuk("kw01", "salah"))
    assert r.status_code == 200 and "salah" in r.get_data(as_text=True)
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"}))
    assert r.status_code == 401
    r = c.post("/_dash-update-component", json=masuk("kw01", "kata-sandi-kw01"))
    assert r.status_code == 200 and r.get_json()["response"]["url-login"]["href"] == "/ringkasan"
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"}))
    assert r.status_code == 200 and "Kanwil Aceh" in r.get_data(as_text=True)
    r = c.post("/_dash-update-component", json=halaman("/upt", {"periode": "2024Q3", "upt": "UPT0004"}))
    body = r.get_data(as_text=True)
    assert "tidak berwenang" in body and "Garut" not in body
    events = [json.loads(x)["event"] for x in audit.read_text().splitlines()]
    assert events[:2] == ["login_gagal", "login_berhasil"] and "akses_ditolak" in events
    c.get("/keluar")
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"}))
    assert r.status_code == 401


def test_table_cells_are_sent_as_numbers_dates_and_text_the_indonesian_way():
    """What the browser's DataTable receives for each kind of column (numbers stay numbers for
    sorting and the Indonesian Format; missing values are empty, not 'nan')."""
    from dashboards.components import tabel_data

    df = pd.DataFrame({
        "kode_upt": ["UPT0001", None, "UPT0003"],
        "pendapatan": [pd.NA, 1250000.5, 3],
        "qc_pass_rate": [0.5, float("nan"), 1.0],
        "bulan": [pd.Timestamp("2024-03-01"), pd.NaT, pd.Timestamp("2024-12-01")],
        "terlambat": [True, False, None],
    })
    df["pendapatan"] = df.pendapatan.astype("Float64")
    tabel = tabel_data(df, "uji")
    data = next(c for c in tabel.children if hasattr(c, "data")).data
    assert [r["kode_upt"] for r in data] == ["UPT0001", None, "UPT0003"]
    # an empty indicator sum reads "belum melapor" (KPI_DICTIONARY v2), never 0 or blank
    assert [r["pendapatan"] for r in data] == ["belum melapor", 1250000.5, 3.0]
    assert all(isinstance(r["pendapatan"], float) for r in data[1:])
    assert [r["qc_pass_rate"] for r in data] == [0.5, None, 1.0]
    assert [r["bulan"] for r in data] == ["Maret 2024", None, "Desember 2024"]
    assert [r["terlambat"] for r in data][:2] == ["Ya", "Tidak"]
