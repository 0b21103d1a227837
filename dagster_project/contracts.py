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


CHUNK_ROWS = 200_000  # rows validated at once: bounds the DataFrame a full national year would need


class _Validator:
    """One ephemeral great-expectations context and suite, run on one DataFrame after another."""

    def __init__(self, kind: str, suite_doc: dict):
        gx = _import_gx()
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        self.name = suite_doc["name"]
        context = gx.get_context(mode="ephemeral")
        asset = context.data_sources.add_pandas("monev").add_dataframe_asset(name=kind)
        batch = asset.add_batch_definition_whole_dataframe("load")
        suite = gx.ExpectationSuite(name=suite_doc["name"])
        for exp in suite_doc["expectations"]:
            config = ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
            suite.add_expectation(config.to_domain_obj())
        suite = context.suites.add(suite)
        self.definition = context.validation_definitions.add(gx.ValidationDefinition(data=batch, suite=suite, name=kind))

    def run(self, frame) -> tuple[list[dict], int]:
        outcome = self.definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
        failures = []
        for res in outcome.results:
            if res.success:
                continue
            cfg = res.expectation_config
            failures.append({
                "expectation": cfg.type,
                "kwargs": {k: v for k, v in cfg.kwargs.items() if k != "batch_id" and k != "value_set"},
                "blocking": bool((cfg.meta or {}).get("blocking", True)),
                "unexpected_count": (res.result or {}).get("unexpected_count"),
            })
        return failures, len(outcome.results)


def _merge(failures: dict, found: list[dict]) -> None:
    """Add one chunk's failed expectations to the running list (unexpected counts summed)."""
    import json as _json

    for f in found:
        key = (f["expectation"], _json.dumps(f["kwargs"], sort_keys=True, default=str))
        if key not in failures:
            failures[key] = dict(f)
        elif f.get("unexpected_count") is not None:
            failures[key]["unexpected_count"] = (failures[key].get("unexpected_count") or 0) + f["unexpected_count"]


def validate_frame(kind: str, frame, suite_doc: dict) -> ContractResult:
    failures, evaluated = _Validator(kind, suite_doc).run(frame)
    passed = not any(f["blocking"] for f in failures)
    return ContractResult(suite_doc["name"], len(frame), passed, failures, evaluated)


def file_chunks(sizes: list[tuple[int, int]], limit: int = CHUNK_ROWS) -> list[tuple[int, int]]:
    """Consecutive (first, last) file-id ranges of at most ``limit`` rows (a larger file stays whole).

    Every suite's uniqueness expectations are per file (their column lists start with `_file_id`),
    so validating whole files chunk by chunk finds exactly what one pass over the load would."""
    out, start, rows = [], None, 0
    for file_id, n in sizes:
        if start is not None and rows + n > limit:
            out.append((start, last))
            start, rows = None, 0
        if start is None:
            start = file_id
        rows += n
        last = file_id
    if start is not None:
        out.append((start, last))
    return out


def check_load(work_db: Path, kind: str, load_id: int | None = None, chunk_rows: int = CHUNK_ROWS) -> ContractResult:
    """Validate the rows of raw.<kind> written by `load_id` (default: the latest load).

    The rows are read and validated in chunks of whole files (``chunk_rows``), so a national year
    (millions of rows) never sits in one DataFrame; the outcome is that of one pass."""
    from .config import duckdb_config

    con = duckdb.connect(str(work_db), read_only=True, config=duckdb_config())
    try:
        if load_id is None:
            load_id = con.execute("select coalesce(max(load_id), 0) from meta.loads").fetchone()[0]
        suite = load_suite(kind, con)
        for exp in suite["expectations"]:
            cols = exp["kwargs"].get("column_list")
            if exp["type"] == "expect_compound_columns_to_be_unique" and (not cols or cols[0] != "_file_id"):
                chunk_rows = 1 << 62  # a uniqueness across files: validate the load in one piece
        sizes = con.execute(f"select _file_id, count(*) from raw.{kind} where _load_id = ? group by 1 order by 1",
                            [load_id]).fetchall()
        validator = _Validator(kind, suite)
        failures: dict = {}
        evaluated = rows = 0
        for first, last in file_chunks(sizes, chunk_rows) or [(0, -1)]:
            frame = con.execute(f"select * from raw.{kind} where _load_id = ? and _file_id between ? and ?",
                                [load_id, first, last]).df()
            found, evaluated = validator.run(frame)
            rows += len(frame)
            _merge(failures, found)
            del frame
    finally:
        con.close()
    merged = list(failures.values())
    return ContractResult(suite["name"], rows, not any(f["blocking"] for f in merged), merged, evaluated)
