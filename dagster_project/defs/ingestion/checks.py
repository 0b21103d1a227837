"""Data contracts (expectations/raw_<kind>.json) as blocking asset checks on raw/<kind>."""


import dagster as dg

from ...contracts import check_load
from ...spec import KINDS
from ..resources import MonevPaths


def _contract_check(kind: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", kind]),
        name=f"kontrak_{kind}",
        blocking=True,
        description=f"great-expectations suite expectations/raw_{kind}.json over the rows of the latest load.",
    )
    def _check(monev: MonevPaths) -> dg.AssetCheckResult:
        result = check_load(monev.warehouse_paths().work, kind)
        return dg.AssetCheckResult(
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows": result.rows,
                "expectations": result.evaluated,
                "failures": dg.MetadataValue.json(result.failures),
            },
        )

    return _check


contract_checks = [_contract_check(k) for k in KINDS]
