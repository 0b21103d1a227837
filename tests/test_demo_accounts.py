"""Demo accounts: one per role, scoped to a Kanwil with two reporting UPTs, shown with what they see."""

from __future__ import annotations

import duckdb

from dashboards.auth import ensure_demo_accounts
from dashboards.demo_accounts import main, what_they_see


def _warehouse(path):
    con = duckdb.connect(str(path))
    con.execute("create table dim_upt (kode_upt varchar, nama_upt varchar, kode_kanwil varchar, nama_kanwil varchar)")
    con.execute("""insert into dim_upt values
        ('UPT0001', 'Lapas A', 'KW01', 'Kanwil Satu'),
        ('UPT0002', 'Rutan B', 'KW02', 'Kanwil Dua'), ('UPT0003', 'LPP C', 'KW02', 'Kanwil Dua'),
        ('UPT0004', 'Lapas D', 'KW03', 'Kanwil Tiga'), ('UPT0005', 'LPKA E', 'KW03', 'Kanwil Tiga'),
        ('UPT0006', 'Rutan F', 'KW03', 'Kanwil Tiga')""")
    con.execute("create table fct_file_diterima (kode_upt varchar, status varchar, is_current boolean)")
    # KW01: one unit only; KW02: UPT0002 sent nothing loaded (one rejected file); KW03: all report, 0005 the most
    con.execute("""insert into fct_file_diterima values
        ('UPT0001', 'LOADED', true), ('UPT0002', 'REJECTED', true), ('UPT0003', 'LOADED', true),
        ('UPT0004', 'LOADED', true), ('UPT0005', 'LOADED', true), ('UPT0005', 'LOADED', true),
        ('UPT0005', 'LOADED', false), ('UPT0006', 'LOADED', true)""")
    con.close()
    return path


def test_accounts_go_to_a_kanwil_whose_units_all_report(tmp_path):
    wh = _warehouse(tmp_path / "w.duckdb")
    akun = ensure_demo_accounts(tmp_path / "app.db", wh)
    assert {u: (a["role"], a["scope"]) for u, a in akun.items()} == {
        "ditjenpas": ("ditjenpas", None), "kanwil_kw03": ("kanwil", "KW03"), "upt_upt0005": ("upt", "UPT0005")}


def test_each_account_is_printed_with_what_it_sees(tmp_path, monkeypatch, capsys):
    wh = _warehouse(tmp_path / "w.duckdb")
    monkeypatch.setenv("MONEV_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setattr("dashboards.demo_accounts.DATA_DIR", tmp_path)
    assert main([str(wh)]) == 0
    out = capsys.readouterr().out
    assert "seluruh Indonesia (3 Kanwil, 6 UPT)" in out
    assert "Kanwil Tiga (KW03) dengan 3 UPT: Lapas D (UPT0004), LPKA E (UPT0005), Rutan F (UPT0006)" in out
    assert "LPKA E (UPT0005), Kanwil Tiga" in out
    assert (tmp_path / "demo_credentials.txt").stat().st_mode & 0o777 == 0o600
    assert out.count("kata sandi=") == 3


def test_what_they_see_without_a_warehouse():
    assert what_they_see("ditjenpas", None, []) == "seluruh Indonesia"
    assert what_they_see("kanwil", "KW09", []) == "Kanwil KW09"
    assert what_they_see("upt", "UPT0009", []) == "UPT UPT0009"
