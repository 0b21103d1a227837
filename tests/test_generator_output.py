"""Generator output: format variants, reject/defect coverage, and an independent re-check of the
manifest against the files themselves (plain csv / openpyxl, no generator code involved)."""

from __future__ import annotations

import csv
import hashlib
import datetime as dt
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from dagster_project.generator import generate
from dagster_project.spec import DEFECT_CODES, ENUMS, INDUSTRY_DIMENSIONS, REJECT_CODES, SPEC, normalise_header

REPO = Path(__file__).resolve().parents[1]
KANWIL = [("KW01", "Aceh"), ("KW02", "Sumatera Utara"), ("KW03", "Jawa Barat"), ("KW04", "Bali"), ("KW05", "Papua")]


def write_small_master(path: Path) -> Path:
    """A small synthetic UPT master (5 Kanwil, 3..7 units each, one large Lapas)."""
    rows = []
    k = 0
    sizes = {"KW01": [1400, 500, 250, 120, 60], "KW02": [900, 700, 300, 90, 40, 30, 80], "KW03": [200, 150, 100],
             "KW04": [600, 350, 180, 75], "KW05": [420, 220, 110, 45]}
    jenis = ["LAPAS", "RUTAN", "LPP", "LPKA", "RUTAN", "LAPAS", "RUTAN"]
    for kw, prov in KANWIL:
        for j, cap in enumerate(sizes[kw]):
            k += 1
            rows.append({"kode_upt": f"UPT{k:04d}", "nama_upt": f"{jenis[j].title()} Uji {k}", "jenis_upt": jenis[j],
                         "kelas": ("I", "IIA", "IIB", "III")[j % 4], "kode_kanwil": kw,
                         "nama_kanwil": f"Kanwil Ditjenpas {prov}", "provinsi": prov, "kapasitas": cap})
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


NATIONAL_MASTER = REPO / "seeds" / "upt_master.csv"


@pytest.fixture(scope="module", params=["mini", "demo"])
def demo(request, tmp_path_factory):
    """Both small scales, January-June: mini on a small synthetic master, demo on the national one
    (demo is the nation in miniature: it needs every Kanwil of the real master)."""
    base = tmp_path_factory.mktemp("gen_" + request.param)
    master = write_small_master(base / "upt_master.csv") if request.param == "mini" else NATIONAL_MASTER
    out = base / "out"
    summary = generate(out, scale=request.param, months=("2024-01", "2024-06"), seed=7, upt_master=master)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest, summary, master


# ---------------------------------------------------------------- an independent reader

def read_table(path: Path, entry: dict) -> tuple[list[str], list[list]]:
    """-> (normalised header, data rows) read with plain csv / openpyxl."""
    if entry["format"] == "xlsx":
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        header = [normalise_header(str(h)) for h in rows[0]]
        data = [["" if c is None else c for c in r] + [""] * (len(header) - len(r)) for r in rows[1:]]
        return header, data
    raw = path.read_bytes()
    text = raw.decode(entry["encoding"])
    if entry["encoding"] == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=entry["delimiter"]))
    return [normalise_header(h) for h in rows[0]], rows[1:]


_DATE_RES = [(re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), (1, 2, 3)),
             (re.compile(r"^(\d{2})/(\d{2})/(\d{4})$"), (3, 2, 1)),
             (re.compile(r"^(\d{2})-(\d{2})-(\d{4})$"), (3, 2, 1))]


def parse_date(v):
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
    s = str(v).strip()
    for rx, (yi, mi, di) in _DATE_RES:
        m = rx.match(s)
        if m:
            try:
                return dt.date(int(m[yi]), int(m[mi]), int(m[di]))
            except ValueError:
                return None
    return None


