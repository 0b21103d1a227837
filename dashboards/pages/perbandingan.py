"""Perbandingan Kanwil: Kanwil by quarter/semester, heatmap, UPT ranking, movement, outliers, peers."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt
from dashboards.analisis import peringkat_sejawat, peringkat_upt, periode_tahun
from dashboards.temuan import panel_temuan
from dashboards.components import (
    LABEL_PENDEK, Konteks, gaya_fig, nama_pendek, grafik, judul_halaman, keterangan_cakupan, pesan_kosong, tabel_data,
)
from dashboards.data import Pilihan
from dashboards.indikator import INDIKATOR, PERINGKAT, format_nilai, label

PATH = "/perbandingan"
JUDUL = "Perbandingan Kanwil"
JUDUL_PERAN = {"kanwil": "Perbandingan UPT"}  # a Kanwil compares its own UPTs
PERAN = ("ditjenpas", "kanwil")  # a UPT account sees only itself: nothing to compare
RASIO_PETA = [k for k in PERINGKAT if INDIKATOR[k].jenis == "persen"]


def indikator_terpilih(ctx: Konteks) -> str:
    return ctx.pilihan.indikator if ctx.pilihan.indikator in PERINGKAT else "kepatuhan_litmas_h7"


def _kanwil_fokus(ctx: Konteks) -> str | None:
    if ctx.pilihan.kanwil:
        return ctx.pilihan.kanwil
    if ctx.pengguna.role == "kanwil":
        return ctx.pengguna.scope
    return None


def tabel_kanwil(ctx: Konteks) -> pd.DataFrame:
    """Every Kanwil in scope for the selected period (quarter, semester or year)."""
    if ctx.pengguna.role == "upt":
        return pd.DataFrame()
    df = ctx.gudang.indikator_kanwil(ctx.pengguna, ctx.pilihan, ctx.periode)
    return df[["kode_kanwil", "nama_kanwil", "jumlah_upt", "populasi_akhir", *PERINGKAT]] if not df.empty else df


def _label_pendek(periode: str) -> str:
    """"Tw III", "Sem I": the year is in the figure's title."""
    teks = fmt.label_periode(periode).replace("Triwulan", "Tw").replace("Semester", "Sem")
    return teks.rsplit(" ", 1)[0] if teks[-4:].isdigit() else teks


def fig_kanwil_per_periode(ctx: Konteks, batas_batang: int = 8) -> go.Figure | None:
    """The chosen indicator per Kanwil for each quarter and semester of the selected year.

    Up to ``batas_batang`` Kanwil: grouped bars. More (the national view of 33): a Kanwil x period
    grid with the values written in, since 33 x 6 bars cannot be read.
    """
    if ctx.pengguna.role == "upt":
        return None
    kolom = indikator_terpilih(ctx)
    per_periode = []
    for per in periode_tahun(ctx.gudang, ctx.pengguna, ctx.periode):
        df = ctx.gudang.indikator_kanwil(ctx.pengguna, ctx.pilihan, per)
        if not df.empty and df[kolom].notna().any():  # a period nobody reported: no bars at 0
            per_periode.append((per, df))
    if not per_periode:
        return None
    persen = INDIKATOR[kolom].jenis == "persen"
    judul = f"{label(kolom)} per Kanwil, per triwulan dan semester · Tahun {ctx.periode[:4]}"
    kanwil = pd.concat([df[["kode_kanwil", "nama_kanwil"]] for _, df in per_periode]).drop_duplicates("kode_kanwil")
    kanwil = kanwil.sort_values("kode_kanwil")
    if len(kanwil) > batas_batang:
        kolom_per = [_label_pendek(per) for per, _ in per_periode]
        nilai = {per: df.set_index("kode_kanwil")[kolom] for per, df in per_periode}
        z = [[None if fmt.kosong(v := nilai[per].get(kw)) else float(v) for per, _ in per_periode] for kw in kanwil.kode_kanwil]
        # a Kanwil with no rate at all for a period (completeness aside) did not report: say so, not "–"
        belum = {per: set(df.kode_kanwil[df[[c for c in RASIO_PETA if c != "kelengkapan_laporan"]].isna().all(axis=1)])
                 for per, df in per_periode}
        teks = [[fmt.BELUM_MELAPOR if v is None and kw in belum[per] else format_nilai(kolom, v)
                 for v, (per, _) in zip(baris, per_periode)] for baris, kw in zip(z, kanwil.kode_kanwil)]
        fig = go.Figure(go.Heatmap(
            z=z, x=kolom_per, y=[nama_pendek(n) for n in kanwil.nama_kanwil], text=teks, texttemplate="%{text}", colorscale="RdYlGn",
            reversescale=not INDIKATOR[kolom].naik_baik, hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            # a fixed range (0-100 % for a rate): a 1-point gap is never drawn as red against green
            **(dict(zmin=0, zmax=1) if persen else {}),
            colorbar=dict(tickformat=".0%") if persen else None))
        fig.update_yaxes(autorange="reversed", automargin=True)
        fig.update_xaxes(side="top", tickangle=-90)  # upright: six periods never collide on a phone
        fig = gaya_fig(fig, judul, max(380, 24 * len(kanwil) + 160))
        fig.layout.margin.t = 90  # the title above the period labels
        return fig
    fig = go.Figure()
    for per, df in per_periode:
        fig.add_trace(go.Bar(x=df.nama_kanwil, y=df[kolom], name=_label_pendek(per),
                             text=[format_nilai(kolom, v) for v in df[kolom]], hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>"))
    if persen:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.02], title="persen")
    else:
        fig.update_yaxes(tickformat=",.0f", title="Rupiah (Rp)" if INDIKATOR[kolom].jenis == "rupiah" else None)
    fig.update_traces(textposition="none")
    return gaya_fig(fig, judul, 380)


