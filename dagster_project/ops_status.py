"""Operations: run-failure records, the status report, reload selectors and the fault-injection hook.

- **Failure records.** A failed load (any step: ingestion, contracts, dbt, publication) is written
  to the working warehouse: the load's row of ``meta.loads`` gets status ``GAGAL`` with the step
  and message (published with the next successful publication, so the Kanwil *Kualitas Data*
  page shows it in *Riwayat muatan*), and ``meta.run_failures`` keeps one row per failed Dagster
  run (idempotent by run id: the CLI and the run-failure sensor may both report the same run).
  When the working warehouse cannot be written (locked, read-only, disk full) the record goes to
  the journal ``<serving stem>.gagal.jsonl`` beside it, which ``monev status`` also reads.
- **Interrupted loads.** A load killed outright leaves its ``meta.loads`` row at ``BERJALAN``;
  the next load marks such rows ``TERPUTUS`` (one writer at a time, so they are certainly dead).
- **Status.** :func:`status_report` is what ``monev status`` prints: the publication being
  served and its age, the last loads and the last failures; it works when the last run failed,
  when a load is running (the working warehouse is then locked) and when nothing is published.
- **Reload selectors.** ``UPT0001:2024-03``, ``UPT0001:2024-01..2024-03``, ``*:2024-03``,
  ``KW01:2024-01..2024-06`` (a Kanwil code selects all its UPTs): files of the selected
  UPT-months are registered and loaded again even when unchanged.
- **Fault injection (tests only).** ``MONEV_FAULT_AT=ingest|dbt|publish`` makes the load kill its
  own process group with SIGKILL at that point (``MONEV_FAULT_MODE=raise`` raises instead). Off
  unless the variable is set; documented in docs/OPERATIONS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .config import WarehousePaths
from .errors import UserError

FAULT_POINTS = ("ingest", "dbt", "publish")
FRESHNESS_HOURS = 36

RUN_FAILURES_DDL = """create table if not exists meta.run_failures (
    run_id VARCHAR PRIMARY KEY, load_id BIGINT, failed_at TIMESTAMP NOT NULL, step VARCHAR,
    message VARCHAR, trigger VARCHAR)"""


# ---------------------------------------------------------------------- fault injection
def fault_point(point: str) -> None:
    """Test hook: die (or raise) here when MONEV_FAULT_AT names this point. No-op otherwise."""
    if os.environ.get("MONEV_FAULT_AT") != point:
        return
    if os.environ.get("MONEV_FAULT_MODE") == "raise":
        raise RuntimeError(f"gangguan uji disuntikkan pada titik '{point}' (MONEV_FAULT_AT)")
    try:  # the whole process group: dbt children die with us, as in a power cut
        os.killpg(os.getpgid(0), signal.SIGKILL)
    finally:
        os.kill(os.getpid(), signal.SIGKILL)


# ---------------------------------------------------------------------- reload selectors
_SELECTOR_RE = re.compile(r"^(?P<unit>\*|[A-Za-z]{2,4}[0-9]{2,5}):(?P<a>\d{4}-\d{2})(?:\.\.(?P<b>\d{4}-\d{2}))?$")


@dataclass(frozen=True)
class Selector:
    unit: str  # '*', a kode_upt or a kode_kanwil (upper case)
    first: dt.date
    last: dt.date

    def matches(self, kode_upt: str | None, kode_kanwil: str | None, bulan: dt.date | None) -> bool:
        if kode_upt is None or bulan is None or not (self.first <= bulan <= self.last):
            return False
        return self.unit == "*" or self.unit == kode_upt or self.unit == kode_kanwil


def _month(text: str) -> dt.date | None:
    y, m = int(text[:4]), int(text[5:7])
    return dt.date(y, m, 1) if 1 <= m <= 12 and 2000 <= y <= 2100 else None


def parse_selectors(values: list[str] | tuple[str, ...] | None) -> list[Selector]:
    out = []
    for value in values or ():
        m = _SELECTOR_RE.match(value.strip())
        first = _month(m["a"]) if m else None
        last = _month(m["b"] or m["a"]) if m else None
        if not m or first is None or last is None or first > last:
            raise UserError(f"--ulang {value!r}: expected KODE:YYYY-MM or KODE:YYYY-MM..YYYY-MM "
                            "(KODE a UPT or Kanwil code, or * for all).")
        out.append(Selector(m["unit"].upper(), first, last))
    return out


# ---------------------------------------------------------------------- failure records
def journal_path(paths: WarehousePaths) -> Path:
    return paths.serving.with_name(paths.serving.stem + ".gagal.jsonl")


def close_interrupted(con: duckdb.DuckDBPyConnection) -> int:
    """Mark loads left at BERJALAN by a killed process as TERPUTUS (call with the write lock held)."""
    n = con.execute("select count(*) from meta.loads where status = 'BERJALAN'").fetchone()[0]
    if n:
        con.execute(
            "update meta.loads set status = 'TERPUTUS', finished_at = coalesce(finished_at, now()::timestamp), "
            "message = coalesce(message, 'muatan terhenti sebelum selesai (proses dihentikan); "
            "muatan berikutnya memulihkan') where status = 'BERJALAN'")
    return n


def record_failure(paths: WarehousePaths, run_id: str, step: str | None, message: str | None,
                   trigger: str | None = None) -> str:
    """Record a failed run; returns where it went ('gudang_kerja', 'jurnal' or 'tidak_tercatat')."""
    message = " ".join((message or "").split())[:500]
    step = step or "?"
    now = dt.datetime.now().replace(microsecond=0)
    try:
        if not paths.work.exists():
            raise FileNotFoundError(paths.work)
        con = duckdb.connect(str(paths.work))
        try:
            con.execute("create schema if not exists meta")
            con.execute(RUN_FAILURES_DDL)
            if con.execute("select 1 from meta.run_failures where run_id = ?", [run_id]).fetchone():
                return "gudang_kerja"
            has_loads = con.execute(
                "select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'loads'"
            ).fetchone()[0]
            load_id = None
            text = f"GAGAL pada langkah {step}: {message} (run {run_id[:8]})"
            if has_loads:
                row = con.execute(
                    "select load_id, status from meta.loads order by load_id desc limit 1").fetchone()
                # The run's own load row: still BERJALAN (ingestion failed) or SELESAI (a later step
                # failed after ingestion committed) and not yet marked by another failure record.
                if row and row[1] in ("BERJALAN", "SELESAI") and not con.execute(
                        "select 1 from meta.run_failures where load_id = ?", [row[0]]).fetchone():
                    load_id = row[0]
                    con.execute(
                        "update meta.loads set status = 'GAGAL', finished_at = coalesce(finished_at, ?), message = ? "
                        "where load_id = ?", [now, text, load_id])
                else:  # the run failed before ingestion registered a load: a row of its own
                    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from meta.loads").fetchone()[0]
                    con.execute("insert into meta.loads (load_id, started_at, finished_at, status, message) "
                                "values (?, ?, ?, 'GAGAL', ?)", [load_id, now, now, text])
            con.execute("insert into meta.run_failures values (?, ?, ?, ?, ?, ?)",
                        [run_id, load_id, now, step, message, trigger])
            return "gudang_kerja"
        finally:
            con.close()
    except (duckdb.Error, OSError):
        pass
    try:
        with journal_path(paths).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"run_id": run_id, "failed_at": now.isoformat(), "step": step,
                                 "message": message, "trigger": trigger}) + "\n")
        return "jurnal"
    except OSError:
        return "tidak_tercatat"


def failure_from_events(events) -> tuple[str, str]:
    """(step key, first line of the error) of the first failure event of a Dagster run."""
    failed = [e for e in events if getattr(e, "is_failure", False) or getattr(e, "is_step_failure", False)]
    step, reason = "?", ""
    if failed:
        step = failed[0].step_key or "?"
        err = getattr(failed[0].event_specific_data, "error", None) if failed[0].event_specific_data else None
        while err is not None and getattr(err, "cause", None) is not None:
            err = err.cause  # the innermost error says what went wrong, not Dagster's wrapper
        if err is not None:
            reason = (err.message.strip().splitlines() or [""])[0][:300]
    return step, reason


# ---------------------------------------------------------------------- status report
def publication_info(serving: Path) -> dict | None:
    """diterbitkan_pada and load_id of the served file (None when nothing is published)."""
    if not serving.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        escaped = str(serving).replace("'", "''")
        con.execute(f"attach '{escaped}' as srv (read_only)")
        row = con.execute("select diterbitkan_pada, load_id, jumlah_tabel from srv.publikasi").fetchone()
        return {"diterbitkan_pada": row[0], "load_id": row[1], "jumlah_tabel": row[2]}
    except duckdb.Error as exc:
        return {"galat": str(exc).splitlines()[0]}
    finally:
        con.close()


def publication_age_hours(serving: Path, now: dt.datetime | None = None) -> float | None:
    info = publication_info(serving)
    if not info or not info.get("diterbitkan_pada"):
        return None
    return ((now or dt.datetime.now()) - info["diterbitkan_pada"]).total_seconds() / 3600


def _rows(db: Path, sql: str, params=()) -> list[tuple] | None:
    con = duckdb.connect(":memory:")
    try:
        escaped = str(db).replace("'", "''")
        con.execute(f"attach '{escaped}' as w (read_only)")
        return con.execute(sql, list(params)).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()


def status_report(paths: WarehousePaths, limit: int = 5, now: dt.datetime | None = None) -> list[str]:
    now = now or dt.datetime.now()
    out = []
    info = publication_info(paths.serving)
    if info is None:
        out.append(f"Publikasi: belum ada ({paths.serving})")
    elif "galat" in info:
        out.append(f"Publikasi: {paths.serving} tidak dapat dibuka: {info['galat']}")
    else:
        age = (now - info["diterbitkan_pada"]).total_seconds() / 3600
        segar = "SEGAR" if age <= FRESHNESS_HOURS else f"BASI (lebih dari {FRESHNESS_HOURS} jam)"
        out.append(f"Publikasi: {paths.serving} diterbitkan {info['diterbitkan_pada']:%Y-%m-%d %H:%M} "
                   f"(muatan #{info['load_id']}, {age:.1f} jam lalu, {segar})")
    source = "gudang kerja"
    loads = _rows(paths.work, "select load_id, started_at, finished_at, status, files_accepted, files_rejected, "
                              "rows_loaded, message from w.meta.loads order by load_id desc limit ?", [limit]) \
        if paths.work.exists() else None
    if loads is None and paths.serving.exists():
        source = "publikasi (gudang kerja sedang dipakai atau tidak ada)"
        loads = _rows(paths.serving, "select load_id, started_at, finished_at, status, files_accepted, "
                                     "files_rejected, rows_loaded, message from w.meta_muatan "
                                     "order by load_id desc limit ?", [limit])
    out.append(f"Muatan terakhir (sumber: {source}):")
    for r in loads or []:
        ts = r[2] or r[1]
        out.append(f"  #{r[0]} {r[3]:<9} {ts:%Y-%m-%d %H:%M}  diterima={r[4] if r[4] is not None else '-'} "
                   f"ditolak={r[5] if r[5] is not None else '-'} baris={r[6] if r[6] is not None else '-'}"
                   + (f"  {r[7]}" if r[7] else ""))
    if not loads:
        out.append("  (belum ada)")
    failures = []
    if paths.work.exists():
        failures = _rows(paths.work, "select failed_at, step, message, run_id, trigger from w.meta.run_failures "
                                     "order by failed_at desc limit ?", [limit]) or []
    jp = journal_path(paths)
    if jp.exists():
        for line in jp.read_text(encoding="utf-8", errors="replace").splitlines()[-limit:]:
            try:
                rec = json.loads(line)
                failures.append((dt.datetime.fromisoformat(rec["failed_at"]), rec.get("step"), rec.get("message"),
                                 rec.get("run_id", ""), (rec.get("trigger") or "") + " [jurnal]"))
            except (ValueError, KeyError, TypeError):
                continue
    failures.sort(key=lambda f: f[0], reverse=True)
    out.append("Kegagalan terakhir:")
    for f in failures[:limit]:
        out.append(f"  {f[0]:%Y-%m-%d %H:%M} langkah {f[1]}: {f[2]} (run {str(f[3])[:8]}, {f[4] or '-'})")
    if not failures:
        out.append("  (tidak ada)")
    return out
