"""KPI_DICTIONARY v2 on the pages beyond Ringkasan: Perbandingan Kanwil, Profil UPT, Akuntabilitas
PNBP and Kualitas Data each show the coverage and provisional notes, a figure shown equals the
published cell it comes from, a UPT that did not report reads "belum melapor" (never 0 or Rp 0), and
no chart is drawn for a unit with nothing reported.

The warehouse is the v2 fixture of tests/test_dashboard_belum_melapor.py (UPT0002 did not report for
2024Q3) with, as a real publication would have, no monthly mart rows for UPT0002 in 2024Q3 and its
completeness rows marked TIDAK_ADA.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse, ctx  # noqa: E402
from dash_fixtures import cari_id as _cari_id  # noqa: E402
from test_dashboard_belum_melapor import ALASAN, PUSAT, _teks, tandai_v2  # noqa: E402

from dashboards import fmt  # noqa: E402
from dashboards.components import nama_pendek, tabel_data  # noqa: E402
from dashboards.data import Gudang  # noqa: E402
from dashboards.indikator import format_nilai  # noqa: E402
from dashboards.pages import kualitas, perbandingan, pnbp, profil_upt, ringkasan, sektor  # noqa: E402

BELUM = "UPT0002"
Q3 = ("2024-07-01", "2024-09-01")


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("halaman") / "monev.duckdb")
    expected = tandai_v2(path)
    con = duckdb.connect(str(path))
    try:
        # mart_upt_bulanan keeps the months of a UPT that sent nothing, with NULL measures (as dbt publishes them)
        con.execute("update mart_upt_bulanan set populasi_akhir = null, pendapatan = null, pnbp_disetor = null, "
                    "produksi_unit = null, lolos_qc_unit = null, jam_kerja = null, upah = null "
                    "where kode_upt = ? and bulan between ? and ?", [BELUM, *Q3])
        for t in ("mart_pnbp_bulanan", "mart_penjualan_ringkas", "mart_produksi_ringkas"):
            con.execute(f"delete from {t} where kode_upt = ? and bulan between ? and ?", [BELUM, *Q3])
        con.execute("delete from kpi_rincian where level = 'upt' and kode = ? and periode = '2024Q3'", [BELUM])
        con.execute("delete from mart_margin_kegiatan where kode_upt = ? and periode = '2024Q3'", [BELUM])
        con.execute("update mart_kelengkapan set status = 'TIDAK_ADA', received_at = null "
                    "where kode_upt = ? and bulan between ? and ?", [BELUM, *Q3])
    finally:
        con.close()
    g = Gudang(path)
    yield g, path, expected
    g.close()


def _sel(path, level, kode, kolom, periode="2024Q3"):
    """The published kpi_indikator cell, read straight from the warehouse file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"select {kolom} from kpi_indikator where level = ? and kode = ? and periode = ?",
                           [level, kode, periode]).fetchone()[0]
    finally:
        con.close()


def _tabel(df, kolom):
    """The rows a page table shows (formatted as on screen), keyed by its first column."""
    blok = tabel_data(df, "uji", kolom=kolom)
    return {r[kolom[0]]: r for r in blok.children[-1].data}


def _kartu_upt(c) -> str:
    """The text of Profil UPT's row of cards (id "kartu-upt")."""
    baris = [k for k in profil_upt.tampilan(c).children if getattr(k, "id", None) == "kartu-upt"]
    assert len(baris) == 1
    return _teks(baris[0])


def _catatan(teks, melapor, diharapkan):
    assert f"Dihitung dari {fmt.format_angka(melapor)} dari {fmt.format_angka(diharapkan)} UPT" in teks
    assert f"Angka sementara: {ALASAN}" in teks


# ---------------------------------------------------------------- Perbandingan Kanwil
def test_perbandingan_shows_coverage_and_the_published_kanwil_cell(wh):
    g, path, (melapor, diharapkan) = wh
    _catatan(_teks(perbandingan.tampilan(ctx(g, PUSAT))), melapor, diharapkan)
    df = perbandingan.tabel_kanwil(ctx(g, PUSAT)).set_index("kode_kanwil")
    for kolom in ("populasi_akhir", "kepatuhan_litmas_h7"):
        assert float(df.at["KW01", kolom]) == pytest.approx(float(_sel(path, "kanwil", "KW01", kolom)))
    # focused on KW01: the Kanwil's own coverage (1 of its 2 UPTs reported)
    teks = _teks(perbandingan.tampilan(ctx(g, PUSAT, kanwil="KW01")))
    assert (f"Dihitung dari {_sel(path, 'kanwil', 'KW01', 'upt_melapor')} dari "
            f"{_sel(path, 'kanwil', 'KW01', 'upt_diharapkan')} UPT") in teks
    assert _sel(path, "kanwil", "KW01", "upt_melapor") == 1