def data_heatmap(ctx: Konteks) -> tuple[pd.DataFrame, str]:
    """Rows: Kanwil (Ditjenpas without a Kanwil filter) or the UPTs of the focused Kanwil."""
    if ctx.pengguna.role == "ditjenpas" and not ctx.pilihan.kanwil:
        df = ctx.gudang.indikator_kanwil(ctx.pengguna, ctx.pilihan, ctx.periode)
        return (df.set_index("nama_kanwil")[RASIO_PETA] if not df.empty else df), "Kanwil"
    df = ctx.gudang.indikator_upt(ctx.pengguna, ctx.pilihan, ctx.periode)
    return (df.set_index("nama_upt")[RASIO_PETA] if not df.empty else df), "UPT"


def fig_heatmap(ctx: Konteks) -> go.Figure | None:
    df, jenis = data_heatmap(ctx)
    if df.empty or df.isna().all().all():
        return None  # nothing reported: no grid of empty cells
    z = df.astype(float).values
    # A row whose every rate is empty (completeness aside, which counts 0 files): the unit did not report.
    belum = df.drop(columns=["kelengkapan_laporan"], errors="ignore").isna().all(axis=1).values
    teks = [[fmt.BELUM_MELAPOR if b and fmt.kosong(v) else fmt.format_persen(v) for v in baris]
            for baris, b in zip(z, belum)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[LABEL_PENDEK.get(c, label(c)) for c in df.columns],
        y=[nama_pendek(n) for n in df.index], text=teks, texttemplate="%{text}",
        customdata=[[label(c) for c in df.columns] for _ in range(len(df))],
        colorscale="RdYlGn", zmin=0, zmax=1, hovertemplate="%{y}<br>%{customdata}: %{text}<extra></extra>",
        colorbar=dict(tickformat=".0%"),
    ))
    fig.update_xaxes(tickangle=-90, automargin=True, side="top", tickfont=dict(size=11))  # upright names never collide
    fig.update_yaxes(automargin=True, autorange="reversed")
    return gaya_fig(fig, f"Indikator (persen) per {jenis} · {fmt.label_periode(ctx.periode)}", max(340, 45 * len(df) + 220))


def tabel_peringkat_upt(ctx: Konteks) -> pd.DataFrame:
    kw = _kanwil_fokus(ctx)
    f = Pilihan(periode=ctx.periode, kanwil=kw, jenis_upt=ctx.pilihan.jenis_upt, kelas=ctx.pilihan.kelas)
    return peringkat_upt(ctx.gudang, ctx.pengguna, f, ctx.periode, indikator_terpilih(ctx))


def fig_pergerakan(ctx: Konteks, maks: int = 40) -> go.Figure | None:
    """Previous vs current value per UPT (a dumbbell chart): movement since last period."""
    kolom = indikator_terpilih(ctx)
    df = tabel_peringkat_upt(ctx)
    sebelum = ctx.gudang.periode_pembanding(ctx.pengguna, ctx.periode)["sebelumnya"]
    if df.empty or not sebelum:
        return None
    f = Pilihan(periode=sebelum, kanwil=_kanwil_fokus(ctx), jenis_upt=ctx.pilihan.jenis_upt, kelas=ctx.pilihan.kelas)
    prev = ctx.gudang.indikator_upt(ctx.pengguna, f, sebelum)[["kode_upt", kolom]].rename(columns={kolom: "lalu"})
    df = df.merge(prev, on="kode_upt", how="left")
    df = df[df[kolom].notna() | df["lalu"].notna()]  # neither period reported: nothing to draw
    if df.empty:
        return None
    judul = f"Pergerakan {label(kolom)}: {fmt.label_periode(sebelum)} ke {fmt.label_periode(ctx.periode)}"
    if len(df) > maks:  # national scale: the biggest movers only
        df = df.assign(_gerak=(df[kolom] - df["lalu"]).abs()).sort_values("_gerak", ascending=False).head(maks)
        df = df.sort_values("peringkat")
        judul += f" ({maks} perubahan terbesar)"
    df = df.iloc[::-1]
    xs, ys = [], []
    for lalu, kini, nama in zip(df["lalu"], df[kolom], df["nama_upt"]):
        xs += [lalu, kini, None]
        ys += [nama, nama, None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#bbb"), showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=df["lalu"], y=df["nama_upt"], mode="markers", name=fmt.label_periode(sebelum),
                             marker=dict(color="#aab7b8", size=10)))
    fig.add_trace(go.Scatter(x=df[kolom], y=df["nama_upt"], mode="markers", name=fmt.label_periode(ctx.periode),
                             marker=dict(color="#1f4e79", size=11)))
    if INDIKATOR[kolom].jenis == "persen":
        fig.update_xaxes(tickformat=".0%", title="persen")
    else:
        fig.update_xaxes(tickformat=",.0f", title="Rupiah (Rp)" if INDIKATOR[kolom].jenis == "rupiah" else None)
    return gaya_fig(fig, judul, max(280, 30 * len(df) + 120))


