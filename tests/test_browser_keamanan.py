"""In a real headless Chromium (issue 13): export text full of markup stays text in every page's
charts, tables and map, and no page reports a Content-Security-Policy violation.

The fixture warehouse (tests/dash_fixtures.py) gets hostile names: product names with links,
UPT and Kanwil names with styled spans, activity names and breakdown values with tags.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

from browser_support import ARGS, CHROMIUM, TIMEOUT, browser, served, sync_api  # noqa: E402,F401 (fixture: browser)

LINK = '<a href="https://evil.example/login">Klik verifikasi akun</a>'
SPAN = '<span style="font-size:90px;color:#ff0000">RUSAK</span>'
# Every element the markup could create: a link to the attacker, or the attacker's style.
# (plotly keeps the source text in a data-unformatted attribute: text, not markup.)
JAHAT_JS = """() => [...document.querySelectorAll('*')].filter(e =>
    [...e.attributes].some(a => (a.name.endsWith('href') && a.value.includes('evil.example'))
                               || (a.name === 'style' && a.value.includes('90px')))
    ).map(e => e.outerHTML.slice(0, 200))"""
CSP_JS = """() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""
PAGES = [("/ringkasan", ""), ("/perbandingan", ""), ("/upt", "?upt=UPT0001"), ("/sektor", ""), ("/pnbp", ""),
         ("/kualitas", ""), ("/upt", "?upt=UPT0004")]


def _hostile(wh: Path) -> None:
    con = duckdb.connect(str(wh))
    q = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731
    con.execute(f"update mart_produksi_ringkas set nama_produk = {q(LINK)} || ' ' || nama_produk")
    con.execute(f"update dim_upt set nama_upt = {q(SPAN)} || nama_upt, nama_kanwil = {q(LINK)} || nama_kanwil")
    con.execute(f"update dim_kanwil set nama_kanwil = {q(LINK)} || nama_kanwil")
    con.execute(f"update dim_kegiatan set nama_kegiatan = {q(SPAN)} || nama_kegiatan")
    con.execute(f"update kpi_rincian set nilai = {q(SPAN)} || nilai")
    con.close()


@pytest.fixture(scope="module")
def situs(tmp_path_factory):
    from dashboards.app import PenangananTanpaVersi, create_app
    from dashboards.auth import add_account

    tmp = tmp_path_factory.mktemp("browser_aman")
    wh = build_warehouse(tmp / "monev.duckdb")
    _hostile(wh)
    add_account(tmp / "app.db", "pusat", "sandi-pusat-uji", "ditjenpas")
    add_account(tmp / "app.db", "upt1", "sandi-upt1-uji", "upt", "UPT0001")
    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-browser-aman")
    app = create_app(wh, tmp / "app.db")
    with served(app.server, request_handler=PenangananTanpaVersi) as url:
        yield url


def _page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.add_init_script(CSP_JS)
    return ctx, page, console


def _login(page, base, user, sandi):
    page.goto(base + "/ringkasan")
    page.fill("#login-nama", user)
    page.fill("#login-sandi", sandi)
    page.click("#login-tombol")
    page.wait_for_selector("#info-pengguna")


def _show(page, base, path, query):
    page.goto(base + path + query)
    page.wait_for_selector("#konten .js-plotly-plot, #konten .dash-spreadsheet, #konten .card", state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("user,sandi,pages", [
    ("pusat", "sandi-pusat-uji", PAGES),
    ("upt1", "sandi-upt1-uji", [("/ringkasan", ""), ("/upt", ""), ("/unggah", "")]),
])
def test_markup_in_exports_stays_text_and_no_csp_violation(browser, situs, user, sandi, pages):
    ctx, page, console = _page(browser)
    try:
        page.goto(situs)  # the login page itself
        page.wait_for_selector("#login-tombol")
        _login(page, situs, user, sandi)
        seen_text = False
        for path, query in pages:
            _show(page, situs, path, query)
            bad = page.evaluate(JAHAT_JS)
            assert not bad, (path, bad[:3])
            # Hover every bar/cell/region text that plotly draws on hover as well.
            for el in page.query_selector_all("#konten .js-plotly-plot .point")[:4]:
                try:
                    el.hover(timeout=1000)
                except Exception:  # noqa: BLE001 - a point hidden under another is not hoverable
                    continue
                assert not page.evaluate(JAHAT_JS), path
            teks = page.evaluate("() => document.querySelector('#konten').textContent")
            seen_text = seen_text or "evil.example" in teks or "font-size:90px" in teks
            violations = page.evaluate("() => window.__csp")
            assert not violations, (path, violations)
        assert seen_text, "the hostile names must reach the pages (as text) for this test to mean anything"
        csp_console = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
        assert not csp_console, csp_console[:3]
    finally:
        ctx.close()


def test_downloads_work_under_the_csp(browser, situs, tmp_path):
    """dcc.Download saves through a blob: link; the CSP must not block it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    page.add_init_script(CSP_JS)
    try:
        _login(page, situs, "pusat", "sandi-pusat-uji")
        _show(page, situs, "/ringkasan", "")
        with page.expect_download(timeout=120_000) as info:
            page.click("#konten .tombol-unduh >> nth=0")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.suffix == ".xlsx" and path.stat().st_size > 1000
        assert not page.evaluate("() => window.__csp")
    finally:
        ctx.close()
