"""The KPI catalogue: every published indicator declared once (KPI_DICTIONARY.md, version 2).

The catalogue lives in ``dbt/dbt_project.yml`` under ``vars: kpi_katalog`` so that dbt reads it
itself (macro ``kpi_columns()``: column order, kinds, numerators and denominators of the rates, the
kinds of file each indicator needs); this module reads the same YAML for ``monev kpi``, the
dashboards, the reports and the tests. It imports nothing from the project, so both
``dagster_project`` and ``dashboards`` can use it without an import cycle.

Per indicator: ``nama`` (column of kpi_indikator), ``label`` (Bahasa Indonesia), ``jenis`` (count,
amount, rate, code), ``tampilan`` (angka, desimal, rupiah, persen, teks: how pages format it),
``satuan`` (unit), ``pembilang`` / ``penyebut`` (rates), ``naik_baik`` (true: higher is better,
false: lower is better, null: neither), ``butuh`` (kinds of file it is computed from) and
``definisi`` (the dictionary's text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt" / "dbt_project.yml"


@dataclass(frozen=True)
class Indikator:
    nama: str
    label: str
    jenis: str
    tampilan: str
    satuan: str
    definisi: str
    pembilang: str | None = None
    penyebut: str | None = None
    naik_baik: bool | None = True
    butuh: tuple[str, ...] = ()


@cache
def katalog() -> tuple[Indikator, ...]:
    """Every indicator of the dictionary, in its order."""
    try:
        data = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))
    except OSError as exc:  # pragma: no cover - a broken checkout
        raise RuntimeError(f"{DBT_PROJECT}: cannot read the KPI catalogue ({exc.strerror}).") from None
    out = []
    for e in data["vars"]["kpi_katalog"]:
        out.append(Indikator(
            nama=e["nama"], label=e["label"], jenis=e["jenis"], tampilan=e["tampilan"], satuan=e["satuan"],
            definisi=e["definisi"], pembilang=e.get("pembilang"), penyebut=e.get("penyebut"),
            naik_baik=e.get("naik_baik"), butuh=tuple(e.get("butuh") or ()),
        ))
    return tuple(out)


def kolom() -> tuple[str, ...]:
    """Column names in dictionary order (the `monev kpi` contract)."""
    return tuple(i.nama for i in katalog())


def per_nama() -> dict[str, Indikator]:
    return {i.nama: i for i in katalog()}


def rasio() -> dict[str, tuple[str, str]]:
    """rate -> (numerator, denominator) columns."""
    return {i.nama: (i.pembilang, i.penyebut) for i in katalog() if i.jenis == "rate"}
