"""The dashboard pages. Each module exposes PATH, JUDUL, ``tampilan(ctx)`` and ``TABEL``.

``tampilan`` and every figure/table function take a :class:`dashboards.components.Konteks`
(warehouse, signed-in user, filters) and are plain functions: unit-testable without a browser.
``TABEL`` maps a downloadable table id to ``(sheet name, function(ctx) -> DataFrame)``.
"""

from dashboards.pages import banding, kualitas, perbandingan, pnbp, profil_upt, ringkasan, sektor, tindak_lanjut, unggah

# A page with PERAN lists the roles that see it (navigation and routing); the others: every role.
HALAMAN = (ringkasan, perbandingan, banding, profil_upt, sektor, pnbp, kualitas, tindak_lanjut, unggah)
PER_PATH = {h.PATH: h for h in HALAMAN}
TABEL = {kunci: nilai for h in HALAMAN for kunci, nilai in h.TABEL.items()}
