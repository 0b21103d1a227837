"""dashboards/aman.py: export text is data, never markup, in every figure the app sends."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.aman import figur_aman, teks_aman
from dashboards.components import grafik, sebagai_dict

LINK = '<a href="https://evil.example/login">Klik</a>'


def test_teks_aman_escapes_tags_and_ampersands():
    assert teks_aman(LINK) == '&lt;a href="https://evil.example/login"&gt;Klik&lt;/a&gt;'
    assert teks_aman("Kerajinan & Seni") == "Kerajinan &amp; Seni"
    assert teks_aman(12) == "12"


def test_every_text_of_a_figure_is_escaped_but_templates_and_line_breaks_stay():
    fig = go.Figure([
        go.Bar(x=[LINK, "Meja"], y=[1, 2], text=["Rp 1.000<br>QC 90%", LINK], name=LINK,
               hovertext=[LINK, "x"], customdata=[[LINK, 1], ["y", 2]],
               hovertemplate="<b>%{customdata[0]}</b><br>%{y}<extra></extra>"),
        go.Treemap(labels=[LINK, "b"], parents=["", LINK], ids=[LINK, "b"], values=[1, 2]),
    ])
    fig.update_layout(title=dict(text="Produk " + LINK), annotations=[dict(text=LINK, x=0, y=0)])
    d = sebagai_dict(fig)
    bar, tree = d["data"]
    assert bar["x"][0].startswith("&lt;a href") and bar["name"].startswith("&lt;a")
    assert bar["text"] == ["Rp 1.000<br>QC 90%", teks_aman(LINK)]  # the page's own line break stays
    assert bar["hovertext"][0] == teks_aman(LINK) and bar["customdata"][0][0] == teks_aman(LINK)
    assert bar["hovertemplate"] == "<b>%{customdata[0]}</b><br>%{y}<extra></extra>"  # code, not data
    assert tree["labels"][0] == tree["parents"][1] == tree["ids"][0] == teks_aman(LINK)  # tree stays consistent
    assert "<a" not in d["layout"]["title"]["text"] and "<a" not in d["layout"]["annotations"][0]["text"]
    assert "template" in d["layout"]
    # grafik() sends exactly this
    graph = grafik(fig).children[-1]  # after the title heading
    assert graph.figure["data"][0]["x"][0] == teks_aman(LINK)


def test_a_map_keeps_its_geojson_and_locations():
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "KW01", "properties": {"nama": "A & B"},
         "geometry": {"type": "Point", "coordinates": [0, 0]}}]}
    fig = go.Figure(go.Choroplethmap(geojson=geo, locations=["KW01"], z=[1], customdata=[[LINK]]))
    d = figur_aman(fig.to_dict())
    assert d["data"][0]["geojson"]["features"][0]["properties"]["nama"] == "A & B"
    assert d["data"][0]["locations"] == ["KW01"] and d["data"][0]["customdata"][0][0] == teks_aman(LINK)
