"""Incremental dbt builds equal a full rebuild (issue 16 item 3, docs/DECISIONS.md 37).

The mini set is ingested in three loads, as nights would bring it: two months, then a new month,
then the corrected re-sends. After each load dbt builds incrementally from the previous load
(`--vars sejak_load`), as the Dagster asset does; before the last build the working warehouse is
copied and the copy is rebuilt with `--full-refresh`. Every published table (schema marts) and the
incremental models themselves must hold the same rows in both, compared with EXCEPT ALL both ways.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.generator import generate
from dagster_project.inkremental import build_args, record_build
from dagster_project.ingest.loader import ingest
from fixtures_dbt import run_dbt

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"
INCREMENTAL = ["int_narapidana_latest", "int_kegiatan_latest", "int_peserta_latest", "int_penjualan_latest",
               "int_pnbp_latest"]
# The publication time of the snapshot rows this very build writes differs between two builds by
# the seconds between them; every other column of kpi_revisi is compared.
BUILD_TIME_COLUMNS = {"kpi_revisi": {"diterbitkan_terkini", "diterbitkan_awal"}}
NO_TESTS = ("--exclude-resource-type", "test")  # unit tests run: they must pass on incremental models too

pytestmark = pytest.mark.slow


def _copy(src: Path, dst: Path, keep) -> None:
    for p in src.rglob("*"):
        if p.is_file() and keep(p.relative_to(src)):
            t = dst / p.relative_to(src)
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, t)


def _build(db: Path, work_dir: Path, *args: str) -> None:
    res = run_dbt(db, work_dir, "build", *NO_TESTS, *args)
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr[-2000:]


def _tables(con, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]).fetchall()]


def test_incremental_build_equals_full_rebuild(tmp_path):
    gen, landing, work = tmp_path / "gen", tmp_path / "landing", tmp_path / "monev.work.duckdb"
    generate(gen, scale="mini", months=("2024-01", "2024-03"), seed=3)
    original = lambda rel: rel.parts[0] not in ("kirim_ulang", ".referensi") and rel.name != "manifest.json"  # noqa: E731
    # Load 1: January and February. Full build.
    _copy(gen, landing, lambda rel: original(rel) and rel.name.split("_")[-1][:6] in ("202401", "202402")
          or rel.parts[0] == ".kedatangan")
    s1 = ingest(work, landing, MASTER, tmp_path / "stg")
    _build(work, tmp_path / "dbt1")
    # Load 2: a new month from every UPT. Incremental from load 1.
    _copy(gen, landing, lambda rel: original(rel) and rel.name.split("_")[-1][:6] == "202403")
    s2 = ingest(work, landing, MASTER, tmp_path / "stg")
    assert s2.files_accepted > 0
    _build(work, tmp_path / "dbt2", "--vars", json.dumps({"sejak_load": s1.load_id}))
    # Load 3: the corrected re-sends (each replaces the version it corrects).
    _copy(gen, landing, lambda rel: rel.parts[0] == "kirim_ulang")
    s3 = ingest(work, landing, MASTER, tmp_path / "stg")
    assert s3.files_replaced > 0, "the mini set has corrected re-sends"
    full = tmp_path / "full.duckdb"
    shutil.copy(work, full)
    _build(work, tmp_path / "dbt3", "--vars", json.dumps({"sejak_load": s2.load_id}))
    _build(full, tmp_path / "dbt4", "--full-refresh")

    con = duckdb.connect(":memory:")
    con.execute(f"attach '{work}' as inc (read_only)")
    con.execute(f"attach '{full}' as ful (read_only)")
    marts = [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = 'ful' "
                                       "and schema_name = 'marts' order by 1").fetchall()]
    assert "kpi_indikator" in marts and len(marts) > 15
    compared = 0
    for schema, table in [("marts", t) for t in marts] + [("intermediate", t) for t in INCREMENTAL]:
        cols = [r[0] for r in con.execute(
            "select column_name from duckdb_columns() where database_name = 'ful' and schema_name = ? "
            "and table_name = ? order by column_index", [schema, table]).fetchall()]
        cols = [c for c in cols if c not in BUILD_TIME_COLUMNS.get(table, set())]
        sel = ", ".join(f'"{c}"' for c in cols)
        a, b = f"inc.{schema}.{table}", f"ful.{schema}.{table}"
        n_inc, n_full = (con.execute(f"select count(*) from {x}").fetchone()[0] for x in (a, b))
        only_inc = con.execute(f"select count(*) from (select {sel} from {a} except all select {sel} from {b})").fetchone()[0]
        only_full = con.execute(f"select count(*) from (select {sel} from {b} except all select {sel} from {a})").fetchone()[0]
        assert (n_inc, only_inc, only_full) == (n_full, 0, 0), f"{schema}.{table}: {n_inc} vs {n_full} rows"
        compared += 1
    # The incremental models really were built incrementally (not rebuilt as tables).
    kinds = dict(con.execute("select table_name, 1 from duckdb_tables() where database_name = 'inc' "
                             "and schema_name = 'intermediate'").fetchall())
    assert all(t in kinds for t in INCREMENTAL)
    con.close()
    assert compared == len(marts) + len(INCREMENTAL)


def test_build_args_follow_the_recorded_build(tmp_path):
    work = tmp_path / "w.duckdb"
    duckdb.connect(str(work)).execute("create schema meta").close()
    parts = {"master_upt": "a", "taksonomi": "b", "dbt": "c", "berkas": "x", "ekspektasi": "e"}
    assert build_args(work, parts)[0] == ["--full-refresh"]  # no build recorded yet
    record_build(work, 4, parts, "penuh")
    args, _why, since = build_args(work, parts | {"berkas": "y", "ekspektasi": "f"})  # files change: incremental
    assert args == ["--vars", json.dumps({"sejak_load": 4})] and since == 4
    for part in ("master_upt", "taksonomi", "dbt"):
        assert build_args(work, parts | {part: "changed"})[0] == ["--full-refresh"], part
    assert build_args(work, None)[0] == ["--full-refresh"]
