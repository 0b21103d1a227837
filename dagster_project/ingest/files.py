"""Small pure functions about landed files: discovery, names, sniffing, transcoding.

Per-file work here is cheap byte handling only (hash, encoding, header line). Parsing the rows
is left to DuckDB, one call per group of files that share a layout (see loader.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..spec import FILE_NAME_RE, KINDS, SPEC, normalise_header

IGNORED_NAMES = ("manifest.json",)


@dataclass(frozen=True)
class LandedFile:
    path: Path  # absolute
    relpath: str  # relative to the landing folder, '/' separators
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ParsedName:
    kode_upt: str | None
    kind: str | None
    bulan: dt.date | None
    ext: str | None
    reject_code: str | None = None
    reject_reason: str | None = None


@dataclass
class Sniffed:
    """What the cheap sniff learnt about a file's content."""

    format: str  # csv | xlsx
    encoding: str | None = None  # utf-8 | utf-8-sig | cp1252
    delimiter: str | None = None
    header: list[str] = field(default_factory=list)  # normalised names, in file order
    text: str | None = None  # decoded text when the file must be transcoded
    decoded: str | None = None  # the decoded text of a CSV (for the independent record count)
    rows: list[list[str]] | None = None  # XLSX data rows as strings
    reject_code: str | None = None
    reject_reason: str | None = None


def discover(landing: Path) -> list[LandedFile]:
    """Every regular file under the landing folder (any depth), hidden files and the manifest excepted."""
    found: list[LandedFile] = []
    stack = [landing]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False) and entry.name not in IGNORED_NAMES:
                    st = entry.stat(follow_symlinks=False)
                    rel = Path(entry.path).relative_to(landing).as_posix()
                    found.append(LandedFile(Path(entry.path), rel, st.st_size, st.st_mtime_ns))
    found.sort(key=lambda f: (f.mtime_ns, f.relpath))
    return found


def parse_file_name(name: str, known_upts: set[str]) -> ParsedName:
    """`UPT0412_produksi_202407.csv` -> its UPT, kind and month, or the reason it is refused."""
    m = FILE_NAME_RE.match(name)
    if not m:
        return ParsedName(None, None, None, None, "BAD_NAME",
                          f"nama file '{name}' tidak mengikuti pola KODEUPT_jenis_YYYYMM.csv/xlsx")
    kode = m["kode_upt"].upper()
    kind = m["kind"].lower()
    ext = m["ext"].lower()
    yyyymm = m["yyyymm"]
    bulan = None
    if len(yyyymm) == 6 and yyyymm.isdigit() and 1 <= int(yyyymm[4:]) <= 12 and 2000 <= int(yyyymm[:4]) <= 2100:
        bulan = dt.date(int(yyyymm[:4]), int(yyyymm[4:]), 1)
    if kode not in known_upts:
        return ParsedName(kode, kind, bulan, ext, "UNKNOWN_UPT", f"kode UPT '{kode}' tidak ada dalam daftar induk UPT")
    if kind not in KINDS:
        return ParsedName(kode, kind, bulan, ext, "UNKNOWN_KIND",
                          f"jenis laporan '{kind}' tidak dikenal (harus salah satu dari {', '.join(KINDS)})")
    if bulan is None:
        return ParsedName(kode, kind, None, ext, "BAD_MONTH", f"bulan '{yyyymm}' pada nama file tidak valid")
    return ParsedName(kode, kind, bulan, ext)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None


def sniff_csv(data: bytes) -> Sniffed:
    """Encoding, delimiter and header of a CSV export, from its bytes."""
    if not data.strip():
        return Sniffed("csv", reject_code="UNREADABLE", reject_reason="file kosong (tanpa baris judul kolom)")
    if b"\x00" in data[:4096]:
        return Sniffed("csv", reject_code="UNREADABLE", reject_reason="file biner, bukan teks CSV")
    decoded = _decode(data)
    if decoded is None:
        return Sniffed("csv", reject_code="UNREADABLE", reject_reason="pengkodean karakter tidak dikenali")
    text, encoding = decoded
    crlf = data.count(b"\r\n")
    campur = data.count(b"\r") != crlf or (crlf and data.count(b"\n") != crlf)
    if campur:
        # Bare CR line ends (old Mac tools) or mixed ones (a CRLF export with a bare LF or CR appended,
        # a file joined from two tools): DuckDB's reader takes them for a ragged file and the whole
        # export would be lost. Normalised to LF in a scratch copy instead; the landed file and its
        # hash are untouched (docs/DECISIONS.md).
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [normalise_header(h) for h in next(csv.reader([first], delimiter=delimiter))]
    sniffed = Sniffed("csv", encoding=encoding, delimiter=delimiter, header=header, decoded=text)
    if encoding == "cp1252" or campur:
        sniffed.text = text  # DuckDB reads UTF-8 with one kind of line end: transcoded to a scratch file
    return sniffed


def _cell_to_text(value, is_date: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if is_date and 1 <= value < 2958466:  # an Excel serial date in a number cell
            return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
        if isinstance(value, float) and not value.is_integer():
            return repr(value).replace(".", ",")  # Indonesian decimal comma, parsed like text
        return str(int(value))
    return str(value)


def sniff_xlsx(path: Path, kind: str | None) -> Sniffed:
    """Read the first sheet of an XLSX export into text rows (dates normalised to ISO).

    python-calamine (a Rust reader) is about 8x faster than openpyxl here; at national scale a
    few thousand workbooks a year make that the difference between seconds and minutes.
    """
    import python_calamine  # imported lazily: most loads have few XLSX files

    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip container")
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        table = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        if not table:
            return Sniffed("xlsx", reject_code="UNREADABLE", reject_reason="lembar kerja pertama kosong")
        header = [normalise_header(str(h)) if h not in (None, "") else "" for h in table[0]]
        while header and header[-1] == "":
            header.pop()
        date_cols = set()
        if kind in SPEC:
            date_cols = {c.name for c in SPEC[kind].columns if c.type in ("date", "birth")}
        is_date = [h in date_cols for h in header]
        width = len(header)
        rows: list[list[str]] = []
        for cells in table[1:]:
            cells = list(cells[:width]) + [None] * (width - len(cells))
            rows.append([_cell_to_text(None if v == "" else v, is_date[i]) for i, v in enumerate(cells)])
        while rows and all(v == "" for v in rows[-1]):
            rows.pop()  # trailing empty rows of the sheet
    except Exception as exc:  # any corruption of the container or sheet
        return Sniffed("xlsx", reject_code="UNREADABLE",
                       reject_reason=f"file XLSX rusak atau tidak dapat dibuka ({type(exc).__name__})")
    return Sniffed("xlsx", encoding=None, delimiter=None, header=header, rows=rows)


def write_normalised_csv(target: Path, header: list[str], rows: list[list[str]] | None, text: str | None) -> None:
    """Write a UTF-8 copy DuckDB can read with the same settings as the original layout."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        target.write_text(text, encoding="utf-8", newline="")
        return
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows or [])
    target.write_text(buf.getvalue(), encoding="utf-8", newline="")
