"""Freshness of the published warehouse: a check on gudang_terbit and an hourly job that runs it.

The check reads `publikasi.diterbitkan_pada` of the file actually being served (so a rollback or a
copied-in file is judged by what the dashboards see) and fails when it is older than
ops_status.FRESHNESS_HOURS (36 h: one missed nightly load is tolerated, two are not).

A load with nothing new does not republish (dagster_project/perubahan.py); it confirms instead that
the served publication still reflects every input. Such a confirmation counts as fresh: the check
measures the age of the later of the publication and the last no-op load whose input fingerprint
equals the publication's, so a quiet weekend is not "stale" while two missed nightly loads still are.
"""


import dagster as dg

from ...ops_status import FRESHNESS_HOURS, freshness_verdict
from ..publication.assets import gudang_terbit
from ..resources import MonevPaths


@dg.asset_check(asset=gudang_terbit, name="gudang_terbit_segar", blocking=False,
                description=f"The served publication is at most {FRESHNESS_HOURS} hours old.")
def gudang_terbit_segar(monev: MonevPaths) -> dg.AssetCheckResult:
    passed, metadata = freshness_verdict(monev.warehouse_paths())
    return dg.AssetCheckResult(passed=passed, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata)


freshness_job = dg.define_asset_job(
    name="cek_kesegaran",
    selection=dg.AssetSelection.checks(gudang_terbit_segar),
    description="Only the freshness check of the published warehouse (no load).",
)

freshness_schedule = dg.ScheduleDefinition(
    name="cek_kesegaran_jam",
    job=freshness_job,
    cron_schedule="15 * * * *",
    execution_timezone="Asia/Jakarta",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly: fail the freshness check when the publication is older than 36 hours.",
)
