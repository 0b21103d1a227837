"""dbt build at national scale (opt-in: MONEV_DBT_SCALE=1; about 2 minutes on 2 cores).

Builds the synthetic national warehouse of tests/fixtures_dbt_national.py (530 UPTs, 12 months,
about 6.2M raw rows), runs `dbt build` once (models, snapshot, data and unit tests) and compares
the national and Kanwil indicators of a quarter and the year with tests/kpi_reference.py.
No timed assertion: the build time is printed for the report.
"""

from __future__ import annotations

import math
import os
import time

import duckdb
import pandas as pd
import pytest

from fixtures_dbt import run_dbt
from fixtures_dbt_national import build_national_warehouse
from kpi_reference import KPI_COLUMNS, compute_kpis

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("MONEV_DBT_SCALE") != "1", reason="national-scale dbt build: set MONEV_DBT_SCALE=1"),
]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_scale")
    db = work / "monev.work.duckdb"
    counts = build_national_warehouse(db)
    assert sum(counts.values()) > 6_000_000
    started = time.monotonic()
    result = run_dbt(db, work, "build")
    print(f"\ndbt build at national scale: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, result.stdout[-6000:]
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("periode,level", [("2024Q3", "kanwil"), ("2024", "nasional")])
def test_national_scale_matches_reference(national, periode, level):
    ref = compute_kpis(national, periode, level).set_index("kode")
    mart = national.execute("select * from marts.kpi_indikator where level = ? and periode = ?",
                            [level, periode]).df().set_index("kode")
    assert sorted(ref.index) == sorted(mart.index)
    for kode in ref.index:
        for col in KPI_COLUMNS:
            a, b = ref.at[kode, col], mart.at[kode, col]
            if col == "status_laporan":  # a code, level upt only: empty here
                assert a is None and b is None, (kode, a, b)
                continue
            a = float("nan") if a is None or a is pd.NA else float(a)
            b = float("nan") if b is None or b is pd.NA else float(b)
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-6), (kode, col, a, b)
