"""Excel exports: any table, and the quarterly monev report per Kanwil / per UPT.

Every text cell goes through :func:`dashboards.fmt.netralkan_formula` and is written with
``write_string`` (the workbook also has ``strings_to_formulas`` off), so a file name such as
``=HYPERLINK(...)`` reaching a report stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Iterable

import pandas as pd
import xlsxwriter

from dashboards import fmt
from dashboards.data import Gudang, Pengguna, Pilihan, TidakBerwenang
from dashboards.analisis import kualitas_per_upt, peringkat_upt, pnbp_per_upt, ringkasan_indikator, teks_cakupan
from dashboards.indikator import PERINGKAT, jenis_kolom, kosong_belum_melapor, label_kolom

_NAMA_SHEET_TERLARANG = set('[]:*?/\\')


def _nama_sheet(nama: str, dipakai: set[str]) -> str:
    bersih = "".join("_" if c in _NAMA_SHEET_TERLARANG else c for c in nama).strip("'")[:31] or "Data"
    hasil, i = bersih, 2
    while hasil.lower() in dipakai:
        hasil = f"{bersih[:28]}_{i}"
        i += 1
    dipakai.add(hasil.lower())
    return hasil


def ke_xlsx(lembar: Iterable[tuple[str, pd.DataFrame]], judul: str | None = None,
            keterangan: Iterable[str] = ()) -> bytes:
    """Write ``(sheet name, DataFrame)`` pairs to an XLSX file; returns its bytes.

    Columns get Indonesian headers; Rupiah, percentages and dates keep their numeric
    type with an Excel number format, so the officer can still compute with them.
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "nan_inf_to_errors": False})
    f_judul = wb.add_format({"bold": True, "font_size": 13})
    f_head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"})
    formats = {
        "rupiah": wb.add_format({"num_format": '"Rp "#,##0'}),
        "persen": wb.add_format({"num_format": "0.0%"}),
        "angka": wb.add_format({"num_format": "#,##0"}),
        "desimal": wb.add_format({"num_format": "#,##0.0#"}),
        "tanggal": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "waktu": wb.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "bulan": wb.add_format({"num_format": "mmm yyyy"}),
    }
    dipakai: set[str] = set()
    for nama, df in lembar:
        ws = wb.add_worksheet(_nama_sheet(nama, dipakai))
        baris = 0
        if judul:
            ws.write_string(baris, 0, fmt.netralkan_formula(f"{judul}: {nama}"), f_judul)
            baris += 1
            for k in keterangan:
                ws.write_string(baris, 0, fmt.netralkan_formula(str(k)))
                baris += 1
            baris += 1
        if df is None or df.empty:
            ws.write_string(baris, 0, "Tidak ada data untuk pilihan ini.")
            continue
        kolom = list(df.columns)
        for j, c in enumerate(kolom):
            ws.write_string(baris, j, fmt.netralkan_formula(label_kolom(str(c))), f_head)
            ws.set_column(j, j, max(12, min(45, len(label_kolom(str(c))) + 4)))
        ws.freeze_panes(baris + 1, 0)
        for i, rec in enumerate(df.itertuples(index=False), start=baris + 1):
            for j, (c, v) in enumerate(zip(kolom, rec)):
                if fmt.kosong(v) and kosong_belum_melapor(str(c)):
                    ws.write_string(i, j, fmt.BELUM_MELAPOR)  # an empty count or sum: not reported, never 0
                    continue
                tulis_sel(ws, i, j, v, formats.get(jenis_kolom(str(c))))
        ws.autofilter(baris, 0, baris + len(df), len(kolom) - 1)
    wb.close()
    return buf.getvalue()


def tulis_sel(ws, i: int, j: int, v, number_format=None) -> None:
    """Write one cell: text neutralised and written as text, numbers/dates typed, NULL blank."""
    if fmt.kosong(v):
        ws.write_blank(i, j, None)
    elif isinstance(v, bool):
        ws.write_string(i, j, "Ya" if v else "Tidak")
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(i, j, float(v), number_format)
    elif isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), number_format)
    elif hasattr(v, "__float__") and not isinstance(v, str):  # Decimal, numpy numbers
        ws.write_number(i, j, float(v), number_format)
    else:
        ws.write_string(i, j, fmt.netralkan_formula(str(v)))


