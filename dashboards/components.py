"""Shared building blocks of the pages: tables with Excel download, cards, messages, figure style."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from dash import dash_table, dcc, html
from dash.dash_table.Format import Format, Group, Scheme, Symbol, Trim

from dashboards import fmt
from dashboards.aman import figur_aman
from dashboards.data import Gudang, Pengguna, Pilihan
from dashboards.indikator import JENIS_ANGKA, jenis_kolom, kosong_belum_melapor, label_kolom

WARNA = ["#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#e67e22", "#c0392b", "#7d3c98", "#5d6d7e"]
WARNA_RUGI = "#c0392b"
WARNA_UNTUNG = "#1e8449"


@dataclass(frozen=True)
class Konteks:
    """What every page function receives: the warehouse, the signed-in user, the filters."""

    gudang: Gudang
    pengguna: Pengguna
    pilihan: Pilihan

    @property
    def periode(self) -> str:
        return self.pilihan.periode


# ---------------------------------------------------------------------- messages
def pesan_kosong(teks: str = "Tidak ada data untuk pilihan ini.") -> html.Div:
    return html.Div(dbc.Alert(teks, color="light", className="mb-0 small"), className="pesan-kosong")


def pesan_galat(teks: str, warna: str = "warning", judul: str | None = None) -> dbc.Alert:
    isi = [html.H5(judul, className="alert-heading")] if judul else []
    return dbc.Alert(isi + [html.P(teks, className="mb-0")], color=warna, className="pesan-galat")


def tidak_berwenang(teks: str) -> dbc.Alert:
    return pesan_galat(teks, "danger", "Tidak berwenang")


def keterangan_cakupan(ctx: Konteks, pilihan: Pilihan | None = None) -> list:
    """Coverage beside national / Kanwil figures ("dihitung dari 12 dari 530 UPT") and the
    provisional mark with its reason (KPI_DICTIONARY v2), for the unit ``pilihan`` selects
    (default: the page's filters). Shared by every page that shows KPI figures."""
    from dashboards.analisis import teks_cakupan  # analisis imports nothing of the components

    c = ctx.gudang.cakupan(ctx.pengguna, pilihan or ctx.pilihan, ctx.periode)
    cakupan, upt_belum, sementara = teks_cakupan(c)
    out = []
    if cakupan:
        out.append(html.Div(cakupan, className="small text-muted", id="keterangan-cakupan"))
    elif upt_belum:
        out.append(dbc.Alert(upt_belum, color="secondary", className="py-2 small", id="keterangan-cakupan"))
    if sementara:
        out.append(dbc.Alert(sementara, color="warning", className="py-2 small", id="keterangan-sementara"))
    return out


# ---------------------------------------------------------------------- figures
# Figure construction is the largest server-side cost of a page if plotly is left to its defaults:
# every ``go.Figure`` deep-copies and validates the default template, and ``template=...`` in
# ``update_layout`` does it again (about 18 ms per figure, ~40 % of a page at national scale).
# So figures are built without a template (default switched off for this process, the dashboards
# are its only plotly user) and :func:`grafik` attaches the light template as a plain dict computed
# once, which the browser receives exactly as before.
pio.templates.default = None
TEMPLATE: dict = pio.templates["plotly_white"].to_plotly_json()
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def gaya_fig(fig: go.Figure, judul: str | None = None, tinggi: int = 360) -> go.Figure:
    """Indonesian separators (``1.250.000,5``), compact margins, the project's colours.

    The light template itself is attached by :func:`grafik` when the figure is sent.
    """
    # One assignment of a merged dict validates the layout once; ``update_layout`` walks every key
    # path separately (3-4x slower). The pages never set these keys themselves.
    layout = fig.layout.to_plotly_json()
    # The legend sits above the plot (never on the x-axis labels); the title is written as an HTML
    # heading above the figure by :func:`grafik`, so it wraps on a phone instead of being cut off.
    layout.update(
        separators=",.", height=tinggi, margin=dict(l=10, r=10, t=50 if judul else 20, b=10),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"),
        font=dict(family=FONT, size=12), colorway=WARNA,
    )
    if judul:
        layout["title"] = dict(text=judul, font=dict(size=15))
    fig.layout = layout
    return fig


def bungkus(teks: str, lebar: int = 14) -> str:
    """A category label broken into lines of about ``lebar`` characters (``<br>``): horizontal
    labels that do not collide, where rotated ones overlap their neighbours on a phone."""
    baris, kini = [], ""
    for kata in str(teks).split():
        if kini and len(kini) + 1 + len(kata) > lebar:
            baris.append(kini)
            kini = kata
        else:
            kini = f"{kini} {kata}".strip()
    return "<br>".join([*baris, kini] if kini else baris)


def nama_pendek(nama: str) -> str:
    """"Kanwil Ditjenpas Jawa Barat" -> "Jawa Barat": axis labels that leave the plot its width on a phone."""
    return str(nama).replace("Kanwil Ditjenpas ", "").replace("Kanwil ", "")


# Short names of the rates for the columns of a heatmap (the hover and the tables carry the full label).
LABEL_PENDEK = {
    "tingkat_partisipasi_pelatihan": "Partisipasi pelatihan", "tingkat_partisipasi_produksi": "Partisipasi produksi",
    "kepatuhan_litmas_h7": "Litmas H+7", "qc_pass_rate": "Lolos QC", "rasio_setor_pnbp": "Setor PNBP",
    "tingkat_sertifikasi": "Sertifikasi", "tingkat_realisasi_anggaran": "Realisasi anggaran",
    "kelengkapan_laporan": "Kelengkapan laporan",
}


def sebagai_dict(fig: go.Figure) -> dict:
    """The figure as Dash sends it, with the light template (a shared, never-mutated dict); every
    text in it escaped (export text is data, never markup: dashboards/aman.py)."""
    d = figur_aman(fig.to_dict())
    layout = d.setdefault("layout", {})
    if "template" not in layout:
        layout["template"] = TEMPLATE
    return d


def grafik(fig: go.Figure | None, id_: str | None = None, pesan: str = "Tidak ada data untuk grafik ini.") -> html.Div:
    """The figure in its card, its title (indicator and period) as a heading above it.

    The title leaves the SVG: an HTML heading wraps at 390 px where plotly cuts it off, screen
    readers announce it, and the figure's own top margin is left to the legend.
    """
    if fig is None:
        return pesan_kosong(pesan)
    d = sebagai_dict(fig)
    layout = d["layout"]
    judul = (layout.pop("title", None) or {}).get("text")
    if judul:
        margin = dict(layout.get("margin") or {})
        ada_legenda = sum(1 for t in d.get("data", []) if t.get("showlegend", True) and t.get("name")) > 1
        margin["t"] = max(int(margin.get("t", 0)) - 50, 40 if ada_legenda else 10)
        layout["margin"] = margin
    props = dict(figure=d, responsive=True, style={"height": f"{layout.get('height', 360)}px"},
                 config={"displaylogo": False, "locale": "id", "responsive": True,
                         "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
    if id_:
        props["id"] = id_
    kepala = [html.H6(judul, className="judul-grafik mb-1")] if judul else []
    return html.Div(kepala + [dcc.Graph(**props)], className="grafik", role="figure",
                    **({"aria-label": judul} if judul else {}))


# ---------------------------------------------------------------------- tables
def _dengan_minus(f: Format) -> dict:
    """The format as Dash sends it, with a plain hyphen for negatives: ``-Rp 706.800`` as
    :func:`dashboards.fmt.format_rupiah` writes it (d3's default is the sign U+2212)."""
    spec = f.to_plotly_json()
    spec["locale"] = {**spec.get("locale", {}), "minus": "-"}
    return spec


def _format_kolom(jenis: str):
    if jenis == "rupiah":
        return "numeric", _dengan_minus(Format(decimal_delimiter=",", group_delimiter=".", group=Group.yes, precision=0,
                                               scheme=Scheme.fixed, symbol=Symbol.yes, symbol_prefix="Rp "))
    if jenis == "persen":
        return "numeric", _dengan_minus(Format(decimal_delimiter=",", precision=1, scheme=Scheme.percentage))
    if jenis == "angka":
        return "numeric", _dengan_minus(Format(decimal_delimiter=",", group_delimiter=".", group=Group.yes, precision=0,
                                               scheme=Scheme.fixed))
    if jenis == "desimal":  # quantities: "586.787" for a whole number (never "586.787,0"), "12,5" otherwise
        return "numeric", _dengan_minus(Format(decimal_delimiter=",", group_delimiter=".", group=Group.yes, precision=1,
                                               scheme=Scheme.fixed, trim=Trim.yes))
    return "text", None


def nilai_tampil(v, jenis: str):
    if fmt.kosong(v):
        return None
    if jenis in JENIS_ANGKA:
        try:
            return float(v)
        except (TypeError, ValueError):
            return str(v)
    if jenis == "bulan":
        return fmt.nama_bulan(pd.Timestamp(v).date())
    if jenis == "tanggal":
        return fmt.format_tanggal(pd.Timestamp(v).date())
    if jenis == "waktu":
        return fmt.format_tanggal(pd.Timestamp(v).to_pydatetime(), jam=True)
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    return str(v)


def _kolom_tampil(s: pd.Series, jenis: str) -> list:
    """A column's display values: what :func:`nilai_tampil` gives per cell, vectorised for numbers."""
    if jenis in JENIS_ANGKA:
        angka = pd.to_numeric(s, errors="coerce")
        if int(angka.isna().sum()) == int(s.isna().sum()):  # every value is a number or missing
            return [None if v != v else v for v in angka.astype("float64").tolist()]  # noqa: PLR0124 (NaN)
    return [nilai_tampil(v, jenis) for v in s.tolist()]


def tabel_data(df: pd.DataFrame, id_tabel: str, judul: str | None = None, kolom: list[str] | None = None,
               page_size: int = 15, unduh: bool = True, gaya_baris: list | None = None,
               pesan: str = "Tidak ada data untuk pilihan ini.", batas: int = 500) -> html.Div:
    """A sortable DataTable with Indonesian number formats and an "Unduh Excel" button.

    The download re-runs the page's table function on the server with the user's scope
    (``dashboards.app`` looks ``id_tabel`` up in the pages' ``TABEL`` registries); the
    browser's copy of the data is never trusted.
    """
    kepala = []
    if judul:
        kepala.append(html.H6(judul, className="mb-0 me-auto"))
    if unduh:
        kepala.append(dbc.Button("Unduh Excel", id={"type": "unduh", "tabel": id_tabel}, size="sm", color="secondary",
                                 outline=True, className="tombol-unduh", n_clicks=0))
    bagian = [html.Div(kepala, className="d-flex align-items-center gap-2 mb-2")] if kepala else []
    if df is None or df.empty:
        return html.Div(bagian + [pesan_kosong(pesan)], className="blok-tabel mb-4", id=f"blok-{id_tabel}")
    kolom = kolom or list(df.columns)
    df = fmt.labeli(df)  # codes (sector, channel, stage, ...) read as their Indonesian labels
    catatan = None
    if len(df) > batas:  # keep pages light at national scale; the Excel download has every row
        catatan = html.Div(f"Menampilkan {fmt.format_angka(batas)} dari {fmt.format_angka(len(df))} baris. "
                           "Unduh Excel untuk semua baris.", className="small text-muted mb-1 catatan-batas")
        df = df.head(batas)
    cols = []
    for c in kolom:
        tipe, f = _format_kolom(jenis_kolom(c))
        spec = {"name": label_kolom(c), "id": c, "type": tipe}
        if f is not None:
            spec["format"] = f
        cols.append(spec)
    nilai = [_kolom_tampil(df[c], jenis_kolom(c)) for c in kolom]  # column by column, not cell by cell
    for j, c in enumerate(kolom):  # an empty count or sum: the unit did not report it
        if kosong_belum_melapor(c):
            nilai[j] = [fmt.BELUM_MELAPOR if v is None else v for v in nilai[j]]
    rows = [dict(zip(kolom, r)) for r in zip(*nilai)]
    tabel = dash_table.DataTable(
        id=f"tabel-{id_tabel}", columns=cols, data=rows, sort_action="native", filter_action="none",
        page_size=page_size, style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.85rem", "padding": "4px 8px", "textAlign": "left",
                    "whiteSpace": "normal", "height": "auto", "maxWidth": "380px"},
        style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        style_header={"fontWeight": "600", "backgroundColor": "#eef2f7"},
        style_data_conditional=gaya_baris or [],
    )
    return html.Div(bagian + ([catatan] if catatan else []) + [tabel], className="blok-tabel mb-4", id=f"blok-{id_tabel}")


# ---------------------------------------------------------------------- cards
def kartu(judul: str, nilai: str, baris: list[str] | None = None, id_: str | None = None, warna: str | None = None) -> dbc.Card:
    isi = [html.Div(judul, className="text-muted small"), html.Div(nilai, className="fs-4 fw-semibold nilai-kartu")]
    for b in baris or []:
        isi.append(html.Div(b, className="small text-secondary"))
    props = {"className": "h-100 kartu-indikator shadow-sm"}
    if id_:
        props["id"] = id_
    if warna:
        props["style"] = {"borderLeft": f"4px solid {warna}"}
    return dbc.Card(dbc.CardBody(isi), **props)


def judul_halaman(judul: str, sub: str | None = None) -> html.Div:
    return html.Div([html.H3(judul, className="mb-0"), html.Div(sub, className="text-muted")] if sub else [html.H3(judul)],
                    className="mb-3 judul-halaman")