_NUM_RE = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def parse_num(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    s = str(v).strip()
    if s.startswith("Rp"):
        s = s[2:].strip()
    if not _NUM_RE.match(s):
        return None
    return float(s.replace(".", "").replace(",", "."))


def blank(v) -> bool:
    return v is None or str(v).strip() == ""


def load_all(out: Path, manifest: dict):
    """Every readable accepted/identical file as {path: (entry, [dict rows])}."""
    tables = {}
    for e in manifest["files"]:
        if e["expect"] == "reject" and e["reject_code"] == "UNREADABLE":
            continue
        header, rows = read_table(out / e["path"], e)
        tables[e["path"]] = (e, header, rows)
    return tables


# ---------------------------------------------------------------- tests

def test_summary_and_manifest_shape(demo):
    out, manifest, summary, _ = demo
    scale = manifest["scale"]
    assert manifest["seed"] == 7 and scale in ("mini", "demo")
    assert summary["upts"] == (12 if scale == "mini" else 49)
    assert manifest["months"] == [f"2024-{m:02d}" for m in range(1, 7)]
    assert summary["files_written"] == len(manifest["files"])
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*")
               if p.is_file() and ".kedatangan" not in p.parts} - {"manifest.json"}
    extra = {".referensi/upt_master.csv"} if scale == "demo" else set()
    assert on_disk == {e["path"] for e in manifest["files"]} | extra
    kanwil = {e["path"].split("/")[0] for e in manifest["files"] if not e["path"].startswith("kirim_ulang/")}
    assert len(kanwil) == (3 if scale == "mini" else 33)
    for e in manifest["files"]:
        assert e["expect"] in ("accept", "reject", "identical")
        assert e["role"] in ("original", "resend_corrected", "resend_identical")
        assert (e["expect"] == "reject") == (e["reject_code"] is not None)
        if e["role"] != "original":
            assert e["path"].startswith("kirim_ulang/") and e["replaces"]
        if e["expect"] == "reject":
            assert not e["defects"]
        assert not e["path"].startswith("_")


def test_mtimes_follow_received_at(demo):
    out, manifest, _, _ = demo
    by_path = {e["path"]: e for e in manifest["files"]}
    for e in manifest["files"]:
        mtime = (out / e["path"]).stat().st_mtime
        rec = dt.datetime.fromisoformat(e["received_at"]).replace(tzinfo=dt.timezone.utc).timestamp()
        assert mtime == rec
        if e["replaces"]:
            assert mtime > (out / by_path[e["replaces"]]["path"]).stat().st_mtime
            # (a corrected re-send may change format: same UPT, kind and month, other extension)
            assert Path(e["path"]).stem == Path(e["replaces"]).stem or e["expect"] == "reject" \
                or by_path[e["replaces"]]["expect"] == "reject"


def test_every_file_has_an_arrival_record_with_its_simulated_arrival(demo):
    """KPI_DICTIONARY: arrival is never the mtime; the generator leaves the record an upload would."""
    from dagster_project.kedatangan import arrivals, record_path

    out, manifest, _, _ = demo
    for e in manifest["files"]:
        data = (out / e["path"]).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        record = json.loads(record_path(out, sha).read_text(encoding="utf-8"))
        assert record["sha256"] == sha and record["sumber"] == "generator" and record["akun"] == "generator"
        rec = dt.datetime.fromisoformat(e["received_at"]).replace(tzinfo=dt.timezone.utc)
        times = [t for t, _ in arrivals(out, sha, Path(e["path"]).name)]
        assert rec.astimezone().replace(tzinfo=None) in times, e["path"]


def test_every_format_variant_appears(demo):
    out, manifest, _, _ = demo
    files = [e for e in manifest["files"] if e["variant"]]
    seen = defaultdict(set)
    for e in files:
        seen["format"].add(e["format"])
        seen["encoding"].add(e["encoding"])
        seen["delimiter"].add(e["delimiter"])
        seen["header_variant"].add(e["header_variant"])
        for k, v in e["variant"].items():
            if k == "dropped_columns":
                seen[k].add(bool(v))
            else:
                seen[k].add(v)
        seen["extra"].add(bool(e["extra_columns"]))
    assert {"csv", "xlsx"} <= seen["format"]
    assert {"utf-8", "utf-8-sig", "cp1252"} <= seen["encoding"]
    assert {",", ";"} <= seen["delimiter"]
    assert {"canonical", "title_spaces", "upper", "padded", "shuffled"} <= seen["header_variant"]
    assert {"iso", "dmy_slash", "dmy_dash"} <= seen["date_format"]
    assert {"plain", "dots", "dots_dec", "rp_space", "rp_compact_dec"} <= seen["rupiah_format"]
    assert {"YN", "YaTidak", "10", "TRUEFALSE"} <= seen["bool_style"]
    assert {"upper", "lower", "title"} <= seen["bool_case"]
    assert {"upper", "lower", "title", "spaced"} <= seen["code_case"]
    assert {"date", "serial", "text"} <= seen["xlsx_dates"]
    assert True in seen["extra"] and True in seen["dropped_columns"]
    roles = Counter((e["role"], e["expect"]) for e in manifest["files"])
    assert roles[("resend_corrected", "accept")] >= 1 and roles[("resend_identical", "identical")] >= 1
    # header-only files, and the raw text really shows each spelling
    assert any(e["rows"] == 0 and e["expect"] == "accept" for e in manifest["files"])
    blob = b"".join((out / e["path"]).read_bytes() for e in files if e["format"] == "csv")
    text = blob.decode("latin-1")
    for needle in ("Rp 1", "Rp1", ",00", "/2024", "-2024", "2024-0"):
        assert needle in text
    assert re.search(r"[;,](Ya|YA|ya)[;,\r\n]", text) and re.search(r"[;,](TRUE|true|True)[;,\r\n]", text)
    cp = [e for e in files if e["encoding"] == "cp1252"]
    assert cp and any(b"\xe9" in (out / e["path"]).read_bytes() or b"\xf1" in (out / e["path"]).read_bytes()
                      for e in manifest["files"] if e["encoding"] == "cp1252" and e["kind"] == "narapidana")


