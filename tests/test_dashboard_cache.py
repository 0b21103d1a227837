"""The dashboards' query cache (dashboards/data.py): a cached answer is always the answer the
published file gives, per user scope, and never outlives its publication."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse  # noqa: E402

from dashboards.data import Gudang, Pengguna, Pilihan, TidakBerwenang  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")


@pytest.fixture()
def wh(tmp_path) -> Path:
    return build_warehouse(tmp_path / "monev.duckdb")


def _populasi(g: Gudang, p: Pengguna, upt: str = "UPT0001") -> float:
    df = g.indikator(p, Pilihan(periode="2024Q3", upt=upt), ["2024Q3"])
    return float(df.iloc[0].populasi_akhir)


def test_repeated_query_is_served_from_cache_with_the_same_answer(wh):
    g = Gudang(wh)
    g.sematkan()
    first = g.indikator_upt(PUSAT, Pilihan(periode="2024Q3"), "2024Q3")
    misses = g.cache_misses
    second = g.indikator_upt(PUSAT, Pilihan(periode="2024Q3"), "2024Q3")
    assert g.cache_misses == misses and g.cache_hits > 0
    assert first.equals(second)
    g.lepas()
    g.close()


def test_a_caller_mutating_its_result_does_not_change_the_cache(wh):
    g = Gudang(wh)
    df = g.indikator_upt(PUSAT, Pilihan(periode="2024Q3"), "2024Q3")
    asli = df.copy()
    df.loc[:, "populasi_akhir"] = -1
    df["kolom_baru"] = 1
    df.iloc[0, 0] = "UBAH"
    df["kapasitas"] += 5
    df.sort_values("kode_upt", ascending=False, inplace=True)
    df.drop(columns=["nama_upt"], inplace=True)
    again = g.indikator_upt(PUSAT, Pilihan(periode="2024Q3"), "2024Q3")
    assert "kolom_baru" not in again.columns and again.equals(asli)
    g.close()


def test_scope_is_part_of_the_key(wh):
    """A Kanwil account asking what Ditjenpas asked before still gets only its own UPTs, and a
    refusal is not turned into an answer by a cached result."""
    g = Gudang(wh)
    semua = g.daftar_upt(PUSAT)
    assert {"UPT0003", "UPT0004"} <= set(semua.kode_upt)
    sendiri = g.daftar_upt(KW01)
    assert set(sendiri.kode_upt) == {"UPT0001", "UPT0002"}
    _populasi(g, PUSAT, "UPT0004")
    with pytest.raises(TidakBerwenang):
        _populasi(g, KW01, "UPT0004")
    g.close()


def test_a_new_publication_is_never_answered_from_the_old_cache(wh, tmp_path):
    g = Gudang(wh)
    before = _populasi(g, PUSAT)
    # Publish a changed file the way `monev load` does: build beside, then os.replace.
    nxt = tmp_path / "monev.next.duckdb"
    shutil.copy(wh, nxt)
    con = duckdb.connect(str(nxt))
    con.execute("update kpi_indikator set populasi_akhir = populasi_akhir + 1000 "
                "where level = 'upt' and kode = 'UPT0001' and periode = '2024Q3'")
    con.close()
    os.replace(nxt, wh)
    assert _populasi(g, PUSAT) == before + 1000
    g.close()


def test_a_request_pinned_to_the_old_publication_does_not_fill_the_cache_of_the_new(wh, tmp_path):
    g = Gudang(wh)
    g.sematkan()
    before = _populasi(g, PUSAT)  # this request holds the old publication
    nxt = tmp_path / "monev.next.duckdb"
    shutil.copy(wh, nxt)
    con = duckdb.connect(str(nxt))
    con.execute("update kpi_indikator set populasi_akhir = 7 where level = 'upt' and kode = 'UPT0001'")
    con.close()
    os.replace(nxt, wh)
    # A new request sees the new file.
    import threading

    seen = {}
    t = threading.Thread(target=lambda: seen.setdefault("v", _populasi(g, PUSAT)))
    t.start()
    t.join()
    assert seen["v"] == 7
    # The old request still reads its own publication, consistently...
    assert _populasi(g, PUSAT) == before
    g.lepas()
    # ...and what it read was not stored as the new publication's answer.
    assert _populasi(g, PUSAT) == 7
    g.close()


def test_cache_is_bounded(wh, monkeypatch):
    monkeypatch.setenv("MONEV_DASH_CACHE_MB", "0.05")  # 50 kB
    g = Gudang(wh)
    for periode in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024S1", "2024S2", "2024"):
        g.indikator_upt(PUSAT, Pilihan(periode=periode), periode)
        g.daftar_upt(PUSAT, Pilihan(periode=periode))
        assert g._cache_bytes <= 50_000
    g.close()
