"""The monev cycle in the dashboards: the "Temuan triwulan ini" panel (scoped like the figures), the
quarterly report as a document to hand on (the same whoever downloads it; typed numbers; pages
numbered "Halaman x dari N"; signature block; rendered with pdftoppm) and the Kanwil quarter-on-quarter
comparison page. Findings come from the fixture's mart_temuan (tests/dash_fixtures.py TEMUAN)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import TEMUAN, ctx, gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards.app import buat_unduhan, render_halaman  # noqa: E402
from dashboards.data import Pengguna, Pilihan, TidakBerwenang  # noqa: E402
from dashboards.indikator import KOLOM_KPI  # noqa: E402
from dashboards.pages import banding  # noqa: E402
from dashboards.temuan import panel_temuan  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
KW02 = Pengguna("kw02", "kanwil", "KW02")
UPT4 = Pengguna("upt4", "upt", "UPT0004")  # a UPT of KW02


def _teks(komponen) -> str:
    """Every text of a Dash component tree."""
    out = []

    def jalan(x):
        if x is None:
            return
        if isinstance(x, (str, int, float)):
            out.append(str(x))
            return
        if isinstance(x, (list, tuple)):
            for y in x:
                jalan(y)
            return
        jalan(getattr(x, "children", None))
        t = getattr(x, "title", None)
        if isinstance(t, str):
            out.append(t)

    jalan(komponen)
    return " ".join(out)


def _ids(komponen) -> list[str]:
    out = []

    def jalan(x):
        if isinstance(x, (list, tuple)):
            for y in x:
                jalan(y)
            return
        if x is None or isinstance(x, (str, int, float)):
            return
        i = getattr(x, "id", None)
        if isinstance(i, str):
            out.append(i)
        v = getattr(x, "data-temuan", None)
        if v:
            out.append(f"temuan:{v}")
        jalan(getattr(x, "children", None))

    jalan(komponen)
    return out


def _temuan_ids(komponen) -> set[str]:
    return {i.split(":", 1)[1] for i in _ids(komponen) if i.startswith("temuan:")}


# ---------------------------------------------------------------------- the panel
Q3 = {t[0] for t in TEMUAN if t[1] == "2024Q3"}


@pytest.mark.parametrize("p, harap", [
    (PUSAT, Q3),
    (KW01, {"t-kw01-part", "t-u1-part", "t-u2-100"}),
    (KW02, {"t-u3-pnbp", "t-u4-rugi", "t-kw02-sektor", "t-u5-telat"}),
    (UPT4, {"t-u4-rugi"}),
])
def test_panel_scoped_like_the_figures(gudang, p, harap):
    panel = panel_temuan(ctx(gudang, p))
    assert _temuan_ids(panel) == harap
    assert "Temuan triwulan ini" in _teks(panel)


def test_panel_reads_the_findings_with_their_numbers_and_rule(gudang):
    teks = _teks(panel_temuan(ctx(gudang, PUSAT)))
    assert "Kekurangan setor PNBP terbesar" in teks and "Rp 2.750.000" in teks  # t-u3-pnbp
    assert "12,5%" in teks and "40,0%" in teks  # t-kw01-part: Kanwil rate against the national one
    assert "-Rp 1.250.000" in teks and "Roti dan kue kering" in teks  # t-u4-rugi with the programme's name
    assert "125,0%" in teks  # t-u2-100
    # the rule's explanation (from dbt_project.yml) with its threshold written in
    assert "1.000.000 Rupiah" in teks
    # another period's finding stays there
    assert "t-u1-lonjak-q2" not in _temuan_ids(panel_temuan(ctx(gudang, PUSAT)))
    assert _temuan_ids(panel_temuan(ctx(gudang, PUSAT, periode="2024Q2"))) == {"t-u1-lonjak-q2"}


@pytest.mark.parametrize("p, path, nilai", [
    (PUSAT, "/ringkasan", {}),
    (KW01, "/perbandingan", {}),
    (UPT4, "/upt", {}),
])
def test_panel_opens_each_roles_first_page(gudang, p, path, nilai):
    halaman = render_halaman(gudang, p, path, {"periode": "2024Q3", **nilai})
    ids = _ids(halaman)
    assert "panel-temuan" in ids
    # before the headline cards / charts: the panel is among the first blocks of the page
    assert ids.index("panel-temuan") < 3


# ---------------------------------------------------------------------- the report

@pytest.fixture(scope="module")
def laporan_kw01(gudang):
    return {
        p.username: buat_unduhan(gudang, p, "laporan_kanwil", {"periode": "2024Q3", "kanwil": "KW01"})[1]
        for p in (PUSAT, KW01)
    }


def test_same_document_whoever_downloads_it(gudang):
    for kunci in ("laporan_kanwil", "laporan_kanwil_pdf"):
        a = buat_unduhan(gudang, PUSAT, kunci, {"periode": "2024Q3", "kanwil": "KW01", "indikator": "pendapatan",
                                                "jenis_upt": "LAPAS"})
        b = buat_unduhan(gudang, KW01, kunci, {"periode": "2024Q3"})
        assert a == b, kunci
    for kunci in ("laporan_upt", "laporan_upt_pdf"):
        docs = {buat_unduhan(gudang, p, kunci, {"periode": "2024Q3", "upt": "UPT0004"}) for p in (PUSAT, KW02)}
        docs.add(buat_unduhan(gudang, UPT4, kunci, {"periode": "2024Q3"}))
        assert len(docs) == 1, kunci


def _published(wh, level, kode, periode):
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute("select * from kpi_indikator where level = ? and kode = ? and periode = ?",
                           [level, kode, periode]).df().iloc[0].to_dict()


def test_workbook_numbers_are_numbers_with_formats(wh, laporan_kw01):
    wb = openpyxl.load_workbook(io.BytesIO(laporan_kw01["pusat"]))
    assert {"Laporan", "Ringkasan", "UPT x Indikator", "Temuan", "Peringkat UPT"} <= set(wb.sheetnames)
    angka_teks = re.compile(r"^[+-]?(Rp )?[\d.]+(,\d+)?( poin|%)?$")
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert not angka_teks.match(c.value.strip()), (ws.title, c.coordinate, c.value)
        # no two columns of a table with the same name
        kepala = [c.value for c in ws[3] if c.value is not None] if ws.title != "Laporan" else []
        assert len(kepala) == len(set(kepala)), (ws.title, kepala)
    now, prev = _published(wh, "kanwil", "KW01", "2024Q3"), _published(wh, "kanwil", "KW01", "2024Q2")
    ws = wb["Ringkasan"]
    kepala = [c.value for c in ws[3]]
    assert kepala[:4] == ["Indikator", "Triwulan III 2024", "Triwulan II 2024", "Perubahan"]
    baris = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    r = baris["Kepatuhan Litmas H+7"]
    assert ws.cell(r, 2).value == pytest.approx(now["kepatuhan_litmas_h7"]) and ws.cell(r, 2).number_format == "0.0%"
    assert ws.cell(r, 4).value == pytest.approx((now["kepatuhan_litmas_h7"] - prev["kepatuhan_litmas_h7"]) * 100)
    assert "poin" in ws.cell(r, 4).number_format
    r = baris["Pendapatan"]
    assert ws.cell(r, 2).value == pytest.approx(float(now["pendapatan"])) and "Rp" in ws.cell(r, 2).number_format
    assert ws.cell(r, 4).value == pytest.approx(float(now["pendapatan"]) - float(prev["pendapatan"]))


def test_workbook_upt_by_indicator_and_findings(wh, laporan_kw01):
    wb = openpyxl.load_workbook(io.BytesIO(laporan_kw01["pusat"]))
    ws = wb["UPT x Indikator"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert len(rows) == 2 * len(KOLOM_KPI)  # UPT0001, UPT0002 of KW01, every indicator
    assert {r[0] for r in rows} == {"UPT0001", "UPT0002"}
    now, prev = _published(wh, "upt", "UPT0002", "2024Q3"), _published(wh, "upt", "UPT0002", "2024Q2")
    r = next(r for r in rows if r[0] == "UPT0002" and r[2] == "Tingkat partisipasi produksi")
    assert r[3] == pytest.approx(now["tingkat_partisipasi_produksi"])
    assert r[4] == pytest.approx(prev["tingkat_partisipasi_produksi"])
    assert r[5] == pytest.approx((now["tingkat_partisipasi_produksi"] - prev["tingkat_partisipasi_produksi"]) * 100)
    teks = " ".join(str(c.value) for c in wb["Temuan"]["D"] if c.value)
    assert "12,5%" in teks and "125,0%" in teks and "Rp 2.750.000" not in teks  # KW02's shortfall is not KW01's
    sampul = " ".join(str(c.value) for row in wb["Laporan"].iter_rows() for c in row if c.value)
    assert "Kepala Kantor Wilayah" in sampul and "Kanwil Aceh" in sampul and "Aceh, ...." in sampul
    assert "NIP." in sampul


def test_pdf_pages_numbered_signed_and_rendered(tmp_path, gudang):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    _nama, data = buat_unduhan(gudang, KW02, "laporan_kanwil_pdf", {"periode": "2024Q3"})
    halaman = PdfReader(io.BytesIO(data)).pages
    n = len(halaman)
    assert n >= 2
    for i, pg in enumerate(halaman, start=1):
        assert f"Halaman {i} dari {n}" in pg.extract_text()
    semua = "\n".join(pg.extract_text() for pg in halaman)
    assert "Pengesahan" in semua and "Kepala Kantor Wilayah" in semua and "NIP." in semua
    assert "Grafik utama" in semua and "Temuan" in semua and "Kekurangan setor PNBP terbesar" in semua
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "hal")], check=True)
    gambar = sorted(tmp_path.glob("hal*.png"))
    assert len(gambar) == n
    from PIL import Image

    for g in gambar:
        im = Image.open(g).convert("L")
        assert im.width > im.height  # A4 landscape
        lo, hi = im.getextrema()
        assert lo < 128 < hi  # something printed on every page


def test_upt_report_signed_by_the_head_of_the_upt_and_verified_by_the_kanwil(gudang):
    _nama, data = buat_unduhan(gudang, UPT4, "laporan_upt_pdf", {"periode": "2024Q3"})
    teks = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)
    assert "Diverifikasi oleh Kepala Kantor Wilayah" in teks and "Kepala Lapas" in teks
    assert "Kegiatan merugi" in teks
    assert set(re.findall(r"UPT\d{4}", teks)) == {"UPT0004"}


def test_report_outside_the_scope_refused(gudang):
    with pytest.raises(TidakBerwenang):
        buat_unduhan(gudang, KW01, "laporan_kanwil", {"periode": "2024Q3", "kanwil": "KW02"})
    with pytest.raises(TidakBerwenang):
        buat_unduhan(gudang, KW01, "laporan_upt_pdf", {"periode": "2024Q3", "upt": "UPT0004"})


# ---------------------------------------------------------------------- quarter-on-quarter comparison
def test_banding_every_indicator_this_and_previous_period(wh, gudang):
    df = banding.tabel_banding(ctx(gudang, KW01))
    assert list(df.kode_upt) == ["UPT0001", "UPT0002"]
    now, prev = _published(wh, "upt", "UPT0001", "2024Q3"), _published(wh, "upt", "UPT0001", "2024Q2")
    r = df.set_index("kode_upt").loc["UPT0001"]
    for k in KOLOM_KPI:
        assert k in df and f"{k}__lalu" in df and f"{k}__ubah" in df
    assert r["qc_pass_rate__ubah"] == pytest.approx((now["qc_pass_rate"] - prev["qc_pass_rate"]) * 100)
    assert r["pendapatan__lalu"] == pytest.approx(float(prev["pendapatan"]))
    assert r["pendapatan__ubah"] == pytest.approx(float(now["pendapatan"]) - float(prev["pendapatan"]))


def test_banding_colours_follow_the_catalogue_direction():
    gaya = banding._gaya(["pendapatan", "peserta_tidak_memenuhi_syarat", "upt_diharapkan"])
    warna = {(g["if"]["column_id"], g["if"]["filter_query"].split()[-2]): g["backgroundColor"] for g in gaya}
    assert warna[("pendapatan__ubah", ">")] == banding.WARNA_BAIK
    assert warna[("pendapatan__ubah", "<")] == banding.WARNA_BURUK
    # fewer ineligible participants is better: a fall is green
    assert warna[("peserta_tidak_memenuhi_syarat__ubah", "<")] == banding.WARNA_BAIK
    assert not [k for k in warna if k[0] == "upt_diharapkan__ubah"]  # no good direction: uncoloured


def test_banding_page_roles(gudang):
    teks = _teks(render_halaman(gudang, KW01, "/banding", {"periode": "2024Q3"}))
    assert "Banding Triwulan" in teks
    assert "tabel-banding" in _ids(render_halaman(gudang, KW01, "/banding", {"periode": "2024Q3"}))
    assert "Tidak berwenang" in _teks(render_halaman(gudang, UPT4, "/banding", {"periode": "2024Q3"}))
    assert "Pilih Kanwil" in _teks(render_halaman(gudang, PUSAT, "/banding", {"periode": "2024Q3"}))
