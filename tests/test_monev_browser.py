"""The monev cycle in headless Chromium, on the warehouse the real pipeline published from generated
exports (tests/conftest.py demo_pipeline; findings computed by dbt's mart_temuan): the "Temuan
triwulan ini" panel on each role's first page, the Kanwil's quarter-on-quarter page (sortable), and
a follow-up opened by the Kanwil, answered by the UPT concerned and closed by the Kanwil."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))

pytestmark = [pytest.mark.browser, pytest.mark.slow]

from browser_support import ARGS, CHROMIUM, TIMEOUT, browser, served, sync_api, wait_for_text  # noqa: E402,F401 (fixture: browser)
SANDI = "Sandi-uji-monev-2024!"


@pytest.fixture(scope="module")
def situs(tmp_path_factory, demo_pipeline):
    from dashboards.app import create_app
    from dashboards.auth import add_account

    wh = demo_pipeline.warehouse
    with duckdb.connect(str(wh), read_only=True) as con:
        # a quarter's finding about a UPT (the rule decides which; any kind will do)
        t = con.execute("""select t.periode, t.temuan_id, t.kode_upt, t.kode_kanwil, u.nama_upt
                           from temuan_src t join dim_upt u on t.kode_upt = u.kode_upt
                           where t.jenis_periode = 'TRIWULAN' and t.level = 'upt'
                           order by t.periode desc, t.aturan, t.kode_upt limit 1"""
                        .replace("temuan_src", "mart_temuan")).fetchone()
    assert t, "the generated demo has findings about UPTs (late or partial reports at least)"
    periode, temuan_id, kode_upt, kode_kanwil, nama_upt = t
    tmp = tmp_path_factory.mktemp("monev_browser")
    db = tmp / "app.db"
    for u, role, scope in (("pusat_uji", "ditjenpas", None), ("kanwil_uji", "kanwil", kode_kanwil),
                           ("upt_uji", "upt", kode_upt)):
        add_account(db, u, SANDI, role, scope)
    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji-browser")
    app = create_app(wh, db, tmp / "audit.log")
    with served(app.server) as url:
        yield {"url": url, "periode": periode, "temuan_id": temuan_id, "kode_upt": kode_upt,
               "kode_kanwil": kode_kanwil, "nama_upt": nama_upt, "register": app.register_rtl}


@pytest.fixture()
def halaman(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def masuk(page, situs, username: str, path: str):
    page.goto(situs["url"] + path)
    page.fill("#login-nama", username)
    page.fill("#login-sandi", SANDI)
    page.click("#login-tombol")
    page.wait_for_selector("#info-pengguna")


def keluar(page):
    page.click("#tombol-keluar")
    page.wait_for_selector("#login-tombol")


@pytest.mark.parametrize("username, path", [("pusat_uji", "/ringkasan"), ("kanwil_uji", "/perbandingan"),
                                            ("upt_uji", "/upt")])
def test_panel_on_each_roles_first_page(halaman, situs, username, path):
    masuk(halaman, situs, username, f"{path}?periode={situs['periode']}")
    halaman.wait_for_selector("#panel-temuan")
    teks = halaman.inner_text("#panel-temuan")
    assert "Temuan triwulan ini" in teks
    if username != "pusat_uji":  # the finding about the UPT is in the Kanwil's and the UPT's scope
        # listed, or beyond the panel's first items (then the panel says how many there are)
        ada = halaman.locator(f"#panel-temuan [data-temuan='{situs['temuan_id']}']").count() == 1
        assert ada or "temuan; semua temuan ada di laporan" in teks, teks
    assert "Traceback" not in halaman.inner_text("#konten")


def test_kanwil_compares_quarters_sortable(halaman, situs):
    masuk(halaman, situs, "kanwil_uji", f"/banding?periode={situs['periode']}")
    halaman.wait_for_selector("#tabel-banding .dash-spreadsheet")
    sel = halaman.locator("#tabel-banding td[data-dash-column='kode_upt']")
    kode = sel.all_inner_texts()
    assert situs["kode_upt"] in kode
    # sort by the UPT code, descending then ascending: the rows follow
    tombol = halaman.locator("#tabel-banding th[data-dash-column='kode_upt'] .column-header--sort")
    tombol.click()
    tombol.click()
    halaman.wait_for_timeout(300)
    urut = sel.all_inner_texts()
    assert sorted(urut) in (urut, list(reversed(urut))) and len(urut) == len(kode)


def test_follow_up_opened_answered_closed(halaman, situs):
    reg = situs["register"]
    masuk(halaman, situs, "kanwil_uji", f"/tindak-lanjut?periode={situs['periode']}")
    halaman.wait_for_selector("#rtl-temuan")
    halaman.click("#rtl-temuan")
    halaman.get_by_role("option").filter(has_text=situs["nama_upt"]).first.click()
    halaman.fill("#rtl-tindakan", "Kirim ulang laporan yang kurang sebelum tanggal 10")
    halaman.fill("#rtl-pj", "Kasi Kegiatan Kerja")
    halaman.fill("#rtl-tenggat", "2099-12-31")
    halaman.click("#rtl-buka")
    halaman.wait_for_selector("#rtl-pesan .alert-success")
    assert "dibuka" in halaman.inner_text("#rtl-pesan")
    wait_for_text(halaman, "#rtl-daftar", "Kirim ulang laporan")
    from dashboards.data import Pengguna

    df = reg.daftar(Pengguna("uji", "ditjenpas"))
    nomor = int(df.id.max())
    assert df.set_index("id").at[nomor, "kode_upt"] == situs["kode_upt"]
    keluar(halaman)
    # the UPT concerned sees it and answers
    masuk(halaman, situs, "upt_uji", "/tindak-lanjut")
    halaman.wait_for_selector("#rtl-pilih")
    wait_for_text(halaman, "#rtl-daftar", "Kirim ulang laporan")
    assert halaman.locator("#rtl-tutup").count() == 0  # a UPT cannot close
    halaman.click("#rtl-pilih")
    halaman.get_by_role("option").filter(has_text=f"#{nomor}").first.click()
    halaman.fill("#rtl-isi", "Laporan sudah dikirim ulang")
    halaman.click("#rtl-jawab")
    halaman.wait_for_selector("#rtl-pesan .alert-success")
    wait_for_text(halaman, "#rtl-daftar", "Dijawab UPT")
    keluar(halaman)
    # the Kanwil closes it with a note
    masuk(halaman, situs, "kanwil_uji", "/tindak-lanjut")
    halaman.wait_for_selector("#rtl-pilih")
    halaman.click("#rtl-pilih")
    halaman.get_by_role("option").filter(has_text=f"#{nomor}").first.click()
    halaman.fill("#rtl-isi", "Diterima dan diperiksa")
    halaman.click("#rtl-tutup")
    halaman.wait_for_selector("#rtl-pesan .alert-success")
    wait_for_text(halaman, "#rtl-daftar", "Ditutup")
    assert df is not None and reg.daftar(Pengguna("uji", "ditjenpas")).set_index("id").at[nomor, "status"] == "DITUTUP"
