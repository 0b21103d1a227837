"""Hostile and broken input at the ingestion boundary and in every user-controlled parameter.

Ingestion level (in process, no dbt): corrupted and truncated files are rejected or their bad rows
quarantined while the rest loads; a file that changes while it is read is deferred and picked up
by the next load; odd names and symlinks; a 50 MB malformed file and a 20 MB one-line file.
Parameters: SQL-looking text in every CLI argument and every dashboard URL parameter is refused
or ignored, without an error leak and without effect on the warehouse.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.config import warehouse_paths
from dagster_project.generator import generate
from dagster_project.ingest import loader as L
from dagster_project.ingest.loader import ingest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reliability import harness as H  # noqa: E402

MASTER = ROOT / "seeds" / "upt_master.csv"
SQL = ["'; DROP TABLE kpi_indikator; --", "2024Q1' OR '1'='1", "1; select * from duckdb_settings()",
       "\" or 1=1 --", "UPT0001'); attach '/etc/passwd' as x; --"]
TRIED: dict[str, int] = {}
# What a leaked database error looks like (a file name ending in .duckdb is not one).
LEAK = re.compile(r"(Parser|Catalog|Binder|Conversion|IO|Invalid Input|Transaction(Context)?) Error|_duckdb\.|"
                  r"duckdb\.\w+(Exception|Error)")  # the user's own text echoed in a message is fine


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    base = tmp_path_factory.mktemp("ops_in")
    generate(base / "gen", scale="mini", months=("2024-01", "2024-01"), seed=4)
    return base / "gen" / "KW01"


def _landing(month, tmp_path) -> Path:
    landing = tmp_path / "landing"
    shutil.copytree(month, landing / "KW01")
    return landing


def _registry(paths):
    con = duckdb.connect(str(paths.work), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "select path, status, reject_code, rows_loaded, rows_quarantined from meta.file_registry").fetchall()}
    finally:
        con.close()


def _csvs(landing: Path, kind: str) -> list[Path]:
    return sorted(p for p in landing.rglob(f"*_{kind}_*.csv") if p.read_bytes()[:3] != b"\xef\xbb\xbf")


def test_corrupted_and_truncated_files_are_rejected_and_the_rest_loads(month, tmp_path):
    landing = _landing(month, tmp_path)
    clean = ingest(warehouse_paths(tmp_path / "ref" / "m.duckdb").work, _landing(month, tmp_path / "r"), MASTER,
                   tmp_path / "scratch0")
    pn = _csvs(landing, "pnbp")
    kg = _csvs(landing, "kegiatan")
    binary = pn[0]
    binary.write_bytes(os.urandom(2048) + b"\x00" * 100)                       # binary garbage
    cut = kg[0]
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2])                                     # truncated mid-line
    quote = pn[1] if len(pn) > 1 else _csvs(landing, "penjualan")[0]
    quote.write_bytes(quote.read_bytes().replace(b"\n", b'\n"', 1) + b"\n\"unterminated")  # broken quoting
    xl = next(landing.rglob("*.xlsx"), None)
    if xl is not None:
        xl.write_bytes(xl.read_bytes()[:300])                                   # truncated zip
    empty = landing / "KW01" / "UPT0001_produksi_202401.csv"
    if empty.exists():
        empty.write_bytes(b"")
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    s = ingest(paths.work, landing, MASTER, paths.staging_dir)
    reg = _registry(paths)
    rel = lambda p: p.relative_to(landing).as_posix()  # noqa: E731
    assert reg[rel(binary)][:2] == ("REJECTED", "UNREADABLE")
    assert reg[rel(quote)][0] == "REJECTED"
    if xl is not None:
        assert reg[rel(xl)][:2] == ("REJECTED", "UNREADABLE")
    # The truncated file: either rejected whole, or its cut row quarantined; never a silent partial row.
    st, code, loaded, quarantined = reg[rel(cut)]
    assert st == "REJECTED" or quarantined >= 1
    others = [k for k, v in reg.items() if k not in {rel(binary), rel(quote), rel(cut), rel(xl) if xl else ""}
              and v[0] == "LOADED"]
    assert len(others) >= clean.files_accepted - 5 and s.rows_loaded > 0
    TRIED["file rusak/terpotong"] = 5


def test_file_changing_while_read_is_deferred_then_loaded(month, tmp_path, monkeypatch):
    landing = _landing(month, tmp_path)
    target = _csvs(landing, "narapidana")[0]
    real = Path.read_bytes

    def growing(self):
        data = real(self)
        if self == target:
            with open(self, "ab") as fh:  # a writer appends a blank line (same line ending) while we read
                fh.write(b"\r\n" if data.endswith(b"\r\n") else b"\n")
            st = self.stat()
            os.utime(self, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        return data

    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    monkeypatch.setattr(Path, "read_bytes", growing)
    s1 = ingest(paths.work, landing, MASTER, paths.staging_dir)
    monkeypatch.setattr(Path, "read_bytes", real)
    rel = target.relative_to(landing).as_posix()
    assert s1.files_deferred == 1 and rel not in _registry(paths)
    s2 = ingest(paths.work, landing, MASTER, paths.staging_dir)
    assert s2.files_new == 1 and _registry(paths)[rel][0] == "LOADED"
    TRIED["file berubah saat dibaca"] = 1


def test_odd_names_and_symlinks(month, tmp_path):
    landing = _landing(month, tmp_path)
    odd = landing / "aneh"
    odd.mkdir()
    for name in H.ODD_NAMES:
        (odd / name).write_text("ntpn\n1\n", encoding="utf-8")
    (odd / "UPT0001_narapidana_202401.csv").symlink_to("/etc/passwd")
    (odd / "keluar").symlink_to("/etc")
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    ingest(paths.work, landing, MASTER, paths.staging_dir)
    reg = _registry(paths)
    for name in H.ODD_NAMES:
        if name.startswith("."):
            assert f"aneh/{name}" not in reg  # hidden files are ignored by design (DECISIONS 13)
        else:
            assert reg[f"aneh/{name}"][0] == "REJECTED", name
    assert not any(k.startswith("aneh/keluar") or k == "aneh/UPT0001_narapidana_202401.csv" for k in reg)
    con = duckdb.connect(str(paths.work), read_only=True)
    assert con.execute("select count(*) from raw.narapidana where no_registrasi like 'ROOT%'").fetchone()[0] == 0
    con.close()
    TRIED["nama file aneh + symlink"] = len(H.ODD_NAMES) + 2


@pytest.mark.slow
def test_enormous_and_deeply_malformed_files(month, tmp_path):
    landing = _landing(month, tmp_path)
    header = "ntpn,tanggal_setor,jumlah_setor,periode_penjualan,kode_billing,keterangan\n"
    big = landing / "KW01" / "UPT0001_pnbp_202402.csv"
    line = "NTPN,2024-02-01,1.000,2024-01,KB,x,EXTRA,EXTRA\n"  # more cells than the header
    with big.open("w", encoding="utf-8") as fh:
        fh.write(header)
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    one_line = landing / "KW01" / "UPT0002_pnbp_202402.csv"
    one_line.write_text("a," * (10 * 1024 * 1024) + "\n", encoding="utf-8")  # a 20 MB header, no data
    nested = landing / "KW01" / "UPT0003_pnbp_202402.csv"
    nested.write_text(header + ('"' * 5000 + "\n") * 2000, encoding="utf-8")  # quote soup
    paths = warehouse_paths(tmp_path / "wh" / "monev.duckdb")
    t0 = time.perf_counter()
    ingest(paths.work, landing, MASTER, paths.staging_dir)
    seconds = time.perf_counter() - t0
    reg = _registry(paths)
    for f in (big, one_line):
        assert reg[f.relative_to(landing).as_posix()][0] == "REJECTED", f.name
    st, _code, loaded, _q = reg[nested.relative_to(landing).as_posix()]
    assert st == "REJECTED" or loaded == 0, (st, loaded)  # quote soup: rejected, or every row quarantined
    assert sum(1 for v in reg.values() if v[0] == "LOADED") > 10  # the rest still loads
    TRIED["file raksasa/rusak parah"] = 3
    H.record("hostile_big_files", {"size_mb": round(big.stat().st_size / 2**20), "one_line_mb":
                                   round(one_line.stat().st_size / 2**20), "ingest_seconds": round(seconds, 1)})


# ---------------------------------------------------------------------- SQL-looking text in parameters
@pytest.mark.slow
def test_sql_text_in_every_cli_argument(demo_pipeline, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    wh = str(demo_pipeline.warehouse)
    before = H.figures(demo_pipeline.warehouse)
    cases = []
    for s in SQL:
        cases += [
            ["kpi", "--warehouse", wh, "--period", s, "--level", "upt", "--out", str(tmp_path / "a.csv")],
            ["kpi", "--warehouse", wh, "--period", "2024Q1", "--level", s, "--out", str(tmp_path / "a.csv")],
            ["kpi", "--warehouse", wh, "--period", "2024Q1", "--level", "upt", "--by", s, "--out", str(tmp_path / "a.csv")],
            ["kpi", "--warehouse", str(tmp_path / (s.replace("/", "_") + ".duckdb")), "--period", "2024Q1",
             "--level", "upt", "--out", str(tmp_path / "a.csv")],
            ["load", "--landing", str(tmp_path / "tidak-ada"), "--ulang", s],
            ["load", "--landing", s],
            ["status", "--warehouse", str(tmp_path / (s.replace("/", "_") + ".duckdb"))],
            ["generate", "--out", str(tmp_path / "g"), "--months", s],
        ]
    from dagster_project.cli import main

    for args in cases:  # in process: an unexpected exception would fail the test with its traceback
        code = main(args)
        out, err = capsys.readouterr()
        assert code in (0, 2), (args, code, err[-500:])
        assert not LEAK.search(err + out), (args, err[-500:])
        if code == 2:
            assert len([x for x in err.splitlines() if x.strip()]) == 1, (args, err)
    assert H.same_figures(H.figures(demo_pipeline.warehouse), before)
    TRIED["teks SQL di argumen CLI"] = len(cases)
    H.record("hostile_inputs", TRIED)


@pytest.mark.slow
def test_sql_text_in_every_dashboard_url_parameter(demo_pipeline):
    from dashboards.app import KUNCI_FILTER, baca_query, buat_unduhan, render_halaman
    from dashboards.data import Gudang, Pengguna, TidakBerwenang
    from dashboards.pages import HALAMAN, TABEL

    from urllib.parse import urlencode

    g = Gudang(demo_pipeline.warehouse)
    before = H.figures(demo_pipeline.warehouse)
    users = [Pengguna("pusat", "ditjenpas"), Pengguna("kw", "kanwil", "KW01"), Pengguna("upt", "upt", "UPT0001")]
    n = 0
    for i, s in enumerate(SQL):
        for key in KUNCI_FILTER:
            nilai = baca_query("?" + urlencode({key: s, "periode": "2024Q1"}))
            # Every role on every page with the first text; the others on one page as Ditjenpas.
            for p in (users if i == 0 else users[:1]):
                for h in (HALAMAN if i == 0 else HALAMAN[:1]):
                    out = str(render_halaman(g, p, h.PATH, nilai))
                    n += 1
                    assert "Traceback" not in out and not LEAK.search(out) and "Kesalahan" not in out, (key, h.PATH)
                    assert "DROP TABLE" not in out and "duckdb_settings" not in out
            try:
                buat_unduhan(g, users[0], next(iter(TABEL)), nilai)
                n += 1
            except TidakBerwenang:
                n += 1
        out = str(render_halaman(g, users[0], s, {"periode": "2024Q1"}))  # the path itself
        assert "tidak ditemukan" in out
    g.close()
    assert H.same_figures(H.figures(demo_pipeline.warehouse), before)
    TRIED["teks SQL di parameter URL dasbor"] = n
    H.record("hostile_inputs", TRIED)
