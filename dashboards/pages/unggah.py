"""Unggah & periksa: a UPT (or its Kanwil) checks exports before the deadline and submits them.

The check is `dagster_project.periksa.periksa`: the real ingestion on a scratch warehouse, so the
verdict is the nightly load's. Checked bytes wait server-side under
`<landing>/.unggah-sementara/<token>/` (a dot-folder: the loader never discovers it); "Kirim"
moves the accepted ones into `<landing>/<KODE_UPT>/<canonical name>` (temp file + os.replace,
same filesystem) and writes the arrival record (`dagster_project.kedatangan`), so the landing
sensor picks the file up with the account and time of submission.

Rules (docs/DECISIONS.md):
- At most MAKS_BYTE per file, MAKS_FILE files and MAKS_TOTAL bytes per check, enforced here on
  the decoded bytes (Flask's MAX_CONTENT_LENGTH also refuses larger requests before decoding).
- A file name must be a plain name (letters, digits, `_`, `-`, `.`; no folder, `..`, NUL or other
  characters, after Unicode NFC) and follow the export naming pattern's UPT code within the
  account's scope (a UPT: itself; a Kanwil: its UPTs). The content's `kode_upt` column must agree
  with the name (the loader's own UPT_MISMATCH rule), so content cannot reach another UPT either.
- Only the canonical name `KODEUPT_jenis_YYYYMM.ext` built from the parsed name is ever written.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dash_table, dcc, html

from dagster_project import kedatangan
from dagster_project.ingest.files import parse_file_name
from dagster_project.periksa import Putusan, periksa
from dagster_project.reference import read_upt_master
from dagster_project.spec import KINDS
from dashboards import fmt
from dashboards.components import Konteks, judul_halaman, pesan_galat

PATH = "/unggah"
JUDUL = "Unggah & periksa"
PERAN = ("upt", "kanwil")  # Ditjenpas does not send exports
TABEL: dict = {}

MAKS_BYTE = 20 * 1024 * 1024
MAKS_FILE = 10
MAKS_TOTAL = 60 * 1024 * 1024
UMUR_TOKEN = 2 * 3600  # seconds a checked upload waits for "Kirim"
SEMENTARA = ".unggah-sementara"
_NAMA_AMAN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class Ditolak(Exception):
    """An upload refused before checking (scope, name, size): one sentence in Indonesian."""


@dataclass
class Hasil:
    """The outcome of one check: verdicts, files refused before checking, and the token to submit."""

    putusan: list[Putusan] = field(default_factory=list)
    nomor: list[int] = field(default_factory=list)  # 1-based position in the upload of each verdict
    ditolak: list[tuple[int, str, str]] = field(default_factory=list)  # (position, name as uploaded, reason)
    token: str | None = None


def nama_aman(nama: str | None) -> str:
    """The upload's file name if it is a plain, safe name; Ditolak otherwise (path tricks)."""
    if not isinstance(nama, str) or not nama:
        raise Ditolak("nama file kosong")
    if "\x00" in nama or "/" in nama or "\\" in nama or nama in (".", "..") or ".." in nama:
        raise Ditolak(f"nama file '{_tampil(nama)}' memuat folder atau '..': kirim file dengan namanya saja")
    if unicodedata.normalize("NFC", nama) != nama or not _NAMA_AMAN.match(nama):
        raise Ditolak(f"nama file '{_tampil(nama)}' memuat karakter yang tidak diizinkan "
                      "(hanya huruf, angka, garis bawah, tanda hubung dan titik)")
    return nama


def _tampil(nama: str) -> str:
    return "".join(c if c.isprintable() and ord(c) < 128 else "?" for c in nama)[:80]


def upt_dalam_cakupan(role: str, scope: str | None, kode_upt: str, master: dict[str, str]) -> bool:
    """A UPT account: only itself. A Kanwil account: the UPTs of its Kanwil in the master."""
    if role == "upt":
        return kode_upt == (scope or "").upper()
    if role == "kanwil":
        return master.get(kode_upt) == (scope or "").upper()
    return False


def _kanwil_per_upt(master_path: Path) -> dict[str, str]:
    return {u["kode_upt"]: u["kode_kanwil"] for u in read_upt_master(master_path)}


def nama_kanonik(nama: str, known: set[str]) -> str | None:
    """`upt0001_NARAPIDANA_202401.CSV` -> `UPT0001_narapidana_202401.csv` (None if not parseable)."""
    n = parse_file_name(nama, known)
    if n.reject_code:
        return None
    return f"{n.kode_upt}_{n.kind}_{n.bulan:%Y%m}.{n.ext}"


def _folder_sementara(landing: Path) -> Path:
    return Path(landing) / SEMENTARA


