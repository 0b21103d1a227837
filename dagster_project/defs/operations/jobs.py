"""The one job that the nightly schedule, the landing sensor and `monev load` all run."""


import dagster as dg

monev_load_job = dg.define_asset_job(
    name="monev_load",
    selection=dg.AssetSelection.all(),
    description="Ingest new or replaced UPT files, build the dbt models, run the data checks, publish.",
    executor_def=dg.in_process_executor,  # one writer of the working warehouse at a time
    # Every run carries this tag: deploy/dagster.yaml's run queue admits one such run at a time
    # (Dagster puts no job-name tag on runs, so the limit needs one of ours).
    tags={"monev/job": "monev_load"},
)
