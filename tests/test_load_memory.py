"""Bounded memory of a load (issue 12 item 3, issue 16): contracts are validated in chunks of whole
files and give the verdict of one pass; every large-work DuckDB connection carries a memory limit."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project import config
from dagster_project.contracts import check_load, file_chunks
from dagster_project.ingest.schema import create_all


def test_file_chunks_keep_files_whole_and_bound_rows():
    sizes = [(1, 5), (2, 5), (3, 12), (4, 1), (5, 1), (6, 9)]
    chunks = file_chunks(sizes, limit=10)
    assert chunks == [(1, 2), (3, 3), (4, 5), (6, 6)]
    # every file in exactly one chunk, in order
    covered = [f for a, b in chunks for f, _ in sizes if a <= f <= b]
    assert covered == [f for f, _ in sizes]
    assert file_chunks([], limit=10) == []


@pytest.fixture()
def work(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    create_all(con)
    con.execute("insert into meta.loads (load_id, started_at, status) values (1, now()::timestamp, 'SELESAI')")
    rows = []
    for file_id in range(1, 7):
        for r in range(1, 4):
            rows.append((f"UPT{file_id:04d}", "2024-01-01", f"T{file_id}-{r}", "2024-01-05", "K1", "Roti",
                         1, 1000, 1000, "LANGSUNG", "EKSTERNAL", None, file_id, r, 1))
    # file 2: a duplicate transaction number (uniqueness is per file); file 5: a negative total
    rows[4] = rows[4][:2] + ("T2-1",) + rows[4][3:]
    rows[13] = rows[13][:8] + (-5,) + rows[13][9:]
    con.executemany("insert into raw.penjualan values (" + ", ".join("?" * 15) + ")", rows)
    # the same transaction number in two different files is allowed
    con.close()
    return path


def test_chunked_contract_equals_one_pass(work):
    whole = check_load(work, "penjualan", chunk_rows=10**9)
    chunked = check_load(work, "penjualan", chunk_rows=3)  # one file per chunk
    assert not whole.passed and not chunked.passed
    assert whole.rows == chunked.rows == 18
    def key(r):
        return sorted((f["expectation"], str(f["kwargs"]), f["unexpected_count"]) for f in r.failures)
    assert key(whole) == key(chunked)
    found = {f["expectation"] for f in chunked.failures}
    assert found == {"expect_compound_columns_to_be_unique", "expect_column_values_to_be_between"}


def test_clean_load_passes_in_chunks(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    create_all(con)
    con.execute("insert into meta.loads (load_id, started_at, status) values (1, now()::timestamp, 'SELESAI')")
    con.close()
    empty = check_load(path, "penjualan", chunk_rows=2)
    assert empty.passed and empty.rows == 0 and empty.evaluated > 0


def test_memory_limit_is_applied(monkeypatch, tmp_path):
    monkeypatch.setenv("MONEV_DUCKDB_MEMORY", "300MB")
    con = duckdb.connect(str(tmp_path / "x.duckdb"), config=config.duckdb_config())
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.close()
    assert limit.replace(" ", "").upper() in ("286.1MIB", "300.0MB", "300MB")
    monkeypatch.delenv("MONEV_DUCKDB_MEMORY")
    assert config.duckdb_config()["memory_limit"] == config.DEFAULT_DUCKDB_MEMORY
