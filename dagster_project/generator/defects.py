"""Row-level defect injection: one defect per row, as rendered strings in the file's own style.

Each injector receives the clean typed table, a row index, the file variant and an rng, and
returns ``{column: rendered string}`` overrides for that row (or None when the row does not
suit this defect). Injectors only touch columns that are present in the file and never create
a second defect on the same row.
"""

from __future__ import annotations

import numpy as np

from .render import MISSING_DAY, Variant, day_to_date, fmt_dates, fmt_number

# Applicable codes per kind, with relative weights (DUPLICATE_KEY and DUPLICATE_NTPN are
# structural and handled by the caller).
KIND_CODES: dict[str, dict[str, float]] = {
    "narapidana": {"MISSING_REQUIRED": 2, "UNPARSEABLE": 2, "INVALID_ENUM": 1.5, "NEGATIVE": 1,
                   "DATE_ORDER": 2, "INVALID_NIK": 2, "DUPLICATE_KEY": 1},
    "kegiatan": {"MISSING_REQUIRED": 2, "UNPARSEABLE": 1, "INVALID_ENUM": 2, "NEGATIVE": 1,
                 "DATE_ORDER": 1, "DUPLICATE_KEY": 1},
    "peserta": {"MISSING_REQUIRED": 1, "UNPARSEABLE": 1, "INVALID_ENUM": 1, "NEGATIVE": 1,
                "DATE_ORDER": 1, "UNKNOWN_REFERENCE": 2, "DUPLICATE_KEY": 1},
    "produksi": {"MISSING_REQUIRED": 1, "UNPARSEABLE": 1, "INVALID_ENUM": 1, "NEGATIVE": 1,
                 "QC_EXCEEDS": 3, "UNKNOWN_REFERENCE": 1, "DUPLICATE_KEY": 1},
    # (no NEGATIVE in penjualan: a negative jumlah needs a negative total too, or the row would
    # also carry TOTAL_MISMATCH; two negative columns would be reported twice)
    "penjualan": {"MISSING_REQUIRED": 1, "UNPARSEABLE": 1, "INVALID_ENUM": 1,
                  "TOTAL_MISMATCH": 3, "UNKNOWN_REFERENCE": 1, "DUPLICATE_KEY": 1},
    "pnbp": {"MISSING_REQUIRED": 1, "UNPARSEABLE": 1, "NEGATIVE": 1, "DUPLICATE_KEY": 1},
}

BAD_ENUMS = {
    "jenis_kelamin": ("X", "LK", "PRIA", "W"),
    "rekomendasi_litmas": ("MAGANG", "PEMBINAAN", "KERJA"),
    "jenis_kegiatan": ("MAGANG", "PRODUKTIF"),
    "bidang": ("PERTANIAN", "PERIKANAN", "KERAJINAN"),
    "subbidang": ("ROTI", "PERTUKANGAN", "LAUNDRY"),
    "tahap": ("EVALUASI", "PERSIAPAN"),
    "sumber_dana": ("APBD", "SWADAYA"),
    "status": ("LULUS", "KELUAR", "BERHENTI"),
    "standar_mutu": ("ISO9001", "BPOM"),
    "kanal": ("TOKO", "SHOPEE", "OFFLINE"),
    "jenis_pembeli": ("UMUM", "PEGAWAI"),
}
GARBAGE_NUMBERS = ("abc", "12,5,0", "1O0", "tiga", "1.2.3,4,5")


def _present(v: Variant, col: str) -> bool:
    return col in v.column_order


def _date_str(d: int, v: Variant) -> str:
    return fmt_dates(np.array([d], dtype=np.int64), v.date_format)[0]


def _bad_date(d: int, v: Variant, rng) -> str:
    y = day_to_date(d).year if d != MISSING_DAY else 2024
    dd, mm = [(31, 2), (30, 2), (31, 4), (31, 6), (31, 9), (31, 11), (32, 1), (15, 13)][rng.integers(8)]
    if v.date_format == "iso":
        return f"{y:04d}-{mm:02d}-{dd:02d}"
    sep = "/" if v.date_format == "dmy_slash" else "-"
    return f"{dd:02d}{sep}{mm:02d}{sep}{y:04d}"


