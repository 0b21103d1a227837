"""Turning typed monthly tables into field-style CSV/XLSX bytes, with per-file format variants.

Typed column conventions (see simulate.py):
- text / code / nik / name / period: numpy object arrays of ``str`` ("" = empty)
- date / birth: int64 day numbers since 1970-01-01, ``MISSING_DAY`` = empty
- int / num / rupiah: float64, NaN = empty
- bool: int8, -1 = empty
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np

from dagster_project.spec import SPEC

MISSING_DAY = -99_999
EPOCH = dt.date(1970, 1, 1)
_BASE = (dt.date(1925, 1, 1) - EPOCH).days
_END = (dt.date(2031, 1, 1) - EPOCH).days
_DATES = [EPOCH + dt.timedelta(days=d) for d in range(_BASE, _END)]

DATE_FORMATS = ("iso", "dmy_slash", "dmy_dash")
_DATE_TABLES: dict[str, np.ndarray] = {}
for _f, _pat in (("iso", "{y:04d}-{m:02d}-{d:02d}"), ("dmy_slash", "{d:02d}/{m:02d}/{y:04d}"),
                 ("dmy_dash", "{d:02d}-{m:02d}-{y:04d}")):
    _DATE_TABLES[_f] = np.array([_pat.format(y=x.year, m=x.month, d=x.day) for x in _DATES] + [""],
                                dtype=object)
_DATE_OBJS = np.array(_DATES + [None], dtype=object)

RUPIAH_FORMATS = ("plain", "dots", "dots_dec", "rp_space", "rp_compact_dec")
COUNT_FORMATS = ("plain", "dots")
BOOL_STYLES = {"YN": ("Y", "N"), "YaTidak": ("Ya", "Tidak"), "10": ("1", "0"), "TRUEFALSE": ("TRUE", "FALSE")}
CASES = ("upper", "lower", "title")
HEADER_VARIANTS = ("canonical", "title_spaces", "upper", "padded", "shuffled")
CODE_CASES = ("upper", "lower", "title", "spaced")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
XLSX_DATE_MODES = ("date", "serial", "text")
EXTRA_COLUMNS = ("catatan", "no_urut", "keterangan_tambahan")

# Optional columns a UPT sometimes leaves out entirely. Columns that KPIs depend on through the
# "latest version" rule (tanggal_keluar, tanggal_litmas, tanggal_selesai, ...) are always sent,
# otherwise one sloppy file would silently rewrite a unit's history.
DROPPABLE: dict[str, tuple[str, ...]] = {
    "narapidana": ("minat_bakat",),
    "kegiatan": ("mitra", "penanggung_jawab", "prioritas"),
    "peserta": ("penerbit_sertifikat",),
    "produksi": ("standar_mutu", "biaya_bahan"),
    "penjualan": ("mitra",),
    "pnbp": ("kode_billing", "keterangan"),
}

# Fixed creation time stamped into XLSX metadata (determinism).
XLSX_CREATED = dt.datetime(2024, 1, 1, 0, 0, 0)


def day(y: int, m: int, d: int) -> int:
    return (dt.date(y, m, d) - EPOCH).days


def day_to_date(d: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(d))


@dataclass
class Variant:
    fmt: str = "csv"
    encoding: str | None = "utf-8"
    delimiter: str | None = ","
    header_variant: str = "canonical"
    date_format: str = "iso"
    rupiah_format: str = "plain"
    count_format: str = "plain"
    bool_style: str = "YN"
    bool_case: str = "upper"
    code_case: str = "upper"
    line_terminator: str = "\r\n"
    xlsx_dates: str | None = None
    xlsx_numbers_as_text: bool = False
    dropped_columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    column_order: list[str] = field(default_factory=list)  # canonical names, final order

    def manifest(self) -> dict:
        return {
            "date_format": self.date_format, "rupiah_format": self.rupiah_format,
            "count_format": self.count_format, "bool_style": self.bool_style,
            "bool_case": self.bool_case, "code_case": self.code_case,
            "line_terminator": "CRLF" if self.line_terminator == "\r\n" else "LF",
            "xlsx_dates": self.xlsx_dates, "xlsx_numbers_as_text": self.xlsx_numbers_as_text,
            "dropped_columns": list(self.dropped_columns),
        }


def choose_variant(rng: np.random.Generator, kind: str, xlsx_rate: float = 0.04) -> Variant:
    v = Variant()
    v.fmt = "xlsx" if rng.random() < xlsx_rate else "csv"
    if v.fmt == "csv":
        v.encoding = ENCODINGS[rng.choice(3, p=[0.55, 0.25, 0.20])]
        v.delimiter = "," if rng.random() < 0.6 else ";"
        v.line_terminator = "\r\n" if rng.random() < 0.7 else "\n"
    else:
        v.encoding = None
        v.delimiter = None
        v.xlsx_dates = XLSX_DATE_MODES[rng.choice(3, p=[0.5, 0.3, 0.2])]
        v.xlsx_numbers_as_text = bool(rng.random() < 0.25)
    v.header_variant = HEADER_VARIANTS[rng.choice(5, p=[0.5, 0.15, 0.1, 0.1, 0.15])]
    v.date_format = DATE_FORMATS[rng.choice(3, p=[0.5, 0.35, 0.15])]
    v.rupiah_format = RUPIAH_FORMATS[rng.choice(5, p=[0.4, 0.2, 0.15, 0.15, 0.1])]
    v.count_format = COUNT_FORMATS[rng.choice(2, p=[0.7, 0.3])]
    v.bool_style = tuple(BOOL_STYLES)[rng.integers(4)]
    v.bool_case = CASES[rng.choice(3, p=[0.6, 0.2, 0.2])]
    v.code_case = CODE_CASES[rng.choice(4, p=[0.8, 0.08, 0.07, 0.05])]
    spec = SPEC[kind]
    optional = list(DROPPABLE[kind])
    if optional and rng.random() < 0.08:
        k = int(rng.integers(1, min(3, len(optional)) + 1))
        v.dropped_columns = sorted(rng.choice(optional, size=k, replace=False).tolist(),
                                   key=spec.names.index)
    if rng.random() < 0.05:
        v.extra_columns = [EXTRA_COLUMNS[rng.integers(len(EXTRA_COLUMNS))]]
    cols = [c for c in spec.names if c not in v.dropped_columns] + v.extra_columns
    if v.header_variant == "shuffled":
        cols = [cols[i] for i in rng.permutation(len(cols))]
    v.column_order = cols
    return v


def header_label(name: str, variant: str) -> str:
    if variant == "title_spaces":
        return name.replace("_", " ").title()
    if variant == "upper":
        return name.upper()
    if variant == "padded":
        return f"  {name} "
    return name


# ---------------------------------------------------------------- value formatting

def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def fmt_number(x: float, style: str) -> str:
    """A count or Rupiah amount in one of the field styles (dot thousands, comma decimals)."""
    neg = x < 0
    x = abs(x)
    cents = int(round(x * 100))
    whole, frac = divmod(cents, 100)
    if style == "plain":
        s = str(whole) if frac == 0 else f"{whole},{frac:02d}".rstrip("0")
    elif style == "dots":
        s = _group(whole) if frac == 0 else f"{_group(whole)},{frac:02d}".rstrip("0")
    elif style == "dots_dec":
        s = f"{_group(whole)},{frac:02d}"
    elif style == "rp_space":
        s = "Rp " + (_group(whole) if frac == 0 else f"{_group(whole)},{frac:02d}")
    elif style == "rp_compact_dec":
        s = f"Rp{_group(whole)},{frac:02d}"
    else:  # pragma: no cover
        raise ValueError(style)
    if neg:  # negatives are written without the Rp prefix ("-1.250.000"), unambiguous
        s = "-" + (str(whole) if style == "plain" else _group(whole)) + (f",{frac:02d}" if frac else "")
    return s


def fmt_numbers(values: np.ndarray, style: str) -> list[str]:
    out = []
    for x in values.tolist():
        if x != x:  # NaN
            out.append("")
        elif style == "plain" and x >= 0 and x == int(x):
            out.append(str(int(x)))
        else:
            out.append(fmt_number(x, style))
    return out


def fmt_dates(days: np.ndarray, date_format: str) -> np.ndarray:
    idx = days.astype(np.int64) - _BASE
    idx = np.where((days == MISSING_DAY) | (idx < 0) | (idx >= len(_DATES)), -1, idx)
    return _DATE_TABLES[date_format][idx]


def date_objs(days: np.ndarray) -> np.ndarray:
    idx = days.astype(np.int64) - _BASE
    idx = np.where((days == MISSING_DAY) | (idx < 0) | (idx >= len(_DATES)), -1, idx)
    return _DATE_OBJS[idx]


def case_code(s: str, code_case: str) -> str:
    if not s:
        return s
    if code_case == "lower":
        return s.lower()
    if code_case == "title":
        return s.title()
    if code_case == "spaced":
        return f" {s} "
    return s


def fmt_bools(values: np.ndarray, style: str, case: str) -> list[str]:
    yes, no = BOOL_STYLES[style]
    if case == "lower":
        yes, no = yes.lower(), no.lower()
    elif case == "title":
        yes, no = yes.title(), no.title()
    elif case == "upper":
        yes, no = yes.upper(), no.upper()
    lut = np.array([no, yes, ""], dtype=object)
    return lut[np.where(values < 0, 2, values)].tolist()


def render_column(kind: str, name: str, values: np.ndarray, v: Variant) -> list:
    """Render one typed column as CSV strings (or XLSX cell values when v.fmt == 'xlsx')."""
    col = SPEC[kind].column(name)
    t = col.type
    xlsx = v.fmt == "xlsx"
    if t in ("date", "birth"):
        if xlsx and v.xlsx_dates == "date":
            return date_objs(values).tolist()
        if xlsx and v.xlsx_dates == "serial":
            # Excel serial day numbers (1900 system): 1970-01-01 is 25569.
            return [None if d == MISSING_DAY else int(d) + 25569 for d in values.tolist()]
        return fmt_dates(values, v.date_format).tolist()
    if t in ("int", "num", "rupiah"):
        if xlsx and not v.xlsx_numbers_as_text:
            return [None if x != x else (int(x) if x == int(x) else float(x)) for x in values.tolist()]
        style = v.rupiah_format if t == "rupiah" else v.count_format
        return fmt_numbers(values, style)
    if t == "bool":
        out = fmt_bools(values, v.bool_style, v.bool_case)
        return out
    if t == "code":
        if v.code_case == "upper":
            return values.tolist()
        return [case_code(s, v.code_case) for s in values.tolist()]
    return values.tolist()


def render_table(kind: str, table: dict[str, np.ndarray], n: int, v: Variant,
                 extra_values: dict[str, list] | None = None) -> tuple[list[str], list[list]]:
    """-> (header labels, list of columns in file order)."""
    header = [header_label(c, v.header_variant) for c in v.column_order]
    cols = []
    for c in v.column_order:
        if c in table:
            cols.append(render_column(kind, c, table[c], v))
        else:
            vals = (extra_values or {}).get(c) or [""] * n
            cols.append(vals)
    return header, cols


def to_csv_bytes(header: list[str], cols: list[list], v: Variant) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=v.delimiter, lineterminator=v.line_terminator, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    if cols and len(cols[0]):
        w.writerows(zip(*cols))
    return buf.getvalue().encode(v.encoding)


def to_xlsx_bytes(header: list[str], cols: list[list], sheet: str = "Laporan") -> bytes:
    import xlsxwriter

    bio = io.BytesIO()
    wb = xlsxwriter.Workbook(bio, {"in_memory": True, "strings_to_numbers": False,
                                    "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": XLSX_CREATED, "author": "Operator SDP", "title": "Laporan bulanan"})
    ws = wb.add_worksheet(sheet)
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for j, h in enumerate(header):
        ws.write_string(0, j, h)
    n = len(cols[0]) if cols else 0
    for j, col in enumerate(cols):
        for i in range(n):
            val = col[i]
            if val is None or val == "":
                continue
            if isinstance(val, str):
                ws.write_string(i + 1, j, val)
            elif isinstance(val, dt.date):
                ws.write_datetime(i + 1, j, dt.datetime(val.year, val.month, val.day), datefmt)
            else:
                ws.write_number(i + 1, j, val)
    wb.close()
    return bio.getvalue()
