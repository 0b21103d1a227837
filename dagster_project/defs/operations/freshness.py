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

from ...ops_status import FRESHNESS_HOURS, publication_info
from ...perubahan import last_confirmation, served_publication
from ..publication.assets import gudang_terbit
from ..resources import MonevPaths


@dg.asset_check(asset=gudang_terbit, name="gudang_terbit_segar", blocking=False,
                description=f"The served publication is at most {FRESHNESS_HOURS} hours old.")
def gudang_terbit_segar(monev: MonevPaths) -> dg.AssetCheckResult:
    import datetime as dt

    serving = monev.warehouse_paths().serving
    info = publication_info(serving)
    if not info or "galat" in (info or {}):
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                   metadata={"path": str(serving), "masalah": (info or {}).get("galat", "belum terbit")})
    published = info["diterbitkan_pada"]
    confirmed = last_confirmation(monev.warehouse_paths().work, (served_publication(serving) or {}).get("sidik_masukan"))
    reference = max(published, confirmed) if confirmed else published
    age = (dt.datetime.now() - reference).total_seconds() / 3600
    return dg.AssetCheckResult(
        passed=age <= FRESHNESS_HOURS, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"path": str(serving), "diterbitkan_pada": published.isoformat(),
                  "dikonfirmasi_pada": confirmed.isoformat() if confirmed else "-",
                  "umur_jam": round(age, 2), "batas_jam": FRESHNESS_HOURS, "load_id": info["load_id"]})


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
