"""Kualitas Data: completeness matrix, late/missing reports, rejected files, quarantine, freshness."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards import fmt
from dashboards.analisis import kualitas_per_upt
from dashboards.components import Konteks, gaya_fig, grafik, judul_halaman, kartu, keterangan_cakupan, tabel_data
from dashboards.data import JENIS_LAPORAN

PATH = "/kualitas"
JUDUL = "Kualitas Data"


def data_matriks(ctx: Konteks) -> pd.DataFrame:
    """mart_kelengkapan of the period: one row per (UPT, month, kind)."""
    return ctx.gudang.kelengkapan(ctx.pengguna, ctx.pilihan, ctx.periode)


def fig_matriks(ctx: Konteks) -> go.Figure | None:
    """UPT x month: number of the 6 kinds received; the hover lists what is missing or rejected.

    The national view (Ditjenpas with no Kanwil or UPT chosen) is Kanwil x month instead: 530 rows
    would be a chart nobody can read and a page too heavy to send; choosing a Kanwil gives its UPTs.
    """
    df = data_matriks(ctx)
    if df.empty:
        return None
    if ctx.pengguna.role == "ditjenpas" and not (ctx.pilihan.kanwil or ctx.pilihan.upt) and df.kode_kanwil.nunique() > 1:
        return fig_matriks_kanwil(ctx.gudang.kelengkapan_kanwil(ctx.pengguna, ctx.pilihan, ctx.periode), ctx.periode)
    bulan = sorted(df.bulan.unique())
    upt = sorted(df.kode_upt.unique())
    nama = df.drop_duplicates("kode_upt").set_index("kode_upt").nama_upt
    sel: dict[tuple, list] = {}  # (UPT, month) -> its rows, in one pass (not a filter per cell)
    for r in df[["kode_upt", "bulan", "kind", "status", "terlambat"]].itertuples(index=False):
        sel.setdefault((r.kode_upt, r.bulan), []).append(r)
    z, teks = [], []
    for u in upt:
        baris_z, baris_t = [], []
        for b in bulan:
            d = sel.get((u, b), [])
            diterima = sum(1 for r in d if r.status == "DITERIMA")
            kurang = [f"{fmt.label_kode('kind', r.kind)} ({'ditolak' if r.status == 'DITOLAK' else 'tidak ada'})"
                      for r in d if r.status != "DITERIMA"]
            telat = [fmt.label_kode("kind", r.kind) for r in d if not fmt.kosong(r.terlambat) and r.terlambat]
            ada = {r.kind for r in d}
            hilang_total = [k for k in JENIS_LAPORAN if k not in ada]
            kurang += [f"{fmt.label_kode('kind', k)} (tidak ada)" for k in hilang_total]
            baris_z.append(diterima)
            baris_t.append(f"{diterima}/6 diterima" + ("<br>Kurang: " + ", ".join(kurang) if kurang else "")
                           + ("<br>Terlambat: " + ", ".join(telat) if telat else ""))
        z.append(baris_z)
        teks.append(baris_t)
    x = [fmt.nama_bulan(pd.Timestamp(b).date(), pendek=True) for b in bulan]
    y = [f"{u} {nama.get(u, '')}"[:40] for u in upt]
    fig = go.Figure(go.Heatmap(z=z, x=x, y=y, text=teks, zmin=0, zmax=6, colorscale="RdYlGn", texttemplate="%{z}",
                               hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>", colorbar=dict(title="file")))
    fig.update_yaxes(autorange="reversed")  # first UPT at the top, as in the tables
    fig.update_xaxes(title="Bulan laporan")
    return gaya_fig(fig, f"Kelengkapan laporan: jenis file diterima (dari 6) per UPT per bulan · {fmt.label_periode(ctx.periode)}",
                    max(300, 30 * len(upt) + 140))


def fig_matriks_kanwil(g: pd.DataFrame, periode: str | None = None) -> go.Figure:
    """Kanwil x month: share of the expected files (6 per UPT per month) received (mart_kelengkapan_kanwil)."""
    g = g.rename(columns={"file_diterima": "diterima", "file_diharapkan": "diharapkan", "jumlah_upt": "upt",
                          "file_terlambat": "telat", "rasio_diterima": "rasio"})
    bulan = sorted(g.bulan.unique())
    kanwil = g.drop_duplicates("kode_kanwil").sort_values("kode_kanwil")
    sel = {(r.kode_kanwil, r.bulan): r for r in g.itertuples(index=False)}
    z, teks = [], []
    for kw in kanwil.kode_kanwil:
        baris_z, baris_t = [], []
        for b in bulan:
            r = sel.get((kw, b))
            if r is None:
                baris_z.append(None)
                baris_t.append("tidak ada data")
                continue
            baris_z.append(float(r.rasio))
            baris_t.append(f"{fmt.format_angka(r.diterima)} dari {fmt.format_angka(r.diharapkan)} file diterima "
                           f"({fmt.format_persen(r.rasio)}), {fmt.format_angka(r.upt)} UPT"
                           + (f"<br>Terlambat: {fmt.format_angka(r.telat)} file" if r.telat else ""))
        z.append(baris_z)
        teks.append(baris_t)
    x = [fmt.nama_bulan(pd.Timestamp(b).date(), pendek=True) for b in bulan]
    y = [f"{r.kode_kanwil} {r.nama_kanwil.replace('Kanwil Ditjenpas ', '')}"[:32] for r in kanwil.itertuples(index=False)]
    # Cell labels through d3's format with the figure's Indonesian separators (heatmap texttemplate
    # does not read customdata): 0.991 -> "99,1%".
    fig = go.Figure(go.Heatmap(z=z, x=x, y=y, text=teks, zmin=0, zmax=1, colorscale="RdYlGn",
                               texttemplate="%{z:.1%}", hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
                               colorbar=dict(title="diterima", tickformat=".0%")))
    fig.update_yaxes(autorange="reversed")  # KW01 at the top
    fig.update_xaxes(title="Bulan laporan")
    return gaya_fig(fig, f"Kelengkapan laporan per Kanwil per bulan (persen file diterima) · {fmt.label_periode(periode)}"
                    " · pilih Kanwil untuk rincian per UPT",
                    max(300, 26 * len(y) + 140))


def tabel_terlambat_hilang(ctx: Konteks) -> pd.DataFrame:
    df = data_matriks(ctx)
    if df.empty:
        return df
    df = df[(df.status != "DITERIMA") | df.terlambat.fillna(False).astype(bool)]
    return df[["kode_upt", "nama_upt", "bulan", "kind", "status", "terlambat", "received_at"]]


def tabel_ditolak(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.file_ditolak(ctx.pengguna, ctx.pilihan, ctx.periode)


def tabel_file_masuk(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.file_masuk(ctx.pengguna, ctx.pilihan, ctx.periode)


def tabel_karantina_ringkas(ctx: Konteks) -> pd.DataFrame:
    """Quarantined rows per reason: the Indonesian reason first (``alasan``, shown through
    fmt.label_kode("alasan", ...) by the table), the English code kept as the last column."""
    df = ctx.gudang.karantina_ringkas(ctx.pengguna, ctx.pilihan, ctx.periode)
    if "reason_code" not in df.columns:
        return df
    df = df.assign(alasan=df["reason_code"])
    return df[["alasan", "kind", "jumlah_baris", "jumlah_file", "reason_code"]]


def tabel_karantina(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.karantina(ctx.pengguna, ctx.pilihan, ctx.periode)


def tabel_muatan(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.muatan(ctx.pengguna)


def kesegaran(ctx: Konteks, sekarang: dt.datetime | None = None) -> dict:
    """When the last load finished, its status, and how long ago (in words)."""
    df = tabel_muatan(ctx)
    if df.empty:
        return {"teks": "Belum ada muatan", "status": None, "umur": None}
    r = df.iloc[0]
    selesai = None if fmt.kosong(r.finished_at) else pd.Timestamp(r.finished_at).to_pydatetime()
    sekarang = sekarang or dt.datetime.now()
    umur = None
    if selesai:
        jam = (sekarang - selesai).total_seconds() / 3600
        umur = f"{fmt.format_angka(jam, 0)} jam yang lalu" if jam < 48 else f"{fmt.format_angka(jam / 24, 0)} hari yang lalu"
    return {"teks": fmt.format_tanggal(selesai, jam=True) if selesai else "belum selesai", "status": r.status, "umur": umur}


# The Indonesian reason wraps in a column narrow enough for a 390 px phone (the table scrolls
# sideways for the other columns, never for the reason).
GAYA_ALASAN = [{"if": {"column_id": c}, "minWidth": "150px", "maxWidth": "230px", "width": "230px",
                "whiteSpace": "normal", "overflowWrap": "anywhere"} for c in ("alasan", "reason")]


def _urut_alasan(df: pd.DataFrame, urutan: list[str]) -> list[str] | None:
    """The table's columns with the preferred ones first (those it has), the rest after."""
    if df is None or df.empty:
        return None
    depan = [c for c in urutan if c in df.columns]
    return depan + [c for c in df.columns if c not in depan]