def tabel_sejawat(ctx: Konteks) -> pd.DataFrame:
    f = Pilihan(periode=ctx.periode, kanwil=ctx.pilihan.kanwil, jenis_upt=ctx.pilihan.jenis_upt, kelas=ctx.pilihan.kelas)
    return peringkat_sejawat(ctx.gudang, ctx.pengguna, f, ctx.periode, indikator_terpilih(ctx))


GAYA_PENCILAN = [
    {"if": {"filter_query": '{pencilan} = "rendah"'}, "backgroundColor": "#fdecea"},
    {"if": {"filter_query": '{pencilan} = "tinggi"'}, "backgroundColor": "#e8f6ef"},
]


def tampilan(ctx: Konteks):
    kolom = indikator_terpilih(ctx)
    kw = _kanwil_fokus(ctx)
    bagian = [judul_halaman(JUDUL_PERAN.get(ctx.pengguna.role, JUDUL), f"{fmt.label_periode(ctx.periode)} · indikator peringkat: {label(kolom)}")]
    if ctx.pengguna.role == "upt":
        bagian.append(pesan_kosong("Akun UPT hanya dapat melihat datanya sendiri: lihat halaman Profil UPT."))
        return html.Div(bagian)
    bagian += keterangan_cakupan(ctx)
    bagian.append(panel_temuan(ctx))
    if kw:
        bagian.append(html.Div([
            dbc.Button(f"Unduh laporan monev Kanwil {kw} (XLSX)", id={"type": "unduh", "tabel": "laporan_kanwil"},
                       color="primary", size="sm", n_clicks=0, className="tombol-unduh me-2"),
            dbc.Button("PDF", id={"type": "unduh", "tabel": "laporan_kanwil_pdf"}, color="primary", outline=True,
                       size="sm", n_clicks=0, className="tombol-unduh", title="Laporan yang sama sebagai PDF untuk dicetak"),
        ], className="mb-3"))
    peringkat = tabel_peringkat_upt(ctx)
    jml_pencilan = int((peringkat["pencilan"] != "").sum()) if not peringkat.empty else 0
    bagian += [
        dbc.Row([dbc.Col(grafik(fig_kanwil_per_periode(ctx), "grafik-kanwil-periode"), lg=6),
                 dbc.Col(grafik(fig_heatmap(ctx), "grafik-heatmap"), lg=6)]),
        tabel_data(tabel_kanwil(ctx), "perbandingan_kanwil", "Perbandingan Kanwil"),
        html.H5(f"Peringkat UPT {'Kanwil ' + kw if kw else 'nasional'}", className="mt-3"),
        html.P(f"Pencilan (aturan 1,5 x IQR): {jml_pencilan} UPT. Peringkat 1 = terbaik; perubahan peringkat positif = naik.",
               className="small text-muted"),
        dbc.Row([
            dbc.Col(tabel_data(peringkat, "perbandingan_peringkat_upt", "Peringkat UPT", gaya_baris=GAYA_PENCILAN,
                               kolom=["peringkat", "kode_upt", "nama_upt", "kelompok_sejawat", kolom, "perubahan",
                                      "perubahan_peringkat", "pencilan", "tingkat_hunian"]), lg=7),
            dbc.Col(grafik(fig_pergerakan(ctx), "grafik-pergerakan", "Belum ada data periode sebelumnya."), lg=5),
        ]),
        html.H5("Peringkat dalam kelompok sejawat (jenis + kelas UPT)", className="mt-3"),
        tabel_data(tabel_sejawat(ctx), "perbandingan_sejawat", None),
    ]
    return html.Div(bagian)


TABEL = {
    "perbandingan_kanwil": ("Perbandingan Kanwil", tabel_kanwil),
    "perbandingan_peringkat_upt": ("Peringkat UPT", tabel_peringkat_upt),
    "perbandingan_sejawat": ("Kelompok sejawat", tabel_sejawat),
}
