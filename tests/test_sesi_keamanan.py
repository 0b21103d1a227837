"""Sessions, throttling, CSRF and headers of the login layer, tried as an attacker and an operator
would (issue 13): raw HTTP against the app (Flask test client, and a real server for headers)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sys
import threading
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from dash_fixtures import build_warehouse  # noqa: E402
from pg_server import app_db, postgres_server  # noqa: E402,F401 (fixtures: SQLite and a real PostgreSQL)

from dashboards import appdb  # noqa: E402
from dashboards.app import create_app  # noqa: E402
from dashboards.auth import add_account, disable_account, reset_password, revoke_sessions  # noqa: E402
from dashboards.permintaan import csrf_klien_uji, csrf_requests, halaman, masuk  # noqa: E402

SANDI = "kata-sandi-kw01"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh_sesi") / "monev.duckdb")


@pytest.fixture()
def situs(wh, app_db, monkeypatch):
    monkeypatch.setenv("MONEV_SECRET_KEY", "uji-rahasia-sesi")
    db = app_db
    add_account(db, "kw01", SANDI, "kanwil", "KW01")
    add_account(db, "pusat", "kata-sandi-pusat", "ditjenpas")
    app = create_app(wh, db)
    return {"app": app, "db": db}


def klien(situs, ip="10.0.0.1", app=None):
    c = (app or situs["app"]).server.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    return csrf_klien_uji(c)


def login(c, user="kw01", sandi=SANDI):
    r = c.post("/_dash-update-component", json=masuk(user, sandi))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r


def halaman_ok(c) -> int:
    return c.post("/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"})).status_code


def _cookie(c) -> str:
    return c.get_cookie("monev_sesi").value


def test_the_cookie_carries_an_opaque_token_and_logout_ends_it(situs):
    c = klien(situs)
    r = login(c, "KW01")  # usernames are case-insensitive
    assert r.get_json()["response"]["url-login"]["href"] == "/ringkasan"
    assert halaman_ok(c) == 200
    saved = _cookie(c)
    payload = base64.urlsafe_b64decode(saved.split(".")[0] + "==").decode("latin-1")
    for leak in ("kw01", "KW01", "kanwil", "pengguna"):
        assert leak not in payload, payload
    c.get("/keluar")
    assert halaman_ok(c) == 401
    # The cookie saved before logout is worth nothing afterwards.
    c2 = klien(situs)
    c2.set_cookie("monev_sesi", saved)
    assert halaman_ok(c2) == 401
    layout = c2.get("/_dash-layout").get_data(as_text=True)
    assert "login-nama" in layout and "Kanwil Aceh" not in layout


@pytest.mark.parametrize("how", ["reset_password", "disable", "revoke"])
def test_operator_actions_end_live_sessions(situs, how):
    c = klien(situs)
    login(c)
    other = klien(situs, "10.0.0.2")
    login(other, "pusat", "kata-sandi-pusat")
    assert halaman_ok(c) == 200
    {"reset_password": lambda: reset_password(situs["db"], "kw01", "kata-sandi-baru-9"),
     "disable": lambda: disable_account(situs["db"], "kw01"),
     "revoke": lambda: revoke_sessions(situs["db"], "kw01")}[how]()
    assert halaman_ok(c) == 401
    assert halaman_ok(other) == 200  # other accounts keep their sessions
    r = c.post("/_dash-update-component", json=masuk("kw01", SANDI))
    body = r.get_data(as_text=True)
    if how == "revoke":
        assert "url-login" in json.dumps(r.get_json()["response"])  # logs in again
    else:
        assert "salah" in body and "/ringkasan" not in body


def test_expiry_is_absolute_not_sliding(situs):
    c = klien(situs)
    login(c)
    url = appdb.normalise_url(situs["db"])
    with appdb.session_scope(url) as s:
        row = s.query(appdb.Sesi).one()
        awal = row.kedaluwarsa
        assert dt.timedelta(hours=7, minutes=59) < awal - row.dibuat <= dt.timedelta(hours=8)
    for _ in range(3):
        assert halaman_ok(c) == 200
    with appdb.session_scope(url) as s:
        row = s.query(appdb.Sesi).one()
        assert row.kedaluwarsa == awal  # requests do not extend it
        row.kedaluwarsa = appdb.utcnow() - dt.timedelta(seconds=1)
    assert halaman_ok(c) == 401


def test_login_needs_the_csrf_token(situs):
    c = situs["app"].server.test_client()
    c.get("/")
    r = c.post("/_dash-update-component", json=masuk("kw01", SANDI))
    assert r.status_code == 400 and "Token" in r.get_json()["pesan"]
    c.environ_base["HTTP_X_CSRFTOKEN"] = "palsu"
    assert c.post("/_dash-update-component", json=masuk("kw01", SANDI)).status_code == 400
    csrf_klien_uji(c)
    login(c)
    assert halaman_ok(c) == 200
    # A logged-in callback without the token is refused as well.
    del c.environ_base["HTTP_X_CSRFTOKEN"]
    assert halaman_ok(c) == 400


def test_a_stranger_cannot_lock_the_owner_out(situs):
    stranger = klien(situs, "203.0.113.9")
    for i in range(8):
        r = stranger.post("/_dash-update-component", json=masuk("KW01" if i % 2 else "kw01", "tebakan-salah"))
        assert "url-login" not in json.dumps(r.get_json()["response"])
    assert "terkunci" in r.get_data(as_text=True).lower()
    owner = klien(situs, "10.0.0.1")
    login(owner)
    assert halaman_ok(owner) == 200


def test_login_attempts_are_throttled_per_address(situs, wh, tmp_path, monkeypatch):
    monkeypatch.setenv("MONEV_LOGIN_LIMIT", "4/minute")
    app = create_app(wh, situs["db"])
    c = klien(situs, "198.51.100.7", app)
    for u in ("a_1", "b_2", "c_3", "d_4"):  # four different usernames: the address is what counts
        assert "salah" in c.post("/_dash-update-component", json=masuk(u, "x-salah-x")).get_data(as_text=True)
    r = c.post("/_dash-update-component", json=masuk("kw01", SANDI))
    assert "Terlalu banyak" in r.get_data(as_text=True) and "url-login" not in json.dumps(r.get_json()["response"])
    other = klien(situs, "198.51.100.8", app)
    login(other)
    # A second app object (another worker) shares the counters through the app database.
    app2 = create_app(wh, situs["db"])
    c2 = klien(situs, "198.51.100.7", app2)
    assert "Terlalu banyak" in c2.post("/_dash-update-component", json=masuk("kw01", SANDI)).get_data(as_text=True)


def test_oversized_login_is_refused_unread_and_not_logged(situs):
    c = klien(situs)
    r = c.post("/_dash-update-component", json=masuk("u" * 2_000_000, "p" * 10))
    assert r.status_code == 413
    r = c.post("/_dash-update-component", json=masuk("u" * 20_000, "p" * 10))
    assert r.status_code == 200 and "salah" in r.get_data(as_text=True)
    rows = situs["app"].audit.baca()
    assert len(json.dumps(rows)) < 5_000 and all(x["username"] is None for x in rows)


def test_security_headers_on_a_real_server(situs):
    from werkzeug.serving import make_server

    from dashboards.app import PenangananTanpaVersi

    server = make_server("127.0.0.1", 0, situs["app"].server, threaded=True, request_handler=PenangananTanpaVersi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        s = csrf_requests(requests.Session(), base)
        for path in ("/", "/ringkasan", "/_dash-layout"):
            r = s.get(base + path, timeout=30)
            h = r.headers
            assert h["Server"] == "monev", h.get("Server")
            csp = h["Content-Security-Policy"]
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
            assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
            assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
            assert h["Cache-Control"] == "no-store"
        r = s.post(base + "/_dash-update-component", json=masuk("kw01", SANDI), timeout=30)
        cookie = r.headers.get("Set-Cookie", "")
        assert "monev_sesi=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert s.post(base + "/_dash-update-component", json=halaman("/ringkasan", {"periode": "2024Q3"}),
                      timeout=60).status_code == 200
    finally:
        server.shutdown()