def test_perbandingan_heatmap_says_belum_melapor_for_the_unit_without_data(wh):
    g, _, _ = wh
    fig = perbandingan.fig_heatmap(ctx(g, PUSAT, kanwil="KW01"))
    baris = dict(zip(fig.data[0].y, fig.data[0].text))
    nama = g.info_upt(PUSAT, BELUM)["nama_upt"]
    assert "belum melapor" in baris[nama] and "–" not in baris[nama] and "0,0%" not in baris[nama]
    assert "belum melapor" not in baris[g.info_upt(PUSAT, "UPT0001")["nama_upt"]]


def test_perbandingan_draws_no_chart_when_nobody_reported(tmp_path):
    path = build_warehouse(tmp_path / "kosong.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update kpi_indikator set kepatuhan_litmas_h7 = null, tingkat_partisipasi_pelatihan = null, "
                "tingkat_partisipasi_produksi = null, qc_pass_rate = null, rasio_setor_pnbp = null, "
                "tingkat_sertifikasi = null, tingkat_realisasi_anggaran = null, kelengkapan_laporan = null "
                "where periode like '2024%'")
    con.close()
    g = Gudang(path)
    try:
        assert perbandingan.fig_kanwil_per_periode(ctx(g, PUSAT)) is None
        assert perbandingan.fig_heatmap(ctx(g, PUSAT)) is None
        assert perbandingan.fig_heatmap(ctx(g, PUSAT, periode="2023Q3")) is not None
    finally:
        g.close()


# ---------------------------------------------------------------- Profil UPT
def test_profil_upt_of_a_unit_that_did_not_report(wh):
    g, _, _ = wh
    c = ctx(g, PUSAT, upt=BELUM)
    teks = _teks(profil_upt.tampilan(c))
    assert "UPT ini belum melapor" in teks
    assert f"Angka sementara: {ALASAN}" in teks
    isi = _kartu_upt(c)
    assert "belum melapor" in isi and "Rp 0" not in isi
    # no chart with invented axes for what was not reported this period
    assert profil_upt.fig_corong(c) is None
    assert profil_upt.fig_upah(c) is None
    assert profil_upt.fig_pnbp(c) is None
    upah = _tabel(profil_upt.tabel_upah(c), ["bulan", "populasi_akhir", "upah"])
    assert len(upah) == 3 and {r["upah"] for r in upah.values()} == {"belum melapor"}
    # a reporting UPT keeps its monthly figures
    assert profil_upt.tabel_upah(ctx(g, PUSAT, upt="UPT0001")).upah.notna().all()


def test_profil_upt_card_equals_the_published_cell(wh):
    g, path, _ = wh
    c = ctx(g, PUSAT, upt="UPT0001")
    isi = _kartu_upt(c)
    for kolom in ("pendapatan", "kepatuhan_litmas_h7", "upah"):
        assert format_nilai(kolom, _sel(path, "upt", "UPT0001", kolom)) in isi
    assert "UPT ini belum melapor" not in _teks(profil_upt.tampilan(c))


# ---------------------------------------------------------------- Akuntabilitas PNBP
def test_pnbp_page_coverage_and_per_upt_belum_melapor(wh):
    g, path, (melapor, diharapkan) = wh
    _catatan(_teks(pnbp.tampilan(ctx(g, PUSAT))), melapor, diharapkan)
    rows = _tabel(pnbp.tabel_per_upt(ctx(g, PUSAT)), ["kode_upt", "pendapatan", "pnbp_disetor"])
    assert rows[BELUM]["pendapatan"] == "belum melapor" and rows[BELUM]["pnbp_disetor"] == "belum melapor"
    # the figure shown per UPT equals the published cell of kpi_indikator
    df = pnbp.tabel_per_upt(ctx(g, PUSAT)).set_index("kode_upt")
    for kode in ("UPT0001", "UPT0003"):
        assert float(df.at[kode, "pendapatan"]) == pytest.approx(float(_sel(path, "upt", kode, "pendapatan")))
        assert float(df.at[kode, "pnbp_disetor"]) == pytest.approx(float(_sel(path, "upt", kode, "pnbp_disetor")))
    # the bar of gaps draws only the units with a gap
    fig = pnbp.fig_selisih_upt(ctx(g, PUSAT))
    assert g.info_upt(PUSAT, BELUM)["nama_upt"] not in list(fig.data[0].y)


