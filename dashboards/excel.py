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
from dashboards.indikator import KOLOM_KPI, PERINGKAT, jenis_kolom, kosong_belum_melapor, label_kolom

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
    formats = format_angka(wb)
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
        tulis_tabel(ws, baris, df, formats, f_head)
    wb.close()
    return buf.getvalue()


# Excel number formats are stored with the US separators and shown in the reader's locale: an
# Indonesian Excel/LibreOffice writes 1.250.000 and 81,3%. Changes carry their sign; a change of a
# rate is in percentage points (a number, x100) with the unit in the format, never text.
_FORMAT_ANGKA = {
    "rupiah": '"Rp "#,##0', "persen": "0.0%", "angka": "#,##0", "desimal": "#,##0.0#",
    "tanggal": "dd/mm/yyyy", "waktu": "dd/mm/yyyy hh:mm", "bulan": "mmm yyyy",
    "poin": '+0.0" poin";-0.0" poin";0.0" poin"', "rupiah_tanda": '+"Rp "#,##0;-"Rp "#,##0;"Rp "0',
    "angka_tanda": "+#,##0;-#,##0;0", "desimal_tanda": "+#,##0.0#;-#,##0.0#;0",
}
# A frame may name, in df.attrs["jenis_baris"], a column holding each row's kind (persen, rupiah, ...)
# and the columns formatted by it (value columns; change columns get the signed variant): the report's
# tables with one indicator per row keep numbers typed with the right format on every row.
JENIS_BARIS = "jenis_baris"


def format_angka(wb) -> dict:
    return {k: wb.add_format({"num_format": v}) for k, v in _FORMAT_ANGKA.items()}


def jenis_perubahan(jenis: str) -> str:
    return {"persen": "poin", "rupiah": "rupiah_tanda", "angka": "angka_tanda"}.get(jenis, "desimal_tanda")


def kolom_tampil(df: pd.DataFrame) -> list[str]:
    """The columns a table shows (the per-row kind column is metadata)."""
    spek = df.attrs.get(JENIS_BARIS)
    return [c for c in df.columns if not spek or c != spek[0]]


def judul_kolom(c: str) -> str:
    """A column's header: the label of a warehouse column; a column already named for the reader as is."""
    c = str(c)
    return c if (" " in c or c[:1].isupper()) else label_kolom(c)


def tulis_tabel(ws, baris: int, df: pd.DataFrame, formats: dict, f_head) -> None:
    """A header row at ``baris`` and the frame below it, numbers typed, with autofilter and frozen header."""
    kolom = kolom_tampil(df)
    spek = df.attrs.get(JENIS_BARIS)
    for j, c in enumerate(kolom):
        ws.write_string(baris, j, fmt.netralkan_formula(judul_kolom(c)), f_head)
        ws.set_column(j, j, max(12, min(45, len(judul_kolom(c)) + 4)))
    ws.freeze_panes(baris + 1, 0)
    for i, rec in enumerate(df.to_dict("records"), start=baris + 1):
        for j, c in enumerate(kolom):
            v = rec[c]
            if spek and c in spek[1]:
                jenis = rec[spek[0]]
                f = formats.get(jenis_perubahan(jenis) if c in spek[2] else jenis)
                if fmt.kosong(v) and jenis != "persen" and c not in spek[2]:
                    ws.write_string(i, j, fmt.BELUM_MELAPOR)
                else:
                    tulis_sel(ws, i, j, v, f)
                continue
            if fmt.kosong(v) and kosong_belum_melapor(str(c)):
                ws.write_string(i, j, fmt.BELUM_MELAPOR)  # an empty count or sum: not reported, never 0
                continue
            f = formats.get(jenis_kolom(str(c)))
            if f is None and isinstance(v, (dt.date, pd.Timestamp)):  # a date column named for the reader
                f = formats["waktu" if isinstance(v, (dt.datetime, pd.Timestamp)) else "tanggal"]
            tulis_sel(ws, i, j, v, f)
    ws.autofilter(baris, 0, baris + len(df), len(kolom) - 1)


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
    """What the quarterly monev report holds, whatever the file format (XLSX here, PDF in pdf.py).

    Built for the *unit and period* only, with that unit's own scope, never the downloader's: the
    same unit and period give the same document whoever downloads it (Ditjenpas, the Kanwil, the UPT).
    """

    tingkat: str  # kanwil | upt
    kode: str
    judul: str
    keterangan: list[str]
    lembar: list[tuple[str, pd.DataFrame]]
    nama: str = ""
    periode: str = ""
    periode_lalu: str | None = None
    grafik: pd.DataFrame | None = None  # unit x key rate, this period and the previous
    tanda_tangan: list[tuple[str, str]] = ()  # (role line, office) per signature, left to right
    tempat: str = ""
    data_per: dt.datetime | None = None


