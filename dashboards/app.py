"""The Dash application shell: login, navigation, filters kept in the URL, routing, downloads.

``create_app(warehouse_path, db=None, audit_log_path=None)`` builds one independent
app (its own Flask server, callbacks registered on that app only, so tests can build several
in one process; this is why the pages are routed here rather than with ``use_pages``).
``server_factory()`` is the gunicorn entry point: ``gunicorn 'dashboards.app:server_factory()'``.

Security model (see dashboards/README.md and README "Deployment"):
- Accounts, server-side sessions, login attempts and the audit log live in the app database
  (dashboards/appdb.py); every gunicorn worker sees the same state.
- Flask-Login: the signed cookie (key ``MONEV_SECRET_KEY``, HttpOnly, SameSite=Lax, Secure with
  ``MONEV_COOKIE_SECURE``) carries only a random session token; the session row holds the account
  and an absolute expiry (8 h, not sliding). Logout, password reset, disabling the account and
  ``monev akun revoke-sessions`` end it.
- Flask-Limiter (storage shared through the app database, or ``MONEV_RATELIMIT_STORAGE``) throttles
  login attempts per client address; the lockout counts wrong passwords per username and address.
- Flask-WTF CSRF: every POST, Dash callbacks included, carries the token of the ``_csrf_token``
  cookie in ``X-CSRFToken`` (the Dash renderer does this by itself).
- Security headers and a Content-Security-Policy (:func:`kebijakan_csp`); ``Server`` names no version.
- A ``before_request`` hook refuses every ``/_dash-update-component`` call without a valid
  session except the login callback itself (HTTP 401), so no figure, table or download is
  computed for an anonymous caller.
- Each callback reads the user from its session row and hands a :class:`dashboards.data.Pengguna`
  to the data layer, which filters every query by scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import uuid
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import flask
from flask_limiter import Limiter
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from limits import parse as batas_laju
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboards import fmt
from dashboards import ratelimit  # noqa: F401 - registers the appdb:// rate-limit storage
from dashboards.audit import AuditLog
from dashboards.auth import (MAKS_PASSWORD, MAKS_USERNAME, PROJECT_DIR, SESI_JAM, Akun, DaftarAkun, DaftarSesi,
                             PembatasLogin, kunci_nama, nama_sah)
from dashboards.components import Konteks, pesan_galat, tidak_berwenang
from dashboards.data import Gudang, GudangTidakTersedia, Pengguna, Pilihan, TidakBerwenang
from dashboards.excel import ke_xlsx, laporan_monev
from dashboards.pdf import laporan_monev_pdf
from dagster_project.errors import UserError
from dashboards.indikator import PERINGKAT, label
from dashboards.pages import BERANDA, HALAMAN, PER_PATH, TABEL, judul, untuk_peran
from dashboards.pages import unggah
from dagster_project.spec import KINDS

log = logging.getLogger("dashboards")

DEFAULT_WAREHOUSE = PROJECT_DIR / "data" / "warehouse" / "monev.duckdb"
KUNCI_FILTER = ("periode", "kanwil", "jenis", "kelas", "bidang", "upt", "indikator")
# dcc.Dropdown's own texts in Bahasa Indonesia (its defaults are English: "Search", "Select All", ...)
LABEL_DROPDOWN = {"select_all": "Pilih semua", "deselect_all": "Batalkan semua", "selected_count": "{num_selected} dipilih",
                  "search": "Cari", "clear_search": "Hapus pencarian", "clear_selection": "Hapus pilihan",
                  "no_options_found": "Tidak ada pilihan"}
# The ranking/map indicator when none is chosen: shown in its filter, never applied silently.
INDIKATOR_BAKU = "kepatuhan_litmas_h7"
_KODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
# Login attempts from one client address, whatever the username (Flask-Limiter, shared storage).
BATAS_LOGIN_IP = "30/minute;300/hour"  # override with MONEV_LOGIN_LIMIT
MAKS_BADAN_LOGIN = 64 * 1024  # bytes of a login request (a 2 MB username is refused unread)
CSRF_COOKIE = "_csrf_token"   # read by the Dash renderer, sent back as X-CSRFToken on every callback


class PenangananTanpaVersi(WSGIRequestHandler):
    """The built-in server's request handler without product versions in ``Server``."""

    def version_string(self) -> str:
        return "monev"


class PenggunaMasuk(UserMixin):
    """The Flask-Login user: a live server-side session (its token is the id in the cookie)."""

    def __init__(self, token: str, akun: Akun, kedaluwarsa: dt.datetime):
        self.token, self.akun, self.kedaluwarsa = token, akun, kedaluwarsa

    def get_id(self) -> str:
        return self.token


