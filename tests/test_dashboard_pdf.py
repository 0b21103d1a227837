"""The printable (PDF) quarterly monev report: the published figures written the Indonesian way,
the same scope as everything else, and data text that cannot break the document."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards.app import buat_unduhan  # noqa: E402
from dashboards.data import Pengguna, TidakBerwenang  # noqa: E402
from dashboards.pdf import BARIS_MAKS, ke_pdf  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
UPT4 = Pengguna("upt4", "upt", "UPT0004")


def teks_pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)


def persen(v: float) -> str:
    """81.25% written by hand the Indonesian way, independent of dashboards.fmt."""
    return f"{v * 100:.1f}".replace(".", ",") + "%"


def rupiah(v: float) -> str:
    return "Rp " + f"{round(v):,}".replace(",", ".")


def published(wh: Path, level: str, kode: str, periode: str = "2024Q3") -> dict:
    with duckdb.connect(str(wh), read_only=True) as con:
        df = con.execute("select * from kpi_indikator where level = ? and kode = ? and periode = ?",
                         [level, kode, periode]).df()
    return df.iloc[0].to_dict()


def test_kanwil_report_has_every_section_and_the_published_figures(wh, gudang):
    nama, data = buat_unduhan(gudang, KW01, "laporan_kanwil_pdf", {"periode": "2024Q3"})
    assert nama == "laporan_monev_kanwil_KW01_2024Q3.pdf"
    teks = teks_pdf(data)
    assert "Laporan Monev Kemandirian Triwulan III 2024 - Kanwil Aceh" in teks
    for bagian in ("Ringkasan", "Peringkat UPT", "PNBP per UPT", "PNBP per bulan", "Kualitas Data", "File ditolak", "Revisi"):
        assert bagian in teks, bagian
    k = published(wh, "kanwil", "KW01")
    baris = {ln.strip() for ln in teks.splitlines()}
    for kolom in ("tingkat_partisipasi_pelatihan", "kepatuhan_litmas_h7", "qc_pass_rate", "rasio_setor_pnbp"):
        assert persen(k[kolom]) in baris, (kolom, persen(k[kolom]))
    assert rupiah(float(k["pendapatan"])) in baris
    # Only the Kanwil's own UPTs, and no raw, unformatted rate (0.8125) anywhere.
    assert set(re.findall(r"UPT\d{4}", teks)) <= {"UPT0001", "UPT0002"}
    assert not re.search(r"\b0\.\d{3,}", teks)
    assert "Halaman 1" in teks


def test_upt_report_for_a_upt_account_is_its_own(gudang):
    nama, data = buat_unduhan(gudang, UPT4, "laporan_upt_pdf", {"periode": "2024Q3"})
    assert nama.endswith("_UPT0004_2024Q3.pdf")
    teks = teks_pdf(data)
    assert "Garut" in teks and set(re.findall(r"UPT\d{4}", teks)) == {"UPT0004"}


@pytest.mark.parametrize("p, kunci, nilai", [
    (KW01, "laporan_kanwil_pdf", {"periode": "2024Q3", "kanwil": "KW02"}),
    (KW01, "laporan_upt_pdf", {"periode": "2024Q3", "upt": "UPT0004"}),
    (UPT4, "laporan_upt_pdf", {"periode": "2024Q3", "upt": "UPT0003"}),
    (UPT4, "laporan_kanwil_pdf", {"periode": "2024Q3", "kanwil": "KW02"}),
    (UPT4, "laporan_kanwil", {"periode": "2024Q3", "kanwil": "KW02"}),  # the workbook alike
])
def test_reports_outside_the_scope_are_refused(gudang, p, kunci, nilai):
    with pytest.raises(TidakBerwenang):
        buat_unduhan(gudang, p, kunci, nilai)


def test_data_text_is_text_not_markup():
    """File names and reasons come from the field: markup, ampersands, formulas and non-Latin text."""
    df = pd.DataFrame({"path": ['<b>tebal</b> & <font size="40">=HYPERLINK("http://x")</font> 中文'],
                       "reason": ["baris 1\nbaris 2 <br/>"]})
    teks = teks_pdf(ke_pdf("Uji <i>judul</i> & co", ["ket <u>"], [("Bagian <x>", df)]))
    assert "Uji <i>judul</i> & co" in teks and "Bagian <x>" in teks
    assert '<b>tebal</b> & <font size="40">=HYPERLINK("http://x")</font>' in teks


def test_long_sections_are_cut_with_a_note_pointing_to_the_workbook():
    df = pd.DataFrame({"kode_upt": [f"UPT{i:04d}" for i in range(BARIS_MAKS + 25)]})
    teks = teks_pdf(ke_pdf("Uji", [], [("Panjang", df)]))
    kode = set(re.findall(r"UPT\d{4}", teks))
    assert len(kode) == BARIS_MAKS and f"UPT{BARIS_MAKS - 1:04d}" in kode and f"UPT{BARIS_MAKS:04d}" not in kode
    assert f"dari {BARIS_MAKS + 25} baris" in teks and "XLSX" in teks


def test_empty_sections_say_so():
    teks = teks_pdf(ke_pdf("Uji", [], [("Revisi", pd.DataFrame())]))
    assert "Tidak ada data untuk bagian ini." in teks
