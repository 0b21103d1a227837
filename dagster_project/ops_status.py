"""Operations: run-failure records, the status report, reload selectors and the fault-injection hook.

- **Failure records.** A failed load (any step: ingestion, contracts, dbt, publication) is written
  to the working warehouse: the load's row of ``meta.loads`` gets status ``GAGAL`` with the step
  and message (published with the next successful publication, so the Kanwil *Kualitas Data*
  page shows it in *Riwayat muatan*), and ``meta.run_failures`` keeps one row per failed Dagster
  run (idempotent by run id: the CLI and the run-failure sensor may both report the same run).
  When the working warehouse cannot be written (locked, read-only, disk full) the record goes to
  the journal ``<serving stem>.gagal.jsonl`` beside it, which ``monev status`` also reads.
- **Interrupted loads.** A running load's ``meta.loads`` row is ``BERJALAN`` with its process id and
  start time in ``message``; ``monev load`` also keeps a run marker ``<serving stem>.muatan.json``
  while it runs. A load killed outright (SIGKILL, out of memory, a native abort) leaves both behind:
  ``monev status`` shows the row as ``TERPUTUS`` with its cause as soon as that process is gone, the
  next ``monev load`` records the interrupted run as a failure, and the next ingestion marks the row
  ``TERPUTUS`` (one writer at a time, so it is certainly dead).
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


_PID_RE = re.compile(r"^pid (\d+) mulai (\d+)")
INTERRUPTED = ("muatan terhenti sebelum selesai: proses{pid} tidak ada lagi (dihentikan paksa, kehabisan memori "
               "atau galat fatal pembaca); muatan berikutnya memulihkan")


def _proc_start(pid: int) -> int | None:
    """Start time (clock ticks since boot) of a live process, None when it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def process_tag() -> str:
    """What a running load writes in its BERJALAN row: its pid and the process's start time."""
    return f"pid {os.getpid()} mulai {_proc_start(os.getpid()) or 0}"


def tagged_process_alive(message: str | None) -> bool | None:
    """True/False for a message written by process_tag(); None when it carries no process tag."""
    m = _PID_RE.match(message or "")
    if not m:
        return None
    if not os.path.isdir("/proc"):  # no process table to read: ask the kernel whether the pid exists
        try:
            os.kill(int(m[1]), 0)
        except ProcessLookupError:
            return False
        except OSError:
            pass
        return True
    start = _proc_start(int(m[1]))
    return start is not None and (int(m[2]) == 0 or start == int(m[2]))


def interrupted_message(message: str | None) -> str:
    m = _PID_RE.match(message or "")
    return INTERRUPTED.format(pid=f" pid {m[1]}" if m else "")


def pause_point(folder: Path) -> None:
    """Test hook: with MONEV_TEST_PAUSE_INGEST=N the ingestion, once its BERJALAN row is written,
    touches ``<folder>/monev.ingest-paused`` and sleeps N seconds (to be killed there). Off by default."""
    seconds = os.environ.get("MONEV_TEST_PAUSE_INGEST")
    if not seconds:
        return
    import time

    (folder / "monev.ingest-paused").touch()
    time.sleep(float(seconds))


def close_interrupted(con: duckdb.DuckDBPyConnection) -> int:
    """Mark loads left at BERJALAN by a killed process as TERPUTUS (call with the write lock held)."""
    rows = con.execute("select load_id, message from meta.loads where status = 'BERJALAN'").fetchall()
    for load_id, message in rows:
        con.execute(
            "update meta.loads set status = 'TERPUTUS', finished_at = coalesce(finished_at, now()::timestamp), "
            "message = ? where load_id = ?", [interrupted_message(message), load_id])
    return len(rows)


# ---------------------------------------------------------------------- run marker (monev load)
def marker_path(paths: WarehousePaths) -> Path:
    return paths.serving.with_name(paths.serving.stem + ".muatan.json")


