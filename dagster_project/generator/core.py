"""The export generator: simulated UPT exports as they arrive from the field, plus a manifest.

Layout (docs/DESIGN.md, "Generator output"):

    DIR/<kode_kanwil>/<kode_upt>/<KODE_UPT>_<kind>_<YYYYMM>.csv|xlsx   first sending
    DIR/kirim_ulang/<n>/<same file name>                                 re-sent files (n-th re-send)
    DIR/manifest.json
    DIR/.referensi/upt_master.csv      scale "demo" only: the UPT master of its units (for --upt-master)

Scales: "mini" (3 Kanwil, 12 UPTs: fast tests), "demo" (every Kanwil with one or two UPTs, about 50,
with a minority that reports late, partly or not at all), "national" (every unit of the master).

Files that must be rejected are written in the normal UPT folders (ingestion must recognise
them by name and content, not by folder).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from dagster_project.kedatangan import remove_generator_arrivals, write_arrival
from dagster_project.spec import DEFECT_CODES, KINDS, REJECT_CODES, SPEC

from . import defects as D
from .render import (MISSING_DAY, Variant, choose_variant, day, render_table, to_csv_bytes,
                     to_xlsx_bytes, CODE_CASES, DATE_FORMATS, ENCODINGS, HEADER_VARIANTS,
                     RUPIAH_FORMATS, BOOL_STYLES, CASES, XLSX_DATE_MODES, COUNT_FORMATS)
from .simulate import ALL_SUBBIDANG, Window, ntpn_code, simulate_upt

SCALES = ("mini", "demo", "national")
MASTER_COLUMNS = ("kode_upt", "nama_upt", "jenis_upt", "kelas", "kode_kanwil", "nama_kanwil", "provinsi", "kapasitas")
DEFAULT_MASTER = Path(__file__).resolve().parents[2] / "seeds" / "upt_master.csv"
DEFECT_RATE = 0.007
# Where scale "demo" writes the UPT master of its units: a dot-folder, which the loader never
# scans as exports (ingest/files.py: discover), beside the exports of the landing folder.
DEMO_MASTER_PATH = ".referensi/upt_master.csv"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

# Event probabilities per (UPT, kind, month) slot.
P_CORRECTED = 0.012
P_IDENTICAL = 0.006
P_REJECT_FIRST = 0.0015
P_REJECT_LATER = 0.001
P_GARBAGE = 0.002
SLOT_REJECTS = ("MISSING_COLUMN", "UPT_MISMATCH", "UNREADABLE:empty", "UNREADABLE:random", "UNREADABLE:truncated")
GARBAGE = ("BAD_NAME", "UNKNOWN_UPT", "UNKNOWN_KIND", "BAD_MONTH")


# ====================================================================== arguments, master

def _parse_months(months) -> list[tuple[int, int]]:
    if not isinstance(months, (tuple, list)) or len(months) != 2:
        raise ValueError("months must be a pair of 'YYYY-MM' strings (first, last).")
    parsed = []
    for s in months:
        m = _MONTH_RE.match(str(s).strip())
        if not m or not (1 <= int(m[2]) <= 12) or not (2000 <= int(m[1]) <= 2100):
            raise ValueError(f"Bad month {s!r}: months must be written 'YYYY-MM' (e.g. '2024-01').")
        parsed.append((int(m[1]), int(m[2])))
    (y0, m0), (y1, m1) = parsed
    n = (y1 - y0) * 12 + (m1 - m0) + 1
    if n < 1:
        raise ValueError(f"Bad month range {months[0]}..{months[1]}: the first month is after the last.")
    if n > 36:
        raise ValueError(f"Bad month range {months[0]}..{months[1]}: at most 36 months can be generated.")
    return [((y0 * 12 + m0 - 1 + k) // 12, (m0 - 1 + k) % 12 + 1) for k in range(n)]


def load_master(path: Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"UPT master {path} does not exist.")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ValueError(f"UPT master {path} has no units.")
    missing = [c for c in MASTER_COLUMNS if c not in rows[0]]
    if missing:
        raise ValueError(f"UPT master {path} lacks the column(s) {', '.join(missing)}.")
    out = []
    for r in rows:
        r = {k: (r[k] or "").strip() for k in MASTER_COLUMNS}
        r["kapasitas"] = int(float(r["kapasitas"] or 0))
        out.append(r)
    out.sort(key=lambda r: r["kode_upt"])
    return out


def select_upts(master: list[dict], scale: str) -> list[dict]:
    if scale == "national":
        return list(master)
    if scale == "demo":
        return _select_demo(master)
    by_kw: dict[str, list[dict]] = {}
    for r in master:
        by_kw.setdefault(r["kode_kanwil"], []).append(r)
    chosen = []
    for kw in sorted(by_kw):
        units = by_kw[kw]
        if len(units) < 4:
            continue
        largest = max(units, key=lambda r: (r["kapasitas"], r["kode_upt"]))
        others = [u for u in units if u is not largest][:3]
        chosen.extend(sorted([largest] + others, key=lambda r: r["kode_upt"]))
        if len(chosen) >= 12:
            break
    if len(chosen) < 12:
        raise ValueError("The UPT master needs at least 3 Kanwil with 4 or more units for scale 'mini'.")
    return chosen


# The demo's first unit per Kanwil cycles over these (jenis, kelas) wishes, so types and classes vary.
_DEMO_FIRST = (("LAPAS", "I"), ("RUTAN", "IIA"), ("LAPAS", "IIA"), ("RUTAN", "IIB"), ("LAPAS", "IIB"),
               ("RUTAN", "I"), ("LAPAS", "III"), ("RUTAN", "III"))
DEMO_TWO_UNITS_FROM = 13  # a Kanwil with at least this many units in the master gets two demo UPTs


def _select_demo(master: list[dict]) -> list[dict]:
    """The nation in miniature: every Kanwil of the master with one UPT, two for the larger Kanwil
    (a second unit of another type: three LPKA and three LPP among them, else Lapas/Rutan); about 50 of the 530."""
    by_kw: dict[str, list[dict]] = {}
    for r in master:
        by_kw.setdefault(r["kode_kanwil"], []).append(r)
    chosen: list[dict] = []
    seen_jenis: dict[str, int] = {}
    for k, kw in enumerate(sorted(by_kw)):
        units = by_kw[kw]
        jenis, kelas = _DEMO_FIRST[k % len(_DEMO_FIRST)]
        first = max(units, key=lambda u: ((u["jenis_upt"] == jenis) * 2 + (u["kelas"] == kelas),
                                          u["kapasitas"], u["kode_upt"]))
        pick = [first]
        others = [u for u in units if u["jenis_upt"] != first["jenis_upt"]]
        if len(units) >= DEMO_TWO_UNITS_FROM and others:
            def want(u):
                rare = u["jenis_upt"] in ("LPKA", "LPP") and seen_jenis.get(u["jenis_upt"], 0) < 3
                return (rare, u["jenis_upt"] in ("LAPAS", "RUTAN"), u["kelas"] != first["kelas"],
                        u["kapasitas"], u["kode_upt"])
            pick.append(max(others, key=want))
        for u in pick:
            seen_jenis[u["jenis_upt"]] = seen_jenis.get(u["jenis_upt"], 0) + 1
        chosen.extend(sorted(pick, key=lambda r: r["kode_upt"]))
    if len(chosen) < 4:
        raise ValueError("The UPT master needs at least 4 units for scale 'demo'.")
    return chosen


# ====================================================================== planning (global, deterministic)

def _plan(upts: list[dict], master: list[dict], win: Window, seed: int, scale: str = "mini") -> list[dict]:
    rng = np.random.default_rng([seed, 999_001])
    U, M = len(upts), len(win.months)
    cycle = [ALL_SUBBIDANG[i] for i in rng.permutation(len(ALL_SUBBIDANG))]
    codes = {r["kode_upt"] for r in master}
    plans = []
    for u, r in enumerate(upts):
        plans.append({
            "u": u, "upt": r, "sub_hint": [cycle[(2 * u + t) % len(cycle)] for t in range(3)],
            "quarterly": bool(rng.random() < 0.15), "late": bool(rng.random() < 0.06),
            "sloppy": bool(rng.random() < 0.04), "donor_months": [], "recipients": [],
            "forced_events": [], "forced_defects": [],
            "other_code": upts[(u + 1) % U]["kode_upt"] if U > 1 else "UPT0000",
            "kanwil_other": None,
        })
    if U >= 4 and not any(p["quarterly"] for p in plans):
        plans[-1]["quarterly"] = True
    # unknown codes for UNKNOWN_UPT (typos of real codes, or codes not in the master)
    for p in plans:
        k = p["upt"]["kode_upt"]
        cand = [k.replace("0", "O", 1), "UPT9999", k + "X", k[:-1]]
        p["unknown_codes"] = [c for c in cand if c and c.upper() not in {x.upper() for x in codes}
                              and re.fullmatch(r"[A-Za-z0-9]+", c)] or ["ZZZ9999"]
    # coverage: every reject code / event appears at least once
    events = (["garbage:" + g for g in GARBAGE] + ["reject_first:" + s for s in SLOT_REJECTS]
              + ["reject_later:MISSING_COLUMN", "reject_later:UNREADABLE:random",
                 "corrected", "corrected", "identical", "identical", "missing", "late"])
    for k, e in enumerate(events):
        plans[(k * 5 + 1) % U]["forced_events"].append(e)
    big = max(range(U), key=lambda i: (upts[i]["kapasitas"], -i))
    for k, code in enumerate(c for c in DEFECT_CODES if c != "DUPLICATE_NTPN"):
        target = big if code in ("QC_EXCEEDS", "TOTAL_MISMATCH", "UNKNOWN_REFERENCE") else (k * 7 + 2) % U
        plans[target]["forced_defects"].append(code)
    # cross-UPT duplicate NTPN: recipient's pnbp file of month a reuses the NTPN of the donor's
    # first deposit of month b < a (the donor's file is on time, accepted and received earlier).
    if U >= 2 and M >= 2:
        n_pairs = max(1, U // 25)
        for k in range(n_pairs):
            a_u = int(rng.integers(U))
            b_u = (a_u + 1 + int(rng.integers(U - 1))) % U
            mb = int(rng.integers(0, M - 1))
            ma = int(rng.integers(mb + 1, M))
            if mb in plans[b_u]["donor_months"] or any(x[0] == ma for x in plans[a_u]["recipients"]):
                continue
            plans[b_u]["donor_months"].append(mb)
            plans[a_u]["recipients"].append((ma, ntpn_code(seed, b_u, mb * 4096)))
    if scale == "demo":
        _plan_reporting(plans, M, seed)
    return plans


def _plan_reporting(plans: list[dict], M: int, seed: int) -> None:
    """Demo only: a realistic minority of units that send late, partly or not at all.

    Chosen among units that carry none of the forced coverage events or defects (so every reject
    and defect class still appears) and none of the cross-UPT NTPN roles. One unit sends nothing
    at all (in a Kanwil with a second, reporting unit), three skip whole months (the last two,
    the last one, one in the middle), three send only some kinds (never a kind whose rows refer
    to a kind it does not send), two more send about half their files late.
    """
    rng = np.random.default_rng([seed, 999_002])
    per_kw: dict[str, int] = {}
    for p in plans:
        per_kw[p["upt"]["kode_kanwil"]] = per_kw.get(p["upt"]["kode_kanwil"], 0) + 1
    free = [p for p in plans if not (p["forced_events"] or p["forced_defects"] or p["donor_months"]
                                    or p["recipients"] or p["late"] or p["sloppy"])]
    # the first Kanwil keeps both of its units reporting, and depositing PNBP monthly (the demo
    # Kanwil and UPT accounts show it; a quarterly depositor shows no deposit for the last quarter)
    first_kw = plans[0]["upt"]["kode_kanwil"]
    if sum(p["quarterly"] for p in plans if p["upt"]["kode_kanwil"] != first_kw):
        for p in plans:
            if p["upt"]["kode_kanwil"] == first_kw:
                p["quarterly"] = False
    free = [p for p in free if p["upt"]["kode_kanwil"] != first_kw]
    order = [free[i] for i in rng.permutation(len(free))]
    silent = next((p for p in order if per_kw[p["upt"]["kode_kanwil"]] >= 2), None)
    rest = [p for p in order if p is not silent]
    if silent is not None:
        silent["reporting"] = {"pattern": "silent", "months_not_sent": list(range(M)), "kinds_sent": []}
    gaps = [[M - 2, M - 1], [M - 1], [M // 2]] if M >= 3 else [[M - 1]]
    for p, months in zip(rest[:3], gaps):
        p["reporting"] = {"pattern": "absent_months", "months_not_sent": sorted(set(months)), "kinds_sent": list(KINDS)}
    partial = (["narapidana", "kegiatan", "peserta"], [k for k in KINDS if k != "pnbp"], ["narapidana"])
    for p, kinds in zip(rest[3:6], partial):
        p["reporting"] = {"pattern": "some_kinds", "months_not_sent": [], "kinds_sent": kinds}
    for p in rest[6:8]:
        p["late"] = True
        p["reporting"] = {"pattern": "late", "months_not_sent": [], "kinds_sent": list(KINDS)}


# ====================================================================== per-UPT work

def _ts(days: int, seconds: int) -> tuple[str, int]:
    d = dt.datetime(1970, 1, 1) + dt.timedelta(days=int(days), seconds=int(seconds))
    return d.strftime("%Y-%m-%dT%H:%M:%S"), calendar.timegm(d.timetuple())


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        self.dirs: set[str] = set()

    def write(self, rel: str, data: bytes, epoch: int) -> None:
        p = self.out / rel
        parent = os.path.dirname(rel)
        if parent not in self.dirs:
            p.parent.mkdir(parents=True, exist_ok=True)
            self.dirs.add(parent)
        with open(p, "wb") as fh:
            fh.write(data)
        os.utime(p, (epoch, epoch))
        # The simulated arrival (KPI_DICTIONARY: arrival is never the file's mtime): an arrival
        # record as an upload would leave, so demo lateness shows (dagster_project/kedatangan.py).
        write_arrival(self.out, hashlib.sha256(data).hexdigest(),
                      dt.datetime.fromtimestamp(epoch, dt.timezone.utc), "generator", "generator",
                      os.path.basename(rel))


def _force_variant(v: Variant, kind: str, u: int, i: int, rng) -> Variant:
    """Cycle variants over the first months so every format appears even in a small run."""
    if i >= 3:
        return v
    k = u + i
    if kind == "narapidana":
        if v.fmt == "csv":
            v.encoding = ENCODINGS[k % 3]
            v.delimiter = ",;"[k % 2]
        v.header_variant = HEADER_VARIANTS[k % 5]
        v.date_format = DATE_FORMATS[k % 3]
        if u % 4 == 1 and i == 2:
            v.extra_columns = ["catatan"]
    elif kind == "kegiatan":
        v.rupiah_format = RUPIAH_FORMATS[k % 5]
        v.bool_style = tuple(BOOL_STYLES)[k % 4]
        v.bool_case = CASES[(u // 4 + i) % 3]
        v.count_format = COUNT_FORMATS[k % 2]
        if u % 4 == 2 and i == 1:
            v.dropped_columns = ["mitra"]
    elif kind == "penjualan":
        v.code_case = CODE_CASES[k % 4]
        v.rupiah_format = RUPIAH_FORMATS[(k + 2) % 5]
    elif kind == "produksi" and u % 3 == 0 and i == 1:
        v.fmt, v.encoding, v.delimiter = "xlsx", None, None
        v.xlsx_dates = XLSX_DATE_MODES[(u // 3) % 3]
        v.xlsx_numbers_as_text = bool((u // 3) % 2)
    # recompute the column order after forced changes
    spec = SPEC[kind]
    cols = [c for c in spec.names if c not in v.dropped_columns] + list(v.extra_columns)
    if v.header_variant == "shuffled":
        cols = [cols[j] for j in rng.permutation(len(cols))]
    v.column_order = cols
    return v


def _extra_values(name: str, n: int, rng) -> list[str]:
    if name == "no_urut":
        return [str(k + 1) for k in range(n)]
    if name == "catatan":
        notes = np.array(["", "", "", "", "cek ulang", "data sementara", "sudah diverifikasi"], dtype=object)
        return notes[rng.integers(len(notes), size=n)].tolist()
    return [""] * n


def _render(kind: str, t: dict, n: int, v: Variant, rng, codes: list[str], ctx: dict,
            fixed: dict[int, tuple[str, str]] | None = None, prepend: tuple[str, str] | None = None):
    """Render a table with injected defects. -> (bytes, rows, defects list)."""
    overrides: dict[str, dict[int, str]] = {}
    defect_rows: dict[int, tuple[str, str]] = dict(fixed or {})
    used = set(defect_rows)
    dups: list[int] = []
    free = [r for r in range(n) if r not in used]
    for code in codes:
        if not free:
            break
        if code == "DUPLICATE_KEY":
            r = free.pop(int(rng.integers(len(free))))
            used.add(r)
            dups.append(r)
            continue
        for _ in range(12):
            r = free[int(rng.integers(len(free)))]
            res = D.inject(kind, code, t, r, v, rng, ctx)
            if res is not None:
                col, ov = res
                for c, s in ov.items():
                    overrides.setdefault(c, {})[r] = s
                defect_rows[r] = (code, col)
                free.remove(r)
                used.add(r)
                break
    extra = {c: _extra_values(c, n, rng) for c in v.extra_columns}
    header, cols = render_table(kind, t, n, v, extra)
    for c, rows in overrides.items():
        j = v.column_order.index(c)
        col = cols[j]
        if not isinstance(col, list):
            col = list(col)
            cols[j] = col
        for r, s in rows.items():
            col[r] = s
    order = list(range(n))
    for r in dups:
        order.insert(int(rng.integers(0, len(order) + 1)), r)
    if dups:
        cols = [[c[k] for k in order] for c in cols]
    if prepend is not None:  # a kode_upt column (UPT_MISMATCH)
        header = [prepend[0]] + header
        cols = [[prepend[1]] * len(order)] + cols
    pos: dict[int, list[int]] = {}
    for p, r in enumerate(order):
        pos.setdefault(r, []).append(p + 1)
    out = []
    for r, (code, col) in defect_rows.items():
        out.append({"row": pos[r][0], "code": code, "column": col})
    key_col = SPEC[kind].key[0]
    for r in dups:
        for p in pos[r]:
            out.append({"row": p, "code": "DUPLICATE_KEY", "column": key_col})
    out.sort(key=lambda d: (d["row"], d["code"]))
    data = to_xlsx_bytes(header, cols) if v.fmt == "xlsx" else to_csv_bytes(header, cols, v)
    return data, len(order), out


def _correct(kind: str, t: dict, n: int, rng) -> tuple[dict, list[int]]:
    """A corrected re-send: a few rows changed, keys unchanged, still clean."""
    t = {k: v.copy() for k, v in t.items()}
    k = max(1, min(n, int(rng.integers(1, 6))))
    rows = sorted(rng.choice(n, size=k, replace=False).tolist())
    for r in rows:
        if kind == "narapidana":
            t["lama_pidana_hari"][r] = max(30.0, t["lama_pidana_hari"][r] + float(rng.integers(-60, 61) or 30))
        elif kind == "kegiatan":
            x = t["realisasi_anggaran"][r]
            t["realisasi_anggaran"][r] = (0 if x != x else x) + float(rng.integers(1, 50)) * 1e5
        elif kind == "peserta":
            if t["jam_kerja"][r] == t["jam_kerja"][r]:
                t["jam_kerja"][r] += 8.0
                t["upah"][r] += 20_000.0
            else:
                t["penerbit_sertifikat"][r] = t["penerbit_sertifikat"][r] or ""
                t["status"][r] = t["status"][r]
                if t["nilai_akhir"][r] == t["nilai_akhir"][r]:
                    t["nilai_akhir"][r] = min(100.0, t["nilai_akhir"][r] + 2.5)
        elif kind == "produksi":
            add = float(rng.integers(1, 20))
            t["jumlah_produksi"][r] += add
            t["jumlah_lolos_qc"][r] += add
        elif kind == "penjualan":
            t["jumlah"][r] += 1.0
            t["total"][r] = t["jumlah"][r] * t["harga_satuan"][r]
        elif kind == "pnbp":
            t["jumlah_setor"][r] += 10_000.0
    return t, [r + 1 for r in rows]


def _garbage_name(code: str, kode: str, kind: str, y: int, m: int, plan: dict, rng) -> tuple[str, dict]:
    ym = f"{y:04d}{m:02d}"
    if code == "BAD_NAME":
        opts = [f"{kode}-{kind}-{y:04d}-{m:02d}.csv", f"laporan final {kind} {ym}.csv",
                f"{kode}_{kind}_{ym} (1).csv", f"{kode}_{kind}_{ym}_revisi.xlsx"]
        name = opts[int(rng.integers(len(opts)))]
        return name, {"kode_upt": None, "kind": None, "bulan": None}
    if code == "UNKNOWN_UPT":
        other = plan["unknown_codes"][int(rng.integers(len(plan["unknown_codes"])))]
        return f"{other}_{kind}_{ym}.csv", {"kode_upt": other.upper(), "kind": kind, "bulan": f"{y:04d}-{m:02d}"}
    if code == "UNKNOWN_KIND":
        bad = ("pegawai", "narapidan", "keuangan", "inventaris")[int(rng.integers(4))]
        return f"{kode}_{bad}_{ym}.csv", {"kode_upt": kode, "kind": bad, "bulan": f"{y:04d}-{m:02d}"}
    bad_m = (f"{y:04d}13", f"{y:04d}00", f"{y:04d}{m}", f"{calendar.month_abbr[m]}{y:04d}")[int(rng.integers(4))]
    if bad_m == ym:
        bad_m = f"{y:04d}13"
    return f"{kode}_{kind}_{bad_m}.csv", {"kode_upt": kode, "kind": kind, "bulan": None}


def _build_upt(args) -> tuple[list[dict], dict]:
    plan, common = args
    out = Path(common["out"])
    seed = common["seed"]
    win = Window([tuple(x) for x in common["months"]])
    u = plan["u"]
    upt = plan["upt"]
    kode, kw = upt["kode_upt"], upt["kode_kanwil"]
    uid = int(re.sub(r"\D", "", kode) or 0)
    rng_sim = np.random.default_rng([seed, uid, u, 1])
    rng = np.random.default_rng([seed, uid, u, 2])
    rng_d = np.random.default_rng([seed, uid, u, 3])
    sim = simulate_upt(rng_sim, upt, win, seed, u, plan["sub_hint"], plan["quarterly"], set(plan["donor_months"]))
    M = len(win.months)
    writer = _Writer(out)
    entries: list[dict] = []

    # ---------------------------------------------------------------- fates per slot
    slots = [(kind, i) for kind in KINDS for i in range(M)]
    nrows = {(kind, i): sim.monthly[kind][i][1] for kind, i in slots}
    recipients = {ma: nt for ma, nt in plan["recipients"]}
    protected = {("pnbp", i) for i in plan["donor_months"]} | {("pnbp", i) for i in recipients}
    forced_codes: dict[tuple, list[str]] = {}
    for code in plan["forced_defects"]:
        kind = {"QC_EXCEEDS": "produksi", "TOTAL_MISMATCH": "penjualan", "UNKNOWN_REFERENCE": "peserta"}.get(code, "narapidana")
        cands = [s for s in slots if s[0] == kind and nrows[s] >= 2 and s not in protected]
        if cands:
            s = cands[int(rng.integers(len(cands)))]
            forced_codes.setdefault(s, []).append(code)
    protected |= set(forced_codes)
    event: dict[tuple, str] = {}
    missing: set[tuple] = set()
    late: set[tuple] = set()

    def free_slots(kinds=KINDS, min_rows=0):
        return [s for s in slots if s[0] in kinds and s not in protected and s not in event
                and s not in missing and nrows[s] >= min_rows]

    for e in plan["forced_events"]:
        if e == "missing":
            c = free_slots(("penjualan", "produksi", "pnbp"))
            if c:
                missing.add(c[int(rng.integers(len(c)))])
            continue
        if e == "late":
            c = free_slots()
            late.add(c[int(rng.integers(len(c)))])
            continue
        kinds, min_rows = KINDS, 0
        if e.endswith("UPT_MISMATCH"):
            kinds, min_rows = ("narapidana",), 1
        elif e in ("corrected", "identical"):
            kinds, min_rows = ("narapidana", "produksi", "penjualan", "kegiatan"), 1
        c = free_slots(kinds, min_rows)
        if c:
            event[c[int(rng.integers(len(c)))]] = e
    for s in slots:
        if s in protected or s in event or s in missing:
            continue
        kind, i = s
        if kind in ("peserta", "produksi", "penjualan", "pnbp"):
            if rng.random() < (0.2 if plan["sloppy"] else 0.003):
                missing.add(s)
                continue
        if rng.random() < (0.5 if plan["late"] else 0.015):
            late.add(s)
        x = rng.random()
        if x < P_CORRECTED and nrows[s] > 0:
            event[s] = "corrected"
        elif x < P_CORRECTED + P_IDENTICAL:
            event[s] = "identical"
        elif x < P_CORRECTED + P_IDENTICAL + P_REJECT_FIRST:
            r = SLOT_REJECTS[int(rng.integers(len(SLOT_REJECTS)))]
            if r == "UPT_MISMATCH" and nrows[s] == 0:
                r = "MISSING_COLUMN"
            event[s] = "reject_first:" + r
        elif x < P_CORRECTED + P_IDENTICAL + P_REJECT_FIRST + P_REJECT_LATER:
            r = SLOT_REJECTS[int(rng.integers(len(SLOT_REJECTS)))]
            if r == "UPT_MISMATCH" and nrows[s] == 0:
                r = "MISSING_COLUMN"
            event[s] = "reject_later:" + r
        elif x < P_CORRECTED + P_IDENTICAL + P_REJECT_FIRST + P_REJECT_LATER + P_GARBAGE:
            event[s] = "garbage:" + GARBAGE[int(rng.integers(len(GARBAGE)))]

    # ---------------------------------------------------------------- files
    def entry(path, kind, i, v: Variant | None, rec, role, replaces, expect, reject_code, rows, defects,
              extra=None, names=None, detail=None, changed=None):
        y, m = win.months[i]
        e = {
            "path": path,
            "kode_upt": kode, "kind": kind, "bulan": f"{y:04d}-{m:02d}",
            "format": v.fmt if v else ("xlsx" if path.endswith(".xlsx") else "csv"),
            "encoding": v.encoding if v else None, "delimiter": v.delimiter if v else None,
            "header_variant": v.header_variant if v else None,
            "received_at": rec, "role": role, "replaces": replaces, "expect": expect,
            "reject_code": reject_code, "rows": rows, "defects": defects or [],
            "extra_columns": list(v.extra_columns) if v else [],
        }
        if names:
            e.update(names)
        e["variant"] = v.manifest() if v else None
        e["detail"] = detail
        if changed is not None:
            e["changed_rows"] = changed
        entries.append(e)

    def variant_for(kind, i):
        v = choose_variant(rng, kind)
        return _force_variant(v, kind, u, i, rng)

    def write_slot_reject(rel, kind, i, t, n, code, rec, epoch, role, replaces):
        sub = code.split(":")
        if sub[0] == "UNREADABLE":
            how = sub[1]
            if how == "empty":
                rel = rel[:-5] + ".csv" if rel.endswith(".xlsx") else rel
                data = b""
            elif how == "random":
                rel = rel[:-4] + ".xlsx" if rel.endswith(".csv") else rel
                data = rng.bytes(int(rng.integers(200, 3000)))
            else:
                rel = rel[:-4] + ".xlsx" if rel.endswith(".csv") else rel
                v = variant_for(kind, i)
                h, cols = render_table(kind, t, n, v)
                full = to_xlsx_bytes(h, cols)
                data = full[: max(30, len(full) * 6 // 10)]
            writer.write(rel, data, epoch)
            entry(rel, kind, i, None, rec, role, replaces, "reject", "UNREADABLE", 0, [],
                  detail={"empty": "empty 0-byte file", "random": "random bytes named .xlsx",
                          "truncated": "truncated XLSX (zip cut short)"}[how])
            return rel
        v = variant_for(kind, i)
        if code == "MISSING_COLUMN":
            req = [c for c in SPEC[kind].required if c in v.column_order]
            drop = req[int(rng.integers(len(req)))]
            v.column_order = [c for c in v.column_order if c != drop]
            data, rows, _ = _render(kind, t, n, v, rng, [], {})
            writer.write(_ext(rel, v), data, epoch)
            entry(_ext(rel, v), kind, i, v, rec, role, replaces, "reject", "MISSING_COLUMN", rows, [],
                  detail=f"required column {drop} missing")
            return _ext(rel, v)
        # UPT_MISMATCH
        data, rows, _ = _render(kind, t, n, v, rng, [], {}, prepend=("kode_upt", plan["other_code"]))
        writer.write(_ext(rel, v), data, epoch)
        entry(_ext(rel, v), kind, i, v, rec, role, replaces, "reject", "UPT_MISMATCH", rows, [],
              detail=f"kode_upt column says {plan['other_code']}")
        return _ext(rel, v)

    rep = plan.get("reporting")
    withheld = {(k, i) for k, i in slots if i in rep["months_not_sent"] or k not in rep["kinds_sent"]} if rep else set()
    for kind, i in slots:
        s = (kind, i)
        if s in missing or s in withheld:
            continue
        y, m = win.months[i]
        t, n = sim.monthly[kind][i]
        base = f"{kode}_{kind}_{y:04d}{m:02d}"
        month_end = int(win.d1[i])
        delay = int(rng.integers(30, 100)) if s in late else int(rng.integers(1, 13))
        rec_day = month_end + delay
        rec_sec = int(rng.integers(8 * 3600, 17 * 3600))
        rec, epoch = _ts(rec_day, rec_sec)
        ev = event.get(s)
        codes = []
        fixed = None
        if ev is None or not ev.startswith("reject_first"):
            k = int(rng_d.binomial(n, DEFECT_RATE)) if n else 0
            pool = D.KIND_CODES[kind]
            names_, w = list(pool), np.array(list(pool.values()), dtype=float)
            codes = [names_[j] for j in rng_d.choice(len(names_), size=k, p=w / w.sum())] if k else []
            codes = forced_codes.get(s, []) + codes
        if i in recipients and kind == "pnbp":
            t = {c: a.copy() for c, a in t.items()}
            prev = win.months[i - 1]
            add = {"ntpn": recipients[i], "tanggal_setor": int(win.d0[i]) + int(rng.integers(0, 20)),
                   "jumlah_setor": float(rng.integers(50, 900) * 1000), "periode_penjualan": f"{prev[0]:04d}-{prev[1]:02d}",
                   "kode_billing": "", "keterangan": "Setoran PNBP"}
            for c in t:
                t[c] = np.append(t[c], np.array([add[c]], dtype=t[c].dtype))
            fixed = {n: ("DUPLICATE_NTPN", "ntpn")}
            n += 1
        path0 = f"{kw}/{kode}/{base}"
        resend_day = rec_day + int(rng.integers(2, 40))
        rs_rec, rs_epoch = _ts(resend_day, int(rng.integers(8 * 3600, 17 * 3600)))
        if ev and ev.startswith("reject_first"):
            code = ev.split(":", 1)[1]
            rp = write_slot_reject(path0 + ".csv", kind, i, t, n, code, rec, epoch, "original", None)
            v = variant_for(kind, i)
            good = f"kirim_ulang/1/{base}.{v.fmt}"
            data, rows, _ = _render(kind, t, n, v, rng, [], {})
            writer.write(good, data, rs_epoch)
            entry(good, kind, i, v, rs_rec, "resend_corrected", rp, "accept", None, rows, [])
            continue
        v = variant_for(kind, i)
        rel = f"{path0}.{v.fmt}"
        data, rows, defs = _render(kind, t, n, v, rng_d, codes, {}, fixed=fixed)
        writer.write(rel, data, epoch)
        entry(rel, kind, i, v, rec, "original", None, "accept", None, rows, defs)
        if ev is None:
            continue
        if ev == "corrected":
            t2, changed = _correct(kind, t, n, rng)
            v2 = variant_for(kind, i)
            rel2 = f"kirim_ulang/1/{base}.{v2.fmt}"
            data2, rows2, _ = _render(kind, t2, n, v2, rng, [], {})
            writer.write(rel2, data2, rs_epoch)
            entry(rel2, kind, i, v2, rs_rec, "resend_corrected", rel, "accept", None, rows2, [], changed=changed)
        elif ev == "identical":
            rel2 = f"kirim_ulang/1/{base}.{v.fmt}"
            writer.write(rel2, data, rs_epoch)
            entry(rel2, kind, i, v, rs_rec, "resend_identical", rel, "identical", None, rows, [])
        elif ev.startswith("reject_later"):
            write_slot_reject(f"kirim_ulang/1/{base}.csv", kind, i, t, n, ev.split(":", 1)[1], rs_rec, rs_epoch,
                              "resend_corrected", rel)
        elif ev.startswith("garbage"):
            code = ev.split(":", 1)[1]
            name, names = _garbage_name(code, kode, kind, y, m, plan, rng)
            vg = variant_for(kind, i)
            if name.endswith(".xlsx"):
                vg.fmt, vg.encoding, vg.delimiter, vg.xlsx_dates = "xlsx", None, None, "date"
            else:
                if vg.fmt == "xlsx":
                    vg.fmt, vg.encoding, vg.delimiter, vg.xlsx_dates = "csv", "utf-8", ",", None
            clean_t, clean_n = sim.monthly[kind][i]
            datag, rowsg, _ = _render(kind, clean_t, clean_n, vg, rng, [], {})
            relg = f"{kw}/{kode}/{name}"
            gr, ge = _ts(rec_day, rec_sec - 600)
            writer.write(relg, datag, ge)
            entry(relg, kind, i, vg, gr, "original", None, "reject", code, rowsg, [], names=names)

    stats = {"rows": sum(e["rows"] for e in entries if e["expect"] != "reject")}
    return entries, stats


def _ext(rel: str, v: Variant) -> str:
    stem = rel.rsplit(".", 1)[0]
    return f"{stem}.{v.fmt}"


# ====================================================================== public API

def generate(out_dir: Path, scale: str = "mini", months: tuple[str, str] = ("2024-01", "2024-12"),
             seed: int = 7, upt_master: Path | None = None, workers: int | None = None) -> dict:
    """Write simulated UPT exports (and DIR/manifest.json) into ``out_dir``; return a summary."""
    t0 = time.perf_counter()
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)}.")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"Bad seed {seed!r}: the seed must be a non-negative integer.")
    month_list = _parse_months(months)
    if upt_master is None:
        upt_master = Path(os.environ.get("MONEV_UPT_MASTER") or DEFAULT_MASTER)
    master = load_master(Path(upt_master))
    upts = select_upts(master, scale)
    win = Window(month_list)
    plans = _plan(upts, master, win, int(seed), scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clean_previous(out)
    common = {"out": str(out), "seed": int(seed), "months": month_list}
    jobs = [(p, common) for p in plans]
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(upts) > 40 else 1
    entries: list[dict] = []
    if workers > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
            for es, _ in ex.map(_build_upt, jobs, chunksize=4):
                entries.extend(es)
    else:
        for j in jobs:
            es, _ = _build_upt(j)
            entries.extend(es)
    entries.sort(key=lambda e: e["path"])
    manifest = {
        "seed": int(seed), "scale": scale,
        "months": [f"{y:04d}-{m:02d}" for y, m in month_list],
        "upts": [u["kode_upt"] for u in upts],
        "defect_rate": DEFECT_RATE,
        "files": entries,
    }
    if scale == "demo":
        manifest["upt_master"] = DEMO_MASTER_PATH
        manifest["reporting_patterns"] = {
            p["upt"]["kode_upt"]: {
                "pattern": p["reporting"]["pattern"],
                "months_not_sent": [manifest["months"][i] for i in p["reporting"]["months_not_sent"]],
                "kinds_sent": p["reporting"]["kinds_sent"],
            } for p in plans if p.get("reporting")}
        _write_master(out / DEMO_MASTER_PATH, upts, _ts(win.start - 1, 0)[1])
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    os.utime(out / "manifest.json", (_ts(win.end + 120, 0)[1],) * 2)
    defects_by_code = {c: 0 for c in DEFECT_CODES}
    rejects_by_code = {c: 0 for c in REJECT_CODES}
    for e in entries:
        for d in e["defects"]:
            defects_by_code[d["code"]] += 1
        if e["reject_code"]:
            rejects_by_code[e["reject_code"]] += 1
    summary = {
        "out_dir": str(out), "scale": scale, "seed": int(seed),
        "months": manifest["months"], "upts": len(upts),
        "files_written": len(entries),
        "rows": sum(e["rows"] for e in entries),
        "rows_in_accepted_files": sum(e["rows"] for e in entries if e["expect"] == "accept"),
        "files_rejected": sum(1 for e in entries if e["expect"] == "reject"),
        "files_identical": sum(1 for e in entries if e["expect"] == "identical"),
        "files_resent_corrected": sum(1 for e in entries if e["role"] == "resend_corrected" and e["expect"] == "accept"),
        "rejected_by_code": rejects_by_code,
        "defects_by_code": defects_by_code,
        "defect_rows": sum(defects_by_code.values()),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    if scale == "demo":
        summary["upt_master"] = str(out / DEMO_MASTER_PATH)
    return summary


def _write_master(path: Path, upts: list[dict], epoch: int) -> None:
    """The demo's own UPT master: the chosen rows of the national master, same columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(MASTER_COLUMNS)
        for u in sorted(upts, key=lambda r: r["kode_upt"]):
            w.writerow([u[c] for c in MASTER_COLUMNS])
    os.utime(path, (epoch, epoch))


def _clean_previous(out: Path) -> None:
    """Remove the files of an earlier run listed in its manifest (nothing else)."""
    mf = out / "manifest.json"
    if not mf.is_file():
        return
    remove_generator_arrivals(out)
    try:
        old = json.loads(mf.read_text(encoding="utf-8"))
        paths = [e["path"] for e in old.get("files", [])]
        if isinstance(old.get("upt_master"), str):
            paths.append(old["upt_master"])
    except (ValueError, KeyError, TypeError):
        return
    dirs = set()
    for p in paths:
        f = out / p
        if f.is_file() and out.resolve() in f.resolve().parents:
            f.unlink()
            dirs.add(f.parent)
    mf.unlink()
    for d in sorted(dirs, key=lambda d: len(d.parts), reverse=True):
        while d != out and d.is_dir() and not any(d.iterdir()):
            d.rmdir()
            d = d.parent
