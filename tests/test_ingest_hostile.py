"""Hostile files a careless or malicious UPT operator could send (issue 12).

Every file here is generated into a pytest tmp dir; none is committed. Each test names the rule
it guards: no silent row loss (rows read = rows loaded + quarantined = the file's records counted
by a second reader), no file stopping the others, no personal data outside its columns, private
file modes, and the truth about interrupted loads.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dagster_project.config import warehouse_paths
from dagster_project.errors import UserError
from dagster_project.ingest import guard as G
from dagster_project.ingest.loader import ingest

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"
PNBP_HEAD = "ntpn,tanggal_setor,jumlah_setor,periode_penjualan,kode_billing,keterangan"


def pnbp_rows(upt: str, n: int) -> list[str]:
    return [f"{upt}N{i:07d},2024-01-15,{1000 + i},2024-01,KB{i},setoran {i}" for i in range(1, n + 1)]


def write(folder: Path, rel: str, text: str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def registry(work: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(work), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "select path, status, reject_code, reject_reason, rows_read, rows_loaded, rows_quarantined "
            "from meta.file_registry").fetchall()}
    finally:
        con.close()


def csv_records(path: Path) -> int:
    """A third reader, in the test: the file's data records by Python's csv module."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for r in csv.reader(fh) if r) - 1


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    d = tmp_path / "landing"
    d.mkdir()
    return d


# ---------------------------------------------------------------------- 1. no silent row loss
def test_stray_quotes_reject_the_whole_file_and_every_loaded_file_is_counted(tmp_path, landing):
    good = pnbp_rows("UPT0001", 10_000)
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *good]) + "\n")
    # one stray, unbalanced quote after row 5,000 (DuckDB read 5,000 rows and called it a success)
    rows = pnbp_rows("UPT0002", 10_000)
    rows[5000] = rows[5000].replace(",2024-01-15", ',"2024-01-15')
    write(landing, "UPT0002_pnbp_202401.csv", "\n".join([PNBP_HEAD, *rows]) + "\n")
    # a quote in the first data row (0 rows read, 10,000 lost)
    rows = pnbp_rows("UPT0003", 10_000)
    rows[0] = rows[0].replace(",setoran", ',"setoran')
    write(landing, "UPT0003_pnbp_202401.csv", "\n".join([PNBP_HEAD, *rows]) + "\n")
    # two stray quotes: balanced, so both readers agree on 6,000 records, 2,000 lines swallowed
    rows = pnbp_rows("UPT0004", 8_000)
    rows[4000] = rows[4000].replace(",setoran", ',"setoran')
    rows[6000] += '"'  # closes the quote opened 2,000 lines above
    write(landing, "UPT0004_pnbp_202401.csv", "\n".join([PNBP_HEAD, *rows]) + "\n")
    # a legitimate multi-line note (a cell with a line break typed in Excel) loads every row
    rows = pnbp_rows("UPT0005", 3_000)
    rows[10] = rows[10].replace(",setoran 11", ',"setoran 11\nuntuk bulan Januari, ""lunas"""')
    write(landing, "UPT0005_pnbp_202401.csv", "\n".join([PNBP_HEAD, *rows]) + "\n")

    work = tmp_path / "work.duckdb"
    summary = ingest(work, landing, MASTER, tmp_path / "scratch")
    reg = registry(work)
    for upt in ("UPT0002", "UPT0003", "UPT0004"):
        st, code, reason, read, loaded, _q = reg[f"{upt}_pnbp_202401.csv"]
        assert (st, code) == ("REJECTED", "UNREADABLE"), (upt, reg[f"{upt}_pnbp_202401.csv"])
        assert "kutip" in reason and "baris file" in reason, reason
    for upt, n in (("UPT0001", 10_000), ("UPT0005", 3_000)):
        rel = f"{upt}_pnbp_202401.csv"
        st, _c, _r, read, loaded, quarantined = reg[rel]
        assert st == "LOADED" and read == n == loaded + quarantined == csv_records(landing / rel), reg[rel]
    con = duckdb.connect(str(work), read_only=True)
    per_upt = dict(con.execute("select kode_upt, count(*) from raw.pnbp group by 1").fetchall())
    note = con.execute("select keterangan from raw.pnbp where ntpn = 'UPT0005N0000011'").fetchone()[0]
    con.close()
    assert per_upt == {"UPT0001": 10_000, "UPT0005": 3_000}  # nothing half-loaded
    assert note == 'setoran 11\nuntuk bulan Januari, "lunas"'
    assert summary.files_rejected == 3


