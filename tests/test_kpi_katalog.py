"""The KPI catalogue (dbt/dbt_project.yml vars.kpi_katalog, read by dagster_project/katalog.py) is the
one declaration every consumer reads: dbt's column list, the contract YAML, the snapshot, `monev kpi`,
the dashboards' labels. These tests fail when one of them drifts from it, or when the independent
reference (tests/kpi_reference.py, typed from KPI_DICTIONARY.md) disagrees with it."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from kpi_reference import KPI_COLUMNS as REFERENCE_COLUMNS
from kpi_reference import NEEDS as REFERENCE_NEEDS
from kpi_reference import RATES as REFERENCE_RATES

from dagster_project import katalog

REPO = Path(__file__).resolve().parents[1]
KINDS = {"narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp"}
TYPES = {"count": "bigint", "amount": "decimal(18,2)", "rate": "double", "code": "string"}


def test_catalogue_is_the_dictionary_in_order():
    assert katalog.kolom() == REFERENCE_COLUMNS
    rates = {k: v for k, v in katalog.rasio().items()}
    # the reference names kelengkapan's numerator differently (its own hidden column)
    assert set(rates) == set(REFERENCE_RATES)
    for name, (num, den) in rates.items():
        if name != "kelengkapan_laporan":
            assert (num, den) == REFERENCE_RATES[name], name
    for i in katalog.katalog():
        assert i.label.strip() and i.definisi.strip() and i.satuan.strip(), i.nama
        assert i.jenis in TYPES and i.tampilan in {"angka", "desimal", "rupiah", "persen", "teks"}, i.nama
        assert i.naik_baik in (True, False, None), i.nama
        assert set(i.butuh) <= KINDS, i.nama
        if i.jenis in ("count", "amount"):
            assert set(i.butuh) == set(REFERENCE_NEEDS.get(i.nama, ())), i.nama
        if i.jenis == "rate":
            assert i.tampilan == "persen" and i.pembilang and i.penyebut


def test_contract_yaml_and_snapshot_declare_every_catalogue_column():
    model = yaml.safe_load((REPO / "dbt/models/marts/kpi_indikator.yml").read_text(encoding="utf-8"))["models"][0]
    cols = {c["name"]: c for c in model["columns"]}
    for i in katalog.katalog():
        assert i.nama in cols and cols[i.nama]["data_type"] == TYPES[i.jenis], i.nama
        if i.jenis == "rate":
            assert i.pembilang in cols and i.penyebut in cols, i.nama
    snap = yaml.safe_load((REPO / "dbt/snapshots/kpi_indikator_snapshot.yml").read_text(encoding="utf-8"))
    assert snap["snapshots"][0]["config"]["check_cols"] == [*katalog.kolom(), "sementara"]


def test_monev_kpi_and_dashboards_read_the_catalogue():
    from dagster_project.kpi_export import KPI_COLUMNS
    from dashboards.indikator import INDIKATOR, RASIO

    assert KPI_COLUMNS == katalog.kolom()
    for i in katalog.katalog():
        assert INDIKATOR[i.nama].label == i.label and INDIKATOR[i.nama].jenis == i.tampilan
        assert INDIKATOR[i.nama].naik_baik is (i.naik_baik is not False)
    assert all(katalog.rasio()[r] == parts for r, parts in RASIO.items())


def test_catalogue_module_imports_nothing_from_the_project():
    """No dashboards <-> dagster_project cycle through the catalogue: it imports only the stdlib and yaml."""
    tree = ast.parse((REPO / "dagster_project/katalog.py").read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= {"__future__", "dataclasses", "functools", "pathlib", "yaml"}
    src = (REPO / "dashboards/indikator.py").read_text(encoding="utf-8")
    assert "kpi_export" not in src
