"""Start a load when new or changed files appear in the landing folder."""


import hashlib

import dagster as dg

from ... import config
from ...ingest.files import discover
from .jobs import monev_load_job


@dg.sensor(job=monev_load_job, minimum_interval_seconds=300, name="file_masuk",
           default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext):
    landing = config.landing_dir()
    if not landing.is_dir():
        return dg.SkipReason(f"{landing} does not exist")
    files = discover(landing)
    fingerprint = hashlib.sha256(
        "\n".join(f"{f.relpath}|{f.size}|{f.mtime_ns}" for f in files).encode()).hexdigest()
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed files")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"monev/trigger": "sensor"})