def test_a_parser_that_loses_rows_cannot_pass(tmp_path, landing, monkeypatch):
    """The staged rows are compared with the independent count: make the two disagree by one."""
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 50)]) + "\n")
    write(landing, "UPT0002_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0002", 50)]) + "\n")
    real = G.count_records

    def one_more(text, delimiter, width):
        n, problem = real(text, delimiter, width)
        return (n + 1 if "UPT0002N" in text else n), problem

    monkeypatch.setattr(G, "count_records", one_more)
    work = tmp_path / "work.duckdb"
    ingest(work, landing, MASTER, tmp_path / "scratch")
    reg = registry(work)
    assert reg["UPT0001_pnbp_202401.csv"][0] == "LOADED"
    st, code, reason, *_ = reg["UPT0002_pnbp_202401.csv"]
    assert (st, code) == ("REJECTED", "UNREADABLE") and "jumlah baris terbaca (50)" in reason and "(51" in reason


@pytest.mark.parametrize("text,expected", [
    ("a,b,c\n1,2,3\n\n4,5,6\n", 2),  # blank line skipped by both readers
    ("a,b,c\r\n1,2,3\r\n4,5,6", 2),  # CRLF, no final line end
    ('a,b,c\n1,"x\ny",3\n', 1),  # a quoted line break
    ('a,b,c\n1,"x,y",3\n,,\n', 2),  # quoted delimiter; a row of empty cells is a record
])
def test_independent_count(text, expected):
    assert G.count_records(text, ",", 3) == (expected, None)


def test_independent_count_refuses_swallowed_records():
    n, problem = G.count_records('a,b,c\n1,"x,3\n2,y,4\n3,z",5\n', ",", 3)
    assert n is None and "baris file 2" in problem
    n, problem = G.count_records('a,b,c\n1,"x,3\n2,y,4\n', ",", 3)
    assert n is None and "kutip" in problem


# ---------------------------------------------------------------------- 2. no file stops the others
def _xlsx_with_far_cell(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ntpn", "tanggal_setor", "jumlah_setor", "periode_penjualan"])
    ws.cell(row=1048576, column=16384, value="x")  # XFD1048576: calamine would allocate ~512 GB
    wb.save(path)


def _zip_bomb(path: Path, megabytes: int = 60) -> None:
    """A valid-looking XLSX whose sheet inflates from ~60 KB to 60 MB."""
    wb = openpyxl.Workbook()
    wb.active.append(["ntpn", "tanggal_setor", "jumlah_setor", "periode_penjualan"])
    plain = path.with_suffix(".plain")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * (megabytes * 2**20) + b"</worksheet>")
            dst.writestr(info.filename, data)
    plain.unlink()


def _hostile_landing(landing: Path) -> dict[str, str]:
    """Hostile files beside two good ones; returns {relpath: expected reject code}."""
    write(landing, "ok/UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 20)]) + "\n")
    write(landing, "ok/UPT0002_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0002", 20)]) + "\n")
    (landing / "jahat").mkdir()
    _xlsx_with_far_cell(landing / "jahat" / "UPT0003_pnbp_202401.xlsx")
    _zip_bomb(landing / "jahat" / "UPT0004_pnbp_202401.xlsx")
    head = PNBP_HEAD + "," + ",".join(f"x{i}" for i in range(100_000))  # 100,000 columns
    write(landing, "jahat/UPT0005_pnbp_202401.csv",
          head + "\n" + "\n".join(f"N{i},2024-01-15,1000,2024-01,KB,k" + ",1" * 100_000 for i in range(5)) + "\n")
    write(landing, "jahat/UPT0006_pnbp_202401.csv", PNBP_HEAD + "\n" + "N1,2024-01-15,1000,2024-01,KB,"
          + "x" * (3 * 2**20) + "\n")  # 3 MB: over MONEV_MAX_FILE_MB=2 below
    return {"jahat/UPT0003_pnbp_202401.xlsx": "UNREADABLE", "jahat/UPT0004_pnbp_202401.xlsx": "UNREADABLE",
            "jahat/UPT0005_pnbp_202401.csv": "UNREADABLE", "jahat/UPT0006_pnbp_202401.csv": "UNREADABLE"}


