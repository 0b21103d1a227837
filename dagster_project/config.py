"""Where things live. Every default can be overridden by an argument or environment variable.

The published (serving) warehouse is the file dashboards and `monev kpi` read; the working
warehouse beside it is written by the Dagster job only (see docs/DESIGN.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
SEEDS_DIR = PROJECT_ROOT / "seeds"
DBT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

DEFAULT_WAREHOUSE = DATA_DIR / "warehouse" / "monev.duckdb"
DEFAULT_LANDING = DATA_DIR / "landing"
DEFAULT_UPT_MASTER = SEEDS_DIR / "upt_master.csv"
DEFAULT_DAGSTER_HOME = DATA_DIR / "dagster"


@dataclass(frozen=True)
class WarehousePaths:
    """The serving file and its siblings (same folder, so os.replace is atomic)."""

    serving: Path

    @property
    def work(self) -> Path:
        return self.serving.with_name(self.serving.stem + ".work.duckdb")

    @property
    def next(self) -> Path:
        return self.serving.with_name(self.serving.stem + ".next.duckdb")

    @property
    def previous(self) -> Path:
        return self.serving.with_name(self.serving.stem + ".prev.duckdb")

    @property
    def staging_dir(self) -> Path:
        """Scratch space for transcoded files during a load (emptied at each load)."""
        return self.serving.with_name(self.serving.stem + ".staging")


def warehouse_paths(warehouse: str | os.PathLike | None = None) -> WarehousePaths:
    value = warehouse or os.environ.get("MONEV_WAREHOUSE") or DEFAULT_WAREHOUSE
    return WarehousePaths(Path(value).expanduser().resolve())


def landing_dir(landing: str | os.PathLike | None = None) -> Path:
    return Path(landing or os.environ.get("MONEV_LANDING") or DEFAULT_LANDING).expanduser().resolve()


def upt_master_path(upt_master: str | os.PathLike | None = None) -> Path:
    return Path(upt_master or os.environ.get("MONEV_UPT_MASTER") or DEFAULT_UPT_MASTER).expanduser().resolve()


def dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


# DuckDB's own default memory limit is 80% of the machine's RAM and it keeps what it took for the
# life of the connection, so a national load left unbounded took 6.5 GB across the Dagster process
# and dbt's. Every large-work connection of the load (ingestion, contracts, dbt through its profile,
# publication) gets this limit instead; beyond it DuckDB spills to `<db>.tmp` beside the file.
# (docs/DECISIONS.md 35; `make bench` reports the peak RSS of the process tree.)
DEFAULT_DUCKDB_MEMORY = "1GB"


def duckdb_memory_limit() -> str:
    return os.environ.get("MONEV_DUCKDB_MEMORY") or DEFAULT_DUCKDB_MEMORY


def duckdb_config(**extra) -> dict:
    """`duckdb.connect(path, config=duckdb_config())` for connections that do large work."""
    return {"memory_limit": duckdb_memory_limit(), **extra}
