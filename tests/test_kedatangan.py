"""Arrival records (<landing>/.kedatangan/<sha256>.json): the loader's received_at and submitted_by.

KPI_DICTIONARY, Timeliness: a file arrives when the loader first registers it, or when it is
uploaded through the app; never the file's own modification time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import duckdb

from dagster_project.ingest.loader import ingest
from dagster_project.kedatangan import record_path, write_arrival

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"
KEG = ("kode_kegiatan,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap\n"
       "K1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN\n")
PNBP_HEADER_ONLY = "ntpn,tanggal_setor,jumlah_setor,periode_penjualan\n"


def _write(landing: Path, rel: str, text: str, mtime: float = 1_000_000_000) -> Path:
    p = landing / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    os.utime(p, (mtime, mtime))
    return p


def _registry(tmp_path: Path, landing: Path) -> dict[str, tuple]:
    work = tmp_path / "work.duckdb"
    ingest(work, landing, MASTER, tmp_path / "scratch", pseudonym=b"k")
    con = duckdb.connect(str(work), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "select path, received_at, submitted_by, registered_at, is_current from meta.file_registry").fetchall()}
    finally:
        con.close()


def test_without_a_record_the_file_arrives_when_first_registered_not_at_its_mtime(tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "UPT0001_kegiatan_202401.csv", KEG, mtime=1_000_000_000)  # 2001: a copied old file
    before = dt.datetime.now().replace(microsecond=0)
    reg = _registry(tmp_path, landing)
    received, by, registered, _ = reg["UPT0001_kegiatan_202401.csv"]
    assert received == registered and received >= before
    assert by is None


def test_a_record_gives_received_at_and_submitted_by(tmp_path):
    landing = tmp_path / "landing"
    p = _write(landing, "UPT0001/UPT0001_kegiatan_202401.csv", KEG)
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    write_arrival(landing, sha, dt.datetime(2024, 2, 9, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
                  "operator_upt0001", "unggah", p.name)
    reg = _registry(tmp_path, landing)
    received, by, _registered, current = reg["UPT0001/UPT0001_kegiatan_202401.csv"]
    expected = dt.datetime(2024, 2, 9, 9, 30, tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)
    assert (received, by, current) == (expected, "operator_upt0001", True)
    assert record_path(landing, sha).is_file()  # the record is not discovered as an export
    assert set(reg) == {"UPT0001/UPT0001_kegiatan_202401.csv"}


def test_identical_bytes_under_several_names_each_take_their_own_arrival(tmp_path):
    """Header-only files are byte-identical for every UPT and month: one record, one arrival per name;
    an identical re-send of the same name takes the next arrival, never the first one's."""
    landing = tmp_path / "landing"
    a = _write(landing, "UPT0001_pnbp_202401.csv", PNBP_HEADER_ONLY, mtime=1_000_000_000)
    _write(landing, "UPT0002_pnbp_202403.csv", PNBP_HEADER_ONLY, mtime=1_000_000_001)
    _write(landing, "ulang/UPT0001_pnbp_202401.csv", PNBP_HEADER_ONLY, mtime=1_000_000_002)
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    utc = dt.timezone.utc
    write_arrival(landing, sha, dt.datetime(2024, 4, 8, 10, tzinfo=utc), "generator", "generator", "UPT0002_pnbp_202403.csv")
    write_arrival(landing, sha, dt.datetime(2024, 2, 5, 10, tzinfo=utc), "generator", "generator", "UPT0001_pnbp_202401.csv")
    write_arrival(landing, sha, dt.datetime(2024, 2, 20, 10, tzinfo=utc), "generator", "generator", "UPT0001_pnbp_202401.csv")
    reg = _registry(tmp_path, landing)

    def local(*args):
        return dt.datetime(*args, tzinfo=utc).astimezone().replace(tzinfo=None)

    assert reg["UPT0001_pnbp_202401.csv"][0] == local(2024, 2, 5, 10)
    assert reg["ulang/UPT0001_pnbp_202401.csv"][0] == local(2024, 2, 20, 10)
    assert reg["UPT0002_pnbp_202403.csv"][0] == local(2024, 4, 8, 10)


def test_an_unreadable_record_falls_back_to_registration_time(tmp_path):
    landing = tmp_path / "landing"
    p = _write(landing, "UPT0001_kegiatan_202401.csv", KEG)
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    record_path(landing, sha).parent.mkdir(parents=True)
    record_path(landing, sha).write_text("{not json", encoding="utf-8")
    received, by, registered, _ = _registry(tmp_path, landing)["UPT0001_kegiatan_202401.csv"]
    assert received == registered and by is None
