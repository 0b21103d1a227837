"""Entry points for `make bench`: page views as the browser requests them.

Each call is one real HTTP request of the page callback (``POST /_dash-update-component``, the
request a page view or a filter change sends) against the Flask/Dash app, signed in as a
Ditjenpas, a Kanwil or a UPT account: session check, publication pin, data access, figures,
tables and the JSON response are all inside the measured time. Only the network is not.

``cold`` empties the app's query cache before every request, which is the first view of a page
after a publication; ``warm`` repeats the request with the cache filled, which is every later
view of the same page and filters until the next publication.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboards.auth import add_account
from dashboards.data import Gudang, Pengguna
from dashboards.pages import HALAMAN
from dashboards.permintaan import halaman, masuk


@dataclass
class SitusBench:
    gudang: Gudang
    calls: dict[str, Callable[[], int]]  # "page (role)" -> one request, returns the response size in bytes
    tmp: tempfile.TemporaryDirectory


def situs(serving: Path) -> SitusBench:
    """The app on the published warehouse ``serving``, three signed-in clients, one call per page and role."""
    from dashboards.app import create_app

    tmp = tempfile.TemporaryDirectory(prefix="monev-bench-")
    base = Path(tmp.name)
    probe = Gudang(serving)
    pusat = Pengguna("bench", "ditjenpas")
    upt = probe.daftar_upt(pusat)
    periode = probe.periode_terbaru(pusat)
    probe.close()
    kanwil = str(upt.kode_kanwil.iloc[0])
    satu_upt = str(upt[upt.kode_kanwil == kanwil].kode_upt.iloc[0])
    accounts = base / "app.db"
    # What each account looks at: Ditjenpas the nation, a Kanwil its own region; on Profil UPT a unit.
    akun = {"ditjenpas": ("ditjenpas", None, {}),
            "kanwil": ("kanwil", kanwil, {"kanwil": kanwil}),
            "upt": ("upt", satu_upt, {})}
    for nama, (role, scope, _) in akun.items():
        add_account(accounts, f"bench-{nama}", f"sandi-bench-{nama}-panjang", role, scope)
    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-bench-lokal")
    app = create_app(serving, accounts, base / "audit.log")
    calls: dict[str, Callable[[], int]] = {}
    for nama, (_role, _scope, filter_) in akun.items():
        client = app.server.test_client()
        r = client.post("/_dash-update-component", json=masuk(f"bench-{nama}", f"sandi-bench-{nama}-panjang"))
        if r.status_code != 200 or "url-login" not in r.get_json().get("response", {}):
            raise RuntimeError(f"bench login as {nama} failed: {r.status_code}")
        for h in HALAMAN:
            if nama == "upt" and h.PATH not in ("/upt", "/pnbp", "/kualitas"):
                continue  # a UPT account's own pages; the others are the same queries at a smaller scope
            unit = {"upt": satu_upt} if h.PATH == "/upt" else {}
            body = halaman(h.PATH, {"periode": periode, **filter_, **unit})

            def call(client=client, body=body, path=h.PATH) -> int:
                r = client.post("/_dash-update-component", json=body)
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code}")
                return len(r.get_data())

            calls[f"{h.PATH} ({nama})"] = call
    return SitusBench(app.gudang, calls, tmp)
