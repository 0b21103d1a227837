"""Resource limits of a load and the independent record count (docs/OPERATIONS.md, "Limits").

No single landed file may stop the others from loading or take the loader's memory:

- **Before parsing**: a file larger than ``MONEV_MAX_FILE_MB`` is rejected without being read; a
  header wider than ``MONEV_MAX_COLUMNS``, or a CSV of more than ``MONEV_MAX_CELLS`` cells (its
  records, counted first, times its columns), is rejected; an XLSX is opened as a zip and its declared
  uncompressed size, compression ratio and sheets' declared dimensions are checked
  (``MONEV_XLSX_MAX_MB``, ``MONEV_XLSX_MAX_RATIO``, ``MONEV_MAX_COLUMNS``, ``MONEV_MAX_CELLS``)
  before any reader allocates for them.
- **In a child process**: XLSX sheets are parsed by one worker process per load with an address
  space limit (``MONEV_PARSE_MEMORY_MB``, RLIMIT_AS) and a time limit per file
  (``MONEV_PARSE_TIMEOUT_S``). A worker that dies (a native reader aborting, out of memory) or
  overruns is killed, the file is rejected with the cause, and a fresh worker takes the next one.
- **Independent count**: every CSV's records are counted by a second, simple reader (Python's
  csv module, strict; or a line count when the file has no quote at all) and compared with the
  rows DuckDB staged: a parser that stopped early or merged lines can never pass silently. A file
  whose records cannot be delimited with certainty (an unbalanced quote, a quoted field that
  swallows whole records) is rejected whole (docs/DECISIONS.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        from ..errors import UserError

        raise UserError(f"${name}={value!r}: expected a number.") from None
    if number <= 0:
        from ..errors import UserError

        raise UserError(f"${name}={value!r}: expected a number greater than 0.")
    return number


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50
    max_columns: int = 200
    max_cells: int = 2_000_000
    xlsx_max_mb: float = 200
    xlsx_max_ratio: float = 200
    parse_memory_mb: int = 1024
    parse_timeout_s: float = 120

    @classmethod
    def from_env(cls) -> "Limits":
        d = cls()
        return cls(
            max_file_mb=_env_number("MONEV_MAX_FILE_MB", d.max_file_mb),
            max_columns=int(_env_number("MONEV_MAX_COLUMNS", d.max_columns)),
            max_cells=int(_env_number("MONEV_MAX_CELLS", d.max_cells)),
            xlsx_max_mb=_env_number("MONEV_XLSX_MAX_MB", d.xlsx_max_mb),
            xlsx_max_ratio=_env_number("MONEV_XLSX_MAX_RATIO", d.xlsx_max_ratio),
            parse_memory_mb=int(_env_number("MONEV_PARSE_MEMORY_MB", d.parse_memory_mb)),
            parse_timeout_s=_env_number("MONEV_PARSE_TIMEOUT_S", d.parse_timeout_s),
        )


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


# ---------------------------------------------------------------------- checks before parsing
def file_size_problem(size: int, limits: Limits) -> str | None:
    if size > limits.max_file_mb * 2**20:
        return (f"file terlalu besar ({_mb(size)}; batas {limits.max_file_mb:g} MB, MONEV_MAX_FILE_MB): "
                "tidak dibaca")
    return None


def width_problem(width: int, limits: Limits) -> str | None:
    if width > limits.max_columns:
        return f"terlalu banyak kolom ({width}; batas {limits.max_columns}, MONEV_MAX_COLUMNS)"
    return None


def cells_problem(rows: int, width: int, limits: Limits) -> str | None:
    if rows * width > limits.max_cells:
        return (f"file terlalu besar ({rows} baris x {width} kolom; batas {limits.max_cells} sel, "
                "MONEV_MAX_CELLS)")
    return None


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _sheets(zf: zipfile.ZipFile) -> list[str]:
    return [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _sheet_problem(zf: zipfile.ZipFile, sheet: str, limits: Limits) -> str | None:
    """A sheet's declared dimension (``<dimension ref="A1:XFD1048576"/>``, in its first bytes).

    Only the head of the sheet is read: a sheet whose cells lie beyond its declared dimension is
    caught by the child process's memory limit instead (XlsxWorker), so the common case costs
    one small read per workbook.
    """
    with zf.open(sheet) as fh:
        head = fh.read(1 << 16)
    max_col = max_row = 0
    for m in _DIMENSION.finditer(head):
        col, row = m.group(3) or m.group(1), m.group(4) or m.group(2)
        if col:
            max_col = max(max_col, _col_number(col))
        if row:
            max_row = max(max_row, int(row))
    if max_col > limits.max_columns:
        return (f"lembar kerja terlalu lebar (kolom sampai {max_col}; batas {limits.max_columns}, "
                "MONEV_MAX_COLUMNS)")
    if max(max_col, 1) * max_row > limits.max_cells:
        return (f"lembar kerja terlalu besar ({max_row} baris x {max_col} kolom; batas {limits.max_cells} "
                "sel, MONEV_MAX_CELLS)")
    return None


def xlsx_problem(path: Path, limits: Limits) -> str | None:
    """Why this XLSX must not be parsed (zip bomb, absurd dimension or width), or None.

    Reads only the zip directory and the head of every sheet (its declared dimension).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > limits.xlsx_max_mb * 2**20:
                return (f"isi XLSX terlalu besar setelah dibuka ({_mb(total)}; batas {limits.xlsx_max_mb:g} MB, "
                        "MONEV_XLSX_MAX_MB)")
            if total > 2**20 and total / packed > limits.xlsx_max_ratio:
                return (f"rasio kompresi XLSX tidak wajar ({total / packed:.0f}x; batas {limits.xlsx_max_ratio:g}x, "
                        "MONEV_XLSX_MAX_RATIO): kemungkinan bom zip")
            for sheet in _sheets(zf):  # every sheet: the reader's "first" is the workbook's order
                problem = _sheet_problem(zf, sheet, limits)
                if problem:
                    return problem
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        return f"file XLSX rusak atau tidak dapat dibuka ({type(exc).__name__})"
    return None


