"""`monev periksa` and the "Unggah & periksa" page give the nightly load's verdict on every file of
the generator's defect manifest (the demo run of tests/conftest.py, loaded by the real job).

Files are checked in the nightly load's order of receipt (arrival time, then path). The CLI checks
all files at once, as the nightly load read them; the page is called once per Kanwil account with
that Kanwil's files (a Kanwil submits for its own UPTs only), so the one expected difference is
exact and explained: an NTPN first reported by a UPT of ANOTHER Kanwil is not in that check (nor in
the empty earlier-loads context), so the page does not quarantine that row as DUPLICATE_NTPN.
"""

from __future__ import annotations

import base64
import csv
import os
import re
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STATUS = {"LOADED": "DITERIMA", "REJECTED": "DITOLAK", "IDENTICAL": "IDENTIK"}


@pytest.fixture(scope="module")
def nightly(demo_pipeline):
    assert demo_pipeline.load_exit == 0
    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    try:
        files = {r[0]: (STATUS[r[1]], r[2], r[3] or 0, r[4] or 0, r[5] or 0) for r in con.execute(
            "select path, status, reject_code, rows_read, rows_loaded, rows_quarantined from meta.file_registry"
        ).fetchall()}
        rows = defaultdict(set)
        for path, row, code in con.execute(
                "select r.path, q.row_number, q.reason_code from meta.quarantine q join meta.file_registry r "
                "using (file_id)").fetchall():
            rows[path].add((row + 1, code))  # spreadsheet row: the header is row 1
        ntpn_senders = defaultdict(set)
        for ntpn, upt in con.execute(
                "select ntpn, kode_upt from raw.pnbp union select record_key, kode_upt from meta.quarantine "
                "where kind = 'pnbp' and record_key is not null").fetchall():
            ntpn_senders[ntpn].add(upt)
        dup_ntpn = {(r[0], r[1] + 1): r[2] for r in con.execute(
            "select r.path, q.row_number, q.record_key from meta.quarantine q join meta.file_registry r using (file_id) "
            "where q.reason_code = 'DUPLICATE_NTPN'").fetchall()}
    finally:
        con.close()
    order = sorted(demo_pipeline.manifest["files"], key=lambda e: (e["received_at"], e["path"]))
    return {"files": files, "rows": rows, "order": [e["path"] for e in order], "ntpn_senders": ntpn_senders,
            "dup_ntpn": dup_ntpn}


def test_cli_verdicts_equal_the_nightly_load(demo_pipeline, nightly, tmp_path, capsys):
    paths = [str(demo_pipeline.landing / p) for p in nightly["order"]]
    code = main(["periksa", *paths, "--warehouse", str(tmp_path / "kosong" / "monev.duckdb")])
    out = capsys.readouterr().out
    assert code == 1  # the manifest has rejected files and quarantined rows
    by_path = {str(demo_pipeline.landing / p): p for p in nightly["order"]}
    got: dict[str, tuple] = {}
    got_rows = defaultdict(set)
    current = None
    for line in out.splitlines():
        if line.startswith("  baris "):
            m = re.match(r"^  baris (\d+): .* \[([A-Z_]+)\]$", line)
            got_rows[current].add((int(m[1]), m[2]))
        elif not line.startswith("  ") and ": " in line and line.split(": ", 1)[0] in by_path:
            src, rest = line.split(": ", 1)
            current = by_path[src]
            status = rest.split(":")[0].split(" ")[0]
            reject = re.search(r"\[([A-Z_]+)\]$", rest)[1] if status == "DITOLAK" else None
            got[current] = (status, reject)
    assert set(got) == set(nightly["files"])
    wrong = [(p, got[p], nightly["files"][p][:2]) for p in got if got[p] != nightly["files"][p][:2]]
    assert not wrong, wrong[:10]
    diff = [(p, sorted(got_rows[p] ^ nightly["rows"][p])[:5]) for p in nightly["files"]
            if got_rows[p] != nightly["rows"][p]]
    assert not diff, diff[:10]
    assert sum(len(r) for r in nightly["rows"].values()) > 100  # the comparison is not vacuous


