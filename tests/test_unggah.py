"""The "Unggah & periksa" page through HTTP, as the browser calls it: check, submit, scope, audit.

A UPT account submits only for itself (by name, by content, by path tricks), a Kanwil account for
its own UPTs; Ditjenpas does not upload; every upload and submission is in the audit log; a
submitted file lands as <landing>/<KODE_UPT>/<canonical name> with its arrival record.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from dashboards.permintaan import halaman, masuk

ROOT = Path(__file__).resolve().parents[1]
KEG = ("kode_kegiatan,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap\n"
       "K1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN\n"
       "K2,Bata,PRODUKSI,INDUSTRI,BAHAN_BANGUNAN,2024-01-01,ENTAH\n")


def _kanwil_of(kode: str) -> str:
    import csv

    with open(ROOT / "seeds" / "upt_master.csv", encoding="utf-8") as fh:
        return {r["kode_upt"]: r["kode_kanwil"] for r in csv.DictReader(fh)}[kode]


@pytest.fixture
def site(tmp_path):
    from dashboards.app import create_app
    from dashboards.auth import add_account

    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-unggah")
    acc = tmp_path / "app.db"
    kw = _kanwil_of("UPT0001")
    add_account(acc, "op_upt1", "sandi-op_upt1-panjang", "upt", "UPT0001")
    add_account(acc, "op_upt2", "sandi-op_upt2-panjang", "upt", "UPT0002")
    add_account(acc, "op_kanwil", "sandi-op_kanwil-panjang", "kanwil", kw)
    add_account(acc, "pusat", "sandi-pusat-panjang", "ditjenpas", None)
    landing = tmp_path / "landing"
    app = create_app(tmp_path / "wh" / "monev.duckdb", acc, tmp_path / "audit.log", landing_path=landing)
    return {"app": app, "landing": landing, "audit": tmp_path / "audit.log", "kanwil": kw}


def _client(site, user):
    c = site["app"].server.test_client()
    r = c.post("/_dash-update-component", json=masuk(user, f"sandi-{user}-panjang"))
    assert r.status_code == 200
    return c


def _body(app, output_start, inputs, state, changed):
    key = next(k for k in app.callback_map if k.startswith(output_start))
    outputs = []
    for part in key.strip(".").split("..."):
        ident, prop = part.split(".", 1)
        outputs.append({"id": ident, "property": prop})
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": state, "changedPropIds": [changed]}


def _unggah(site, client, files: list[tuple[str, bytes]]):
    isi = ["data:application/octet-stream;base64," + base64.b64encode(b).decode() for _n, b in files]
    body = _body(site["app"], "..unggah-hasil.children",
                 [{"id": "unggah-berkas", "property": "contents", "value": isi}],
                 [{"id": "unggah-berkas", "property": "filename", "value": [n for n, _b in files]}],
                 "unggah-berkas.contents")
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()["response"]


def _kirim(site, client, token):
    body = _body(site["app"], "..unggah-pesan-kirim.children",
                 [{"id": "unggah-kirim", "property": "n_clicks", "value": 1}],
                 [{"id": "unggah-token", "property": "data", "value": token}], "unggah-kirim.n_clicks")
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    return json.dumps(r.get_json()["response"])


def _tabel(response, table_id):
    """The rows of a DataTable with this id anywhere in the callback's response."""
    found = []

    def walk(x):
        if isinstance(x, dict):
            if x.get("props", {}).get("id") == table_id:
                found.append(x["props"]["data"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(response)
    return found[0] if found else []


def _landed(landing: Path) -> list[str]:
    return sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(landing).parts))


def _audit(site):
    return [json.loads(x) for x in site["audit"].read_text(encoding="utf-8").splitlines()]


