"""Ingestion of a landing folder into the working warehouse's raw layer.

One call of :func:`ingest` is one load:
1. discover files; skip those already registered with the same path, size and time (unchanged);
2. read each new file's bytes once: hash, name check, encoding/delimiter/header sniff
   (XLSX sheets and Windows-1252 text are transcoded to UTF-8 scratch files);
3. group files that share a layout and read each group with ONE DuckDB `read_csv` call
   (explicit columns, no auto-detection: per-file overhead is the enemy at national scale);
4. validate every staged row in SQL (rules.py): clean rows go to raw.<kind> with lineage,
   bad rows to meta.quarantine with a reason; refused files are registered with their reason;
5. mark the latest accepted version of each (UPT, kind, month) current.
Steps 3-5 run in one transaction: a load killed half-way leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .. import kedatangan as K
from ..errors import UserError
from .. import privacy as P
from ..ops_status import close_interrupted, fault_point, pause_point, process_tag
from ..reference import load_reference
from ..spec import AGE_BANDS, INDUSTRY_DIMENSIONS, LOAD_ORDER, SPEC
from . import files as F
from . import guard as G
from .rules import MACROS, PERSONAL, validation_sql
from .schema import RAW_COLUMNS, create_all

log = logging.getLogger("monev.ingest")

MIN_KEY_CHARS = 32


def pseudonym_key() -> bytes:
    """The secret key of the NIK pseudonyms: always required, there is no built-in key."""
    key = os.environ.get("MONEV_PSEUDONYM_KEY", "").strip()
    if not key:
        raise UserError("MONEV_PSEUDONYM_KEY is not set: set the secret pseudonymisation key before loading "
                        "(see README, 'Pseudonymisation key'; `make demo` creates data/pseudonym.key).")
    if len(key) < MIN_KEY_CHARS:
        raise UserError(f"MONEV_PSEUDONYM_KEY is shorter than {MIN_KEY_CHARS} characters: use a random secret "
                        "such as the output of `openssl rand -hex 32`.")
    return key.encode()


def nik_pseudonym(nik: str, key: bytes) -> str:
    """Keyed hash of a NIK (HMAC-SHA256, hex). The same NIK and key always give the same value."""
    return hmac.new(key, nik.encode(), hashlib.sha256).hexdigest()


@dataclass
class LoadSummary:
    load_id: int
    files_seen: int = 0
    files_new: int = 0
    files_accepted: int = 0
    files_replaced: int = 0
    files_unchanged: int = 0
    files_identical: int = 0
    files_rejected: int = 0
    files_deferred: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (path, code, reason)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"Muatan #{self.load_id}: {self.files_seen} file ditemukan, {self.files_new} baru.",
            f"  diterima: {self.files_accepted} (menggantikan versi lama: {self.files_replaced}), "
            f"tidak berubah: {self.files_unchanged}, kiriman ulang identik: {self.files_identical}, "
            f"ditolak: {self.files_rejected}" + (f", ditunda (sedang berubah): {self.files_deferred}" if self.files_deferred else ""),
            f"  baris dimuat: {self.rows_loaded}, baris dikarantina: {self.rows_quarantined}",
        ]
        for path, code, reason in self.rejected[:50]:
            out.append(f"  DITOLAK {path}: {reason} [{code}]")
        if len(self.rejected) > 50:
            out.append(f"  ... dan {len(self.rejected) - 50} file ditolak lainnya (lihat meta.file_registry)")
        return out


@dataclass
class _Candidate:
    landed: F.LandedFile
    file_id: int
    name: F.ParsedName
    sha256: str
    sniffed: F.Sniffed | None = None
    status: str = "PENDING"
    reject_code: str | None = None
    reject_reason: str | None = None
    read_path: Path | None = None
    extra_columns: list[str] = field(default_factory=list)
    expected_rows: int | None = None  # data records counted by a second reader (guard.py)
    masked_path: str | None = None  # relpath as registered (privacy.mask_path)

    def reject(self, code: str, reason: str) -> None:
        self.status, self.reject_code, self.reject_reason = "REJECTED", code, reason


def _insert_rows(con, table: str, columns: list[str], rows: list[tuple], types: dict[str, str] | None = None) -> None:
    """Bulk insert through a pandas frame: one vectorised statement, not one statement per row."""
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=columns)
    name = f"_frame_{table.replace('.', '_')}"
    con.register(name, frame)
    try:
        select = ", ".join(f"cast({c} as {types[c]})" if types and c in types else c for c in columns)
        con.execute(f"insert into {table} ({', '.join(columns)}) select {select} from {name}")
    finally:
        con.unregister(name)


def _age_band_sql(birth: str, at: str) -> str:
    age = f"date_sub('year', {birth}, {at})"
    cases = " ".join(f"when {age} between {lo} and {hi} then '{band}'" for band, lo, hi in AGE_BANDS)
    return f"case {cases} end"


def ingest(work_db: Path, landing: Path, upt_master: Path, scratch_dir: Path,
           reload: list | None = None, *, pseudonym: bytes | None = None, landed: list | None = None) -> LoadSummary:
    """One load. ``reload``: ops_status.Selector list of UPT-months whose files are registered and
    loaded again even when unchanged (a forced re-ingestion, e.g. after a rule or master change).
    ``pseudonym``: the NIK pseudonym key to use instead of MONEV_PSEUDONYM_KEY (a throw-away key for
    the scratch loads of `monev periksa`, whose warehouse is deleted). ``landed``: the listing of the
    landing folder made just before (files.discover), to list it once in a no-op load."""
    if not landing.is_dir():
        raise UserError(f"{landing}: landing folder does not exist.")
    started = time.perf_counter()
    key = pseudonym or pseudonym_key()
    os.umask(0o077)  # everything the load writes (warehouse, WAL, staging) is readable by its owner only
    work_db.parent.mkdir(parents=True, exist_ok=True)
    P.secure_folder(work_db.parent, prefix=work_db.name.split(".")[0])
    shutil.rmtree(scratch_dir, ignore_errors=True)  # left by a load that was killed mid-parse
    from ..config import duckdb_config

    con = duckdb.connect(str(work_db), config=duckdb_config())
    try:
        con.execute("set enable_progress_bar = false")
        create_all(con)
        con.execute(P.MACRO)
        con.execute(MACROS)
        close_interrupted(con)  # loads left BERJALAN by a killed process
        load_id = con.execute("select coalesce(max(load_id), 0) + 1 from meta.loads").fetchall()[0][0]
        con.execute(
            "insert into meta.loads (load_id, started_at, status, message) values (?, now()::timestamp, 'BERJALAN', ?)",
            [load_id, process_tag()])
        pause_point(work_db.parent)  # test hook (MONEV_TEST_PAUSE_INGEST), off by default
        unreadable: dict[str, str] = {}
        for _attempt in range(6):
            summary = LoadSummary(load_id)
            con.execute("begin transaction")
            try:
                load_reference(con, upt_master)
                _run(con, summary, landing, scratch_dir, key, reload or [], unreadable, landed)
                break
            except _BrokenCsv as exc:
                # A DuckDB read error aborts the whole transaction: roll back, remember which
                # files are unreadable, and run the load again with them rejected up front.
                con.execute("rollback")
                unreadable.update(exc.files)
            except BaseException:
                con.execute("rollback")
                raise
        else:
            raise RuntimeError(f"{landing}: too many unreadable CSV groups in one load")
        try:
            fault_point("ingest")  # test hook (MONEV_FAULT_AT), off by default
            con.execute(
                """update meta.loads set finished_at = now()::timestamp, status = 'SELESAI', message = null, files_seen = ?,
                   files_accepted = ?, files_replaced = ?, files_unchanged = ?, files_identical = ?,
                   files_rejected = ?, rows_loaded = ?, rows_quarantined = ? where load_id = ?""",
                [summary.files_seen, summary.files_accepted, summary.files_replaced, summary.files_unchanged,
                 summary.files_identical, summary.files_rejected, summary.rows_loaded, summary.rows_quarantined,
                 load_id],
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        summary.seconds = time.perf_counter() - started
        return summary
    finally:
        con.close()
        shutil.rmtree(scratch_dir, ignore_errors=True)


class _BrokenCsv(Exception):
    """Files whose CSV structure DuckDB cannot read at all ({relpath: reason})."""

    def __init__(self, files: dict[str, str]):
        super().__init__(", ".join(files))
        self.files = files


def _run(con, summary: LoadSummary, landing: Path, scratch_dir: Path, key: bytes, reload: list,
         unreadable: dict[str, str] | None = None, landed: list | None = None) -> None:
    unreadable = unreadable or {}
    kanwil_of = dict(con.execute("select kode_upt, kode_kanwil from ref.upt").fetchall())
    known_upts = set(kanwil_of)
    landed = F.discover(landing) if landed is None else landed
    summary.files_seen = len(landed)
    known = {
        (r[0], r[1], r[2])
        for r in con.execute("select path, size_bytes, mtime_ns from meta.file_registry").fetchall()
    }
    forced: set[str] = set()
    if reload:
        for f in landed:
            n = F.parse_file_name(f.path.name, known_upts)
            if not n.reject_code and any(s.matches(n.kode_upt, kanwil_of.get(n.kode_upt), n.bulan) for s in reload):
                forced.add(f.relpath)
    masked_known = any("[disamarkan" in k[0] or "[NIK disamarkan]" in k[0] for k in known)

    def is_known(f: F.LandedFile) -> bool:  # registered paths are stored masked (privacy.py)
        if (f.relpath, f.size, f.mtime_ns) in known:
            return True
        return masked_known and any((v, f.size, f.mtime_ns) in known for v in P.path_variants(f.relpath, key))

    new = [f for f in landed if not is_known(f) or f.relpath in forced]
    summary.files_unchanged = len(landed) - len(new)
    summary.files_new = len(new)
    if not new:
        return
    current_sha = {
        (r[0], r[1], r[2]): r[3]
        for r in con.execute(
            "select kode_upt, kind, bulan, sha256 from meta.file_registry where is_current").fetchall()
    }
    next_id = con.execute("select coalesce(max(file_id), 0) + 1 from meta.file_registry").fetchall()[0][0]
    limits = G.Limits.from_env()
    xlsx = G.XlsxWorker(limits)  # started on the first XLSX only
    candidates: list[_Candidate] = []
    try:
        for lf in new:  # discovery order is the order of receipt (mtime, then path)
            too_big = G.file_size_problem(lf.size, limits)
            try:
                data = _hash_only(lf.path) if too_big else lf.path.read_bytes()
                st = lf.path.stat()
            except OSError:
                summary.files_deferred += 1  # vanished or unreadable right now: try again next load
                continue
            if st.st_size != lf.size or st.st_mtime_ns != lf.mtime_ns or (not too_big and len(data) != lf.size):
                summary.files_deferred += 1  # still being written: picked up by a later load
                continue
            sha = data if too_big else F.sha256_bytes(data)
            cand = _Candidate(lf, next_id, F.parse_file_name(lf.path.name, known_upts), sha)
            next_id += 1
            candidates.append(cand)
            if cand.name.reject_code:
                cand.reject(cand.name.reject_code, cand.name.reject_reason)
                continue
            if too_big:
                cand.reject("UNREADABLE", too_big)
                continue
            group = (cand.name.kode_upt, cand.name.kind, cand.name.bulan)
            if current_sha.get(group) == cand.sha256 and lf.relpath not in forced:
                cand.status = "IDENTICAL"
                continue
            if lf.relpath in unreadable:
                cand.reject("UNREADABLE", unreadable[lf.relpath])
                continue
            _sniff(cand, data, scratch_dir, limits, xlsx)
            del data
            if cand.status != "REJECTED":
                current_sha[group] = cand.sha256
    finally:
        xlsx.close()
    _register(con, summary, candidates, landing)
    accepted = [c for c in candidates if c.status == "PENDING"]
    if accepted:
        _load_batch(con, summary, accepted, key)
    _finalise_registry(con, summary, candidates)
    _mask_registry(con, summary, candidates, key)


def _hash_only(path: Path) -> str:
    """sha256 of a file too large to be read into memory (it is rejected; the hash identifies it)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sniff(cand: _Candidate, data: bytes, scratch_dir: Path, limits: G.Limits, xlsx: G.XlsxWorker) -> None:
    kind = SPEC[cand.name.kind]
    if cand.name.ext == "xlsx":
        problem = G.xlsx_problem(cand.landed.path, limits)
        if problem:
            cand.sniffed = F.Sniffed("xlsx")
            cand.reject("UNREADABLE", problem)
            return
        scratch_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        out = scratch_dir / f"{cand.file_id}.csv"
        answer = xlsx.parse(cand.landed.path, cand.name.kind, out)
        if "error" in answer:
            cand.sniffed = F.Sniffed("xlsx")
            cand.reject("UNREADABLE", answer["error"])
            return
        sn = F.Sniffed("xlsx", header=answer["header"], delimiter=",")
        cand.expected_rows = answer["rows"]
        cand.read_path = out
    else:
        sn = F.sniff_csv(data)
    cand.sniffed = sn
    if sn.reject_code:
        sn.decoded = None
        cand.reject(sn.reject_code, sn.reject_reason)
        return
    wide = G.width_problem(len(sn.header), limits)
    if wide:
        sn.decoded = None
        cand.reject("UNREADABLE", wide)
        return
    if sn.format == "csv":
        cand.expected_rows, problem = G.count_records(sn.decoded, sn.delimiter, len(sn.header))
        sn.decoded = None  # free memory
        problem = problem or G.cells_problem(cand.expected_rows, len(sn.header), limits)
        if problem:
            cand.reject("UNREADABLE", problem)
            return
    present = set(sn.header)
    missing = [c for c in kind.required if c not in present]
    if missing:
        cand.reject("MISSING_COLUMN", f"kolom wajib tidak ada: {', '.join(missing)}")
        return
    dupes = sorted({h for h in sn.header if h and sn.header.count(h) > 1})
    if dupes:
        cand.reject("UNREADABLE", f"judul kolom ganda: {', '.join(dupes)}")
        return
    cand.extra_columns = [h for h in sn.header if h not in kind.names and h != "kode_upt"]
    if cand.read_path is not None:
        return  # an XLSX sheet already written by the worker
    if sn.rows is not None or sn.text is not None:
        cand.read_path = scratch_dir / f"{cand.file_id}.csv"
        F.write_normalised_csv(cand.read_path, sn.header, sn.rows, sn.text)
        if sn.rows is not None:
            sn.delimiter = ","
        sn.rows = sn.text = None  # free memory
    else:
        cand.read_path = cand.landed.path


