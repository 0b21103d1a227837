"""`monev kpi` on generated demo data against an independent plain-pandas reference.

The reference (tests/kpi_reference.py) is written from KPI_DICTIONARY.md (version 2), not from the
dbt SQL. It reads the working warehouse the real job filled (raw/meta/ref layers) and recomputes
every indicator; `monev kpi` reads the published marts. They must agree figure for figure (empty
for empty: "belum melapor") at every level for every period, for every breakdown, and on which
periods are provisional.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest
from kpi_reference import DIMENSIONS, compute_breakdown, compute_kpis, provisional

from dagster_project.cli import main
from dagster_project.kpi_export import BREAKDOWN_COLUMNS, KPI_COLUMNS

pytestmark = pytest.mark.slow

PERIODS = ("2024Q1", "2024Q2", "2024S1", "2024")


@pytest.fixture(scope="module")
def work_con(demo_pipeline):
    assert demo_pipeline.load_exit == 0
    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    yield con
    con.close()


def _read_cli(demo_pipeline, tmp_path, period, level, by=None) -> pd.DataFrame:
    out = tmp_path / f"{period}_{level}_{by}.csv"
    args = ["kpi", "--warehouse", str(demo_pipeline.warehouse), "--period", period, "--level", level, "--out", str(out)]
    if by:
        args += ["--by", by]
    assert main(args) == 0
    return pd.read_csv(out, dtype={"kode": str, "periode": str, "nilai": str}, keep_default_na=False,
                       na_values=[""])


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return (a if isinstance(a, str) else None) == (b if isinstance(b, str) else None)
    a_nan = a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a))
    b_nan = b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    if a_nan or b_nan:
        return a_nan and b_nan
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.006)


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("level", ["upt", "kanwil", "nasional"])
def test_indicators_equal_reference(demo_pipeline, work_con, tmp_path, period, level):
    got = _read_cli(demo_pipeline, tmp_path, period, level).set_index("kode")
    ref = compute_kpis(work_con, period, level).set_index("kode")
    assert sorted(got.index) == sorted(ref.index)
    diffs = []
    for kode in ref.index:
        for col in KPI_COLUMNS:
            if not _same(got.at[kode, col], ref.at[kode, col]):
                diffs.append((kode, col, got.at[kode, col], ref.at[kode, col]))
    assert not diffs, diffs[:15]
    # the comparison is meaningful: the demo data gives non-trivial figures
    if level == "nasional":
        row = ref.iloc[0]
        assert row["populasi_akhir"] > 0 and row["pendapatan"] > 0 and row["partisipan_produksi"] > 0
    # the provisional flag of the period
    sementara, _reasons = provisional(work_con, period)
    assert set(got["sementara"].astype(str).str.lower()) == {str(sementara).lower()}


@pytest.mark.parametrize("by", DIMENSIONS)
@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("level", ["upt", "kanwil", "nasional"])
def test_breakdowns_equal_reference(demo_pipeline, work_con, tmp_path, by, period, level):
    got = _read_cli(demo_pipeline, tmp_path, period, level, by)
    ref = compute_breakdown(work_con, period, level, by)
    got = got.set_index(["kode", "nilai"]).sort_index()
    ref = ref.set_index(["kode", "nilai"]).sort_index()
    assert list(got.index) == list(ref.index)
    diffs = [(key, col, got.at[key, col], ref.at[key, col])
             for key in ref.index for col in BREAKDOWN_COLUMNS if not _same(got.at[key, col], ref.at[key, col])]
    assert not diffs, diffs[:15]