def test_hostile_files_are_rejected_before_parsing_and_the_rest_loads(tmp_path, landing, monkeypatch):
    monkeypatch.setenv("MONEV_MAX_FILE_MB", "2")
    expected = _hostile_landing(landing)
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    s1 = ingest(paths.work, landing, MASTER, paths.staging_dir)
    reg = registry(paths.work)
    for rel, code in expected.items():
        assert reg[rel][:2] == ("REJECTED", code), (rel, reg[rel])
    assert "XFD" not in reg["jahat/UPT0003_pnbp_202401.xlsx"][2]
    assert "kolom sampai 16384" in reg["jahat/UPT0003_pnbp_202401.xlsx"][2]
    assert "bom zip" in reg["jahat/UPT0004_pnbp_202401.xlsx"][2]
    assert "100006" in reg["jahat/UPT0005_pnbp_202401.csv"][2]
    assert "MONEV_MAX_FILE_MB" in reg["jahat/UPT0006_pnbp_202401.csv"][2]
    assert reg["ok/UPT0001_pnbp_202401.csv"][0] == reg["ok/UPT0002_pnbp_202401.csv"][0] == "LOADED"
    assert s1.files_rejected == len(expected)
    # registered as rejected: the next load does not touch them again
    s2 = ingest(paths.work, landing, MASTER, paths.staging_dir)
    assert s2.files_new == 0 and s2.files_unchanged == s1.files_seen


def test_a_parser_crash_stays_in_its_child_process(tmp_path, landing, monkeypatch):
    """With the pre-checks opened wide, calamine really tries to allocate for XFD1048576: only the
    worker process dies (address-space limit), the file is rejected with the cause, the rest loads."""
    monkeypatch.setenv("MONEV_MAX_COLUMNS", "100000")
    monkeypatch.setenv("MONEV_MAX_CELLS", str(10**15))
    monkeypatch.setenv("MONEV_PARSE_MEMORY_MB", "700")
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 20)]) + "\n")
    _xlsx_with_far_cell(landing / "UPT0003_pnbp_202401.xlsx")
    wb = openpyxl.Workbook()  # a good workbook after the crash: a fresh worker parses it
    wb.active.append(PNBP_HEAD.split(","))
    wb.active.append(["X1", "2024-01-15", 5000, "2024-01", "KB", "baik"])
    wb.save(landing / "UPT0004_pnbp_202401.xlsx")
    os.utime(landing / "UPT0004_pnbp_202401.xlsx", (time.time() + 5, time.time() + 5))  # parsed after the crash
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    ingest(paths.work, landing, MASTER, paths.staging_dir)
    reg = registry(paths.work)
    st, code, reason, *_ = reg["UPT0003_pnbp_202401.xlsx"]
    assert (st, code) == ("REJECTED", "UNREADABLE") and "berhenti mendadak" in reason and "700 MB" in reason
    assert reg["UPT0001_pnbp_202401.csv"][0] == "LOADED"
    assert reg["UPT0004_pnbp_202401.xlsx"][0] == "LOADED" and reg["UPT0004_pnbp_202401.xlsx"][3] == 1


