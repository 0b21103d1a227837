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

# The page that answers each role's first question (docs/DECISIONS.md): Ditjenpas the national
# summary, a Kanwil the comparison of its UPTs, a UPT its own profile.
BERANDA = {"ditjenpas": ringkasan.PATH, "kanwil": perbandingan.PATH, "upt": profil_upt.PATH}


def untuk_peran(halaman, role: str) -> bool:
    """Whether the page is offered to this role (menu and routing)."""
    return role in getattr(halaman, "PERAN", (role,))


def judul(halaman, role: str) -> str:
    """The page's title as this role reads it (e.g. "Ringkasan UPT" rather than "Ringkasan Nasional")."""
    return getattr(halaman, "JUDUL_PERAN", {}).get(role, halaman.JUDUL)