def test_pnbp_page_of_a_unit_that_did_not_report(wh):
    g, _, _ = wh
    c = ctx(g, PUSAT, upt=BELUM)
    teks = _teks(pnbp.tampilan(c))
    assert "belum melapor" in teks and "Rp 0" not in teks
    assert pnbp.fig_bulanan(c) is None and pnbp.fig_selisih_upt(c) is None


def test_pnbp_cards_are_the_published_cells_with_the_gross_shortfall(tmp_path):
    """The cards show kpi_indikator's cells (set here to values no sum of the monthly mart gives), the
    gross shortfall among them; for a UPT the per-UPT table carries the same published cell."""
    path = build_warehouse(tmp_path / "monev.duckdb")
    tandai_v2(path)
    con = duckdb.connect(str(path))
    try:
        con.execute("alter table kpi_indikator add column pnbp_kurang_setor decimal(18,2)")
        con.execute("update kpi_indikator set pendapatan = 123456789, pnbp_disetor = 98765432, rasio_setor_pnbp = 0.8, "
                    "pnbp_kurang_setor = 7654321 where level = 'nasional' and periode = '2024Q3'")
        con.execute("update kpi_indikator set pnbp_kurang_setor = 4321000 where level = 'upt' and kode = 'UPT0003' "
                    "and periode = '2024Q3'")
    finally:
        con.close()
    g = Gudang(path)
    try:
        teks = _teks(pnbp.tampilan(ctx(g, PUSAT)))
        for nilai in (123456789, 98765432, 7654321):
            assert fmt.format_rupiah(nilai) in teks
        assert fmt.format_persen(0.8) in teks
        per_upt = pnbp.tabel_per_upt(ctx(g, PUSAT)).set_index("kode_upt")
        assert float(per_upt.at["UPT0003", "pnbp_kurang_setor"]) == 4321000
        assert per_upt.index[0] == "UPT0003"  # the largest gross shortfall first
        fig = pnbp.fig_selisih_upt(ctx(g, PUSAT))
        assert "bruto" in fig.layout.title.text and list(fig.data[0].x) == [4321000]
    finally:
        g.close()


def test_pnbp_delay_weights_months_and_units_by_amount(wh):
    """The card's deposit delay over the period = sum(days x amount) / sum(amount) of the monthly mart rows."""
    g, path, _ = wh
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select rata_hari_setor, pnbp_disetor from mart_pnbp_bulanan "
                           "where bulan between '2024-07-01' and '2024-09-01' and rata_hari_setor is not null").fetchall()
    finally:
        con.close()
    assert len(rows) > 3 and len({round(h, 3) for h, _ in rows}) > 1
    expected = sum(h * float(d) for h, d in rows) / sum(float(d) for _, d in rows)
    mean = sum(h for h, _ in rows) / len(rows)
    assert abs(expected - mean) > 0.01  # the fixture tells the weighted figure from a plain mean
    assert pnbp.ringkasan(ctx(g, PUSAT))["rata_hari_setor"] == pytest.approx(expected)
    assert fmt.format_angka(expected, 1) in _teks(pnbp.tampilan(ctx(g, PUSAT)))


# ---------------------------------------------------------------- Kualitas Data
def test_kualitas_page_coverage_status_and_published_file_count(wh):
    g, path, (melapor, diharapkan) = wh
    _catatan(_teks(kualitas.tampilan(ctx(g, PUSAT))), melapor, diharapkan)
    from dashboards.analisis import kualitas_per_upt

    df = kualitas_per_upt(g, PUSAT, ctx(g, PUSAT).pilihan, "2024Q3").set_index("kode_upt")
    assert df.at[BELUM, "status_laporan"] == "belum melapor"
    assert df.at["UPT0001", "status_laporan"] == "melapor"
    assert int(df.at[BELUM, "file_diterima"]) == int(_sel(path, "upt", BELUM, "file_diterima")) == 0
    rows = _tabel(df.reset_index(), ["kode_upt", "status_laporan"])
    assert rows[BELUM]["status_laporan"] == "belum melapor"