def _bersihkan_lama(landing: Path, sekarang: float | None = None) -> None:
    folder = _folder_sementara(landing)
    if not folder.is_dir():
        return
    batas = (sekarang or time.time()) - UMUR_TOKEN
    for d in folder.iterdir():
        try:
            if d.is_dir() and d.stat().st_mtime < batas:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def periksa_unggahan(role: str, scope: str | None, username: str, berkas: list[tuple[str, bytes]], *,
                     landing: Path, master_path: Path, warehouse: Path | None,
                     maks_byte: int = MAKS_BYTE, maks_file: int | None = MAKS_FILE,
                     maks_total: int | None = MAKS_TOTAL) -> Hasil:
    """Check uploaded files (name, bytes) for this account: refuse what is out of scope or unsafe,
    run the nightly load's rules on the rest, and keep the checked bytes for "Kirim"."""
    if role not in PERAN:
        raise Ditolak("Hanya akun UPT dan Kanwil yang dapat mengunggah laporan.")
    if not berkas:
        raise Ditolak("Tidak ada file yang diunggah.")
    if maks_file is not None and len(berkas) > maks_file:
        raise Ditolak(f"Terlalu banyak file sekaligus ({len(berkas)}); paling banyak {maks_file} file per pemeriksaan.")
    if maks_total is not None and sum(len(b) for _n, b in berkas) > maks_total:
        raise Ditolak(f"Ukuran unggahan melebihi {maks_total // (1024 * 1024)} MB per pemeriksaan.")
    kanwil_of = _kanwil_per_upt(master_path)
    known = set(kanwil_of)
    hasil = Hasil()
    diterima: list[tuple[str, bytes]] = []
    for nomor, (nama, data) in enumerate(berkas, start=1):
        try:
            nama = nama_aman(nama)
            if len(data) > maks_byte:
                raise Ditolak(f"{nama}: ukuran {len(data) / 1024 / 1024:.1f} MB melebihi batas "
                              f"{maks_byte // (1024 * 1024)} MB per file")
            n = parse_file_name(nama, known)
            if n.kode_upt and not upt_dalam_cakupan(role, scope, n.kode_upt, kanwil_of):
                raise Ditolak(f"{nama}: akun ini tidak berwenang mengirim laporan untuk {n.kode_upt}")
            if n.kode_upt is None:
                pass  # not the naming pattern: checked, so the operator sees the loader's own reason
        except Ditolak as exc:
            hasil.ditolak.append((nomor, _tampil(nama) if isinstance(nama, str) else "?", str(exc)))
            continue
        diterima.append((nama, data))
        hasil.nomor.append(nomor)
    if not diterima:
        return hasil
    landing = Path(landing)
    _bersihkan_lama(landing)
    token = secrets.token_hex(16)
    folder = _folder_sementara(landing) / token
    folder.mkdir(parents=True, mode=0o700)
    paths, names = [], []
    for i, (nama, data) in enumerate(diterima):
        p = folder / f"{i:03d}"
        p.write_bytes(data)
        paths.append(p)
        names.append(nama)
    hasil.putusan = periksa(paths, master_path, warehouse, names=names)
    meta = {"username": username, "role": role, "scope": scope, "dibuat": time.time(),
            "berkas": [{"nama": n, "blob": p.name, "status": v.status, "kode_upt": v.kode_upt,
                        "sha256": hashlib.sha256(d).hexdigest()}
                       for n, p, v, (_n, d) in zip(names, paths, hasil.putusan, diterima)]}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    hasil.token = token
    return hasil


