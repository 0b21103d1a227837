"""Access control, tried the way an attacker would: raw HTTP against the running Flask/Dash app.

Each role (ditjenpas, kanwil, upt) against every page and every download, with its own scope, with
another Kanwil and another UPT put into the filters (URL editing through the URL-sync callback,
and direct POSTs to /_dash-update-component); requests without a session; five wrong passwords.
The warehouse is the one the real pipeline published (tests/conftest.py).
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reliability import harness as H  # noqa: E402

from dashboards.permintaan import halaman, masuk  # noqa: E402

pytestmark = pytest.mark.slow

UPT_RE = re.compile(r"\bUPT\d{4}\b")
KW_RE = re.compile(r"\bKW\d{2}\b")


def _unduh(tabel, nilai):
    pid = {"tabel": tabel, "type": "unduh"}
    return {"output": "..unduhan.data...pesan-unduh.children..",
            "outputs": [{"id": "unduhan", "property": "data"}, {"id": "pesan-unduh", "property": "children"}],
            "inputs": [[{"id": pid, "property": "n_clicks", "value": 1}]],
            "state": [{"id": "pilihan", "property": "data", "value": nilai}],
            "changedPropIds": [json.dumps(pid, sort_keys=True, separators=(",", ":")) + ".n_clicks"]}


def _sinkron(app, search):
    """The URL-sync callback, as the browser sends it when the URL's query string is edited."""
    key = next(k for k in app.callback_map if k.startswith("..url.search"))
    cb = app.callback_map[key]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    inputs = [{"id": i["id"], "property": i["property"], "value": (search if i["id"] == "url" else None)}
              for i in cb["inputs"]]
    return {"output": key, "outputs": outputs, "inputs": inputs, "changedPropIds": ["url.search"]}


@pytest.fixture(scope="module")
def site(demo_pipeline, tmp_path_factory):
    from dashboards.app import create_app
    from dashboards.auth import add_account
    from dashboards.pages import HALAMAN, TABEL

    tmp = tmp_path_factory.mktemp("ops_access")
    con = duckdb.connect(str(demo_pipeline.warehouse), read_only=True)
    upts = con.execute("select kode_upt, kode_kanwil from dim_upt where kode_upt in "
                       "(select distinct kode_upt from mart_upt_bulanan) order by 1").fetchall()
    periode = con.execute("select max(periode) from dim_periode where jenis_periode = 'TRIWULAN'").fetchone()[0]
    con.close()
    kanwil = upts[0][1]
    own_upt = upts[0][0]
    foreign_upt = next(u for u, k in upts if k != kanwil)
    foreign_kanwil = next(k for _u, k in upts if k != kanwil)
    acc = tmp / "app.db"
    roles = {"pusat": ("ditjenpas", None), "kanwil": ("kanwil", kanwil), "upt": ("upt", own_upt)}
    for u, (role, scope) in roles.items():
        add_account(acc, u, f"sandi-{u}-panjang", role, scope)
    import os

    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-akses")
    app = create_app(demo_pipeline.warehouse, acc, tmp / "audit.log")
    in_kanwil = {u for u, k in upts if k == kanwil}
    return {"app": app, "roles": roles, "periode": periode, "kanwil": kanwil, "own_upt": own_upt,
            "foreign_upt": foreign_upt, "foreign_kanwil": foreign_kanwil, "in_kanwil": in_kanwil,
            "pages": [h.PATH for h in HALAMAN], "tables": list(TABEL) + ["laporan_kanwil", "laporan_upt", "laporan_kanwil_pdf", "laporan_upt_pdf"],
            "audit": tmp / "audit.log"}


def _client(site, user=None):
    c = site["app"].server.test_client()
    if user:
        r = c.post("/_dash-update-component", json=masuk(user, f"sandi-{user}-panjang"))
        assert r.status_code == 200 and r.get_json()["response"]["url-login"]["href"].startswith("/")
    return c


def _allowed_upts(site, user):
    return {"pusat": None, "kanwil": site["in_kanwil"], "upt": {site["own_upt"]}}[user]


def test_requests_without_a_session_are_refused(site):
    c = _client(site)
    n = 0
    for page in site["pages"]:
        r = c.post("/_dash-update-component", json=halaman(page, {"periode": site["periode"]}))
        assert r.status_code == 401 and "UPT" not in r.get_data(as_text=True)
        n += 1
    for t in site["tables"]:
        r = c.post("/_dash-update-component", json=_unduh(t, {"periode": site["periode"]}))
        assert r.status_code == 401
        n += 1
    r = c.post("/_dash-update-component", json=_sinkron(site["app"], "?kanwil=" + site["kanwil"]))
    assert r.status_code == 401
    for page in site["pages"]:  # a page URL without a session: the login form, no data
        body = c.get("/_dash-layout").get_data(as_text=True) + c.get(page).get_data(as_text=True)
        assert "login-nama" in body and not UPT_RE.search(body)
        n += 1
    # A forged cookie is not a session.
    c.set_cookie("monev_sesi", "eyJwZW5nZ3VuYSI6eyJ1IjoicHVzYXQiLCJyIjoiZGl0amVucGFzIn19.palsu.palsu")
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": site["periode"]}))
    assert r.status_code == 401
    H.record("access_anonymous", {"requests_refused": n + 2})