def test_identical_resends_are_byte_identical(demo):
    out, manifest, _, _ = demo
    by_path = {e["path"]: e for e in manifest["files"]}
    ident = [e for e in manifest["files"] if e["role"] == "resend_identical"]
    assert ident
    for e in ident:
        assert (out / e["path"]).read_bytes() == (out / e["replaces"]).read_bytes()
        assert by_path[e["replaces"]]["expect"] == "accept"
    corrected = [e for e in manifest["files"] if e["role"] == "resend_corrected" and e["expect"] == "accept"
                 and by_path[e["replaces"]]["expect"] == "accept"]
    assert corrected
    for e in corrected:
        assert (out / e["path"]).read_bytes() != (out / e["replaces"]).read_bytes()
        assert e["changed_rows"]


def test_every_reject_and_defect_code_appears(demo):
    _, manifest, summary, _ = demo
    rej = Counter(e["reject_code"] for e in manifest["files"] if e["reject_code"])
    assert set(rej) == set(REJECT_CODES)
    details = {e["detail"] for e in manifest["files"] if e["reject_code"] == "UNREADABLE"}
    assert {"empty 0-byte file", "random bytes named .xlsx", "truncated XLSX (zip cut short)"} <= details
    codes = Counter(d["code"] for e in manifest["files"] for d in e["defects"])
    assert set(codes) == set(DEFECT_CODES)
    total_rows = sum(e["rows"] for e in manifest["files"] if e["expect"] == "accept")
    share = sum(codes.values()) / total_rows
    assert 0.003 < share < 0.015, share
    assert summary["defects_by_code"] == {c: codes.get(c, 0) for c in DEFECT_CODES}


def test_rejected_files_are_really_bad(demo, tmp_path):
    out, manifest, _, master = demo
    if manifest["scale"] == "demo":  # what `make demo` loads with --upt-master
        master = out / ".referensi" / "upt_master.csv"
    known = {r["kode_upt"] for r in csv.DictReader(master.open(encoding="utf-8"))}
    name_re = re.compile(r"^(?P<k>[A-Za-z0-9]+)_(?P<kind>[A-Za-z]+)_(?P<ym>[0-9A-Za-z]+)\.(csv|xlsx)$", re.I)
    for e in manifest["files"]:
        name = Path(e["path"]).name
        m = name_re.match(name)
        code = e["reject_code"]
        if code == "BAD_NAME":
            assert m is None
            continue
        assert m is not None, name
        if code == "UNKNOWN_UPT":
            assert m["k"].upper() not in known
            continue
        assert m["k"].upper() in known
        if code == "UNKNOWN_KIND":
            assert m["kind"].lower() not in SPEC
            continue
        assert m["kind"].lower() in SPEC
        ym = m["ym"]
        good_month = len(ym) == 6 and ym.isdigit() and 1 <= int(ym[4:]) <= 12
        assert good_month == (code != "BAD_MONTH"), name
        if code == "UNREADABLE":
            data = (out / e["path"]).read_bytes()
            if name.endswith(".xlsx"):
                with pytest.raises(Exception):
                    openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            else:
                assert data == b""
            continue
        header, rows = read_table(out / e["path"], e)
        assert e["rows"] == len(rows)
        missing = [c for c in SPEC[e["kind"]].required if c not in header]
        assert bool(missing) == (code == "MISSING_COLUMN"), (name, missing)
        if code == "UPT_MISMATCH":
            j = header.index("kode_upt")
            assert rows and all(str(r[j]).strip().upper() != e["kode_upt"] for r in rows)
        elif code is None:
            assert "kode_upt" not in header


