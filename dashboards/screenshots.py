"""`python -m dashboards.screenshots --warehouse W --out docs/img`: the README's screenshots.

Starts the app in a thread on a free loopback port against a published warehouse (normally the
demo's, `make screenshots`), logs in with throw-away demo accounts (created in a temporary folder,
never in data/accounts.json) and photographs the main pages in headless Chromium (playwright,
Debian's /usr/bin/chromium, as the browser tests do). Each picture is cut to the page's top part,
1280 px wide, palette-quantised with Pillow and written as a small PNG.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("MONEV_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH = 1280
COLOURS = 96  # palette size: dashboards use few colours, text stays crisp
TIMEOUT_MS = 60_000

MAX_HEIGHT = 2000

# (file name, role of the user who needs the page, path, element that must be drawn first,
#  element whose bottom ends the picture, or None for the whole page up to MAX_HEIGHT)
PAGES = (
    ("ringkasan", "ditjenpas", "/ringkasan", "#grafik-peta", "#grafik-peta"),
    ("perbandingan", "kanwil", "/perbandingan", "#grafik-heatmap", None),
    ("profil_upt", "upt", "/upt", "#kartu-upt", "#grafik-kanal"),
    ("kualitas", "ditjenpas", "/kualitas", "#grafik-kelengkapan", "#grafik-kelengkapan"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _optimise(png: bytes, height: int) -> bytes:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    if img.width != WIDTH:
        img = img.resize((WIDTH, round(img.height * WIDTH / img.width)), Image.LANCZOS)
    img = img.crop((0, 0, WIDTH, min(img.height, height, MAX_HEIGHT)))
    pal = img.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wait_drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector} .js-plotly-plot, {selector}.js-plotly-plot, {selector} .dash-spreadsheet, "
                           f"{selector} .card, {selector}.card", state="attached")
    page.wait_for_load_state("networkidle")
    if selector == "#grafik-peta":  # the map (maplibre, WebGL) draws its tiles after the figure
        page.wait_for_function("""() => { const g = document.querySelector('#grafik-peta .js-plotly-plot');
            const s = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot;
            return s && s.map && s.map.loaded(); }""")
    page.wait_for_timeout(800)  # let plotly finish its transitions
    text = page.inner_text("#konten")
    if "Traceback" in text or "Kesalahan" in text:
        raise RuntimeError(f"the page shows an error: {text[:200]!r}")


def shoot(warehouse: Path, out: Path) -> list[tuple[Path, int]]:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from dashboards.app import create_app
    from dashboards.auth import ensure_demo_accounts

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="monev-layar-") as tmp:
        tmp = Path(tmp)
        akun = ensure_demo_accounts(tmp / "app.db", warehouse)
        per_role = {a["role"]: (u, a["password"]) for u, a in akun.items()}
        os.environ.setdefault("MONEV_SECRET_KEY", "kunci-tangkapan-layar")
        app = create_app(warehouse, tmp / "app.db", tmp / "audit.log")
        server = make_server("127.0.0.1", _free_port(), app.server, threaded=True)
        url = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                for name, role, path, selector, until in PAGES:
                    t0 = time.perf_counter()
                    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
                    page = context.new_page()
                    page.set_default_timeout(TIMEOUT_MS)
                    username, password = per_role[role]
                    page.goto(url + path)
                    page.fill("#login-nama", username)
                    page.fill("#login-sandi", password)
                    page.click("#login-tombol")
                    page.wait_for_selector("#info-pengguna")
                    _wait_drawn(page, selector)
                    height = MAX_HEIGHT
                    if until:  # end below this element's card (page coordinates: scroll is 0 here)
                        page.wait_for_function(
                            "s => { const e = document.querySelector(s); return e && e.getBoundingClientRect()"
                            ".height > 50 && (e.querySelector('.main-svg') || e.querySelector('canvas')); }", arg=until)
                        box = page.locator(until).first.evaluate(
                            "e => { const c = e.closest('.grafik') || e.closest('.card') || e; const r = c.getBoundingClientRect();"
                            " return r.bottom + window.scrollY; }")
                        height = int(box) + 16
                    if height < 400:
                        raise RuntimeError(f"{path}: {until} ends {height} px from the top; the page is not drawn")
                    png = _optimise(page.screenshot(full_page=True), height)
                    target = out / f"{name}.png"
                    target.write_bytes(png)
                    written.append((target, len(png)))
                    print(f"{target}: {len(png) // 1024} KB ({role}, {time.perf_counter() - t0:.1f} dtk)")
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboards.screenshots", description=__doc__.splitlines()[0])
    p.add_argument("--warehouse", type=Path, required=True)
    p.add_argument("--out", type=Path, default=Path("docs/img"))
    args = p.parse_args(argv)
    if not args.warehouse.is_file():
        print(f"{args.warehouse}: warehouse not found; run `make demo` (or `make screenshots`) first.", file=sys.stderr)
        return 2
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM}: Chromium not found; install it with `apt-get install -y chromium`.", file=sys.stderr)
        return 2
    shoot(args.warehouse, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
