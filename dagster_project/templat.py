"""XLSX templates per export kind, generated from spec.py and the shipped taxonomy.

Each workbook's FIRST sheet ("Data", the one the loader reads) holds only the header row: the
spec's column names, required ones bold on a coloured fill, each with a cell comment in
Indonesian (required or not, the format, the valid codes). Enumerated columns get a drop-down
list (data validation) of the valid codes, read from the same lists the loader checks against
(spec.ENUMS and the taxonomy seeds), on a hidden "Kode" sheet. A second sheet "Petunjuk" repeats
the guidance as a table. The help is deliberately NOT a second row of the data sheet: the loader
would read it as a data row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .config import SEEDS_DIR
from .spec import DATE_ORDER, ENUMS, KINDS, SPEC

ROWS_WITH_VALIDATION = 5000

FORMAT = {
    "text": "teks",
    "code": "kode (pilih dari daftar)",
    "date": "tanggal, hari dulu: 13/07/2024 atau 2024-07-13",
    "birth": "tanggal lahir, hari dulu: 13/07/1990 atau 1990-07-13",
    "int": "bilangan bulat, mis. 365 atau 1.250",
    "num": "angka, koma untuk desimal: 12,5",
    "rupiah": "Rupiah: 1250000, 1.250.000 atau Rp 1.250.000,50",
    "bool": "ya/tidak: Y/N, Ya/Tidak, 1/0",
    "nik": "NIK 16 digit (ketik sebagai teks agar digit tidak berubah)",
    "name": "nama lengkap (data pribadi: tidak disimpan)",
    "period": "bulan penjualan: YYYY-MM, mis. 2024-07",
}

MAKNA = {
    "no_registrasi": "nomor register, unik dalam UPT (mis. B.I-123/2024)",
    "kode_kegiatan": "kode kegiatan, unik dalam UPT",
    "no_batch": "nomor batch produksi",
    "no_transaksi": "nomor transaksi penjualan",
    "ntpn": "NTPN 16 karakter, unik nasional",
    "lama_pidana_hari": "lama pidana dalam hari (> 0)",
    "jumlah_setor": "jumlah disetor (> 0)",
    "jumlah_lolos_qc": "tidak boleh melebihi jumlah_produksi",
    "total": "harus sama dengan jumlah x harga_satuan (selisih maks. Rp 1)",
}


def _taxonomy() -> dict[str, list[str]]:
    """Codes of the enumerations that live in the taxonomy seeds (subbidang, industry dimensions)."""
    out: dict[str, list[str]] = {}
    with open(SEEDS_DIR / "taxonomy_subbidang.csv", encoding="utf-8-sig", newline="") as fh:
        out["subbidang"] = [r["kode_subbidang"].strip().upper() for r in csv.DictReader(fh)]
    with open(SEEDS_DIR / "taxonomy_industri.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["dimensi"].strip(), []).append(r["kode"].strip().upper())
    return out


def valid_codes(enum: str, taxonomy: dict[str, list[str]] | None = None) -> list[str]:
    if enum in ENUMS:
        return list(ENUMS[enum])
    return list((taxonomy if taxonomy is not None else _taxonomy()).get(enum, []))


def _help(kind_name: str, col, codes: list[str]) -> str:
    kind = SPEC[kind_name]
    parts = ["WAJIB diisi" if col.required else "boleh kosong", FORMAT[col.type]]
    if col.name in MAKNA:
        parts.append(MAKNA[col.name])
    if col.name in kind.key:
        parts.append("bagian dari kunci baris: tidak boleh ganda dalam file")
    for first, second in DATE_ORDER.get(kind_name, ()):
        if col.name == second:
            parts.append(f"tidak boleh sebelum {first}")
    for ref_kind, ref_col in kind.references:
        if col.name == ref_col:
            parts.append(f"harus pernah dikirim UPT ini dalam file {ref_kind}")
    if codes:
        shown = ", ".join(codes[:12]) + (", ..." if len(codes) > 12 else "")
        parts.append(f"kode yang sah: {shown}")
    return "; ".join(parts) + "."


def template_bytes(kind_name: str) -> bytes:
    """The XLSX template of one export kind."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = SPEC[kind_name]
    taxonomy = _taxonomy()
    wb = Workbook()
    data = wb.active
    data.title = "Data"
    kode = wb.create_sheet("Kode")
    petunjuk = wb.create_sheet("Petunjuk")
    petunjuk.append(["kolom", "wajib", "format dan aturan"])
    wajib_fill = PatternFill("solid", fgColor="FFF2CC")
    kode_col = 0
    last = ROWS_WITH_VALIDATION + 1
    for i, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        codes = valid_codes(col.enum, taxonomy) if col.enum else []
        cell = data.cell(row=1, column=i, value=col.name)
        help_text = _help(kind_name, col, codes)
        cell.comment = Comment(help_text, "Monev Kemandirian", width=320, height=160)
        if col.required:
            cell.font = Font(bold=True)
            cell.fill = wajib_fill
        data.column_dimensions[letter].width = max(14, len(col.name) + 4)
        if col.type in ("text", "nik", "code", "period"):
            for r in range(2, 202):  # typed as text: a 16-digit NIK keeps its digits, codes stay codes
                data.cell(row=r, column=i).number_format = "@"
        elif col.type in ("date", "birth"):
            for r in range(2, 202):
                data.cell(row=r, column=i).number_format = "DD/MM/YYYY"
        if codes:
            kode_col += 1
            kl = get_column_letter(kode_col)
            kode.cell(row=1, column=kode_col, value=col.name)
            for j, c in enumerate(codes, start=2):
                kode.cell(row=j, column=kode_col, value=c)
            dv = DataValidation(type="list", formula1=f"=Kode!${kl}$2:${kl}${len(codes) + 1}",
                                allow_blank=not col.required, showDropDown=False)
            dv.error = f"Pilih kode {col.name} dari daftar."
            dv.errorTitle = "Kode tidak dikenal"
            dv.prompt = help_text[:250]
            dv.promptTitle = col.name[:32]
            dv.add(f"{letter}2:{letter}{last}")
            data.add_data_validation(dv)
        petunjuk.append([col.name, "ya" if col.required else "tidak", help_text])
    kode.sheet_state = "hidden"
    petunjuk.column_dimensions["A"].width = 24
    petunjuk.column_dimensions["C"].width = 110
    petunjuk.append([])
    petunjuk.append(["nama file", "", f"KODEUPT_{kind_name}_YYYYMM.xlsx, mis. UPT0412_{kind_name}_202407.xlsx "
                                         "(hanya lembar pertama 'Data' yang dibaca)"])
    data.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_name(kind_name: str) -> str:
    return f"templat_{kind_name}.xlsx"


def write_templates(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in KINDS:
        p = out / template_name(k)
        p.write_bytes(template_bytes(k))
        written.append(p)
    return written
