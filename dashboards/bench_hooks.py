"""Entry points for `make bench`: the page callbacks as the browser triggers them.

Each call renders one page for one user and one filter set through `render_halaman`, the plain
function behind the page callback (data access, figures and tables included), so the measured
latency is the server-side cost of a page view or filter change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboards.app import render_halaman
from dashboards.data import Gudang, Pengguna
from dashboards.pages import HALAMAN


def page_calls(serving: Path) -> dict[str, Callable[[], object]]:
    gudang = Gudang(serving)
    pusat = Pengguna("bench", "ditjenpas")
    upt = gudang.daftar_upt(pusat)
    kanwil = str(upt.kode_kanwil.iloc[0])
    satu_upt = str(upt.kode_upt.iloc[0])
    kanwil_user = Pengguna("bench-kanwil", "kanwil", kanwil)
    calls: dict[str, Callable[[], object]] = {}
    for h in HALAMAN:
        calls[f"{h.PATH} (ditjenpas)"] = lambda h=h: render_halaman(gudang, pusat, h.PATH, {"upt": satu_upt})
        calls[f"{h.PATH} (kanwil)"] = lambda h=h: render_halaman(gudang, kanwil_user, h.PATH, {"kanwil": kanwil})
    return calls