def write_run_marker(paths: WarehousePaths) -> None:
    marker_path(paths).write_text(json.dumps({"tag": process_tag(), "mulai": dt.datetime.now().isoformat(
        timespec="seconds")}), encoding="utf-8")


def remove_run_marker(paths: WarehousePaths) -> None:
    marker_path(paths).unlink(missing_ok=True)


def dead_run_marker(paths: WarehousePaths) -> dict | None:
    """The marker of a `monev load` whose process is gone without removing it, else None."""
    try:
        rec = json.loads(marker_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or tagged_process_alive(rec.get("tag")) is not False:
        return None
    return rec


def record_dead_run(paths: WarehousePaths) -> bool:
    """At the start of `monev load`: record a previous load that died without a trace as a failure."""
    rec = dead_run_marker(paths)
    if rec is None:
        return False
    m = _PID_RE.match(rec["tag"])
    record_failure(paths, f"terputus-{m[1]}-{m[2]}", "terputus",
                   interrupted_message(rec["tag"]) + f" (mulai {rec.get('mulai', '?')})", "cli")
    remove_run_marker(paths)
    return True


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
                        "update meta.loads set status = ?, finished_at = coalesce(finished_at, ?), message = ? "
                        "where load_id = ?", ["TERPUTUS" if step == "terputus" else "GAGAL", now, text, load_id])
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


def freshness_verdict(paths: WarehousePaths) -> tuple[bool, dict]:
    """The freshness check of the served publication (asset check gudang_terbit_segar), as a plain
    function: passed, and the metadata the check records. The age is that of the later of the
    publication and the last no-op load confirming it (docs/DECISIONS.md 28)."""
    from .perubahan import last_confirmation, served_publication

    serving = paths.serving
    info = publication_info(serving)
    if not info or "galat" in (info or {}):
        return False, {"path": str(serving), "masalah": (info or {}).get("galat", "belum terbit")}
    published = info["diterbitkan_pada"]
    confirmed = last_confirmation(paths.work, (served_publication(serving) or {}).get("sidik_masukan"))
    reference = max(published, confirmed) if confirmed else published
    age = (dt.datetime.now() - reference).total_seconds() / 3600
    return age <= FRESHNESS_HOURS, {
        "path": str(serving), "diterbitkan_pada": published.isoformat(),
        "dikonfirmasi_pada": confirmed.isoformat() if confirmed else "-",
        "umur_jam": round(age, 2), "batas_jam": FRESHNESS_HOURS, "load_id": info["load_id"]}


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
    interrupted = []
    for r in loads or []:
        ts = r[2] or r[1]
        status, message = r[3], r[7]
        if status == "BERJALAN" and tagged_process_alive(message) is False:
            status, message = "TERPUTUS", interrupted_message(message)  # its process is gone
            interrupted.append((r[1], "terputus", f"muatan #{r[0]}: {message}", "", "status"))
        out.append(f"  #{r[0]} {status:<9} {ts:%Y-%m-%d %H:%M}  diterima={r[4] if r[4] is not None else '-'} "
                   f"ditolak={r[5] if r[5] is not None else '-'} baris={r[6] if r[6] is not None else '-'}"
                   + (f"  {message}" if message else ""))
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
    failures.extend(interrupted)
    dead = dead_run_marker(paths)
    if dead is not None:
        try:
            when = dt.datetime.fromisoformat(dead.get("mulai"))
        except (TypeError, ValueError):
            when = now
        failures.append((when, "terputus", interrupted_message(dead.get("tag")), "", "penanda muatan"))
    failures.sort(key=lambda f: f[0], reverse=True)
    out.append("Kegagalan terakhir:")
    for f in failures[:limit]:
        out.append(f"  {f[0]:%Y-%m-%d %H:%M} langkah {f[1]}: {f[2]} (run {str(f[3])[:8]}, {f[4] or '-'})")
    if not failures:
        out.append("  (tidak ada)")
    return out
