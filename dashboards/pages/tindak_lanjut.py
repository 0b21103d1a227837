"""Tindak Lanjut (RTL): the follow-up register of the monev findings.

Kanwil and Ditjenpas open a follow-up on a finding of the selected period (what, who, due date);
the UPT concerned answers; the Kanwil (or Ditjenpas) closes it with a note. Overdue follow-ups are
flagged. The register lives in the app database (dashboards/tindak_lanjut.py); the callbacks are
registered by :func:`daftarkan` from ``dashboards.app.create_app``.
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dash_table, dcc, html

from dashboards import fmt
from dashboards.components import Konteks, judul_halaman, pesan_kosong
from dashboards.data import Pilihan
from dashboards.temuan import nama_unit, urutkan, uraian

PATH = "/tindak-lanjut"
JUDUL = "Tindak Lanjut"
WARNA_TERLAMBAT = "#f8d7da"


def _register():
    from dashboards.excel import register_aktif
    from dashboards.tindak_lanjut import Register

    return register_aktif() or Register(None)


def _daftar_tabel(reg, p) -> html.Div:
    from dashboards.tindak_lanjut import LABEL_STATUS

    df = reg.daftar(p)
    if df.empty:
        return pesan_kosong("Belum ada tindak lanjut dalam cakupan akun ini.")
    rows = [{
        "no": int(r["id"]), "periode": fmt.label_periode(r["periode"]), "temuan": r["uraian_temuan"],
        "tindakan": r["tindakan"], "pj": r["penanggung_jawab"], "tenggat": fmt.format_tanggal(r["tenggat"]),
        "status": LABEL_STATUS.get(r["status"], r["status"]), "terlambat": "Terlambat" if r["terlambat"] else "",
        "jawaban": r["jawaban"] or "", "catatan": r["catatan_tutup"] or "",
    } for r in df.to_dict("records")]
    kolom = [("no", "No"), ("periode", "Periode temuan"), ("temuan", "Temuan"), ("tindakan", "Tindakan"),
             ("pj", "Penanggung jawab"), ("tenggat", "Tenggat"), ("status", "Status"), ("terlambat", "Terlambat"),
             ("jawaban", "Jawaban UPT"), ("catatan", "Catatan penutupan")]
    return dash_table.DataTable(
        id="tabel-rtl", columns=[{"name": n, "id": i} for i, n in kolom], data=rows, sort_action="native",
        page_size=20, style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.85rem", "whiteSpace": "normal", "height": "auto",
                    "textAlign": "left", "maxWidth": "320px"},
        style_header={"fontWeight": "600", "backgroundColor": "#eef2f7"},
        style_data_conditional=[{"if": {"filter_query": '{terlambat} = "Terlambat"'}, "backgroundColor": WARNA_TERLAMBAT}],
    )


def _opsi_aksi(reg, p) -> list[dict]:
    from dashboards.tindak_lanjut import DITUTUP

    df = reg.daftar(p)
    df = df[df.status != DITUTUP] if not df.empty else df
    return [{"label": f"#{int(r['id'])} · {r['uraian_temuan'][:90]}", "value": int(r["id"])}
            for r in df.to_dict("records")]


def tampilan(ctx: Konteks):
    p = ctx.pengguna
    reg = _register()
    bagian = [judul_halaman(JUDUL, "Rencana tindak lanjut hasil monitoring dan evaluasi (RTL)")]
    if p.role in ("ditjenpas", "kanwil"):
        df = urutkan(ctx.gudang.temuan(p, Pilihan(periode=ctx.periode, kanwil=ctx.pilihan.kanwil), ctx.periode))
        opsi = [{"label": f"{nama_unit(r)}: {uraian(r)}"[:160], "value": r["temuan_id"]} for r in df.to_dict("records")]
        bagian.append(dbc.Card(dbc.CardBody([
            html.H6(f"Buka tindak lanjut atas temuan {fmt.label_periode(ctx.periode)}"),
            dcc.Dropdown(id="rtl-temuan", options=opsi, placeholder="Pilih temuan", className="mb-2"),
            dbc.Textarea(id="rtl-tindakan", placeholder="Tindakan yang akan dilakukan", className="mb-2"),
            dbc.Row([
                dbc.Col(dbc.Input(id="rtl-pj", placeholder="Penanggung jawab (nama/jabatan)"), md=6),
                dbc.Col(dbc.Input(id="rtl-tenggat", type="date", min=dt.date.today().isoformat()), md=3),
                dbc.Col(dbc.Button("Buka tindak lanjut", id="rtl-buka", color="primary", n_clicks=0), md=3),
            ], className="g-2"),
            dcc.Store(id="rtl-periode", data=ctx.periode),
        ]), className="mb-3"))
    bagian.append(dbc.Card(dbc.CardBody([
        html.H6("Jawab atau tutup tindak lanjut"),
        dcc.Dropdown(id="rtl-pilih", options=_opsi_aksi(reg, p), placeholder="Pilih tindak lanjut", className="mb-2"),
        dbc.Textarea(id="rtl-isi", placeholder="Jawaban (UPT) atau catatan penutupan (Kanwil)", className="mb-2"),
        html.Div([
            dbc.Button("Kirim jawaban", id="rtl-jawab", color="primary", n_clicks=0, className="me-2"),
            *([dbc.Button("Tutup tindak lanjut", id="rtl-tutup", color="success", n_clicks=0)]
              if p.role in ("ditjenpas", "kanwil") else []),
        ]),
    ]), className="mb-3"))
    bagian += [html.Div(id="rtl-pesan"), html.Div(_daftar_tabel(reg, p), id="rtl-daftar")]
    return html.Div(bagian)


TABEL: dict = {}


def proses(reg, gudang, p, aksi: str, **isian):
    """One action of the page for user ``p``: (message, refreshed list, options). Never raises for a
    user mistake: the refusal is the message."""
    from dashboards.tindak_lanjut import Ditolak

    if p is None:
        return dbc.Alert("Sesi berakhir. Silakan masuk kembali.", color="secondary"), dash.no_update, dash.no_update
    try:
        if aksi == "buka":
            if not isian.get("temuan_id"):
                raise Ditolak("Pilih temuan terlebih dahulu.")
            n = reg.buka(gudang, p, isian["temuan_id"], isian.get("periode"), isian.get("tindakan"),
                         isian.get("penanggung_jawab"), isian.get("tenggat") or "")
            pesan = f"Tindak lanjut #{n} dibuka."
        elif aksi in ("jawab", "tutup"):
            if not isian.get("id"):
                raise Ditolak("Pilih tindak lanjut terlebih dahulu.")
            (reg.jawab if aksi == "jawab" else reg.tutup)(p, isian["id"], isian.get("teks"))
            pesan = f"Tindak lanjut #{isian['id']} {'dijawab' if aksi == 'jawab' else 'ditutup'}."
        else:
            raise Ditolak("Aksi tidak dikenal.")
    except Ditolak as exc:
        return dbc.Alert(str(exc), color="warning", className="py-2"), dash.no_update, dash.no_update
    return dbc.Alert(pesan, color="success", className="py-2"), _daftar_tabel(reg, p), _opsi_aksi(reg, p)


def daftarkan(app, pengguna_sekarang, reg, gudang) -> None:
    """The page's callbacks on ``app`` (one register, the app's database and audit log)."""
    keluar = [Output("rtl-pesan", "children", allow_duplicate=True), Output("rtl-daftar", "children",
                                                                            allow_duplicate=True),
              Output("rtl-pilih", "options", allow_duplicate=True)]

    @app.callback(*keluar, Input("rtl-buka", "n_clicks"), State("rtl-temuan", "value"), State("rtl-periode", "data"),
                  State("rtl-tindakan", "value"), State("rtl-pj", "value"), State("rtl-tenggat", "value"),
                  prevent_initial_call=True)
    def cb_buka(n, temuan_id, periode, tindakan, pj, tenggat):
        if not n:
            raise dash.exceptions.PreventUpdate
        return proses(reg, gudang, pengguna_sekarang(), "buka", temuan_id=temuan_id, periode=periode,
                      tindakan=tindakan, penanggung_jawab=pj, tenggat=tenggat)

    @app.callback(*keluar, Input("rtl-jawab", "n_clicks"), State("rtl-pilih", "value"), State("rtl-isi", "value"),
                  prevent_initial_call=True)
    def cb_jawab(n, id_, teks):
        if not n:
            raise dash.exceptions.PreventUpdate
        return proses(reg, gudang, pengguna_sekarang(), "jawab", id=id_, teks=teks)

    @app.callback(*keluar, Input("rtl-tutup", "n_clicks"), State("rtl-pilih", "value"), State("rtl-isi", "value"),
                  prevent_initial_call=True)
    def cb_tutup(n, id_, teks):
        if not n:
            raise dash.exceptions.PreventUpdate
        return proses(reg, gudang, pengguna_sekarang(), "tutup", id=id_, teks=teks)
