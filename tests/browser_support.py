"""What every browser test shares: the machine's Chromium, one browser per test module, and the
Dash app served on a free loopback port by a real WSGI server (werkzeug, threaded).

Importing this module skips the importing test module when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import socket
import threading
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 30_000

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} tidak ada: pasang dengan `apt-get install -y chromium chromium-driver`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(wsgi_app, **server_options):
    """Serve ``wsgi_app`` on a free port in a thread; yield its base URL; shut it down afterwards."""
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, wsgi_app, threaded=True, **server_options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def wait_for_text(page, selector: str, text: str) -> None:
    """Wait until the element's visible text contains ``text``. A DataTable that appears for the first
    time renders after its code chunk loads, a moment after the callback's other outputs."""
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s); return !!e && e.innerText.includes(t); }",
                           arg=[selector, text])
