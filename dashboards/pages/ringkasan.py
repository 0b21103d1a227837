"""Ringkasan Nasional: headline indicators, quarterly trends, Kanwil map and ranking, revisions."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt, geo
from dashboards.analisis import ringkasan_indikator
from dashboards.temuan import panel_temuan
from dashboards.components import (  # noqa: F401  keterangan_cakupan: kept importable from here
    Konteks, gaya_fig, grafik, judul_halaman, kartu, keterangan_cakupan, pesan_kosong, tabel_data,
)
from dashboards.indikator import INDIKATOR, PERINGKAT, UTAMA, format_nilai, format_perubahan, label

PATH = "/ringkasan"
JUDUL = "Ringkasan Nasional"
JUDUL_PERAN = {"kanwil": "Ringkasan Kanwil", "upt": "Ringkasan UPT"}


def nama_unit(ctx: Konteks) -> str:
    level, kode = ctx.gudang.unit_analisis(ctx.pengguna, ctx.pilihan)
    if level == "nasional":
        teks = "Nasional"
    elif level == "kanwil":
        kw = ctx.gudang.daftar_kanwil(ctx.pengguna).set_index("kode_kanwil")
        teks = kw.nama_kanwil.get(kode, kode)
    else:
        teks = ctx.gudang.info_upt(ctx.pengguna, kode)["nama_upt"]
    saring = [x for x in (fmt.label_kode("jenis_upt", ctx.pilihan.jenis_upt) if ctx.pilihan.jenis_upt else None,
                          f"kelas {ctx.pilihan.kelas}" if ctx.pilihan.kelas else None) if x]
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
    kolom_tren = ["tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7", "qc_pass_rate",
                  "rasio_setor_pnbp", "kelengkapan_laporan"]
    if df.empty or df[kolom_tren].isna().all().all():
        return None  # nothing reported: no chart with invented axes
    x = [fmt.label_periode(v).replace("Triwulan", "Tw") for v in df.periode]
    fig = go.Figure()
    for kolom in ("tingkat_partisipasi_pelatihan", "tingkat_partisipasi_produksi", "kepatuhan_litmas_h7", "qc_pass_rate",
                  "rasio_setor_pnbp", "kelengkapan_laporan"):
        fig.add_trace(go.Scatter(x=x, y=df[kolom], name=label(kolom), mode="lines+markers",
                                 hovertemplate="%{x}: %{y:.1%}<extra>" + label(kolom) + "</extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], dtick=0.25, title="persen")
    fig.update_xaxes(title="Triwulan", ticklabelstandoff=8)  # the first quarter clear of the "0%" tick
    return gaya_fig(fig, f"Indikator utama per triwulan, hingga {fmt.label_periode(df.periode.iloc[-1])}", 380)


def fig_tren_pendapatan(ctx: Konteks) -> go.Figure | None:
    df = ctx.gudang.indikator(ctx.pengguna, ctx.pilihan, jenis_periode="TRIWULAN")
    if df.empty or df[["pendapatan", "pnbp_disetor"]].isna().all().all():
        return None  # nothing reported: no chart with invented axes
    x = [fmt.label_periode(v).replace("Triwulan", "Tw") for v in df.periode]
    fig = go.Figure([
        go.Bar(x=x, y=df.pendapatan, name="Pendapatan", customdata=[fmt.format_rupiah(v) for v in df.pendapatan],
               hovertemplate="%{x}: %{customdata}<extra>Pendapatan</extra>"),
        go.Bar(x=x, y=df.pnbp_disetor, name="PNBP disetor", customdata=[fmt.format_rupiah(v) for v in df.pnbp_disetor],
               hovertemplate="%{x}: %{customdata}<extra>PNBP disetor</extra>"),
    ])
    fig.update_yaxes(tickformat=",.0f", title="Rupiah (Rp)")
    fig.update_xaxes(title="Triwulan")
    return gaya_fig(fig, f"Pendapatan dan PNBP disetor per triwulan, hingga {fmt.label_periode(df.periode.iloc[-1])}", 380)


def kolom_peringkat(ctx: Konteks) -> str:
    """The indicator of the ranking (and of the map): the filter's, if it is a ranking indicator."""
    return ctx.pilihan.indikator if ctx.pilihan.indikator in PERINGKAT else "kepatuhan_litmas_h7"


