"""Scale-out: the working warehouse's source layers as Parquet, and their registration in Spark.

The dbt project reads three schemas of the working warehouse: `raw`, `meta` and `ref`
(docs/DESIGN.md "Raw layer"). On the Spark target the same models read the same tables from
Parquet files laid out as

    <parquet_dir>/<schema>/<table>/part-0.parquet      e.g. raw/narapidana/part-0.parquet

one folder per table, so a table can later be written as several files (partitioned by month
or UPT) without changing its registration. The files are written by DuckDB from the working
warehouse after ingestion (:func:`export_parquet`), and registered in the Spark catalog as
external tables `<schema>.<table> USING parquet LOCATION '<folder>'` either by the dbt project
itself (on-run-start hook `register_parquet_sources`, reading `MONEV_PARQUET_DIR`) or, for a
cluster whose metastore is managed elsewhere, by :func:`register_in_spark` / :func:`spark_ddl`.

Types travel as they are (VARCHAR -> string, DECIMAL(18,2) -> decimal(18,2), DATE, BOOLEAN,
BIGINT, INTEGER, TIMESTAMP -> timestamp without time zone); DuckDB's JSON column
`meta.quarantine.record` is written as text.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

#: the schemas of the working warehouse the dbt sources read (dbt/models/staging/_sources.yml)
SOURCE_SCHEMAS = ("raw", "meta", "ref")
PART_FILE = "part-0.parquet"


@dataclass
class ExportSummary:
    parquet_dir: Path
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows
    seconds: float = 0.0


def table_dir(parquet_dir: str | os.PathLike, schema: str, table: str) -> Path:
    """The folder of one source table's Parquet files."""
    return Path(parquet_dir) / schema / table


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def source_tables(con: duckdb.DuckDBPyConnection, schemas=SOURCE_SCHEMAS) -> list[tuple[str, str]]:
    """(schema, table) of every base table of the source schemas, in a stable order."""
    placeholders = ", ".join("?" for _ in schemas)
    rows = con.execute(
        f"""select table_schema, table_name from information_schema.tables
            where table_catalog = current_database() and table_type = 'BASE TABLE'
              and table_schema in ({placeholders})
            order by table_schema, table_name""",
        list(schemas),
    ).fetchall()
    return [(s, t) for s, t in rows]


