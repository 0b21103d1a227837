"""`monev periksa` / dagster_project.periksa: the nightly load's verdict without loading anything.

Fast tests on hand-made files; the comparison with the nightly load on every file of the
generator's defect manifest is in test_periksa_manifest.py (slow).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import openpyxl
import pytest

from dagster_project.cli import main
from dagster_project.ingest.loader import ingest
from dagster_project.periksa import periksa

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"

NAPI = ("no_registrasi,nik,nama,jenis_kelamin,tanggal_lahir,tanggal_masuk,lama_pidana_hari\n"
        "B.I-1/2024,3201010101010001,Budi Santoso,L,1990-02-01,2024-01-05,365\n"
        "B.I-2/2024,3201010101010002,Siti Aminah,P,1985-03-04,2024-01-07,730\n")
KEG = ("kode_kegiatan,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap\n"
       "K1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN\n")
PESERTA = ("no_registrasi,kode_kegiatan,tanggal_mulai,status\n"
           "B.I-1/2024,K1,2024-02-06,AKTIF\n"
           "B.I-2/2024,K1,2024-02-06,AKTIF\n")


def _w(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def nowh(tmp_path) -> Path:
    """A serving warehouse path with no working warehouse beside it: no earlier loads."""
    return tmp_path / "kosong" / "monev.duckdb"


def test_clean_file_exits_0(tmp_path, nowh, capsys):
    f = _w(tmp_path, "UPT0001_kegiatan_202401.csv", KEG)
    assert main(["periksa", str(f), "--warehouse", str(nowh)]) == 0
    out = capsys.readouterr().out
    assert "DITERIMA: 1 baris, tidak ada baris yang dikarantina" in out and "Tidak ada yang dimuat" in out


def test_quarantined_row_exits_1_with_the_spreadsheet_row_number(tmp_path, nowh, capsys):
    # data row 2 (the loader's _row_number 2) is spreadsheet row 3: the header is row 1
    f = _w(tmp_path, "UPT0001_narapidana_202401.csv", NAPI.replace("730", "-5"))
    assert main(["periksa", str(f), "--warehouse", str(nowh)]) == 1
    out = capsys.readouterr().out
    assert "DITERIMA sebagian: 1 dari 2 baris dimuat, 1 baris akan dikarantina" in out
    assert "  baris 3: lama_pidana_hari -5.00 harus lebih dari 0 [NEGATIVE]" in out
    assert "narapidana baris" not in out  # the loader's data-row prefix is not shown to the operator


def test_blank_lines_count_as_spreadsheet_rows(tmp_path, nowh):
    lines = NAPI.splitlines()
    text = "\n".join([lines[0], lines[1], "", "", lines[2].replace(",P,", ",X,")]) + "\n"
    f = _w(tmp_path, "UPT0001_narapidana_202401.csv", text)
    (v,) = periksa([f], MASTER, nowh)
    assert [(q.baris, q.kode) for q in v.karantina] == [(5, "INVALID_ENUM")]


def test_xlsx_rows_are_sheet_rows(tmp_path, nowh):
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in PESERTA.replace("AKTIF\nB", "AKTIF\nB").splitlines():
        ws.append(line.split(","))
    ws.append(["B.I-1/2024", "K1", "2024-02-07", "ENTAH"])
    f = tmp_path / "UPT0001_peserta_202402.xlsx"
    wb.save(f)
    k = _w(tmp_path, "a/UPT0001_kegiatan_202401.csv", KEG)
    n = _w(tmp_path, "a/UPT0001_narapidana_202401.csv", NAPI)
    verdicts = periksa([n, k, f], MASTER, nowh)
    assert [(q.baris, q.kode) for q in verdicts[2].karantina] == [(4, "INVALID_ENUM")]


@pytest.mark.parametrize("name,text,code", [
    ("UPT0001_kegiatan_202401.csv", "kode_kegiatan,nama_kegiatan\nK1,Roti\n", "MISSING_COLUMN"),
    ("UPT0001_kegiatan_202413.csv", KEG, "BAD_MONTH"),
    ("UPT9999_kegiatan_202401.csv", KEG, "UNKNOWN_UPT"),
    ("UPT0001_kegiatan_202401.csv", "kode_upt," + KEG.replace("\nK1", "\nUPT0002,K1"), "UPT_MISMATCH"),
    ("laporan.csv", KEG, "BAD_NAME"),
])
def test_rejected_file_exits_1_with_reason(tmp_path, nowh, capsys, name, text, code):
    f = _w(tmp_path, name, text)
    assert main(["periksa", str(f), "--warehouse", str(nowh)]) == 1
    out = capsys.readouterr().out
    assert f"DITOLAK: " in out and f"[{code}]" in out


def test_hostile_files_are_rejected_not_crashing(tmp_path, nowh):
    junk = tmp_path / "UPT0001_kegiatan_202401.xlsx"
    junk.write_bytes(os.urandom(2048))
    nul = tmp_path / "b" / "UPT0001_narapidana_202401.csv"
    nul.parent.mkdir()
    nul.write_bytes(b"no_registrasi\x00,nik\n\x00\x00\x00")
    verdicts = periksa([junk, nul], MASTER, nowh)
    assert [(v.status, v.kode_tolak) for v in verdicts] == [("DITOLAK", "UNREADABLE"), ("DITOLAK", "UNREADABLE")]


def test_usage_mistakes_exit_2(tmp_path, nowh, capsys):
    assert main(["periksa", str(tmp_path / "tidak_ada.csv"), "--warehouse", str(nowh)]) == 2
    assert "tidak_ada.csv: file tidak ditemukan." in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["periksa"])
    assert exc.value.code == 2
    f = _w(tmp_path, "UPT0001_kegiatan_202401.csv", KEG)
    bad_master = _w(tmp_path, "master.csv", "kode_upt\nUPT0001\n")
    assert main(["periksa", str(f), "--upt-master", str(bad_master), "--warehouse", str(nowh)]) == 2


def test_checks_against_earlier_loads_and_writes_nothing(tmp_path, capsys):
    """References and identical re-sends are judged against what the working warehouse holds, which
    periksa opens read-only: its bytes and the landing folder are unchanged afterwards."""
    serving = tmp_path / "wh" / "monev.duckdb"
    work = serving.with_name("monev.work.duckdb")
    landing = tmp_path / "landing"
    _w(landing, "UPT0001_narapidana_202401.csv", NAPI)
    keg = _w(landing, "UPT0001_kegiatan_202401.csv", KEG)
    ingest(work, landing, MASTER, tmp_path / "scratch", pseudonym=b"k")
    before = hashlib.sha256(work.read_bytes()).hexdigest()
    landed_before = sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*"))

    peserta = _w(tmp_path / "baru", "UPT0001_peserta_202402.csv", PESERTA)
    same = _w(tmp_path / "ulang", "UPT0001_kegiatan_202401.csv", keg.read_text(encoding="utf-8"))
    other_upt = _w(tmp_path / "lain", "UPT0002_peserta_202402.csv", PESERTA)
    with_history = periksa([peserta, same, other_upt], MASTER, serving)
    assert [(v.status, v.baris_karantina) for v in with_history] == [("DITERIMA", 0), ("IDENTIK", 0), ("DITERIMA", 2)]
    assert {q.kode for q in with_history[2].karantina} == {"UNKNOWN_REFERENCE"}  # UPT0002 never sent them
    (alone,) = periksa([peserta], MASTER, tmp_path / "kosong" / "monev.duckdb")
    assert alone.baris_karantina == 2  # without the earlier loads the references are unknown

    assert hashlib.sha256(work.read_bytes()).hexdigest() == before
    assert sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*")) == landed_before
    # an identical re-send is not a failure of the check
    assert main(["periksa", str(same), "--warehouse", str(serving)]) == 0
    assert "IDENTIK" in capsys.readouterr().out