def test_a_sheet_lying_about_its_dimension_is_caught_by_the_child_limit(tmp_path, landing):
    """The pre-check reads only the declared dimension; without one, the far cell is caught by the
    child's memory limit: the file is rejected with the cause, the rest loads."""
    far = tmp_path / "far.xlsx"
    _xlsx_with_far_cell(far)
    with zipfile.ZipFile(far) as src, zipfile.ZipFile(landing / "UPT0003_pnbp_202401.xlsx", "w",
                                                      zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
                assert b"dimension" not in data
            dst.writestr(info.filename, data)
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 20)]) + "\n")
    work = tmp_path / "work.duckdb"
    ingest(work, landing, MASTER, tmp_path / "scratch")
    reg = registry(work)
    st, code, reason, *_ = reg["UPT0003_pnbp_202401.xlsx"]
    assert (st, code) == ("REJECTED", "UNREADABLE") and "berhenti mendadak" in reason, reason
    assert reg["UPT0001_pnbp_202401.csv"][0] == "LOADED"


def test_csv_cell_limit(tmp_path, landing, monkeypatch):
    monkeypatch.setenv("MONEV_MAX_CELLS", "600")  # 6 columns: 100 rows fit, 101 do not
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 100)]) + "\n")
    write(landing, "UPT0002_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0002", 101)]) + "\n")
    work = tmp_path / "work.duckdb"
    ingest(work, landing, MASTER, tmp_path / "scratch")
    reg = registry(work)
    assert reg["UPT0001_pnbp_202401.csv"][0] == "LOADED"
    assert reg["UPT0002_pnbp_202401.csv"][:2] == ("REJECTED", "UNREADABLE")
    assert "101 baris x 6 kolom" in reg["UPT0002_pnbp_202401.csv"][2]


def test_limits_must_be_numbers(tmp_path, landing, monkeypatch):
    monkeypatch.setenv("MONEV_MAX_COLUMNS", "banyak")
    write(landing, "UPT0001_pnbp_202401.csv", PNBP_HEAD + "\n")
    with pytest.raises(UserError, match="MONEV_MAX_COLUMNS"):
        ingest(tmp_path / "w.duckdb", landing, MASTER, tmp_path / "s")


# ---------------------------------------------------------------------- 4. personal data
NAPI_HEAD = ("no_registrasi,nik,nama,jenis_kelamin,tanggal_lahir,tanggal_masuk,lama_pidana_hari,tanggal_keluar,"
             "tanggal_litmas,rekomendasi_litmas,minat_bakat")
KEG_HEAD = ("kode_kegiatan,nama_kegiatan,jenis_kegiatan,bidang,subbidang,tanggal_mulai,tahap,anggaran_rab,mitra,"
            "penanggung_jawab")
SECRETS = [b"3201010101010001", b"3201010101010002", b"Budi Santoso", b"Siti Aminah", b"Rahasia Sekali",
           b"1990-02-01", b"1985-03-04", b"04/03/1985", b"3175 0202 0303 0004", b"3175020203030004"]


def _personal_landing(landing: Path) -> None:
    write(landing, "UPT0001/UPT0001_narapidana_202401.csv", "\n".join([
        NAPI_HEAD,
        "B.I-1/2024,3201010101010001,Budi Santoso,L,1990-02-01,2024-01-05,365,,,,3201010101010001",
        "B.I-2/2024,3201010101010002,Siti Aminah,P,1985-03-04,2024-01-07,730,,,,Siti Aminah",
        "B.I-3/2024,3201010101010003,Rahasia Sekali,P,1977-07-17,2024-01-07,730,,,,menjahit",
    ]) + "\n")
    # free text holding a NIK, a name and a birth date; an enum cell holding a NIK (quarantined:
    # its reason quotes the value); an extra column whose header is a NIK
    write(landing, "Budi Santoso/UPT0001_kegiatan_202401.csv", "\n".join([
        KEG_HEAD + ",3201010101010002",
        "K1,Roti,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN,1000,"
        "NIK 3175 0202 0303 0004 CV Maju,Budi Santoso,x",
        "K2,Kue 3175020203030004,PRODUKSI,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN,1000,1990-02-01,"
        "Siti Aminah,y",
        "K3,Roti,3201010101010003,INDUSTRI,MAKANAN_MINUMAN,2024-01-01,PELAKSANAAN,1000,04/03/1985,,z",
    ]) + "\n")
    # a file named with a NIK, and one in a folder named after an inmate
    write(landing, "kiriman/Rahasia Sekali/UPT0001_3201010101010001_202401.csv", "a\n")
    write(landing, "3201010101010002/UPT0001_pnbp_202401.csv", PNBP_HEAD + "\n")