def kebijakan_csp(app: dash.Dash) -> str:
    """The Content-Security-Policy Dash and plotly work under: scripts only from this server plus
    the hashes of Dash's own inline scripts; inline styles allowed (plotly and React set them);
    MapLibre (the Kanwil map) runs its workers from blob: URLs; nothing from other origins."""
    hashes = " ".join(app.csp_hashes())  # already quoted: 'sha256-...'
    return ("default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "worker-src 'self' blob:; child-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


# ---------------------------------------------------------------------- login logic (plain)
class Penjaga:
    """Login decisions: input bounds, password check, lockout, audit. No Flask here, so it is unit-testable.

    The lockout counts wrong passwords per username (case-insensitively) *and* client address, so
    a stranger elsewhere cannot lock the owner out. A username that is not an account is audited
    only as ``username=None`` with its length (a password typed into the name field is never
    written to the audit log)."""

    def __init__(self, akun: DaftarAkun, audit: AuditLog, pembatas: PembatasLogin | None = None):
        self.akun, self.audit = akun, audit
        self.pembatas = pembatas or PembatasLogin(akun.url)

    def _nama_audit(self, username: str) -> str | None:
        return kunci_nama(username) if nama_sah(username) and self.akun.get(username) is not None else None

    def masuk(self, username: str | None, password: str | None, ip: str | None = None) -> tuple[bool, str, Pengguna | None]:
        username = (username or "").strip() if isinstance(username, str) else ""
        password = password if isinstance(password, str) else ""
        if not username or not password:
            return False, "Isi nama pengguna dan kata sandi.", None
        if len(username) > MAKS_USERNAME or len(password) > MAKS_PASSWORD:
            self.audit.tulis("login_gagal", None, ip, alasan="masukan_terlalu_panjang", panjang_nama=len(username))
            return False, "Nama pengguna atau kata sandi salah.", None
        sisa = self.pembatas.sisa_kunci(username, ip)
        if sisa > 0:
            menit = int(sisa // 60) + 1
            self.audit.tulis("login_gagal", self._nama_audit(username), ip, alasan="terkunci")
            return False, (f"Akun terkunci sementara karena 5 kali salah kata sandi dalam 15 menit. "
                           f"Coba lagi dalam {menit} menit."), None
        akun = self.akun.periksa(username, password)
        if akun is None:
            terkunci = self.pembatas.catat_gagal(username, ip)
            nama = self._nama_audit(username)
            self.audit.tulis("login_gagal", nama, ip, alasan="kata_sandi_salah_atau_akun_tidak_ada",
                             **({} if nama else {"panjang_nama": len(username)}))
            if terkunci:
                self.audit.tulis("akun_terkunci", nama, ip, menit=15)
                return False, "Akun terkunci selama 15 menit karena 5 kali salah kata sandi.", None
            return False, "Nama pengguna atau kata sandi salah.", None
        self.pembatas.catat_berhasil(username, ip)
        self.audit.tulis("login_berhasil", akun.username, ip, role=akun.role, scope=akun.scope)
        return True, "Berhasil masuk.", Pengguna(akun.username, akun.role, akun.scope)


# ---------------------------------------------------------------------- filters <-> URL (plain)
def baca_query(search: str | None) -> dict:
    q = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {k: (q[k][0].strip() if q.get(k) else None) for k in KUNCI_FILTER}


def tulis_query(nilai: dict) -> str:
    pasangan = [(k, nilai[k]) for k in KUNCI_FILTER if nilai.get(k)]
    return "?" + urlencode(pasangan) if pasangan else ""


def normalisasi(gudang: Gudang, p: Pengguna, nilai: dict) -> dict:
    """Validate filter values: unknown periods/indicators fall back to defaults, codes must look like codes.

    A Kanwil/UPT code outside the user's scope is kept on purpose: the page then says
    "tidak berwenang" (the data layer refuses it), rather than silently showing something else.
    """
    out = {k: (str(v).strip() if v not in (None, "") else None) for k, v in nilai.items() if k in KUNCI_FILTER}
    periode_ada = set(gudang.daftar_periode(p).periode)
    if out.get("periode") not in periode_ada:
        out["periode"] = gudang.periode_terbaru(p)
    for k in ("kanwil", "upt", "jenis", "kelas", "bidang"):
        if out.get(k) and not _KODE_RE.match(out[k]):
            out[k] = None
    if out.get("indikator") not in PERINGKAT:
        out["indikator"] = INDIKATOR_BAKU
    return out


_NAMA_FILTER = {"periode": "Periode", "kanwil": "Kode Kanwil", "jenis": "Jenis UPT", "kelas": "Kelas", "bidang": "Bidang",
                "upt": "Kode UPT", "indikator": "Indikator"}


def koreksi_query(mentah: dict, nilai: dict) -> list[str]:
    """One sentence per URL parameter that :func:`normalisasi` had to change (shown above the page).

    ``mentah``: the values as written in the URL; ``nilai``: what the page shows instead.
    """
    out = []
    for k in KUNCI_FILTER:
        v = mentah.get(k)
        if v in (None, "") or str(v).strip() == (nilai.get(k) or ""):
            continue
        v = str(v)[:40]
        if k == "periode":
            out.append(f"Periode \"{v}\" tidak tersedia di gudang data; ditampilkan {fmt.label_periode(nilai.get('periode'))} "
                       "(periode terbaru).")
        elif k == "indikator":
            out.append(f"Indikator \"{v}\" tidak dikenal; ditampilkan {label(nilai.get('indikator'))}.")
        else:
            out.append(f"{_NAMA_FILTER[k]} \"{v}\" tidak sah; filter ini tidak dipakai.")
    return out


def urut_periode(per) -> list[tuple[str, str]]:
    """Period options: quarters newest first, then semesters, then years (not interleaved by end date)."""
    urutan = {"TRIWULAN": 0, "SEMESTER": 1, "TAHUN": 2}
    per = per.assign(_u=[urutan.get(str(j), 3) for j in per.jenis_periode])
    per = per.sort_values(["_u", "tanggal_akhir", "periode"], ascending=[True, False, False])
    return [(r.periode, fmt.label_periode(r.periode)) for r in per.itertuples()]


def ke_pilihan(nilai: dict) -> Pilihan:
    return Pilihan(periode=nilai.get("periode"), kanwil=nilai.get("kanwil"), upt=nilai.get("upt"),
                   jenis_upt=nilai.get("jenis"), kelas=nilai.get("kelas"), bidang=nilai.get("bidang"),
                   indikator=nilai.get("indikator"))


# ---------------------------------------------------------------------- page rendering (plain)
def render_halaman(gudang: Gudang, p: Pengguna, pathname: str | None, nilai: dict):
    """The content of a page for this user and these filters, or a clear message; never a traceback."""
    halaman = PER_PATH.get(pathname or "/") or (PER_PATH[BERANDA[p.role]] if (pathname or "/") == "/" else None)
    if halaman is None:
        return pesan_galat("Halaman tidak ditemukan. Pilih halaman dari menu di atas.", "secondary")
    if not untuk_peran(halaman, p.role):
        return tidak_berwenang(f"Halaman {halaman.JUDUL} tidak tersedia untuk akun {p.role.upper() if p.role == 'upt' else p.role.capitalize()}. "
                               "Pilih halaman dari menu di atas.")
    if halaman is unggah:  # checking and submitting exports needs no publication
        return halaman.tampilan(Konteks(gudang, p, Pilihan()))
    status = gudang.status()
    if not status.ok:
        return pesan_galat(status.pesan, "warning", "Data belum dapat ditampilkan")
    try:
        nilai = normalisasi(gudang, p, nilai or {})
        if not nilai.get("periode"):
            return pesan_galat("Belum ada periode yang diterbitkan di gudang data.", "warning")
        return halaman.tampilan(Konteks(gudang, p, ke_pilihan(nilai)))
    except TidakBerwenang as exc:
        return tidak_berwenang(str(exc))
    except GudangTidakTersedia as exc:
        return pesan_galat(str(exc), "warning", "Data belum dapat ditampilkan")
    except Exception:  # noqa: BLE001 - the browser gets a reference, the log gets the traceback
        ref = uuid.uuid4().hex[:8]
        log.exception("gagal menampilkan %s (ref %s)", pathname, ref)
        return pesan_galat(f"Terjadi kesalahan saat menyiapkan halaman ini. Laporkan kode {ref} kepada tim data.",
                           "danger", "Kesalahan")


def buat_unduhan(gudang: Gudang, p: Pengguna, kunci: str, nilai: dict) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of a table or report, recomputed on the server with the user's scope."""
    if kunci.startswith("templat_") and kunci.removeprefix("templat_") in KINDS:
        from dagster_project.templat import template_bytes, template_name

        jenis = kunci.removeprefix("templat_")
        return template_name(jenis), template_bytes(jenis)  # no warehouse data: any account
    nilai = normalisasi(gudang, p, nilai or {})
    f = ke_pilihan(nilai)
    if kunci in ("laporan_kanwil", "laporan_upt"):
        return laporan_monev(gudang, p, f, nilai["periode"], kunci.split("_", 1)[1])
    if kunci in ("laporan_kanwil_pdf", "laporan_upt_pdf"):
        return laporan_monev_pdf(gudang, p, f, nilai["periode"], kunci.split("_")[1])
    if kunci not in TABEL:
        raise TidakBerwenang("Tabel tidak dikenal.")
    nama, fungsi = TABEL[kunci]
    df = fmt.labeli(fungsi(Konteks(gudang, p, f)))  # the labels the page shows, not the codes
    keterangan = [f"Periode: {fmt.label_periode(nilai['periode'])}",
                  "Filter: " + (", ".join(f"{k}={v}" for k, v in nilai.items() if v and k != "periode") or "tidak ada"),
                  f"Diunduh {fmt.format_tanggal(dt.datetime.now(), jam=True)} oleh {p.username}"]
    data = ke_xlsx([(nama, df)], judul="Monev Kemandirian", keterangan=keterangan)
    # the unit in the name: two UPTs' (or Kanwil's) downloads of one period never overwrite each other
    try:
        unit = gudang.unit_analisis(p, f)[1]
    except Exception:  # noqa: BLE001 - the name only
        unit = f.upt or f.kanwil or (p.scope if p.role != "ditjenpas" else "NASIONAL")
    nama_file = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{kunci}_{unit}_{nilai['periode']}.xlsx")
    return nama_file, data


# ---------------------------------------------------------------------- layouts
def layout_login(ada_akun: bool):
    info = [] if ada_akun else [dbc.Alert(
        "Belum ada akun yang dikonfigurasi. Operator: buat akun dengan perintah CLI (lihat README).",
        color="info", className="small")]
    return html.Div([
        dcc.Location(id="url-login", refresh=True),
        dbc.Card(dbc.CardBody([
            html.H4("Monev Kemandirian", className="mb-1"),
            html.Div("Direktorat Jenderal Pemasyarakatan", className="text-muted mb-3"),
            *info,
            dbc.Label("Nama pengguna", html_for="login-nama"),
            dbc.Input(id="login-nama", type="text", autocomplete="username", className="mb-2"),
            dbc.Label("Kata sandi", html_for="login-sandi"),
            dbc.Input(id="login-sandi", type="password", autocomplete="current-password", className="mb-3", n_submit=0),
            dbc.Button("Masuk", id="login-tombol", color="primary", className="w-100", n_clicks=0),
            html.Div(id="login-pesan", className="mt-3"),
        ]), className="kotak-login shadow-sm"),
    ])


def _opsi(daftar) -> list[dict]:
    return [{"label": lbl, "value": val} for val, lbl in daftar]


def unit_pengguna(gudang: Gudang, p: Pengguna) -> dict:
    """The account's own unit by name: {"nama", "nama_kanwil", "nama_upt", "jenis_upt", "kelas"} (empty for Ditjenpas)."""
    if p.role == "ditjenpas":
        return {}
    try:
        if p.role == "kanwil":
            kw = gudang.daftar_kanwil(p)
            nama = str(kw.nama_kanwil.iloc[0]) if not kw.empty else f"Kanwil {p.scope}"
            return {"nama": nama, "nama_kanwil": nama}
        info = gudang.info_upt(p, p.scope)
        return {"nama": info["nama_upt"], "nama_upt": info["nama_upt"], "nama_kanwil": info.get("nama_kanwil"),
                "jenis_upt": fmt.label_kode("jenis_upt", info.get("jenis_upt")), "kelas": info.get("kelas")}
    except (GudangTidakTersedia, TidakBerwenang):
        return {"nama": f"{'Kanwil' if p.role == 'kanwil' else 'UPT'} {p.scope}"}


def layout_utama(gudang: Gudang, p: Pengguna):
    opsi = {"periode": [], "kanwil": [], "jenis": [], "kelas": [], "bidang": []}
    try:
        if gudang.status().ok:
            per = gudang.daftar_periode(p)
            opsi["periode"] = _opsi(urut_periode(per))
            opsi["kanwil"] = _opsi((r.kode_kanwil, r.nama_kanwil) for r in gudang.daftar_kanwil(p).itertuples())
            opsi["jenis"] = _opsi((v, fmt.label_kode("jenis_upt", v)) for v in gudang.daftar_nilai_upt(p, "jenis_upt"))
            opsi["kelas"] = _opsi((v, v) for v in gudang.daftar_nilai_upt(p, "kelas"))
            opsi["bidang"] = _opsi((v, fmt.label_kode("bidang", v)) for v in gudang.daftar_bidang(p))
    except GudangTidakTersedia:
        pass
    unit = unit_pengguna(gudang, p)
    cakupan = unit.get("nama") or "Ditjenpas (nasional)"

    def dd(id_, label_, options, clearable=True, disabled=False, width=2, placeholder="Semua"):
        return dbc.Col([dbc.Label(label_, html_for=id_), dcc.Dropdown(id=id_, options=options, clearable=clearable,
                                                                       disabled=disabled, placeholder=placeholder,
                                                                       labels=LABEL_DROPDOWN)],
                       xs=6, md=4, lg=width)

    # On a phone (< 992 px) the menu folds behind the toggler (a client-side callback opens it).
    nav = dbc.Navbar(dbc.Container([
        dbc.NavbarBrand("Monev Kemandirian", href=BERANDA[p.role]),
        # a plain button (dbc's toggler has no accessible name): named for screen readers
        html.Button(html.Span(className="navbar-toggler-icon"), id="nav-toggler", n_clicks=0, type="button",
                    className="navbar-toggler", title="Menu", **{"aria-label": "Buka atau tutup menu",
                                                                  "aria-controls": "nav-collapse"}),
        dbc.Collapse([
            # A page not for this role keeps its (hidden) link: the URL callback writes every link's href.
            dbc.Nav([dbc.NavItem(dbc.NavLink(judul(h, p.role), href=h.PATH, id=f"nav-{h.PATH.strip('/')}", active="partial"),
                                 style=None if untuk_peran(h, p.role) else {"display": "none"})
                     for h in HALAMAN], navbar=True, className="me-auto"),
            html.Span([html.Span(f"{p.username} · {cakupan}", id="info-pengguna", className="me-3 small text-light"),
                       html.A("Keluar", href="/keluar", className="btn btn-sm btn-outline-light", id="tombol-keluar")],
                      className="d-flex align-items-center flex-wrap gap-1 py-1"),
        ], id="nav-collapse", is_open=False, navbar=True),
    ], fluid=True), color="dark", dark=True, expand="lg", className="mb-3")
    filter_bar = html.Div(dbc.Row([
        dd("f-periode", "Periode", opsi["periode"], clearable=False),
        # A disabled filter names the account's own unit rather than "Semua".
        dd("f-kanwil", "Kanwil", opsi["kanwil"], disabled=p.role != "ditjenpas",
           placeholder=unit.get("nama_kanwil") or "Semua"),
        dd("f-jenis", "Jenis UPT", opsi["jenis"], disabled=p.role == "upt", width=1,
           placeholder=unit.get("jenis_upt") or "Semua"),
        dd("f-kelas", "Kelas", opsi["kelas"], disabled=p.role == "upt", width=1, placeholder=unit.get("kelas") or "Semua"),
        dd("f-upt", "UPT", [], disabled=p.role == "upt", placeholder=unit.get("nama_upt") or "Semua"),
        dd("f-bidang", "Sektor (bidang)", opsi["bidang"]),
        dd("f-indikator", "Indikator peringkat dan peta", _opsi((k, label(k)) for k in PERINGKAT), clearable=False),
    ], className="g-2"), className="bilah-filter", id="bilah-filter")
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="pilihan"),
        dcc.Download(id="unduhan"),
        nav,
        dbc.Container([
            filter_bar,
            html.Div(id="pesan-url", role="status"),
            html.Div(id="pesan-unduh", role="status"),
            dcc.Loading(html.Div(id="konten", children=html.Div("Memuat data…", className="text-muted")),
                        type="default", delay_show=150),
            html.Footer("Sumber: gudang data terbit Monev Kemandirian. Angka sesuai Kamus KPI versi 1.",
                        className="text-muted small my-4"),
        ], fluid=True),
    ])


