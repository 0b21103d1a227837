"""Publication: the checked marts become the serving warehouse in one atomic step."""


import dagster as dg
import duckdb

from ...perubahan import fingerprint_of_load
from ...publish import publish
from ..resources import MonevPaths
from ..warehouse.dbt import dbt_warehouse


@dg.asset(
    name="gudang_terbit",
    group_name="publication",
    deps=list(dbt_warehouse.keys),
    kinds={"duckdb"},
    description="The serving warehouse read by the dashboards and `monev kpi`: every table of schema "
    "marts copied into a new file and switched in with os.replace, only after ingestion contracts "
    "and dbt tests passed.",
    pool="warehouse_writer",
)
def gudang_terbit(context: dg.AssetExecutionContext, monev: MonevPaths) -> dg.MaterializeResult:
    paths = monev.warehouse_paths()
    con = duckdb.connect(str(paths.work), read_only=True)
    try:
        load_id = con.execute("select max(load_id) from meta.loads").fetchone()[0]
    finally:
        con.close()
    # The inputs this publication reflects, stored in it: the next load compares against them.
    result = publish(paths, load_id, fingerprint=fingerprint_of_load(paths.work, load_id))
    context.log.info(f"Published {len(result['tables'])} tables to {result['path']}")
    return dg.MaterializeResult(metadata={
        "path": result["path"], "published_at": result["published_at"], "load_id": load_id,
        "kpi_rows": result["tables"].get("kpi_indikator", 0), "tables": len(result["tables"]),
    })