# ---------------------------------------------------------------------- the quarterly report
@dataclass(frozen=True)
class IsiLaporan:
    """What the quarterly monev report holds, whatever the file format (XLSX here, PDF in pdf.py)."""

    tingkat: str  # kanwil | upt
    kode: str
    judul: str
    keterangan: list[str]
    lembar: list[tuple[str, pd.DataFrame]]


def isi_laporan(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str) -> IsiLaporan:
    """The report's sections for one Kanwil or UPT, read with the user's scope.

    ``tingkat='kanwil'``: for Kanwil ``f.kanwil`` (or the user's own Kanwil); ``'upt'``: for
    UPT ``f.upt`` (or the user's own UPT). Sections: Ringkasan, Peringkat UPT, PNBP per UPT,
    PNBP per bulan, Kualitas Data, File ditolak, Revisi.
    """
    if tingkat == "kanwil":
        if p.role == "upt":  # it would carry the Kanwil's name over one UPT's figures
            raise TidakBerwenang("Laporan Kanwil hanya dapat dibuat oleh akun Ditjenpas atau Kanwil.")
        kode = f.kanwil or (p.scope if p.role == "kanwil" else None)
        if not kode:
            raise TidakBerwenang("Pilih Kanwil terlebih dahulu untuk membuat laporan Kanwil.")
        f = Pilihan(periode=periode, kanwil=kode, jenis_upt=f.jenis_upt, kelas=f.kelas)
        gudang.periksa_akses(p, f)
        nama = gudang.daftar_kanwil(p).set_index("kode_kanwil").nama_kanwil.get(kode, kode)
    elif tingkat == "upt":
        kode = f.upt or (p.scope if p.role == "upt" else None)
        if not kode:
            raise TidakBerwenang("Pilih UPT terlebih dahulu untuk membuat laporan UPT.")
        f = Pilihan(periode=periode, upt=kode)
        nama = gudang.info_upt(p, kode)["nama_upt"]
    else:
        raise ValueError(tingkat)
    kolom_peringkat = f.indikator if f.indikator in PERINGKAT else "kepatuhan_litmas_h7"
    lembar = [
        ("Ringkasan", ringkasan_indikator(gudang, p, f, periode)),
        ("Peringkat UPT", peringkat_upt(gudang, p, f, periode, kolom_peringkat)),
        ("PNBP per UPT", pnbp_per_upt(gudang, p, f, periode)),
        ("PNBP per bulan", gudang.pnbp_per_bulan(p, f, periode)),
        ("Kualitas Data", kualitas_per_upt(gudang, p, f, periode)),
        ("File ditolak", gudang.file_ditolak(p, f, periode)),
        ("Revisi", gudang.revisi(p, f, periode)),
    ]
    judul = f"Laporan Monev Kemandirian {fmt.label_periode(periode)} - {nama}"
    keterangan = [
        f"Dibuat {fmt.format_tanggal(dt.datetime.now(), jam=True)} oleh {p.username}",
        "Sumber: gudang data Monev Kemandirian (indikator sesuai Kamus KPI versi 2).",
        # coverage beside the figures and the provisional mark with its reason (KPI_DICTIONARY v2)
        *(t for t in teks_cakupan(gudang.cakupan(p, f, periode)) if t),
    ]
    return IsiLaporan(tingkat, kode, judul, keterangan, lembar)


def nama_file_laporan(isi: IsiLaporan, periode: str, ekstensi: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"laporan_monev_{isi.tingkat}_{isi.kode}_{periode}.{ekstensi}")


def laporan_monev(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str) -> tuple[str, bytes]:
    """The quarterly monev report as a workbook, one sheet per section (see :func:`isi_laporan`)."""
    isi = isi_laporan(gudang, p, f, periode, tingkat)
    return nama_file_laporan(isi, periode, "xlsx"), ke_xlsx(isi.lembar, judul=isi.judul, keterangan=isi.keterangan)
