"""The rules of the monev findings (temuan), declared once in ``dbt/dbt_project.yml`` (vars: temuan_aturan).

dbt reads them to compute ``mart_temuan``; this module reads the same YAML for the dashboards and the
quarterly report: each rule's title and explanation for the reader (Bahasa Indonesia, with its
thresholds written in) and whether it ranks. It imports nothing from the project (like katalog.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from dagster_project.katalog import DBT_PROJECT

KATEGORI = {
    "partisipasi": "Partisipasi",
    "pnbp": "PNBP",
    "rugi": "Kegiatan merugi",
    "tidak_wajar": "Laporan tidak wajar",
    "pelaporan": "Pelaporan",
}
_KUNCI_TEKS = {"kategori", "peringkat", "judul", "penjelasan", "indikator"}


def _angka(v) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    return f"{v}".replace(".", ",")


@dataclass(frozen=True)
class Aturan:
    kode: str
    kategori: str
    peringkat: bool
    judul: str
    penjelasan: str  # thresholds written in
    ambang: dict = field(default_factory=dict, compare=False)


@cache
def aturan() -> dict[str, Aturan]:
    """Every rule in declaration order."""
    try:
        data = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))
    except OSError as exc:  # pragma: no cover - a broken checkout
        raise RuntimeError(f"{DBT_PROJECT}: cannot read the findings rules ({exc.strerror}).") from None
    out = {}
    for kode, a in data["vars"]["temuan_aturan"].items():
        ambang = {k: v for k, v in a.items() if k not in _KUNCI_TEKS}
        penjelasan = " ".join(str(a["penjelasan"]).split()).format(**{k: _angka(v) for k, v in ambang.items()})
        out[kode] = Aturan(kode, a["kategori"], bool(a.get("peringkat")), a["judul"], penjelasan, ambang)
    return out
