"""Thin root: merge the per-domain definitions and bind resources once."""

from __future__ import annotations

import dagster as dg

from .defs.ingestion.assets import ingest_exports
from .defs.ingestion.checks import contract_checks
from .defs.operations.failures import catat_kegagalan
from .defs.operations.freshness import freshness_job, freshness_schedule, gudang_terbit_segar
from .defs.operations.jobs import monev_load_job
from .defs.operations.schedules import nightly_load
from .defs.operations.sensors import landing_sensor
from .defs.publication.assets import gudang_terbit
from .defs.resources import MonevPaths
from .defs.warehouse.dbt import dbt_resource, dbt_warehouse

defs = dg.Definitions(
    assets=[ingest_exports, dbt_warehouse, gudang_terbit],
    asset_checks=[*contract_checks, gudang_terbit_segar],
    jobs=[monev_load_job, freshness_job],
    schedules=[nightly_load, freshness_schedule],
    sensors=[landing_sensor, catat_kegagalan],
    resources={"monev": MonevPaths(), "dbt": dbt_resource()},
)
