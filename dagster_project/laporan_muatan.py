"""What `monev load` shows on the terminal: one line per step, then the summary (issue 16).

The five steps of a load and the Dagster steps behind them:

    ingest     ingest_exports                     (penerimaan file)
    kontrak    raw_<kind>_kontrak_<kind> (x6)      (kontrak data great-expectations)
    dbt        dbt_warehouse                      (model dan uji dbt)
    terbit     gudang_terbit                      (publikasi)
    kesegaran  gudang_terbit_gudang_terbit_segar  (cek kesegaran publikasi)

Progress comes from the Dagster instance's event stream of the run (``add_event_listener``),
so what the terminal says is what the run recorded. Every event and log line of the run, dbt's
own output and great-expectations' logging go to the log file instead (``data/logs/``); with
``--verbose`` they are shown on the terminal as well. On a terminal the lines are a live `rich`
progress display; without one (CI, cron) each step prints one plain line when it ends, with
no control codes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

STEPS = ("ingest", "kontrak", "dbt", "terbit", "kesegaran")
LABELS = {
    "ingest": "penerimaan file",
    "kontrak": "kontrak data",
    "dbt": "model dan uji dbt",
    "terbit": "publikasi",
    "kesegaran": "cek kesegaran",
}
STATUS_TEXT = {"selesai": "selesai", "dilewati": "dilewati", "gagal": "GAGAL", "berjalan": "berjalan",
               "menunggu": "menunggu"}


def step_of(step_key: str | None) -> str | None:
    """Which of the five report steps a Dagster step key belongs to."""
    if not step_key:
        return None
    if step_key == "ingest_exports":
        return "ingest"
    if step_key.endswith("gudang_terbit_segar"):
        return "kesegaran"
    if step_key == "gudang_terbit":
        return "terbit"
    if step_key.startswith("dbt_warehouse"):
        return "dbt"
    if "_kontrak_" in step_key:
        return "kontrak"
    return None


def log_dir_for(serving: Path) -> Path:
    """``logs/`` beside the warehouse's folder (data/warehouse/monev.duckdb -> data/logs/)."""
    override = os.environ.get("MONEV_LOG_DIR")
    return Path(override).expanduser().resolve() if override else serving.parent.parent / "logs"


@dataclass
class StepState:
    name: str
    total: int | None = None  # Dagster steps (kontrak) or dbt nodes (dbt); None: no count
    done: int = 0
    status: str = "menunggu"
    seconds: float = 0.0  # sum of the Dagster steps' own durations
    running: dict[str, float] = field(default_factory=dict)
    ended: dict[str, int] = field(default_factory=dict)
    note: str = ""


