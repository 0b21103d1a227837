"""Sektor & Industri: revenue, production and QC per bidang, subbidang, kelas_industri; margins."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt
from dashboards.components import (WARNA_RUGI, WARNA_UNTUNG, Konteks, gaya_fig, grafik, judul_halaman, kartu, keterangan_cakupan,
                                   tabel_data)
from dashboards.indikator import format_nilai

PATH = "/sektor"
JUDUL = "Sektor & Industri"


def tabel_rincian(ctx: Konteks, dimensi: str) -> pd.DataFrame:
    df = ctx.gudang.rincian(ctx.pengguna, ctx.pilihan, ctx.periode, dimensi)
    if df.empty:
        return df
    if ctx.pilihan.bidang and dimensi == "bidang":
        df = df[df.nilai == ctx.pilihan.bidang]
    if ctx.pilihan.bidang and dimensi == "subbidang":
        peta = ctx.gudang.peta_subbidang(ctx.pengguna)
        df = df[df.nilai.map(peta) == ctx.pilihan.bidang]
    df = df.rename(columns={"nilai": dimensi})
    return df[[dimensi, "pendapatan", "produksi_unit", "lolos_qc_unit", "qc_pass_rate"]]


def fig_treemap(ctx: Konteks) -> go.Figure | None:
    """Revenue per bidang -> subbidang (colour: QC pass rate). Both levels are published rows (the
    bidang and subbidang breakdowns of kpi_rincian / kpi_rincian_kelompok; dbt tests that a bidang
    equals the sum of its subbidang), so the page adds nothing up itself."""
    anak = tabel_rincian(ctx, "subbidang")
    induk = tabel_rincian(ctx, "bidang")
    if anak.empty or induk.empty or induk.pendapatan.isna().all() or not (induk.pendapatan.fillna(0) > 0).any():
        return None
    peta = ctx.gudang.peta_subbidang(ctx.pengguna)
    anak = anak.assign(bidang=[peta.get(s, s) for s in anak.subbidang])
    anak = anak[anak.bidang.isin(induk.bidang)]
    ids = list(induk.bidang) + [f"{b}/{s}" for b, s in zip(anak.bidang, anak.subbidang)]
    labels = [fmt.label_kode("bidang", b) for b in induk.bidang] + [fmt.label_kode("subbidang", s) for s in anak.subbidang]
    parents = [""] * len(induk) + list(anak.bidang)
    values = list(induk.pendapatan.fillna(0)) + list(anak.pendapatan.fillna(0))
    qc = list(induk.qc_pass_rate) + list(anak.qc_pass_rate)
    teks = [f"{fmt.format_rupiah(v)}<br>QC {fmt.format_persen(q)}" for v, q in zip(values, qc)]
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               text=teks, textinfo="label+text", hovertemplate="%{label}<br>%{text}<extra></extra>",
                               marker=dict(colors=[0 if fmt.kosong(q) else q for q in qc], colorscale="RdYlGn", cmin=0, cmax=1,
                                           colorbar=dict(title="lolos QC", tickformat=".0%"))))
    return gaya_fig(fig, f"Pendapatan per bidang dan subbidang (luas: Rupiah; warna: tingkat lolos QC) · "
                         f"{fmt.label_periode(ctx.periode)}", 460)


def tabel_margin(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.margin_kegiatan(ctx.pengguna, ctx.pilihan, ctx.periode)


def fig_margin(ctx: Konteks, jumlah: int = 15) -> go.Figure | None:
    df = tabel_margin(ctx)
    df = df[(df.pendapatan.fillna(0) != 0) | (df.biaya_bahan.fillna(0) != 0)]
    if df.empty:
        return None
    df = df.sort_values("margin").head(jumlah).iloc[::-1]
    nama = [f"{n or k} ({u})" for n, k, u in zip(df.nama_kegiatan, df.kode_kegiatan, df.kode_upt)]
    fig = go.Figure(go.Bar(x=df.margin, y=nama, orientation="h",
                           marker_color=[WARNA_RUGI if m < 0 else WARNA_UNTUNG for m in df.margin],
                           text=[fmt.format_rupiah(m) for m in df.margin], textposition="inside",
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(uniformtext=dict(minsize=9, mode="hide"))  # a value that does not fit its bar: in the hover
    fig.update_xaxes(tickformat=",.0f", title="margin (Rupiah)")
    fig.update_yaxes(automargin=True)
    return gaya_fig(fig, f"Margin kegiatan terendah ({len(df)} kegiatan; merah = rugi) · {fmt.label_periode(ctx.periode)}",
                    max(300, 28 * len(df) + 120))


GAYA_RUGI = [{"if": {"filter_query": "{margin} < 0"}, "backgroundColor": "#fdecea", "color": "#922b21"}]


def tampilan(ctx: Konteks):
    margin = tabel_margin(ctx)
    rugi = margin[margin.margin < 0] if not margin.empty else margin
    sub = fmt.label_periode(ctx.periode) + (f" · bidang {fmt.label_kode('bidang', ctx.pilihan.bidang)}" if ctx.pilihan.bidang else "")
    unit = ctx.gudang.indikator(ctx.pengguna, ctx.pilihan, [ctx.periode])
    pendapatan = None if unit.empty else unit.pendapatan.iloc[0]
    return html.Div([
        judul_halaman(JUDUL, sub),
        *keterangan_cakupan(ctx),
        dbc.Row([
            dbc.Col(kartu("Pendapatan", format_nilai("pendapatan", pendapatan), ["semua bidang"], id_="kartu-pendapatan-sektor"),
                    md=3, className="mb-3"),
            dbc.Col(kartu("Kegiatan merugi", fmt.format_angka(len(rugi)), [f"dari {fmt.format_angka(len(margin))} kegiatan"],
                          id_="kartu-rugi", warna=WARNA_RUGI if len(rugi) else None), md=3, className="mb-3"),
            dbc.Col(kartu("Total kerugian", fmt.format_rupiah(rugi.margin.sum() if len(rugi) else 0 if len(margin) else None)), md=3, className="mb-3"),
            dbc.Col(kartu("Total margin", fmt.format_rupiah(margin.margin.sum() if len(margin) else None)), md=3, className="mb-3"),
        ]),
        grafik(fig_treemap(ctx), "grafik-treemap"),
        dbc.Row([
            dbc.Col(tabel_data(tabel_rincian(ctx, "bidang"), "sektor_bidang", "Per bidang"), lg=6),
            dbc.Col(tabel_data(tabel_rincian(ctx, "kelas_industri"), "sektor_kelas_industri", "Per kelas industri (tenaga kerja)"), lg=6),
        ]),
        tabel_data(tabel_rincian(ctx, "subbidang"), "sektor_subbidang", "Per subbidang"),
        html.P("Tingkat lolos QC per bidang, subbidang dan kelas menjumlahkan produk dengan satuan berbeda "
               "(satuan campuran: kg, pcs, liter, ...); bandingkan per satuan di tabel berikut.",
               className="small text-muted", id="catatan-satuan-campuran"),
        tabel_data(tabel_rincian(ctx, "satuan"), "sektor_satuan", "Produksi dan lolos QC per satuan",
                   kolom=["satuan", "produksi_unit", "lolos_qc_unit", "qc_pass_rate"]),
        html.H5("Margin per kegiatan", className="mt-3"),
        html.P("Margin = pendapatan - biaya bahan. Kegiatan merugi ditandai merah.", className="small text-muted"),
        grafik(fig_margin(ctx), "grafik-margin"),
        tabel_data(margin, "sektor_margin", None, gaya_baris=GAYA_RUGI,
                   kolom=["kode_upt", "nama_upt", "kode_kegiatan", "nama_kegiatan", "bidang", "subbidang", "pendapatan",
                          "biaya_bahan", "margin", "rasio_margin"]),
    ])


TABEL = {
    "sektor_bidang": ("Per bidang", lambda ctx: tabel_rincian(ctx, "bidang")),
    "sektor_subbidang": ("Per subbidang", lambda ctx: tabel_rincian(ctx, "subbidang")),
    "sektor_kelas_industri": ("Per kelas industri", lambda ctx: tabel_rincian(ctx, "kelas_industri")),
    "sektor_satuan": ("Per satuan", lambda ctx: tabel_rincian(ctx, "satuan")),
    "sektor_margin": ("Margin kegiatan", tabel_margin),
}