def _register(con, summary: LoadSummary, candidates: list[_Candidate], landing: Path) -> None:
    if not candidates:
        return
    now = dt.datetime.now().replace(microsecond=0)
    arrival = _arrivals(con, candidates, landing, now)
    rows = []
    for c in candidates:
        sn = c.sniffed
        received, akun = arrival[c.file_id]
        rows.append((
            c.file_id, summary.load_id, c.landed.relpath, c.landed.path.name, c.name.kode_upt, c.name.kind,
            c.name.bulan, sn.format if sn else c.name.ext, sn.encoding if sn else None, sn.delimiter if sn else None,
            c.sha256, c.landed.size, c.landed.mtime_ns, received, now, c.status, c.reject_code, c.reject_reason,
            ",".join(c.extra_columns) or None, False, akun,
        ))
    _insert_rows(
        con, "meta.file_registry",
        ["file_id", "load_id", "path", "file_name", "kode_upt", "kind", "bulan", "format", "encoding", "delimiter",
         "sha256", "size_bytes", "mtime_ns", "received_at", "registered_at", "status", "reject_code",
         "reject_reason", "extra_columns", "is_current", "submitted_by"],
        rows,
        types={"bulan": "DATE", "kode_upt": "VARCHAR", "kind": "VARCHAR", "encoding": "VARCHAR",
               "delimiter": "VARCHAR", "reject_code": "VARCHAR", "reject_reason": "VARCHAR",
               "extra_columns": "VARCHAR", "received_at": "TIMESTAMP", "registered_at": "TIMESTAMP",
               "submitted_by": "VARCHAR"},
    )