@pytest.mark.parametrize("user", ["pusat", "kanwil", "upt"])
def test_each_role_against_every_page_and_download(site, user):
    c = _client(site, user)
    allowed = _allowed_upts(site, user)
    per = site["periode"]
    tried = refused = 0
    scopes = {"sendiri": {"periode": per},
              "kanwil_lain": {"periode": per, "kanwil": site["foreign_kanwil"]},
              "upt_lain": {"periode": per, "upt": site["foreign_upt"]}}
    for label, nilai in scopes.items():
        foreign = label != "sendiri" and user != "pusat"
        for page in site["pages"]:
            r = c.post("/_dash-update-component", json=halaman(page, nilai))
            assert r.status_code == 200
            body = r.get_data(as_text=True)
            tried += 1
            assert "Traceback" not in body and "Kesalahan" not in body, (user, page, label)
            if foreign and "tidak berwenang" in body:
                refused += 1  # refused outright; otherwise the page shows nothing out of scope (checked below)
            if allowed is not None:  # the refused code itself may be echoed in the message
                echo = {site["foreign_upt"]} if foreign else set()
                seen = set(UPT_RE.findall(body)) - echo
                assert seen <= allowed, (user, page, label, sorted(seen - allowed)[:5])
                kws = set(KW_RE.findall(body)) - ({site["foreign_kanwil"]} if foreign else set())
                assert kws <= {site["kanwil"]}, (user, page, label, sorted(kws))
        for t in site["tables"]:
            r = c.post("/_dash-update-component", json=_unduh(t, nilai))
            assert r.status_code in (200, 204), (user, t, label, r.status_code)
            tried += 1
            resp = r.get_json()["response"] if r.status_code == 200 else {}
            data = (resp.get("unduhan") or {}).get("data")
            if foreign and not data:
                assert "berwenang" in json.dumps(resp.get("pesan-unduh", {})).lower(), (user, t)
                refused += 1
                continue
            # Otherwise (own scope, or a table that ignores the foreign filter, e.g. the Kanwil's own
            # comparison or the load history): nothing out of scope may be in it, checked below.
            if data is None:
                continue  # e.g. laporan_kanwil for a UPT user: refused or not applicable
            isi = base64.b64decode(data["content"])
            codes, kws = set(), set()
            if data.get("filename", "").endswith(".pdf"):  # the printable report: its text
                for pg in PdfReader(io.BytesIO(isi)).pages:
                    teks = pg.extract_text()
                    codes.update(UPT_RE.findall(teks))
                    kws.update(KW_RE.findall(teks))
            else:
                wb = openpyxl.load_workbook(io.BytesIO(isi), read_only=True)
                for ws in wb.worksheets:
                    for row in ws.iter_rows(values_only=True):
                        for v in row:
                            if isinstance(v, str):
                                codes.update(UPT_RE.findall(v))
                                kws.update(KW_RE.findall(v))
            if allowed is not None:
                # The filter line of the sheet echoes what the user asked for: not data.
                codes -= {site["foreign_upt"]} if foreign else set()
                kws -= {site["foreign_kanwil"]} if foreign else set()
                assert codes <= allowed, (user, t, label, sorted(codes - allowed)[:5])
                assert kws <= {site["kanwil"]}, (user, t, label, sorted(kws))
    # URL editing: the query string names another Kanwil / UPT.
    for q in (f"?kanwil={site['foreign_kanwil']}", f"?upt={site['foreign_upt']}",
              f"?upt={site['foreign_upt']}&kanwil={site['kanwil']}"):
        r = c.post("/_dash-update-component", json=_sinkron(site["app"], q))
        assert r.status_code == 200
        pilihan = r.get_json()["response"]["pilihan"]["data"]
        for page in site["pages"]:
            body = c.post("/_dash-update-component", json=halaman(page, pilihan)).get_data(as_text=True)
            tried += 1
            assert "Traceback" not in body and "Kesalahan" not in body
            if user != "pusat":
                refused += "tidak berwenang" in body
                seen = set(UPT_RE.findall(body)) - {site["foreign_upt"]}
                kws = set(KW_RE.findall(body)) - {site["foreign_kanwil"]}
                assert seen <= allowed and kws <= {site["kanwil"]}, (user, q, page, sorted(seen - allowed)[:5], kws)
    if user != "pusat":
        assert refused >= len(site["pages"]), "out-of-scope requests must be refused"
    H.record(f"access_{user}", {"requests": tried, "refused_out_of_scope": refused})


def test_five_wrong_passwords_lock_the_account(site):
    c = _client(site)
    msgs = []
    for _ in range(5):
        r = c.post("/_dash-update-component", json=masuk("kanwil", "salah-salah"))
        msgs.append(r.get_data(as_text=True))
    assert all("Berhasil" not in m for m in msgs)
    assert "terkunci" in msgs[-1].lower() and "terkunci" not in msgs[0].lower()
    r = c.post("/_dash-update-component", json=masuk("kanwil", "sandi-kanwil-panjang"))  # right password, locked
    body = r.get_data(as_text=True)
    assert "terkunci" in body.lower() and "url-login" not in json.dumps(r.get_json().get("response", {}).get("url-login", ""))
    r = c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": site["periode"]}))
    assert r.status_code == 401
    events = [json.loads(x)["event"] for x in site["audit"].read_text().splitlines()]
    assert "akun_terkunci" in events
    # Other accounts are not affected.
    _client(site, "upt")
    H.record("access_lockout", {"wrong_passwords": 5, "locked": True, "lock_minutes": 15,
                                "right_password_while_locked": "refused"})
