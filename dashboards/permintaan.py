"""The request bodies the browser posts to ``/_dash-update-component`` for the login form and a
page view, for scripted clients: the benchmarks (`make bench`), the access and concurrency tests,
and an operator's smoke check with curl. They follow the callbacks declared in dashboards/app.py."""

from __future__ import annotations


def masuk(username: str, password: str) -> dict:
    """The login form's submit (button click), as on /ringkasan."""
    return {
        "output": "..login-pesan.children...url-login.href..",
        "outputs": [{"id": "login-pesan", "property": "children"}, {"id": "url-login", "property": "href"}],
        "inputs": [{"id": "login-tombol", "property": "n_clicks", "value": 1},
                   {"id": "login-sandi", "property": "n_submit", "value": 0}],
        "state": [{"id": "login-nama", "property": "value", "value": username},
                  {"id": "login-sandi", "property": "value", "value": password},
                  {"id": "url-login", "property": "pathname", "value": "/ringkasan"},
                  {"id": "url-login", "property": "search", "value": ""}],
        "changedPropIds": ["login-tombol.n_clicks"],
    }


def halaman(pathname: str, nilai: dict) -> dict:
    """A page view or filter change: the page content callback with the page's filters ``nilai``."""
    return {"output": "konten.children", "outputs": {"id": "konten", "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                       {"id": "pilihan", "property": "data", "value": nilai}],
            "changedPropIds": ["pilihan.data"]}


def csrf_klien_uji(client, path: str = "/"):
    """Prepare a Flask test client like a browser: load a page (which sets the ``_csrf_token``
    cookie) and send that token as ``X-CSRFToken`` on every later request. Returns the client."""
    client.get(path)
    cookie = client.get_cookie("_csrf_token")
    client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value if cookie else ""
    return client


def csrf_requests(session, base_url: str):
    """The same for a ``requests.Session`` against a running server. Returns the session."""
    session.get(base_url.rstrip("/") + "/", timeout=60)
    session.headers["X-CSRFToken"] = session.cookies.get("_csrf_token", "")
    return session
