"""Ingestion against EXPORT_SPEC.md, one rule at a time, on small hand-made files.

Each test writes the files a UPT could send, runs one load into a temporary working warehouse,
and checks what was accepted, refused or quarantined, with which reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dagster_project.ingest.files import parse_file_name
from dagster_project.ingest.loader import ingest

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"

NAPI_HEAD = ("no_registrasi,nik,nama,jenis_kelamin,tanggal_lahir,tanggal_masuk,lama_pidana_hari,tanggal_keluar,"
             "tanggal_litmas,rekomendasi_litmas,minat_bakat")
NAPI_ROWS = [
    "B.I-1/2024,3201010101010001,Budi Santoso,L,1990-02-01,2024-01-05,365,,2024-01-10,PELATIHAN,menjahit",
    "B.I-2/2024,3201010101010002,Siti Aminah,P,1985-03-04,2024-01-07,730,,,,",
]
KEG_HEAD = "kode_kegiatan,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap,anggaran_rab"
KEG_ROW = "K1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN,1000000"
PROD_HEAD = "no_batch,kode_kegiatan,tanggal,nama_produk,satuan,jumlah_produksi,jumlah_lolos_qc"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8", mtime: float | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def load(tmp_path: Path, landing: Path):
    work = tmp_path / "work.duckdb"
    summary = ingest(work, landing, MASTER, tmp_path / "scratch")
    return summary, duckdb.connect(str(work), read_only=True)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    d = tmp_path / "landing"
    d.mkdir()
    return d


def q(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize("name,code", [
    ("UPT0001-narapidana-2024-01.csv", "BAD_NAME"),
    ("laporan final.csv", "BAD_NAME"),
    ("UPT0001_narapidana_202401.pdf", "BAD_NAME"),
    ("UPT9999_narapidana_202401.csv", "UNKNOWN_UPT"),
    ("UPT0001_pegawai_202401.csv", "UNKNOWN_KIND"),
    ("UPT0001_narapidana_202413.csv", "BAD_MONTH"),
    ("UPT0001_narapidana_2024.csv", "BAD_MONTH"),
    ("upt0001_NARAPIDANA_202401.CSV", None),
])
def test_file_name_rules(name, code):
    parsed = parse_file_name(name, {"UPT0001"})
    assert parsed.reject_code == code
    if code is None:
        assert (parsed.kode_upt, parsed.kind, parsed.bulan) == ("UPT0001", "narapidana", dt.date(2024, 1, 1))


# ---------------------------------------------------------------- accepted formats


def test_format_variants_all_load_to_the_same_values(tmp_path, landing):
    """`,`/`;`, UTF-8 with/without BOM, Windows-1252, header variants, dates, Rupiah, yes/no, XLSX."""
    write(landing, "a/UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\n")
    # kegiatan in four spellings for four UPTs: same figures expected from each
    variants = {
        "UPT0002": ("\ufeffKode Kegiatan;Nama Kegiatan;JENIS KEGIATAN;Bidang;Subbidang;Tanggal Mulai;Tahap;"
                    "Anggaran RAB;Prioritas\n K1 ;Roti Café;produksi ; industri;makanan_minuman;01/01/2024;"
                    "pelaksanaan;Rp 1.250.000;Ya\n", "utf-8"),
        "UPT0003": ("  kode_kegiatan ,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap,anggaran_rab,"
                    "prioritas,catatan\nK1,Roti Café,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,01-01-2024,PELAKSANAAN,"
                    "\"1.250.000,00\",Y,bebas\n", "utf-8"),
        "UPT0004": ("tahap;kode_kegiatan;nama_kegiatan;jenis_kegiatan;bidang;subbidang;tanggal_mulai;anggaran_rab;"
                    "prioritas\nPELAKSANAAN;K1;Roti Café;PRODUKSI;INDUSTRI;MAKANAN_MINUMAN;2024-01-01;1250000;TRUE\n",
                    "cp1252"),
    }
    for upt, (text, enc) in variants.items():
        write(landing, f"{upt}/{upt}_kegiatan_202401.csv", text, enc)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode Kegiatan", "Nama Kegiatan", "Jenis Kegiatan", "Bidang", "Subbidang", "Tanggal Mulai", "Tahap",
               "Anggaran RAB", "Prioritas"])
    ws.append(["K1", "Roti Café", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN", dt.datetime(2024, 1, 1), "PELAKSANAAN",
               1250000, "1"])
    (landing / "UPT0005").mkdir()
    wb.save(landing / "UPT0005" / "UPT0005_kegiatan_202401.xlsx")
    summary, con = load(tmp_path, landing)
    assert summary.files_rejected == 0, summary.rejected
    rows = q(con, "select kode_upt, kode_kegiatan, nama_kegiatan, jenis_kegiatan, bidang, subbidang, tanggal_mulai, "
                  "tahap, anggaran_rab, prioritas from raw.kegiatan order by kode_upt")
    assert [r[0] for r in rows] == ["UPT0002", "UPT0003", "UPT0004", "UPT0005"]
    for r in rows:
        assert r[1:] == ("K1", "Roti Café", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN", dt.date(2024, 1, 1),
                         "PELAKSANAAN", 1250000, True)
    extra = q(con, "select kode_upt, extra_columns from meta.file_registry where extra_columns is not null")
    assert extra == [("UPT0003", "catatan")]
    enc = dict(q(con, "select kode_upt, encoding from meta.file_registry where kind = 'kegiatan'"))
    assert enc["UPT0002"] == "utf-8-sig" and enc["UPT0004"] == "cp1252"


@pytest.mark.parametrize("akhir_baris", ["\n", "\r\n", "crlf+lf", "crlf+cr", "cr"],
                         ids=["lf", "crlf", "crlf_then_bare_lf", "crlf_then_bare_cr", "cr_only"])
def test_line_endings_plain_and_mixed_load_the_same_rows(tmp_path, landing, akhir_baris):
    """Windows (CRLF), Unix (LF), old Mac (CR) and a CRLF export with a bare LF/CR appended by another
    tool: each loads both rows with the same row numbers; none is lost as unreadable."""
    if akhir_baris == "crlf+lf":
        text = "\r\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\r\n\n"
    elif akhir_baris == "crlf+cr":
        text = "\r\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\r\n\r"
    elif akhir_baris == "cr":
        text = "\r".join([NAPI_HEAD, *NAPI_ROWS]) + "\r"
    else:
        text = akhir_baris.join([NAPI_HEAD, *NAPI_ROWS]) + akhir_baris
    write(landing, "a/UPT0001_narapidana_202401.csv", text)
    summary, con = load(tmp_path, landing)
    assert summary.files_rejected == 0, summary.rejected
    assert q(con, "select no_registrasi, jenis_kelamin, _row_number from raw.narapidana order by _row_number") == [
        ("B.I-1/2024", "L", 1), ("B.I-2/2024", "P", 2)]
    assert q(con, "select count(*) from meta.quarantine") == [(0,)]


@pytest.mark.parametrize("text,expected", [
    ("1250000", 1250000), ("1.250.000", 1250000), ("1.250.000,00", 1250000), ("Rp 1.250.000", 1250000),
    ("Rp1.250.000,50", 1250000.50), ("rp 750", 750), ("12,5", 12.5),
])
def test_rupiah_formats(tmp_path, landing, text, expected):
    write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD}\nK1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,"
                                                  f"PELAKSANAAN,\"{text}\"\n")
    _, con = load(tmp_path, landing)
    assert q(con, "select anggaran_rab from raw.kegiatan") == [(pytest.approx(expected),)]


@pytest.mark.parametrize("text,expected", [("Y", True), ("n", False), ("Ya", True), ("TIDAK", False), ("1", True),
                                           ("0", False), ("true", True), ("False", False)])
def test_yes_no_variants(tmp_path, landing, text, expected):
    write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD},prioritas\n{KEG_ROW},{text}\n")
    _, con = load(tmp_path, landing)
    assert q(con, "select prioritas from raw.kegiatan") == [(expected,)]


def test_xlsx_serial_dates_and_header_only_files(tmp_path, landing):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(KEG_HEAD.split(","))
    ws.append(["K1", "Roti", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN", 45292, "PELAKSANAAN", 1000000])  # 2024-01-01
    wb.save(landing / "UPT0001_kegiatan_202401.xlsx")
    write(landing, "UPT0001_produksi_202401.csv", PROD_HEAD + "\n")
    summary, con = load(tmp_path, landing)
    assert q(con, "select tanggal_mulai from raw.kegiatan") == [(dt.date(2024, 1, 1),)]
    assert q(con, "select status, rows_read, rows_loaded from meta.file_registry where kind = 'produksi'") == [
        ("LOADED", 0, 0)]
    assert summary.files_accepted == 2


# ---------------------------------------------------------------- whole-file rejections


def test_whole_file_rejections_load_nothing(tmp_path, landing):
    write(landing, "UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\n")
    write(landing, "UPT0001_produksi_202401.csv", "no_batch,kode_kegiatan\nB1,K1\n")  # required columns missing
    write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD},kode_upt\n{KEG_ROW},UPT0002\n")  # kode_upt disagrees
    write(landing, "UPT0001_penjualan_202401.csv", "")  # empty file
    (landing / "UPT0001_pnbp_202401.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    write(landing, "UPT0001_peserta_202401.csv", "no_registrasi,kode_kegiatan,tanggal_mulai,status\n"
                                                "B.I-1/2024,K1,2024-01-05,AKTIF,extra,cells\n")
    summary, con = load(tmp_path, landing)
    codes = dict(q(con, "select kind, reject_code from meta.file_registry where status = 'REJECTED'"))
    assert codes == {"produksi": "MISSING_COLUMN", "kegiatan": "UPT_MISMATCH", "penjualan": "UNREADABLE",
                     "pnbp": "UNREADABLE", "peserta": "UNREADABLE"}
    for kind in ("produksi", "kegiatan", "penjualan", "pnbp", "peserta"):
        assert q(con, f"select count(*) from raw.{kind}") == [(0,)]
    assert summary.files_rejected == 5 and summary.files_accepted == 1
    reasons = dict(q(con, "select kind, reject_reason from meta.file_registry where status = 'REJECTED'"))
    assert "jumlah_produksi" in reasons["produksi"] and "UPT0002" in reasons["kegiatan"]


# ---------------------------------------------------------------- row quarantine


def quarantined(con) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for row, code in q(con, "select row_number, reason_code from meta.quarantine"):
        out.setdefault(row, set()).add(code)
    return out


def test_row_rules_narapidana(tmp_path, landing):
    rows = [
        NAPI_ROWS[0],                                                                      # 1 clean
        "B.I-3/2024,320101010101000,Ani,P,1990-01-01,2024-01-05,365,,,,",                  # 2 NIK 15 digits
        "B.I-4/2024,3201010101010004,Ani,X,1990-01-01,2024-01-05,365,,,,",                 # 3 sex not L/P
        "B.I-5/2024,3201010101010005,Ani,P,1990-01-01,2024-01-05,-5,,,,",                  # 4 negative sentence
        "B.I-6/2024,3201010101010006,Ani,P,1990-01-01,2024-01-05,0,,,,",                   # 5 sentence 0 (> 0 rule)
        "B.I-7/2024,3201010101010007,Ani,P,1990-01-01,2024-01-05,365,2024-01-01,,,",       # 6 released before admitted
        "B.I-8/2024,3201010101010008,Ani,P,1990-01-01,31/02/2024,365,,,,",                 # 7 impossible date
        "B.I-9/2024,3201010101010009,,P,1990-01-01,2024-01-05,365,,,,",                    # 8 name missing
        "B.I-10/2024,3201010101010010,Ani,P,1990-01-01,2024-01-05,365,,2024-01-01,,",      # 9 Litmas before admission
        "B.I-11/2024,3201010101010011,Ani,P,1990-01-01,2024-01-05,365,,2024-01-08,KERJA,", # 10 bad recommendation
        "B.I-12/2024,3201010101010012,Ani,P,1990-01-01,2024-01-05,abc,,,,",                # 11 unparseable count
        "B.I-13/2024,3201010101010013,Ani,P,1990-01-01,2024-01-05,365,,,,",                # 12 duplicate key ...
        "b.i-13/2024 ,3201010101010014,Ani,P,1990-01-01,2024-01-05,365,,,,",               # 13 ... same key, any case
    ]
    write(landing, "UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *rows]) + "\n")
    summary, con = load(tmp_path, landing)
    got = quarantined(con)
    assert got == {2: {"INVALID_NIK"}, 3: {"INVALID_ENUM"}, 4: {"NEGATIVE"}, 5: {"NEGATIVE"}, 6: {"DATE_ORDER"},
                   7: {"UNPARSEABLE"}, 8: {"MISSING_REQUIRED"}, 9: {"DATE_ORDER"}, 10: {"INVALID_ENUM"},
                   11: {"UNPARSEABLE"}, 12: {"DUPLICATE_KEY"}, 13: {"DUPLICATE_KEY"}}
    assert q(con, "select _row_number from raw.narapidana") == [(1,)]
    # rows read = rows loaded + rows quarantined, per file
    assert q(con, "select rows_read, rows_loaded, rows_quarantined from meta.file_registry") == [(13, 1, 12)]
    assert summary.rows_loaded == 1 and summary.rows_quarantined == 12
    # a reason a data engineer understands, naming the kind, the row and the values
    reason = q(con, "select reason from meta.quarantine where row_number = 6")[0][0]
    assert reason == "narapidana baris 6: tanggal_masuk 2024-01-05 sesudah tanggal_keluar 2024-01-01"


def test_row_rules_production_sales_deposits_and_references(tmp_path, landing):
    write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD}\n{KEG_ROW}\n")
    write(landing, "UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\n")
    write(landing, "UPT0001_produksi_202401.csv", "\n".join([
        PROD_HEAD,
        "B1,K1,2024-01-10,Roti,pcs,100,100",      # 1 clean (boundary: lolos = produksi)
        "B2,K1,2024-01-10,Roti,pcs,100,120",      # 2 lolos > produksi
        "B3,K9,2024-01-10,Roti,pcs,100,90",       # 3 programme never sent
        "B4,K1,2024-01-10,Roti,pcs,10,-1",         # 4 negative count
    ]) + "\n")
    write(landing, "UPT0001_penjualan_202401.csv", "\n".join([
        "no_transaksi,tanggal,kode_kegiatan,nama_produk,jumlah,harga_satuan,total,kanal,jenis_pembeli",
        "T1,2024-01-11,K1,Roti,10,5.000,50.001,galeri,internal",      # 1 clean (Rp 1 tolerance)
        "T2,2024-01-11,K1,Roti,10,5.000,50.002,GALERI,INTERNAL",      # 2 total off by Rp 2
        "T3,2024-01-11,K1,Roti,10,5.000,50.000,TOKO,INTERNAL",        # 3 unknown channel
    ]) + "\n")
    write(landing, "UPT0001_peserta_202401.csv", "\n".join([
        "no_registrasi,kode_kegiatan,tanggal_mulai,tanggal_selesai,status",
        "B.I-1/2024,K1,2024-01-06,,AKTIF",           # 1 clean
        "B.I-99/2024,K1,2024-01-06,,AKTIF",          # 2 inmate never sent
        "B.I-2/2024,K1,2024-01-06,2024-01-01,SELESAI",  # 3 ends before it starts
    ]) + "\n")
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([
        "ntpn,tanggal_setor,jumlah_setor,periode_penjualan",
        "ABCDEF0123456789,2024-01-20,50.000,2024-01",  # 1 clean
        "ABCDEF0123456780,2024-01-20,0,2024-01",       # 2 deposit must be > 0
        "ABCDEF0123456781,2024-01-20,10,2024-13",      # 3 bad sales month
    ]) + "\n")
    write(landing, "UPT0002_pnbp_202401.csv", "\n".join([
        "ntpn,tanggal_setor,jumlah_setor,periode_penjualan",
        "ABCDEF0123456789,2024-01-21,50.000,2024-01",  # 1 NTPN already reported by UPT0001 (received earlier)
    ]) + "\n", mtime=2_000_000_000)
    _, con = load(tmp_path, landing)
    got: dict[tuple[str, str, int], set[str]] = {}
    for kind, upt, row, code in q(con, "select kind, kode_upt, row_number, reason_code from meta.quarantine"):
        got.setdefault((kind, upt, row), set()).add(code)
    assert got == {
        ("produksi", "UPT0001", 2): {"QC_EXCEEDS"}, ("produksi", "UPT0001", 3): {"UNKNOWN_REFERENCE"},
        ("produksi", "UPT0001", 4): {"NEGATIVE"},
        ("penjualan", "UPT0001", 2): {"TOTAL_MISMATCH"}, ("penjualan", "UPT0001", 3): {"INVALID_ENUM"},
        ("peserta", "UPT0001", 2): {"UNKNOWN_REFERENCE"}, ("peserta", "UPT0001", 3): {"DATE_ORDER"},
        ("pnbp", "UPT0001", 2): {"NEGATIVE"}, ("pnbp", "UPT0001", 3): {"UNPARSEABLE"},
        ("pnbp", "UPT0002", 1): {"DUPLICATE_NTPN"},
    }
    assert q(con, "select reason from meta.quarantine where kind = 'produksi' and row_number = 2") == [
        ("produksi baris 2: jumlah_lolos_qc 120.00 > jumlah_produksi 100.00",)]
    totals = q(con, "select sum(rows_read), sum(rows_loaded) + sum(rows_quarantined) from meta.file_registry")
    assert totals[0][0] == totals[0][1]


# ---------------------------------------------------------------- versions, replacement, no-op


def test_resend_replaces_identical_is_noop_and_history_is_kept(tmp_path, landing):
    first = write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD}\n{KEG_ROW}\n", mtime=1_700_000_000)
    s1, con = load(tmp_path, landing)
    con.close()
    assert (s1.files_accepted, s1.files_replaced) == (1, 0)
    # identical re-send in another sub-folder: registered, changes nothing
    write(landing, "ulang/UPT0001_kegiatan_202401.csv", first.read_text(), mtime=1_700_100_000)
    s2, con = load(tmp_path, landing)
    con.close()
    assert (s2.files_new, s2.files_identical, s2.files_accepted, s2.files_unchanged) == (1, 1, 0, 1)
    # corrected re-send: replaces the earlier version entirely
    write(landing, "ulang2/UPT0001_kegiatan_202401.csv",
          f"{KEG_HEAD}\nK1,Roti Tawar,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,MONEV,2000000\n"
          "K2,Bata,PRODUKSI,INDUSTRI,BAHAN_BANGUNAN,2024-01-01,PELAKSANAAN,500000\n", mtime=1_700_200_000)
    s3, con = load(tmp_path, landing)
    assert (s3.files_accepted, s3.files_replaced) == (1, 1)
    versions = q(con, "select status, is_current, replaces_file_id from meta.file_registry order by received_at, file_id")
    assert versions == [("LOADED", False, None), ("IDENTICAL", False, None), ("LOADED", True, 1)]
    current = q(con, """select k.kode_kegiatan, k.nama_kegiatan from raw.kegiatan k
                        join meta.file_registry r on r.file_id = k._file_id where r.is_current order by 1""")
    assert current == [("K1", "Roti Tawar"), ("K2", "Bata")]
    assert q(con, "select count(*) from raw.kegiatan") == [(3,)]  # history kept: old version's row still there
    con.close()
    # nothing new: a second load does nothing
    s4, con = load(tmp_path, landing)
    assert (s4.files_new, s4.files_unchanged, s4.rows_loaded) == (0, 3, 0)
    assert q(con, "select count(*) from meta.file_registry") == [(3,)]


def test_rejected_resend_keeps_previous_version_current(tmp_path, landing):
    write(landing, "UPT0001_kegiatan_202401.csv", f"{KEG_HEAD}\n{KEG_ROW}\n", mtime=1_700_000_000)
    load(tmp_path, landing)[1].close()
    write(landing, "ulang/UPT0001_kegiatan_202401.csv", "kode_kegiatan\nK1\n", mtime=1_700_100_000)
    _, con = load(tmp_path, landing)
    assert q(con, "select status, is_current from meta.file_registry order by file_id") == [
        ("LOADED", True), ("REJECTED", False)]


# ---------------------------------------------------------------- lineage and personal data


def test_lineage_and_pseudonymisation(tmp_path, landing, monkeypatch):
    monkeypatch.setenv("MONEV_PSEUDONYM_KEY", "kunci-uji-" + "x" * 32)
    write(landing, "sub/dir/UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *NAPI_ROWS]) + "\n")
    _, con = load(tmp_path, landing)
    rows = q(con, """select n.no_registrasi, n.nik_hash, n.kelompok_umur, n._row_number, r.path, n._load_id
                     from raw.narapidana n join meta.file_registry r on r.file_id = n._file_id order by 1""")
    expected_hash = hmac.new(("kunci-uji-" + "x" * 32).encode(), b"3201010101010001", hashlib.sha256).hexdigest()
    assert rows[0] == ("B.I-1/2024", expected_hash, "26-35", 1, "sub/dir/UPT0001_narapidana_202401.csv", 1)
    assert rows[1][2] == "36-45" and rows[1][3] == 2
    # another key gives another pseudonym: the key really is used
    assert expected_hash != hmac.new(b"kunci-lain-" + b"y" * 32, b"3201010101010001", hashlib.sha256).hexdigest()


def test_no_clear_personal_data_anywhere_in_the_warehouse_file(tmp_path, landing):
    rows = NAPI_ROWS + ["B.I-3/2024,32010101010100,Rahasia Sekali,P,1977-07-17,2024-01-05,365,,,,"]  # quarantined
    write(landing, "UPT0001_narapidana_202401.csv", "\n".join([NAPI_HEAD, *rows]) + "\n")
    work = tmp_path / "work.duckdb"
    ingest(work, landing, MASTER, tmp_path / "scratch")
    con = duckdb.connect(str(work))
    con.execute("checkpoint")
    con.close()
    blob = work.read_bytes() + (work.with_suffix(".duckdb.wal").read_bytes()
                                if work.with_suffix(".duckdb.wal").exists() else b"")
    for secret in (b"3201010101010001", b"3201010101010002", b"32010101010100", b"Budi Santoso", b"Siti Aminah",
                   b"Rahasia Sekali", b"1990-02-01", b"1977-07-17", b"1985-03-04"):
        assert secret not in blob, secret
    # and the file does contain the non-personal values (the scan can find things)
    assert b"B.I-1/2024" in blob and b"menjahit" in blob
    assert not re.search(rb"(?<![0-9a-f])32010101010100\d\d(?![0-9])", blob)
