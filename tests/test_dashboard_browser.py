"""The dashboards in a real headless Chromium (playwright, Debian's /usr/bin/chromium).

The app runs in a thread on a free loopback port against the fixture warehouse, or against
the warehouse named by ``MONEV_TEST_WAREHOUSE`` (e.g. one produced by the real pipeline).
Demo accounts (ditjenpas, one Kanwil, one UPT) are created from that warehouse's data.
Screenshots of every page go to reports/screenshots/<page>.png (git-ignored).
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse  # noqa: E402

from dashboards.fmt import label_periode  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

from browser_support import ARGS, CHROMIUM, TIMEOUT, browser, served, sync_api  # noqa: E402,F401 (fixture: browser)
SCREENSHOTS = Path(__file__).resolve().parents[1] / "reports" / "screenshots"


@pytest.fixture(scope="module")
def situs(tmp_path_factory, request):
    """Start the app; yield (base url, accounts {role: (username, password, scope)}, foreign UPT).

    The warehouse is the one the real pipeline published from generated demo exports
    (tests/conftest.py), unless MONEV_TEST_WAREHOUSE names another.
    """
    from dashboards.app import create_app
    from dashboards.auth import ensure_demo_accounts
    from dashboards.data import Gudang, Pengguna

    tmp = tmp_path_factory.mktemp("browser")
    # the demo pipeline only runs when no warehouse is named (it takes minutes)
    wh = (Path(os.environ["MONEV_TEST_WAREHOUSE"]) if os.environ.get("MONEV_TEST_WAREHOUSE")
          else request.getfixturevalue("demo_pipeline").warehouse)
    akun = ensure_demo_accounts(tmp / "app.db", wh)
    per_peran = {a["role"]: (u, a["password"], a["scope"]) for u, a in akun.items()}
    g = Gudang(wh)
    pusat = Pengguna("uji", "ditjenpas")
    upt = g.daftar_upt(pusat)
    kanwil = per_peran["kanwil"][2]
    asing = upt[upt.kode_kanwil != kanwil].iloc[0]
    triwulan = list(g.daftar_periode(pusat, "TRIWULAN").periode[:2])
    assert len(triwulan) == 2, "the browser tests need two quarters of data"
    provinsi = g.daftar_kanwil(pusat).set_index("kode_kanwil").provinsi.to_dict()
    g.close()

    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-browser")
    app = create_app(wh, tmp / "app.db", tmp / "audit.log")
    with served(app.server) as url:
        yield {"url": url, "akun": per_peran, "asing": asing, "triwulan": triwulan, "provinsi": provinsi,
               "audit": tmp / "audit.log", "upt_kanwil": set(upt[upt.kode_kanwil == kanwil].kode_upt), "wh": wh}


@pytest.fixture()
def halaman(browser, situs):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    luar = []
    page.on("request", lambda r: luar.append(r.url) if not r.url.startswith((situs["url"], "data:", "blob:")) else None)
    yield page
    context.close()
    assert not luar, f"permintaan ke luar (harus luring): {luar[:3]}"


def masuk(page, situs, peran: str, path: str = "/ringkasan"):
    username, password, _ = situs["akun"][peran]
    page.goto(situs["url"] + path)
    page.fill("#login-nama", username)
    page.fill("#login-sandi", password)
    page.click("#login-tombol")
    page.wait_for_selector("#info-pengguna")
    assert username in page.inner_text("#info-pengguna")


def tunggu_halaman(page, selector: str):
    page.wait_for_selector(f"{selector} .js-plotly-plot, {selector}.js-plotly-plot, {selector} .dash-spreadsheet, {selector} .card",
                           state="attached")
    page.wait_for_load_state("networkidle")
    teks = page.inner_text("#konten")
    assert "Kesalahan" not in teks and "Traceback" not in teks
    return teks


HALAMAN = [
    ("ringkasan", "/ringkasan", "#kartu-utama"),
    ("perbandingan", "/perbandingan", "#grafik-heatmap"),
    ("profil_upt", "/upt", "#kartu-upt"),
    ("sektor", "/sektor", "#grafik-treemap"),
    ("pnbp", "/pnbp", "#grafik-pnbp-bulanan"),
    ("kualitas", "/kualitas", "#grafik-kelengkapan"),
]


def test_anonymous_requests_are_refused(halaman, situs):
    r = halaman.request.post(situs["url"] + "/_dash-update-component", data={
        "output": "konten.children", "outputs": {"id": "konten", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/ringkasan"},
                   {"id": "pilihan", "property": "data", "value": {"periode": situs["triwulan"][0]}}],
        "changedPropIds": ["pilihan.data"]})
    assert r.status == 401
    halaman.goto(situs["url"] + "/ringkasan")
    halaman.wait_for_selector("#login-tombol")
    assert halaman.locator("#konten").count() == 0


def test_wrong_password_is_refused_and_logged(halaman, situs):
    halaman.goto(situs["url"] + "/")
    halaman.fill("#login-nama", situs["akun"]["ditjenpas"][0])
    halaman.fill("#login-sandi", "bukan-kata-sandinya")
    halaman.click("#login-tombol")
    halaman.wait_for_selector("#login-galat")
    assert "salah" in halaman.inner_text("#login-galat")
    assert '"login_gagal"' in situs["audit"].read_text()


def test_ditjenpas_sees_every_page_with_data(halaman, situs):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    masuk(halaman, situs, "ditjenpas")
    upt = situs["asing"].kode_upt
    for nama, path, selector in HALAMAN:
        halaman.goto(situs["url"] + path + (f"?upt={upt}" if nama == "profil_upt" else ""))
        teks = tunggu_halaman(halaman, selector)
        assert "Tidak ada data untuk grafik ini" not in halaman.inner_text(selector) if nama != "profil_upt" else True
        assert len(teks) > 200, nama
        halaman.screenshot(path=str(SCREENSHOTS / f"{nama}.png"), full_page=True)


def _peta_siap(page) -> dict:
    """Wait until the Ringkasan map (maplibre, WebGL) has drawn; return the map element's box on screen."""
    page.wait_for_selector("#grafik-peta .maplibregl-map canvas")
    page.wait_for_function("""() => { const g = document.querySelector('#grafik-peta .js-plotly-plot');
        const s = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot;
        return s && s.map && s.map.loaded(); }""")
    assert "WebGL" not in page.inner_text("#grafik-peta")
    peta = page.locator("#grafik-peta .maplibregl-map")
    peta.scroll_into_view_if_needed()
    return peta.bounding_box()


