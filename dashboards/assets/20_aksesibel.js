/* Monev Kemandirian: accessibility fixes for third-party widgets (axe-core, WCAG 2.1 AA).
 * - dcc.Dropdown's keyboard target is an input marked aria-hidden: unhidden and named after the
 *   filter's label, so keyboard and screen-reader users reach the same control.
 * - DataTable's pager buttons are icons only: given Indonesian names.
 * - Plotly's mode bar buttons get their Indonesian tooltips as names.
 * Runs on every DOM change (Dash renders pages after load). */
(function () {
  var NAMA = {"first-page": "Halaman pertama", "previous-page": "Halaman sebelumnya",
              "next-page": "Halaman berikutnya", "last-page": "Halaman terakhir"};
  function perbaiki(akar) {
    akar.querySelectorAll(".dash-dropdown-focus-target").forEach(function (el) {
      if (el.getAttribute("aria-hidden") === "true") el.removeAttribute("aria-hidden");
      if (!el.getAttribute("aria-label")) {
        var tombol = el.parentElement && el.parentElement.querySelector("button.dash-dropdown");
        var label = tombol && tombol.id && document.querySelector('label[for="' + tombol.id + '"]');
        el.setAttribute("aria-label", (label ? label.textContent : "Pilihan") + ": tekan Enter untuk membuka daftar");
      }
    });
    akar.querySelectorAll(".previous-next-container button").forEach(function (b) {
      for (var k in NAMA) if (b.classList.contains(k) && !b.getAttribute("aria-label")) b.setAttribute("aria-label", NAMA[k]);
    });
    akar.querySelectorAll(".modebar-btn").forEach(function (b) {
      var t = b.getAttribute("data-title");
      if (t && !b.getAttribute("aria-label")) b.setAttribute("aria-label", t);
    });
    // a table that scrolls sideways on a phone must be reachable (and scrollable) with the keyboard
    akar.querySelectorAll(".dash-spreadsheet-container").forEach(function (t) {
      if (!t.hasAttribute("tabindex")) {
        t.setAttribute("tabindex", "0");
        t.setAttribute("role", "region");
        var blok = t.closest(".blok-tabel"), h = blok && blok.querySelector("h6");
        t.setAttribute("aria-label", h ? "Tabel: " + h.textContent : "Tabel");
      }
    });
    akar.querySelectorAll("input[type=file]").forEach(function (i) {
      if (!i.getAttribute("aria-label") && !i.labels.length) i.setAttribute("aria-label", "Pilih file laporan untuk diperiksa");
    });
    akar.querySelectorAll(".dash-spreadsheet input.current-page").forEach(function (i) {
      if (!i.getAttribute("aria-label")) i.setAttribute("aria-label", "Nomor halaman tabel");
    });
  }
  var antre = false;
  new MutationObserver(function () {
    if (antre) return;
    antre = true;
    window.requestAnimationFrame(function () { antre = false; perbaiki(document); });
  }).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", function () { perbaiki(document); });
})();
