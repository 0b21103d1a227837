"""Scale-out: the same dbt project builds on Apache Spark and gives DuckDB's figures.

The working warehouse of the session's demo pipeline (generated exports loaded by the real job,
marts built by dbt on DuckDB) is exported to Parquet (dagster_project/scaleout.py); the same
model files are built on a local Spark session (dbt-spark, method `session`, local[2]) with the
unit tests and the singular invariants (`dbt build --target spark --exclude test_type:generic`),
and every mart both engines build is compared row for row (numbers within 1e-6 relative).

Needs the `spark` extra (`pip install -e '.[spark]'`, which `make setup` installs) and Java 17.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dagster_project import scaleout

pytestmark = pytest.mark.slow

# Every mart of docs/DESIGN.md except kpi_revisi, which needs the snapshot (not built on Spark).
MARTS_ON_BOTH = (
    "dim_kanal", "dim_kanwil", "dim_kegiatan", "dim_narapidana", "dim_periode", "dim_upt",
    "fct_file_diterima", "fct_karantina", "fct_partisipasi_bulanan", "fct_penjualan", "fct_pnbp",
    "fct_produksi", "kpi_indikator", "kpi_kelompok", "kpi_rincian", "kpi_rincian_kelompok", "mart_file_ditolak",
    "mart_anggaran_kegiatan", "mart_karantina", "mart_kelengkapan", "mart_kelengkapan_kanwil", "mart_kualitas_upt", "mart_margin_kegiatan", "mart_penjualan_ringkas", "mart_pnbp_bulanan",
    "mart_produksi_ringkas", "mart_temuan", "mart_upt_bulanan", "meta_muatan",
)


def _require_spark():
    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Spark build (Debian: openjdk-17-jre-headless)")
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:  # the spark extra is part of `make setup`: missing it is a failure
        pytest.fail(f"the spark extra is not installed (pip install -e '.[spark]'): {exc}")


@pytest.fixture(scope="module")
def spark_build(demo_pipeline, tmp_path_factory):
    assert demo_pipeline.load_exit == 0
    _require_spark()
    base = tmp_path_factory.mktemp("spark")
    # a private copy: the comparison reads the DuckDB marts the real job built
    work = demo_pipeline.work_copy_as_published(base / "monev.work.duckdb")
    parquet = base / "parquet"
    export = scaleout.export_parquet(work, parquet)
    result, seconds = scaleout.run_dbt(
        "spark", ["build", "--exclude", "test_type:generic"], work_db=work, scratch=base,
        parquet_dir=parquet, spark_dir=base / "spark",
        extra_env={"MONEV_SPARK_DRIVER_MEMORY": "1g"},
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]
    return work, base / "spark" / "warehouse", export, result


def test_export_has_every_source_table(spark_build):
    work, _, export, _ = spark_build
    con = duckdb.connect(str(work), read_only=True)
    try:
        for name, rows in export.tables.items():
            schema, table = name.split(".")
            assert rows == con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
    finally:
        con.close()
    expected = {f"raw.{k}" for k in ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")}
    expected |= {"meta.file_registry", "meta.quarantine", "meta.loads", "ref.upt", "ref.bidang",
                 "ref.subbidang", "ref.industri", "ref.satuan"}
    assert expected <= set(export.tables)
    assert export.tables["raw.narapidana"] > 1000


def test_spark_build_ran_models_unit_and_singular_tests(spark_build):
    out = spark_build[3].stdout
    assert "ERROR=0" in out and "SKIP=0" in out
    assert "spark" in out.lower()
    for model in ("kpi_indikator", "kpi_rincian", "mart_kelengkapan", "int_kpi_upt_periode"):
        assert f"marts.{model}" in out or f"intermediate.{model}" in out
    for name in ("latest_version_wins", "eligibility_on_participation_start", "assert_kanwil_equals_sum_of_upt"):
        assert name in out
    # publication history is the serving engine's: neither the snapshot nor kpi_revisi on Spark
    assert "kpi_indikator_snapshot" not in out and "marts.kpi_revisi" not in out


@pytest.mark.parametrize("table", MARTS_ON_BOTH)
def test_mart_equals_duckdb_figure_for_figure(spark_build, table):
    work, spark_warehouse, _, _ = spark_build
    report = scaleout.compare_marts(work, spark_warehouse, tables=[table])
    assert report[table] == [], f"{table} differs between DuckDB and Spark: {report[table]}"


def test_kpi_marts_cover_every_level_on_spark(spark_build):
    _, spark_warehouse, _, _ = spark_build
    con = duckdb.connect()
    levels = con.execute(
        "select level, count(*) from read_parquet(?) group by level order by level",
        [scaleout.spark_table_files(spark_warehouse, "marts", "kpi_indikator")]).fetchall()
    assert [lv for lv, _ in levels] == ["kanwil", "nasional", "upt"]
    dims = con.execute("select distinct dimensi from read_parquet(?) order by 1",
                       [scaleout.spark_table_files(spark_warehouse, "marts", "kpi_rincian")]).fetchall()
    assert [d for d, in dims] == ["bidang", "kanal", "kelas_industri", "satuan", "subbidang"]


def test_comparison_detects_a_changed_figure(spark_build, tmp_path):
    """The comparison can fail: one revenue figure changed (by 1%) and breakdown rows deleted on the DuckDB side."""
    work, spark_warehouse, _, _ = spark_build
    tampered = tmp_path / "tampered.duckdb"
    shutil.copy(work, tampered)
    con = duckdb.connect(str(tampered))
    con.execute("""update marts.kpi_indikator set pendapatan = pendapatan * 1.01 + 1000
                   where level = 'nasional' and periode = (select min(periode) from marts.kpi_indikator)""")
    con.execute("delete from marts.kpi_rincian where level = 'upt' and dimensi = 'kanal' "
                "and kode = (select min(kode) from marts.kpi_rincian where level = 'upt' and dimensi = 'kanal')")
    con.close()
    report = scaleout.compare_marts(tampered, spark_warehouse, tables=["kpi_indikator", "kpi_rincian", "dim_upt"])
    assert any("pendapatan" in d for d in report["kpi_indikator"])
    assert any("row count" in d for d in report["kpi_rincian"])
    assert report["dim_upt"] == []


def test_spark_marts_hand_back_to_duckdb_for_publication(spark_build, tmp_path, monkeypatch):
    """finish_spark_build puts Spark's marts into the working warehouse with DuckDB's own column
    types and builds the publication history (snapshot, kpi_revisi) on DuckDB from them."""
    work, spark_warehouse, _, _ = spark_build
    handed = tmp_path / "handed.duckdb"
    shutil.copy(work, handed)
    monkeypatch.setenv("MONEV_SPARK_DIR", str(spark_warehouse.parent))
    counts = scaleout.finish_spark_build(handed, scratch=tmp_path)
    assert set(counts) == set(MARTS_ON_BOTH)

    def types(path):
        con = duckdb.connect(str(path), read_only=True)
        rows = con.execute("""select table_name, column_name, data_type from information_schema.columns
                              where table_schema = 'marts' order by table_name, ordinal_position""").fetchall()
        con.close()
        return rows

    assert types(handed) == types(work)  # kpi_revisi included: rebuilt on DuckDB
    con = duckdb.connect(str(handed), read_only=True)
    versions = con.execute("select count(*), count(distinct dbt_valid_from) from snapshots.kpi_indikator_snapshot "
                           "where level = 'nasional'").fetchone()
    con.close()
    assert versions[0] >= 1 and versions[1] >= 1
    assert scaleout.compare_marts(handed, spark_warehouse, tables=["kpi_indikator", "kpi_rincian"]) == {
        "kpi_indikator": [], "kpi_rincian": []}