def _piksel(box: dict, lon: float, lat: float) -> tuple[float, float]:
    """Screen position of (lon, lat) on the map (web mercator around the figure's centre and zoom)."""
    from dashboards.pages.ringkasan import PUSAT_PETA, ZOOM_PETA

    lebar = 512 * 2 ** ZOOM_PETA
    merc = lambda la: math.log(math.tan(math.pi / 4 + math.radians(la) / 2))  # noqa: E731
    x = (lon - PUSAT_PETA["lon"]) / 360 * lebar
    y = -(merc(lat) - merc(PUSAT_PETA["lat"])) / (2 * math.pi) * lebar
    return box["x"] + box["width"] / 2 + x, box["y"] + box["height"] / 2 + y


def test_ringkasan_map_is_drawn_offline_with_indonesian_hover(halaman, situs):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    semua = []  # every request of the context (workers included), not only the page's
    halaman.context.on("request", lambda r: semua.append(r.url))
    masuk(halaman, situs, "ditjenpas", "/ringkasan?indikator=kepatuhan_litmas_h7")
    tunggu_halaman(halaman, "#grafik-peta")
    box = _peta_siap(halaman)
    # The map shows the Kanwil that have a value in the ranked chart below it, each on its own province.
    peta = halaman.evaluate("() => document.querySelector('#grafik-peta .js-plotly-plot').data[0]")
    bar = halaman.evaluate("() => document.querySelector('#grafik-peringkat .js-plotly-plot').data[0]")
    assert sorted(n for n, t in zip(bar["y"], bar["text"]) if t != "–") == sorted(c[0] for c in peta["customdata"])
    assert set(peta["locations"]) <= set(situs["provinsi"].values()) and "Aceh" in peta["locations"]
    # Hover over Aceh (Takengon, inland): the Kanwil's name and the rate written the Indonesian way.
    halaman.mouse.move(*_piksel(box, 96.84, 4.62))
    halaman.wait_for_function("""() => { const h = document.querySelector('#grafik-peta .hovertext');
        return h && h.textContent.includes('Aceh'); }""")
    teks = halaman.locator("#grafik-peta .hovertext").text_content()
    assert re.search(r"Kanwil .*Aceh.*Kepatuhan Litmas H\+7: \d{1,3},\d%$", teks), teks
    halaman.locator("#grafik-peta").screenshot(path=str(SCREENSHOTS / "ringkasan_peta.png"))
    # A Kanwil account: only its own province carries a value.
    halaman.click("#tombol-keluar")
    halaman.wait_for_selector("#login-tombol")
    masuk(halaman, situs, "kanwil")
    tunggu_halaman(halaman, "#grafik-peta")
    _peta_siap(halaman)
    kanwil = halaman.evaluate("() => document.querySelector('#grafik-peta .js-plotly-plot').data[0].locations")
    assert kanwil == [situs["provinsi"][situs["akun"]["kanwil"][2]]]
    luar = [u for u in semua if not u.startswith((situs["url"] + "/", "data:", "blob:"))]
    assert not luar, f"permintaan ke luar (harus luring): {luar[:3]}"