# ---------------------------------------------------------------------- the app
def _secret_key() -> str:
    key = os.environ.get("MONEV_SECRET_KEY")
    if key:
        return key
    warnings.warn("MONEV_SECRET_KEY belum diatur: memakai kunci acak sementara (sesi hilang saat server dimulai ulang, "
                  "dan tidak dapat dipakai bersama oleh beberapa worker). Atur MONEV_SECRET_KEY di produksi.", stacklevel=2)
    log.warning("MONEV_SECRET_KEY belum diatur; memakai kunci acak per proses (hanya untuk pengembangan).")
    return secrets.token_hex(32)


def create_app(warehouse_path: Path | str, db: Path | str | None = None,
               audit_log_path: Path | str | None = None, landing_path: Path | str | None = None,
               upt_master_path: Path | str | None = None) -> dash.Dash:
    from dagster_project import config as monev_config

    gudang = Gudang(warehouse_path)
    landing = monev_config.landing_dir(landing_path)  # where "Kirim" writes (MONEV_LANDING)
    master = monev_config.upt_master_path(upt_master_path)
    akun = DaftarAkun(db)  # the app database: URL, SQLite file path, or None = MONEV_DB_URL / data/app.db
    lama = PROJECT_DIR / "data" / "accounts.json"  # accounts of the pre-database version
    if db is None and lama.exists() and not akun.ada():
        from dashboards.auth import import_json

        n = import_json(akun.url, lama)
        log.warning("%d akun dari %s dipindahkan ke basis data aplikasi; file lama dapat dihapus.", n, lama)
    audit = AuditLog(akun.url, audit_log_path)
    penjaga = Penjaga(akun, audit)

    sesi = DaftarSesi(akun.url)

    server = flask.Flask("dashboards")
    server.secret_key = _secret_key()
    lama_kunci = [k for k in os.environ.get("MONEV_SECRET_KEY_OLD", "").split(",") if k.strip()]
    aman = os.environ.get("MONEV_COOKIE_SECURE", "").lower() in ("1", "true", "ya")
    server.config.update(
        SESSION_COOKIE_NAME="monev_sesi", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=aman,
        # The cookie holds only the session token (and the CSRF secret); the session itself, its
        # account and its absolute expiry are rows of the app database (dashboards/auth.py).
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESI_JAM), SESSION_REFRESH_EACH_REQUEST=False,
        SECRET_KEY_FALLBACKS=lama_kunci,  # key rotation: cookies signed with the old key stay readable
        WTF_CSRF_TIME_LIMIT=SESI_JAM * 3600, WTF_CSRF_HEADERS=["X-CSRFToken"],
        RATELIMIT_HEADERS_ENABLED=False,
        # Uploads arrive base64-encoded in one callback: refuse bigger requests before reading them.
        MAX_CONTENT_LENGTH=unggah.MAKS_TOTAL * 4 // 3 + 2 * 1024 * 1024,
    )
    hops = int(os.environ.get("MONEV_PROXY_HOPS", "0") or 0)
    if hops > 0:  # behind a reverse proxy: the client address and scheme from X-Forwarded-*
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app = dash.Dash(
        "dashboards", server=server, title="Monev Kemandirian", update_title=None, suppress_callback_exceptions=True,
        serve_locally=True, assets_folder=str(Path(__file__).parent / "assets"),
    )
    app.gudang, app.penjaga, app.sesi, app.audit = gudang, penjaga, sesi, audit  # for tests and operators

    login_manager = LoginManager()
    login_manager.session_protection = None  # the server-side session is the protection (revocable, absolute expiry)
    login_manager.init_app(server)

    @login_manager.user_loader
    def muat_pengguna(token: str):
        hit = sesi.muat(token)
        return PenggunaMasuk(token, *hit) if hit else None

    penyimpanan = os.environ.get("MONEV_RATELIMIT_STORAGE") or "appdb://"
    limiter = Limiter(lambda: ip() or "-", app=server, storage_uri=penyimpanan, strategy="fixed-window",
                      storage_options={"url": akun.url} if penyimpanan.startswith("appdb") else {},
                      key_prefix="monev", default_limits=[])
    batas_login = [batas_laju(x) for x in (os.environ.get("MONEV_LOGIN_LIMIT") or BATAS_LOGIN_IP).split(";")
                   if x.strip()]
    app.limiter = limiter
    app.index_string = app.index_string.replace("<html>", '<html lang="id">', 1)  # screen readers speak Indonesian

    def ip() -> str | None:
        return flask.request.remote_addr if flask.has_request_context() else None

    def pengguna_sekarang() -> Pengguna | None:
        if not flask.has_request_context():
            return None
        u = current_user
        if u is None or not u.is_authenticated:
            return None
        try:
            return Pengguna(u.akun.username, u.akun.role, u.akun.scope)
        except TidakBerwenang:
            return None

    app.pengguna_sekarang = pengguna_sekarang

    def layout():
        p = pengguna_sekarang()
        if p is None:
            return layout_login(akun.ada())
        return layout_utama(gudang, p)

    app.layout = layout

    # ---------------- server-side guards (before CSRF: an anonymous callback is a 401, not a 400)
    @server.before_request
    def jaga():
        req = flask.request
        if req.path.startswith(("/assets/", "/_dash-component-suites/")):
            return None  # static files: no session lookup
        if "_user_id" in flask.session and not current_user.is_authenticated:
            flask.session.pop("_user_id", None)  # revoked, expired or disabled: forget the token
        if req.path.endswith("/_dash-update-component"):
            if pengguna_sekarang() is None:
                if (req.content_length or 0) > MAKS_BADAN_LOGIN:
                    return flask.jsonify({"pesan": "Permintaan terlalu besar."}), 413
                body = req.get_json(silent=True) or {}
                if body.get("output") not in app._output_login:
                    return flask.jsonify({"pesan": "Sesi tidak sah atau telah berakhir. Silakan masuk kembali."}), 401
        return None

    CSRFProtect(server)  # every POST (Dash callbacks included) carries X-CSRFToken

    @server.errorhandler(CSRFError)
    def csrf_gagal(_exc):
        return flask.jsonify({"pesan": "Token formulir tidak sah atau kedaluwarsa. Muat ulang halaman."}), 400

    @server.before_request
    def satu_publikasi():
        gudang.sematkan()  # every query of this request reads the same publication

    @server.teardown_request
    def lepas_publikasi(_exc=None):
        gudang.lepas()

    csp: list[str] = []

    @server.after_request
    def tajuk_keamanan(resp):
        if not csp:
            csp.append(kebijakan_csp(app))  # after every callback is declared
        h = resp.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Content-Security-Policy", csp[0])
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
        if aman:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        path = flask.request.path
        if not path.startswith(("/assets/", "/_dash-component-suites/", "/_favicon")):
            h["Cache-Control"] = "no-store"  # pages and callbacks carry scoped data
            # The Dash renderer sends this cookie's value back as X-CSRFToken (double submit).
            resp.set_cookie(CSRF_COOKIE, generate_csrf(), secure=aman, httponly=False, samesite="Lax",
                            max_age=SESI_JAM * 3600)
        return resp

    @server.route("/keluar")
    def keluar():
        u = current_user
        if u is not None and u.is_authenticated:
            sesi.cabut(u.token, "keluar")
            audit.tulis("logout", u.akun.username, ip())
        logout_user()
        flask.session.clear()
        return flask.redirect("/")

    @server.route("/sehat")
    def sehat():
        st = gudang.status()
        return flask.jsonify({"gudang": "ok" if st.ok else "tidak_tersedia"}), 200 if st.ok else 503

    # ---------------- login
    @app.callback(
        Output("login-pesan", "children"), Output("url-login", "href"),
        Input("login-tombol", "n_clicks"), Input("login-sandi", "n_submit"),
        State("login-nama", "value"), State("login-sandi", "value"),
        State("url-login", "pathname"), State("url-login", "search"),
        prevent_initial_call=True,
    )
    def login(_n, _s, username, password, pathname, search):
        alamat = ip() or "-"
        if not all(limiter.limiter.hit(b, "login-ip", alamat) for b in batas_login):
            audit.tulis("login_ditahan", None, ip(), alasan="batas_percobaan_alamat")
            return dbc.Alert("Terlalu banyak percobaan masuk dari alamat ini. Coba lagi beberapa menit lagi.",
                             color="danger", className="mb-0 small", id="login-galat"), no_update
        ok, pesan, p = penjaga.masuk(username, password, ip())
        if not ok:
            return dbc.Alert(pesan, color="danger", className="mb-0 small", id="login-galat"), no_update
        a = akun.get(p.username)
        token = sesi.buat(p.username, ip())
        csrf_rahasia = flask.session.get("csrf_token")
        flask.session.clear()  # no session fixation: a fresh session (and a new token) for the new identity
        if csrf_rahasia:
            flask.session["csrf_token"] = csrf_rahasia  # the open page keeps its CSRF token
        flask.session.permanent = True
        hit = sesi.muat(token)
        login_user(PenggunaMasuk(token, a, hit[1]), remember=False)
        tujuan = pathname if pathname in PER_PATH and untuk_peran(PER_PATH[pathname], a.role) else BERANDA[a.role]
        return dbc.Alert(pesan, color="success", className="mb-0 small"), tujuan + (search or "")

    app._output_login = {k for k in app.callback_map if "login-pesan.children" in k}

    # ---------------- filters <-> URL
    nav_ids = [f"nav-{h.PATH.strip('/')}" for h in HALAMAN]
    f_ids = {"periode": "f-periode", "kanwil": "f-kanwil", "jenis": "f-jenis", "kelas": "f-kelas",
             "bidang": "f-bidang", "upt": "f-upt", "indikator": "f-indikator"}

    @app.callback(
        Output("url", "search"), *[Output(f_ids[k], "value") for k in KUNCI_FILTER],
        Output("f-kanwil", "options"), Output("f-upt", "options"),
        Output("pilihan", "data"), *[Output(n, "href") for n in nav_ids], Output("pesan-url", "children"),
        Input("url", "search"), *[Input(f_ids[k], "value") for k in KUNCI_FILTER],
    )
    def sinkron(search, *nilai_filter):
        p = pengguna_sekarang()
        if p is None:
            raise dash.exceptions.PreventUpdate
        dari_url = ctx.triggered_id in (None, "url")
        mentah = baca_query(search) if dari_url else dict(zip(KUNCI_FILTER, nilai_filter))
        upt_sah: set[str] = set()
        try:
            nilai = normalisasi(gudang, p, mentah)
            f_upt = Pilihan(kanwil=nilai.get("kanwil"), jenis_upt=nilai.get("jenis"), kelas=nilai.get("kelas"))
            try:
                upts = gudang.daftar_upt(p, f_upt)
            except TidakBerwenang:
                upts = gudang.daftar_upt(p)
            upt_sah = set(upts.kode_upt)
            opsi_upt = _opsi((r.kode_upt, f"{r.kode_upt} · {r.nama_upt}") for r in upts.itertuples())
            opsi_kanwil = _opsi((r.kode_kanwil, r.nama_kanwil) for r in gudang.daftar_kanwil(p).itertuples())
        except GudangTidakTersedia:
            nilai, opsi_upt, opsi_kanwil = {k: mentah.get(k) for k in KUNCI_FILTER}, [], []
        # A code typed into the URL that is not among the user's options stays selected (the
        # dropdown would otherwise drop it silently) so the page can say "tidak berwenang".
        for kunci, opsi in (("kanwil", opsi_kanwil), ("upt", opsi_upt)):
            if nilai.get(kunci) and nilai[kunci] not in {o["value"] for o in opsi}:
                opsi.append({"label": f"{nilai[kunci]} (di luar cakupan)", "value": nilai[kunci]})
        if not dari_url and ctx.triggered_id in ("f-kanwil", "f-jenis", "f-kelas") and nilai.get("upt") \
                and nilai["upt"] not in upt_sah:
            nilai["upt"] = None
            opsi_upt = [o for o in opsi_upt if o["value"] != mentah.get("upt")]
        query = tulis_query(nilai)
        hrefs = [h.PATH + query for h in HALAMAN]
        if dari_url:
            # A URL parameter that could not be used: say so, and write the URL of what is shown.
            koreksi = koreksi_query(mentah, nilai)
            if koreksi:
                pesan = dbc.Alert([html.Strong("Alamat (URL) dikoreksi. "), " ".join(koreksi)], color="warning",
                                  className="py-2 small", id="pesan-koreksi-url", dismissable=True)
                return (query, *[nilai.get(k) for k in KUNCI_FILTER], opsi_kanwil, opsi_upt, nilai, *hrefs, pesan)
            return (no_update, *[nilai.get(k) for k in KUNCI_FILTER], opsi_kanwil, opsi_upt, nilai, *hrefs, no_update)
        nilai_keluar = [no_update] * len(KUNCI_FILTER)
        nilai_keluar[KUNCI_FILTER.index("upt")] = nilai.get("upt")
        return (query, *nilai_keluar, opsi_kanwil, opsi_upt, nilai, *hrefs, None)

    # ---------------- the UPT finder of Profil UPT (dashboards/pages/profil_upt.py)
    @app.callback(Output("hasil-cari-upt", "children"), Input("cari-upt", "value"), State("pilihan", "data"),
                  prevent_initial_call=True)
    def cari_upt(teks, nilai):
        from dashboards.pages import profil_upt

        p = pengguna_sekarang()
        if p is None:
            return pesan_galat("Sesi berakhir. Muat ulang halaman untuk masuk kembali.", "secondary")
        try:
            return profil_upt.hasil_cari(Konteks(gudang, p, ke_pilihan(normalisasi(gudang, p, nilai or {}))), teks)
        except TidakBerwenang as exc:
            return tidak_berwenang(str(exc))
        except GudangTidakTersedia as exc:
            return pesan_galat(str(exc))

    # ---------------- phone menu: open/close without a server round trip
    app.clientside_callback("(n, buka) => n ? !buka : buka", Output("nav-collapse", "is_open"),
                            Input("nav-toggler", "n_clicks"), State("nav-collapse", "is_open"), prevent_initial_call=True)

    # ---------------- page content
    @app.callback(Output("konten", "children"), Input("url", "pathname"), Input("pilihan", "data"))
    def konten(pathname, nilai):
        p = pengguna_sekarang()
        if p is None:
            return pesan_galat("Sesi berakhir. Muat ulang halaman untuk masuk kembali.", "secondary")
        if nilai is None:
            raise dash.exceptions.PreventUpdate
        hasil = render_halaman(gudang, p, pathname, nilai)
        if isinstance(hasil, dbc.Alert) and "pesan-galat" in (hasil.className or "") and hasil.color == "danger" \
                and "berwenang" in str(hasil.children):
            audit.tulis("akses_ditolak", p.username, ip(), halaman=pathname, pilihan=nilai)
        return hasil

    # ---------------- downloads
    @app.callback(
        Output("unduhan", "data"), Output("pesan-unduh", "children"),
        Input({"type": "unduh", "tabel": ALL}, "n_clicks"),
        State("pilihan", "data"), prevent_initial_call=True,
    )
    def unduh(_klik, nilai):
        pemicu = ctx.triggered_id
        if not pemicu or not any(t.get("value") for t in ctx.triggered):
            raise dash.exceptions.PreventUpdate
        p = pengguna_sekarang()
        if p is None:
            return no_update, pesan_galat("Sesi berakhir. Silakan masuk kembali.", "secondary")
        kunci = pemicu["tabel"]
        try:
            nama_file, data = buat_unduhan(gudang, p, kunci, nilai or {})
        except TidakBerwenang as exc:
            audit.tulis("unduh_ditolak", p.username, ip(), tabel=kunci, pilihan=nilai)
            return no_update, tidak_berwenang(str(exc))
        except GudangTidakTersedia as exc:
            return no_update, pesan_galat(str(exc))
        except Exception:  # noqa: BLE001
            ref = uuid.uuid4().hex[:8]
            log.exception("gagal membuat unduhan %s (ref %s)", kunci, ref)
            return no_update, pesan_galat(f"Unduhan gagal dibuat. Laporkan kode {ref} kepada tim data.", "danger")
        audit.tulis("unduh", p.username, ip(), tabel=kunci, file=nama_file, pilihan=nilai, bytes=len(data))
        return dcc.send_bytes(data, nama_file), None

    # ---------------- Unggah & periksa (dashboards/pages/unggah.py)
    def proses_unggah(p: Pengguna | None, isi, nama, **batas):
        """(result children, token, Kirim disabled, message) of a check; audited."""
        if p is None:
            return pesan_galat("Sesi berakhir. Silakan masuk kembali.", "secondary"), None, True, None
        try:
            berkas = unggah.decode_unggahan(isi, nama, batas.get("maks_byte", unggah.MAKS_BYTE))
            hasil = unggah.periksa_unggahan(p.role, p.scope, p.username, berkas, landing=landing,
                                            master_path=master, warehouse=gudang.path, **batas)
        except unggah.Ditolak as exc:
            audit.tulis("unggah_ditolak", p.username, ip(), alasan=str(exc), file=[str(n)[:120] for n in (nama or [])])
            return unggah.galat(str(exc)), None, True, None
        except UserError as exc:
            return unggah.galat(str(exc)), None, True, None
        ukuran = dict((n, d) for n, d in berkas)
        for _i, n, why in hasil.ditolak:
            audit.tulis("unggah_ditolak", p.username, ip(), file=n, alasan=why)
        if hasil.putusan:
            audit.tulis("unggah", p.username, ip(), token=hasil.token, file=[
                {"nama": v.nama_file, "bytes": len(ukuran.get(v.nama_file, b"")),
                 "sha256": hashlib.sha256(ukuran.get(v.nama_file, b"")).hexdigest(), "putusan": v.status,
                 "kode_tolak": v.kode_tolak, "baris_karantina": v.baris_karantina} for v in hasil.putusan])
        dapat = any(v.dapat_dikirim for v in hasil.putusan)
        return unggah.tampil_hasil(hasil), hasil.token, not dapat, None

    def proses_kirim(p: Pengguna | None, token):
        if p is None:
            return pesan_galat("Sesi berakhir. Silakan masuk kembali.", "secondary"), True
        try:
            hasil = unggah.kirim(p.role, p.scope, p.username, token, landing=landing, master_path=master)
        except unggah.Ditolak as exc:
            audit.tulis("kirim_ditolak", p.username, ip(), alasan=str(exc))
            return unggah.galat(str(exc)), True
        for n, why, tujuan in hasil:
            audit.tulis("kirim" if tujuan else "kirim_ditolak", p.username, ip(), file=n, hasil=why, tujuan=tujuan)
        return unggah.pesan_kirim(hasil), True

    app.proses_unggah, app.proses_kirim, app.landing = proses_unggah, proses_kirim, landing

    # ---------------- Tindak lanjut (dashboards/pages/tindak_lanjut.py): the follow-up register, same app database
    from dashboards.pages import tindak_lanjut as halaman_rtl
    from dashboards.tindak_lanjut import Register

    server.config["MONEV_APPDB"] = akun.url
    app.register_rtl = Register(akun.url, audit)
    halaman_rtl.daftarkan(app, pengguna_sekarang, app.register_rtl, gudang)

    @app.callback(
        Output("unggah-hasil", "children"), Output("unggah-token", "data"), Output("unggah-kirim", "disabled"),
        Output("unggah-pesan-kirim", "children", allow_duplicate=True), Output("unggah-berkas", "contents"),
        Input("unggah-berkas", "contents"), State("unggah-berkas", "filename"), prevent_initial_call=True,
    )
    def cb_unggah(isi, nama):
        if not isi:
            raise dash.exceptions.PreventUpdate
        # contents emptied: uploading the same file again (after fixing it) triggers a new check
        return (*proses_unggah(pengguna_sekarang(), isi, nama), None)

    @app.callback(
        Output("unggah-pesan-kirim", "children", allow_duplicate=True), Output("unggah-kirim", "disabled",
                                                                             allow_duplicate=True),
        Input("unggah-kirim", "n_clicks"), State("unggah-token", "data"), prevent_initial_call=True,
    )
    def cb_kirim(n, token):
        if not n:
            raise dash.exceptions.PreventUpdate
        return proses_kirim(pengguna_sekarang(), token)

    return app


def server_factory() -> flask.Flask:
    """gunicorn entry point: ``gunicorn -w 1 --threads 8 'dashboards.app:server_factory()'``."""
    wh = os.environ.get("MONEV_WAREHOUSE") or str(DEFAULT_WAREHOUSE)
    return create_app(Path(wh)).server


def serve(warehouse_path: Path | str | None = None, host: str = "127.0.0.1", port: int = 8050,
          db: Path | str | None = None, audit_log_path: Path | str | None = None) -> None:
    """Run the app with the built-in threaded server (for `monev serve`; gunicorn for production)."""
    wh = warehouse_path or os.environ.get("MONEV_WAREHOUSE") or DEFAULT_WAREHOUSE
    app = create_app(Path(wh), db, audit_log_path)
    app.run(host=host, port=port, debug=False, threaded=True, request_handler=PenangananTanpaVersi)
