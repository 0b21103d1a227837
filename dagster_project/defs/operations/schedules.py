"""Nightly load at 01:00 Jakarta time."""


import dagster as dg

from .jobs import monev_load_job

nightly_load = dg.ScheduleDefinition(
    name="muatan_malam",
    job=monev_load_job,
    cron_schedule="0 1 * * *",
    execution_timezone="Asia/Jakarta",
    description="Nightly load of everything that landed during the day.",
    tags={"monev/trigger": "jadwal"},
)