def kirim(role: str, scope: str | None, username: str, token: str | None, *, landing: Path,
          master_path: Path, sekarang: dt.datetime | None = None) -> list[tuple[str, str, str | None]]:
    """Submit the accepted files of a check: [(name, outcome in Indonesian, landed path or None)]."""
    if role not in PERAN:
        raise Ditolak("Hanya akun UPT dan Kanwil yang dapat mengirim laporan.")
    if not token or not _TOKEN.match(token):
        raise Ditolak("Periksa file terlebih dahulu sebelum mengirim.")
    landing = Path(landing)
    folder = _folder_sementara(landing) / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Ditolak("Hasil pemeriksaan sudah kedaluwarsa atau sudah dikirim; unggah dan periksa lagi.") from None
    if meta.get("username") != username or meta.get("role") != role or meta.get("scope") != scope:
        raise Ditolak("Hasil pemeriksaan ini milik akun lain.")
    kanwil_of = _kanwil_per_upt(master_path)
    sekarang = (sekarang or dt.datetime.now()).astimezone()
    out = []
    for b in meta["berkas"]:
        nama = b["nama"]
        if b["status"] != "DITERIMA":
            why = {"IDENTIK": "tidak dikirim: sama persis dengan versi yang sudah diterima"}.get(
                b["status"], "tidak dikirim: file ini akan ditolak")
            out.append((nama, why, None))
            continue
        kanonik = nama_kanonik(nama, set(kanwil_of))
        kode = kanonik.split("_", 1)[0] if kanonik else None
        if not kanonik or kode != b["kode_upt"] or not upt_dalam_cakupan(role, scope, kode, kanwil_of):
            out.append((nama, "tidak dikirim: di luar cakupan akun ini", None))
            continue
        src = folder / b["blob"]
        data = src.read_bytes()
        if hashlib.sha256(data).hexdigest() != b["sha256"]:
            out.append((nama, "tidak dikirim: isi file berubah sejak diperiksa", None))
            continue
        target_dir = landing / kode
        target = target_dir / kanonik
        if landing.resolve() not in target.resolve().parents:
            out.append((nama, "tidak dikirim: lokasi tujuan tidak sah", None))
            continue
        target_dir.mkdir(parents=True, exist_ok=True)
        # The arrival record first: when the sensor sees the file, its arrival is already known.
        kedatangan.write_arrival(landing, b["sha256"], sekarang, username, "unggah", kanonik)
        fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".kirim-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        out.append((nama, "dikirim", f"{kode}/{kanonik}"))
    shutil.rmtree(folder, ignore_errors=True)  # one submission per check
    return out


def decode_unggahan(isi: list[str] | None, nama: list[str] | None, maks_byte: int = MAKS_BYTE) -> list[tuple[str, bytes]]:
    """dcc.Upload's data URLs -> (name, bytes); a file over the limit is refused before decoding."""
    out = []
    for c, n in zip(isi or [], nama or []):
        if not isinstance(c, str) or "," not in c:
            raise Ditolak(f"{_tampil(str(n))}: unggahan tidak terbaca")
        b64 = c.split(",", 1)[1]
        if len(b64) * 3 // 4 > maks_byte + 3:
            raise Ditolak(f"{_tampil(str(n))}: ukuran melebihi batas {maks_byte // (1024 * 1024)} MB per file")
        try:
            out.append((n, base64.b64decode(b64, validate=True)))
        except (binascii.Error, ValueError):
            raise Ditolak(f"{_tampil(str(n))}: unggahan tidak terbaca") from None
    return out


# ---------------------------------------------------------------------- display
def tabel_putusan(hasil: Hasil) -> pd.DataFrame:
    rows = [{"No": i, "File": n, "UPT": None, "Jenis": None, "Bulan": None, "Putusan": "DITOLAK", "Baris dibaca": None,
             "Baris dimuat": None, "Baris dikarantina": None, "Keterangan": why} for i, n, why in hasil.ditolak]
    for i, v in zip(hasil.nomor, hasil.putusan):
        putusan = v.status
        if v.status == "DITERIMA" and v.baris_karantina:
            putusan = "DITERIMA SEBAGIAN"
        ket = v.alasan if v.status in ("DITOLAK", "DIABAIKAN") else v.ringkasan()
        if v.kolom_tambahan:
            ket += f" (kolom tambahan diabaikan: {', '.join(v.kolom_tambahan)})"
        rows.append({"No": i, "File": v.nama_file, "UPT": v.kode_upt, "Jenis": v.jenis, "Bulan": v.bulan, "Putusan": putusan,
                     "Baris dibaca": v.baris_dibaca, "Baris dimuat": v.baris_dimuat,
                     "Baris dikarantina": v.baris_karantina, "Keterangan": ket})
    return pd.DataFrame(rows).sort_values("No", kind="stable") if rows else pd.DataFrame(rows)


def tabel_karantina(hasil: Hasil) -> pd.DataFrame:
    rows = [{"No": i, "File": v.nama_file, "Baris di lembar kerja": q.baris, "Kode": q.kode, "Alasan": q.alasan}
            for i, v in zip(hasil.nomor, hasil.putusan) for q in v.karantina]
    return pd.DataFrame(rows, columns=["No", "File", "Baris di lembar kerja", "Kode", "Alasan"])