# ---------------------------------------------------------------- Ringkasan map
def test_map_hover_says_belum_melapor_for_a_kanwil_without_data(tmp_path):
    path = build_warehouse(tmp_path / "peta.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update kpi_indikator set kepatuhan_litmas_h7 = null where level = 'kanwil' and kode = 'KW03'")
    con.close()
    g = Gudang(path)
    try:
        fig = ringkasan.fig_peta(ctx(g, PUSAT))
        nama = g.daftar_kanwil(PUSAT).set_index("kode_kanwil").nama_kanwil["KW03"]
        belum = [t for t in fig.data if "belum melapor" in (t.hovertemplate or "")]
        assert len(belum) == 1 and [x[0] for x in belum[0].customdata] == [nama]
        assert all(nama not in [x[0] for x in t.customdata] for t in fig.data if t is not belum[0])
    finally:
        g.close()


# ---------------------------------------------------------------- monev report (XLSX and PDF share its content)
def test_monev_report_carries_coverage_provisional_mark_and_lists_the_unit_that_did_not_report(wh):
    from dashboards.excel import isi_laporan
    from dashboards.data import Pilihan

    g, path, _ = wh
    isi = isi_laporan(g, PUSAT, Pilihan(periode="2024Q3", kanwil="KW01"), "2024Q3", "kanwil")
    teks = " ".join(isi.keterangan)
    assert (f"Dihitung dari {_sel(path, 'kanwil', 'KW01', 'upt_melapor')} dari "
            f"{_sel(path, 'kanwil', 'KW01', 'upt_diharapkan')} UPT") in teks
    assert f"Angka sementara: {ALASAN}" in teks and "Kamus KPI versi 2" in teks
    pnbp_upt = dict(isi.lembar)["PNBP per UPT"].set_index("kode_upt")
    assert BELUM in pnbp_upt.index and fmt.kosong(pnbp_upt.at[BELUM, "pendapatan"])
    assert float(pnbp_upt.at["UPT0001", "pendapatan"]) == pytest.approx(float(_sel(path, "upt", "UPT0001", "pendapatan")))
    kual = dict(isi.lembar)["Kualitas Data"].set_index("kode_upt")
    assert kual.at[BELUM, "status_laporan"] == "belum melapor"
    isi_upt = isi_laporan(g, PUSAT, Pilihan(periode="2024Q3", upt=BELUM), "2024Q3", "upt")
    assert "UPT ini belum melapor" in " ".join(isi_upt.keterangan)


def test_kanwil_grid_says_belum_melapor_for_a_kanwil_without_data(tmp_path):
    path = build_warehouse(tmp_path / "grid.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update kpi_indikator set kepatuhan_litmas_h7 = null, tingkat_partisipasi_pelatihan = null, "
                "tingkat_partisipasi_produksi = null, qc_pass_rate = null, rasio_setor_pnbp = null, "
                "tingkat_sertifikasi = null, tingkat_realisasi_anggaran = null "
                "where level = 'kanwil' and kode = 'KW03' and periode = '2024Q3'")
    con.close()
    g = Gudang(path)
    try:
        fig = perbandingan.fig_kanwil_per_periode(ctx(g, PUSAT), batas_batang=1)  # the grid form
        nama = g.daftar_kanwil(PUSAT).set_index("kode_kanwil").nama_kanwil.map(nama_pendek)  # the axis shows short names
        baris = dict(zip(fig.data[0].y, fig.data[0].text))
        kolom = list(fig.data[0].x).index("Tw III")
        assert baris[nama["KW03"]][kolom] == "belum melapor"
        assert baris[nama["KW01"]][kolom] not in ("belum melapor", "–")
        assert "belum melapor" not in baris[nama["KW03"]][:kolom]
    finally:
        g.close()


# ---------------------------------------------------------------- Sektor & Industri
def _rincian(path, tabel, kondisi, params):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {(d, n): (None if p is None else float(p)) for d, n, p in con.execute(
            f"select dimensi, nilai, pendapatan from {tabel} where {kondisi}", params).fetchall()}
    finally:
        con.close()


