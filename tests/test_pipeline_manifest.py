"""The real job on generated demo exports, matched against the generator's manifest exactly.

The generator records every file it wrote, which must be rejected and why, and every defective
row with its defect code. Ingestion must agree: every rejected file rejected with the same code,
every injected defect caught with the right reason, no clean row quarantined, and for every file
rows read = rows loaded + rows quarantined.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

import duckdb
import pytest

from dagster_project.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def registry(demo_pipeline):
    assert demo_pipeline.load_exit == 0
    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    files = {r[0]: r for r in con.execute(
        "select path, status, reject_code, rows_read, rows_loaded, rows_quarantined, is_current, file_id "
        "from meta.file_registry").fetchall()}
    quarantine = defaultdict(lambda: defaultdict(set))
    for path, row, code in con.execute(
            "select r.path, q.row_number, q.reason_code from meta.quarantine q "
            "join meta.file_registry r using (file_id)").fetchall():
        quarantine[path][row].add(code)
    con.close()
    return files, quarantine


def test_every_manifest_file_is_registered_with_the_expected_outcome(demo_pipeline, registry):
    files, _ = registry
    expected_status = {"accept": "LOADED", "reject": "REJECTED", "identical": "IDENTICAL"}
    wrong = []
    for entry in demo_pipeline.manifest["files"]:
        got = files.get(entry["path"])
        if got is None:
            wrong.append((entry["path"], "not registered"))
            continue
        if got[1] != expected_status[entry["expect"]]:
            wrong.append((entry["path"], f"status {got[1]} expected {entry['expect']}"))
        elif entry["expect"] == "reject" and got[2] != entry["reject_code"]:
            wrong.append((entry["path"], f"reject {got[2]} expected {entry['reject_code']}"))
    assert not wrong, wrong[:20]
    assert set(files) == {e["path"] for e in demo_pipeline.manifest["files"]}


def test_every_defect_caught_and_no_clean_row_quarantined(demo_pipeline, registry):
    files, quarantine = registry
    missed, spurious, rows_mismatch = [], [], []
    for entry in demo_pipeline.manifest["files"]:
        if entry["expect"] != "accept":
            continue
        path = entry["path"]
        injected = {d["row"]: d["code"] for d in entry["defects"]}
        caught = quarantine.get(path, {})
        for row, code in injected.items():
            if code not in caught.get(row, set()):
                missed.append((path, row, code, sorted(caught.get(row, set()))))
        for row, codes in caught.items():
            if row not in injected:
                spurious.append((path, row, sorted(codes)))
        read, loaded, quarantined = files[path][3:6]
        if read != entry["rows"] or read != loaded + quarantined or quarantined != len(injected):
            rows_mismatch.append((path, entry["rows"], read, loaded, quarantined, len(injected)))
    assert not missed, missed[:20]
    assert not spurious, spurious[:20]
    assert not rows_mismatch, rows_mismatch[:20]


def test_every_defect_and_reject_class_was_exercised(demo_pipeline, registry):
    """The comparison above is only as strong as the defects present: all classes must be."""
    from dagster_project.spec import DEFECT_CODES, REJECT_CODES

    _, quarantine = registry
    caught = {c for rows in quarantine.values() for codes in rows.values() for c in codes}
    assert caught >= set(DEFECT_CODES)
    rejected = {e["reject_code"] for e in demo_pipeline.manifest["files"] if e["expect"] == "reject"}
    assert rejected >= set(REJECT_CODES)


def test_replacement_keeps_one_current_version_per_upt_kind_month(demo_pipeline):
    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    try:
        dupes = con.execute("""select kode_upt, kind, bulan, count(*) from meta.file_registry
                               where is_current group by all having count(*) > 1""").fetchall()
        assert dupes == []
        replaced = con.execute("select count(*) from meta.file_registry where replaces_file_id is not null").fetchone()[0]
        expect = {e["path"]: e["expect"] for e in demo_pipeline.manifest["files"]}
        # a corrected re-send replaces an earlier version only when that version had been accepted
        resent = sum(1 for e in demo_pipeline.manifest["files"]
                     if e["role"] == "resend_corrected" and e["expect"] == "accept"
                     and expect.get(e["replaces"]) == "accept")
        assert resent > 0 and replaced == resent
        # the corrected version is the one that counts
        for e in demo_pipeline.manifest["files"]:
            if e["role"] == "resend_corrected" and e["expect"] == "accept":
                cur = con.execute("select is_current from meta.file_registry where path = ?", [e["path"]]).fetchone()
                assert cur == (True,), e["path"]
    finally:
        con.close()


def test_no_clear_personal_data_in_any_warehouse_file(demo_pipeline):
    """Scan the bytes of the working and published warehouses for every NIK and name the UPTs sent."""
    niks = set()
    for entry in demo_pipeline.manifest["files"]:
        if entry["kind"] != "narapidana" or not entry["path"].endswith(".csv"):
            continue
        raw = (demo_pipeline.landing / entry["path"]).read_bytes()
        text = raw.decode("utf-8-sig", errors="replace")
        niks.update(re.findall(r"(?<!\d)\d{16}(?!\d)", text))
    assert len(niks) > 100
    wanted = {n.encode() for n in niks}
    for path in (demo_pipeline.work, demo_pipeline.warehouse):
        blob = path.read_bytes()
        # Every occurrence of a 16-digit NIK lies inside a run of at least 16 digits: check each
        # 16-byte window of each such run (one pass instead of one scan of the file per NIK).
        leaked = {run[i:i + 16] for m in re.finditer(rb"\d{16,}", blob)
                  for run in (m.group(),) for i in range(len(run) - 15)} & wanted
        assert not leaked, (path, sorted(leaked)[:3])
    con = duckdb.connect(str(demo_pipeline.work), read_only=True)
    try:
        cols = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                           "where column_name in ('nik', 'nama', 'tanggal_lahir')").fetchall()
        assert cols == []
    finally:
        con.close()


def test_second_load_with_nothing_new_changes_nothing(demo_pipeline, tmp_path, capsys):
    def snapshot():
        con = duckdb.connect(":memory:")
        con.execute(f"attach '{demo_pipeline.warehouse}' as srv (read_only)")
        rows = con.execute("select * from srv.kpi_indikator order by all").fetchall()
        con.close()
        return rows

    before = snapshot()
    os.environ["DAGSTER_HOME"] = str(tmp_path / "dagster")
    try:
        code = main(["load", "--landing", str(demo_pipeline.landing), "--warehouse", str(demo_pipeline.warehouse)])
    finally:
        os.environ.pop("DAGSTER_HOME", None)
    out = capsys.readouterr().out
    assert code == 0
    assert "baru 0," in out  # the summary line: "file ditemukan N, baru 0, tidak berubah N"
    assert snapshot() == before