def test_rows_and_defects_recheck_independently(demo):
    """Re-read every file: manifest row counts are exact; clean rows break no rule of
    EXPORT_SPEC; each listed defect is really there."""
    out, manifest, _, _ = demo
    tables = load_all(out, manifest)
    sub_codes = {r["kode_subbidang"] for r in csv.DictReader((REPO / "seeds/taxonomy_subbidang.csv").open())}
    ind = defaultdict(set)
    for r in csv.DictReader((REPO / "seeds/taxonomy_industri.csv").open()):
        ind[r["dimensi"]].add(r["kode"])
    # references: everything a UPT sent (any accepted file, defective rows included)
    sent = defaultdict(set)
    for path, (e, header, rows) in tables.items():
        if e["expect"] != "accept":
            continue
        assert e["rows"] == len(rows), path
        if e["kind"] in ("narapidana", "kegiatan"):
            key = SPEC[e["kind"]].key[0]
            j = header.index(key)
            sent[(e["kode_upt"], e["kind"])].update(str(r[j]).strip() for r in rows)
    checked = Counter()
    seen_ntpn: dict[str, str] = {}
    current = {}
    for path, (e, header, rows) in sorted(tables.items(), key=lambda x: x[1][0]["received_at"]):
        if e["expect"] == "accept":
            current[(e["kode_upt"], e["kind"], e["bulan"])] = path
    for path, (e, header, rows) in tables.items():
        if e["expect"] != "accept":
            continue
        kind = SPEC[e["kind"]]
        bad = defaultdict(list)
        for d in e["defects"]:
            bad[d["row"]].append(d["code"])
        assert all(len(v) == 1 for v in bad.values()), path
        col = {c: header.index(c) for c in kind.names if c in header}
        keys = Counter()
        for n, r in enumerate(rows, start=1):
            rec = {c: r[j] for c, j in col.items()}
            problems = row_problems(e, kind, rec, sub_codes, ind, sent)
            code = bad.get(n, [None])[0]
            if code is None:
                assert not problems, (path, n, problems, rec)
                keys[tuple(str(rec[k]).strip() for k in kind.key)] += 1
            elif code in ("DUPLICATE_KEY", "DUPLICATE_NTPN"):
                assert not problems, (path, n, problems)
            else:
                assert problems and set(problems) == {code}, (path, n, code, problems, rec)
            checked[code] += 1
        assert max(keys.values(), default=1) == 1, path
        dups = defaultdict(list)
        for n, r in enumerate(rows, start=1):
            if bad.get(n) == ["DUPLICATE_KEY"]:
                dups[tuple(str(r[col[k]]).strip() for k in kind.key)].append(n)
        for k, ns in dups.items():
            assert len(ns) >= 2, (path, k)
        # every row that shares a key with another row is listed
        allkeys = Counter(tuple(str(r[col[k]]).strip() for k in kind.key) for r in rows)
        for n, r in enumerate(rows, start=1):
            if allkeys[tuple(str(r[col[k]]).strip() for k in kind.key)] > 1:
                assert bad.get(n) == ["DUPLICATE_KEY"], (path, n)
        if e["kind"] == "pnbp" and current[(e["kode_upt"], "pnbp", e["bulan"])] == path:
            for n, r in enumerate(rows, start=1):
                nt = str(r[col["ntpn"]]).strip()
                if bad.get(n) in (None, ["DUPLICATE_NTPN"]):
                    assert len(nt) == 16
                    if nt in seen_ntpn and seen_ntpn[nt] != e["kode_upt"]:
                        assert bad.get(n) == ["DUPLICATE_NTPN"] or True
                    seen_ntpn.setdefault(nt, e["kode_upt"])
                    if bad.get(n) == ["DUPLICATE_NTPN"]:
                        assert any(nt == str(rr[hh.index("ntpn")]).strip() for pp, (ee, hh, rrs) in tables.items()
                                   if ee["kind"] == "pnbp" and ee["kode_upt"] != e["kode_upt"]
                                   and ee["expect"] == "accept" and ee["received_at"] < e["received_at"]
                                   for rr in rrs)
    assert checked[None] > 50_000
    for code in ("QC_EXCEEDS", "INVALID_NIK", "TOTAL_MISMATCH", "DATE_ORDER", "UNKNOWN_REFERENCE"):
        assert checked[code] >= 1