def _arrivals(con, candidates: list[_Candidate], landing: Path, now: dt.datetime) -> dict:
    """{file_id: (received_at, submitted_by)}: the file's arrival record (<landing>/.kedatangan/, written
    by uploads and the generator) or, without one, the time of this first registration. Never the
    file's modification time (KPI_DICTIONARY, Timeliness; docs/DECISIONS.md)."""
    shas = sorted({c.sha256 for c in candidates})
    prior = {(r[0], r[1]): r[2] for r in con.execute(
        """select sha256, file_name, max(received_at) from meta.file_registry
           where sha256 in (select unnest(?)) group by 1, 2""", [shas]).fetchall()}
    used: dict[tuple[str, str], set] = defaultdict(set)
    out = {}
    for c in candidates:
        k = (c.sha256, c.landed.path.name)
        pick = K.choose(K.arrivals(landing, c.sha256, c.landed.path.name), prior.get(k), used[k])
        if pick is None:
            out[c.file_id] = (now, None)
        else:
            used[k].add(pick[0])
            out[c.file_id] = pick
    return out


def _stage_groups(con, kind_name: str, cands: list[_Candidate]) -> None:
    """Read every file of one kind into temp table stage_<kind>: one read_csv per delimiter.

    Files differ in column order, header spelling and optional columns, so a group is read
    positionally (c0..cN-1, N = the widest header) and each file's own header maps positions to
    spec columns through a small mapping table: no per-file DuckDB call, whatever the layouts.
    """
    kind = SPEC[kind_name]
    cols = ", ".join(f"{n} VARCHAR" for n in kind.names)
    con.execute(f"create or replace temp table stage_{kind_name} (_file_id BIGINT, _row_number INTEGER, "
                f"{cols}, kode_upt_col VARCHAR)")
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for c in cands:
        groups[c.sniffed.delimiter].append(c)
    for delimiter, members in groups.items():
        _stage_group(con, kind_name, delimiter, members)


