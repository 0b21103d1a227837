"""The quarterly monev report as a PDF a Kanwil officer can print, sign and hand on.

Same content and the same scope checks as the workbook (:func:`dashboards.excel.isi_laporan`):
one section per sheet, numbers written the Indonesian way (``Rp 1.250.000``, ``81,3%``), A4
landscape, page numbers. Every text that comes from the data (names, file names, reasons) is
escaped before it reaches reportlab's paragraph markup, so ``<b>`` or ``&`` in a file name stays
text and cannot break the document. Long sections are cut at :data:`BARIS_MAKS` rows with a note
pointing to the workbook, which always has every row.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboards import fmt
from dashboards.aman import teks_aman as escape  # the one escaping function for export text
from dashboards.components import nilai_tampil
from dashboards.data import Gudang, Pengguna, Pilihan
from dashboards.excel import GRAFIK_KUNCI, JENIS_BARIS, IsiLaporan, isi_laporan, judul_kolom, kolom_tampil, nama_file_laporan, teks_tanda_tangan
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

KOLOM_CETAK: dict[str, list[str]] = {}


def teks_sel(kolom: str, nilai) -> str:
    """A cell as the report shows it (the same formats as the dashboards' tables)."""
    if fmt.kosong(nilai):
        return fmt.BELUM_MELAPOR if kosong_belum_melapor(kolom) else fmt.KOSONG
    jenis = jenis_kolom(kolom)
    if jenis == "teks" and isinstance(nilai, (dt.date, pd.Timestamp)):  # a date column named for the reader
        return fmt.format_tanggal(nilai, jam=isinstance(nilai, (dt.datetime, pd.Timestamp)))
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


def teks_sel_baris(jenis: str, ubah: bool, nilai) -> str:
    """A cell of a table with one indicator per row (its kind given by the row)."""
    if fmt.kosong(nilai):
        return fmt.KOSONG if (ubah or jenis == "persen") else fmt.BELUM_MELAPOR
    if ubah:
        v = float(nilai)
        tanda = "+" if v > 0 else ""
        if jenis == "persen":
            return f"{tanda}{fmt.format_angka(v, 1)} poin"
        if jenis == "rupiah":
            return ("+" if v > 0 else "") + fmt.format_rupiah(v)
        return f"{tanda}{fmt.format_angka(v, 0 if jenis == 'angka' else 1)}"
    if jenis == "persen":
        return fmt.format_persen(nilai)
    if jenis == "rupiah":
        return fmt.format_rupiah(nilai)
    return fmt.format_angka(nilai, 0 if jenis == "angka" else 1)


def _tabel(df: pd.DataFrame) -> list:
    kolom = kolom_tampil(df)
    spek = df.attrs.get(JENIS_BARIS)
    potong = len(df) > BARIS_MAKS
    bagian = df.head(BARIS_MAKS)
    teks = []
    for rec in bagian.to_dict("records"):
        if spek:
            teks.append([teks_sel_baris(rec[spek[0]], c in spek[2], rec[c]) if c in spek[1] else teks_sel(c, rec[c])
                         for c in kolom])
        else:
            teks.append([teks_sel(c, rec[c]) for c in kolom])
    angka = [jenis_kolom(c) in JENIS_ANGKA or bool(spek and c in spek[1]) for c in kolom]
    isi = [[Paragraph(escape(judul_kolom(c)), KEPALA) for c in kolom]]
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


def _matriks(df: pd.DataFrame, per_tabel: int = 5) -> list:
    """UPT x indicator on paper: UPTs down, indicators across in groups of ``per_tabel``, each cell
    "this period (change)"; the workbook has the long form with every number."""
    spek = df.attrs.get(JENIS_BARIS)
    if df.empty or not spek:
        return _tabel(df)
    ini, _sebelum, ubah = spek[1]
    urutan = list(dict.fromkeys(df["Indikator"]))
    jenis = dict(zip(df["Indikator"], df["_jenis"]))
    upt = list(dict.fromkeys(zip(df["Kode UPT"], df["Nama UPT"])))
    sel = {(r["Kode UPT"], r["Indikator"]): r for r in df.to_dict("records")}
    out = [Paragraph(f"Setiap sel: nilai {escape(ini)} (perubahan dari periode sebelumnya).", CATATAN)]
    for i in range(0, len(urutan), per_tabel):
        kel = urutan[i:i + per_tabel]
        isi = [[Paragraph("UPT", KEPALA)] + [Paragraph(escape(k), KEPALA) for k in kel]]
        for kode, nama in upt:
            baris = [Paragraph(escape(f"{nama} ({kode})"), SEL)]
            for k in kel:
                r = sel.get((kode, k), {})
                t = teks_sel_baris(jenis[k], False, r.get(ini))
                d = r.get(ubah)
                if not fmt.kosong(d):
                    t += f" ({teks_sel_baris(jenis[k], True, d)})"
                baris.append(Paragraph(escape(t), SEL_ANGKA))
            isi.append(baris)
        lebar = HALAMAN[0] - 2 * TEPI
        t = LongTable(isi, colWidths=[lebar * 0.25] + [lebar * 0.75 / len(kel)] * len(kel), repeatRows=1)
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ced6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        out += [t, Spacer(1, 3 * mm)]
    return out


def _grafik(isi: IsiLaporan) -> list:
    """Key charts: each key rate per UPT, this period against the previous (horizontal bars)."""
    g = isi.grafik
    if g is None or g.empty:
        return []
    out = [Paragraph("Grafik utama", BAGIAN)]
    lebar = (HALAMAN[0] - 2 * TEPI) / 2 - 4 * mm
    nama = [str(n)[:28] for n in g["nama_upt"]]
    sel = []
    for k in GRAFIK_KUNCI:
        tinggi = max(90.0, 14.0 * len(g) + 50)
        d = Drawing(lebar, tinggi + 24)
        d.add(String(0, tinggi + 12, label_kolom(k), fontName="Helvetica-Bold", fontSize=8))
        ch = HorizontalBarChart()
        ch.x, ch.y, ch.width, ch.height = 120, 22, lebar - 130, tinggi - 22
        now = [0.0 if fmt.kosong(v) else float(v) * 100 for v in g[k]]
        lalu = [0.0 if fmt.kosong(v) else float(v) * 100 for v in g[f"{k}__lalu"]]
        ch.data = [lalu, now]
        ch.categoryAxis.categoryNames = nama
        ch.categoryAxis.labels.fontSize = 6
        ch.categoryAxis.labels.boxAnchor = "e"
        ch.valueAxis.valueMin = 0
        ch.valueAxis.labels.fontSize = 6
        ch.valueAxis.labelTextFormat = lambda v: f"{fmt.format_angka(v)}%"
        ch.bars[0].fillColor = colors.HexColor("#aab7c4")
        ch.bars[1].fillColor = colors.HexColor("#1f4e79")
        d.add(ch)
        lg = Legend()
        lg.x, lg.y, lg.fontSize, lg.alignment = 120, 8, 6, "right"
        lg.columnMaximum, lg.dxTextSpace = 1, 3
        lg.colorNamePairs = [(colors.HexColor("#aab7c4"), "periode sebelumnya"),
                             (colors.HexColor("#1f4e79"), fmt.label_periode(isi.periode))]
        d.add(lg)
        sel.append(d)
    baris = [sel[i:i + 2] + [""] * (2 - len(sel[i:i + 2])) for i in range(0, len(sel), 2)]
    out.append(Table(baris, colWidths=[lebar + 4 * mm] * 2))
    out.append(Paragraph("UPT yang belum melapor digambar tanpa batang (bukan 0 yang sebenarnya); angka ada di tabel.",
                         CATATAN))
    return out


def _tanda_tangan(isi: IsiLaporan) -> list:
    tempat, blok = teks_tanda_tangan(isi)
    if not blok:
        return []
    kolom = []
    for jabatan, kantor in blok:
        kolom.append([Paragraph(escape(jabatan), SEL), Paragraph(escape(kantor), SEL), Spacer(1, 18 * mm),
                      Paragraph("( ................................................ )", SEL),
                      Paragraph("NIP. ..............................", SEL)])
    lebar = (HALAMAN[0] - 2 * TEPI) / 2
    baris_tempat = [""] * (len(blok) - 1) + [Paragraph(escape(tempat), SEL)]
    t = Table([baris_tempat, kolom], colWidths=[lebar] * len(blok) if len(blok) > 1 else [lebar],
              hAlign="RIGHT" if len(blok) == 1 else "CENTER")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [CondPageBreak(60 * mm), Spacer(1, 6 * mm), KeepTogether([Paragraph("Pengesahan", BAGIAN), t])]


def _kanvas_bernomor(judul: str):
    """A canvas writing "Halaman x dari N" (N known only at the end: pages are kept and numbered then)."""

    class KanvasBernomor(rl_canvas.Canvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._halaman = []

        def showPage(self):
            self._halaman.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            n = len(self._halaman)
            for st in self._halaman:
                self.__dict__.update(st)
                self.saveState()
                self.setFont("Helvetica", 7)
                self.setFillColor(colors.HexColor("#777777"))
                self.drawString(TEPI, 7 * mm, judul[:150])
                self.drawRightString(HALAMAN[0] - TEPI, 7 * mm, f"Halaman {self._pageNumber} dari {n}")
                self.restoreState()
                super().showPage()
            super().save()

    return KanvasBernomor


def ke_pdf(judul: str, keterangan: list[str], lembar: list[tuple[str, pd.DataFrame]],
           isi_laporan_: IsiLaporan | None = None) -> bytes:
    """A4 landscape: title, notes, (for the monev report: key charts), one section per frame,
    (signature block), "Halaman x dari N" on every page. Deterministic (reportlab invariant mode):
    the same content gives the same bytes."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=HALAMAN, leftMargin=TEPI, rightMargin=TEPI, topMargin=TEPI,
                            bottomMargin=TEPI, title=judul, author="Monev Kemandirian", subject=judul, invariant=1)
    isi: list = [Paragraph(escape(judul), JUDUL)]
    isi += [Paragraph(escape(k), SUB) for k in keterangan]
    isi.append(Spacer(1, 4 * mm))
    if isi_laporan_ is not None:
        isi += _grafik(isi_laporan_)
    for nama, df in lembar:
        isi.append(Paragraph(escape(nama), BAGIAN))
        if df is None or df.empty:
            isi.append(Paragraph("Tidak ada data untuk bagian ini.", CATATAN))
        elif nama == "UPT x Indikator":
            isi += _matriks(df)
        else:
            isi += _tabel(df[[c for c in KOLOM_CETAK[nama] if c in df.columns]] if nama in KOLOM_CETAK else df)
    if isi_laporan_ is not None:
        isi += _tanda_tangan(isi_laporan_)
    doc.build(isi, canvasmaker=_kanvas_bernomor(judul))
    return buf.getvalue()


def laporan_monev_pdf(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str,
                      register=None) -> tuple[str, bytes]:
    """The quarterly monev report for a Kanwil or UPT as PDF (content and scope as the XLSX)."""
    isi = isi_laporan(gudang, p, f, periode, tingkat, register)
    return nama_file_laporan(isi, periode, "pdf"), ke_pdf(isi.judul, isi.keterangan, isi.lembar, isi)