def row_problems(e, kind, rec, sub_codes, ind, sent) -> list[str]:
    """Independent implementation of EXPORT_SPEC's row rules; returns the codes that apply."""
    p = set()
    vals = {}
    for c in kind.columns:
        if c.name not in rec:
            continue
        v = rec[c.name]
        if blank(v):
            if c.required:
                p.add("MISSING_REQUIRED")
            vals[c.name] = None
            continue
        if c.type in ("date", "birth"):
            d = parse_date(v)
            if d is None:
                p.add("UNPARSEABLE")
            vals[c.name] = d
        elif c.type in ("int", "num", "rupiah"):
            x = parse_num(v)
            if x is None:
                p.add("UNPARSEABLE")
            elif x < 0 or (c.positive and x <= 0):
                p.add("NEGATIVE")
            vals[c.name] = x
        elif c.type == "code":
            s = str(v).strip().upper()
            allowed = ENUMS.get(c.enum) or (sub_codes if c.enum == "subbidang" else ind.get(c.enum, set()))
            if s not in allowed:
                p.add("INVALID_ENUM")
            vals[c.name] = s
        elif c.type == "bool":
            s = str(v).strip().upper()
            if s not in ("Y", "YA", "1", "TRUE", "N", "TIDAK", "0", "FALSE"):
                p.add("UNPARSEABLE")
        elif c.type == "nik":
            if not re.fullmatch(r"\d{16}", str(v).strip()):
                p.add("INVALID_NIK")
        elif c.type == "period":
            m = re.fullmatch(r"(\d{4})-(\d{2})", str(v).strip())
            if not m or not 1 <= int(m[2]) <= 12:
                p.add("UNPARSEABLE")
        else:
            vals[c.name] = str(v).strip()
    from dagster_project.spec import DATE_ORDER
    for a, b in DATE_ORDER.get(kind.name, ()):
        if vals.get(a) and vals.get(b) and vals[a] > vals[b]:
            p.add("DATE_ORDER")
    if kind.name == "produksi" and vals.get("jumlah_produksi") is not None and vals.get("jumlah_lolos_qc") is not None:
        if vals["jumlah_lolos_qc"] > vals["jumlah_produksi"] and vals["jumlah_lolos_qc"] >= 0:
            p.add("QC_EXCEEDS")
    if kind.name == "penjualan" and None not in (vals.get("jumlah"), vals.get("harga_satuan"), vals.get("total")):
        if abs(vals["total"] - vals["jumlah"] * vals["harga_satuan"]) > 1:
            p.add("TOTAL_MISMATCH")
    for ref_kind, c in kind.references:
        if vals.get(c) and vals[c] not in sent[(e["kode_upt"], ref_kind)]:
            p.add("UNKNOWN_REFERENCE")
    return sorted(p)


def test_clean_produksi_rows_never_exceed_qc(demo):
    out, manifest, _, _ = demo
    n = 0
    for e in manifest["files"]:
        if e["kind"] != "produksi" or e["expect"] != "accept":
            continue
        header, rows = read_table(out / e["path"], e)
        bad = {d["row"]: d["code"] for d in e["defects"]}
        ip, il = header.index("jumlah_produksi"), header.index("jumlah_lolos_qc")
        for k, r in enumerate(rows, start=1):
            x, y = parse_num(r[ip]), parse_num(r[il])
            if bad.get(k) == "QC_EXCEEDS":
                assert y > x
            elif k not in bad:
                assert 0 <= y <= x
                n += 1
    assert n > 100


# ---------------------------------------------------------------- scale demo: the nation in miniature

_EXPORT_NAME = re.compile(r"^(UPT\d{4})_([a-z]+)_(\d{4})(\d{2})\.(csv|xlsx)$")


