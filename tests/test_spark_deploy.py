"""deploy/: the multi-machine Dagster configuration is valid and complete."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "monev.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def test_instance_config_validates_with_postgres_storage(tmp_path, monkeypatch):
    from dagster._core.instance.config import dagster_instance_config

    for key, value in _env_example().items():
        monkeypatch.setenv(key, value)
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert set(config["storage"]) == {"postgres"}
    db = config["storage"]["postgres"]["postgres_db"]
    assert all(isinstance(db[k], dict) and "env" in db[k] for k in ("hostname", "db_name", "username", "password"))
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["concurrency"]["runs"]["tag_concurrency_limits"][0]["value"] == "monev_load"


def test_postgres_storage_package_matches_dagster():
    import dagster
    import dagster_postgres
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage  # noqa: F401

    assert dagster.__version__ == "1.13.27"
    assert dagster_postgres.__version__ == "0.29.27"


def test_workspaces_name_the_project_code_location():
    inproc = yaml.safe_load((DEPLOY / "workspace.yaml").read_text(encoding="utf-8"))
    grpc = yaml.safe_load((DEPLOY / "workspace.grpc.yaml").read_text(encoding="utf-8"))
    [loc] = inproc["load_from"]
    assert loc["python_module"]["module_name"] == "dagster_project.definitions"
    assert loc["python_module"]["location_name"] == "monev_kemandirian"
    assert grpc["load_from"][0]["grpc_server"]["location_name"] == "monev_kemandirian"


def test_workspaces_are_valid_dagster_workspace_files(monkeypatch):
    """Dagster's own loader accepts both files (an earlier layout was not a workspace schema at all)."""
    from dagster._core.workspace.load import location_origins_from_yaml_paths

    monkeypatch.setenv("MONEV_CODE_SERVER_HOST", "code.internal")
    [inproc] = location_origins_from_yaml_paths([str(DEPLOY / "workspace.yaml")])
    [grpc] = location_origins_from_yaml_paths([str(DEPLOY / "workspace.grpc.yaml")])
    assert inproc.loadable_target_origin.module_name == "dagster_project.definitions"
    assert (grpc.host, grpc.port) == ("code.internal", 4000)
    assert inproc.location_name == grpc.location_name == "monev_kemandirian"


def test_env_example_sets_every_variable_the_configuration_reads():
    env = _env_example()
    read = set(re.findall(r"env: (\w+)", (DEPLOY / "dagster.yaml").read_text(encoding="utf-8")))
    read |= set(re.findall(r"env_var\('(\w+)'", (REPO / "dbt" / "profiles.yml").read_text(encoding="utf-8")))
    read -= {"MONEV_WORK_DB", "MONEV_SPARK_TOKEN", "MONEV_SPARK_CLUSTER", "MONEV_SPARK_SHUFFLE_PARTITIONS",
             "MONEV_SPARK_DRIVER_HOST"}  # set by the job / only for spark_http / tuning defaults
    assert read <= set(env), sorted(read - set(env))
    assert env["MONEV_DBT_TARGET"] in {"duckdb", "spark", "spark_thrift", "spark_http"}


def test_profiles_define_every_documented_target():
    profiles = yaml.safe_load((REPO / "dbt" / "profiles.yml").read_text(encoding="utf-8"))
    outputs = profiles["monev"]["outputs"]
    assert profiles["monev"]["target"] == "duckdb"
    assert {k: v["type"] for k, v in outputs.items()} == {
        "duckdb": "duckdb", "spark": "spark", "spark_thrift": "spark", "spark_http": "spark"}
    assert outputs["spark"]["method"] == "session"
    assert outputs["spark_thrift"]["method"] == "thrift" and outputs["spark_http"]["method"] == "http"


def test_run_queue_limit_matches_a_tag_the_load_runs_carry(monkeypatch):
    """The limit only works on a tag every monev_load run has (Dagster adds no job-name tag)."""
    from dagster._core.instance.config import dagster_instance_config

    from dagster_project.defs.operations.jobs import monev_load_job

    for key, value in _env_example().items():
        monkeypatch.setenv(key, value)
    config, _ = dagster_instance_config(str(DEPLOY))
    [limit] = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert monev_load_job.tags.get(limit["key"]) == limit["value"] and limit["limit"] == 1