def test_filter_change_updates_figures_and_url(halaman, situs):
    baru, lama = situs["triwulan"]
    masuk(halaman, situs, "ditjenpas", f"/ringkasan?periode={baru}")
    tunggu_halaman(halaman, "#kartu-utama")
    sebelum = halaman.inner_text("#kartu-pendapatan")
    judul_lama = label_periode(lama)
    halaman.click("#f-periode")
    halaman.get_by_role("option", name=judul_lama, exact=True).click()
    halaman.wait_for_url(f"**periode={lama}**")
    # The page is re-rendered for the new period: its heading names it and the figures differ.
    halaman.wait_for_function(
        """([judul, t]) => {
            const h = document.querySelector('.judul-halaman');
            const k = document.querySelector('#kartu-pendapatan');
            return h && k && h.innerText.includes(judul) && k.innerText !== t;
        }""", arg=[judul_lama, sebelum])
    assert halaman.inner_text("#kartu-pendapatan") != sebelum
    # The URL is shareable: opening it again restores the filter.
    halaman.goto(halaman.url)
    halaman.wait_for_function("(j) => { const h = document.querySelector('.judul-halaman'); return h && h.innerText.includes(j); }",
                              arg=judul_lama)
    tunggu_halaman(halaman, "#kartu-utama")
    assert judul_lama in halaman.inner_text("#f-periode")
    assert halaman.inner_text("#kartu-pendapatan") != sebelum


def test_excel_download_opens(halaman, situs, tmp_path):
    masuk(halaman, situs, "ditjenpas")
    tunggu_halaman(halaman, "#kartu-utama")
    with halaman.expect_download() as info:
        halaman.click("#blok-ringkasan_indikator .tombol-unduh")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx" and path.stat().st_size > 1000
    wb = openpyxl.load_workbook(path)
    assert wb.worksheets[0].max_row > 5
    assert '"unduh"' in situs["audit"].read_text()


def test_kanwil_report_and_scope(halaman, situs, tmp_path):
    masuk(halaman, situs, "kanwil", "/perbandingan")
    tunggu_halaman(halaman, "#grafik-heatmap")
    teks = halaman.inner_text("#konten")
    asing = situs["asing"]
    assert asing.nama_upt not in teks and asing.kode_upt not in teks
    with halaman.expect_download() as info:
        halaman.click("text=Unduh laporan monev Kanwil")
    data = Path(info.value.path()).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert {"Ringkasan", "Peringkat UPT", "PNBP per UPT", "Kualitas Data"} <= set(wb.sheetnames)
    isi = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert asing.kode_upt not in isi
    # The same report as PDF, for printing.
    with halaman.expect_download() as info:
        halaman.click("#konten button:text-is('PDF')")
    assert info.value.suggested_filename.endswith(".pdf")
    pdf = Path(info.value.path()).read_bytes()
    teks = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
    assert "Laporan Monev Kemandirian" in teks and "Peringkat UPT" in teks and asing.kode_upt not in teks
    # The UPT filter offers only this Kanwil's UPTs.
    halaman.click("#f-upt")
    opsi = halaman.get_by_role("option").all_inner_texts()
    assert opsi and all(any(k in o for k in situs["upt_kanwil"]) for o in opsi)


def test_kanwil_cannot_open_another_kanwils_upt_by_url(halaman, situs):
    asing = situs["asing"]
    masuk(halaman, situs, "kanwil", f"/upt?upt={asing.kode_upt}")
    halaman.wait_for_selector(".pesan-galat")
    teks = halaman.inner_text("#konten")
    assert "tidak berwenang" in teks.lower()
    assert asing.nama_upt not in teks
    halaman.goto(situs["url"] + f"/ringkasan?kanwil={asing.kode_kanwil}")
    halaman.wait_for_selector(".pesan-galat")
    assert "tidak berwenang" in halaman.inner_text("#konten").lower()
    assert '"akses_ditolak"' in situs["audit"].read_text()


def test_upt_account_sees_itself(halaman, situs):
    _, _, kode = situs["akun"]["upt"]
    masuk(halaman, situs, "upt", "/upt")
    teks = tunggu_halaman(halaman, "#kartu-upt")
    assert kode in teks
    halaman.goto(situs["url"] + "/ringkasan")
    tunggu_halaman(halaman, "#kartu-utama")
    halaman.click("#tombol-keluar")
    halaman.wait_for_selector("#login-tombol")