def tabel_peringkat(ctx: Konteks) -> pd.DataFrame:
    """Kanwil (for Ditjenpas without a Kanwil filter) or UPTs ranked on the chosen indicator."""
    g, p, f = ctx.gudang, ctx.pengguna, ctx.pilihan
    kolom = kolom_peringkat(ctx)
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
        text=[format_nilai(kolom, v) for v in df[kolom]], textposition="inside", insidetextanchor="end",
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if persen:
        fig.update_xaxes(tickformat=".0%", range=[0, 1.05], title="persen")
    else:
        fig.update_xaxes(tickformat=",.0f", title="Rupiah (Rp)")
    fig.update_yaxes(title=None, automargin=True)
    fig.update_layout(uniformtext=dict(minsize=9, mode="hide"))  # a value that does not fit its bar: in the hover
    return gaya_fig(fig, f"Peringkat {label(kolom)} · {fmt.label_periode(ctx.periode)}", max(260, 40 * len(df) + 80))


def data_peta(ctx: Konteks) -> pd.DataFrame:
    """Kanwil in scope (their published or re-aggregated row) for the map; empty for UPT accounts.

    Ditjenpas sees every Kanwil (or the one chosen, or the chosen UPT's), a Kanwil account only its
    own: ``indikator_kanwil`` applies the scope.
    """
    g, p, f = ctx.gudang, ctx.pengguna, ctx.pilihan
    if p.role == "upt":
        return pd.DataFrame(columns=["kode_kanwil", "nama_kanwil", "provinsi"])
    df = g.indikator_kanwil(p, f, ctx.periode)
    if f.upt and not df.empty:
        df = df[df.kode_kanwil == g.info_upt(p, f.upt)["kode_kanwil"]]
    return df


