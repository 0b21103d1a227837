"""Run-failure reporting for runs the daemon launched (schedule, sensor, launchpad, backfill).

`monev load` records its own failures (dagster_project/cli.py); this sensor does the same for any
failed run of `monev_load` in the instance. Both write through ops_status.record_failure, which is
idempotent by run id, so a run reported twice is recorded once.
"""


import dagster as dg

from ... import config
from ...ops_status import failure_from_events, record_failure
from .jobs import monev_load_job


@dg.run_failure_sensor(
    name="catat_kegagalan",
    monitored_jobs=[monev_load_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Write every failed monev_load run to meta.loads (status GAGAL) and meta.run_failures "
    "of the working warehouse (or the journal beside it), for the Kualitas Data page and `monev status`.",
)
def catat_kegagalan(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    step, reason = failure_from_events(context.get_step_failure_events())
    if not reason:
        reason = (context.failure_event.message or "").strip().splitlines()[0:1]
        reason = reason[0] if reason else "run gagal"
    paths = config.warehouse_paths(run.tags.get("monev/warehouse") or None)
    where = record_failure(paths, run.run_id, step, reason, run.tags.get("monev/trigger", "dagster"))
    context.log.info(f"Kegagalan run {run.run_id} dicatat di {where}")