def test_not_reported_is_shown_as_belum_melapor_with_coverage(halaman, situs):
    """KPI_DICTIONARY v2 on the demo (a national master, a few UPTs with data): the national page says
    how many UPTs its figures come from and that the last quarter is provisional; a UPT of the master
    that sent nothing reads "belum melapor" and gets no revenue chart drawn on invented axes."""
    from dashboards.data import Gudang, Pengguna, Pilihan

    g = Gudang(situs["wh"])
    pusat = Pengguna("uji", "ditjenpas")
    periode = g.daftar_periode(pusat, "TRIWULAN").periode.iloc[0]
    upt = g.indikator_upt(pusat, Pilihan(), periode)
    diam = upt[upt.file_diterima == 0]
    g.close()
    masuk(halaman, situs, "ditjenpas", f"/ringkasan?periode={periode}")
    teks = tunggu_halaman(halaman, "#kartu-utama")
    m = re.search(r"Dihitung dari ([\d.]+) dari ([\d.]+) UPT", teks)
    assert m, teks[:500]
    assert int(m.group(1).replace(".", "")) == len(upt) - len(diam)
    assert int(m.group(2).replace(".", "")) == len(upt)
    assert "Angka sementara" in teks  # the last quarter of the demo: its deposits come with later files
    if len(diam):
        kode = diam.kode_upt.iloc[0]
        halaman.goto(situs["url"] + f"/ringkasan?upt={kode}&periode={periode}")
        teks = tunggu_halaman(halaman, "#kartu-utama")
        assert "belum melapor" in teks
        assert "Rp -1" not in teks
        halaman.screenshot(path=str(SCREENSHOTS / "belum_melapor.png"), full_page=True)


# ---------------------------------------------------------------------- issue 15: every page, role and width
import layout_checks as LC  # noqa: E402


