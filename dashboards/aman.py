"""Text from exports is data, never markup.

Plotly renders a subset of HTML in every label, tick, hover and legend text (``<a href>``,
``<span style>``, ``<b>``, ...), and reportlab's paragraphs parse their own markup. A
``nama_produk`` of ``<a href="https://evil.example">Klik</a>`` would otherwise become a link on a
national page. :func:`teks_aman` is the one escaping function: every place that puts export text
into a figure (through :func:`figur_aman`, which ``components.sebagai_dict`` applies to every
figure the app sends: charts, treemaps, heatmaps, the Kanwil map and their hover texts) or a PDF
paragraph (dashboards/pdf.py) goes through it.

- Dash tables, dropdowns, cards and alerts render text through React: already text, never markup.
- Excel cells are written with ``write_string`` and ``strings_to_formulas`` off
  (dashboards/excel.py): a value starting with ``=`` stays text; entities would show literally there,
  so Excel gets the raw text.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

# Line breaks the pages put between values on purpose (e.g. "Rp 1.250.000<br>QC 95,0%").
_BR = "&lt;br&gt;"
# Keys whose strings are plotly code written by the pages, not data: templates use %{...}.
_KODE = ("hovertemplate", "texttemplate", "hovertemplatefallback", "texttemplatefallback")
_LEWATI = {"geojson", "template", "meta", "uid"}


def teks_aman(nilai: Any) -> str:
    """``&``, ``<`` and ``>`` as entities: plotly and reportlab show them as characters, never as tags."""
    return html.escape(str(nilai), quote=False)


def _aman_figur(v: Any, kunci: str | None) -> Any:
    if isinstance(v, str):
        return teks_aman(v).replace(_BR, "<br>")
    if isinstance(v, dict):
        return {k: (x if (k in _LEWATI or k.endswith(_KODE)) else _aman_figur(x, k)) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_aman_figur(x, kunci) for x in v]
    if isinstance(v, np.ndarray) and v.dtype.kind in "OUS":
        return [_aman_figur(x, kunci) for x in v.tolist()]
    return v


def figur_aman(fig: dict) -> dict:
    """The figure dict with every string of its traces and layout escaped (templates and the map's
    GeoJSON are code, left alone; an intentional ``<br>`` stays a line break)."""
    out = dict(fig)
    if "data" in out:
        out["data"] = [_aman_figur(t, None) for t in out["data"]]
    if "layout" in out:
        out["layout"] = _aman_figur(out["layout"], None)
    return out