# ---------------------------------------------------------------------- independent record count
def count_records(text: str, delimiter: str, width: int) -> tuple[int | None, str | None]:
    """(data records after the header, None) or (None, why the records cannot be delimited).

    A second reader, independent of DuckDB: a line count when no line holds an odd number of
    quote characters (then no quoted field spans lines and every non-empty line is one record),
    Python's csv module in strict mode otherwise. A
    record whose quoted field spans lines is accepted unless a swallowed line itself looks like
    a whole record (as many delimiters as the header): that is a stray quote merging records.
    """
    if '"' not in text and "\n\n" not in text and "\n\r\n" not in text and not text.startswith(("\n", "\r")):
        # No quote and no blank line (but perhaps a final line end): one record a line, counted in C.
        n = text.count("\n") + (0 if text.endswith("\n") else 1)
        return max(n - 1, 0), None
    lines = text.split("\n")
    if '"' not in text or not any(line.count('"') & 1 for line in lines if '"' in line):
        # No quote, or an even number on every line: no quoted field spans lines, one record a line.
        n = len(lines) - lines.count("") - lines.count("\r")
        return max(n - 1, 0), None
    del lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    n = -1  # the header is the first record
    last_line = 0
    need = max(width - 1, 1)
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not record:
                continue
            n += 1
            if last_line > start:
                for value in record:
                    if "\n" in value or "\r" in value:
                        for piece in value.replace("\r", "\n").split("\n")[1:]:
                            if piece.count(delimiter) >= need:
                                return None, (f"tanda kutip (\") tidak seimbang: rekaman yang mulai pada baris file "
                                              f"{start} menelan baris berikutnya; batas rekaman tidak dapat "
                                              "dipastikan")
    except csv.Error as exc:
        where = last_line + 1
        return None, (f"tanda kutip (\") tidak seimbang mulai sekitar baris file {where} ({exc}); batas rekaman "
                      "tidak dapat dipastikan")
    return max(n, 0), None


# ---------------------------------------------------------------------- XLSX parsing in a child process
class XlsxWorker:
    """One child process that parses XLSX sheets under memory and time limits.

    Request (one JSON line on stdin): {"path", "kind", "out"}; the child writes the sheet as a
    normalised UTF-8 CSV to "out" and answers {"header": [...], "rows": n} or {"error": ...}.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.proc: subprocess.Popen | None = None

    def _start(self) -> None:
        limit = int(self.limits.parse_memory_mb) * 2**20

        def set_limits():  # runs in the child before exec
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.setsid()

        env = dict(os.environ)
        env.pop("MONEV_PSEUDONYM_KEY", None)  # the parser needs no secret
        env["RAYON_NUM_THREADS"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.ingest.xlsx_worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=set_limits, env=env,
            cwd=str(Path(__file__).resolve().parents[2]))

    def _kill(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self.proc = None

    def parse(self, path: Path, kind: str | None, out: Path) -> dict:
        """{"header": [...], "rows": n} or {"error": reason in Indonesian}."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        proc = self.proc
        try:
            proc.stdin.write((json.dumps({"path": str(path), "kind": kind, "out": str(out)}) + "\n").encode())
            proc.stdin.flush()
        except OSError:
            self._kill()
            return {"error": "pembaca XLSX tidak dapat dijalankan"}
        deadline = time.monotonic() + self.limits.parse_timeout_s
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready = select.select([proc.stdout], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self._kill()
                return {"error": (f"pembacaan XLSX melewati batas waktu {self.limits.parse_timeout_s:g} dtk "
                                  "(MONEV_PARSE_TIMEOUT_S)")}
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                code = proc.wait()
                self._kill()
                return {"error": (f"pembaca XLSX berhenti mendadak (kode {code}: kehabisan memori dalam batas "
                                  f"{self.limits.parse_memory_mb} MB, MONEV_PARSE_MEMORY_MB, atau file rusak)")}
            line += chunk
        return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._kill()
            self.proc = None
