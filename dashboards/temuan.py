"""Findings (temuan) of the monev cycle: how a finding reads, and the "Temuan triwulan ini" panel.

The findings are computed in dbt (``mart_temuan``) with the rules declared once in
``dbt/dbt_project.yml`` (vars: temuan_aturan, read by :mod:`dagster_project.temuan`); this module
only writes them for the reader. The panel is a self-contained component: a page puts
``panel_temuan(ctx)`` at its top and gets the findings of its period within the user's scope.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dagster_project.temuan import KATEGORI, aturan
from dashboards import fmt
from dashboards.indikator import INDIKATOR, label

PANEL_MAKS = 8
_URUTAN = {k: i for i, k in enumerate(aturan())}
_RUPIAH = {"margin", "pnbp_kurang_setor"}


def nilai_teks(indikator: str | None, nilai) -> str:
    """A finding's value (or its comparison) the Indonesian way, by the indicator's kind."""
    if fmt.kosong(nilai):
        return fmt.KOSONG
    jenis = INDIKATOR[indikator].jenis if indikator in INDIKATOR else ("rupiah" if indikator in _RUPIAH else "angka")
    if jenis == "persen":
        return fmt.format_persen(nilai)
    if jenis == "rupiah":
        return fmt.format_rupiah(nilai)
    return fmt.format_angka(nilai, 1 if jenis == "desimal" else 0)


def nama_unit(r: dict) -> str:
    if r.get("level") == "kanwil":
        return str(r.get("nama_kanwil") or r.get("kode"))
    return str(r.get("nama_upt") or r.get("kode"))


def uraian(r: dict) -> str:
    """One sentence with the finding's numbers (what the rule found, against what)."""
    a, ind = r["aturan"], r.get("indikator")
    n, b = nilai_teks(ind, r.get("nilai")), nilai_teks(ind, r.get("pembanding"))
    rank = "" if fmt.kosong(r.get("peringkat")) else int(r["peringkat"])
    lab = label(ind) if ind in INDIKATOR else ind
    if a == "PARTISIPASI_RENDAH_KANWIL":
        return f"{lab} {n}: terendah ke-{rank} secara nasional (nasional {b})."
    if a == "PARTISIPASI_RENDAH_UPT":
        return f"{lab} {n}: terendah ke-{rank} di Kanwilnya (Kanwil {b})."
    if a == "PNBP_KURANG_SETOR":
        return f"Kurang setor PNBP {n} dari pendapatan {nilai_teks('pendapatan', r.get('pembanding'))} (peringkat {rank} nasional)."
    if a == "KEGIATAN_RUGI":
        keg = r.get("nama_kegiatan") or r.get("kode_kegiatan")
        return f"Kegiatan {keg}: margin {n} (biaya bahan {b})."
    if a == "SEKTOR_RUGI":
        return f"Bidang {r.get('bidang')}: margin {n} (pendapatan {b})."
    if a == "RASIO_LEBIH_100":
        return f"{lab} {n}, lebih dari 100 %."
    if a == "DI_LUAR_KELOMPOK":
        return f"{lab} {n}; kelompok sejawatnya {b}."
    if a == "DI_LUAR_RIWAYAT":
        return f"{lab} {n}; rata-rata triwulan sebelumnya {b}."
    if a == "LONJAKAN":
        return f"{lab} {n}; periode sebelumnya {b}."
    if a in ("BELUM_MELAPOR", "LAPORAN_SEBAGIAN"):
        return f"{n} dari {b} file laporan yang jatuh tempo diterima."
    if a == "TERLAMBAT":
        return f"{n} dari {b} file laporan diterima setelah batas tanggal 10."
    return f"{lab} {n} (pembanding {b})."


