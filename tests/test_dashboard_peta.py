"""The Kanwil map of Ringkasan Nasional: province boundaries (dashboards/geo), their build script,
and the figure (one location per Kanwil in scope, the ranking's values, Indonesian hover text)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import ctx, gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards import geo  # noqa: E402
from dashboards.data import Pengguna  # noqa: E402
from dashboards.geo import build_geojson as bg  # noqa: E402
from dashboards.pages import ringkasan  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
UPT4 = Pengguna("upt4", "upt", "UPT0004")
# tests/dash_fixtures.py: KW01 Aceh, KW02 Jawa Barat, KW03 Bali
PROVINSI_FIXTURE = {"KW01": "Aceh", "KW02": "Jawa Barat", "KW03": "Bali"}


def _fitur_file() -> list[dict]:
    return json.loads((ROOT / "dashboards" / "geo" / "provinsi_idn.geojson").read_text(encoding="utf-8"))["features"]


# ---------------------------------------------------------------------- reference data
def test_every_seed_province_maps_to_exactly_one_feature():
    seed = pd.read_csv(ROOT / "seeds" / "upt_master.csv", dtype=str, keep_default_na=False)
    per_kanwil = seed.drop_duplicates("kode_kanwil")
    assert len(per_kanwil) == 33 and per_kanwil.provinsi.is_unique
    nama_fitur = [f["properties"]["provinsi"] for f in _fitur_file()]
    for prov in per_kanwil.provinsi:
        assert nama_fitur.count(prov) == 1, prov
    assert sorted(nama_fitur) == sorted(per_kanwil.provinsi)  # and no feature without a Kanwil


def test_mapping_table_is_one_to_one():
    assert len(bg.NAMA_PROVINSI) == 33
    assert len(set(bg.NAMA_PROVINSI.values())) == 33
    assert bg.NAMA_PROVINSI["Jakarta Raya"] == "DKI Jakarta"
    assert bg.NAMA_PROVINSI["Irian Jaya Barat"] == "Papua Barat"
    assert bg.NAMA_PROVINSI["Bangka-Belitung"] == "Kepulauan Bangka Belitung"


def _di_dalam(titik, cincin) -> bool:
    x, y = titik
    dalam = False
    for (x1, y1), (x2, y2) in zip(cincin, cincin[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            dalam = not dalam
    return dalam


# (lon, lat) of a place inside each province (towns, away from coasts and borders).
TEMPAT = {
    "Aceh": (96.84, 4.62), "Sumatera Utara": (99.07, 2.96), "Sumatera Barat": (100.37, -0.30),
    "Riau": (101.45, 0.51), "Kepulauan Riau": (104.0, 1.05), "Jambi": (103.61, -1.61),
    "Sumatera Selatan": (104.75, -2.98), "Kepulauan Bangka Belitung": (106.0, -2.2), "Bengkulu": (102.4, -3.7),
    "Lampung": (105.31, -5.11), "DKI Jakarta": (106.827, -6.175), "Jawa Barat": (107.61, -6.91),
    "Banten": (106.25, -6.36), "Jawa Tengah": (110.50, -7.33), "DI Yogyakarta": (110.37, -7.80),
    "Jawa Timur": (112.63, -7.98), "Bali": (115.26, -8.51), "Nusa Tenggara Barat": (116.27, -8.71),
    "Nusa Tenggara Timur": (124.28, -9.86), "Kalimantan Barat": (111.50, 0.07), "Kalimantan Tengah": (113.92, -2.21),
    "Kalimantan Selatan": (114.83, -3.44), "Kalimantan Timur": (117.15, -0.50), "Sulawesi Utara": (124.84, 1.32),
    "Gorontalo": (123.06, 0.54), "Sulawesi Tengah": (120.1, -1.4), "Sulawesi Selatan": (119.89, -2.97),
    "Sulawesi Barat": (119.0, -2.6), "Sulawesi Tenggara": (122.10, -3.85), "Maluku": (129.5, -3.1),
    "Maluku Utara": (127.9, 0.6), "Papua": (138.94, -4.10), "Papua Barat": (132.3, -1.3),
}


def test_known_places_fall_in_their_province_only():
    """Decoding (transform, deltas, reversed arcs) and simplification put every province where it is."""
    fitur = _fitur_file()
    assert set(TEMPAT) == {f["properties"]["provinsi"] for f in fitur}
    for prov, titik in TEMPAT.items():
        kena = [f["properties"]["provinsi"] for f in fitur
                if any(_di_dalam(titik, p[0]) and not any(_di_dalam(titik, h) for h in p[1:])
                       for p in f["geometry"]["coordinates"])]
        assert kena == [prov], (prov, kena)


def test_geojson_is_small_valid_and_rfc7946_wound():
    path = ROOT / "dashboards" / "geo" / "provinsi_idn.geojson"
    assert path.stat().st_size < 150_000  # sent to the browser with every Ringkasan render
    for f in _fitur_file():
        assert f["geometry"]["type"] == "MultiPolygon"
        for poligon in f["geometry"]["coordinates"]:
            for i, cincin in enumerate(poligon):
                assert len(cincin) >= 4 and cincin[0] == cincin[-1]
                assert all(95 <= x <= 141.1 and -11.1 <= y <= 6.1 for x, y in cincin)
                assert all(len(repr(v).split(".")[-1]) <= bg.DESIMAL for p in cincin for v in p)
                luas = bg.luas_bertanda([tuple(p) for p in cincin[:-1]])
                assert (luas > 0) == (i == 0), (f["properties"]["provinsi"], i)  # exterior CCW, holes CW


def test_decode_topojson_transform_deltas_and_reversed_arcs():
    topo = {
        "type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [100, -10]},
        # arc 0: (0,0) -> (4,0) -> (4,4); arc 1: (4,4) -> (0,4) -> (0,0), both delta-encoded
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]]],
    }
    arcs = bg.decode_arcs(topo)
    assert arcs[0] == [(100.0, -10.0), (102.0, -10.0), (102.0, -9.0)]
    assert arcs[1] == [(102.0, -9.0), (100.0, -9.0), (100.0, -10.0)]
    assert bg.ring([0, 1], arcs) == [(100.0, -10.0), (102.0, -10.0), (102.0, -9.0), (100.0, -9.0), (100.0, -10.0)]
    # ~1 == -2: arc 1 reversed, then ~0: arc 0 reversed -> the same square clockwise
    assert bg.ring([~1, ~0], arcs) == [(100.0, -10.0), (100.0, -9.0), (102.0, -9.0), (102.0, -10.0), (100.0, -10.0)]
    assert bg.decode_arcs({"arcs": [[[1.5, 2.5], [3, 4]]]}) == [[(1.5, 2.5), (3.0, 4.0)]]  # no transform: absolute


def test_build_keys_on_name_drops_the_unnamed_feature_and_orients_rings():
    persegi = [[[0, 0], [0, 40], [40, 0], [0, -40], [-40, 0]]]  # clockwise square, 1 x 1 degree
    topo = {
        "type": "Topology", "transform": {"scale": [0.025, 0.025], "translate": [110, -5]}, "arcs": persegi,
        "objects": {"idn": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "ID.LA", "arcs": [[0]], "properties": {"name": n}}
            for n in bg.NAMA_PROVINSI] + [{"type": "Polygon", "id": "-99", "arcs": [[0]], "properties": {"name": None}}]}},
    }
    gj = bg.bangun(topo)
    assert len(gj["features"]) == 33
    f = next(f for f in gj["features"] if f["properties"]["nama_ne"] == "Yogyakarta")
    assert f["properties"]["provinsi"] == "DI Yogyakarta"
    (cincin,) = f["geometry"]["coordinates"][0]
    assert cincin == [[110.0, -5.0], [111.0, -5.0], [111.0, -4.0], [110.0, -4.0], [110.0, -5.0]]  # now CCW
    topo["objects"]["idn"]["geometries"][0]["properties"]["name"] = "Kalimantan Utara"  # not in the table
    with pytest.raises(ValueError, match="Kalimantan Utara"):
        bg.bangun(topo)


def test_douglas_peucker_keeps_ends_and_far_points():
    garis = [(0, 0), (1, 0.001), (2, -0.001), (3, 0.5), (4, 0.0), (5, 0)]
    assert bg.douglas_peucker(garis, 0.01) == [(0, 0), (2, -0.001), (3, 0.5), (4, 0.0), (5, 0)]
    assert bg.douglas_peucker(garis, 1.0) == [(0, 0), (5, 0)]


def test_loaded_once_and_shared_read_only():
    assert geo.provinsi_geojson() is geo.provinsi_geojson()
    sub = geo.geojson_untuk(frozenset({"Bali", "Aceh", "Bukan provinsi"}))
    assert [f["properties"]["provinsi"] for f in sub["features"]] == ["Aceh", "Bali"]
    assert sub["features"][0] is geo.geojson_untuk(frozenset({"Aceh"}))["features"][0]  # features built once
    cincin = sub["features"][0]["geometry"]["coordinates"][0][0]
    with pytest.raises(ValueError):
        cincin[0, 0] = 0.0


# ---------------------------------------------------------------------- the figure
def published_kanwil(wh: Path, kolom: str, periode: str = "2024Q3") -> dict[str, float]:
    """The published Kanwil rows, read straight from the file (not through dashboards.data)."""
    with duckdb.connect(str(wh), read_only=True) as con:
        rows = con.execute(f"select kode, {kolom} from kpi_indikator where level = 'kanwil' and periode = ?",
                           [periode]).fetchall()
    return {PROVINSI_FIXTURE[k]: float(v) for k, v in rows}


def _jejak(fig):
    (t,) = fig.data
    assert t.type == "choroplethmap" and t.featureidkey == "properties.provinsi"
    return t


@pytest.mark.parametrize("kolom", ["kepatuhan_litmas_h7", "rasio_setor_pnbp", "pendapatan"])
def test_national_map_has_every_kanwil_with_the_ranking_values(gudang, wh, kolom):
    c = ctx(gudang, PUSAT, indikator=kolom)
    t = _jejak(ringkasan.fig_peta(c))
    diharapkan = published_kanwil(wh, kolom)
    assert sorted(t.locations) == sorted(diharapkan)  # one location per Kanwil, keyed on provinsi
    assert dict(zip(t.locations, t.z)) == pytest.approx(diharapkan)
    # the same values as the ranked view (the accessible equivalent of the map)
    peringkat = ringkasan.tabel_peringkat(c)
    assert dict(zip(peringkat.kode.map(PROVINSI_FIXTURE), peringkat[kolom].astype(float))) == pytest.approx(
        dict(zip(t.locations, t.z)))
    # every location has a feature in the trace's own GeoJSON, and only those are sent
    assert sorted(f["properties"]["provinsi"] for f in t.geojson["features"]) == sorted(t.locations)


def test_hover_names_the_kanwil_and_formats_the_indonesian_way(gudang):
    t = _jejak(ringkasan.fig_peta(ctx(gudang, PUSAT, indikator="pendapatan")))
    hover = dict(zip(t.locations, map(tuple, t.customdata)))
    assert hover["Aceh"] == ("Kanwil Aceh", "Rp 64.669.000")  # fixture value 64,669,000.00
    assert "%{customdata[0]}" in t.hovertemplate and "Pendapatan" in t.hovertemplate
    t = _jejak(ringkasan.fig_peta(ctx(gudang, PUSAT, indikator="kepatuhan_litmas_h7")))
    hover = dict(zip(t.locations, map(tuple, t.customdata)))
    assert hover["Aceh"] == ("Kanwil Aceh", "86,6%")  # 0.8660... (181/209)
    assert hover["Bali"][1] == "72,5%"


def test_map_draws_offline(gudang):
    fig = ringkasan.fig_peta(ctx(gudang, PUSAT))
    teks = json.dumps(fig.to_plotly_json(), default=lambda o: o.tolist())
    assert fig.layout.map.style == "white-bg"
    assert "http" not in teks and "mapbox://" not in teks  # no tiles, sprites, glyphs or sources by URL
    assert 117 <= fig.layout.map.center.lon <= 119 and -3.5 <= fig.layout.map.center.lat <= -1.5


def test_kanwil_account_sees_only_its_own_province(gudang, wh):
    fig = ringkasan.fig_peta(ctx(gudang, KW01))
    t = _jejak(fig)
    assert list(t.locations) == ["Aceh"]
    assert list(t.z) == pytest.approx([published_kanwil(wh, "kepatuhan_litmas_h7")["Aceh"]])
    assert [f["properties"]["provinsi"] for f in t.geojson["features"]] == ["Aceh"]
    # the rest of Indonesia is a grey background without values or names of other Kanwil
    (latar,) = fig.layout.map.layers
    assert len(latar.source["features"]) == 32 and "Aceh" not in {f["properties"]["provinsi"] for f in latar.source["features"]}
    teks = json.dumps(fig.to_plotly_json(), default=lambda o: o.tolist())
    lain = published_kanwil(wh, "kepatuhan_litmas_h7")
    for asing in ("Kanwil Jawa Barat", "Kanwil Bali", "56,7%", "72,5%", repr(lain["Bali"]), repr(lain["Jawa Barat"])):
        assert asing not in teks


def test_filters_narrow_the_map_and_upt_accounts_get_none(gudang):
    assert list(_jejak(ringkasan.fig_peta(ctx(gudang, PUSAT, kanwil="KW02"))).locations) == ["Jawa Barat"]
    assert list(_jejak(ringkasan.fig_peta(ctx(gudang, PUSAT, upt="UPT0006"))).locations) == ["Bali"]
    # a type filter re-aggregates the Kanwil rows: still the ranked view's values
    c = ctx(gudang, PUSAT, jenis_upt="LAPAS", indikator="qc_pass_rate")
    t = _jejak(ringkasan.fig_peta(c))
    peringkat = ringkasan.tabel_peringkat(c).dropna(subset=["qc_pass_rate"])
    assert dict(zip(t.locations, t.z)) == pytest.approx(
        dict(zip(peringkat.kode.map(PROVINSI_FIXTURE), peringkat.qc_pass_rate.astype(float))))
    assert ringkasan.fig_peta(ctx(gudang, UPT4)) is None


def test_ringkasan_page_has_the_map_above_the_ranking(gudang):
    teks = to_json_plotly(ringkasan.tampilan(ctx(gudang, PUSAT)))  # as Dash sends it
    assert teks.index('"grafik-peta"') < teks.index('"grafik-peringkat"')
    assert '"choroplethmap"' in teks
    assert '"grafik-peta"' not in to_json_plotly(ringkasan.tampilan(ctx(gudang, UPT4)))