def test_page_verdicts_equal_the_nightly_load(demo_pipeline, nightly, tmp_path):
    from dashboards.app import create_app
    from dashboards.data import Pengguna

    with open(ROOT / "seeds" / "upt_master.csv", encoding="utf-8") as fh:
        kanwil_of = {r["kode_upt"]: r["kode_kanwil"] for r in csv.DictReader(fh)}
    os.environ.setdefault("MONEV_SECRET_KEY", "kunci-uji")
    app = create_app(tmp_path / "kosong" / "monev.duckdb", tmp_path / "acc.json", tmp_path / "audit.log",
                     landing_path=tmp_path / "landing")
    entries = {e["path"]: e for e in demo_pipeline.manifest["files"]}
    per_kanwil = defaultdict(list)
    for p in nightly["order"]:
        kode = entries[p]["kode_upt"]
        if kode in kanwil_of:
            per_kanwil[kanwil_of[kode]].append(p)
    checked, expected_gaps = 0, 0
    for kw, paths in sorted(per_kanwil.items()):
        names = [Path(p).name for p in paths]
        isi = ["data:;base64," + base64.b64encode((demo_pipeline.landing / p).read_bytes()).decode() for p in paths]
        children, token, _disabled, _msg = app.proses_unggah(
            Pengguna(f"op_{kw}", "kanwil", kw), isi, names, maks_file=None, maks_total=None)
        table = children.children[1].data  # "Hasil pemeriksaan" DataTable, one row per file in upload order
        karantina = next((c.data for c in children.children if getattr(c, "id", None) == "unggah-tabel-karantina"), [])
        got_rows = defaultdict(set)
        for r in karantina:
            got_rows[paths[r["No"] - 1]].add((r["Baris di lembar kerja"], r["Kode"]))
        assert len(table) == len(paths)
        for r in table:
            p = paths[r["No"] - 1]
            status, reject, _read, _loaded, _quar = nightly["files"][p]
            want_status = "DITERIMA SEBAGIAN" if status == "DITERIMA" and nightly["rows"][p] else status
            want_rows = set(nightly["rows"][p])
            for (path, row), ntpn in nightly["dup_ntpn"].items():
                if path == p and all(kanwil_of[u] != kw for u in nightly["ntpn_senders"][ntpn]
                                     if u != entries[p]["kode_upt"]):
                    want_rows.discard((row, "DUPLICATE_NTPN"))  # its owner is outside this check
                    expected_gaps += 1
            if status == "DITERIMA" and not want_rows:
                want_status = "DITERIMA"
            assert r["Putusan"] == want_status, (p, r)
            if status == "DITOLAK":
                assert r["Keterangan"], p
            assert got_rows[p] == want_rows, (p, sorted(got_rows[p] ^ want_rows)[:5])
            checked += 1
        assert token  # accepted files of the Kanwil can be submitted
    assert checked == len([p for p in nightly["order"] if entries[p]["kode_upt"] in kanwil_of])
    assert checked > 100 and expected_gaps < 20


def test_generated_files_arrive_at_their_simulated_time_and_show_their_sender(demo_pipeline):
    """The generator's arrival records reach the registry and the Kualitas Data page's file table,
    so demo lateness still shows although the loader no longer reads modification times."""
    import datetime as dt

    from dashboards.data import Gudang, Pengguna, Pilihan
    from dashboards.pages import kualitas
    from dashboards.components import Konteks

    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    try:
        reg = dict(con.execute("select path, received_at from meta.file_registry").fetchall())
        senders = {r[0] for r in con.execute("select distinct submitted_by from meta.file_registry").fetchall()}
    finally:
        con.close()
    assert senders == {"generator"}
    for e in demo_pipeline.manifest["files"]:
        rec = dt.datetime.fromisoformat(e["received_at"]).replace(tzinfo=dt.timezone.utc)
        assert reg[e["path"]] == rec.astimezone().replace(tzinfo=None), e["path"]
    gudang = Gudang(demo_pipeline.warehouse)
    try:
        p = Pengguna("pusat", "ditjenpas", None)
        periode = gudang.periode_terbaru(p)
        df = kualitas.tabel_file_masuk(Konteks(gudang, p, Pilihan(periode=periode)))
        assert len(df) > 0 and set(df.submitted_by) == {"generator"}
        assert set(df.status) <= {"DITERIMA", "DITOLAK", "IDENTIK"}
        late = gudang._q("select count(*) as n from srv.mart_kelengkapan where terlambat").n.iloc[0]
        assert late > 0  # demo lateness shows
    finally:
        gudang.close()
