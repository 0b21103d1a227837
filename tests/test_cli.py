"""The `monev` command contract (CLI_CONTRACT.md): user mistakes are one sentence, no traceback."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.cli import main, parse_months, validate_period
from dagster_project.errors import UserError
from dagster_project.kpi_export import KPI_COLUMNS, PROVISIONAL_COLUMNS

MONEV = [sys.executable, "-m", "dagster_project.cli"]


def run(*args, env=None):
    return subprocess.run([*MONEV, *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("args,needle", [
    (["load", "--landing", "/tidak/ada"], "/tidak/ada"),
    (["kpi", "--warehouse", "/tidak/ada.duckdb", "--period", "2024Q3", "--level", "upt", "--out", "x.csv"],
     "/tidak/ada.duckdb"),
    (["kpi", "--warehouse", "/tidak/ada.duckdb", "--period", "2024Q5", "--level", "upt", "--out", "x.csv"], "2024Q5"),
    (["kpi", "--period", "2024", "--level", "provinsi", "--out", "x.csv"], "provinsi"),
    (["kpi", "--period", "2024", "--level", "upt", "--by", "warna", "--out", "x.csv"], "warna"),
    (["serve", "--warehouse", "/tidak/ada.duckdb"], "/tidak/ada.duckdb"),
    (["generate", "--out", "/tmp/x", "--months", "2024-07:2024-01"], "2024-07:2024-01"),
])
def test_user_mistakes_are_one_sentence_without_traceback(args, needle):
    res = run(*args)
    assert res.returncode == 2
    lines = [line for line in res.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    assert needle in lines[0] and "Traceback" not in res.stderr


def test_malformed_upt_master_is_refused_before_loading(tmp_path):
    master = tmp_path / "master.csv"
    master.write_text("kode_upt,nama_upt\nUPT0001,Lapas\n", encoding="utf-8")
    landing = tmp_path / "landing"
    landing.mkdir()
    res = run("load", "--landing", str(landing), "--upt-master", str(master), "--warehouse", str(tmp_path / "w.duckdb"))
    assert res.returncode == 2
    assert str(master) in res.stderr and "kapasitas" in res.stderr


@pytest.mark.parametrize("period", ["2024Q1", "2024Q4", "2024S1", "2024S2", "2024"])
def test_valid_periods(period):
    assert validate_period(period) == period


@pytest.mark.parametrize("period", ["2024Q0", "2024-Q1", "24Q1", "2024S3", "Q1", "'; drop table x; --"])
def test_invalid_periods(period):
    with pytest.raises(UserError):
        validate_period(period)


def test_month_range_defaults_and_validation():
    assert parse_months(None, "demo") == ("2024-01", "2024-06")
    assert parse_months(None, "mini") == ("2024-01", "2024-06")
    assert parse_months(None, "national") == ("2024-01", "2024-12")
    assert parse_months("2023-11:2024-02", "demo") == ("2023-11", "2024-02")
    with pytest.raises(UserError):
        parse_months("2024-13:2024-14", "demo")


@pytest.mark.slow
def test_kpi_csv_contract(demo_pipeline, tmp_path):
    out = tmp_path / "kpi.csv"
    assert main(["kpi", "--warehouse", str(demo_pipeline.warehouse), "--period", "2024Q1", "--level", "kanwil",
                 "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["level", "kode", "periode", *KPI_COLUMNS, *PROVISIONAL_COLUMNS]
    assert len(rows) > 1 and all(r[0] == "kanwil" and r[2] == "2024Q1" for r in rows[1:])
    rates = [rows[0].index(c) for c in rows[0]
             if c.startswith(("tingkat_", "kepatuhan", "rasio", "qc_pass", "kelengkapan", "cakupan"))]
    for r in rows[1:]:
        for i in rates:  # decimals (0.8125), never percentages; empty for NULL
            assert r[i] == "" or 0.0 <= float(r[i]) <= 1.0 or rows[0][i] == "rasio_setor_pnbp"
        assert "%" not in ",".join(r) and "e+" not in ",".join(r)
    out2 = tmp_path / "by.csv"
    assert main(["kpi", "--warehouse", str(demo_pipeline.warehouse), "--period", "2024S1", "--level", "nasional",
                 "--by", "kanal", "--out", str(out2)]) == 0
    rows = list(csv.reader(out2.open(encoding="utf-8")))
    assert rows[0] == ["level", "kode", "periode", "dimensi", "nilai", "pendapatan", "produksi_unit",
                       "lolos_qc_unit", "qc_pass_rate"]
    assert {r[3] for r in rows[1:]} == {"kanal"} and len(rows) > 2
    out3 = tmp_path / "satuan.csv"
    assert main(["kpi", "--warehouse", str(demo_pipeline.warehouse), "--period", "2024S1", "--level", "nasional",
                 "--by", "satuan", "--out", str(out3)]) == 0
    rows = list(csv.reader(out3.open(encoding="utf-8")))
    units = {r[4] for r in rows[1:]}
    assert "kg" in units and "pcs" in units and "unit" not in units  # canonical units (taxonomy_satuan.csv)
    assert all(r[5] == "" for r in rows[1:])  # production only: revenue empty


def test_generate_demo_scale_writes_its_master_and_says_where(tmp_path, capsys):
    out = tmp_path / "landing"
    assert main(["generate", "--out", str(out), "--scale", "demo", "--months", "2024-06:2024-06"]) == 0
    said = capsys.readouterr().out
    master = out / ".referensi" / "upt_master.csv"
    assert f"upt_master={master}" in said and "upts=49" in said
    assert len(master.read_text(encoding="utf-8").splitlines()) == 50
