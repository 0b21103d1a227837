"""Banding Triwulan: a Kanwil's UPTs x every indicator, this period against the previous one, on one screen.

Sortable by any column; each change is coloured by the indicator's direction from the KPI catalogue
(``naik_baik``: green when it moved the good way, red when the bad way, uncoloured when the
indicator has no good direction). Rates change in percentage points, amounts and counts in units.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dash_table, html

from dagster_project import katalog
from dashboards import fmt
from dashboards.components import Konteks, _format_kolom, judul_halaman, keterangan_cakupan, pesan_kosong
from dashboards.indikator import KOLOM_KPI, jenis_kolom, label

PATH = "/banding"
JUDUL = "Banding Triwulan"
PERAN = ("ditjenpas", "kanwil")
WARNA_BAIK, WARNA_BURUK = "#d4edda", "#f8d7da"


def _kanwil(ctx: Konteks) -> str | None:
    return ctx.pilihan.kanwil or (ctx.pengguna.scope if ctx.pengguna.role == "kanwil" else None)


def tabel_banding(ctx: Konteks) -> pd.DataFrame:
    """One row per UPT of the Kanwil: for every indicator ``<k>`` (this period), ``<k>__lalu`` and
    ``<k>__ubah`` (points x100 for rates); empty frame without a Kanwil or a previous period."""
    kw = _kanwil(ctx)
    if not kw:
        return pd.DataFrame()
    from dashboards.data import Pilihan

    f = Pilihan(periode=ctx.periode, kanwil=kw, jenis_upt=ctx.pilihan.jenis_upt, kelas=ctx.pilihan.kelas)
    now = ctx.gudang.indikator_upt(ctx.pengguna, f, ctx.periode)
    lalu = ctx.gudang.periode_pembanding(ctx.pengguna, ctx.periode)["sebelumnya"]
    if now.empty:
        return now
    prev = ctx.gudang.indikator_upt(ctx.pengguna, f, lalu) if lalu else pd.DataFrame(columns=["kode_upt", *KOLOM_KPI])
    prev = prev.set_index("kode_upt")
    out = now[["kode_upt", "nama_upt"]].copy()
    for k in KOLOM_KPI:
        a = pd.to_numeric(now[k], errors="coerce").astype("float64")
        b = pd.to_numeric(now.kode_upt.map(prev[k]) if k in prev else pd.Series([None] * len(now)),
                          errors="coerce").astype("float64").values
        out[k] = a.values
        out[f"{k}__lalu"] = b
        out[f"{k}__ubah"] = (a.values - b) * (100 if jenis_kolom(k) == "persen" else 1)
    out.attrs["periode_lalu"] = lalu
    return out


def _gaya(kolom: list[str]) -> list[dict]:
    """Conditional colours of the change columns by the catalogue's direction."""
    arah = {i.nama: i.naik_baik for i in katalog.katalog()}
    gaya = []
    for k in kolom:
        baik = arah.get(k)
        if baik is None:
            continue
        c = f"{k}__ubah"
        naik, turun = (WARNA_BAIK, WARNA_BURUK) if baik else (WARNA_BURUK, WARNA_BAIK)
        gaya += [{"if": {"filter_query": f"{{{c}}} > 0", "column_id": c}, "backgroundColor": naik},
                 {"if": {"filter_query": f"{{{c}}} < 0", "column_id": c}, "backgroundColor": turun}]
    return gaya


def tampilan(ctx: Konteks):
    kw = _kanwil(ctx)
    bagian = [judul_halaman(JUDUL, f"{fmt.label_periode(ctx.periode)} dibandingkan periode sebelumnya")]
    if not kw:
        bagian.append(pesan_kosong("Pilih Kanwil pada filter di atas untuk membandingkan UPT-nya."))
        return html.Div(bagian)
    bagian += keterangan_cakupan(ctx)
    df = tabel_banding(ctx)
    lalu = df.attrs.get("periode_lalu") if not df.empty else None
    if df.empty:
        bagian.append(pesan_kosong("Tidak ada UPT untuk pilihan ini."))
        return html.Div(bagian)
    if not lalu:
        bagian.append(dbc.Alert("Belum ada periode sebelumnya di gudang data: kolom perubahan kosong.", color="secondary",
                                className="py-2 small"))
    ini_l, lalu_l = fmt.label_periode(ctx.periode), fmt.label_periode(lalu) if lalu else "Sebelumnya"
    cols = [{"name": ["UPT", "Kode"], "id": "kode_upt", "type": "text"},
            {"name": ["UPT", "Nama"], "id": "nama_upt", "type": "text"}]
    for k in KOLOM_KPI:
        tipe, f = _format_kolom(jenis_kolom(k))
        for c, sub in ((k, ini_l), (f"{k}__lalu", lalu_l), (f"{k}__ubah", "Perubahan")):
            spec = {"name": [label(k), sub], "id": c, "type": "numeric"}
            if c.endswith("__ubah"):
                _t, spec["format"] = _format_kolom("desimal" if jenis_kolom(k) != "rupiah" else "rupiah")
            elif f is not None:
                spec["format"] = f
            cols.append(spec)
    data = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in df.to_dict("records")]
    tabel = dash_table.DataTable(
        id="tabel-banding", columns=cols, data=data, sort_action="native", merge_duplicate_headers=True,
        page_size=50,
        style_table={"overflowX": "auto", "minWidth": "100%"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.8rem", "padding": "3px 6px", "minWidth": "90px"},
        style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        style_header={"fontWeight": "600", "backgroundColor": "#eef2f7", "whiteSpace": "normal", "textAlign": "center"},
        style_data_conditional=_gaya(list(KOLOM_KPI)),
    )
    bagian += [
        html.P("Klik judul kolom untuk mengurutkan. Perubahan tingkat (rasio) dalam poin persentase; warna hijau = "
               "membaik, merah = memburuk menurut arah indikator di katalog KPI. Kosong = belum melapor.",
               className="small text-muted"),
        html.Div(tabel, id="blok-banding"),
    ]
    return html.Div(bagian)


TABEL: dict = {}  # the quarterly report (Perbandingan Kanwil) carries the same figures as a workbook
