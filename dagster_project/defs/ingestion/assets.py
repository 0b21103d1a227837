"""Ingestion: the landing folder -> raw.*, meta.*, ref.* of the working warehouse."""


import dagster as dg

from ...ingest.loader import ingest
from ...spec import KINDS
from ..resources import MonevPaths

RAW_KEYS = [dg.AssetKey(["raw", k]) for k in KINDS]
META_KEYS = [dg.AssetKey(["meta", t]) for t in ("file_registry", "quarantine", "loads")]
REF_KEYS = [dg.AssetKey(["ref", t]) for t in ("upt", "bidang", "subbidang", "industri")]


@dg.multi_asset(
    name="ingest_exports",
    specs=[dg.AssetSpec(k, group_name="ingestion", kinds={"duckdb"}) for k in RAW_KEYS + META_KEYS + REF_KEYS],
    description="Register new or replaced UPT files under the landing folder, parse them in DuckDB, "
    "load clean rows into raw.* with lineage and quarantine bad rows with their reason.",
    pool="warehouse_writer",
)
def ingest_exports(context: dg.AssetExecutionContext, monev: MonevPaths):
    paths = monev.warehouse_paths()
    summary = ingest(paths.work, monev.landing_dir(), monev.upt_master_file(), paths.staging_dir)
    for line in summary.lines():
        context.log.info(line)
    meta = {
        "load_id": summary.load_id, "files_seen": summary.files_seen, "files_new": summary.files_new,
        "files_accepted": summary.files_accepted, "files_replaced": summary.files_replaced,
        "files_unchanged": summary.files_unchanged, "files_identical": summary.files_identical,
        "files_rejected": summary.files_rejected, "rows_loaded": summary.rows_loaded,
        "rows_quarantined": summary.rows_quarantined, "seconds": round(summary.seconds, 2),
    }
    for key in RAW_KEYS + META_KEYS + REF_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=meta if key == META_KEYS[0] else {"load_id": summary.load_id})
