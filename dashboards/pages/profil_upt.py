"""Profil UPT: programmes by stage, participation funnel, Litmas H+7, QC, sales, PNBP, budget, wages."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards import fmt
from dashboards.temuan import panel_temuan
from dashboards.components import Konteks, gaya_fig, grafik, judul_halaman, kartu, keterangan_cakupan, pesan_kosong, tabel_data
from dashboards.data import Pilihan, TidakBerwenang
from dashboards.indikator import format_nilai, label
from dashboards.pages.pnbp import fig_penjualan_setor

PATH = "/upt"
JUDUL = "Profil UPT"
URUTAN_TAHAP = ["PERENCANAAN", "ANALISIS", "PENGORGANISASIAN", "PELAKSANAAN", "MONEV", "SELESAI"]


def kode_upt(ctx: Konteks) -> str | None:
    if ctx.pilihan.upt:
        return ctx.pilihan.upt
    if ctx.pengguna.role == "upt":
        return ctx.pengguna.scope
    return None


def _f(ctx: Konteks) -> Pilihan:
    kode = kode_upt(ctx)
    if not kode:
        raise TidakBerwenang("Pilih UPT terlebih dahulu.")
    return Pilihan(periode=ctx.periode, upt=kode, bidang=ctx.pilihan.bidang)


def indikator_upt(ctx: Konteks) -> dict:
    df = ctx.gudang.indikator(ctx.pengguna, _f(ctx), [ctx.periode])
    return {} if df.empty else df.iloc[0].to_dict()


def fig_tahap(ctx: Konteks) -> go.Figure | None:
    keg = ctx.gudang.kegiatan(ctx.pengguna, replace(_f(ctx), bidang=None))
    if keg.empty:
        return None
    hit = keg.groupby(["tahap", "jenis_kegiatan"]).size().reset_index(name="jumlah")
    fig = go.Figure()
    for jenis, d in hit.groupby("jenis_kegiatan"):
        d = d.set_index("tahap").reindex(URUTAN_TAHAP).fillna(0)
        # horizontal: the six stage names on the left never collide in a third of the page
        fig.add_trace(go.Bar(y=[fmt.label_kode("tahap", t) for t in d.index], x=d.jumlah, orientation="h",
                             name=fmt.label_kode("jenis_kegiatan", jenis)))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="jumlah kegiatan", tickformat=",d")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return gaya_fig(fig, f"Kegiatan menurut tahap · {fmt.label_periode(ctx.periode)}", 340)


def fig_corong(ctx: Konteks) -> go.Figure | None:
    """Funnel populasi -> eligible -> partisipan -> selesai -> bersertifikat (training)."""
    k = indikator_upt(ctx)
    if not k:
        return None
    tahap = [("Populasi", "populasi_akhir"), ("Memenuhi syarat", "eligible_pelatihan"), ("Partisipan", "partisipan_pelatihan"),
             ("Selesai", "pelatihan_selesai"), ("Bersertifikat", "pelatihan_bersertifikat")]
    if all(fmt.kosong(k.get(c)) for _, c in tahap):
        return None  # not reported: no funnel of zeros
    nilai = [0 if fmt.kosong(k.get(c)) else float(k[c]) for _, c in tahap]
    fig = go.Figure(go.Funnel(y=[t for t, _ in tahap], x=nilai, text=[fmt.format_angka(v) for v in nilai],
                              textinfo="text", marker_color="#2e86c1"))
    return gaya_fig(fig, f"Corong pelatihan (orang) · {fmt.label_periode(ctx.periode)}", 320)


def fig_litmas(ctx: Konteks) -> go.Figure | None:
    df = ctx.gudang.indikator(ctx.pengguna, _f(ctx), jenis_periode="TRIWULAN")
    if df.empty or df[["masuk", "litmas_tepat_waktu", "kepatuhan_litmas_h7"]].isna().all().all():
        return None  # nothing reported: no chart with invented axes
    x = [fmt.label_periode(v).replace("Triwulan", "Tw") for v in df.periode]
    fig = go.Figure([
        go.Bar(x=x, y=df.masuk, name="Masuk", marker_color="#aab7b8"),
        go.Bar(x=x, y=df.litmas_tepat_waktu, name="Litmas tepat waktu", marker_color="#2e86c1"),
        go.Scatter(x=x, y=df.kepatuhan_litmas_h7, name="Kepatuhan H+7", yaxis="y2", mode="lines+markers", marker_color="#c0392b"),
    ])
    # round ticks on both axes (0/25/50/75/100 %), not 0/27/53/80 %
    fig.update_layout(barmode="group", yaxis=dict(title="orang", tickformat=",d", rangemode="tozero"),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1], dtick=0.25,
                                  title="kepatuhan", showgrid=False))
    return gaya_fig(fig, f"Litmas H+7 per triwulan, hingga {fmt.label_periode(df.periode.iloc[-1])}", 340)


def tabel_qc(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.qc_per_produk(ctx.pengguna, _f(ctx), ctx.periode)


def fig_qc(ctx: Konteks) -> go.Figure | None:
    df = tabel_qc(ctx)
    if df.empty or df[["produksi_unit", "lolos_qc_unit"]].isna().all().all():
        return None
    df = df.sort_values("produksi_unit", ascending=False).head(12)  # the largest products: readable on a phone
    # horizontal bars: product names on the left never collide with each other or the legend
    fig = go.Figure([
        go.Bar(y=df.nama_produk, x=df.produksi_unit, name="Produksi", marker_color="#aab7b8", orientation="h"),
        go.Bar(y=df.nama_produk, x=df.lolos_qc_unit, name="Lolos QC", marker_color="#1e8449", orientation="h",
               customdata=[fmt.format_persen(v) for v in df.qc_pass_rate],
               hovertemplate="%{y}: %{x:,.0f} lolos QC (%{customdata})<extra></extra>"),
    ])
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="unit produk (satuan campuran)", tickformat=",.0f")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return gaya_fig(fig, f"Produksi dan lolos QC per produk · {fmt.label_periode(ctx.periode)}", max(320, 34 * len(df) + 120))


def tabel_kanal(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.penjualan_per_kanal(ctx.pengguna, _f(ctx), ctx.periode)


def fig_kanal(ctx: Konteks) -> go.Figure | None:
    df = tabel_kanal(ctx)
    if df.empty or df.pendapatan.isna().all():
        return None
    fig = go.Figure()
    for pembeli, d in df.groupby("jenis_pembeli"):
        # horizontal bars: the channel names are long and would collide under a vertical bar at 390 px
        fig.add_trace(go.Bar(y=[fmt.label_kode("kanal", k) for k in d.kanal], x=d.pendapatan, orientation="h",
                             name=fmt.label_kode("jenis_pembeli", pembeli),
                             customdata=[fmt.format_rupiah(v) for v in d.pendapatan],
                             hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=",.0f", title="Rupiah (Rp)", nticks=4)
    fig.update_yaxes(automargin=True)
    return gaya_fig(fig, f"Pendapatan per kanal dan jenis pembeli · {fmt.label_periode(ctx.periode)}", 360)


def tabel_pnbp(ctx: Konteks) -> pd.DataFrame:
    return ctx.gudang.pnbp_per_bulan(ctx.pengguna, _f(ctx), ctx.periode)


def fig_pnbp(ctx: Konteks) -> go.Figure | None:
    return fig_penjualan_setor(tabel_pnbp(ctx), f"PNBP disetor dibanding penjualan · {fmt.label_periode(ctx.periode)}",
                               320, selisih=False)


def tabel_anggaran(ctx: Konteks) -> pd.DataFrame:
    """Budget per programme as at the end of the period (KPI_DICTIONARY v2), the published mart's cells:
    a Q1 read in July shows March's realisation, not December's."""
    keg = ctx.gudang.anggaran_kegiatan(ctx.pengguna, replace(_f(ctx), bidang=None), ctx.periode)
    if keg.empty:
        return keg
    return keg[["kode_kegiatan", "nama_kegiatan", "jenis_kegiatan", "bidang", "tahap", "tanggal_mulai", "tanggal_selesai",
                "anggaran_rab", "realisasi_anggaran", "tingkat_realisasi_anggaran"]]


def tabel_upah(ctx: Konteks) -> pd.DataFrame:
    df = ctx.gudang.upt_bulanan(ctx.pengguna, _f(ctx), ctx.periode)
    # mart_upt_bulanan publishes NULL (belum melapor) for a month the UPT did not report
    return df[["bulan", "populasi_akhir", "jam_kerja", "upah"]] if not df.empty else df


def fig_upah(ctx: Konteks) -> go.Figure | None:
    df = tabel_upah(ctx)
    if df.empty or df[["upah", "jam_kerja"]].isna().all().all():
        return None  # nothing reported: no chart with invented axes
    bulan = [pd.Timestamp(b).date() for b in df.bulan]
    tahun = {b.year for b in bulan}
    if len(tahun) == 1:  # one year (a period never spans two): "Jan" ... with the year in the axis title
        x = [fmt.NAMA_BULAN_PENDEK[b.month - 1] for b in bulan]
        judul_x = f"Bulan {tahun.pop()}"
    else:
        x, judul_x = [fmt.nama_bulan(b, pendek=True) for b in bulan], "Bulan"
    fig = go.Figure([
        go.Bar(x=x, y=df.upah, name="Upah/premi", customdata=[fmt.format_rupiah(v) for v in df.upah],
               hovertemplate="%{x}: %{customdata}<extra>Upah/premi</extra>"),
        go.Scatter(x=x, y=df.jam_kerja, name="Jam kerja", yaxis="y2", mode="lines+markers"),
    ])
    fig.update_layout(yaxis=dict(tickformat=",.0f", title="Rupiah (Rp)", rangemode="tozero"),
                      yaxis2=dict(overlaying="y", side="right", tickformat=",.0f", title="jam", rangemode="tozero",
                                  showgrid=False),
                      xaxis=dict(title=judul_x))
    return gaya_fig(fig, f"Upah dan jam kerja per bulan · {fmt.label_periode(ctx.periode)}", 320)


def tabel_revisi(ctx: Konteks) -> pd.DataFrame:
    df = ctx.gudang.revisi(ctx.pengguna, _f(ctx))
    if not df.empty:
        df["indikator"] = [label(k) for k in df.indikator]
    return df


BATAS_CARI = 25


def cari_upt(ctx: Konteks, teks: str | None) -> tuple[pd.DataFrame, int]:
    """UPTs in scope and in the Kanwil / type / class filters whose name or code contains every word
    of ``teks`` (case-insensitive); (first BATAS_CARI rows, number of matches)."""
    df = ctx.gudang.daftar_upt(ctx.pengguna, replace(ctx.pilihan, upt=None, bidang=None))
    kata = [k for k in str(teks or "").lower().split() if k][:8]
    if kata and not df.empty:
        isi = (df.kode_upt.astype(str) + " " + df.nama_upt.astype(str) + " " + df.nama_kanwil.astype(str)).str.lower()
        cocok = pd.Series(True, index=df.index)
        for k in kata:
            cocok &= isi.str.contains(k, regex=False)
        df = df[cocok]
    return df.head(BATAS_CARI), len(df)


def hasil_cari(ctx: Konteks, teks: str | None):
    """The finder's result: a table of links to each UPT's profile (keeps the period)."""
    df, total = cari_upt(ctx, teks)
    if df.empty:
        return pesan_kosong("Tidak ada UPT yang cocok dengan pencarian dan filter ini.")
    baris = [html.Tr([
        html.Td(dcc.Link(r.nama_upt, href=f"{PATH}?periode={ctx.periode}&upt={r.kode_upt}", className="tautan-upt")),
        html.Td(r.kode_upt), html.Td(r.nama_kanwil, className="d-none d-md-table-cell"),
        html.Td(f"{fmt.label_kode('jenis_upt', r.jenis_upt)} {r.kelas}"),
    ]) for r in df.itertuples()]
    kepala = html.Thead(html.Tr([html.Th("UPT", scope="col"), html.Th("Kode", scope="col"),
                                 html.Th("Kanwil", scope="col", className="d-none d-md-table-cell"),
                                 html.Th("Jenis dan kelas", scope="col")]))
    catatan = (f"Menampilkan {fmt.format_angka(len(df))} dari {fmt.format_angka(total)} UPT; persempit pencarian."
               if total > len(df) else f"{fmt.format_angka(total)} UPT.")
    return html.Div([html.Div(catatan, className="small text-muted mb-1", id="jumlah-cari-upt"),
                     html.Div(html.Table([kepala, html.Tbody(baris)], className="table table-sm table-hover mb-0"),
                              className="table-responsive")])


def pilih_upt(ctx: Konteks):
    """The UPT finder (Ditjenpas and Kanwil): search by name or code, narrowed by the Kanwil, type and
    class filters above; the first matches are listed as links (not every UPT of the country)."""
    return html.Div([
        judul_halaman(JUDUL, fmt.label_periode(ctx.periode)),
        html.Div([
            dbc.Label("Cari UPT (nama, kode, atau Kanwil)", html_for="cari-upt", className="fw-semibold"),
            dbc.Input(id="cari-upt", type="search", placeholder="mis. Banda Aceh, UPT0001, Rutan", autocomplete="off",
                      debounce=True, className="mb-1"),
            html.Div("Tekan Enter untuk mencari. Persempit dengan filter Kanwil, Jenis UPT dan Kelas di atas.",
                     className="small text-muted mb-2", id="bantuan-cari-upt"),
            html.Div(hasil_cari(ctx, None), id="hasil-cari-upt"),
        ], className="blok-tabel", id="pencari-upt"),
    ])


def tampilan(ctx: Konteks):
    kode = kode_upt(ctx)
    if not kode:
        return pilih_upt(ctx)
    info = ctx.gudang.info_upt(ctx.pengguna, kode)  # raises TidakBerwenang outside the scope
    k = indikator_upt(ctx)
    populasi = k.get("populasi_akhir")
    hunian = None if fmt.kosong(populasi) or not info.get("kapasitas") else float(populasi) / float(info["kapasitas"])
    revisi = tabel_revisi(ctx)
    kartu_kartu = [
        kartu("Populasi / kapasitas", f"{format_nilai('populasi_akhir', k.get('populasi_akhir'))} / {fmt.format_angka(info.get('kapasitas'))}",
              [f"Tingkat hunian {fmt.format_persen(hunian)}"]),
        kartu("Partisipasi pelatihan", format_nilai("tingkat_partisipasi_pelatihan", k.get("tingkat_partisipasi_pelatihan")),
              [f"Produksi {format_nilai('tingkat_partisipasi_produksi', k.get('tingkat_partisipasi_produksi'))}"]),
        kartu("Kepatuhan Litmas H+7", format_nilai("kepatuhan_litmas_h7", k.get("kepatuhan_litmas_h7")),
              [f"{format_nilai('litmas_tepat_waktu', k.get('litmas_tepat_waktu'))} dari {format_nilai('masuk', k.get('masuk'))} masuk"]),
        kartu("Pendapatan", format_nilai("pendapatan", k.get("pendapatan")),
              [f"PNBP disetor {format_nilai('pnbp_disetor', k.get('pnbp_disetor'))}", f"Rasio setor {fmt.format_persen(k.get('rasio_setor_pnbp'))}"]),
        kartu("Realisasi anggaran", fmt.format_persen(k.get("tingkat_realisasi_anggaran")),
              [f"{format_nilai('realisasi_anggaran', k.get('realisasi_anggaran'))} dari {format_nilai('anggaran_rab', k.get('anggaran_rab'))}"]),
        kartu("Upah dan jam kerja", format_nilai("upah", k.get("upah")), [f"{format_nilai('jam_kerja', k.get('jam_kerja'))} jam"]),
    ]
    return html.Div([
        judul_halaman(f"{JUDUL}: {info['nama_upt']}",
                      f"{info['kode_upt']} · {fmt.label_kode('jenis_upt', info['jenis_upt'])} kelas {info['kelas']} · "
                      f"{info['nama_kanwil']} · "
                      f"{fmt.label_periode(ctx.periode)}"),
        *keterangan_cakupan(ctx, _f(ctx)),
        panel_temuan(ctx, _f(ctx)),
        html.Div([
            dbc.Button("Unduh laporan monev UPT (XLSX)", id={"type": "unduh", "tabel": "laporan_upt"}, color="primary",
                       size="sm", n_clicks=0, className="tombol-unduh me-2"),
            dbc.Button("PDF", id={"type": "unduh", "tabel": "laporan_upt_pdf"}, color="primary", outline=True, size="sm",
                       n_clicks=0, className="tombol-unduh me-2", title="Laporan yang sama sebagai PDF untuk dicetak"),
            dbc.Badge(f"{len(revisi)} revisi", color="warning", className="badge-revisi") if len(revisi) else None,
        ], className="mb-3"),
        dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, className="mb-3") for c in kartu_kartu], id="kartu-upt"),
        dbc.Row([dbc.Col(grafik(fig_tahap(ctx), "grafik-tahap"), lg=4), dbc.Col(grafik(fig_corong(ctx), "grafik-corong"), lg=4),
                 dbc.Col(grafik(fig_litmas(ctx), "grafik-litmas"), lg=4)]),
        dbc.Row([dbc.Col(grafik(fig_qc(ctx), "grafik-qc"), lg=6), dbc.Col(grafik(fig_kanal(ctx), "grafik-kanal"), lg=6)]),
        dbc.Row([dbc.Col(grafik(fig_pnbp(ctx), "grafik-pnbp-upt"), lg=6), dbc.Col(grafik(fig_upah(ctx), "grafik-upah"), lg=6)]),
        tabel_data(tabel_qc(ctx), "upt_qc", "QC per produk"),
        tabel_data(tabel_kanal(ctx), "upt_kanal", "Pendapatan per kanal dan pembeli"),
        tabel_data(tabel_anggaran(ctx), "upt_anggaran", f"Realisasi anggaran per kegiatan (posisi akhir {fmt.label_periode(ctx.periode)})"),
        tabel_data(tabel_upah(ctx), "upt_upah", "Upah dan jam kerja"),
        tabel_data(revisi, "upt_revisi", "Revisi angka setelah terbit",
                   kolom=["periode", "indikator", "nilai_awal", "diterbitkan_awal", "nilai_terkini", "diterbitkan_terkini"],
                   pesan="Tidak ada revisi untuk UPT ini."),
    ])


TABEL = {
    "upt_qc": ("QC per produk", tabel_qc),
    "upt_kanal": ("Pendapatan per kanal", tabel_kanal),
    "upt_anggaran": ("Realisasi anggaran", tabel_anggaran),
    "upt_upah": ("Upah dan jam kerja", tabel_upah),
    "upt_revisi": ("Revisi", tabel_revisi),
    "upt_pnbp": ("PNBP per bulan", tabel_pnbp),
}