def _probe_broken(members: list[_Candidate], delimiter: str, positional: dict, exc: Exception) -> dict[str, str]:
    """{relpath: reason} of the members DuckDB cannot read at all, each read alone (bisection)."""
    probe = duckdb.connect(":memory:")
    broken: dict[str, str] = {}

    def readable(group: list[_Candidate]) -> bool:
        try:
            probe.execute(
                "select count(*) from read_csv(?, delim = ?, header = true, columns = ?, auto_detect = false, "
                "null_padding = true, quote = '\"', escape = '\"', store_rejects = true, parallel = false)",
                [[str(m.read_path) for m in group], delimiter, positional])
            return True
        except duckdb.Error as one:
            if len(group) == 1:
                broken[group[0].landed.relpath] = f"struktur CSV rusak: {str(one).splitlines()[0][:160]}"
            return False

    def bisect(group: list[_Candidate]) -> None:
        if readable(group) or len(group) == 1:
            return
        half = len(group) // 2
        bisect(group[:half])
        bisect(group[half:])

    try:
        bisect(members)
    finally:
        probe.close()
    return broken or {m.landed.relpath: f"struktur CSV rusak: {str(exc).splitlines()[0][:160]}" for m in members}


def _stage_group(con, kind_name: str, delimiter: str, members: list[_Candidate]) -> None:
    kind = SPEC[kind_name]
    width = max(len(c.sniffed.header) for c in members)
    positional = {f"c{i}": "VARCHAR" for i in range(width)}
    by_path = {str(c.read_path): c for c in members}
    try:
        con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
        con.execute(
            "create or replace temp table grp as select * from read_csv(?, delim = ?, header = true, "
            "columns = ?, auto_detect = false, filename = true, null_padding = true, quote = '\"', escape = '\"', "
            "store_rejects = true, parallel = false)",
            [list(by_path), delimiter, positional],
        )
    except duckdb.Error as exc:
        # A read error aborts the load's transaction: nothing more can run on `con`. Find the
        # broken file(s) on a scratch connection and let ingest() roll back and run the load again
        # with them rejected up front (tests/test_ops_inputs.py).
        raise _BrokenCsv(_probe_broken(members, delimiter, positional, exc)) from exc
    bad = con.execute(
        "select s.file_path, min(e.line), any_value(e.error_type) from reject_errors e "
        "join reject_scans s using (scan_id, file_id) group by 1").fetchall()
    for path, line, err in bad:
        c = by_path.get(path)
        if c:
            c.reject("UNREADABLE", f"baris file {line} rusak ({err.lower()}): jumlah kolom tidak sesuai judul")
    ok = {p: c for p, c in by_path.items() if c.status != "REJECTED"}
    if not ok:
        con.execute("drop table grp")
        return
    targets = [*kind.names, "kode_upt"]
    con.execute(
        "create or replace temp table grp_files (filename VARCHAR, file_id BIGINT, header_len INTEGER, "
        + ", ".join(f"pos_{t} INTEGER" for t in targets) + ")")
    _insert_rows(
        con, "grp_files", ["filename", "file_id", "header_len", *[f"pos_{t}" for t in targets]],
        [(p, c.file_id, len(c.sniffed.header),
          *[(c.sniffed.header.index(t) + 1 if t in c.sniffed.header else None) for t in targets])
         for p, c in ok.items()],
        types={f"pos_{t}": "INTEGER" for t in targets},
    )
    cells = ", ".join(f"g.c{i}" for i in range(width))
    con.execute(
        f"""create or replace temp table grp_rows as
            select gf.*, (g.rowid - min(g.rowid) over (partition by g.filename) + 1)::integer as row_no,
                   [{cells}] as cells
            from grp g join grp_files gf on gf.filename = g.filename"""
    )
    # A data line with more cells than its own header: the file's structure is broken.
    for fid, row_no in con.execute(
            """select file_id, min(row_no) from grp_rows
               where len(list_filter(cells[header_len + 1:], lambda x: x is not null)) > 0 group by 1""").fetchall():
        c = next(c for c in ok.values() if c.file_id == fid)  # rare: only broken files
        c.reject("UNREADABLE", f"baris data {row_no} berisi lebih banyak sel daripada judul kolom")
        con.execute("delete from grp_rows where file_id = ?", [fid])
    # Rows read must be the file's records, counted by a second reader (guard.count_records): a
    # parse that stopped early or merged lines rejects the file whole instead of losing rows.
    staged = dict(con.execute("select file_id, count(*) from grp_rows group by 1").fetchall())
    for c in ok.values():
        got = staged.get(c.file_id, 0)
        if c.status == "PENDING" and c.expected_rows is not None and got != c.expected_rows:
            c.reject("UNREADABLE", f"jumlah baris terbaca ({got}) tidak sama dengan jumlah rekaman di file "
                                   f"({c.expected_rows}, dihitung terpisah): file ditolak utuh agar tidak ada "
                                   "baris yang hilang diam-diam")
            con.execute("delete from grp_rows where file_id = ?", [c.file_id])
    select = ", ".join(f"cells[pos_{t}]" for t in targets)
    con.execute(f"insert into stage_{kind_name} select file_id, row_no, {select} from grp_rows")
    con.execute("drop table grp; drop table grp_files; drop table grp_rows")


