"""Indonesian number, money, period and month formatting, and spreadsheet-cell hygiene.

Pure functions, no Dash import: used by the pages, the Excel exports and the tests.

Conventions (as written in Indonesia): dot for thousands, comma for decimals,
``Rp 1.250.000``, ``81,3%``, month names in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from dagster_project import spec as _spec

KOSONG = "–"  # shown for a NULL value (a rate whose denominator is 0 is empty, never 0)
# shown for a NULL count or sum of the indicators: the unit sent no file it is computed from
# (KPI_DICTIONARY v2 "Who reported": an empty figure means "belum melapor", never 0)
BELUM_MELAPOR = "belum melapor"

NAMA_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
NAMA_BULAN_PENDEK = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Characters that make a spreadsheet treat a text cell as a formula (CSV/Excel injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def kosong(x: Any) -> bool:
    """True for None, NaN, pandas NA/NaT."""
    if x is None or x is pd.NA:
        return True
    try:
        return bool(x != x)  # NaN, NaT  # noqa: PLR0124
    except (TypeError, ValueError):
        return False


def format_angka(x: Any, desimal: int = 0) -> str:
    """``1250000`` -> ``1.250.000``; ``1250.5, 1`` -> ``1.250,5``."""
    if kosong(x):
        return KOSONG
    nilai = float(x)
    if math.isinf(nilai):
        return KOSONG
    # Round half up (81,25 -> 81,3), as people do by hand; repr() avoids binary-float surprises.
    dibulatkan = Decimal(repr(abs(nilai))).quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
    teks = f"{dibulatkan:,.{desimal}f}"  # 1,250,000.50
    teks = teks.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if nilai < 0 and teks.strip("0.,") != "":
        teks = "-" + teks
    return teks


def format_rupiah(x: Any, desimal: int = 0) -> str:
    """``1250000`` -> ``Rp 1.250.000``; negative amounts ``-Rp 250.000``."""
    if kosong(x):
        return KOSONG
    teks = format_angka(x, desimal)
    if teks.startswith("-"):
        return "-Rp " + teks[1:]
    return "Rp " + teks


def format_rupiah_ringkas(x: Any) -> str:
    """Short form for headline cards: ``Rp 1,25 miliar``, ``Rp 850,3 juta``, ``Rp 12.500``."""
    if kosong(x):
        return KOSONG
    nilai = float(x)
    tanda = "-" if nilai < 0 else ""
    a = abs(nilai)
    for batas, nama, des in ((1e12, "triliun", 2), (1e9, "miliar", 2), (1e6, "juta", 1)):
        if a >= batas:
            return f"{tanda}Rp {format_angka(a / batas, des)} {nama}"
    return f"{tanda}Rp {format_angka(a)}"


def format_persen(x: Any, desimal: int = 1) -> str:
    """A rate as a decimal (``0.8125``) -> ``81,3%``. NULL -> ``–``."""
    if kosong(x):
        return KOSONG
    return f"{format_angka(float(x) * 100, desimal)}%"


def format_selisih_persen_poin(x: Any) -> str:
    """A difference of two rates (decimals) -> ``+2,1 poin`` / ``-0,4 poin``."""
    if kosong(x):
        return KOSONG
    v = float(x) * 100
    tanda = "+" if v > 0 else ""
    return f"{tanda}{format_angka(v, 1)} poin"


def format_perubahan_relatif(baru: Any, lama: Any) -> str:
    """Relative change of an amount: ``+12,5%``; empty when the base is 0 or NULL."""
    if kosong(baru) or kosong(lama) or float(lama) == 0:
        return KOSONG
    v = (float(baru) - float(lama)) / abs(float(lama))
    tanda = "+" if v > 0 else ""
    return f"{tanda}{format_persen(v)}"


def nama_bulan(bulan: Any, pendek: bool = False) -> str:
    """A date (or ``YYYY-MM``/``YYYY-MM-DD`` text) -> ``Juli 2024`` (or ``Jul 2024``)."""
    if kosong(bulan):
        return KOSONG
    if isinstance(bulan, str):
        bulan = dt.date.fromisoformat(bulan[:7] + "-01")
    nama = (NAMA_BULAN_PENDEK if pendek else NAMA_BULAN)[bulan.month - 1]
    return f"{nama} {bulan.year}"


def format_tanggal(x: Any, jam: bool = False) -> str:
    """A date/timestamp -> ``13 Juli 2024`` (``13 Juli 2024 10.05`` with the time)."""
    if kosong(x):
        return KOSONG
    if isinstance(x, str):
        x = dt.datetime.fromisoformat(x)
    teks = f"{x.day} {NAMA_BULAN[x.month - 1]} {x.year}"
    if jam and isinstance(x, dt.datetime):
        teks += f" {x.hour:02d}.{x.minute:02d}"
    return teks


def label_periode(kode: str | None) -> str:
    """``2024Q3`` -> ``Triwulan III 2024``; ``2024S1`` -> ``Semester I 2024``; ``2024`` -> ``Tahun 2024``."""
    if not kode:
        return KOSONG
    kode = str(kode)
    if len(kode) == 6 and kode[4] == "Q" and kode[5] in "1234":
        return f"Triwulan {ROMAWI[int(kode[5])]} {kode[:4]}"
    if len(kode) == 6 and kode[4] == "S" and kode[5] in "12":
        return f"Semester {ROMAWI[int(kode[5])]} {kode[:4]}"
    if len(kode) == 4 and kode.isdigit():
        return f"Tahun {kode}"
    return kode


def netralkan_formula(nilai: Any) -> Any:
    """Neutralise spreadsheet formulas in a text cell (CSV/Excel formula injection).

    A text value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe, so Excel/LibreOffice show it as text instead of evaluating it.
    Non-text values (numbers, dates, None) are returned unchanged: a negative *number* is
    not a formula. Every text cell written to Excel or CSV goes through this function.
    """
    if isinstance(nilai, str) and nilai.startswith(_FORMULA_PREFIXES):
        return "'" + nilai
    return nilai


# ---------------------------------------------------------------------- codes -> Indonesian labels
# The one place that turns a code of the exports into the words a reader sees (pages, Excel, PDF).
# Sectors, sub-sectors and industry classes come from the taxonomy seeds (the same files the
# warehouse's ref schema is loaded from); the enumerations of the export spec have their labels here.
_SEEDS = Path(__file__).resolve().parents[1] / "seeds"

LABEL_ENUM: dict[str, dict[str, str]] = {
    "tahap": {"PERENCANAAN": "Perencanaan", "ANALISIS": "Analisis", "PENGORGANISASIAN": "Pengorganisasian",
              "PELAKSANAAN": "Pelaksanaan", "MONEV": "Monitoring dan evaluasi", "SELESAI": "Selesai"},
    "kanal": {"MARKETPLACE": "Lokapasar (marketplace)", "WEBSITE": "Situs web", "MEDIA_SOSIAL": "Media sosial",
              "IKLAN_ONLINE": "Iklan daring", "PAMERAN": "Pameran", "MALL": "Mal", "BANDARA": "Bandara",
              "GALERI": "Galeri", "LANGSUNG": "Penjualan langsung"},
    "jenis_pembeli": {"INTERNAL": "Pembeli internal", "EKSTERNAL": "Pembeli eksternal"},
    "jenis_kegiatan": {"PELATIHAN": "Pelatihan", "PRODUKSI": "Produksi"},
    "sumber_dana": {"DIPA": "DIPA", "PNBP": "PNBP", "MITRA": "Mitra", "HIBAH": "Hibah", "LAINNYA": "Lainnya"},
    "standar_mutu": {"SNI": "SNI", "P-IRT": "P-IRT", "HALAL": "Halal", "INTERNAL": "Standar internal",
                     "TIDAK_ADA": "Tanpa standar"},
    "status": {"AKTIF": "Aktif", "SELESAI": "Selesai", "GUGUR": "Gugur", "DITERIMA": "Diterima", "DITOLAK": "Ditolak",
               "TIDAK_ADA": "Tidak ada", "BERHASIL": "Berhasil", "GAGAL": "Gagal", "TERPUTUS": "Terputus",
               "BERJALAN": "Berjalan"},
    "jenis_upt": {"LAPAS": "Lapas", "RUTAN": "Rutan", "LPKA": "LPKA", "LPP": "LPP"},
    "kind": {"narapidana": "Narapidana", "kegiatan": "Kegiatan", "peserta": "Peserta", "produksi": "Produksi",
             "penjualan": "Penjualan", "pnbp": "PNBP"},
}
# Reasons a file is rejected or a row quarantined: the export spec's own Indonesian wording
# (dagster_project.spec, the same text the loader writes), so a reason code is never shown in English.
LABEL_ENUM["alasan"] = {k: v[:1].upper() + v[1:] for k, v in {**_spec.REJECT_CODES, **_spec.DEFECT_CODES}.items()}
# What an empty or "-" value of a dimension means (never shown as "-").
LABEL_KOSONG: dict[str, str] = {
    "kelas_industri": "Bukan sektor industri", "satuan": "Satuan tidak dilaporkan",
    "standar_mutu": "Standar tidak dilaporkan", "bidang": "Bidang tidak dilaporkan",
    "subbidang": "Subbidang tidak dilaporkan",
}
# Columns whose values are codes of a dimension (a column name -> its dimension).
KOLOM_KODE: dict[str, str] = {k: k for k in (*LABEL_ENUM, "bidang", "subbidang", "kelas_industri", "satuan",
                                             "kelompok_sejawat")}


@lru_cache(maxsize=1)
def _label_taksonomi() -> dict[str, dict[str, str]]:
    import csv

    out: dict[str, dict[str, str]] = {}

    def baca(nama):
        p = _SEEDS / nama
        if not p.exists():
            return []
        with p.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    out["bidang"] = {r["kode_bidang"]: r["label"] for r in baca("taxonomy_bidang.csv")}
    out["subbidang"] = {r["kode_subbidang"]: r["label"] for r in baca("taxonomy_subbidang.csv")}
    for r in baca("taxonomy_industri.csv"):
        out.setdefault(r["dimensi"], {})[r["kode"]] = r["label"]
    return out


def label_kode(dimensi: str, kode: Any) -> str:
    """The Indonesian label of a code: ``("kanal", "MEDIA_SOSIAL")`` -> ``Media sosial``.

    An empty value or ``-`` reads what it means for that dimension; an unknown code is shown
    as words (``PERTANIAN_LAIN`` -> ``Pertanian lain``), never with underscores.
    """
    if kosong(kode) or str(kode).strip() in ("", "-"):
        return LABEL_KOSONG.get(dimensi, "Tidak dilaporkan")
    kode = str(kode)
    peta = LABEL_ENUM.get(dimensi) or _label_taksonomi().get(dimensi) or {}
    if kode in peta:
        return peta[kode]
    if dimensi == "satuan":
        return kode
    return kode.replace("_", " ").capitalize() if kode.isupper() or "_" in kode else kode


def labeli(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every code column (:data:`KOLOM_KODE`) shown through its label."""
    kolom = [c for c in df.columns if c in KOLOM_KODE]
    if not kolom or df.empty:
        return df
    df = df.copy()
    for c in kolom:
        if c == "kelompok_sejawat":  # "LAPAS IIA" -> "Lapas IIA"
            df[c] = [v if kosong(v) else " ".join([label_kode("jenis_upt", str(v).split(" ", 1)[0]), *str(v).split(" ", 1)[1:]])
                     for v in df[c]]
        else:
            df[c] = [label_kode(KOLOM_KODE[c], v) for v in df[c]]
    return df
