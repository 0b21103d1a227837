"""Reference data: the UPT master and the taxonomy, loaded into the `ref` schema."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from .config import SEEDS_DIR
from .errors import UserError

UPT_MASTER_COLUMNS = (
    "kode_upt", "nama_upt", "jenis_upt", "kelas", "kode_kanwil", "nama_kanwil", "provinsi", "kapasitas",
)
JENIS_UPT = ("LAPAS", "RUTAN", "LPKA", "LPP")
KELAS_UPT = ("I", "IIA", "IIB", "III")


def read_upt_master(path: Path) -> list[dict[str, str]]:
    """Read and validate a UPT master file; raise UserError with one sentence on any problem."""
    if not path.is_file():
        raise UserError(f"{path}: UPT master file not found.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.readline()
            fh.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            rows = list(csv.DictReader(fh, delimiter=delimiter))
    except UnicodeDecodeError:
        raise UserError(f"{path}: UPT master is not UTF-8 text.") from None
    header = [h.strip().lower() for h in (rows[0].keys() if rows else sample.strip().split(delimiter))]
    missing = [c for c in UPT_MASTER_COLUMNS if c not in header]
    if missing:
        raise UserError(f"{path}: UPT master lacks column(s) {', '.join(missing)}.")
    out, seen = [], set()
    for i, raw in enumerate(rows, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        code = row["kode_upt"].upper()
        if not code:
            raise UserError(f"{path}: line {i} has an empty kode_upt.")
        if code in seen:
            raise UserError(f"{path}: kode_upt {code} appears more than once (line {i}).")
        seen.add(code)
        if row["jenis_upt"].upper() not in JENIS_UPT or row["kelas"].upper() not in KELAS_UPT:
            raise UserError(f"{path}: line {i} has an unknown jenis_upt or kelas.")
        try:
            capacity = int(row["kapasitas"].replace(".", ""))
        except ValueError:
            raise UserError(f"{path}: line {i} has a kapasitas that is not a whole number.") from None
        out.append({
            "kode_upt": code, "nama_upt": row["nama_upt"], "jenis_upt": row["jenis_upt"].upper(),
            "kelas": row["kelas"].upper(), "kode_kanwil": row["kode_kanwil"].upper(),
            "nama_kanwil": row["nama_kanwil"], "provinsi": row["provinsi"], "kapasitas": capacity,
        })
    if not out:
        raise UserError(f"{path}: UPT master has no units.")
    return out


def load_reference(con: duckdb.DuckDBPyConnection, upt_master: Path) -> int:
    """Replace ref.* with the given master and the shipped taxonomy. Returns the unit count."""
    units = read_upt_master(upt_master)
    con.execute("delete from ref.upt")
    con.executemany(
        "insert into ref.upt values (?, ?, ?, ?, ?, ?, ?, ?)",
        [tuple(u[c] for c in UPT_MASTER_COLUMNS) for u in units],
    )
    for table, fname in (("bidang", "taxonomy_bidang.csv"), ("subbidang", "taxonomy_subbidang.csv"),
                         ("industri", "taxonomy_industri.csv"), ("satuan", "taxonomy_satuan.csv")):
        con.execute(f"delete from ref.{table}")
        con.execute(
            f"insert into ref.{table} select * from read_csv(?, header=true, all_varchar=true)",
            [str(SEEDS_DIR / fname)],
        )
    return len(units)