def tampilan(ctx: Konteks):
    segar = kesegaran(ctx)
    per_upt = kualitas_per_upt(ctx.gudang, ctx.pengguna, ctx.pilihan, ctx.periode)
    # the unit's published kelengkapan_laporan (kpi_indikator / kpi_kelompok), never a ratio of the table's sums
    unit = ctx.gudang.indikator(ctx.pengguna, ctx.pilihan, [ctx.periode])
    lengkap = None if unit.empty else unit.kelengkapan_laporan.iloc[0]
    diterima = None if unit.empty else unit.file_diterima.iloc[0]
    ditolak = tabel_ditolak(ctx)
    kar = tabel_karantina_ringkas(ctx)
    return html.Div([
        judul_halaman(JUDUL, fmt.label_periode(ctx.periode)),
        *keterangan_cakupan(ctx),
        dbc.Row([
            dbc.Col(kartu("Muatan terakhir", segar["teks"], [f"Status: {segar['status'] or '–'}", segar["umur"] or ""],
                          id_="kartu-kesegaran"), md=3, className="mb-3"),
            dbc.Col(kartu("Kelengkapan laporan", fmt.format_persen(lengkap),
                          [f"{fmt.format_angka(diterima)} file diterima"]), md=3, className="mb-3"),
            # the same rows as the table "File ditolak dan alasannya" and mart_kualitas_upt.file_ditolak
            # (DECISIONS 50: every rejected version, in the period of its reporting month)
            dbc.Col(kartu("File ditolak", fmt.format_angka(len(ditolak)), ["versi file ditolak, menurut bulan laporan"],
                          id_="kartu-file-ditolak"), md=3, className="mb-3"),
            dbc.Col(kartu("Baris dikarantina", fmt.format_angka(kar.jumlah_baris.sum() if len(kar) else 0)), md=3, className="mb-3"),
        ]),
        grafik(fig_matriks(ctx), "grafik-kelengkapan"),
        tabel_data(per_upt, "kualitas_per_upt", "Ringkasan per UPT"),
        tabel_data(tabel_terlambat_hilang(ctx), "kualitas_terlambat", "Laporan terlambat, ditolak, atau tidak ada"),
        # the Indonesian reason first (it must stay visible on a phone), the code last
        tabel_data(ditolak, "kualitas_ditolak", "File ditolak dan alasannya",
                   kolom=_urut_alasan(ditolak, ["reason", "kode_upt", "kind", "bulan", "received_at", "path", "reason_code"]),
                   gaya_baris=GAYA_ALASAN),
        tabel_data(tabel_file_masuk(ctx), "kualitas_file_masuk",
                   "File masuk terakhir (waktu diterima dan pengirim, maks. 500)", page_size=10),
        dbc.Row([
            dbc.Col(tabel_data(kar, "kualitas_karantina_ringkas", "Baris dikarantina per alasan", gaya_baris=GAYA_ALASAN), lg=5),
            dbc.Col(tabel_data(kar_baris := tabel_karantina(ctx), "kualitas_karantina", "Baris dikarantina (maks. 1.000)",
                               page_size=10, kolom=_urut_alasan(kar_baris, ["reason", "kode_upt", "kind", "bulan",
                                                                             "row_number", "path", "reason_code"]),
                               gaya_baris=GAYA_ALASAN), lg=7),
        ]),
        tabel_data(tabel_muatan(ctx), "kualitas_muatan", "Riwayat muatan"),
    ])


TABEL = {
    "kualitas_per_upt": ("Kualitas per UPT", lambda ctx: kualitas_per_upt(ctx.gudang, ctx.pengguna, ctx.pilihan, ctx.periode)),
    "kualitas_terlambat": ("Terlambat dan hilang", tabel_terlambat_hilang),
    "kualitas_ditolak": ("File ditolak", tabel_ditolak),
    "kualitas_file_masuk": ("File masuk", tabel_file_masuk),
    "kualitas_karantina_ringkas": ("Karantina per alasan", tabel_karantina_ringkas),
    "kualitas_karantina": ("Baris dikarantina", tabel_karantina),
    "kualitas_muatan": ("Riwayat muatan", tabel_muatan),
}
