"""Akuntabilitas PNBP: sales vs deposits per month and unit, gaps ranked, deposit delay."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt
from dashboards.analisis import pnbp_per_upt
from dashboards.components import WARNA_RUGI, Konteks, gaya_fig, grafik, judul_halaman, kartu, keterangan_cakupan, tabel_data
from dashboards.indikator import format_nilai

PATH = "/pnbp"
JUDUL = "Akuntabilitas PNBP"


def tabel_bulanan(ctx: Konteks) -> pd.DataFrame:
    """Per month of sale across the units in scope; ratio and delay computed in SQL from the catalogue's parts."""
    return ctx.gudang.pnbp_per_bulan(ctx.pengguna, ctx.pilihan, ctx.periode)


def tabel_per_upt(ctx: Konteks) -> pd.DataFrame:
    """Per UPT in scope, largest gap first; a UPT with no sales or deposit rows for the period is
    listed last with empty figures (shown "belum melapor"), never left out or shown as Rp 0."""
    return pnbp_per_upt(ctx.gudang, ctx.pengguna, ctx.pilihan, ctx.periode)


KARTU = ("pendapatan", "pnbp_disetor", "pnbp_kurang_setor", "rasio_setor_pnbp")


def ringkasan(ctx: Konteks) -> dict:
    """The cards: the published cells of the unit in view (kpi_indikator / kpi_kelompok), the gross
    shortfall among them (KPI_DICTIONARY v2: an over-deposit in one month does not hide a shortfall in
    another); the deposit delay over the months of the period, weighted by the amount deposited."""
    r = ctx.gudang.sel_kpi(ctx.pengguna, ctx.pilihan, ctx.periode, KARTU)
    if r["pendapatan"] is None and r["pnbp_disetor"] is None:
        return {}  # not reported: the cards read "belum melapor", never Rp 0
    return {**r, "rata_hari_setor": ctx.gudang.rata_hari_setor(ctx.pengguna, ctx.pilihan, ctx.periode)}


def fig_penjualan_setor(df: pd.DataFrame, judul: str, tinggi: int, selisih: bool = True) -> go.Figure | None:
    """Sales and PNBP deposited per month of sale (bars), optionally the gap (line); also on Profil UPT."""
    if df.empty or df[["pendapatan", "pnbp_disetor"]].isna().all().all():
        return None  # nothing reported: no chart with invented axes
    x = [fmt.nama_bulan(pd.Timestamp(b).date(), pendek=True) for b in df.bulan]
    def rp(s):
        return [fmt.format_rupiah(v) for v in s]

    jejak = [
        go.Bar(x=x, y=df.pendapatan, name="Penjualan", customdata=rp(df.pendapatan),
               hovertemplate="%{x}: %{customdata}<extra>Penjualan</extra>"),
        go.Bar(x=x, y=df.pnbp_disetor, name="PNBP disetor", customdata=rp(df.pnbp_disetor),
               hovertemplate="%{x}: %{customdata}<extra>PNBP disetor</extra>"),
    ]
    if selisih:
        jejak.append(go.Scatter(x=x, y=df.selisih, name="Selisih", mode="lines+markers", line=dict(color=WARNA_RUGI),
                                customdata=rp(df.selisih), hovertemplate="%{x}: %{customdata}<extra>Selisih</extra>"))
    fig = go.Figure(jejak)
    fig.update_yaxes(tickformat=",.0f", title="Rupiah (Rp)")
    fig.update_xaxes(title="Bulan penjualan")
    return gaya_fig(fig, judul, tinggi)


def fig_bulanan(ctx: Konteks) -> go.Figure | None:
    return fig_penjualan_setor(tabel_bulanan(ctx), f"Penjualan dibanding setoran PNBP per bulan penjualan · "
                               f"{fmt.label_periode(ctx.periode)}", 380)


