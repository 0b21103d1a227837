"""Check exports without loading them: the verdict the nightly load would give.

`periksa(paths, master)` copies the files into a scratch landing folder and runs the REAL
ingestion (`ingest.loader.ingest`, the same rules, limits and hostile-file protections) on a
scratch working warehouse in a temporary folder. Nothing is written to the real warehouse or
landing folder; the scratch folder is removed afterwards.

So that the verdict is the one the nightly load would give, the scratch warehouse is first seeded
with what the loads so far have registered, read (read-only) from the working warehouse when it
exists: the keys of inmates and programmes each UPT has sent (a participation refers to them),
the NTPNs already owned by a UPT, and the current version of each (UPT, kind, month) (an identical
re-send changes nothing). Files checked together are loaded as one batch, as files landing before
the same nightly load are (a new inmate file makes the participations that refer to it valid).

Row numbers are given as the operator sees them in the spreadsheet: the header is row 1, so the
loader's data row n (`_row_number`, 1-based after the header) is spreadsheet row n + 1; for a CSV
with blank lines, which the reader skips, the physical row of the record is reported.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .errors import UserError
from .ingest import files as F
from .ingest.schema import create_all
from .spec import FILE_NAME_RE

STATUS_LABEL = {"LOADED": "DITERIMA", "REJECTED": "DITOLAK", "IDENTICAL": "IDENTIK"}
# A file that the nightly load would not read at all (hidden name, the manifest's name).
DIABAIKAN = "DIABAIKAN"


@dataclass
class BarisKarantina:
    baris: int  # row number in the spreadsheet (header = row 1)
    kode: str  # reason code (spec.DEFECT_CODES)
    alasan: str  # reason in Indonesian, without the loader's "<kind> baris n:" prefix


@dataclass
class Putusan:
    """The verdict on one checked file."""

    berkas: str  # the file as given (path or upload name)
    nama_file: str
    status: str  # DITERIMA | DITOLAK | IDENTIK | DIABAIKAN
    kode_upt: str | None = None
    jenis: str | None = None
    bulan: str | None = None  # YYYY-MM
    kode_tolak: str | None = None
    alasan: str | None = None
    baris_dibaca: int = 0
    baris_dimuat: int = 0
    baris_karantina: int = 0
    kolom_tambahan: list[str] = field(default_factory=list)
    karantina: list[BarisKarantina] = field(default_factory=list)

    @property
    def bersih(self) -> bool:
        """Accepted with no row quarantined (an identical re-send also changes nothing wrong)."""
        return self.status in ("DITERIMA", "IDENTIK") and self.baris_karantina == 0

    @property
    def dapat_dikirim(self) -> bool:
        return self.status == "DITERIMA"

    def ringkasan(self) -> str:
        if self.status == "DITERIMA":
            if self.baris_karantina:
                return (f"DITERIMA sebagian: {self.baris_dimuat} dari {self.baris_dibaca} baris dimuat, "
                        f"{self.baris_karantina} baris akan dikarantina")
            return f"DITERIMA: {self.baris_dibaca} baris, tidak ada baris yang dikarantina"
        if self.status == "IDENTIK":
            return "IDENTIK dengan versi yang sudah diterima: kiriman ulang ini tidak mengubah apa pun"
        if self.status == DIABAIKAN:
            return f"DIABAIKAN: {self.alasan}"
        return f"DITOLAK: {self.alasan} [{self.kode_tolak}]"


def _context_sql(ctx: str) -> list[str]:
    """Seed statements: copy what the loads so far registered from database `ctx` (read-only).

    References are per UPT, so only the checked files' UPTs (temp table `upts`) are copied; NTPNs
    are owned nationally, so all of them are."""
    return [
        # Current accepted versions (identical re-send detection) and the files owning NTPNs.
        f"""insert into meta.file_registry (file_id, load_id, path, file_name, kode_upt, kind, bulan, sha256,
                size_bytes, mtime_ns, received_at, registered_at, status, is_current)
            select file_id, 0, 'konteks:' || path, file_name, kode_upt, kind, bulan, sha256, size_bytes, mtime_ns,
                   received_at, registered_at, status, is_current
            from {ctx}.meta.file_registry
            where (is_current and kode_upt in (select kode_upt from upts))
               or file_id in (select distinct _file_id from {ctx}.raw.pnbp)""",
        f"""insert into raw.narapidana (kode_upt, bulan, no_registrasi, _file_id, _row_number, _load_id)
            select distinct kode_upt, date '2000-01-01', no_registrasi, 0, 0, 0 from {ctx}.raw.narapidana
            where kode_upt in (select kode_upt from upts)""",
        f"""insert into raw.kegiatan (kode_upt, bulan, kode_kegiatan, _file_id, _row_number, _load_id)
            select distinct kode_upt, date '2000-01-01', kode_kegiatan, 0, 0, 0 from {ctx}.raw.kegiatan
            where kode_upt in (select kode_upt from upts)""",
        f"""insert into raw.pnbp (kode_upt, bulan, ntpn, _file_id, _row_number, _load_id)
            select kode_upt, bulan, ntpn, _file_id, 0, 0 from {ctx}.raw.pnbp""",
        f"""insert into meta.quarantine (file_id, load_id, kind, kode_upt, bulan, row_number, reason_code, reason,
                record_key)
            select distinct 0, 0, kind, kode_upt, date '2000-01-01', 0, 'KONTEKS', 'konteks', record_key
            from {ctx}.meta.quarantine where kind in ('narapidana', 'kegiatan') and record_key is not null
              and kode_upt in (select kode_upt from upts)""",
    ]


def _seed(scratch_db: Path, context_db: Path | None, wait_seconds: float, upts: set[str]) -> None:
    con = duckdb.connect(str(scratch_db))
    try:
        create_all(con)
        if context_db is None or not context_db.exists():
            return
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                con.execute(f"attach '{context_db}' as ctx (read_only)")
                break
            except duckdb.Error as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise UserError(
                        f"{context_db}: gudang data kerja sedang dipakai oleh muatan yang berjalan; "
                        "periksa lagi dalam beberapa menit.") from None
                time.sleep(0.5)
        try:
            tables = {r[0] for r in con.execute(
                "select schema_name || '.' || table_name from duckdb_tables() where database_name = 'ctx'").fetchall()}
            if {"meta.file_registry", "raw.narapidana", "raw.kegiatan", "raw.pnbp", "meta.quarantine"} <= tables:
                con.execute("create temp table upts (kode_upt VARCHAR)")
                con.executemany("insert into upts values (?)", [[u] for u in sorted(upts)])
                for sql in _context_sql("ctx"):
                    con.execute(sql)
        finally:
            con.execute("detach ctx")
    finally:
        con.close()


_PREFIX_RE = re.compile(r"(^|; )[a-z]+ baris \d+: ")


def _csv_rows(data: bytes) -> list[int] | None:
    """Spreadsheet row of each CSV data record (index = loader data row - 1), or None if not needed.

    The loader's reader skips blank lines; a spreadsheet shows them. Only when the file has blank
    lines is the mapping computed (records that span lines stay one spreadsheet row).
    """
    sn = F.sniff_csv(data)
    if sn.reject_code:
        return None
    text = sn.text if sn.text is not None else F._decode(data)[0]
    if "\n\n" not in text.replace("\r\n", "\n").replace("\r", "\n") and not text.startswith(("\n", "\r")):
        return None
    rows, physical = [], 0
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline=""),
                        delimiter=sn.delimiter or ",")
    header_seen = False
    for rec in reader:
        physical += 1
        if not any(cell.strip() for cell in rec):
            continue
        if not header_seen:
            header_seen = True
            continue
        rows.append(physical)
    return rows


def _spreadsheet_row(row_number: int, mapping: list[int] | None) -> int:
    if mapping and 1 <= row_number <= len(mapping):
        return mapping[row_number - 1]
    return row_number + 1


def periksa(paths: list[Path], upt_master: Path, warehouse: Path | None = None, *,
            names: list[str] | None = None, wait_seconds: float = 10.0) -> list[Putusan]:
    """The nightly load's verdict on each file, in the order given (which is also the order of receipt).

    ``warehouse``: the serving warehouse whose working warehouse (`<stem>.work.duckdb`) gives the
    context of earlier loads; None = default location; a missing file = no earlier loads.
    ``names``: the file names to check the files under (uploads), default each path's own name.
    """
    from .config import warehouse_paths
    from .ingest.loader import ingest
    from .reference import read_upt_master

    read_upt_master(upt_master)  # a malformed master is a user mistake: one sentence
    names = names or [Path(p).name for p in paths]
    if len(names) != len(paths):
        raise ValueError("one name per path")
    for p in paths:
        if not Path(p).is_file():
            raise UserError(f"{p}: file tidak ditemukan.")
    context_db = warehouse_paths(warehouse).work
    with tempfile.TemporaryDirectory(prefix="monev-periksa-") as tmp:
        base = Path(tmp)
        landing = base / "landing"
        scratch_db = base / "periksa.duckdb"
        upts = {m["kode_upt"].upper() for m in (FILE_NAME_RE.match(n) for n in names) if m}
        _seed(scratch_db, context_db, wait_seconds, upts)
        rel_of: list[str] = []
        t0 = time.time() - len(paths) - 10
        for i, (src, name) in enumerate(zip(paths, names)):
            rel = f"{i:05d}/{name}"
            target = landing / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            # Discovery orders files by modification time: the order given is the order of receipt.
            os.utime(target, (t0 + i, t0 + i))
            rel_of.append(rel)
        ingest(scratch_db, landing, upt_master, base / "staging", pseudonym=os.urandom(32))
        con = duckdb.connect(str(scratch_db), read_only=True)
        try:
            reg = {r[0]: r for r in con.execute(
                """select path, file_id, status, kode_upt, kind, strftime(bulan, '%Y-%m'), reject_code, reject_reason,
                          coalesce(rows_read, 0), coalesce(rows_loaded, 0), coalesce(rows_quarantined, 0),
                          extra_columns
                   from meta.file_registry where load_id > 0""").fetchall()}
            quarantine: dict[int, list[tuple]] = {}
            for fid, row, code, reason in con.execute(
                    """select q.file_id, q.row_number, q.reason_code, q.reason from meta.quarantine q
                       where q.load_id > 0 order by q.file_id, q.row_number, q.reason_code""").fetchall():
                quarantine.setdefault(fid, []).append((row, code, reason))
        finally:
            con.close()
        out: list[Putusan] = []
        for src, name, rel in zip(paths, names, rel_of):
            r = reg.get(rel)
            if r is None:
                out.append(Putusan(str(src), name, DIABAIKAN, alasan=(
                    "muatan malam tidak membaca file dengan nama ini (nama berawalan titik atau manifest.json)")))
                continue
            _path, fid, status, kode, kind, bulan, rcode, rreason, n_read, n_loaded, n_quar, extra = r
            v = Putusan(str(src), name, STATUS_LABEL.get(status, status), kode, kind, bulan, rcode, rreason,
                        n_read, n_loaded, n_quar, [c for c in (extra or "").split(",") if c])
            rows = quarantine.get(fid, [])
            if rows:
                mapping = _csv_rows((landing / rel).read_bytes()) if name.lower().endswith(".csv") else None
                v.karantina = [BarisKarantina(_spreadsheet_row(row, mapping), code, _PREFIX_RE.sub(r"\1", reason))
                               for row, code, reason in rows]
            out.append(v)
        return out


def lines(verdicts: list[Putusan]) -> list[str]:
    """The verdicts as terminal lines (Indonesian)."""
    out = []
    for v in verdicts:
        out.append(f"{v.berkas}: {v.ringkasan()}")
        if v.kolom_tambahan:
            out.append(f"  kolom tambahan diabaikan: {', '.join(v.kolom_tambahan)}")
        for q in v.karantina:
            out.append(f"  baris {q.baris}: {q.alasan} [{q.kode}]")
    n_ok = sum(v.bersih for v in verdicts)
    out.append(f"{len(verdicts)} file diperiksa: {n_ok} diterima tanpa karantina, "
               f"{sum(v.status == 'DITERIMA' and not v.bersih for v in verdicts)} diterima sebagian, "
               f"{sum(v.status in ('DITOLAK', DIABAIKAN) for v in verdicts)} ditolak. Tidak ada yang dimuat.")
    return out
