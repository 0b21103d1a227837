"""The follow-up register (RTL): opened by Kanwil/Ditjenpas on a finding they can see, answered by the
UPT concerned, closed by the Kanwil with a note, overdue flagged, scoped by role, audited, stored in
the app database (Alembic revision 0002), and listed by the next quarter's report."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards import appdb  # noqa: E402
from dashboards.audit import AuditLog  # noqa: E402
from dashboards.data import Pengguna, Pilihan  # noqa: E402
from dashboards.excel import laporan_monev  # noqa: E402
from dashboards.pages import tindak_lanjut as halaman  # noqa: E402
from dashboards.tindak_lanjut import DIJAWAB, DITUTUP, TERBUKA, Ditolak, Register  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
KW02 = Pengguna("kw02", "kanwil", "KW02")
UPT1 = Pengguna("upt1", "upt", "UPT0001")
UPT2 = Pengguna("upt2", "upt", "UPT0002")
UPT4 = Pengguna("upt4", "upt", "UPT0004")
HARI = dt.date(2025, 1, 20)
Q3 = "2024Q3"


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    url = "sqlite:///" + str(tmp_path_factory.mktemp("rtl") / "app.db")
    return Register(url, AuditLog(url))


@pytest.fixture(scope="module")
def alur(reg, gudang):
    """KW01 opens one follow-up on its UPT0001's participation finding; UPT0001 answers; KW01 closes it.
    A second one (on UPT0002's rate over 100 %) stays open past its due date."""
    a = reg.buka(gudang, KW01, "t-u1-part", Q3, "Tambah kelas pelatihan las", "Kasi Giatja", "2025-02-28",
                 hari_ini=HARI)
    reg.jawab(UPT1, a, "Kelas las kedua dibuka Februari")
    reg.tutup(KW01, a, "Diverifikasi pada kunjungan monev")
    b = reg.buka(gudang, PUSAT, "t-u2-100", Q3, "Periksa laporan Litmas", "Kalapas", HARI, hari_ini=HARI)
    return a, b


def test_database_at_the_new_revision(reg):
    assert appdb.current_revision(reg.url) == "0002_tindak_lanjut"


def test_cycle_open_answer_close(reg, alur):
    a, b = alur
    df = reg.daftar(PUSAT, hari_ini=HARI).set_index("id")
    assert df.at[a, "status"] == DITUTUP and df.at[a, "jawaban"] == "Kelas las kedua dibuka Februari"
    assert df.at[a, "catatan_tutup"] == "Diverifikasi pada kunjungan monev" and df.at[a, "ditutup_oleh"] == "kw01"
    assert df.at[a, "dijawab_oleh"] == "upt1" and df.at[a, "dibuka_oleh"] == "kw01"
    assert (df.at[a, "kode_upt"], df.at[a, "kode_kanwil"]) == ("UPT0001", "KW01")
    assert df.at[b, "status"] == TERBUKA and df.at[b, "tenggat"] == HARI


def test_overdue_flagged_until_closed(reg, alur):
    a, b = alur
    on_day = reg.daftar(PUSAT, hari_ini=HARI).set_index("id")
    after = reg.daftar(PUSAT, hari_ini=HARI + dt.timedelta(days=1)).set_index("id")
    assert not on_day.at[b, "terlambat"] and after.at[b, "terlambat"]
    assert not after.at[a, "terlambat"]  # closed: never overdue


@pytest.mark.parametrize("p, harap", [(PUSAT, {"a", "b"}), (KW01, {"a", "b"}), (UPT1, {"a"}), (UPT2, {"b"}),
                                      (KW02, set()), (UPT4, set())])
def test_scoped_by_role(reg, alur, p, harap):
    ids = {"a": alur[0], "b": alur[1]}
    assert set(reg.daftar(p).id) == {ids[k] for k in harap}


def test_refusals_are_one_sentence(reg, gudang, alur):
    a, b = alur
    cases = [
        lambda: reg.buka(gudang, UPT1, "t-u1-part", Q3, "x", "y", "2025-03-01", hari_ini=HARI),  # a UPT cannot open
        lambda: reg.buka(gudang, KW01, "t-u3-pnbp", Q3, "x", "y", "2025-03-01", hari_ini=HARI),  # KW02's finding
        lambda: reg.buka(gudang, KW01, "t-u1-part", Q3, "x", "y", "2025-01-19", hari_ini=HARI),  # due in the past
        lambda: reg.buka(gudang, KW01, "t-u1-part", Q3, "  ", "y", "2025-03-01", hari_ini=HARI),  # nothing to do
        lambda: reg.buka(gudang, KW01, "t-u1-part", Q3, "x", "y", "besok", hari_ini=HARI),  # not a date
        lambda: reg.jawab(UPT4, b, "bukan urusan kami"),  # not its follow-up
        lambda: reg.jawab(KW01, b, "Kanwil menjawab untuk UPT"),  # a UPT finding is answered by the UPT
        lambda: reg.tutup(UPT2, b, "ditutup sendiri"),  # a UPT cannot close
        lambda: reg.tutup(KW01, a, "lagi"),  # already closed
        lambda: reg.jawab(UPT1, a, "terlambat menjawab"),  # closed: no more answers
        lambda: reg.tutup(KW02, b, "bukan Kanwil kami"),
    ]
    for f in cases:
        with pytest.raises(Ditolak) as e:
            f()
        assert str(e.value).endswith(".") and "\n" not in str(e.value)


def test_every_change_audited(reg, alur):
    with appdb.session_scope(reg.url) as s:
        rows = s.execute(select(appdb.CatatanAudit.event, appdb.CatatanAudit.username)
                         .where(appdb.CatatanAudit.event.like("rtl_%"))).all()
    assert ("rtl_buka", "kw01") in rows and ("rtl_jawab", "upt1") in rows and ("rtl_tutup", "kw01") in rows
    assert ("rtl_buka", "pusat") in rows


def test_next_quarters_report_lists_open_and_closed(reg, gudang, alur):
    a, b = alur
    _nama, data = laporan_monev(gudang, KW01, Pilihan(), "2024Q4", "kanwil", register=reg)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Tindak lanjut"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows[a][6] == "Ditutup" and rows[a][9] == "Diverifikasi pada kunjungan monev"
    assert rows[b][6] == "Terbuka" and rows[b][1] == "Triwulan III 2024"
    tenggat = next(c for c in ws[4 + sorted(rows).index(b)] if c.column == 6)
    assert tenggat.value.date() == HARI and tenggat.number_format == "dd/mm/yyyy"  # a date, not text
    # the UPT report of UPT0002 lists only its own
    _nama, data = laporan_monev(gudang, UPT2, Pilihan(), "2024Q4", "upt", register=reg)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Tindak lanjut"]
    assert [r[0] for r in ws.iter_rows(min_row=4, values_only=True)] == [b]


def test_page_actions_answer_with_a_message_not_a_traceback(reg, gudang, alur):
    pesan, _daftar, _opsi = halaman.proses(reg, gudang, UPT1, "buka", temuan_id="t-u1-part", periode=Q3,
                                           tindakan="x", penanggung_jawab="y", tenggat="2030-01-01")
    assert "hanya dapat dibuka oleh akun Kanwil atau Ditjenpas" in str(pesan.children)
    pesan, daftar, opsi = halaman.proses(reg, gudang, KW02, "buka", temuan_id="t-u4-rugi", periode=Q3,
                                         tindakan="Evaluasi harga jual roti", penanggung_jawab="Kabid", tenggat="2030-01-01")
    assert "dibuka" in str(pesan.children)
    baru = max(reg.daftar(KW02).id)
    assert {o["value"] for o in opsi} == {baru}
    pesan, _d, _o = halaman.proses(reg, gudang, UPT4, "jawab", id=baru, teks="Harga disesuaikan")
    assert "dijawab" in str(pesan.children)
    assert reg.daftar(UPT4).set_index("id").at[baru, "status"] == DIJAWAB


def test_next_quarters_pdf_lists_them_too(reg, gudang, alur):
    from pypdf import PdfReader

    from dashboards.pdf import laporan_monev_pdf

    _nama, data = laporan_monev_pdf(gudang, KW01, Pilihan(), "2024Q4", "kanwil", register=reg)
    teks = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)
    assert "Tindak lanjut" in teks and "Tambah kelas pelatihan las" in teks and "Periksa laporan Litmas" in teks
    assert "Ditutup" in teks and "Terbuka" in teks and "20 Januari 2025" in teks
