"""The dbt project (dbt/) as Dagster assets; its data tests become asset checks."""


import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from ... import config
from ...ops_status import fault_point
from ..resources import MonevPaths


def dbt_target() -> str:
    """The one place that maps the environment to a dbt target (duckdb by default)."""
    return os.environ.get("MONEV_DBT_TARGET", "duckdb")


def dbt_executable() -> str:
    exe = Path(sys.executable).with_name("dbt")
    return str(exe) if exe.exists() else "dbt"


DBT_PROJECT = DbtProject(project_dir=config.DBT_DIR, profiles_dir=config.DBT_DIR, target=dbt_target())


def _newest_source_mtime() -> float:
    newest = (config.DBT_DIR / "dbt_project.yml").stat().st_mtime
    for folder in ("models", "macros", "snapshots", "tests"):
        for path in (config.DBT_DIR / folder).rglob("*"):
            if path.suffix in (".sql", ".yml", ".yaml"):
                newest = max(newest, path.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """dagster-dbt needs target/manifest.json at import: (re)parse when missing or older than the project."""
    manifest = DBT_PROJECT.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        subprocess.run(
            [dbt_executable(), "parse", "--quiet", "--project-dir", str(config.DBT_DIR),
             "--profiles-dir", str(config.DBT_DIR), "--target", dbt_target()],
            check=True, cwd=config.DBT_DIR,
        )
    return manifest


@dbt_assets(manifest=ensure_manifest(), project=DBT_PROJECT, name="dbt_warehouse", pool="warehouse_writer")
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource, monev: MonevPaths):
    work = monev.warehouse_paths().work
    os.environ["MONEV_WORK_DB"] = str(work)
    on_spark = dbt_target() == "spark"
    if on_spark:  # scale-out: raw/meta/ref go to Spark as Parquet (deploy/README.md)
        from ...scaleout import prepare_spark_sources

        os.environ.update(prepare_spark_sources(work))
    args, reason, load_id, parts = [], "bangun penuh (Spark)", None, None
    if not on_spark:  # incremental since the last successful build, or full (dagster_project/inkremental.py)
        import duckdb

        from ...inkremental import build_args
        from ...perubahan import fingerprint_of_load

        con = duckdb.connect(str(work), read_only=True)
        try:
            load_id = con.execute("select max(load_id) from meta.loads").fetchone()[0]
        finally:
            con.close()
        parts = fingerprint_of_load(work, load_id) if load_id is not None else None
        args, reason, _since = build_args(work, parts)
    context.log.info(f"dbt build {' '.join(args)}: {reason}")
    invocation = dbt.cli(["build", *args], context=context)
    try:
        for n, event in enumerate(invocation.stream()):
            if n == 10:
                fault_point("dbt")  # test hook (MONEV_FAULT_AT), off by default: dies mid-build
            yield event
        if on_spark:  # Spark's marts back into the working DuckDB; publication history kept there
            from ...scaleout import finish_spark_build

            finish_spark_build(work)
        elif load_id is not None and invocation.is_successful():
            from ...inkremental import record_build

            record_build(work, load_id, parts, "penuh" if args[:1] == ["--full-refresh"] else "inkremental")
    finally:
        # A failed or interrupted step must not leave dbt running with the warehouse locked.
        if invocation.process.poll() is None:
            invocation.process.terminate()
            try:
                invocation.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                invocation.process.kill()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, profiles_dir=str(config.DBT_DIR), target=dbt_target(),
                          dbt_executable=dbt_executable())
