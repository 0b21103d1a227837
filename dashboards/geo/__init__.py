"""Province boundaries for the dashboards' maps: reference data shipped with the code (see README.md).

The GeoJSON is read and parsed once per process; the returned dicts are shared, never mutated.
For figures, :func:`geojson_untuk` gives the rings as read-only numpy arrays: plotly then copies
and validates a figure in ~1 ms instead of ~10 ms (nested lists are deep-copied point by point),
and Dash's orjson serialiser writes them exactly as the nested lists of the file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

GEOJSON = Path(__file__).with_name("provinsi_idn.geojson")
KUNCI_FITUR = "properties.provinsi"  # featureidkey: the seed's/dim_kanwil's `provinsi`


@lru_cache(maxsize=1)
def provinsi_geojson() -> dict:
    """FeatureCollection of the 33 provinces (pre-2012), ``properties.provinsi`` as in seeds/upt_master.csv."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def _larik(ring: list) -> np.ndarray:
    a = np.asarray(ring, dtype=float)
    a.flags.writeable = False
    return a


@lru_cache(maxsize=1)
def _per_provinsi() -> dict[str, dict]:
    """Features by province, coordinates as read-only (n, 2) arrays."""
    out = {}
    for f in provinsi_geojson()["features"]:
        g = f["geometry"]
        poligon = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out[f["properties"]["provinsi"]] = {
            "type": "Feature", "properties": dict(f["properties"]),
            "geometry": {"type": "MultiPolygon", "coordinates": [[_larik(r) for r in p] for p in poligon]},
        }
    return out


def daftar_provinsi() -> tuple[str, ...]:
    return tuple(_per_provinsi())


@lru_cache(maxsize=256)
def geojson_untuk(provinsi: frozenset[str]) -> dict:
    """A FeatureCollection with only these provinces (unknown names are ignored), cached per set."""
    semua = _per_provinsi()
    return {"type": "FeatureCollection", "features": [semua[p] for p in sorted(provinsi) if p in semua]}