def _sel(kolom: str, v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if kolom in ("Baris di lembar kerja", "No"):
        return int(v)  # as the spreadsheet numbers its rows: 1000, not 1.000
    if isinstance(v, (int, float)):
        return fmt.format_angka(v)
    return v


def _datatable(df: pd.DataFrame, id_: str, page_size: int = 15):
    return dash_table.DataTable(
        id=id_, columns=[{"name": c, "id": c} for c in df.columns],
        data=[{k: _sel(k, v) for k, v in r.items()} for r in df.to_dict("records")],
        page_size=page_size, sort_action="native", style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.85rem", "padding": "4px 8px", "textAlign": "left",
                    "whiteSpace": "normal", "height": "auto", "maxWidth": "520px"},
        style_header={"fontWeight": "600", "backgroundColor": "#eef2f7"},
        style_data_conditional=[
            {"if": {"filter_query": '{Putusan} = "DITOLAK"'}, "backgroundColor": "#fde2e1"},
            {"if": {"filter_query": '{Putusan} = "DITERIMA SEBAGIAN"'}, "backgroundColor": "#fff4d6"},
        ],
    )


def tampil_hasil(hasil: Hasil):
    putusan = tabel_putusan(hasil)
    karantina = tabel_karantina(hasil)
    dapat = sum(v.dapat_dikirim for v in hasil.putusan)
    bagian = [html.H6("Hasil pemeriksaan (tidak ada yang dimuat)", className="mt-3"),
              _datatable(putusan, "unggah-tabel-putusan")]
    if len(karantina):
        bagian += [html.H6(f"Baris yang akan dikarantina ({fmt.format_angka(len(karantina))})", className="mt-3"),
                   html.Div("Nomor baris seperti di lembar kerja: baris judul kolom = baris 1.",
                            className="small text-muted mb-1"),
                   _datatable(karantina, "unggah-tabel-karantina", page_size=20)]
    bagian.append(html.Div(
        f"{dapat} file dapat dikirim (diterima atau diterima sebagian). File yang ditolak tidak dikirim."
        if dapat else "Tidak ada file yang dapat dikirim: perbaiki file lalu periksa lagi.",
        className="small mt-2", id="unggah-ringkas"))
    return html.Div(bagian)


def tampilan(ctx: Konteks):
    p = ctx.pengguna
    cakupan = f"UPT {p.scope}" if p.role == "upt" else f"UPT di Kanwil {p.scope}"
    templat = [dbc.Button(f"Templat {k}", id={"type": "unduh", "tabel": f"templat_{k}"}, size="sm", color="secondary",
                          outline=True, className="me-2 mb-2", n_clicks=0) for k in KINDS]
    return html.Div([
        judul_halaman(JUDUL, f"Periksa laporan sebelum batas tanggal 10, lalu kirim ({cakupan})"),
        dbc.Card(dbc.CardBody([
            html.P([
                "Unggah satu atau beberapa file CSV/XLSX bernama ", html.Code("KODEUPT_jenis_YYYYMM.csv"),
                f" (paling besar {MAKS_BYTE // (1024 * 1024)} MB per file, {MAKS_FILE} file dan "
                f"{MAKS_TOTAL // (1024 * 1024)} MB sekali periksa). Pemeriksaan memakai aturan yang sama dengan "
                "muatan malam; tidak ada data yang dimuat sampai file dikirim."], className="small"),
            dcc.Upload(id="unggah-berkas", multiple=True, max_size=MAKS_BYTE, accept=".csv,.xlsx",
                       children=html.Div(["Tarik file ke sini atau ", html.A("pilih file")]),
                       className="kotak-unggah",
                       style={"borderWidth": "2px", "borderStyle": "dashed", "borderRadius": "6px",
                              "padding": "24px", "textAlign": "center", "cursor": "pointer"}),
            dcc.Loading(html.Div(id="unggah-hasil", className="mt-2"), type="default"),
            dcc.Store(id="unggah-token"),
            dbc.Button("Kirim", id="unggah-kirim", color="primary", className="mt-3", n_clicks=0, disabled=True),
            html.Div(id="unggah-pesan-kirim", className="mt-2"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H6("Templat dan petunjuk"),
            html.P("Templat XLSX per jenis laporan: judul kolom, keterangan tiap kolom (arahkan kursor ke judul "
                   "kolom), dan daftar pilihan kode yang sah. Dibuat dari spesifikasi yang sama dengan pemeriksaan.",
                   className="small"),
            html.Div(templat),
        ]), className="mb-3"),
    ])


def pesan_kirim(hasil: list[tuple[str, str, str | None]]):
    dikirim = [h for h in hasil if h[2]]
    items = [html.Li(f"{n}: {why}" + (f" → {p}" if p else "")) for n, why, p in hasil]
    warna = "success" if dikirim else "warning"
    judul = (f"{len(dikirim)} file dikirim ke folder pendaratan; muatan berikutnya akan memprosesnya."
             if dikirim else "Tidak ada file yang dikirim.")
    return dbc.Alert([html.Div(judul, className="fw-semibold"), html.Ul(items, className="mb-0 small")],
                     color=warna, id="unggah-hasil-kirim")


def galat(teks: str):
    return pesan_galat(teks, "warning")