def _konteks(browser, lebar: int):
    context = browser.new_context(viewport={"width": lebar, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    return context, page


@pytest.mark.parametrize("lebar", LC.LEBAR)
@pytest.mark.parametrize("peran", ["ditjenpas", "kanwil", "upt"])
def test_every_page_fits_shows_labels_and_passes_axe(browser, situs, peran, lebar):
    """At 1440 and 390 px, every page a role is offered: nothing wider than the viewport, no code
    where a label belongs, no overlapping text in the charts, no serious/critical axe-core
    violation. Screenshots: reports/screenshots/<role>_<page>_<width>.png (git-ignored)."""
    from dashboards.pages import BERANDA

    assert LC.AXE.exists(), f"axe-core tidak ada ({LC.AXE}): jalankan `make axe` (npm)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _konteks(browser, lebar)
    try:
        username, password, _ = situs["akun"][peran]
        LC.masuk(page, situs["url"], username, password)
        page.wait_for_url(f"**{BERANDA[peran]}")  # the role's first question
        masalah = {}
        for path in LC.halaman_untuk(peran):
            page.goto(situs["url"] + path)
            LC.tunggu(page)
            hasil = LC.periksa(page)
            page.screenshot(path=str(SCREENSHOTS / f"{peran}_{path.strip('/')}_{lebar}.png"), full_page=True)
            if hasil["lebar"]["lebar_halaman"] > lebar or hasil["lebar"]["terlalu_lebar"]:
                masalah[path + " lebar"] = hasil["lebar"]
            for k in ("kode", "tumpang", "axe"):
                if hasil[k]:
                    masalah[f"{path} {k}"] = hasil[k]
        assert not masalah, masalah
    finally:
        context.close()


def test_phone_navbar_collapses_and_opens(browser, situs):
    context, page = _konteks(browser, 390)
    try:
        username, password, _ = situs["akun"]["ditjenpas"]
        LC.masuk(page, situs["url"], username, password)
        LC.tunggu(page)
        assert page.locator("nav.navbar").bounding_box()["height"] < 80
        assert not page.locator("#nav-pnbp").is_visible()
        page.click("#nav-toggler")
        page.locator("#nav-pnbp").wait_for(state="visible")
        page.click("#nav-pnbp")
        page.wait_for_url("**/pnbp**")
    finally:
        context.close()


def test_invalid_url_parameter_is_answered_and_corrected(halaman, situs):
    masuk(halaman, situs, "ditjenpas", "/ringkasan?periode=2019Q1&indikator=tidak_ada")
    pesan = halaman.wait_for_selector("#pesan-koreksi-url")
    teks = pesan.inner_text()
    assert "2019Q1" in teks and "tidak_ada" in teks
    terbaru = situs["triwulan"][0]
    halaman.wait_for_url(f"**periode={terbaru}**")
    assert "2019Q1" not in halaman.url
    assert label_periode(terbaru) in halaman.inner_text("#f-periode")
    # the page is rendered again for the corrected period: its heading names it
    halaman.wait_for_function("t => [...document.querySelectorAll('.judul-halaman')].some(e => e.innerText.includes(t))",
                              arg=label_periode(terbaru))


def test_keyboard_reaches_filters_and_downloads(halaman, situs, tmp_path):
    """The period filter is chosen and a table downloaded with the keyboard alone."""
    baru, lama = situs["triwulan"]
    masuk(halaman, situs, "ditjenpas", f"/ringkasan?periode={baru}")
    tunggu_halaman(halaman, "#kartu-utama")
    di_periode = """() => { const a = document.activeElement, c = a && a.closest('[class*="col-"]');
                            return !!(c && c.querySelector('#f-periode')); }"""
    for _ in range(30):  # Tab from the top of the page to the period filter
        halaman.keyboard.press("Tab")
        if halaman.evaluate(di_periode):
            break
    assert halaman.evaluate(di_periode), "filter periode tidak terjangkau dengan Tab"
    halaman.keyboard.press("Enter")
    halaman.get_by_role("option", name=label_periode(lama), exact=True).wait_for()
    opsi = """() => { const a = document.activeElement;
                      return ((a && (a.closest('[role=option]') || a.parentElement)) || {}).innerText || ''; }"""
    for _ in range(12):  # arrow down to the previous quarter, then Enter
        halaman.keyboard.press("ArrowDown")
        if halaman.evaluate(opsi).strip() == label_periode(lama):
            break
    halaman.keyboard.press("Enter")
    halaman.wait_for_url(f"**periode={lama}**")
    tombol = halaman.locator("#blok-ringkasan_indikator .tombol-unduh")
    tombol.focus()
    with halaman.expect_download() as info:
        halaman.keyboard.press("Enter")
    assert lama in info.value.suggested_filename and "NASIONAL" in info.value.suggested_filename


def test_upt_finder_finds_by_name_and_opens_the_profile(halaman, situs):
    asing = situs["asing"]
    masuk(halaman, situs, "ditjenpas", "/upt")
    halaman.wait_for_selector("#cari-upt")
    halaman.fill("#cari-upt", asing.kode_upt.lower())
    halaman.press("#cari-upt", "Enter")
    # the first page of the list shown before searching may already hold the name: wait for the answer itself
    halaman.wait_for_function("() => (document.querySelector('#jumlah-cari-upt') || {}).innerText === '1 UPT.'")
    assert asing.nama_upt in halaman.inner_text("#hasil-cari-upt")
    assert halaman.locator("#hasil-cari-upt .tautan-upt").count() == 1
    halaman.click("#hasil-cari-upt .tautan-upt")
    halaman.wait_for_selector("#kartu-upt")
    assert asing.nama_upt in halaman.inner_text(".judul-halaman")


def test_kualitas_reasons_readable_on_a_phone(browser, situs):
    """Issue 15: on Kualitas Data at 390 px the Indonesian reason of every rejection/quarantine table
    is the first column, inside the viewport (wrapped, no sideways scroll needed to read it)."""
    context, page = _konteks(browser, 390)
    try:
        username, password, _ = situs["akun"]["ditjenpas"]
        LC.masuk(page, situs["url"], username, password, "/kualitas")
        LC.tunggu(page)
        page.goto(situs["url"] + "/kualitas")
        LC.tunggu(page)
        dilihat = 0
        for tabel, kolom in (("kualitas_ditolak", "reason"), ("kualitas_karantina_ringkas", "alasan"),
                             ("kualitas_karantina", "reason")):
            sel = page.locator(f"#tabel-{tabel} td[data-dash-column]")
            if sel.count() == 0:
                continue
            assert sel.first.get_attribute("data-dash-column") == kolom, tabel
            td = page.locator(f"#tabel-{tabel} td[data-dash-column='{kolom}']").first
            kotak = td.bounding_box()
            assert kotak["x"] >= 0 and kotak["x"] + kotak["width"] <= 390, (tabel, kotak)
            teks = td.inner_text().strip()
            assert teks and not re.fullmatch(r"[A-Z_]+", teks), (tabel, teks)
            dilihat += 1
        assert dilihat >= 2, "the demo should show rejected files and quarantined rows"
    finally:
        context.close()