def fig_selisih_upt(ctx: Konteks, jumlah: int = 20) -> go.Figure | None:
    """The largest gross shortfalls per UPT (the published pnbp_kurang_setor cells); a publication from
    before KPI_DICTIONARY v2 has none, and then the net difference is drawn under its own name."""
    df = tabel_per_upt(ctx)
    kol = ("pnbp_kurang_setor" if "pnbp_kurang_setor" in df and df.pnbp_kurang_setor.notna().any() else "selisih")
    if not df.empty:  # a UPT that did not report, or one without a shortfall, has no bar
        df = df[df[kol].notna() & (df[kol].astype(float) > 0)].sort_values(kol, ascending=False).head(jumlah)
    if df.empty:
        return None
    df = df.iloc[::-1]
    fig = go.Figure(go.Bar(x=df[kol], y=df.nama_upt, orientation="h", marker_color=WARNA_RUGI,
                           text=[f"{fmt.format_rupiah(s)} ({fmt.format_persen(r)} disetor)" for s, r in zip(df[kol], df.rasio_setor_pnbp)],
                           textposition="inside", hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(uniformtext=dict(minsize=9, mode="hide"))
    fig.update_xaxes(tickformat=",.0f", title="Rupiah (Rp)")
    fig.update_yaxes(automargin=True)
    judul = "Kurang setor terbesar per UPT (bruto)" if kol == "pnbp_kurang_setor" else "Selisih bersih terbesar per UPT"
    return gaya_fig(fig, f"{judul} · {fmt.label_periode(ctx.periode)}", max(300, 32 * len(df) + 120))


def fig_keterlambatan(ctx: Konteks) -> go.Figure | None:
    df = tabel_per_upt(ctx)
    df = df[df.rata_hari_setor.notna()] if not df.empty else df
    if df.empty:
        return None
    df = df.sort_values("rata_hari_setor", ascending=False).head(20).iloc[::-1]  # the slowest on top
    # horizontal bars: UPT names on the left never collide (rotated names did, at any width)
    fig = go.Figure(go.Bar(y=df.nama_upt, x=df.rata_hari_setor, marker_color="#e67e22", orientation="h",
                           text=[fmt.format_angka(v, 1) for v in df.rata_hari_setor], textposition="inside",
                           hovertemplate="%{y}: %{text} hari<extra></extra>"))
    fig.update_xaxes(title="hari", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return gaya_fig(fig, f"Rata-rata jeda setor per UPT (hari, tertimbang nilai setoran; {len(df)} terlama) · "
                         f"{fmt.label_periode(ctx.periode)}", max(300, 30 * len(df) + 100))


def tampilan(ctx: Konteks):
    r = ringkasan(ctx)
    return html.Div([
        judul_halaman(JUDUL, fmt.label_periode(ctx.periode)),
        *keterangan_cakupan(ctx),
        dbc.Row([
            dbc.Col(kartu("Penjualan", format_nilai("pendapatan", r.get("pendapatan")), id_="kartu-penjualan"), md=3, className="mb-3"),
            dbc.Col(kartu("PNBP disetor", format_nilai("pnbp_disetor", r.get("pnbp_disetor"))), md=3, className="mb-3"),
            dbc.Col(kartu("Kurang setor", format_nilai("pnbp_kurang_setor", r.get("pnbp_kurang_setor")),
                          ["bruto per UPT dan bulan; lebih setor bulan lain tidak menutupi"], warna=WARNA_RUGI,
                          id_="kartu-kurang-setor"), md=3, className="mb-3"),
            dbc.Col(kartu("Rasio setor", fmt.format_persen(r.get("rasio_setor_pnbp")),
                          [f"Rata-rata jeda setor {fmt.format_angka(r.get('rata_hari_setor'), 1)} hari"]), md=3, className="mb-3"),
        ]),
        grafik(fig_bulanan(ctx), "grafik-pnbp-bulanan"),
        dbc.Row([dbc.Col(grafik(fig_selisih_upt(ctx), "grafik-selisih"), lg=6),
                 dbc.Col(grafik(fig_keterlambatan(ctx), "grafik-jeda"), lg=6)]),
        tabel_data(tabel_per_upt(ctx), "pnbp_upt", "Per UPT (selisih terbesar di atas)"),
        tabel_data(tabel_bulanan(ctx), "pnbp_bulanan", "Per bulan penjualan"),
    ])


TABEL = {
    "pnbp_upt": ("PNBP per UPT", tabel_per_upt),
    "pnbp_bulanan": ("PNBP per bulan", tabel_bulanan),
}
