"""XLSX templates (dagster_project/templat.py, `monev templat`): generated from spec.py and the
taxonomy, and a template filled with the generator's clean records is accepted by periksa with
zero quarantined rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from dagster_project.cli import main
from dagster_project.generator import generate
from dagster_project.ingest import files as F
from dagster_project.periksa import periksa
from dagster_project.spec import ENUMS, KINDS, SPEC, normalise_header
from dagster_project.templat import template_bytes

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "seeds" / "upt_master.csv"


def _codes_from_seeds() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with open(ROOT / "seeds" / "taxonomy_subbidang.csv", encoding="utf-8") as fh:
        out["subbidang"] = {r["kode_subbidang"] for r in csv.DictReader(fh)}
    with open(ROOT / "seeds" / "taxonomy_industri.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["dimensi"], set()).add(r["kode"])
    return out


def test_monev_templat_writes_one_workbook_per_kind_matching_the_spec(tmp_path, capsys):
    assert main(["templat", "--out", str(tmp_path)]) == 0
    taxonomy = _codes_from_seeds()
    for kind in KINDS:
        wb = openpyxl.load_workbook(tmp_path / f"templat_{kind}.xlsx")
        data = wb.worksheets[0]  # the sheet the loader reads
        header = [c.value for c in data[1]]
        assert header == list(SPEC[kind].names)
        assert data.max_row == 1 or all(c.value is None for row in data.iter_rows(min_row=2) for c in row)
        kode = wb["Kode"]
        lists = {}
        for dv in data.data_validations.dataValidation:
            col = header[openpyxl.utils.column_index_from_string(str(dv.sqref).split(":")[0].rstrip("0123456789")) - 1]
            ref = dv.formula1.split("!")[1].replace("$", "")
            first, last = ref.split(":")
            letter = first.rstrip("0123456789")
            lists[col] = {kode[f"{letter}{r}"].value for r in range(int(first[len(letter):]), int(last[len(letter):]) + 1)}
        for c in SPEC[kind].columns:
            comment = data.cell(row=1, column=header.index(c.name) + 1).comment
            assert comment is not None and (("WAJIB" in comment.text) == c.required), (kind, c.name)
            if c.enum:
                expected = set(ENUMS[c.enum]) if c.enum in ENUMS else taxonomy[c.enum]
                assert lists.get(c.name) == expected, (kind, c.name)
            else:
                assert c.name not in lists


def _records(path: Path, entry: dict) -> tuple[list[str], list[list[str]]]:
    """The file's header (normalised) and data rows as text, read with the loader's own sniffers."""
    if path.suffix.lower() == ".xlsx":
        sn = F.sniff_xlsx(path, entry["kind"])
        return sn.header, sn.rows
    data = path.read_bytes()
    sn = F.sniff_csv(data)
    text = sn.text if sn.text is not None else F._decode(data)[0]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sn.delimiter))
    return [normalise_header(h) for h in rows[0]], [r for r in rows[1:] if any(x.strip() for x in r)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    generate(out, scale="mini", months=("2024-01", "2024-01"), seed=5)
    import json

    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_template_filled_with_clean_generated_records_is_accepted_without_quarantine(generated, tmp_path):
    out, manifest = generated
    by_upt: dict[str, dict[str, dict]] = {}
    for e in manifest["files"]:
        if e["role"] == "original" and e["expect"] == "accept":
            by_upt.setdefault(e["kode_upt"], {})[e["kind"]] = e
    upt, entries = next((u, k) for u, k in sorted(by_upt.items()) if set(k) == set(KINDS))
    dropped_keys: dict[str, set[str]] = {"narapidana": set(), "kegiatan": set()}
    filled, expected_rows = [], {}
    for kind in KINDS:  # referenced kinds first, so references to dropped (defective) records are dropped too
        e = entries[kind]
        header, rows = _records(out / e["path"], e)
        defect_rows = {d["row"] for d in e["defects"]}
        keep = []
        for i, row in enumerate(rows, start=1):
            rec = dict(zip(header, row))
            if i in defect_rows:
                if kind in dropped_keys:
                    dropped_keys[kind].add(rec.get(SPEC[kind].key[0], "").strip().upper())
                continue
            if any(rec.get(col, "").strip().upper() in dropped_keys[ref] for ref, col in SPEC[kind].references):
                continue
            keep.append(rec)
        wb = openpyxl.load_workbook(io.BytesIO(template_bytes(kind)))
        ws = wb.worksheets[0]
        names = [c.value for c in ws[1]]
        for r, rec in enumerate(keep, start=2):
            for c, name in enumerate(names, start=1):
                value = rec.get(name, "")
                if value != "":
                    ws.cell(row=r, column=c, value=value)
        target = tmp_path / f"{upt}_{kind}_202401.xlsx"
        wb.save(target)
        filled.append(target)
        expected_rows[target.name] = len(keep)
    verdicts = periksa(filled, MASTER, tmp_path / "kosong" / "monev.duckdb")
    got = {v.nama_file: (v.status, v.baris_dibaca, v.baris_karantina, [(q.baris, q.kode) for q in v.karantina][:3])
           for v in verdicts}
    assert got == {n: ("DITERIMA", k, 0, []) for n, k in expected_rows.items()}
    assert sum(expected_rows.values()) > 50