def _load_batch(con, summary: LoadSummary, accepted: list[_Candidate], key: bytes) -> None:
    by_id = {c.file_id: c for c in accepted}
    codes = _reference_codes(con)
    by_kind: dict[str, list[_Candidate]] = defaultdict(list)
    for c in accepted:
        by_kind[c.name.kind].append(c)
    con.execute("create or replace temp table personal_terms (kode_upt VARCHAR, jenis VARCHAR, term VARCHAR)")
    for kind_name in LOAD_ORDER:
        cands = by_kind.get(kind_name)
        if not cands:
            continue
        _stage_groups(con, kind_name, cands)
        # A kode_upt column, when present, must agree with the file name.
        con.execute("create or replace temp table batch_files (file_id BIGINT, kode_upt VARCHAR, bulan DATE, "
                    "load_id BIGINT)")
        live = [c for c in cands if c.status == "PENDING"]
        if not live:
            continue
        _insert_rows(con, "batch_files", ["file_id", "kode_upt", "bulan", "load_id"],
                     [(c.file_id, c.name.kode_upt, c.name.bulan, summary.load_id) for c in live],
                     types={"bulan": "DATE"})
        mismatched = con.execute(
            f"""select distinct s._file_id, f.kode_upt, upper(trim(s.kode_upt_col)) from stage_{kind_name} s
                join batch_files f on f.file_id = s._file_id
                where not monev_blank(s.kode_upt_col) and upper(trim(s.kode_upt_col)) <> f.kode_upt""").fetchall()
        for fid, expected, found in mismatched:
            if by_id[fid].status == "PENDING":
                by_id[fid].reject("UPT_MISMATCH",
                                  f"kolom kode_upt berisi '{found}', padahal nama file menyebut {expected}")
        if mismatched:
            ids = sorted({m[0] for m in mismatched})
            con.execute(f"delete from stage_{kind_name} where _file_id in (select unnest(?))", [ids])
            con.execute("delete from batch_files where file_id in (select unnest(?))", [ids])
        if kind_name == "narapidana":
            _collect_personal_terms(con)
        _mask_free_text(con, kind_name)
        _prepare_lookups(con, kind_name, key)
        _validate_and_insert(con, summary, kind_name, codes)
        con.execute(f"drop table stage_{kind_name}")


def _collect_personal_terms(con) -> None:
    """NIKs, names and birth dates (as written, trimmed, lower case) of this load's inmates."""
    con.execute(
        """insert into personal_terms
           with d as (select f.kode_upt, s.nik, s.nama, s.tanggal_lahir from stage_narapidana s
                      join batch_files f on f.file_id = s._file_id)
           select kode_upt, 'nik', lower(trim(nik)) from d where length(trim(nik)) >= 4
           union all select kode_upt, 'nama', lower(trim(nama)) from d where length(trim(nama)) >= 4
           union all select kode_upt, 'lahir', lower(trim(tanggal_lahir)) from d where length(trim(tanggal_lahir)) >= 4""")


def _date_as_iso(expr: str) -> str:
    return (f"coalesce(try_strptime({expr}, '%Y-%m-%d'), try_strptime({expr}, '%d/%m/%Y'), "
            f"try_strptime({expr}, '%d-%m-%Y'))::date::varchar")


