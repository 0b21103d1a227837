"""Checks of a rendered dashboard page in a real browser (Playwright page), shared by the browser
tests: nothing wider than the viewport, labels rather than codes, no overlapping text in the
charts' SVG, and axe-core's serious/critical accessibility violations.

axe-core comes from npm into the git-ignored folder ``.node/`` (``make axe``, run by ``.ci/run``);
:data:`AXE` is its path, or ``MONEV_AXE_JS``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dagster_project.spec import ENUMS

AKAR = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("MONEV_AXE_JS") or AKAR / ".node" / "node_modules" / "axe-core" / "axe.min.js")
LEBAR = (1440, 390)

# Codes of the exports that must never reach the reader as such (their labels do).
KODE = sorted({*ENUMS["bidang"], *ENUMS["tahap"], *ENUMS["kanal"], *ENUMS["jenis_pembeli"], *ENUMS["jenis_kegiatan"],
               "DITERIMA", "DITOLAK", "TIDAK_ADA", "LAPAS", "RUTAN", "MEUBELER_KAYU"}, key=len, reverse=True)
_KODE_RE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, KODE)) + r")(?![A-Za-z0-9_])")
_KODE_UMUM_RE = re.compile(r"(?<![A-Za-z0-9_])[A-Z]{2,}_[A-Z_]{2,}(?![A-Za-z0-9_])")  # any SNAKE_CODE

HALAMAN_PERAN = {
    "ditjenpas": ["/ringkasan", "/perbandingan", "/upt", "/sektor", "/pnbp", "/kualitas"],
    "kanwil": ["/perbandingan", "/ringkasan", "/upt", "/sektor", "/pnbp", "/kualitas", "/unggah"],
    "upt": ["/upt", "/ringkasan", "/sektor", "/pnbp", "/kualitas", "/unggah"],
}


def halaman_untuk(peran: str) -> list[str]:
    return HALAMAN_PERAN[peran]


def masuk(page, url: str, username: str, password: str, path: str = "/") -> None:
    page.goto(url + path)
    page.fill("#login-nama", username)
    page.fill("#login-sandi", password)
    page.click("#login-tombol")
    page.wait_for_selector("#info-pengguna", state="attached")  # folded in the phone menu at 390 px


def tunggu(page) -> None:
    """Until the page's content has replaced the loading text and every chart is drawn."""
    page.wait_for_function("""() => { const k = document.querySelector('#konten');
        return k && k.innerText.length > 50 && !k.innerText.startsWith('Memuat'); }""")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("""() => [...document.querySelectorAll('#konten .dash-graph')]
        .every(g => g.querySelector('.main-svg'))""")
    page.wait_for_timeout(150)


_JS_LEBAR = """() => {
  const W = document.documentElement.clientWidth, out = [];
  // inside a scrolling/clipping box that itself fits: not wider than the page
  const klip = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const q = p.getBoundingClientRect(); if (q.right <= W + 1 && q.left >= -1) return true; } } return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    if (r.right <= W + 1 && r.left >= -1) continue;
    if (el.id === 'js-plotly-tester' || el.closest('#js-plotly-tester')) continue;  // plotly's off-screen ruler
    if (klip(el)) continue;
    out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].slice(0, 2).join('.'))
             + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  }
  return {lebar_halaman: document.documentElement.scrollWidth, viewport: W, terlalu_lebar: out.slice(0, 8)};
}"""

# Text boxes of one chart that must not overlap: tick labels, axis titles, legend entries, annotations.
_JS_TUMPANG = """() => {
  const out = [];
  for (const g of document.querySelectorAll('#konten .js-plotly-plot')) {
    const id = (g.closest('[id]') || {}).id || '?';
    const kotak = [...g.querySelectorAll('.xtick text, .ytick text, .y2tick text, .g-xtitle text, .g-ytitle text, '
                                        + '.g-y2title text, .legendtext, .annotation-text, .bartext')]
      .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none' && getComputedStyle(t).opacity !== '0')
      .map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect(), k: t.getAttribute('class') || ''}))
      .filter(b => b.r.width > 0 && b.r.height > 0);
    for (let i = 0; i < kotak.length; i++) for (let j = i + 1; j < kotak.length; j++) {
      const a = kotak[i].r, b = kotak[j].r;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left), y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 2 && y > 2) out.push(id + ': "' + kotak[i].t + '" / "' + kotak[j].t + '"');
    }
  }
  return out.slice(0, 8);
}"""

# The page's visible text without the cells of the columns that are codes by definition.
_JS_TEKS = """() => { const k = document.querySelector('#konten').cloneNode(true);
  k.querySelectorAll('td[data-dash-column="reason_code"], td[data-dash-column="kode_upt"], td[data-dash-column="path"],'
    + ' td[data-dash-column="kode_kegiatan"], td[data-dash-column="kode_kanwil"], td[data-dash-column="kode"]')
    .forEach(td => td.remove());
  const f = document.querySelector('#bilah-filter');
  return k.innerText + '\\n' + (f ? f.innerText : '') + '\\n' + document.querySelector('nav').innerText; }"""


def kode_tampil(page) -> list[str]:
    teks = page.evaluate(_JS_TEKS)
    return sorted(set(_KODE_RE.findall(teks)) | set(_KODE_UMUM_RE.findall(teks)))


def axe(page) -> list[dict]:
    """axe-core's serious and critical violations of the page (WCAG 2.1 A/AA rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the app's
        # Content-Security-Policy (rightly) refuses inline scripts it has no hash for.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    hasil = page.evaluate("""async () => { const r = await axe.run(document, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
          .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                      contoh: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160))})); }""")
    return hasil


def periksa(page, axe_juga: bool = True, **kw) -> dict:
    out = {"lebar": page.evaluate(_JS_LEBAR), "kode": kode_tampil(page), "tumpang": page.evaluate(_JS_TUMPANG)}
    if kw.get("axe", axe_juga):
        out["axe"] = axe(page)
    return out