def test_sektor_shows_coverage_and_the_published_cells(wh):
    g, path, (melapor, diharapkan) = wh
    c = ctx(g, PUSAT)
    teks = _teks(sektor.tampilan(c))
    _catatan(teks, melapor, diharapkan)
    assert format_nilai("pendapatan", _sel(path, "nasional", "NASIONAL", "pendapatan")) in teks
    pub = _rincian(path, "kpi_rincian", "level = 'nasional' and periode = '2024Q3'", [])
    t = sektor.fig_treemap(c).data[0]
    induk = [(i, v) for i, v, par in zip(t.ids, t.values, t.parents) if par == ""]
    anak = [(i, v) for i, v, par in zip(t.ids, t.values, t.parents) if par != ""]
    # the treemap's parents are the published bidang cells, its leaves the published subbidang cells
    assert sorted(i for i, _ in induk) == sorted(n for d, n in pub if d == "bidang")
    assert all(v == pytest.approx(pub[("bidang", i)]) for i, v in induk)
    assert anak and all(v == pytest.approx(pub[("subbidang", i.split("/", 1)[1])]) for i, v in anak)
    tabel = _tabel(sektor.tabel_rincian(c, "bidang"), ["bidang", "pendapatan"])
    # the table shows the label of the code (dashboards/fmt.py)
    assert {b: r["pendapatan"] for b, r in tabel.items()} == {fmt.label_kode("bidang", n): pub[("bidang", n)]
                                                             for d, n in pub if d == "bidang"}


def test_sektor_peer_group_reads_kpi_rincian_kelompok(tmp_path):
    """With a UPT type chosen the breakdown is the published peer-group row, not a sum of UPT rows: a
    changed kpi_rincian_kelompok cell is what the page shows."""
    path = build_warehouse(tmp_path / "kelompok.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update kpi_rincian_kelompok set pendapatan = 123456789 where level = 'nasional' and jenis_upt = 'LAPAS' "
                "and kelas = '*' and periode = '2024Q3' and dimensi = 'bidang' and nilai = 'INDUSTRI'")
    con.close()
    g = Gudang(path)
    try:
        c = ctx(g, PUSAT, jenis_upt="LAPAS")
        df = sektor.tabel_rincian(c, "bidang").set_index("bidang")
        assert float(df.at["INDUSTRI", "pendapatan"]) == 123456789
        pub = _rincian(path, "kpi_rincian_kelompok", "level = 'nasional' and jenis_upt = 'LAPAS' and kelas = '*' "
                       "and periode = '2024Q3'", [])
        assert {n: float(v) for n, v in df.pendapatan.items()} == {n: pub[("bidang", n)] for d, n in pub if d == "bidang"}
    finally:
        g.close()


def test_sektor_of_a_unit_that_did_not_report(wh):
    g, _, _ = wh
    c = ctx(g, PUSAT, upt=BELUM)
    teks = _teks(sektor.tampilan(c))
    assert "UPT ini belum melapor" in teks
    assert f"Angka sementara: {ALASAN}" in teks
    kartu = _cari_id(sektor.tampilan(c), "kartu-pendapatan-sektor")
    assert "belum melapor" in _teks(kartu) and "Rp 0" not in teks
    assert sektor.fig_treemap(c) is None




# ---------------------------------------------------------------- Kualitas Data, published ratios
def test_kualitas_card_and_kanwil_matrix_are_published_cells(wh):
    g, path, _ = wh
    c = ctx(g, PUSAT)
    teks = _teks(kualitas.tampilan(c))
    assert fmt.format_persen(_sel(path, "nasional", "NASIONAL", "kelengkapan_laporan")) in teks
    fig = kualitas.fig_matriks(c)
    con = duckdb.connect(str(path), read_only=True)
    try:
        sel = con.execute("select kode_kanwil, rasio_diterima from mart_kelengkapan_kanwil where jenis_upt = '*' "
                          "and kelas = '*' and bulan between ? and ? order by kode_kanwil, bulan", list(Q3)).fetchall()
    finally:
        con.close()
    shown = [(y.split(" ")[0], z) for y, baris in zip(fig.data[0].y, fig.data[0].z) for z in baris]
    assert len(shown) == len(sel) and all(a == b and z == pytest.approx(r) for (a, z), (b, r) in zip(shown, sel))
    per_upt = kualitas.TABEL["kualitas_per_upt"][1](c).set_index("kode_upt")
    assert per_upt.at["UPT0001", "kelengkapan_laporan"] == pytest.approx(_sel(path, "upt", "UPT0001", "kelengkapan_laporan"))
