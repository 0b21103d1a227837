"""Run the great-expectations suites of expectations/ against the rows of one load.

GX's SQL datasource fails against DuckDB (STACK_NOTES.md), so each check reads the table into a
pandas DataFrame and validates it with an ephemeral context and a suite defined in
`expectations/raw_<kind>.json`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .config import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars in load logs
logging.getLogger("great_expectations").setLevel(logging.WARNING)


@dataclass
class ContractResult:
    suite: str
    rows: int
    passed: bool  # every blocking expectation passed
    failures: list[dict] = field(default_factory=list)  # every failed expectation
    evaluated: int = 0


def load_suite(kind: str, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    doc = json.loads((EXPECTATIONS_DIR / f"raw_{kind}.json").read_text(encoding="utf-8"))
    for exp in doc["expectations"]:
        vs = exp["kwargs"].get("value_set")
        if isinstance(vs, dict) and "$ref" in vs:
            schema, table, column = vs["$ref"].split(".")
            if con is None:
                raise ValueError(f"suite raw_{kind} needs a warehouse connection to resolve {vs['$ref']}")
            exp["kwargs"]["value_set"] = [r[0] for r in con.execute(f"select {column} from {schema}.{table}").fetchall()]
    return doc


def _import_gx():
    """great_expectations, imported so that pyspark (the `spark` extra) cannot end the process.

    GX imports pyspark when it is installed, and pyspark.sql.connect.utils calls sys.exit(0)
    when `__main__` has neither `__spec__` nor `__file__` (it takes that for a doctest run).
    That is the case in the process a Dagster code server spawns for each run the daemon
    launches (`python -c "from multiprocessing.spawn import spawn_main; ..."`), so every
    contract check of a queued run failed with "SystemExit: 0" (tests/test_dagster_postgres.py).
    During the import the main module is given a placeholder `__file__`, removed afterwards.
    """
    import sys

    main = sys.modules.get("__main__")
    patch = main is not None and getattr(main, "__spec__", None) is None and not hasattr(main, "__file__")
    if patch:
        main.__file__ = "<monev run process>"
    try:
        import great_expectations as gx
    finally:
        if patch:
            del main.__file__
    return gx


def validate_frame(kind: str, frame, suite_doc: dict) -> ContractResult:
    gx = _import_gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    asset = context.data_sources.add_pandas("monev").add_dataframe_asset(name=kind)
    batch = asset.add_batch_definition_whole_dataframe("load")
    blocking_by_index = []
    suite = gx.ExpectationSuite(name=suite_doc["name"])
    for exp in suite_doc["expectations"]:
        config = ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
        suite.add_expectation(config.to_domain_obj())
        blocking_by_index.append(bool(exp.get("meta", {}).get("blocking", True)))
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(gx.ValidationDefinition(data=batch, suite=suite, name=kind))
    outcome = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    failures, passed = [], True
    for res in outcome.results:
        if res.success:
            continue
        cfg = res.expectation_config
        blocking = bool((cfg.meta or {}).get("blocking", True))
        passed = passed and not blocking
        failures.append({
            "expectation": cfg.type,
            "kwargs": {k: v for k, v in cfg.kwargs.items() if k != "batch_id" and k != "value_set"},
            "blocking": blocking,
            "unexpected_count": (res.result or {}).get("unexpected_count"),
        })
    return ContractResult(suite_doc["name"], len(frame), passed, failures, len(outcome.results))


def check_load(work_db: Path, kind: str, load_id: int | None = None) -> ContractResult:
    """Validate the rows of raw.<kind> written by `load_id` (default: the latest load)."""
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        if load_id is None:
            load_id = con.execute("select coalesce(max(load_id), 0) from meta.loads").fetchone()[0]
        frame = con.execute(f"select * from raw.{kind} where _load_id = ?", [load_id]).df()
        suite = load_suite(kind, con)
    finally:
        con.close()
    return validate_frame(kind, frame, suite)