def test_personal_data_outside_its_columns_is_masked_everywhere(tmp_path, landing):
    _personal_landing(landing)
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    summary = ingest(paths.work, landing, MASTER, paths.staging_dir)
    con = duckdb.connect(str(paths.work))
    keg = dict(con.execute("select kode_kegiatan, mitra || '|' || coalesce(penanggung_jawab, '') || '|' || nama_kegiatan "
                           "from raw.kegiatan").fetchall())
    minat = [r[0] for r in con.execute("select minat_bakat from raw.narapidana order by no_registrasi").fetchall()]
    reasons = [r[0] for r in con.execute("select reason || record::varchar from meta.quarantine").fetchall()]
    reg = con.execute("select path, file_name, coalesce(extra_columns, ''), coalesce(reject_reason, '') "
                      "from meta.file_registry").fetchall()
    con.execute("checkpoint")
    con.close()
    assert keg["K1"] == "NIK [NIK disamarkan] CV Maju|[data pribadi disamarkan]|Roti"
    assert keg["K2"] == "[data pribadi disamarkan]|[data pribadi disamarkan]|Kue [NIK disamarkan]"
    assert minat == ["[NIK disamarkan]", "[data pribadi disamarkan]", "menjahit"]
    assert reasons and all("3201010101010003" not in r for r in reasons) and any("disamarkan" in r for r in reasons)
    paths_seen = " ".join(" ".join(r) for r in reg)
    assert "Budi Santoso" not in paths_seen and "Rahasia Sekali" not in paths_seen
    assert "[disamarkan:" in paths_seen and "[NIK disamarkan]" in paths_seen
    text = "\n".join(summary.lines())
    for secret in SECRETS:
        assert secret.decode() not in text, secret
    blob = b"".join(p.read_bytes() for p in paths.work.parent.iterdir() if p.is_file())
    for secret in SECRETS:
        assert secret not in blob, secret
    assert not re.search(rb"(?<![0-9a-f])320101010101000\d(?![0-9])", blob)
    assert b"CV Maju" in blob and b"menjahit" in blob  # the scan can find what is there
    # masked paths still recognise unchanged files
    s2 = ingest(paths.work, landing, MASTER, paths.staging_dir)
    assert s2.files_new == 0, s2.lines()


def test_dagster_event_log_has_no_personal_data(tmp_path, landing, monkeypatch):
    import dagster as dg

    from dagster_project.defs.ingestion.assets import ingest_exports
    from dagster_project.defs.resources import MonevPaths

    _personal_landing(landing)
    home = tmp_path / "dagster"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = dg.DagsterInstance.get()
    res = dg.materialize([ingest_exports], instance=instance, resources={"monev": MonevPaths(
        landing=str(landing), warehouse=str(tmp_path / "wh" / "monev.duckdb"), upt_master=str(MASTER))})
    assert res.success
    events = instance.all_logs(res.run_id)
    text = "\n".join(str(e.user_message) + str(getattr(e.dagster_event, "event_specific_data", "")) for e in events)
    assert "DITOLAK" in text  # the rejected files are in the log, masked
    blob = text.encode() + b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for secret in SECRETS:
        assert secret not in blob, secret


def test_no_built_in_key(tmp_path, landing, monkeypatch):
    write(landing, "UPT0001_pnbp_202401.csv", PNBP_HEAD + "\n")
    monkeypatch.delenv("MONEV_PSEUDONYM_KEY")
    with pytest.raises(UserError, match="MONEV_PSEUDONYM_KEY is not set"):
        ingest(tmp_path / "w.duckdb", landing, MASTER, tmp_path / "s")
    monkeypatch.setenv("MONEV_PSEUDONYM_KEY", "pendek")
    with pytest.raises(UserError, match="shorter than 32"):
        ingest(tmp_path / "w.duckdb", landing, MASTER, tmp_path / "s")
    assert not (tmp_path / "w.duckdb").exists()
    env = {k: v for k, v in os.environ.items() if k != "MONEV_PSEUDONYM_KEY"}
    proc = subprocess.run([sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(landing),
                           "--warehouse", str(tmp_path / "wh" / "monev.duckdb")], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "MONEV_PSEUDONYM_KEY" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "wh").exists()