class Tee(io.TextIOBase):
    """A text stream writing to several streams (the log file, and the terminal with --verbose)."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, s):
        for st in self.streams:
            st.write(s)
        return len(s)

    def flush(self):
        for st in self.streams:
            st.flush()

    def isatty(self):
        return False


class LoadReport:
    """Collects the run's events into five step lines; renders them live or as plain lines."""

    def __init__(self, console_file, log_file, dbt_total: int, contract_total: int, live: bool | None = None):
        from rich.console import Console

        self.log = log_file
        self.console = Console(file=console_file, highlight=False, soft_wrap=True,
                               force_terminal=live if live is not None else None,
                               no_color=bool(os.environ.get("NO_COLOR")))
        self.live = self.console.is_terminal and not self.console.is_dumb_terminal
        self.steps = {s: StepState(s) for s in STEPS}
        self.steps["dbt"].total = dbt_total
        self.steps["kontrak"].total = contract_total
        self.progress = None
        self.tasks = {}
        self.deferred = {"kesegaran"}  # may run again in a second run (the no-op path): one line at the end

    # ------------------------------------------------------------------ display
    def __enter__(self):
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(
                TextColumn("{task.fields[tanda]}"), TextColumn("{task.fields[nama]:<10}"),
                TextColumn("{task.fields[label]:<18}"), BarColumn(bar_width=24), MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"), console=self.console, transient=False,
                refresh_per_second=8)
            for s in STEPS:
                st = self.steps[s]
                # No count (ingest, terbit, kesegaran): total None draws a pulsing bar while it runs.
                self.tasks[s] = self.progress.add_task(
                    s, total=st.total or None, start=False, nama=s, label=LABELS[s], info="menunggu", tanda="·")
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
        return False

    def _refresh(self, s: str) -> None:
        st = self.steps[s]
        if self.progress is None:
            return
        task = self.tasks[s]
        if st.status == "berjalan":
            self.progress.start_task(task)
            info = "berjalan"
            if st.total and s == "dbt":
                info = "berjalan (model dan uji)"
            self.progress.update(task, completed=min(st.done, st.total) if st.total else 0, info=info,
                                 tanda="[cyan]▶[/]")
        elif st.status in ("selesai", "dilewati", "gagal"):
            total = st.total or 1
            completed = total if st.status == "selesai" else min(st.done, total)
            colour = {"selesai": "green", "dilewati": "yellow", "gagal": "bold red"}[st.status]
            mark = {"selesai": "✓", "dilewati": "–", "gagal": "✗"}[st.status]
            info = f"[{colour}]{STATUS_TEXT[st.status]}[/] {st.seconds:6.1f} dtk" + (f"  {st.note}" if st.note else "")
            self.progress.update(task, total=total, completed=completed, info=info, tanda=f"[{colour}]{mark}[/]")
            self.progress.stop_task(task)

    def _plain_line(self, s: str) -> None:
        st = self.steps[s]
        count = f" {st.done}/{st.total}" if st.total else ""
        line = f"[{s}] {LABELS[s]}: {STATUS_TEXT[st.status]}{count if st.status != 'dilewati' else ''} " \
               f"({st.seconds:.1f} dtk)" + (f" {st.note}" if st.note else "")
        self.console.print(line, markup=False)

    # ------------------------------------------------------------------ events
    def on_event(self, entry) -> None:
        """Instance event listener: every event and log line of the run."""
        try:
            self._write_log(entry)
            event = entry.dagster_event
            s = step_of(entry.step_key)
            if event is None or s is None:
                return
            self._on_step_event(s, entry, event.event_type_value)
        except Exception as exc:  # a display problem must never fail the load
            self.log.write(f"(laporan terminal: {exc!r})\n")

    def _write_log(self, entry) -> None:
        ts = dt.datetime.fromtimestamp(entry.timestamp).strftime("%H:%M:%S")
        event = entry.dagster_event
        kind = event.event_type_value if event is not None else "LOG"
        msg = entry.user_message or (event.message if event is not None else "") or ""
        self.log.write(f"{ts} {entry.step_key or '-':<40} {kind:<24} {msg}\n")

    def _on_step_event(self, s: str, entry, kind: str) -> None:
        st = self.steps[s]
        key = entry.step_key
        if kind == "STEP_START":
            if st.status in ("selesai", "dilewati", "gagal"):  # a later run of the same step (kesegaran)
                st.ended.clear()
                st.note = ""
            st.running[key] = entry.timestamp
            st.status = "berjalan"
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            begun = st.running.pop(key, None)
            if begun is not None:
                st.seconds += entry.timestamp - begun
            st.ended[kind] = st.ended.get(kind, 0) + 1
            if s == "kontrak":
                st.done = st.ended.get("STEP_SUCCESS", 0)
            expected = st.total if s == "kontrak" else 1
            if sum(st.ended.values()) >= expected and not st.running:
                if st.ended.get("STEP_FAILURE"):
                    st.status = "gagal"
                elif st.ended.get("STEP_SUCCESS"):
                    st.status = "selesai"
                else:
                    st.status = "dilewati"
                    st.note = st.note or "(tidak ada yang berubah)"
                if self.progress is None and s not in self.deferred:
                    self._plain_line(s)
        elif kind in ("ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION") and s == "dbt":
            st.done += 1
        elif kind == "ASSET_CHECK_EVALUATION" and s == "kesegaran":
            data = entry.dagster_event.event_specific_data
            st.note = "publikasi segar" if getattr(data, "passed", False) else "publikasi BASI (lihat `monev status`)"
        self._refresh(s)

    def begin(self, s: str) -> None:
        """A step run outside a Dagster run (the no-op path of `monev load`) starts."""
        self.steps[s].status = "berjalan"
        self._refresh(s)

    def end(self, s: str, status: str, seconds: float, note: str = "") -> None:
        """A step run outside a Dagster run ends (status selesai | gagal)."""
        st = self.steps[s]
        st.status, st.seconds, st.note = status, seconds, note
        if self.progress is None and s not in self.deferred:
            self._plain_line(s)
        self._refresh(s)

    def mark_skipped(self, steps, note: str) -> None:
        """Steps a no-op load did not run (not planned in its run, or skipped by Dagster)."""
        for s in steps:
            st = self.steps[s]
            if st.status in ("menunggu", "dilewati"):
                already = st.status == "dilewati"
                st.status, st.note = "dilewati", note
                if self.progress is None and not already and s not in self.deferred:
                    self._plain_line(s)
                self._refresh(s)

    def finish(self) -> None:
        """Steps the run never reached are shown as not run; deferred plain lines are printed."""
        for s in STEPS:
            st = self.steps[s]
            if st.status == "menunggu":
                st.status = "dilewati"
                st.note = st.note or "(tidak dijalankan)"
                if self.progress is None and s not in self.deferred:
                    self._plain_line(s)
            if self.progress is None and s in self.deferred:
                self._plain_line(s)
            self._refresh(s)

    def record(self) -> dict:
        return {s: {"status": st.status, "detik": round(st.seconds, 3), "selesai": st.done, "jumlah": st.total}
                for s, st in self.steps.items()}


def summary_lines(summary, status: str, message: str | None, published: bool, serving: Path, seconds: float,
                  run_id: str) -> list[str]:
    """The closing summary, from meta.loads and meta.file_registry of the load."""
    out = [
        f"Ringkasan muatan #{summary.load_id} ({status}):",
        f"  file ditemukan {summary.files_seen}, baru {summary.files_new}, tidak berubah {summary.files_unchanged}",
        f"  file diterima {summary.files_accepted} (menggantikan versi lama {summary.files_replaced}), "
        f"kiriman ulang identik {summary.files_identical}, ditolak {summary.files_rejected}",
        f"  baris dimuat {summary.rows_loaded}, baris dikarantina {summary.rows_quarantined}",
    ]
    for path, code, reason in summary.rejected[:20]:
        out.append(f"  DITOLAK {path}: {reason} [{code}]")
    if len(summary.rejected) > 20:
        out.append(f"  ... dan {len(summary.rejected) - 20} file ditolak lainnya (lihat meta.file_registry)")
    if published:
        out.append(f"  publikasi: TERBIT {serving}")
    else:
        out.append(f"  publikasi: DILEWATI ({message or 'tidak ada yang berubah'}); tetap {serving}")
    out.append(f"  durasi {seconds:.1f} dtk, run {run_id}")
    return out


def write_record(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")


def open_log(serving: Path) -> tuple[Path, io.TextIOWrapper]:
    folder = log_dir_for(serving)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"muat-{stamp}-{os.getpid()}.log"
    return path, path.open("w", encoding="utf-8", buffering=1)


def monotonic() -> float:
    return time.perf_counter()


def original_streams():
    return sys.stdout, sys.stderr
