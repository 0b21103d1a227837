"""Kualitas Data (issue 15): the "File ditolak" card counts exactly the rows its table lists, for a
UPT account and for Ditjenpas / a Kanwil with that UPT chosen, each rejected version in one period
only (docs/DECISIONS.md 50); the reasons are shown in Indonesian first, the English code last.

A tiny publication: the fixture warehouse (tests/dash_fixtures.py) whose mart_file_ditolak is
replaced by hand-made rows for UPT0004 (Lapas Garut, KW02), worked out below.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse, ctx  # noqa: E402
from dash_fixtures import cari_id as _cari_id  # noqa: E402

from dashboards import fmt  # noqa: E402
from dashboards.data import Gudang, Pengguna, Pilihan  # noqa: E402
from dashboards.pages import kualitas  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW02 = Pengguna("kw02", "kanwil", "KW02")
UPT4 = Pengguna("upt4", "upt", "UPT0004")

# (file_id, kode_upt, kind, bulan, reason_code, reason, received_at, bulan_periode)
TOLAK = [
    # May 2024, refused: 2024Q2
    (1, "UPT0004", "produksi", dt.date(2024, 5, 1), "MISSING_COLUMN", "kolom wajib tidak ada: jumlah_produksi",
     dt.datetime(2024, 6, 5, 9), dt.date(2024, 5, 1)),
    # the name gives no valid month (BAD_MONTH), received in August, so it would report on July: 2024Q3
    # only (it used to be listed in every period, so the card of 2024Q2 read 2 for one file of that quarter)
    (2, "UPT0004", "kegiatan", None, "BAD_MONTH", "bulan '202413' pada nama file tidak valid",
     dt.datetime(2024, 8, 3, 8), dt.date(2024, 7, 1)),
    # August 2024 refused, then the identical file sent again and refused again: two rejections, 2024Q3
    (3, "UPT0004", "penjualan", dt.date(2024, 8, 1), "UNREADABLE", "file tidak dapat dibaca",
     dt.datetime(2024, 9, 2, 8), dt.date(2024, 8, 1)),
    (4, "UPT0004", "penjualan", dt.date(2024, 8, 1), "UNREADABLE", "file tidak dapat dibaca",
     dt.datetime(2024, 9, 3, 8), dt.date(2024, 8, 1)),
    # another UPT of KW02 and a file of no known UPT: never in UPT0004's figures
    (5, "UPT0003", "pnbp", dt.date(2024, 8, 1), "MISSING_COLUMN", "kolom wajib tidak ada: ntpn",
     dt.datetime(2024, 9, 4, 8), dt.date(2024, 8, 1)),
    (6, None, None, None, "BAD_NAME", "nama file tidak mengikuti pola", dt.datetime(2024, 8, 5, 8), dt.date(2024, 7, 1)),
    # no month in the name, received on 2 July: reports on June, so 2024Q2 (not Q3)
    (7, "UPT0004", "pnbp", None, "BAD_MONTH", "bulan '202400' pada nama file tidak valid",
     dt.datetime(2024, 7, 2, 8), dt.date(2024, 6, 1)),
]
HARAP = {"2024Q1": 0, "2024Q2": 2, "2024Q3": 3, "2024S1": 2, "2024S2": 3, "2024": 5}


def _publikasi(path: Path, dengan_bulan_periode: bool) -> Path:
    build_warehouse(path)
    con = duckdb.connect(str(path))
    try:
        con.execute("delete from mart_file_ditolak")
        if dengan_bulan_periode:
            con.execute("alter table mart_file_ditolak add column bulan_periode DATE")
        for fid, u, kind, bulan, kode, alasan, diterima, bp in TOLAK:
            nama = f"{u or 'X'}_{kind or 'x'}_{bulan:%Y%m}.csv" if bulan else f"{u or 'X'}_{kind or 'x'}_202413.csv"
            baris = dict(file_id=fid, path=f"KW02/{u}/{nama}", kode_upt=u, kind=kind, bulan=bulan,
                         reason_code=kode, reason=alasan, received_at=diterima)
            if dengan_bulan_periode:
                baris["bulan_periode"] = bp
            con.execute(f"insert into mart_file_ditolak ({', '.join(baris)}) values ({', '.join('?' * len(baris))})",
                        list(baris.values()))
    finally:
        con.close()
    return path


@pytest.fixture(scope="module", params=[True, False], ids=["bulan_periode", "publikasi_lama"])
def gudang(request, tmp_path_factory):
    """The publication with mart_file_ditolak.bulan_periode, and one published before it (same rule
    computed by the data layer)."""
    g = Gudang(_publikasi(tmp_path_factory.mktemp("tolak") / "monev.duckdb", request.param))
    yield g
    g.close()




def _nilai_kartu(halaman, id_) -> str:
    kartu = _cari_id(halaman, id_)
    return kartu.children.children[1].children  # CardBody -> [judul, nilai, ...]


@pytest.mark.parametrize("periode", list(HARAP))
@pytest.mark.parametrize("siapa", ["upt", "kanwil_pilih_upt", "pusat_pilih_upt"])
def test_card_equals_table_rows_and_each_rejection_counts_in_one_period(gudang, siapa, periode):
    p, kw = {"upt": (UPT4, {}), "kanwil_pilih_upt": (KW02, {"upt": "UPT0004"}),
             "pusat_pilih_upt": (PUSAT, {"upt": "UPT0004"})}[siapa]
    c = ctx(gudang, p, periode=periode, **kw)
    tabel = kualitas.tabel_ditolak(c)
    assert len(tabel) == HARAP[periode], tabel
    assert set(tabel.kode_upt) <= {"UPT0004"}
    halaman = kualitas.tampilan(c)
    assert _nilai_kartu(halaman, "kartu-file-ditolak") == fmt.format_angka(HARAP[periode])
    dt_tabel = _cari_id(halaman, "tabel-kualitas_ditolak")
    assert (0 if dt_tabel is None else len(dt_tabel.data)) == HARAP[periode]


def test_quarters_add_up_to_the_year(gudang):
    n = {per: len(gudang.file_ditolak(UPT4, Pilihan(), per)) for per in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024")}
    assert n["2024Q1"] + n["2024Q2"] + n["2024Q3"] + n["2024Q4"] == n["2024"] == 5


def test_national_view_keeps_files_of_no_known_upt_in_their_period(gudang):
    q3 = gudang.file_ditolak(PUSAT, Pilihan(), "2024Q3")
    assert sorted(q3.path.str.split("/").str[-1]) == sorted(
        ["X_x_202413.csv", "UPT0004_kegiatan_202413.csv", "UPT0004_penjualan_202408.csv",
         "UPT0004_penjualan_202408.csv", "UPT0003_pnbp_202408.csv"])
    assert len(gudang.file_ditolak(PUSAT, Pilihan(), "2024Q2")) == 2


def test_rejection_table_shows_the_indonesian_reason_first(gudang):
    halaman = kualitas.tampilan(ctx(gudang, UPT4, periode="2024Q3"))
    t = _cari_id(halaman, "tabel-kualitas_ditolak")
    assert t.columns[0]["id"] == "reason" and t.columns[0]["name"] == "Alasan"
    assert t.columns[-1]["id"] == "reason_code"  # the English code, if anywhere, last
    assert {r["reason"] for r in t.data} == {"bulan '202413' pada nama file tidak valid", "file tidak dapat dibaca"}
    # wraps in a column a 390 px phone shows whole
    gaya = [g for g in t.style_data_conditional if g["if"].get("column_id") == "reason"]
    assert gaya and gaya[0]["whiteSpace"] == "normal" and int(gaya[0]["maxWidth"].rstrip("px")) <= 300


def test_quarantine_tables_show_the_indonesian_reason_first(gudang):
    c = ctx(gudang, PUSAT, periode="2024Q3")
    halaman = kualitas.tampilan(c)
    ringkas = _cari_id(halaman, "tabel-kualitas_karantina_ringkas")
    assert ringkas.columns[0]["id"] == "alasan" and ringkas.columns[0]["name"] == "Alasan"
    assert ringkas.columns[-1]["id"] == "reason_code"
    kode = {r["reason_code"] for r in ringkas.data}
    assert kode and kode <= {"QC_EXCEEDS", "MISSING_REQUIRED", "INVALID_ENUM"}
    # the export spec's Indonesian wording, never the code
    label = {"QC_EXCEEDS": "Jumlah_lolos_qc melebihi jumlah_produksi", "MISSING_REQUIRED": "Nilai wajib kosong",
             "INVALID_ENUM": "Nilai di luar daftar kode"}
    assert all(r["alasan"] == label[r["reason_code"]] for r in ringkas.data)
    baris = _cari_id(halaman, "tabel-kualitas_karantina")
    assert baris.columns[0]["id"] == "reason" and baris.columns[-1]["id"] == "reason_code"


def test_every_reason_code_has_an_indonesian_label():
    from dagster_project.spec import DEFECT_CODES, REJECT_CODES

    for kode in (*REJECT_CODES, *DEFECT_CODES):
        teks = fmt.label_kode("alasan", kode)
        assert teks != kode and teks[0].isupper() and not teks.isupper() and " " in teks, (kode, teks)


# ---------------------------------------------------------------- the demo published by the real pipeline
@pytest.mark.slow
def test_demo_card_table_and_published_summary_agree_for_every_upt_and_quarter(demo_pipeline):
    """On the demo (generate -> monev load -> dbt): for every UPT and quarter, the rows the page lists
    for the UPT account (its card) equal mart_kualitas_upt.file_ditolak (the per-UPT summary), and
    Ditjenpas with the UPT chosen sees the same rows. The demo's refused files include names with an
    unknown kind or month, which the summary used to miss."""
    g = Gudang(demo_pipeline.warehouse)
    try:
        pusat = Pengguna("uji", "ditjenpas")
        triwulan = list(g.daftar_periode(pusat, "TRIWULAN").periode)
        ringkas = g._q("select kode_upt, periode, file_ditolak from srv.mart_kualitas_upt")
        n = {(r.kode_upt, r.periode): int(r.file_ditolak) for r in ringkas.itertuples(index=False)}
        semua = g._q("select kode_upt from srv.mart_file_ditolak where kode_upt in (select kode_upt from srv.dim_upt)")
        assert len(semua) > 0, "the demo should refuse some files of known UPTs"
        total = 0  # every refused file of a known UPT is in exactly one quarter with data
        for u in sorted(set(semua.kode_upt)):
            for per in triwulan:
                rows = len(g.file_ditolak(Pengguna(u.lower(), "upt", u), Pilihan(), per))
                assert rows == n.get((u, per), 0), (u, per)
                assert len(g.file_ditolak(pusat, Pilihan(upt=u), per)) == rows
                total += rows
        assert total == len(semua)
    finally:
        g.close()