def _num_str(x: float, v: Variant, rupiah: bool) -> str:
    return fmt_number(x, v.rupiah_format if rupiah else v.count_format)


def _pick(rng, options):
    options = [o for o in options if o is not None]
    if not options:
        return None
    return options[rng.integers(len(options))]


def inject(kind: str, code: str, t: dict, r: int, v: Variant, rng, ctx: dict) -> tuple[str, dict] | None:
    """-> (column reported, {column: rendered value}) or None if the row does not suit."""
    def has(c):
        return _present(v, c)

    def blank_date(c):
        return t[c][r] == MISSING_DAY

    def num(c):
        x = t[c][r]
        return None if x != x else float(x)

    if code == "MISSING_REQUIRED":
        cols = {"narapidana": ("nama", "jenis_kelamin", "tanggal_lahir", "lama_pidana_hari"),
                "kegiatan": ("nama_kegiatan", "jenis_kegiatan", "bidang", "subbidang", "tahap"),
                "peserta": ("status",), "produksi": ("nama_produk", "satuan", "tanggal"),
                "penjualan": ("kanal", "nama_produk", "jenis_pembeli"),
                "pnbp": ("tanggal_setor", "periode_penjualan")}[kind]
        c = cols[rng.integers(len(cols))]
        return c, {c: ""}

    if code == "UNPARSEABLE":
        opts = []
        if kind == "narapidana":
            opts = [("tanggal_masuk", "date"), ("tanggal_lahir", "date"), ("lama_pidana_hari", "num")]
        elif kind == "kegiatan":
            opts = [("tanggal_mulai", "date")] + ([("anggaran_rab", "num")] if has("anggaran_rab") and num("anggaran_rab") is not None else [])
        elif kind == "peserta":
            if has("jam_kerja") and num("jam_kerja") is not None:
                opts.append(("jam_kerja", "num"))
            if has("upah") and num("upah") is not None:
                opts.append(("upah", "num"))
            if has("tanggal_selesai") and not blank_date("tanggal_selesai"):
                opts.append(("tanggal_selesai", "date"))
            if has("nilai_akhir") and num("nilai_akhir") is not None:
                opts.append(("nilai_akhir", "num"))
        elif kind == "produksi":
            opts = [("tanggal", "date"), ("jumlah_produksi", "num")]
        elif kind == "penjualan":
            opts = [("tanggal", "date"), ("harga_satuan", "num"), ("total", "num")]
        elif kind == "pnbp":
            opts = [("tanggal_setor", "date"), ("jumlah_setor", "num"), ("periode_penjualan", "period")]
        o = _pick(rng, opts)
        if o is None:
            return None
        c, typ = o
        if typ == "date":
            return c, {c: _bad_date(int(t[c][r]), v, rng)}
        if typ == "period":
            return c, {c: ("2024-13", "2024/00", "Mei-2024x", "202405")[rng.integers(4)]}
        return c, {c: GARBAGE_NUMBERS[rng.integers(len(GARBAGE_NUMBERS))]}

    if code == "INVALID_ENUM":
        cols = {"narapidana": ["jenis_kelamin"] + (["rekomendasi_litmas"] if has("rekomendasi_litmas") else []),
                # (not bidang/subbidang: ingestion also checks subbidang-in-bidang, which would
                # report the row twice)
                "kegiatan": ["tahap", "jenis_kegiatan"] + (["sumber_dana"] if has("sumber_dana") else []),
                "peserta": ["status"], "produksi": ["standar_mutu"] if has("standar_mutu") else [],
                "penjualan": ["kanal", "jenis_pembeli"]}.get(kind, [])
        if not cols:
            return None
        c = cols[rng.integers(len(cols))]
        bad = BAD_ENUMS[c][rng.integers(len(BAD_ENUMS[c]))]
        return c, {c: bad}

    if code == "NEGATIVE":
        if kind == "narapidana":
            x = num("lama_pidana_hari")
            return "lama_pidana_hari", {"lama_pidana_hari": "0" if rng.random() < 0.3 else _num_str(-x, v, False)}
        if kind == "kegiatan":
            c = _pick(rng, [c for c in ("anggaran_rab", "realisasi_anggaran") if has(c) and (num(c) or 0) > 0])
            return None if c is None else (c, {c: _num_str(-num(c), v, True)})
        if kind == "peserta":
            c = _pick(rng, [c for c in ("jam_kerja", "upah", "nilai_akhir") if has(c) and (num(c) or 0) > 0])
            return None if c is None else (c, {c: _num_str(-num(c), v, c == "upah")})
        if kind == "produksi":
            c = _pick(rng, [c for c in ("jumlah_lolos_qc", "biaya_bahan") if has(c) and (num(c) or 0) > 0])
            return None if c is None else (c, {c: _num_str(-num(c), v, c == "biaya_bahan")})
        if kind == "penjualan":
            return "jumlah", {"jumlah": _num_str(-num("jumlah"), v, False), "total": _num_str(-num("total"), v, True)}
        if kind == "pnbp":
            return "jumlah_setor", {"jumlah_setor": "0" if rng.random() < 0.3 else _num_str(-num("jumlah_setor"), v, True)}
        return None

    if code == "DATE_ORDER":
        if kind == "narapidana":
            m = int(t["tanggal_masuk"][r])
            opts = ["tanggal_lahir"]
            if has("tanggal_keluar"):
                opts.append("tanggal_keluar")
            if has("tanggal_litmas"):
                opts.append("tanggal_litmas")
            c = opts[rng.integers(len(opts))]
            if c == "tanggal_lahir":
                return c, {c: _date_str(m + int(rng.integers(1, 2000)), v)}
            return c, {c: _date_str(m - int(rng.integers(1, 120)), v)}
        if kind in ("kegiatan", "peserta"):
            if not has("tanggal_selesai"):
                return None
            s = int(t["tanggal_mulai"][r])
            return "tanggal_selesai", {"tanggal_selesai": _date_str(s - int(rng.integers(1, 90)), v)}
        return None

    if code == "QC_EXCEEDS":
        p = num("jumlah_produksi")
        extra = max(1.0, round(p * rng.uniform(0.02, 0.3)))
        return "jumlah_lolos_qc", {"jumlah_lolos_qc": _num_str(p + extra, v, False)}

    if code == "TOTAL_MISMATCH":
        tot = num("total")
        how = rng.integers(3)
        if how == 0:
            new = tot + float(rng.integers(1, 50)) * 1000
        elif how == 1:
            new = tot * 10
        else:
            new = max(0.0, tot - float(rng.integers(1, 20)) * 500)
            if abs(new - tot) <= 1:
                new = tot + 5000
        return "total", {"total": _num_str(new, v, True)}

    if code == "UNKNOWN_REFERENCE":
        ctx["fake"] = ctx.get("fake", 0) + 1
        k = ctx["fake"]
        if kind == "peserta" and rng.random() < 0.6:
            return "no_registrasi", {"no_registrasi": f"B.I-{90000 + k}/2019"}
        return "kode_kegiatan", {"kode_kegiatan": f"{'KRJ' if rng.random() < 0.5 else 'PLT'}-{900 + k % 99:03d}"}

    if code == "INVALID_NIK":
        nik = t["nik"][r]
        how = rng.integers(4)
        if how == 0:
            bad = nik[:-1]
        elif how == 1:
            bad = nik + str(rng.integers(10))
        elif how == 2:
            bad = nik[:6] + "O" + nik[7:]
        else:
            bad = nik[:12]
        return "nik", {"nik": bad}
    return None
