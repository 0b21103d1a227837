"""Ingestion: the landing folder -> raw.*, meta.*, ref.* of the working warehouse."""


import dagster as dg
from pydantic import Field

from ...ingest.loader import ingest
from ...ops_status import parse_selectors
from ...perubahan import decide, mark_no_change, record_fingerprint
from ...spec import KINDS
from ..resources import MonevPaths


class IngestConfig(dg.Config):
    """Run config of ingest_exports (Dagster launchpad or `monev load --ulang`)."""

    ulang: list[str] = Field(
        default_factory=list,
        description="UPT-months to re-ingest even when their files are unchanged: UPT0001:2024-03, "
        "UPT0001:2024-01..2024-03, KW01:2024-03 (all UPTs of a Kanwil) or *:2024-01..2024-06.")


RAW_KEYS = [dg.AssetKey(["raw", k]) for k in KINDS]
META_KEYS = [dg.AssetKey(["meta", t]) for t in ("file_registry", "quarantine", "loads")]
REF_KEYS = [dg.AssetKey(["ref", t]) for t in ("upt", "bidang", "subbidang", "industri")]


@dg.multi_asset(
    name="ingest_exports",
    # skippable: a load with nothing new materializes only meta/loads (its no-op record); Dagster then
    # skips every step downstream of raw/ref (contracts, dbt, publication). docs/DESIGN.md, "No-op load".
    specs=[dg.AssetSpec(k, group_name="ingestion", kinds={"duckdb"}, skippable=True)
           for k in RAW_KEYS + META_KEYS + REF_KEYS],
    description="Register new or replaced UPT files under the landing folder, parse them in DuckDB, "
    "load clean rows into raw.* with lineage and quarantine bad rows with their reason. When nothing "
    "changed since the served publication (files, master, seeds, dbt project, expectations) and no "
    "reporting deadline passed, only the load record is materialized and the rest of the job is skipped.",
    pool="warehouse_writer",
)
def ingest_exports(context: dg.AssetExecutionContext, config: IngestConfig, monev: MonevPaths):
    paths = monev.warehouse_paths()
    reload = parse_selectors(config.ulang)
    if reload:
        context.log.info(f"Muat ulang paksa: {', '.join(config.ulang)}")
    summary = ingest(paths.work, monev.landing_dir(), monev.upt_master_file(), paths.staging_dir, reload=reload)
    for line in summary.lines():
        context.log.info(line)
    parts = record_fingerprint(paths.work, summary.load_id, monev.upt_master_file())
    registered = summary.files_accepted + summary.files_identical + summary.files_rejected
    decision = decide(paths.serving, parts, registered, bool(reload))
    context.log.info(f"Keputusan: {decision.text()}")
    meta = {
        "load_id": summary.load_id, "files_seen": summary.files_seen, "files_new": summary.files_new,
        "files_accepted": summary.files_accepted, "files_replaced": summary.files_replaced,
        "files_unchanged": summary.files_unchanged, "files_identical": summary.files_identical,
        "files_rejected": summary.files_rejected, "rows_loaded": summary.rows_loaded,
        "rows_quarantined": summary.rows_quarantined, "seconds": round(summary.seconds, 2),
        "terbit_ulang": decision.publish, "keputusan": decision.text(),
    }
    if not decision.publish:
        mark_no_change(paths.work, summary.load_id, decision.text())
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["meta", "loads"]), metadata=meta)
        return
    for key in RAW_KEYS + META_KEYS + REF_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=meta if key == META_KEYS[0] else {"load_id": summary.load_id})
