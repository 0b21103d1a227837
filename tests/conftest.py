"""Shared fixtures: one demo run of the real pipeline (generate -> monev load) per test session.

Tests that need a warehouse built by the real job (ingestion matched against the generator's
manifest, the KPI reference comparison, browser tests) share it, so the ~1 minute pipeline runs
once per session.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# No built-in pseudonymisation key exists: every test session loads with a random one.
os.environ.setdefault("MONEV_PSEUDONYM_KEY", __import__("secrets").token_hex(32))

DEMO_MONTHS = ("2024-01", "2024-06")
DEMO_SEED = 11


@dataclass
class DemoPipeline:
    landing: Path
    warehouse: Path  # published (serving) file
    work: Path  # working warehouse
    manifest: dict
    load_exit: int

    def work_copy_as_published(self, dest: Path) -> Path:
        """A copy of the working warehouse whose load history stops at the publication.

        Other tests run further loads on this session's warehouse; with nothing new they are
        recorded in meta.loads but neither rebuild the marts nor republish (docs/DECISIONS.md 27,
        36). A rebuild elsewhere (Spark) from this copy must see the loads the marts saw."""
        import shutil

        import duckdb

        shutil.copy(self.work, dest)
        con = duckdb.connect(str(dest))
        try:
            con.execute("delete from meta.loads where load_id not in (select load_id from marts.meta_muatan)")
        finally:
            con.close()
        return dest


@pytest.fixture(scope="session")
def demo_pipeline(tmp_path_factory) -> DemoPipeline:
    from dagster_project.cli import main
    from dagster_project.config import warehouse_paths
    from dagster_project.generator import generate

    base = tmp_path_factory.mktemp("demo")
    landing = base / "landing"
    generate(landing, scale="mini", months=DEMO_MONTHS, seed=DEMO_SEED)
    warehouse = base / "warehouse" / "monev.duckdb"
    old_home = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(base / "dagster")
    try:
        code = main(["load", "--landing", str(landing), "--warehouse", str(warehouse)])
    finally:
        if old_home is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = old_home
    manifest = json.loads((landing / "manifest.json").read_text(encoding="utf-8"))
    return DemoPipeline(landing, warehouse, warehouse_paths(warehouse).work, manifest, code)
