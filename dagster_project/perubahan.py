"""Has anything changed since the last publication? The decision behind a no-op load.

A load publishes again only when its publication would differ from the one being served:

- a file was registered (new, replaced, identical re-send, rejected) or forced by ``--ulang``;
- the *input fingerprint* differs from the one stored with the served publication: the state of
  ``meta.file_registry`` (covers a load that ingested files and then died before publishing),
  the recorded run failures (a failure is shown after the next publication), the bytes of the
  UPT master and the taxonomy seeds, every file of the dbt project (models, macros, tests,
  snapshots, ``dbt_project.yml``, profiles) and the great-expectations suites, plus the dbt target;
- a reporting deadline (the 10th of each month, 00:00 Asia/Jakarta) has passed since the
  publication: provisional figures, lateness and overdue follow-ups depend on the date.

Content hashes, not modification times: a `git checkout` or a copied-back seed changes mtimes
without changing anything, and an edit saved within the same second must still count. Hashing
the ~200 small project files costs a few milliseconds. The fingerprint is stored in the served
file itself (``publikasi.sidik_masukan``), so a rollback or a copied-in publication is compared
by what the dashboards actually serve (docs/DECISIONS.md).

``MONEV_NOW`` (ISO 8601; without an offset it is Jakarta time) pins the clock of the deadline
decision, for tests and for an operator replaying a night.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from .config import DBT_DIR, EXPECTATIONS_DIR, SEEDS_DIR

JAKARTA = ZoneInfo("Asia/Jakarta")
DEADLINE_DAY = 10  # KPI_DICTIONARY: a month's exports are due by the 10th of the next month
NO_CHANGE_STATUS = "TANPA_PERUBAHAN"

FINGERPRINT_DDL = """create table if not exists meta.sidik_muatan (
    load_id BIGINT PRIMARY KEY, sidik VARCHAR NOT NULL, rincian VARCHAR NOT NULL, dihitung_pada TIMESTAMP NOT NULL)"""

PART_LABELS = {
    "berkas": "daftar file di gudang kerja berubah sejak publikasi (muatan sebelumnya belum terbit)",
    "kegagalan": "ada kegagalan muatan yang belum terbit",
    "master_upt": "master UPT berubah",
    "taksonomi": "taksonomi (seeds) berubah",
    "dbt": "model, makro atau uji dbt berubah",
    "ekspektasi": "kontrak data (expectations) berubah",
}


# ---------------------------------------------------------------------- clock and deadlines
def now() -> dt.datetime:
    """The current time, aware; ``MONEV_NOW`` pins it (naive values are Jakarta time)."""
    pinned = os.environ.get("MONEV_NOW")
    if pinned:
        t = dt.datetime.fromisoformat(pinned)
        return t if t.tzinfo else t.replace(tzinfo=JAKARTA)
    return dt.datetime.now(JAKARTA)


def first_deadline_after(t: dt.datetime) -> dt.datetime:
    """The first reporting deadline (the 10th, 00:00 Jakarta) strictly after ``t`` (aware)."""
    local = t.astimezone(JAKARTA)
    d = dt.datetime(local.year, local.month, DEADLINE_DAY, tzinfo=JAKARTA)
    if d <= local:
        d = dt.datetime(local.year + local.month // 12, local.month % 12 + 1, DEADLINE_DAY, tzinfo=JAKARTA)
    return d


def deadline_passed(published: dt.datetime, at: dt.datetime) -> dt.datetime | None:
    """The deadline that passed after ``published`` and not after ``at``, or None."""
    d = first_deadline_after(published)
    return d if d <= at else None


def as_aware(naive_local: dt.datetime) -> dt.datetime:
    """publikasi.diterbitkan_pada is the publishing machine's local time without an offset."""
    return naive_local if naive_local.tzinfo else naive_local.astimezone()


