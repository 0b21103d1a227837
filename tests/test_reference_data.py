"""Checks of the reference data the warehouse ships (seeds/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dagster_project.spec import ENUMS, INDUSTRY_DIMENSIONS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

UPT_COLUMNS = ["kode_upt", "nama_upt", "jenis_upt", "kelas", "kode_kanwil", "nama_kanwil",
               "provinsi", "kapasitas"]
JENIS = {"LAPAS", "RUTAN", "LPKA", "LPP"}
KELAS = {"I", "IIA", "IIB", "III"}
PROVINCES = {
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah",
    "Sulawesi Selatan", "Sulawesi Barat", "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua",
    "Papua Barat",
}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def upt() -> pd.DataFrame:
    return read("upt_master.csv")


@pytest.fixture(scope="module")
def bidang() -> pd.DataFrame:
    return read("taxonomy_bidang.csv")


@pytest.fixture(scope="module")
def subbidang() -> pd.DataFrame:
    return read("taxonomy_subbidang.csv")


@pytest.fixture(scope="module")
def industri() -> pd.DataFrame:
    return read("taxonomy_industri.csv")


# --- UPT master -------------------------------------------------------------------------------

def test_upt_master_file_format():
    raw = (SEEDS / "upt_master.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")
    assert raw.splitlines()[0].decode() == ",".join(UPT_COLUMNS)


def test_upt_master_columns_exact(upt):
    assert list(upt.columns) == UPT_COLUMNS


def test_upt_master_no_blank_cells(upt):
    assert not (upt.apply(lambda s: s.str.strip()) == "").any().any()


def test_upt_codes_and_names_unique(upt):
    assert upt["kode_upt"].is_unique
    assert upt["nama_upt"].is_unique
    assert upt["kode_upt"].str.fullmatch(r"UPT\d{4}").all()


def test_unit_count(upt):
    assert 520 <= len(upt) <= 540


def test_kanwil_33_consistent(upt):
    assert upt["kode_kanwil"].nunique() == 33
    assert set(upt["kode_kanwil"]) == {f"KW{i:02d}" for i in range(1, 34)}
    per = upt.groupby("kode_kanwil").agg(n=("kode_upt", "size"),
                                         nama=("nama_kanwil", "nunique"),
                                         prov=("provinsi", "nunique"))
    assert (per["n"] >= 1).all()
    assert (per["nama"] == 1).all(), per[per["nama"] != 1]
    assert (per["prov"] == 1).all(), per[per["prov"] != 1]
    # and the reverse: one Kanwil per name and per province
    assert upt.groupby("nama_kanwil")["kode_kanwil"].nunique().eq(1).all()
    assert upt.groupby("provinsi")["kode_kanwil"].nunique().eq(1).all()
    assert set(upt["provinsi"]) == PROVINCES
    assert (upt["nama_kanwil"] == "Kanwil Ditjenpas " + upt["provinsi"]).all()


def test_enumerations(upt):
    assert set(upt["jenis_upt"]) <= JENIS
    assert set(upt["kelas"]) <= KELAS
    assert set(upt["jenis_upt"]) == JENIS, "every kind of unit is present"


def test_every_kanwil_has_lapas_or_rutan(upt):
    has = upt[upt["jenis_upt"].isin(["LAPAS", "RUTAN"])].groupby("kode_kanwil").size()
    assert set(has.index) == set(upt["kode_kanwil"])


def test_capacity(upt):
    assert upt["kapasitas"].str.fullmatch(r"\d+").all(), "integers"
    cap = upt["kapasitas"].astype(int)
    assert (cap > 0).all()
    assert 140_000 <= cap.sum() <= 155_000


def test_capacity_follows_class(upt):
    cap = upt.assign(kapasitas=upt["kapasitas"].astype(int))
    for jenis in ("LAPAS", "RUTAN"):
        med = cap[cap["jenis_upt"] == jenis].groupby("kelas")["kapasitas"].median()
        order = [k for k in ("I", "IIA", "IIB", "III") if k in med.index]
        assert list(med[order]) == sorted(med[order], reverse=True), (jenis, med)


def test_codes_assigned_in_kanwil_order(upt):
    assert list(upt["kode_upt"]) == sorted(upt["kode_upt"])
    assert list(upt["kode_kanwil"]) == sorted(upt["kode_kanwil"])


# --- taxonomy -------------------------------------------------------------------------------

def test_bidang_equals_spec(bidang):
    assert bidang["kode_bidang"].is_unique
    assert set(bidang["kode_bidang"]) == set(ENUMS["bidang"])


def test_subbidang_unique_and_linked(bidang, subbidang):
    assert subbidang["kode_subbidang"].is_unique
    assert set(subbidang["kode_bidang"]) <= set(bidang["kode_bidang"])


def test_every_bidang_has_subbidang(bidang, subbidang):
    counts = subbidang.groupby("kode_bidang").size()
    for kode in bidang["kode_bidang"]:
        assert counts.get(kode, 0) >= 1, kode


def test_industry_dimensions_have_codes(industri):
    counts = industri.groupby("dimensi").size()
    for dim in INDUSTRY_DIMENSIONS:
        assert counts.get(dim, 0) >= 2, dim


def test_industri_keys_unique(industri):
    assert not industri.duplicated(["dimensi", "kode"]).any()


@pytest.mark.parametrize("name,cols", [
    ("taxonomy_bidang.csv", ["kode_bidang", "label"]),
    ("taxonomy_subbidang.csv", ["kode_subbidang", "kode_bidang", "label"]),
    ("taxonomy_industri.csv", ["dimensi", "kode", "label"]),
])
def test_taxonomy_labels_and_codes_non_empty(name, cols):
    df = read(name)
    for c in cols:
        assert (df[c].str.strip() != "").all(), (name, c)


def test_satuan_maps_the_dictionary_examples_to_canonical_units():
    """KPI_DICTIONARY `satuan`: kg, kilogram, Kg. -> kg; pcs, buah, unit -> pcs; one row per spelling,
    spellings already trimmed and lower-case (the lookup key), every canonical unit maps to itself."""
    df = read("taxonomy_satuan.csv")
    assert list(df.columns) == ["satuan_asal", "satuan", "label"]
    assert not df["satuan_asal"].duplicated().any()
    assert (df["satuan_asal"] == df["satuan_asal"].str.strip().str.lower()).all()
    m = dict(zip(df["satuan_asal"], df["satuan"]))
    for written, canonical in (("kg", "kg"), ("kilogram", "kg"), ("kg.", "kg"), ("pcs", "pcs"), ("buah", "pcs"),
                               ("unit", "pcs")):
        assert m[written] == canonical, written
    assert all(m.get(c) == c for c in set(df["satuan"]))
    # every unit the demo generator writes is known
    from dagster_project.generator.catalog import PRODUCTS  # noqa: PLC0415
    units = {row[1].strip().lower() for rows in PRODUCTS.values() for row in rows}
    assert units <= set(m), units - set(m)