def raw_row_count(db: str | os.PathLike) -> int:
    """Rows of every table of the `raw` schema of a warehouse file (the size the benchmarks report)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(con.execute(f"select count(*) from raw.{_quote(t)}").fetchone()[0]
                   for _, t in source_tables(con, ("raw",)))
    finally:
        con.close()


def _select_list(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """Every column; types Parquet/Spark cannot carry as they are become text (JSON)."""
    cols = con.execute(
        """select column_name, data_type from information_schema.columns
           where table_catalog = current_database() and table_schema = ? and table_name = ?
           order by ordinal_position""",
        [schema, table],
    ).fetchall()
    parts = []
    for name, data_type in cols:
        if data_type.upper() in ("JSON", "UUID") or data_type.upper().startswith(("MAP", "UNION")):
            parts.append(f"cast({_quote(name)} as varchar) as {_quote(name)}")
        else:
            parts.append(_quote(name))
    return ", ".join(parts)


def export_parquet(work_db: str | os.PathLike, parquet_dir: str | os.PathLike,
                   schemas=SOURCE_SCHEMAS) -> ExportSummary:
    """Write every table of `schemas` of the working warehouse to `<parquet_dir>/<schema>/<table>/`.

    Opens the working warehouse read-only (run it after ingestion, not during a load). Each
    table is written to a temporary folder and swapped in, so a reader never sees half a table.
    """
    started = time.perf_counter()
    parquet_dir = Path(parquet_dir)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(parquet_dir=parquet_dir)
    con = duckdb.connect(str(work_db), read_only=True)
    con.execute("set enable_progress_bar = false")
    try:
        for schema, table in source_tables(con, schemas):
            final = table_dir(parquet_dir, schema, table)
            tmp = final.with_name(f".{table}.tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            select = _select_list(con, schema, table)
            con.execute(
                f"copy (select {select} from {_quote(schema)}.{_quote(table)}) "
                f"to {_sql_text(str(tmp / PART_FILE))} (format parquet, compression zstd)"
            )
            old = final.with_name(f".{table}.old")
            shutil.rmtree(old, ignore_errors=True)
            if final.exists():
                final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
            rows = con.execute(f"select count(*) from {_quote(schema)}.{_quote(table)}").fetchone()[0]
            summary.tables[f"{schema}.{table}"] = int(rows)
    finally:
        con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def exported_tables(parquet_dir: str | os.PathLike) -> list[tuple[str, str]]:
    """(schema, table) of every table folder present under `parquet_dir`."""
    root = Path(parquet_dir)
    found = []
    for schema in SOURCE_SCHEMAS:
        folder = root / schema
        if folder.is_dir():
            found += [(schema, p.name) for p in sorted(folder.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    return found


def spark_ddl(parquet_dir: str | os.PathLike, tables: list[tuple[str, str]] | None = None) -> list[str]:
    """Spark SQL that (re)registers each exported table as an external Parquet table.

    The same statements as the dbt macro `spark__register_parquet_sources` (dbt/macros/scaleout.sql).
    Dropping an external table removes only its catalog entry, never the files.
    """
    root = Path(parquet_dir).resolve()
    tables = exported_tables(root) if tables is None else tables
    statements = [f"create database if not exists {schema}" for schema in sorted({s for s, _ in tables})]
    for schema, table in tables:
        location = table_dir(root, schema, table).as_posix()
        statements += [
            f"drop table if exists {schema}.{table}",
            f"create table {schema}.{table} using parquet location {_sql_text(location)}",
        ]
    return statements


def register_in_spark(spark, parquet_dir: str | os.PathLike) -> list[str]:
    """Run :func:`spark_ddl` in a SparkSession (e.g. once on a cluster with a shared metastore)."""
    statements = spark_ddl(parquet_dir)
    for sql in statements:
        spark.sql(sql)
    return statements


# --- reconciliation: the marts of two engines, figure for figure --------------------------------

_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def spark_table_files(spark_warehouse_dir: str | os.PathLike, schema: str, table: str) -> str:
    """Glob of the Parquet files of a Spark managed table (`<warehouse dir>/<schema>.db/<table>/`)."""
    return (Path(spark_warehouse_dir) / f"{schema}.db" / table / "*.parquet").as_posix()


def _close(a, b, rel_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    if a != a or b != b:  # NaN
        return a != a and b != b
    return abs(a - b) <= rel_tol * max(abs(a), abs(b), 1.0)


def _row_differences(rows_a: list, rows_b: list, names: list[str], numeric, rel_tol: float, max_examples: int,
                     pair) -> list[str]:
    """Differences between two row lists sorted the same way: the row counts, else the first differing
    column of each differing row (numbers within `rel_tol` relative), up to `max_examples` rows.
    `pair(a, b)` words the two sides ("duckdb 1, spark 2", "1 vs 2")."""
    if len(rows_a) != len(rows_b):
        return [f"row count: {pair(len(rows_a), len(rows_b))}"]
    diffs: list[str] = []
    for i, (ra, rb) in enumerate(zip(rows_a, rows_b)):
        for c, va, vb in zip(names, ra, rb):
            if not (_close(va, vb, rel_tol) if c in numeric else va == vb):
                diffs.append(f"row {i} column {c}: {pair(repr(va), repr(vb))}")
                break
        if len(diffs) >= max_examples:
            break
    return diffs


def compare_marts(work_db: str | os.PathLike, spark_warehouse_dir: str | os.PathLike,
                  tables: list[str] | None = None, schema: str = "marts",
                  rel_tol: float = 1e-6, max_examples: int = 5) -> dict[str, list[str]]:
    """Compare every table of `schema` both engines built, row for row.

    DuckDB's tables are read from the working warehouse, Spark's from the Parquet files of its
    managed tables. Columns must match by name; numbers (decimals and doubles alike) must agree
    within `rel_tol` relative (NULL only with NULL); every other value must be equal. Rows are
    matched after sorting on every non-numeric column, then the numeric ones. Returns
    {table: [differences]} with an empty list for a table that matches; a table Spark did not
    build is reported as a difference.
    """
    con = duckdb.connect(str(work_db), read_only=True)
    con.execute("set enable_progress_bar = false")
    report: dict[str, list[str]] = {}
    try:
        if tables is None:
            tables = [t for s, t in source_tables(con, (schema,))]
        for table in tables:
            diffs: list[str] = []
            report[table] = diffs
            cols = con.execute(
                """select column_name, data_type from information_schema.columns
                   where table_catalog = current_database() and table_schema = ? and table_name = ?
                   order by ordinal_position""", [schema, table]).fetchall()
            files = spark_table_files(spark_warehouse_dir, schema, table)
            if not list(Path(files).parent.glob("*.parquet")):
                diffs.append(f"no Spark table files at {files}")
                continue
            spark_cols = {r[0].lower(): r[1] for r in con.execute(
                f"describe select * from read_parquet({_sql_text(files)})").fetchall()}
            names = [c for c, _ in cols]
            if sorted(n.lower() for n in names) != sorted(spark_cols):
                diffs.append(f"columns differ: duckdb {sorted(names)} spark {sorted(spark_cols)}")
                continue
            numeric = {c for c, t in cols if t.upper().startswith(_FLOAT_TYPES)
                       or spark_cols[c.lower()].upper().startswith(_FLOAT_TYPES)}
            select = ", ".join(
                f"cast({_quote(c)} as double) as {_quote(c)}" if c in numeric else _quote(c) for c in names)
            order = ", ".join([_quote(c) for c in names if c not in numeric] + [_quote(c) for c in names if c in numeric])
            duck_rows = con.execute(f"select {select} from {_quote(schema)}.{_quote(table)} order by {order}").fetchall()
            spark_rows = con.execute(f"select {select} from read_parquet({_sql_text(files)}) order by {order}").fetchall()
            diffs += _row_differences(duck_rows, spark_rows, names, numeric, rel_tol, max_examples,
                                      lambda a, b: f"duckdb {a}, spark {b}")
    finally:
        con.close()
    return report



def import_spark_marts(work_db: str | os.PathLike, spark_warehouse_dir: str | os.PathLike,
                       schema: str = "marts") -> dict[str, int]:
    """Replace the marts of the working warehouse by the tables a local Spark build wrote.

    The hand-back for publication when dbt runs on Spark: publication (dagster_project/publish.py)
    copies schema `marts` of the working warehouse, so after a Spark build the Parquet files of
    Spark's managed tables (`<warehouse dir>/<schema>.db/<table>/`) are loaded into it, one
    transaction for all tables. Spark writes the contract types (decimal(18,2), bigint, string,
    date, timestamp without zone), so the tables keep DuckDB's types. Then the publication
    history is recorded on DuckDB: `dbt build --target duckdb --select kpi_indikator_snapshot+`.
    Returns {table: rows}. Needs write access to the working warehouse (its one writer).
    """
    root = Path(spark_warehouse_dir) / f"{schema}.db"
    tables = sorted(p.name for p in root.iterdir() if p.is_dir() and list(p.glob("*.parquet"))) if root.is_dir() else []
    if not tables:
        raise FileNotFoundError(f"{root}: no Spark tables to import")
    con = duckdb.connect(str(work_db))
    con.execute("set enable_progress_bar = false")
    counts: dict[str, int] = {}
    try:
        con.execute("begin")
        con.execute(f"create schema if not exists {_quote(schema)}")
        for table in tables:
            files = spark_table_files(spark_warehouse_dir, schema, table)
            con.execute(f"create or replace table {_quote(schema)}.{_quote(table)} as "
                        f"select * from read_parquet({_sql_text(files)})")
            counts[table] = con.execute(f"select count(*) from {_quote(schema)}.{_quote(table)}").fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.close()
    return counts

# --- running the dbt project on either engine --------------------------------------------------

def _dbt_dir() -> Path:
    from . import config

    return config.DBT_DIR


def dbt_env(target: str, work_db: str | os.PathLike, parquet_dir: str | os.PathLike | None = None,
            spark_dir: str | os.PathLike | None = None, base: dict | None = None) -> dict[str, str]:
    """Environment for a dbt invocation on `target` (the variables dbt/profiles.yml reads)."""
    env = dict(os.environ if base is None else base)
    env.update(MONEV_WORK_DB=str(work_db), MONEV_DBT_TARGET=target, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    if parquet_dir is not None:
        env["MONEV_PARQUET_DIR"] = str(Path(parquet_dir).resolve())
    if spark_dir is not None:
        env["MONEV_SPARK_DIR"] = str(Path(spark_dir).resolve())
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


def run_dbt(target: str, args: list[str], *, work_db: str | os.PathLike, scratch: str | os.PathLike,
            parquet_dir: str | os.PathLike | None = None, spark_dir: str | os.PathLike | None = None,
            extra_env: dict[str, str] | None = None):
    """Run `dbt <args> --target <target>` on the project with target/ and logs/ under `scratch`.

    Returns (CompletedProcess, seconds). dbt runs in dbt/ as in the Makefile; with the spark
    target it starts a local Spark session in its own process (dbt/profiles.yml).
    """
    import subprocess
    import sys

    dbt_dir = _dbt_dir()
    exe = Path(sys.executable).with_name("dbt")
    scratch = Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    env = dbt_env(target, work_db, parquet_dir, spark_dir)
    env.update(extra_env or {})
    cmd = [str(exe) if exe.exists() else "dbt", *args, "--target", target,
           "--project-dir", str(dbt_dir), "--profiles-dir", str(dbt_dir),
           "--target-path", str(scratch / f"target_{target}"), "--log-path", str(scratch / f"logs_{target}")]
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=dbt_dir, env=env, capture_output=True, text=True)
    return result, time.perf_counter() - started


# --- defaults and the `make spark` entry point ---------------------------------------------------

def default_parquet_dir(work_db: str | os.PathLike) -> Path:
    """$MONEV_PARQUET_DIR, else `<working warehouse stem>.parquet/` beside the working warehouse."""
    env = os.environ.get("MONEV_PARQUET_DIR")
    if env:
        return Path(env)
    work_db = Path(work_db)
    return work_db.with_name(work_db.name.split(".")[0] + ".parquet")


def default_spark_dir() -> Path:
    """$MONEV_SPARK_DIR, else data/spark (catalog and table files of the local Spark session)."""
    from . import config

    return Path(os.environ.get("MONEV_SPARK_DIR") or config.DATA_DIR / "spark")


def prepare_spark_sources(work_db: str | os.PathLike) -> dict[str, str]:
    """Export the working warehouse for a Spark build; returns the environment dbt needs.

    For the Dagster dbt step when MONEV_DBT_TARGET=spark: call it first, then run dbt with
    these variables (deploy/README.md).
    """
    parquet = default_parquet_dir(work_db)
    export_parquet(work_db, parquet)
    return {"MONEV_PARQUET_DIR": str(parquet.resolve()), "MONEV_SPARK_DIR": str(default_spark_dir().resolve())}


def finish_spark_build(work_db: str | os.PathLike, scratch: str | os.PathLike | None = None) -> dict[str, int]:
    """After a dbt build on the local `spark` target: marts back into the working warehouse, then
    the publication history (snapshot, kpi_revisi) on DuckDB, so publication runs unchanged.

    For the Dagster dbt step when MONEV_DBT_TARGET=spark (deploy/README.md). Raises when the
    DuckDB build of the history fails.
    """
    spark_dir = Path(os.environ.get("MONEV_SPARK_DIR") or default_spark_dir())
    counts = import_spark_marts(work_db, spark_dir / "warehouse")
    result, _ = run_dbt("duckdb", ["build", "--select", "kpi_indikator_snapshot", "kpi_revisi"], work_db=work_db,
                        scratch=Path(scratch) if scratch else spark_dir / "dbt")
    if result.returncode != 0:
        raise RuntimeError("publication history on DuckDB failed:\n" + result.stdout[-3000:])
    return counts

def main(argv: list[str] | None = None) -> int:
    """`python -m dagster_project.scaleout`: export, build on Spark, compare with DuckDB's marts."""
    import argparse

    from . import config

    parser = argparse.ArgumentParser(prog="python -m dagster_project.scaleout", description=main.__doc__)
    parser.add_argument("--work", default=str(config.warehouse_paths().work),
                        help="working DuckDB warehouse (ingested, marts built on DuckDB)")
    parser.add_argument("--parquet", default=None, help="Parquet export folder (default beside --work)")
    parser.add_argument("--spark-dir", default=None, help="local Spark catalog and tables (default data/spark)")
    parser.add_argument("--export-only", action="store_true", help="only write the Parquet export")
    args = parser.parse_args(argv)
    work = Path(args.work)
    if not work.is_file():
        print(f"{work}: working warehouse not found (run `make load` first).", file=__import__("sys").stderr)
        return 2
    parquet = Path(args.parquet) if args.parquet else default_parquet_dir(work)
    spark_dir = Path(args.spark_dir) if args.spark_dir else default_spark_dir()
    summary = export_parquet(work, parquet)
    print(f"Exported {len(summary.tables)} tables ({sum(summary.tables.values())} rows) to {parquet} "
          f"in {summary.seconds:.1f} s")
    if args.export_only:
        return 0
    result, seconds = run_dbt("spark", ["build", "--exclude", "test_type:generic"], work_db=work,
                              scratch=spark_dir / "dbt", parquet_dir=parquet, spark_dir=spark_dir)
    print(result.stdout[-3000:])
    if result.returncode != 0:
        print(result.stderr[-3000:], file=__import__("sys").stderr)
        return 1
    print(f"dbt build on Spark: {seconds:.1f} s")
    report = compare_marts(work, spark_dir / "warehouse")
    bad = {t: d for t, d in report.items() if d and t != "kpi_revisi"}
    for table, diffs in report.items():
        status = "not built on Spark (publication history)" if table == "kpi_revisi" else ("OK" if not diffs else "DIFFERS")
        print(f"  {table:28s} {status}")
        for d in diffs[:3] if table != "kpi_revisi" else []:
            print(f"      {d}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())


# --- the hand-back checked end to end: two publications, table for table ------------------------

def compare_publications(a: str | os.PathLike, b: str | os.PathLike, ignore_columns: dict[str, set[str]] | None = None,
                         rel_tol: float = 1e-9, max_examples: int = 5) -> dict[str, list[str]]:
    """Compare every table of two published (serving) warehouses: same tables, same columns with
    the same DuckDB types, same rows (numbers within `rel_tol` relative, NULL only with NULL).

    For a cluster-built publication against the DuckDB-built one. `ignore_columns` names columns
    that legitimately differ between two publications (e.g. `publikasi.diterbitkan_pada`).
    Returns {table: [differences]} over the union of both files' tables.
    """
    ignore_columns = ignore_columns or {}
    con = duckdb.connect(":memory:")
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach {_sql_text(str(a))} as pa (read_only)")
    con.execute(f"attach {_sql_text(str(b))} as pb (read_only)")

    def layout(db):
        rows = con.execute("select table_name, column_name, data_type from duckdb_columns() "
                           "where database_name = ? and schema_name = 'main' order by table_name, column_index",
                           [db]).fetchall()
        out: dict[str, list[tuple[str, str]]] = {}
        for t, c, ty in rows:
            out.setdefault(t, []).append((c, ty))
        return out

    report: dict[str, list[str]] = {}
    try:
        la, lb = layout("pa"), layout("pb")
        for table in sorted(set(la) | set(lb)):
            diffs: list[str] = []
            report[table] = diffs
            if table not in la or table not in lb:
                diffs.append(f"only in {'the first' if table in la else 'the second'} publication")
                continue
            if la[table] != lb[table]:
                diffs.append(f"columns or types differ: {la[table]} vs {lb[table]}")
                continue
            skip = ignore_columns.get(table, set())
            cols = [(c, t) for c, t in la[table] if c not in skip]
            numeric = {c for c, t in cols if t.upper().startswith(_FLOAT_TYPES)}
            select = ", ".join(f"cast({_quote(c)} as double)" if c in numeric else _quote(c) for c, _ in cols)
            order = ", ".join([_quote(c) for c, _ in cols if c not in numeric] + [_quote(c) for c in numeric]) or "1"
            rows_a = con.execute(f"select {select} from pa.main.{_quote(table)} order by {order}").fetchall()
            rows_b = con.execute(f"select {select} from pb.main.{_quote(table)} order by {order}").fetchall()
            diffs += _row_differences(rows_a, rows_b, [c for c, _ in cols], numeric, rel_tol, max_examples,
                                      lambda a, b: f"{a} vs {b}")
    finally:
        con.close()
    return report