GRAFIK_KUNCI = ("tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7",
                "rasio_setor_pnbp")


def _jenis(kolom: str) -> str:
    return jenis_kolom(kolom) if jenis_kolom(kolom) in ("persen", "rupiah", "angka", "desimal") else "desimal"


def _selisih(kolom: str, baru, lama):
    if fmt.kosong(baru) or fmt.kosong(lama):
        return None
    d = float(baru) - float(lama)
    return d * 100 if _jenis(kolom) == "persen" else d


def _kolom_periode(periode: str, lalu: str | None) -> tuple[str, str, str]:
    ini = fmt.label_periode(periode)
    sebelum = fmt.label_periode(lalu) if lalu else "Periode sebelumnya"
    return ini, sebelum if sebelum != ini else f"{sebelum} (sebelumnya)", "Perubahan"


def ringkasan_laporan(gudang: Gudang, pr: Pengguna, f: Pilihan, periode: str, lalu: str | None) -> pd.DataFrame:
    """Every indicator of the unit: this period, the previous one and the change, as numbers."""
    per = [x for x in (periode, lalu) if x]
    df = gudang.indikator(pr, f, per).set_index("periode")
    ini, sebelum, ubah = _kolom_periode(periode, lalu)
    rows = []
    for kolom in KOLOM_KPI:
        now = df.at[periode, kolom] if periode in df.index else None
        prev = df.at[lalu, kolom] if lalu and lalu in df.index else None
        rows.append({"Indikator": label_kolom(kolom), "_jenis": _jenis(kolom), ini: _float(now), sebelum: _float(prev),
                     ubah: _selisih(kolom, now, prev)})
    out = pd.DataFrame(rows)
    out.attrs[JENIS_BARIS] = ("_jenis", (ini, sebelum, ubah), (ubah,))
    return out


def upt_x_indikator(gudang: Gudang, pr: Pengguna, f: Pilihan, periode: str, lalu: str | None) -> pd.DataFrame:
    """UPT x indicator: one row per UPT of the unit and indicator, this period, the previous one, the change."""
    now = gudang.indikator_upt(pr, f, periode).set_index("kode_upt")
    prev = gudang.indikator_upt(pr, f, lalu).set_index("kode_upt") if lalu else pd.DataFrame()
    ini, sebelum, ubah = _kolom_periode(periode, lalu)
    rows = []
    for kode, r in now.iterrows():
        for kolom in KOLOM_KPI:
            b = prev.at[kode, kolom] if kode in prev.index else None
            rows.append({"Kode UPT": kode, "Nama UPT": r["nama_upt"], "Indikator": label_kolom(kolom),
                         "_jenis": _jenis(kolom), ini: _float(r[kolom]), sebelum: _float(b),
                         ubah: _selisih(kolom, r[kolom], b)})
    out = pd.DataFrame(rows, columns=["Kode UPT", "Nama UPT", "Indikator", "_jenis", ini, sebelum, ubah])
    out.attrs[JENIS_BARIS] = ("_jenis", (ini, sebelum, ubah), (ubah,))
    return out