_DATE_LIKE = "[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}"


def _mask_free_text(con, kind_name: str) -> None:
    """Free text of the staged rows: NIK-like numbers, and values equal to a NIK, name or birth date
    (in any accepted date spelling) of the same UPT's inmates in this load, masked before anything
    is validated, stored or shown.

    One scan finds whether anything must be masked at all (the usual answer is no); only then are
    the columns rewritten."""
    cols = [c for c in P.FREE_TEXT if c in SPEC[kind_name].names]
    if not cols:
        return
    values = ", ".join(cols)
    con.execute(
        f"""create or replace temp table free_values as
            select distinct f.kode_upt, lower(trim(u.v)) as v from stage_{kind_name} s
            join batch_files f on f.file_id = s._file_id, unnest([{values}]) as u(v)
            where length(trim(u.v)) >= 4""")
    nik_like, equal, dates = con.execute(
        f"""select count(*) filter (where regexp_matches(v, '{P.NIK_LIKE_SQL}')),
                   (select count(*) from free_values x join personal_terms t on t.kode_upt = x.kode_upt
                    and t.term = x.v),
                   count(*) filter (where regexp_full_match(v, '{_DATE_LIKE}'))
            from free_values""").fetchone()
    if dates:  # a date typed in free text: compared with the birth dates of that UPT's inmates as dates
        con.execute(
            f"""create or replace temp table birth_iso as
                select distinct t.kode_upt, {_date_as_iso("t.term")} as iso from personal_terms t
                where t.jenis = 'lahir' and t.kode_upt in (select kode_upt from free_values
                                                          where regexp_full_match(v, '{_DATE_LIKE}'))""")
        dates = con.execute(
            f"""select count(*) from free_values x join birth_iso b on b.kode_upt = x.kode_upt
                and b.iso = {_date_as_iso("x.v")} where regexp_full_match(x.v, '{_DATE_LIKE}')""").fetchone()[0]
    con.execute("drop table free_values")
    for col in cols:
        if nik_like:
            con.execute(f"update stage_{kind_name} set {col} = monev_mask({col}) "
                        f"where regexp_matches({col}, '{P.NIK_LIKE_SQL}')")
        if equal:
            con.execute(
                f"""update stage_{kind_name} s set {col} = '{P.VALUE_MASK}' where exists (
                        select 1 from batch_files f join personal_terms t on t.kode_upt = f.kode_upt
                        where f.file_id = s._file_id and t.term = lower(trim(s.{col})))""")
        if dates:
            con.execute(
                f"""update stage_{kind_name} s set {col} = '{P.VALUE_MASK}' where exists (
                        select 1 from batch_files f join birth_iso b on b.kode_upt = f.kode_upt
                        where f.file_id = s._file_id and regexp_full_match(trim(s.{col}), '{_DATE_LIKE}')
                          and b.iso = {_date_as_iso(f"trim(s.{col})")})""")


def _prepare_lookups(con, kind_name: str, key: bytes) -> None:
    kind = SPEC[kind_name]
    for ref_kind, _col in kind.references:
        ref_key = SPEC[ref_kind].key[0]
        con.execute(
            f"""create or replace temp table sent_{ref_kind} as
                select distinct kode_upt, {ref_key} as record_key from raw.{ref_kind}
                union select distinct kode_upt, record_key from meta.quarantine
                where kind = '{ref_kind}' and record_key is not null"""
        )
    if kind_name == "pnbp":
        # The first UPT to report an NTPN owns it (earlier loads, then order of receipt in this batch).
        con.execute(
            """create or replace temp table ntpn_owner as
               with seen as (
                   select p.ntpn, p.kode_upt, r.received_at, r.file_id from raw.pnbp p
                   join meta.file_registry r on r.file_id = p._file_id
                   union all
                   select monev_code(s.ntpn), f.kode_upt, r.received_at, r.file_id from stage_pnbp s
                   join batch_files f on f.file_id = s._file_id
                   join meta.file_registry r on r.file_id = s._file_id
                   where not monev_blank(s.ntpn))
               select ntpn, arg_min(kode_upt, (received_at, file_id)) as kode_upt from seen group by ntpn"""
        )
    if kind_name == "narapidana":
        niks = con.execute(
            """select distinct trim(nik) from stage_narapidana
               where regexp_full_match(trim(nik), '[0-9]{16}')""").fetchall()
        con.execute("create or replace temp table nik_map (nik VARCHAR, nik_hash VARCHAR)")
        if niks:
            import pandas as pd

            frame = pd.DataFrame({"nik": [n[0] for n in niks]})
            frame["nik_hash"] = [nik_pseudonym(n, key) for n in frame["nik"]]
            con.register("nik_frame", frame)
            con.execute("insert into nik_map select nik, nik_hash from nik_frame")
            con.unregister("nik_frame")