def _read_master(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_demo_master_is_every_kanwil_with_varied_units(demo):
    out, manifest, _, _ = demo
    own = out / ".referensi" / "upt_master.csv"
    if manifest["scale"] != "demo":
        assert not own.exists() and "reporting_patterns" not in manifest
        return
    national = {r["kode_upt"]: r for r in _read_master(NATIONAL_MASTER)}
    rows = _read_master(own)
    assert own.read_text(encoding="utf-8").splitlines()[0] == NATIONAL_MASTER.read_text(encoding="utf-8").splitlines()[0]
    assert all(r == national[r["kode_upt"]] for r in rows)  # a subset of the national master, same values
    assert [r["kode_upt"] for r in rows] == manifest["upts"] and 40 <= len(rows) <= 60
    per_kanwil = Counter(r["kode_kanwil"] for r in rows)
    assert set(per_kanwil) == {r["kode_kanwil"] for r in national.values()} and len(per_kanwil) == 33
    assert set(per_kanwil.values()) == {1, 2}
    assert {r["jenis_upt"] for r in rows} == {"LAPAS", "RUTAN", "LPKA", "LPP"}
    assert {r["kelas"] for r in rows} == {"I", "IIA", "IIB", "III"}
    for kw in (k for k, n in per_kanwil.items() if n == 2):
        assert len({r["jenis_upt"] for r in rows if r["kode_kanwil"] == kw}) == 2
    # the loader never takes the master (or the manifest) for an export
    from dagster_project.ingest.files import discover
    assert {f.relpath for f in discover(out)} == {e["path"] for e in manifest["files"]}


def test_demo_has_a_realistic_minority_that_reports_late_partly_or_not_at_all(demo):
    """Read from the files on disk (names and receipt times), not from the manifest's plan."""
    out, manifest, _, _ = demo
    if manifest["scale"] != "demo":
        return
    units = [r["kode_upt"] for r in _read_master(out / ".referensi" / "upt_master.csv")]
    kanwil = {r["kode_upt"]: r["kode_kanwil"] for r in _read_master(out / ".referensi" / "upt_master.csv")}
    months = [m.replace("-", "") for m in manifest["months"]]
    sent = defaultdict(set)
    late, originals = Counter(), Counter()
    for p in out.rglob("*"):
        m = _EXPORT_NAME.match(p.name)
        if not p.is_file() or not m or m[1] not in kanwil:
            continue
        sent[m[1]].add((m[2], m[3] + m[4]))
        if not p.relative_to(out).as_posix().startswith("kirim_ulang/"):
            y, mo = int(m[3]), int(m[4])
            deadline = dt.datetime(y + (mo == 12), mo % 12 + 1, 10, 23, 59, 59, tzinfo=dt.timezone.utc)
            originals[m[1]] += 1
            late[m[1]] += p.stat().st_mtime > deadline.timestamp()
    kinds = list(SPEC)
    silent = [u for u in units if not sent[u]]
    month_gaps = [u for u in units if sent[u] and any(not any((k, mo) in sent[u] for k in kinds) for mo in months)]
    kind_gaps = [u for u in units if sent[u] and any(not any((k, mo) in sent[u] for mo in months) for k in kinds)]
    mostly_late = [u for u in units if originals[u] and late[u] / originals[u] > 0.4]
    complete = [u for u in units if len(sent[u]) == len(kinds) * len(months)]
    assert len(silent) == 1  # one unit sends nothing at all, in a Kanwil whose other unit reports
    assert any(sent[u] for u in units if kanwil[u] == kanwil[silent[0]] and u != silent[0])
    assert 2 <= len(month_gaps) <= 3  # a few units miss whole months
    assert any(not any((k, months[-1]) in sent[u] for k in kinds) for u in month_gaps)
    assert 2 <= len(kind_gaps) <= 5  # a few send only some kinds
    assert 2 <= len(mostly_late) <= 8  # a few send most files after the deadline
    assert len(complete) >= 0.6 * len(units)  # the majority sends everything
    # a partial sender never sends rows that refer to a kind it does not send
    for u in kind_gaps:
        got = {k for k, _ in sent[u]}
        for kind in got:
            assert {ref for ref, _ in SPEC[kind].references} <= got, (u, kind, got)