def grafik_laporan(gudang: Gudang, pr: Pengguna, f: Pilihan, periode: str, lalu: str | None) -> pd.DataFrame:
    """The key rates per UPT of the unit, this period and the previous (the report's charts)."""
    now = gudang.indikator_upt(pr, f, periode)
    if now.empty:
        return now
    out = now[["kode_upt", "nama_upt", *GRAFIK_KUNCI]].copy()
    if lalu:
        prev = gudang.indikator_upt(pr, f, lalu)
        if not prev.empty:
            out = out.merge(prev[["kode_upt", *GRAFIK_KUNCI]].rename(columns={k: f"{k}__lalu" for k in GRAFIK_KUNCI}),
                            on="kode_upt", how="left")
    for k in GRAFIK_KUNCI:
        if f"{k}__lalu" not in out:
            out[f"{k}__lalu"] = None
    return out


def _float(v):
    return None if fmt.kosong(v) else float(v)


def register_aktif():
    """The follow-up register of the running app (its app database), or None outside the app."""
    try:
        import flask

        if flask.has_app_context() and flask.current_app.config.get("MONEV_APPDB"):
            from dashboards.tindak_lanjut import Register

            return Register(flask.current_app.config["MONEV_APPDB"])
    except ImportError:  # pragma: no cover
        pass
    return None


def isi_laporan(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str, register=None) -> IsiLaporan:
    """The report's sections for one Kanwil or UPT and one period.

    ``tingkat='kanwil'``: for Kanwil ``f.kanwil`` (or the user's own Kanwil); ``'upt'``: for UPT
    ``f.upt`` (or the user's own UPT). The downloader ``p`` must be allowed to see the unit; the
    content is then read with the unit's own scope and no other filter of the page, so it does not
    depend on who downloads it. Sections: Ringkasan, UPT x Indikator, Temuan, Peringkat UPT, PNBP per
    UPT, PNBP per bulan, Kualitas Data, File ditolak, Revisi, and Tindak lanjut: the follow-ups
    (``register``, default: the running app's) on the unit's findings of this and earlier periods,
    open and closed, so the next quarter's report shows what became of the last one's findings.
    """
    if tingkat == "kanwil":
        if p.role == "upt":  # it would carry the Kanwil's name over one UPT's figures
            raise TidakBerwenang("Laporan Kanwil hanya dapat dibuat oleh akun Ditjenpas atau Kanwil.")
        kode = f.kanwil or (p.scope if p.role == "kanwil" else None)
        if not kode:
            raise TidakBerwenang("Pilih Kanwil terlebih dahulu untuk membuat laporan Kanwil.")
        gudang.periksa_akses(p, Pilihan(periode=periode, kanwil=kode))
        pr = Pengguna(f"laporan:{kode}", "kanwil", kode)
        f = Pilihan(periode=periode, kanwil=kode)
        kw = gudang.daftar_kanwil(pr).set_index("kode_kanwil")
        nama = kw.nama_kanwil.get(kode, kode)
        tempat = str(kw.provinsi.get(kode) or "")
        tanda_tangan = [("Kepala Kantor Wilayah", nama)]
    elif tingkat == "upt":
        kode = f.upt or (p.scope if p.role == "upt" else None)
        if not kode:
            raise TidakBerwenang("Pilih UPT terlebih dahulu untuk membuat laporan UPT.")
        info = gudang.info_upt(p, kode)  # the downloader's scope check
        pr = Pengguna(f"laporan:{kode}", "upt", kode)
        f = Pilihan(periode=periode, upt=kode)
        nama = info["nama_upt"]
        tempat = str(info.get("provinsi") or "")
        # Reporting (standard, section i): signed by the head of the UPT, verified by the Kanwil.
        tanda_tangan = [("Diverifikasi oleh Kepala Kantor Wilayah", str(info.get("nama_kanwil") or "")),
                        (f"Kepala {info.get('jenis_upt') or 'UPT'}".replace("LAPAS", "Lapas").replace("RUTAN", "Rutan"),
                         nama)]
    else:
        raise ValueError(tingkat)
    lalu = gudang.periode_pembanding(pr, periode)["sebelumnya"]
    from dashboards.temuan import tabel_temuan  # temuan imports dash; keep excel importable without it

    peringkat = peringkat_upt(gudang, pr, f, periode, "kepatuhan_litmas_h7").drop(columns=["perubahan"], errors="ignore")
    lembar = [
        ("Ringkasan", ringkasan_laporan(gudang, pr, f, periode, lalu)),
        ("UPT x Indikator", upt_x_indikator(gudang, pr, f, periode, lalu)),
        ("Temuan", tabel_temuan(gudang.temuan(pr, f, periode))),
        ("Peringkat UPT", peringkat),
        ("PNBP per UPT", pnbp_per_upt(gudang, pr, f, periode)),
        ("PNBP per bulan", gudang.pnbp_per_bulan(pr, f, periode)),
        ("Kualitas Data", kualitas_per_upt(gudang, pr, f, periode)),
        ("File ditolak", gudang.file_ditolak(pr, f, periode)),
        ("Revisi", gudang.revisi(pr, f, periode)),
    ]
    register = register if register is not None else register_aktif()
    if register is not None:
        from dashboards.tindak_lanjut import tabel_laporan

        rtl = register.daftar(pr, kanwil=f.kanwil, upt=f.upt, sampai_periode=periode)
        lembar.insert(3, ("Tindak lanjut", tabel_laporan(rtl)))
    status = gudang.status()
    judul = f"Laporan Monev Kemandirian {fmt.label_periode(periode)} - {nama}"
    keterangan = [
        f"Unit: {nama} ({kode}). Periode: {fmt.label_periode(periode)}"
        + (f", dibandingkan dengan {fmt.label_periode(lalu)}." if lalu else "; belum ada periode sebelumnya."),
        f"Data per {fmt.format_tanggal(status.dimuat, jam=True)} (muatan terakhir yang diterbitkan)." if status.dimuat
        else "Sumber: gudang data Monev Kemandirian.",
        "Sumber: gudang data Monev Kemandirian (indikator sesuai Kamus KPI versi 2). Perubahan tingkat (rasio) dalam "
        "poin persentase.",
        # coverage beside the figures and the provisional mark with its reason (KPI_DICTIONARY v2)
        *(t for t in teks_cakupan(gudang.cakupan(pr, f, periode)) if t),
    ]
    return IsiLaporan(tingkat, kode, judul, keterangan, lembar, nama=nama, periode=periode, periode_lalu=lalu,
                      grafik=grafik_laporan(gudang, pr, f, periode, lalu), tanda_tangan=tanda_tangan, tempat=tempat,
                      data_per=status.dimuat)


