"""Ringkasan Nasional: headline indicators, quarterly trends, Kanwil ranking, revisions."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt
from dashboards.analisis import ringkasan_indikator
from dashboards.components import Konteks, gaya_fig, grafik, judul_halaman, kartu, pesan_kosong, tabel_data
from dashboards.indikator import INDIKATOR, PERINGKAT, UTAMA, format_nilai, format_perubahan, label

PATH = "/ringkasan"
JUDUL = "Ringkasan Nasional"


def nama_unit(ctx: Konteks) -> str:
    level, kode = ctx.gudang.unit_analisis(ctx.pengguna, ctx.pilihan)
    if level == "nasional":
        teks = "Nasional"
    elif level == "kanwil":
        kw = ctx.gudang.daftar_kanwil(ctx.pengguna).set_index("kode_kanwil")
        teks = kw.nama_kanwil.get(kode, kode)
    else:
        teks = ctx.gudang.info_upt(ctx.pengguna, kode)["nama_upt"]
    saring = [x for x in (ctx.pilihan.jenis_upt, f"kelas {ctx.pilihan.kelas}" if ctx.pilihan.kelas else None) if x]
    if saring and level != "upt":
        teks += " (" + ", ".join(saring) + ")"
    return teks


def data_kartu(ctx: Konteks) -> list[dict]:
    """Headline indicators: value, previous period and same period last year, and the changes."""
    g, p, f = ctx.gudang, ctx.pengguna, ctx.pilihan
    banding = g.periode_pembanding(p, ctx.periode)
    per = [x for x in (ctx.periode, banding["sebelumnya"], banding["tahun_lalu"]) if x]
    df = g.indikator(p, f, per).set_index("periode")

    def ambil(kode, kolom):
        return df.at[kode, kolom] if kode and kode in df.index else None

    out = []
    for kolom in UTAMA:
        now = ambil(ctx.periode, kolom)
        out.append(dict(
            kolom=kolom, label=label(kolom), nilai=now, teks=format_nilai(kolom, now),
            vs_sebelumnya=format_perubahan(kolom, now, ambil(banding["sebelumnya"], kolom)),
            vs_tahun_lalu=format_perubahan(kolom, now, ambil(banding["tahun_lalu"], kolom)),
            sebelumnya=banding["sebelumnya"], tahun_lalu=banding["tahun_lalu"],
        ))
    return out


def fig_tren_rasio(ctx: Konteks) -> go.Figure | None:
    """Headline rates by quarter (every published quarter) for the selected unit."""
    df = ctx.gudang.indikator(ctx.pengguna, ctx.pilihan, jenis_periode="TRIWULAN")
    if df.empty:
        return None
    x = [fmt.label_periode(v).replace("Triwulan", "Tw") for v in df.periode]
    fig = go.Figure()
    for kolom in ("tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7", "qc_pass_rate",
                  "rasio_setor_pnbp", "kelengkapan_laporan"):
        fig.add_trace(go.Scatter(x=x, y=df[kolom], name=label(kolom), mode="lines+markers",
                                 hovertemplate="%{x}: %{y:.1%}<extra>" + label(kolom) + "</extra>"))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return gaya_fig(fig, "Tren indikator per triwulan", 380)


def fig_tren_pendapatan(ctx: Konteks) -> go.Figure | None:
    df = ctx.gudang.indikator(ctx.pengguna, ctx.pilihan, jenis_periode="TRIWULAN")
    if df.empty:
        return None
    x = [fmt.label_periode(v).replace("Triwulan", "Tw") for v in df.periode]
    fig = go.Figure([
        go.Bar(x=x, y=df.pendapatan, name="Pendapatan", hovertemplate="%{x}: Rp %{y:,.0f}<extra></extra>"),
        go.Bar(x=x, y=df.pnbp_disetor, name="PNBP disetor", hovertemplate="%{x}: Rp %{y:,.0f}<extra></extra>"),
    ])
    fig.update_yaxes(tickprefix="Rp ", tickformat=",.0f")
    return gaya_fig(fig, "Pendapatan dan PNBP disetor per triwulan", 380)


def tabel_peringkat(ctx: Konteks) -> pd.DataFrame:
    """Kanwil (for Ditjenpas without a Kanwil filter) or UPTs ranked on the chosen indicator."""
    g, p, f = ctx.gudang, ctx.pengguna, ctx.pilihan
    kolom = f.indikator if f.indikator in PERINGKAT else "kepatuhan_litmas_h7"
    naik = INDIKATOR[kolom].naik_baik
    if p.role == "ditjenpas" and not f.kanwil and not f.upt:
        df = g.indikator_kanwil(p, f, ctx.periode)
        df = df.rename(columns={"kode_kanwil": "kode", "nama_kanwil": "nama"})
    else:
        df = g.indikator_upt(p, f, ctx.periode).rename(columns={"kode_upt": "kode", "nama_upt": "nama"})
    if df.empty:
        return df
    df["peringkat"] = df[kolom].rank(ascending=not naik, method="min", na_option="keep")
    return df.sort_values(["peringkat", "kode"], na_position="last")[["peringkat", "kode", "nama", kolom]]


def fig_peringkat(ctx: Konteks) -> go.Figure | None:
    df = tabel_peringkat(ctx)
    if df.empty:
        return None
    kolom = df.columns[-1]
    df = df.iloc[::-1]  # best on top
    persen = INDIKATOR[kolom].jenis == "persen"
    fig = go.Figure(go.Bar(
        x=df[kolom], y=df["nama"], orientation="h", marker_color="#2e86c1",
        text=[format_nilai(kolom, v) for v in df[kolom]], textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if persen:
        fig.update_xaxes(tickformat=".0%")
    else:
        fig.update_xaxes(tickprefix="Rp ", tickformat=",.0f")
    return gaya_fig(fig, f"Peringkat: {label(kolom)}", max(260, 40 * len(df) + 80))


def tabel_revisi(ctx: Konteks) -> pd.DataFrame:
    df = ctx.gudang.revisi(ctx.pengguna, ctx.pilihan, ctx.periode, semua_unit=True)
    if not df.empty:
        df["indikator"] = [label(k) for k in df.indikator]
    return df


def tampilan(ctx: Konteks):
    kartu_data = data_kartu(ctx)
    revisi_unit = ctx.gudang.revisi(ctx.pengguna, ctx.pilihan, ctx.periode)
    berubah = set(revisi_unit.indikator) if not revisi_unit.empty else set()
    kartu_kartu = []
    for k in kartu_data:
        baris = [
            f"vs {fmt.label_periode(k['sebelumnya'])}: {k['vs_sebelumnya']}" if k["sebelumnya"] else "vs periode sebelumnya: –",
            f"vs {fmt.label_periode(k['tahun_lalu'])}: {k['vs_tahun_lalu']}" if k["tahun_lalu"] else "vs tahun lalu: –",
        ]
        judul = k["label"]
        isi = kartu(judul, k["teks"], baris, id_=f"kartu-{k['kolom']}")
        if k["kolom"] in berubah:
            isi.children.children.insert(1, dbc.Badge("direvisi", color="warning", className="ms-1 badge-revisi"))
        kartu_kartu.append(dbc.Col(isi, xs=12, sm=6, lg=3, className="mb-3"))
    tabel_ring = ringkasan_indikator(ctx.gudang, ctx.pengguna, ctx.pilihan, ctx.periode)
    revisi = tabel_revisi(ctx)
    return html.Div([
        judul_halaman(JUDUL, f"{nama_unit(ctx)} · {fmt.label_periode(ctx.periode)}"),
        dbc.Row(kartu_kartu, id="kartu-utama"),
        dbc.Row([dbc.Col(grafik(fig_tren_rasio(ctx), "grafik-tren"), lg=7), dbc.Col(grafik(fig_tren_pendapatan(ctx)), lg=5)]),
        dbc.Row([
            dbc.Col(grafik(fig_peringkat(ctx), "grafik-peringkat", "Tidak ada unit untuk diperingkat."), lg=6),
            dbc.Col(tabel_data(tabel_peringkat(ctx), "ringkasan_peringkat", "Tabel peringkat"), lg=6),
        ], className="mt-3"),
        tabel_data(tabel_ring, "ringkasan_indikator", "Indikator dan perubahannya",
                   kolom=["label", "nilai_periode", "vs_sebelumnya", "vs_tahun_lalu"]),
        html.Div([
            html.H5(["Revisi angka setelah terbit ", dbc.Badge(str(len(revisi)), color="warning" if len(revisi) else "secondary")]),
            html.P("Angka yang berubah setelah pertama kali diterbitkan (kiriman ulang/koreksi UPT). "
                   "Angka awal tetap dicatat.", className="small text-muted"),
            tabel_data(revisi, "ringkasan_revisi", None,
                       kolom=["nama", "periode", "indikator", "nilai_awal", "diterbitkan_awal", "nilai_terkini",
                              "diterbitkan_terkini"], pesan="Tidak ada revisi untuk periode ini."),
        ], id="blok-revisi"),
    ])


TABEL = {
    "ringkasan_peringkat": ("Peringkat", tabel_peringkat),
    "ringkasan_indikator": ("Indikator", lambda ctx: ringkasan_indikator(ctx.gudang, ctx.pengguna, ctx.pilihan, ctx.periode)),
    "ringkasan_revisi": ("Revisi", tabel_revisi),
}