def _reference_codes(con) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Allowed codes that live in reference data, read once per load."""
    taxonomy = {"subbidang": {r[0] for r in con.execute("select kode_subbidang from ref.subbidang").fetchall()}}
    for dim in INDUSTRY_DIMENSIONS:
        taxonomy[dim] = {r[0] for r in con.execute("select kode from ref.industri where dimensi = ?", [dim]).fetchall()}
    subbidang_bidang = dict(con.execute("select kode_subbidang, kode_bidang from ref.subbidang").fetchall())
    return taxonomy, subbidang_bidang


def _validate_and_insert(con, summary: LoadSummary, kind_name: str, codes) -> None:
    kind = SPEC[kind_name]
    sql = validation_sql(kind_name, *codes)
    con.execute(f"create or replace temp table v as {sql}")
    target_cols = [c for c, _t in RAW_COLUMNS[kind_name]]
    if kind_name == "narapidana":
        exprs = []
        for c in target_cols:
            if c == "nik_hash":
                exprs.append("m.nik_hash")
            elif c == "kelompok_umur":
                exprs.append(_age_band_sql("v.tanggal_lahir", "last_day(v.bulan)"))
            else:
                exprs.append(f"v.{c}")
        source = "v left join nik_map m on m.nik = v.nik"
    else:
        exprs = [f"v.{c}" for c in target_cols]
        source = "v"
    con.execute(
        f"""insert into raw.{kind_name} (kode_upt, bulan, {', '.join(target_cols)}, _file_id, _row_number, _load_id)
            select v.kode_upt, v.bulan, {', '.join(exprs)}, v._file_id, v._row_number, v.load_id
            from {source} where len(v.reasons) = 0"""
    )
    # Quarantine: one row per (row, reason); the record as read, without personal data.
    record_cols = [n for n in kind.names if n not in PERSONAL]
    record = ", ".join(f"'{n}': {'s.' + n if n == 'ntpn' else f'monev_mask(s.{n})'}" for n in record_cols)
    key_col = kind.key[0]
    # NTPN (16 characters, possibly all digits) is the deposit's own identifier, never masked.
    reason, record_key = ("x.reason", f"v.{key_col}") if kind_name == "pnbp" else \
        ("monev_mask(x.reason)", f"monev_mask(v.{key_col})")
    # One row per (row, reason code): several problems of the same kind in one row are joined.
    con.execute(
        f"""insert into meta.quarantine
            with reasons as (
                select v._file_id, v._row_number, split_part(r.reason, chr(9), 1) as code,
                       string_agg(split_part(r.reason, chr(9), 2), '; ') as reason
                from v, unnest(v.reasons) as r(reason)
                where len(v.reasons) > 0
                group by all)
            select v._file_id, v.load_id, '{kind_name}', v.kode_upt, v.bulan, v._row_number, x.code, {reason},
                   {record_key}, to_json({{{record}}})
            from reasons x
            join v on v._file_id = x._file_id and v._row_number = x._row_number
            join stage_{kind_name} s on s._file_id = v._file_id and s._row_number = v._row_number"""
    )
    con.execute(
        """update meta.file_registry r set rows_read = c.rows_read, rows_quarantined = c.rows_quarantined,
           rows_loaded = c.rows_read - c.rows_quarantined
           from (select _file_id as file_id, count(*)::integer as rows_read,
                        (count(*) filter (where len(reasons) > 0))::integer as rows_quarantined
                 from v group by 1) c
           where r.file_id = c.file_id"""
    )
    con.execute("drop table v")


def _finalise_registry(con, summary: LoadSummary, candidates: list[_Candidate]) -> None:
    if not candidates:
        return
    for c in candidates:
        if c.status == "PENDING":
            c.status = "LOADED"
    con.execute("create or replace temp table outcomes (file_id BIGINT, status VARCHAR, reject_code VARCHAR, "
                "reject_reason VARCHAR)")
    _insert_rows(con, "outcomes", ["file_id", "status", "reject_code", "reject_reason"],
                 [(c.file_id, c.status, c.reject_code, c.reject_reason) for c in candidates],
                 types={"reject_code": "VARCHAR", "reject_reason": "VARCHAR"})
    con.execute(
        """update meta.file_registry r set status = o.status, reject_code = o.reject_code,
           reject_reason = o.reject_reason from outcomes o where r.file_id = o.file_id""")
    con.execute("drop table outcomes")
    # Files accepted with no data rows (header only) have read nothing.
    con.execute(
        """update meta.file_registry set rows_read = 0, rows_loaded = 0, rows_quarantined = 0
           where status = 'LOADED' and rows_read is null"""
    )
    _prove_row_counts(con, summary, candidates)
    # The current version of each (UPT, kind, month): the latest received accepted file.
    con.execute(
        """create or replace temp table affected as
           select distinct kode_upt, kind, bulan from meta.file_registry where load_id = ? and status = 'LOADED'""",
        [summary.load_id],
    )
    con.execute(
        """update meta.file_registry r set is_current = (w.rn = 1)
           from (select file_id, row_number() over (partition by kode_upt, kind, bulan
                                                    order by received_at desc, file_id desc) as rn
                 from meta.file_registry where status = 'LOADED'
                   and (kode_upt, kind, bulan) in (select (kode_upt, kind, bulan) from affected)) w
           where r.file_id = w.file_id"""
    )
    # Each new accepted version records the version it replaced (the previous current one, or the
    # accepted version received just before it in this batch).
    con.execute(
        """update meta.file_registry r set replaces_file_id = w.prev_id
           from (select file_id, lag(file_id) over (partition by kode_upt, kind, bulan
                                                    order by received_at, file_id) as prev_id
                 from meta.file_registry where status = 'LOADED'
                   and (kode_upt, kind, bulan) in (select (kode_upt, kind, bulan) from affected)) w
           where r.file_id = w.file_id and r.load_id = ? and w.prev_id is not null""",
        [summary.load_id],
    )
    stats = con.execute(
        """select count(*) filter (where status = 'LOADED'), count(*) filter (where status = 'LOADED'
                  and replaces_file_id is not null), count(*) filter (where status = 'IDENTICAL'),
                  count(*) filter (where status = 'REJECTED'), coalesce(sum(rows_loaded), 0),
                  coalesce(sum(rows_quarantined), 0)
           from meta.file_registry where load_id = ?""", [summary.load_id]).fetchall()[0]
    (summary.files_accepted, summary.files_replaced, summary.files_identical, summary.files_rejected,
     summary.rows_loaded, summary.rows_quarantined) = (int(x) for x in stats)
    summary.rejected = [(c.landed.relpath, c.reject_code, c.reject_reason) for c in candidates if c.status == "REJECTED"]
    con.execute("drop table affected")


def _mask_registry(con, summary: LoadSummary, candidates: list[_Candidate], key: bytes) -> None:
    """Folder and file names, extra column headers and reasons of this load's files: NIK-like numbers
    and components equal to a NIK, name or birth date of an inmate in this load masked before the
    transaction commits (nothing clear reaches the warehouse file, the summary or the run log)."""
    if not candidates:
        return
    pieces: set[str] = set()
    for c in candidates:
        pieces.update(P.path_terms(c.landed.relpath).values())
        pieces.update(P.normalise_term(h) for h in c.extra_columns)
    personal: set[str] = set()
    if pieces and con.execute("select count(*) from duckdb_tables() where table_name = 'personal_terms' "
                              "and temporary").fetchone()[0]:
        personal = {r[0] for r in con.execute(
            "select distinct term from personal_terms where term in (select unnest(?))", [sorted(pieces)]).fetchall()}
    changes = []
    for c in candidates:
        path = P.mask_path(c.landed.relpath, personal, key)
        name = path.rsplit("/", 1)[-1]
        replacements = {c.landed.relpath: path, c.landed.path.name: name}
        extra = [P.VALUE_MASK if P.normalise_term(h) in personal else P.mask_nik_like(h) for h in c.extra_columns]
        reason = P.mask_text(c.reject_reason, replacements)
        if (path, reason, extra) != (c.landed.relpath, c.reject_reason, c.extra_columns):
            changes.append((c.file_id, path, name, ",".join(extra) or None, reason))
        c.masked_path, c.reject_reason = path, reason
    if changes:
        con.execute("create or replace temp table masked (file_id BIGINT, path VARCHAR, file_name VARCHAR, "
                    "extra_columns VARCHAR, reject_reason VARCHAR)")
        _insert_rows(con, "masked", ["file_id", "path", "file_name", "extra_columns", "reject_reason"], changes,
                     types={"extra_columns": "VARCHAR", "reject_reason": "VARCHAR"})
        con.execute("""update meta.file_registry r set path = m.path, file_name = m.file_name,
                       extra_columns = m.extra_columns, reject_reason = m.reject_reason
                       from masked m where r.file_id = m.file_id""")
        con.execute("drop table masked")
    summary.rejected = [(c.masked_path, c.reject_code, c.reject_reason) for c in candidates if c.status == "REJECTED"]


def _prove_row_counts(con, summary: LoadSummary, candidates: list[_Candidate]) -> None:
    """Every loaded file: rows read = its records counted independently = rows loaded + quarantined.

    A violation is a defect of the loader, never of the file: the load fails (and rolls back)
    rather than publish a file with silently lost rows.
    """
    expected = {c.file_id: c.expected_rows for c in candidates if c.status == "LOADED"}
    wrong = []
    for fid, read, loaded, quarantined in con.execute(
            "select file_id, rows_read, rows_loaded, rows_quarantined from meta.file_registry "
            "where load_id = ? and status = 'LOADED'", [summary.load_id]).fetchall():
        if read != loaded + quarantined or (expected.get(fid) is not None and read != expected[fid]):
            wrong.append((fid, read, loaded, quarantined, expected.get(fid)))
    if wrong:
        raise RuntimeError(f"jumlah baris tidak cocok (file_id, dibaca, dimuat, dikarantina, dihitung): {wrong[:5]}")


def summary_from_warehouse(work_db: Path, load_id: int | None = None) -> LoadSummary:
    """Rebuild the summary of a load (default: the latest) from meta.loads and meta.file_registry."""
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        row = con.execute(
            """select load_id, files_seen, files_accepted, files_replaced, files_unchanged, files_identical,
                      files_rejected, rows_loaded, rows_quarantined, epoch(finished_at - started_at)
               from meta.loads where load_id = coalesce(?, (select max(load_id) from meta.loads))""",
            [load_id]).fetchone()
        if row is None:
            return LoadSummary(0)
        s = LoadSummary(row[0], files_seen=row[1] or 0, files_accepted=row[2] or 0, files_replaced=row[3] or 0,
                        files_unchanged=row[4] or 0, files_identical=row[5] or 0, files_rejected=row[6] or 0,
                        rows_loaded=row[7] or 0, rows_quarantined=row[8] or 0, seconds=row[9] or 0.0)
        s.files_new = s.files_accepted + s.files_identical + s.files_rejected
        s.rejected = con.execute(
            "select path, reject_code, reject_reason from meta.file_registry where load_id = ? and status = 'REJECTED' "
            "order by path", [s.load_id]).fetchall()
        return s
    finally:
        con.close()