WARNA_LATAR_PETA = "#e5e8ec"  # provinces outside the scope or without a value
# Light to dark blue; the lightest value stays visible on the white background (plain "Blues" starts at white).
SKALA_PETA = [[0.0, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
PUSAT_PETA = dict(lat=-2.5, lon=118.0)
ZOOM_PETA = 3.5


def pusat_provinsi(provinsi: str) -> tuple[dict, float]:
    """(centre, zoom) that frame one province: a Kanwil's map shows its own region at any width
    (the national frame at 390 px would leave it a few pixels at the edge or outside)."""
    import math

    import numpy as np

    fitur = geo.geojson_untuk(frozenset([provinsi]))["features"]
    if not fitur:
        return PUSAT_PETA, ZOOM_PETA
    titik = np.vstack([np.asarray(r) for p in fitur[0]["geometry"]["coordinates"] for r in p])
    (x0, y0), (x1, y1) = titik.min(axis=0), titik.max(axis=0)
    rentang = max(x1 - x0, (y1 - y0) * 1.3, 1.0)
    zoom = max(ZOOM_PETA, min(7.0, math.log2(300 / 512 * 360 / rentang)))  # ~300 px across on a phone
    return dict(lat=float((y0 + y1) / 2), lon=float((x0 + x1) / 2)), zoom


def fig_peta(ctx: Konteks) -> go.Figure | None:
    """Choropleth of the Kanwil (provinces) on the ranking's indicator, drawn offline.

    ``go.Choroplethmap`` on the "white-bg" style needs no tiles, fonts or CDN. Only the provinces
    with a value in scope go to the trace (one location per Kanwil); the other provinces are a grey
    background layer, so a Kanwil account sees its own province highlighted on the map of
    Indonesia and nothing of the others but their outline.
    """
    df = data_peta(ctx)
    kolom = kolom_peringkat(ctx)
    if df.empty or kolom not in df.columns:
        return None
    belum = df[df[kolom].isna() & df.provinsi.notna()]  # in scope, nothing reported: grey, hover "belum melapor"
    df = df[df[kolom].notna() & df.provinsi.notna()]
    if df.empty:
        return None
    ind = INDIKATOR[kolom]
    nilai = df[kolom].astype(float)
    satu = len(df) == 1
    trace = go.Choroplethmap(
        geojson=geo.geojson_untuk(frozenset(df.provinsi)), featureidkey=geo.KUNCI_FITUR,
        locations=list(df.provinsi), z=list(nilai),
        customdata=[[n, format_nilai(kolom, v)] for n, v in zip(df.nama_kanwil, nilai)],
        hovertemplate="<b>%{customdata[0]}</b><br>" + label(kolom) + ": %{customdata[1]}<extra></extra>",
        colorscale=[[0, "#2e86c1"], [1, "#2e86c1"]] if satu else SKALA_PETA, reversescale=not ind.naik_baik,
        showscale=not satu, marker=dict(line=dict(color="#ffffff", width=0.6), opacity=0.9),
        colorbar=dict(thickness=12, len=0.8, title=dict(text=""),
                      **({"tickformat": ".1%"} if ind.jenis == "persen" else
                         {"tickprefix": "Rp ", "tickformat": ",.0f"} if ind.jenis == "rupiah" else {})),
    )
    fig = go.Figure(trace)
    if not belum.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=geo.geojson_untuk(frozenset(belum.provinsi)), featureidkey=geo.KUNCI_FITUR,
            locations=list(belum.provinsi), z=[0] * len(belum), customdata=[[n] for n in belum.nama_kanwil],
            hovertemplate="<b>%{customdata[0]}</b><br>" + label(kolom) + ": " + fmt.BELUM_MELAPOR + "<extra></extra>",
            colorscale=[[0, WARNA_LATAR_PETA], [1, WARNA_LATAR_PETA]], showscale=False, name=fmt.BELUM_MELAPOR,
            marker=dict(line=dict(color="#ffffff", width=0.6), opacity=0.9)))
    lain = frozenset(geo.daftar_provinsi()) - frozenset(df.provinsi) - frozenset(belum.provinsi)
    lapisan = [dict(sourcetype="geojson", source=geo.geojson_untuk(lain), type="fill", below="traces",
                    color=WARNA_LATAR_PETA, fill=dict(outlinecolor="#ffffff"))] if lain else []
    pusat, zoom = pusat_provinsi(df.provinsi.iloc[0]) if satu and belum.empty else (PUSAT_PETA, ZOOM_PETA)
    fig.update_layout(map=dict(style="white-bg", center=pusat, zoom=zoom, layers=lapisan))
    if lain or not belum.empty:  # say what grey means
        fig.add_annotation(text="Abu-abu: belum melapor (tidak ada angka) atau di luar cakupan akun Anda",
                           xref="paper", yref="paper", x=0, y=-0.02, showarrow=False, xanchor="left",
                           font=dict(size=11, color="#555555"))
    return gaya_fig(fig, f"Peta {label(kolom)} per Kanwil · {fmt.label_periode(ctx.periode)}", 420)


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
        judul_halaman(JUDUL_PERAN.get(ctx.pengguna.role, JUDUL), f"{nama_unit(ctx)} · {fmt.label_periode(ctx.periode)}"),
        *keterangan_cakupan(ctx),
        panel_temuan(ctx),
        dbc.Row(kartu_kartu, id="kartu-utama"),
        dbc.Row([dbc.Col(grafik(fig_tren_rasio(ctx), "grafik-tren"), lg=7), dbc.Col(grafik(fig_tren_pendapatan(ctx)), lg=5)]),
        *([] if ctx.pengguna.role == "upt" else [dbc.Row(dbc.Col(
            grafik(fig_peta(ctx), "grafik-peta", "Tidak ada data untuk peta ini.")), className="mt-3")]),
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