def test_files_are_private_and_stale_staging_is_removed(tmp_path, landing):
    write(landing, "UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 5)]) + "\n")
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    paths.serving.parent.mkdir(parents=True)
    os.chmod(paths.serving.parent, 0o755)
    stale = paths.staging_dir / "7.csv"  # left by a parse that aborted: clear personal data
    stale.parent.mkdir()
    stale.write_text("nik\n3201010101010001\n")
    old_umask = os.umask(0o022)
    try:
        ingest(paths.work, landing, MASTER, paths.staging_dir)
    finally:
        os.umask(old_umask)
    assert not paths.staging_dir.exists()
    assert stat.S_IMODE(paths.serving.parent.stat().st_mode) == 0o700
    for p in paths.serving.parent.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_retention_removes_only_registered_files_older_than_the_period(tmp_path, landing, capsys):
    import datetime as dt

    from dagster_project.cli import main
    from dagster_project.retention import clean_landing

    write(landing, "a/UPT0001_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows("UPT0001", 5)]) + "\n")
    write(landing, "a/jelek.csv", "x\n")  # rejected: registered too
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    ingest(paths.work, landing, MASTER, paths.staging_dir)
    write(landing, "b/UPT0002_pnbp_202401.csv", PNBP_HEAD + "\n")  # not loaded yet
    assert clean_landing(landing, paths.work, 30).removed == []  # loaded today: within the period
    later = dt.datetime.now() + dt.timedelta(days=31)
    dry = clean_landing(landing, paths.work, 30, dry_run=True, now=later)
    assert sorted(dry.removed) == ["a/UPT0001_pnbp_202401.csv", "a/jelek.csv"] and (landing / "a").exists()
    out = clean_landing(landing, paths.work, 30, now=later)
    assert sorted(out.removed) == sorted(dry.removed) and out.kept_unregistered == 1
    assert not (landing / "a").exists() and (landing / "b" / "UPT0002_pnbp_202401.csv").exists()
    code = main(["bersihkan", "--landing", str(landing), "--lebih-dari-hari", "0", "--warehouse", str(paths.serving)])
    assert code == 2 and "--lebih-dari-hari 0" in capsys.readouterr().err


# ---------------------------------------------------------------------- 5. status after an abort
def test_status_shows_a_killed_load_as_terputus(tmp_path, landing):
    """A real `monev load` child process is killed with SIGKILL during ingestion."""
    from dagster_project.ops_status import status_report

    for i in range(1, 4):
        write(landing, f"UPT000{i}_pnbp_202401.csv", "\n".join([PNBP_HEAD, *pnbp_rows(f"UPT000{i}", 200)]) + "\n")
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path / "dagster"), MONEV_TEST_PAUSE_INGEST="60")
    proc = subprocess.Popen([sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(landing),
                             "--warehouse", str(paths.serving)], env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 240
        while not (paths.serving.parent / "monev.ingest-paused").exists():
            assert proc.poll() is None and time.time() < deadline, "the load never reached ingestion"
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    report = "\n".join(status_report(paths))
    assert "BERJALAN" not in report, report
    assert "TERPUTUS" in report and f"pid {proc.pid}" in report, report
    assert "Kegagalan terakhir:\n  (tidak ada)" not in report, report
    # the next load records the interrupted run and recovers
    env.pop("MONEV_TEST_PAUSE_INGEST")
    done = subprocess.run([sys.executable, "-m", "dagster_project.cli", "load", "--landing", str(landing),
                           "--warehouse", str(paths.serving)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(paths.work), read_only=True)
    loads = con.execute("select status, message from meta.loads order by load_id").fetchall()
    con.close()
    assert loads[0][0] == "TERPUTUS" and f"pid {proc.pid}" in loads[0][1] and loads[-1][0] == "SELESAI", loads
    assert "BERJALAN" not in "\n".join(status_report(paths))