def test_check_then_submit_lands_the_canonical_file_with_its_arrival_record(site):
    c = _client(site, "op_upt1")
    data = KEG.encode()
    resp = _unggah(site, c, [("upt0001_KEGIATAN_202401.CSV", data)])
    rows = _tabel(resp, "unggah-tabel-putusan")
    assert [(r["Putusan"], r["UPT"], r["Jenis"]) for r in rows] == [("DITERIMA SEBAGIAN", "UPT0001", "kegiatan")]
    assert [(r["Baris di lembar kerja"], r["Kode"]) for r in _tabel(resp, "unggah-tabel-karantina")] == [(3, "INVALID_ENUM")]
    assert _landed(site["landing"]) == []  # checking loads and lands nothing
    token = resp["unggah-token"]["data"]
    assert resp["unggah-kirim"]["disabled"] is False
    before = dt.datetime.now().astimezone()
    out = _kirim(site, c, token)
    assert "1 file dikirim" in out
    assert _landed(site["landing"]) == ["UPT0001/UPT0001_kegiatan_202401.csv"]
    assert (site["landing"] / "UPT0001/UPT0001_kegiatan_202401.csv").read_bytes() == data
    sha = hashlib.sha256(data).hexdigest()
    record = json.loads((site["landing"] / ".kedatangan" / f"{sha}.json").read_text(encoding="utf-8"))
    assert (record["sha256"], record["akun"], record["sumber"]) == (sha, "op_upt1", "unggah")
    assert dt.datetime.fromisoformat(record["diterima"]) >= before.replace(microsecond=0)
    # the check is single-use: the same token cannot land the file twice
    assert "kedaluwarsa" in _kirim(site, c, token)
    events = [(e["event"], e["username"]) for e in _audit(site) if e["event"].startswith(("unggah", "kirim"))]
    assert ("unggah", "op_upt1") in events and ("kirim", "op_upt1") in events
    up = next(e for e in _audit(site) if e["event"] == "unggah")
    assert up["file"][0]["sha256"] == sha and up["file"][0]["putusan"] == "DITERIMA"
    # the loader takes the arrival record: received_at = upload time, submitted_by = the account
    import duckdb

    from dagster_project.ingest.loader import ingest

    work = site["landing"].parent / "w.duckdb"
    ingest(work, site["landing"], ROOT / "seeds" / "upt_master.csv", site["landing"].parent / "sc", pseudonym=b"k")
    con = duckdb.connect(str(work), read_only=True)
    got = con.execute("select path, submitted_by, received_at from meta.file_registry").fetchall()
    con.close()
    assert [(p, by) for p, by, _t in got] == [("UPT0001/UPT0001_kegiatan_202401.csv", "op_upt1")]
    assert got[0][2] == dt.datetime.fromisoformat(record["diterima"]).astimezone().replace(tzinfo=None)


def test_a_upt_cannot_check_or_submit_for_another_upt_by_name(site):
    c = _client(site, "op_upt2")
    resp = _unggah(site, c, [("UPT0001_kegiatan_202401.csv", KEG.encode())])
    (row,) = _tabel(resp, "unggah-tabel-putusan")
    assert row["Putusan"] == "DITOLAK" and "tidak berwenang" in row["Keterangan"] and "UPT0001" in row["Keterangan"]
    assert resp["unggah-kirim"]["disabled"] is True and not resp["unggah-token"]["data"]
    assert _landed(site["landing"]) == []
    assert any(e["event"] == "unggah_ditolak" and e["username"] == "op_upt2" for e in _audit(site))


def test_a_upt_cannot_submit_another_upts_content_under_its_own_name(site):
    c = _client(site, "op_upt2")
    text = "kode_upt," + KEG.replace("\nK1", "\nUPT0001,K1").replace("\nK2", "\nUPT0001,K2")
    resp = _unggah(site, c, [("UPT0002_kegiatan_202401.csv", text.encode())])
    (row,) = _tabel(resp, "unggah-tabel-putusan")
    assert row["Putusan"] == "DITOLAK" and "kode_upt" in row["Keterangan"]
    assert resp["unggah-kirim"]["disabled"] is True
    out = _kirim(site, c, resp["unggah-token"]["data"])  # a forced click still lands nothing
    assert "Tidak ada file yang dikirim" in out
    assert _landed(site["landing"]) == []