def nama_file_laporan(isi: IsiLaporan, periode: str, ekstensi: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"laporan_monev_{isi.tingkat}_{isi.kode}_{periode}.{ekstensi}")


def ke_xlsx_laporan(isi: IsiLaporan) -> bytes:
    """The report as a workbook: a cover sheet (title, notes, charts, signature), one sheet per section.

    The file's properties carry the publication time, not the download time, so the same unit and
    period give the same bytes whoever downloads them."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "nan_inf_to_errors": False})
    tetap = isi.data_per or dt.datetime(2000, 1, 1)
    wb.set_properties({"title": isi.judul, "author": "Monev Kemandirian", "created": tetap})
    f_judul = wb.add_format({"bold": True, "font_size": 13})
    f_head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"})
    f_tebal = wb.add_format({"bold": True})
    formats = format_angka(wb)
    dipakai: set[str] = set()
    sampul = wb.add_worksheet(_nama_sheet("Laporan", dipakai))
    sampul.set_column(0, 0, 60)
    sampul.set_column(1, 3, 28)
    sampul.write_string(0, 0, fmt.netralkan_formula(isi.judul), f_judul)
    baris = 1
    for k in isi.keterangan:
        sampul.write_string(baris, 0, fmt.netralkan_formula(str(k)))
        baris += 1
    baris += 1
    sampul.write_string(baris, 0, "Isi laporan (satu lembar per bagian):", f_tebal)
    baris += 1
    for nama, df in isi.lembar:
        jumlah = 0 if df is None else len(df)
        sampul.write_string(baris, 0, f"{nama}")
        sampul.write_number(baris, 1, jumlah, formats["angka"])
        sampul.write_string(baris, 2, "baris")
        baris += 1
    baris += 1
    # Key charts: native Excel charts over a small data block of the cover sheet.
    g = isi.grafik
    if g is not None and not g.empty:
        sampul.write_string(baris, 0, "Data grafik: tingkat utama per UPT", f_tebal)
        baris += 1
        kepala = ["UPT"] + [x for k in GRAFIK_KUNCI for x in (f"{label_kolom(k)} ({fmt.label_periode(isi.periode)})",
                                                                 f"{label_kolom(k)} (sebelumnya)")]
        for j, h in enumerate(kepala):
            sampul.write_string(baris, j, h, f_head)
        awal = baris + 1
        for i, r in enumerate(g.to_dict("records"), start=awal):
            sampul.write_string(i, 0, fmt.netralkan_formula(str(r["nama_upt"])))
            for j, k in enumerate(GRAFIK_KUNCI):
                tulis_sel(sampul, i, 1 + 2 * j, r[k], formats["persen"])
                tulis_sel(sampul, i, 2 + 2 * j, r[f"{k}__lalu"], formats["persen"])
        akhir = awal + len(g) - 1
        nama_s = sampul.get_name()
        for j, k in enumerate(GRAFIK_KUNCI[:2]):
            ch = wb.add_chart({"type": "bar"})
            for off, nm in ((2, "sebelumnya"), (1, fmt.label_periode(isi.periode))):
                ch.add_series({"name": nm, "categories": [nama_s, awal, 0, akhir, 0],
                               "values": [nama_s, awal, off + 2 * j, akhir, off + 2 * j]})
            ch.set_title({"name": label_kolom(k)})
            ch.set_x_axis({"num_format": "0%", "min": 0})
            ch.set_size({"width": 520, "height": max(240, 26 * len(g) + 100)})
            sampul.insert_chart(akhir + 2, 4 * j, ch)
        baris = akhir + 2 + max(14, (26 * len(g) + 100) // 20 + 2)
    baris = _tulis_tanda_tangan_xlsx(sampul, baris, isi, f_tebal)
    for nama, df in isi.lembar:
        ws = wb.add_worksheet(_nama_sheet(nama, dipakai))
        ws.write_string(0, 0, fmt.netralkan_formula(f"{isi.judul}: {nama}"), f_judul)
        if df is None or df.empty:
            ws.write_string(2, 0, "Tidak ada data untuk pilihan ini.")
            continue
        tulis_tabel(ws, 2, df, formats, f_head)
    wb.close()
    return buf.getvalue()


def teks_tanda_tangan(isi: IsiLaporan) -> tuple[str, list[tuple[str, str]]]:
    """(place and date line, [(role, office)]): the place is the unit's province; the date is left for the signer."""
    tempat = f"{isi.tempat or '....................'}, ...................."
    return tempat, list(isi.tanda_tangan)


def _tulis_tanda_tangan_xlsx(ws, baris: int, isi: IsiLaporan, f_tebal) -> int:
    tempat, blok = teks_tanda_tangan(isi)
    ws.write_string(baris, 1 if len(blok) == 1 else 0, fmt.netralkan_formula(tempat))
    baris += 1
    for j, (jabatan, kantor) in enumerate(blok):
        kol = j if len(blok) > 1 else 1
        ws.write_string(baris, kol, fmt.netralkan_formula(jabatan), f_tebal)
        ws.write_string(baris + 1, kol, fmt.netralkan_formula(kantor))
        ws.write_string(baris + 5, kol, "( ................................ )")
        ws.write_string(baris + 6, kol, "NIP. ..............................")
    return baris + 8


def laporan_monev(gudang: Gudang, p: Pengguna, f: Pilihan, periode: str, tingkat: str,
                  register=None) -> tuple[str, bytes]:
    """The quarterly monev report as a workbook (see :func:`isi_laporan`, :func:`ke_xlsx_laporan`)."""
    isi = isi_laporan(gudang, p, f, periode, tingkat, register)
    return nama_file_laporan(isi, periode, "xlsx"), ke_xlsx_laporan(isi)