def tabel_temuan(df: pd.DataFrame) -> pd.DataFrame:
    """The findings as a reader's table (report and download): rule, unit, what was found, explanation."""
    if df is None or df.empty:
        return pd.DataFrame(columns=["Kategori", "Temuan", "Unit", "Uraian", "Aturan"])
    a = aturan()
    rows = []
    for r in urutkan(df).to_dict("records"):
        at = a.get(r["aturan"])
        rows.append({
            "Kategori": KATEGORI.get(r["kategori"], r["kategori"]),
            "Temuan": at.judul if at else r["aturan"],
            "Unit": nama_unit(r),
            "Uraian": uraian(r),
            "Aturan": at.penjelasan if at else "",
        })
    return pd.DataFrame(rows)


def urutkan(df: pd.DataFrame) -> pd.DataFrame:
    """Rules in declaration order, ranked findings by rank, the rest by unit."""
    if df.empty:
        return df
    out = df.assign(_u=df.aturan.map(_URUTAN).fillna(99), _p=df.peringkat.fillna(1e9))
    return out.sort_values(["_u", "_p", "kode", "indikator"]).drop(columns=["_u", "_p"])


def judul_panel(jenis_periode: str | None) -> str:
    return "Temuan semester ini" if jenis_periode == "SEMESTER" else "Temuan triwulan ini"


def panel_temuan(ctx, pilihan=None) -> html.Div:
    """The "Temuan triwulan ini" panel for the page's period, scoped like the figures (``pilihan``: the
    unit the page shows, default the page's filters)."""
    info = ctx.gudang.info_periode(ctx.pengguna, ctx.periode) or {}
    jenis = info.get("jenis_periode")
    judul = judul_panel(jenis)
    kepala = html.Div([html.Strong(judul), html.Span(f" · {fmt.label_periode(ctx.periode)}", className="text-muted")])
    if jenis not in ("TRIWULAN", "SEMESTER"):
        isi = [html.Div("Temuan dihitung per triwulan dan semester; pilih triwulan atau semester.",
                        className="small text-muted")]
        return _kartu(kepala, isi)
    df = urutkan(ctx.gudang.temuan(ctx.pengguna, pilihan or ctx.pilihan, ctx.periode))
    isi = []
    if info.get("sementara"):
        isi.append(html.Div("Angka periode ini masih sementara: temuan peringkat (partisipasi, PNBP, kegiatan merugi) "
                            "belum ditetapkan.", className="small text-warning-emphasis mb-1", id="temuan-sementara"))
    if df.empty:
        isi.append(html.Div("Tidak ada temuan untuk periode dan cakupan ini.", className="small text-muted"))
        return _kartu(kepala, isi)
    jumlah = df.groupby("kategori").size()
    isi.append(html.Div([dbc.Badge(f"{KATEGORI.get(k, k)}: {int(jumlah[k])}", color="secondary", className="me-1")
                         for k in KATEGORI if k in jumlah.index], className="mb-2", id="temuan-ringkas"))
    a = aturan()
    butir = []
    for r in df.head(PANEL_MAKS).to_dict("records"):
        at = a.get(r["aturan"])
        butir.append(html.Li([
            html.Strong(nama_unit(r)), html.Span(f" — {at.judul if at else r['aturan']}: ", className="text-muted"),
            html.Span(uraian(r)),
            html.Abbr(" (?)", title=at.penjelasan if at else "", className="text-muted small"),
        ], className="small", **{"data-temuan": r["temuan_id"]}))
    isi.append(html.Ul(butir, className="mb-1 ps-3", id="temuan-daftar"))
    if len(df) > PANEL_MAKS:
        isi.append(html.Div(f"Ditampilkan {PANEL_MAKS} dari {fmt.format_angka(len(df))} temuan; semua temuan ada di "
                            "laporan monev triwulanan.", className="small text-muted"))
    return _kartu(kepala, isi)


def _kartu(kepala, isi) -> html.Div:
    return html.Div(dbc.Card([dbc.CardHeader(kepala), dbc.CardBody(isi, className="py-2")],
                             className="mb-3 shadow-sm border-warning"), id="panel-temuan")