@pytest.mark.parametrize("name", [
    "../UPT0001_kegiatan_202401.csv",
    "UPT0001/../../UPT0001_kegiatan_202401.csv",
    "/etc/UPT0001_kegiatan_202401.csv",
    "..\\UPT0001_kegiatan_202401.csv",
    "UPT0001_kegiatan_202401.csv\x00.txt",
    ".UPT0001_kegiatan_202401.csv",
    "UPT0001_kegiatan_202401\u200b.csv",       # zero-width space
    "UPT\uff10\uff10\uff10\uff11_kegiatan_202401.csv",  # fullwidth digits
    "UPT0001_kegiatan_202401.c\u0073\u0301v",  # a combining accent (not NFC)
])
def test_path_tricks_are_refused_and_nothing_is_written(site, name):
    c = _client(site, "op_upt1")
    resp = _unggah(site, c, [(name, KEG.encode())])
    (row,) = _tabel(resp, "unggah-tabel-putusan")
    assert row["Putusan"] == "DITOLAK"
    assert resp["unggah-kirim"]["disabled"] is True
    assert _landed(site["landing"]) == []
    assert not list(site["landing"].parent.glob("*.csv")) and not (site["landing"].parent / "etc").exists()


def test_a_token_of_another_account_is_refused(site):
    c1 = _client(site, "op_upt1")
    token = _unggah(site, c1, [("UPT0001_kegiatan_202401.csv", KEG.encode())])["unggah-token"]["data"]
    c2 = _client(site, "op_upt2")
    assert "milik akun lain" in _kirim(site, c2, token)
    assert "Periksa file terlebih dahulu" in _kirim(site, c2, "../../etc")
    assert _landed(site["landing"]) == []


def test_a_kanwil_submits_for_its_upts_only(site):
    import csv

    with open(ROOT / "seeds" / "upt_master.csv", encoding="utf-8") as fh:
        master = list(csv.DictReader(fh))
    own = next(r["kode_upt"] for r in master if r["kode_kanwil"] == site["kanwil"] and r["kode_upt"] != "UPT0001")
    foreign = next(r["kode_upt"] for r in master if r["kode_kanwil"] != site["kanwil"])
    c = _client(site, "op_kanwil")
    resp = _unggah(site, c, [(f"{own}_kegiatan_202401.csv", KEG.encode()),
                             (f"{foreign}_kegiatan_202401.csv", KEG.encode())])
    rows = {r["File"]: r for r in _tabel(resp, "unggah-tabel-putusan")}
    assert rows[f"{own}_kegiatan_202401.csv"]["Putusan"] == "DITERIMA SEBAGIAN"
    assert rows[f"{foreign}_kegiatan_202401.csv"]["Putusan"] == "DITOLAK"
    _kirim(site, c, resp["unggah-token"]["data"])
    assert _landed(site["landing"]) == [f"{own}/{own}_kegiatan_202401.csv"]


def test_ditjenpas_has_no_upload_page(site):
    c = _client(site, "pusat")
    body = c.post("/_dash-update-component", json=halaman("/unggah", {})).get_data(as_text=True)
    assert "tidak berwenang" in body.lower() and "unggah-berkas" not in body
    resp = _unggah(site, c, [("UPT0001_kegiatan_202401.csv", KEG.encode())])
    assert "Hanya akun UPT dan Kanwil" in json.dumps(resp)
    assert _landed(site["landing"]) == []


def test_size_limit_is_enforced_on_the_server(site, monkeypatch):
    from dashboards.pages import unggah

    monkeypatch.setattr(unggah, "MAKS_BYTE", 100)
    c = _client(site, "op_upt1")
    resp = _unggah(site, c, [("UPT0001_kegiatan_202401.csv", KEG.encode() + b"#" * 200)])
    assert "melebihi batas" in json.dumps(resp)
    assert any(e["event"] == "unggah_ditolak" for e in _audit(site))


def test_upt_sees_the_page_and_templates_download(site):
    c = _client(site, "op_upt1")
    body = c.post("/_dash-update-component", json=halaman("/unggah", {})).get_data(as_text=True)
    assert "unggah-berkas" in body and "templat_pnbp" in body
    pid = {"tabel": "templat_peserta", "type": "unduh"}
    r = c.post("/_dash-update-component", json={
        "output": "..unduhan.data...pesan-unduh.children..",
        "outputs": [{"id": "unduhan", "property": "data"}, {"id": "pesan-unduh", "property": "children"}],
        "inputs": [[{"id": pid, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "pilihan", "property": "data", "value": {}}],
        "changedPropIds": [json.dumps(pid, sort_keys=True, separators=(",", ":")) + ".n_clicks"]})
    assert r.status_code == 200
    data = r.get_json()["response"]["unduhan"]["data"]
    assert data["filename"] == "templat_peserta.xlsx" and base64.b64decode(data["content"])[:2] == b"PK"