# ---------------------------------------------------------------------- fingerprint
def _digest_files(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _dbt_files() -> list[Path]:
    out = [p for p in (DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml") if p.is_file()]
    for folder in ("models", "macros", "snapshots", "tests", "seeds", "analyses"):
        base = DBT_DIR / folder
        if base.is_dir():
            out += [p for p in base.rglob("*") if p.is_file() and p.suffix in (".sql", ".yml", ".yaml", ".csv", ".md")]
    return out


def project_parts(upt_master: Path) -> dict[str, str]:
    """Fingerprints of what the load reads besides the landing folder."""
    dbt_digest = _digest_files(_dbt_files(), DBT_DIR)
    target = os.environ.get("MONEV_DBT_TARGET", "duckdb")
    return {
        "master_upt": hashlib.sha256(upt_master.read_bytes()).hexdigest(),
        "taksonomi": _digest_files(sorted(SEEDS_DIR.glob("taxonomy_*.csv")), SEEDS_DIR),
        "dbt": hashlib.sha256(f"{dbt_digest}|{target}".encode()).hexdigest(),
        "ekspektasi": _digest_files(sorted(EXPECTATIONS_DIR.glob("*.json")), EXPECTATIONS_DIR),
    }


def warehouse_parts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Fingerprints of the working warehouse's own state that a publication reflects."""
    reg = con.execute(
        "select count(*), coalesce(max(file_id), 0), coalesce(bit_xor(hash(file_id, status, is_current, "
        "rows_loaded, rows_quarantined)), 0) from meta.file_registry").fetchone()
    has_failures = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'run_failures'"
    ).fetchone()[0]
    fails = con.execute("select count(*), coalesce(bit_xor(hash(run_id)), 0) from meta.run_failures").fetchone() \
        if has_failures else (0, 0)
    return {"berkas": "|".join(str(x) for x in reg), "kegagalan": "|".join(str(x) for x in fails)}


def combine(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def record_fingerprint(work_db: Path, load_id: int, upt_master: Path) -> dict[str, str]:
    """Compute the fingerprint of the state a load has just ingested and keep it with the load."""
    parts = project_parts(upt_master)
    con = duckdb.connect(str(work_db))
    try:
        parts.update(warehouse_parts(con))
        con.execute(FINGERPRINT_DDL)
        con.execute("insert or replace into meta.sidik_muatan values (?, ?, ?, ?)",
                    [load_id, combine(parts), json.dumps(parts, sort_keys=True),
                     dt.datetime.now().replace(microsecond=0)])
    finally:
        con.close()
    return parts


def fingerprint_of_load(work_db: Path, load_id: int) -> dict[str, str] | None:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        row = con.execute("select rincian from meta.sidik_muatan where load_id = ?", [load_id]).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return json.loads(row[0]) if row else None


def mark_no_change(work_db: Path, load_id: int, message: str) -> None:
    """Record the load as a no-op in meta.loads (status TANPA_PERUBAHAN, with the reason)."""
    con = duckdb.connect(str(work_db))
    try:
        con.execute("update meta.loads set status = ?, message = ? where load_id = ?",
                    [NO_CHANGE_STATUS, message[:500], load_id])
    finally:
        con.close()


def last_confirmation(work_db: Path, sidik: str | None) -> dt.datetime | None:
    """When a no-op load last confirmed that the served publication (fingerprint ``sidik``) is current.

    None when there is none, or the working warehouse cannot be read (a load holds it)."""
    if not sidik or not work_db.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        escaped = str(work_db).replace("'", "''")
        con.execute(f"attach '{escaped}' as w (read_only)")
        return con.execute(
            "select max(l.finished_at) from w.meta.loads l join w.meta.sidik_muatan s using (load_id) "
            "where l.status = ? and s.sidik = ?", [NO_CHANGE_STATUS, sidik]).fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


# ---------------------------------------------------------------------- the decision
def served_publication(serving: Path) -> dict | None:
    """diterbitkan_pada, load_id and the stored fingerprint parts of the served file (None if none)."""
    if not serving.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        escaped = str(serving).replace("'", "''")
        con.execute(f"attach '{escaped}' as srv (read_only)")
        cur = con.execute("select * from srv.publikasi")
        row = cur.fetchone()
        if row is None:
            return None
        info = dict(zip([d[0] for d in cur.description], row))
    except duckdb.Error:
        return None
    finally:
        con.close()
    parts = info.get("rincian_sidik")
    info["parts"] = json.loads(parts) if parts else None
    return info


@dataclass
class Decision:
    publish: bool
    reasons: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    published_load_id: int | None = None
    landed: list | None = None  # preflight only: the landing folder as it was listed

    def text(self) -> str:
        if self.publish:
            return "perlu terbit: " + "; ".join(self.reasons)
        when = f"{self.published_at:%Y-%m-%d %H:%M}" if self.published_at else "?"
        return (f"tidak ada yang berubah sejak publikasi {when} (muatan #{self.published_load_id}) dan tidak ada "
                "tenggat pelaporan yang lewat; kontrak, dbt dan publikasi dilewati")


def preflight(paths, landing: Path, upt_master: Path, forced: bool, at: dt.datetime | None = None) -> Decision:
    """A read-only forecast of :func:`decide` made before a run starts (no write, no Dagster).

    `monev load` uses it to run only the ingestion step when nothing is expected to change, so that
    Dagster does not plan (and record, one SQLite write each) the ~280 outputs and checks it would
    skip. The run's own decision in ingest_exports stays the authority. Any doubt means "publish"."""
    if forced:
        return Decision(True, ["muat ulang paksa (--ulang)"])
    if not paths.work.exists() or not paths.serving.exists():
        return Decision(True, ["belum ada gudang kerja atau publikasi"])
    from .ingest.files import discover

    con = duckdb.connect(":memory:")
    try:
        escaped = str(paths.work).replace("'", "''")
        con.execute(f"attach '{escaped}' as w (read_only)")
        con.execute("use w")
        known = set(con.execute("select path, size_bytes, mtime_ns from meta.file_registry").fetchall())
        parts = warehouse_parts(con)
    except duckdb.Error as exc:  # locked by a running load, or not a warehouse yet
        return Decision(True, [f"gudang kerja tidak dapat dibaca ({str(exc).splitlines()[0][:80]})"])
    finally:
        con.close()
    landed = discover(landing)
    new = sum(1 for f in landed if (f.relpath, f.size, f.mtime_ns) not in known)
    parts.update(project_parts(upt_master))
    decision = decide(paths.serving, parts, new, False, at)
    decision.landed = landed  # the no-op path of `monev load` ingests this listing (one scan, not two)
    return decision


def decide(serving: Path, parts: dict[str, str], files_new: int, forced: bool,
           at: dt.datetime | None = None) -> Decision:
    """Publish again, or is this load a no-op? Every reason to publish is listed."""
    at = at or now()
    reasons = []
    if forced:
        reasons.append("muat ulang paksa (--ulang)")
    if files_new:
        reasons.append(f"{files_new} file baru, pengganti atau ditolak terdaftar")
    pub = served_publication(serving)
    if pub is None:
        reasons.append("belum ada publikasi yang dapat dibaca")
        return Decision(True, reasons)
    published_at = pub.get("diterbitkan_pada")
    stored = pub.get("parts")
    if not stored:
        reasons.append("publikasi terbit tanpa sidik masukan (versi lama)")
    else:
        reasons += [PART_LABELS.get(k, f"{k} berubah") for k in sorted(set(parts) | set(stored))
                    if parts.get(k) != stored.get(k) and not (k == "berkas" and files_new)]
    if published_at is not None:
        passed = deadline_passed(as_aware(published_at), at)
        if passed:
            reasons.append(f"tenggat pelaporan {passed:%Y-%m-%d %H:%M} WIB lewat sejak publikasi terakhir")
    else:
        reasons.append("waktu publikasi tidak diketahui")
    return Decision(bool(reasons), reasons, published_at, pub.get("load_id"))
