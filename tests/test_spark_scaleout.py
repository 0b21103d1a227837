"""Scale-out helpers without Spark: Parquet export layout and types, Spark DDL, the comparison."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project import scaleout
from fixtures_dbt import build_fixture_warehouse


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("scaleout")
    work = base / "monev.work.duckdb"
    build_fixture_warehouse(work)
    summary = scaleout.export_parquet(work, base / "parquet")
    return work, base / "parquet", summary


def test_one_folder_per_source_table(exported):
    work, parquet, summary = exported
    con = duckdb.connect(str(work), read_only=True)
    tables = scaleout.source_tables(con)
    con.close()
    assert {f"{s}.{t}" for s, t in tables} == set(summary.tables)
    assert scaleout.exported_tables(parquet) == sorted(tables, key=lambda st: (scaleout.SOURCE_SCHEMAS.index(st[0]), st[1]))
    for schema, table in tables:
        assert (parquet / schema / table / scaleout.PART_FILE).is_file()
    assert not list(parquet.rglob(".*"))  # no temporary folders left


def test_types_survive_and_json_becomes_text(exported):
    work, parquet, summary = exported
    con = duckdb.connect(str(work), read_only=True)
    for schema, table in (("raw", "penjualan"), ("meta", "file_registry"), ("meta", "quarantine")):
        files = (parquet / schema / table / scaleout.PART_FILE).as_posix()
        src = dict(con.execute(f"select column_name, data_type from information_schema.columns "
                               f"where table_schema = '{schema}' and table_name = '{table}'").fetchall())
        out = {r[0]: r[1] for r in con.execute(f"describe select * from read_parquet('{files}')").fetchall()}
        assert list(src) == list(out) or set(src) == set(out)
        for col, typ in src.items():
            assert out[col] == ("VARCHAR" if typ == "JSON" else typ), (table, col)
        n = con.execute(f"select count(*) from read_parquet('{files}')").fetchone()[0]
        assert n == summary.tables[f"{schema}.{table}"]
    con.close()


def test_export_replaces_an_earlier_export(exported, tmp_path):
    work, parquet, _ = exported
    again = scaleout.export_parquet(work, parquet)
    assert (parquet / "raw" / "narapidana" / scaleout.PART_FILE).is_file()
    assert len(list((parquet / "raw" / "narapidana").iterdir())) == 1
    assert again.tables["raw.narapidana"] > 0


def test_spark_ddl_registers_external_tables(exported):
    _, parquet, summary = exported
    ddl = scaleout.spark_ddl(parquet)
    assert ddl[:3] == ["create database if not exists meta", "create database if not exists raw",
                       "create database if not exists ref"]
    creates = [s for s in ddl if s.startswith("create table")]
    assert len(creates) == len(summary.tables)
    loc = (parquet.resolve() / "raw" / "narapidana").as_posix()
    assert f"create table raw.narapidana using parquet location '{loc}'" in ddl
    # every create is preceded by a drop of the catalog entry (external: files stay)
    assert all(ddl[ddl.index(c) - 1] == "drop table if exists " + c.split()[2] for c in creates)


def test_compare_marts_matches_and_reports(tmp_path):
    work = tmp_path / "w.duckdb"
    con = duckdb.connect(str(work))
    con.execute("create schema marts")
    con.execute("create table marts.t as select * from (values ('a', 1::bigint, 0.1::double, 10.25::decimal(18,2)),"
                " ('b', 2, null, 3.00)) v(k, n, r, amount)")
    spark_dir = tmp_path / "spark"
    (spark_dir / "marts.db" / "t").mkdir(parents=True)
    # the same figures as Spark would write them: doubles for decimals, rows in another order, tiny float noise
    con.execute(f"copy (select * from (values ('b', 2::bigint, null::double, 3.0::double), "
                f"('a', 1, 0.1 + 1e-12, 10.25)) v(k, n, r, amount)) "
                f"to '{(spark_dir / 'marts.db' / 't' / 'part-0.parquet').as_posix()}' (format parquet)")
    con.close()
    assert scaleout.compare_marts(work, spark_dir) == {"t": []}
    con = duckdb.connect(str(work))
    con.execute("update marts.t set r = 0.2 where k = 'a'")
    con.close()
    [diff] = scaleout.compare_marts(work, spark_dir)["t"]
    assert diff.startswith("row 0 column r: duckdb 0.2, spark 0.1")
    con = duckdb.connect(str(work))
    con.execute("create table marts.missing as select 1 as x")
    con.close()
    assert scaleout.compare_marts(work, spark_dir)["missing"][0].startswith("no Spark table files")


def test_dbt_env_points_profiles_at_the_export(tmp_path):
    env = scaleout.dbt_env("spark", tmp_path / "w.duckdb", tmp_path / "p", tmp_path / "s", base={})
    assert env["MONEV_DBT_TARGET"] == "spark"
    assert env["MONEV_PARQUET_DIR"] == str((tmp_path / "p").resolve())
    assert env["MONEV_SPARK_DIR"] == str((tmp_path / "s").resolve())
    assert env["SPARK_LOCAL_IP"] == "127.0.0.1"


def test_compare_publications_equal_up_to_float_noise_and_reports_differences(tmp_path):
    def publication(path, amount=10.25, extra=0.0, typ="decimal(18,2)", drop=False):
        con = duckdb.connect(str(path))
        con.execute(f"create table kpi as select * from (values ('b', 2::bigint, 0.3::double + {extra}, 3.00::{typ}), "
                    f"('a', 1, null, {amount}::{typ})) v(k, n, r, amount)")
        con.execute("create table publikasi as select now()::timestamp as diterbitkan_pada, 7::bigint as load_id")
        if not drop:
            con.execute("create table dim as select 'x' as kode")
        con.close()
        return path

    a = publication(tmp_path / "a.duckdb")
    same = publication(tmp_path / "same.duckdb", extra=1e-15)
    ignore = {"publikasi": {"diterbitkan_pada"}}
    assert scaleout.compare_publications(a, same, ignore_columns=ignore) == {"dim": [], "kpi": [], "publikasi": []}
    # the publication time differs unless ignored
    assert scaleout.compare_publications(a, same)["publikasi"]
    changed = publication(tmp_path / "changed.duckdb", amount=10.26)
    assert any("amount" in d for d in scaleout.compare_publications(a, changed, ignore_columns=ignore)["kpi"])
    retyped = publication(tmp_path / "retyped.duckdb", typ="double")
    assert any("types differ" in d for d in scaleout.compare_publications(a, retyped, ignore_columns=ignore)["kpi"])
    missing = publication(tmp_path / "missing.duckdb", drop=True)
    assert scaleout.compare_publications(a, missing, ignore_columns=ignore)["dim"] == ["only in the first publication"]
