"""The quarterly monev report as a PDF a Kanwil officer can print, sign and hand on.

Same content and the same scope checks as the workbook (:func:`dashboards.excel.isi_laporan`):
one section per sheet, numbers written the Indonesian way (``Rp 1.250.000``, ``81,3%``), A4
landscape, page numbers. Every text that comes from the data (names, file names, reasons) is
escaped before it reaches reportlab's paragraph markup, so ``<b>`` or ``&`` in a file name stays
text and cannot break the document. Long sections are cut at :data:`BARIS_MAKS` rows with a note
pointing to the workbook, which always has every row.
"""

from __future__ import annotations

import io

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from dashboards import fmt
from dashboards.aman import teks_aman as escape  # the one escaping function for export text
from dashboards.components import nilai_tampil
from dashboards.data import Gudang, Pengguna, Pilihan
from dashboards.excel import isi_laporan, nama_file_laporan
from dashboards.indikator import JENIS_ANGKA, jenis_kolom, kosong_belum_melapor, label_kolom

BARIS_MAKS = 150
HALAMAN = landscape(A4)
TEPI = 12 * mm

_GAYA = getSampleStyleSheet()
JUDUL = ParagraphStyle("judul", parent=_GAYA["Title"], fontSize=15, leading=19, spaceAfter=4, alignment=0)
SUB = ParagraphStyle("sub", parent=_GAYA["Normal"], fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
BAGIAN = ParagraphStyle("bagian", parent=_GAYA["Heading2"], fontSize=11, leading=14, spaceBefore=10, spaceAfter=4)
SEL = ParagraphStyle("sel", parent=_GAYA["Normal"], fontSize=7, leading=8.5)
SEL_ANGKA = ParagraphStyle("sel_angka", parent=SEL, alignment=TA_RIGHT)
KEPALA = ParagraphStyle("kepala", parent=SEL, fontName="Helvetica-Bold")
CATATAN = ParagraphStyle("catatan", parent=SUB, fontSize=7.5, textColor=colors.HexColor("#777777"))

# Sections whose frame mixes kinds of value in one column (the workbook keeps the raw numbers for
# calculation); on paper only the columns already written the Indonesian way.
KOLOM_CETAK = {"Ringkasan": ["label", "nilai_periode", "vs_sebelumnya", "vs_tahun_lalu"]}


def teks_sel(kolom: str, nilai) -> str:
    """A cell as the report shows it (the same formats as the dashboards' tables)."""
    if fmt.kosong(nilai):
        return fmt.BELUM_MELAPOR if kosong_belum_melapor(kolom) else fmt.KOSONG
    jenis = jenis_kolom(kolom)
    try:
        if jenis == "rupiah":
            return fmt.format_rupiah(nilai)
        if jenis == "persen":
            return fmt.format_persen(nilai)
        if jenis in ("angka", "desimal"):
            return fmt.format_angka(nilai, 1 if jenis == "desimal" else 0)
    except (TypeError, ValueError):
        return str(nilai)
    return str(nilai_tampil(nilai, jenis))  # dates, months, yes/no, text: as on screen


def _lebar_kolom(kolom: list[str], teks: list[list[str]], total: float) -> list[float]:
    """Widths in proportion to each column's longest text (capped), filling the page width."""
    bobot = []
    for j, c in enumerate(kolom):
        contoh = [baris[j] for baris in teks[:200]]
        panjang = max([len(label_kolom(c)) * 0.7] + [len(t) for t in contoh])
        # never narrower than the longest word (a code such as UPT0001 must not break), header included
        kata = max(len(w) for t in [label_kolom(c), *contoh] for w in (t.split() or [""]))
        bobot.append(min(max(panjang, kata + 1.5, 5.0), 45.0))
    jumlah = sum(bobot)
    return [total * b / jumlah for b in bobot]


def _tabel(df: pd.DataFrame) -> list:
    kolom = list(df.columns)
    potong = len(df) > BARIS_MAKS
    bagian = df.head(BARIS_MAKS)
    teks = [[teks_sel(c, v) for c, v in zip(kolom, rec)] for rec in bagian.itertuples(index=False)]
    angka = [jenis_kolom(c) in JENIS_ANGKA for c in kolom]
    isi = [[Paragraph(escape(label_kolom(c)), KEPALA) for c in kolom]]
    isi += [[Paragraph(escape(t), SEL_ANGKA if angka[j] else SEL) for j, t in enumerate(baris)] for baris in teks]
    tabel = LongTable(isi, colWidths=_lebar_kolom(kolom, teks, HALAMAN[0] - 2 * TEPI), repeatRows=1)
    tabel.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ced6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8f9fb")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    out = [tabel]
    if potong:
        out.append(Paragraph(f"Ditampilkan {fmt.format_angka(BARIS_MAKS)} dari {fmt.format_angka(len(df))} baris; "
                             "semua baris ada di laporan XLSX.", CATATAN))
    return out


def ke_pdf(judul: str, keterangan: list[str], lembar: list[tuple[str, pd.DataFrame]]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=HALAMAN, leftMargin=TEPI, rightMargin=TEPI, topMargin=TEPI,
                            bottomMargin=TEPI, title=judul, author="Monev Kemandirian", subject=judul)
    isi: list = [Paragraph(escape(judul), JUDUL)]
    isi += [Paragraph(escape(k), SUB) for k in keterangan]
    isi.append(Spacer(1, 4 * mm))
    for nama, df in lembar:
        isi.append(Paragraph(escape(nama), BAGIAN))
        if df is None or df.empty:
            isi.append(Paragraph("Tidak ada data untuk bagian ini.", CATATAN))
        else:
            isi += _tabel(df[[c for c in KOLOM_CETAK[nama] if c in df.columns]] if nama in KOLOM_CETAK else df)

    def kaki(canvas, d):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(TEPI, 7 * mm, judul[:150])
        canvas.drawRightString(HALAMAN[0] - TEPI, 7 * mm, f"Halaman {d.page}")
        canvas.restoreState()

    doc.build(isi, onFirstPage=kaki, onLaterPages=kaki)
    return buf.getvalue()


def laporan_monev_pdf(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str) -> tuple[str, bytes]:
    """The quarterly monev report for a Kanwil or UPT as PDF (content and scope as the XLSX)."""
    isi = isi_laporan(gudang, p, f, periode, tingkat)
    return nama_file_laporan(isi, periode, "pdf"), ke_pdf(isi.judul, isi.keterangan, isi.lembar)
