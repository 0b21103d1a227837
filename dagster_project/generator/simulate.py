"""Simulation of one UPT over the reporting window: inmates, programmes, participations,
production batches, sales and PNBP deposits, as clean typed monthly tables.

Dates are int day numbers since 1970-01-01 (render.MISSING_DAY = empty). Everything is driven
by one numpy Generator per UPT, so a UPT's data depends only on (seed, UPT, window).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import catalog
from .render import MISSING_DAY, day

FAR = 10**7  # "never" for comparisons

SUBBIDANG_BY_BIDANG: dict[str, tuple[str, ...]] = {
    "PERTANIAN_PERIKANAN": ("TANAMAN_PANGAN", "HORTIKULTURA", "PERKEBUNAN", "PETERNAKAN",
                            "PERIKANAN_AIR_TAWAR", "PERIKANAN_AIR_PAYAU", "PERIKANAN_LAUT"),
    "JASA": ("JASA_PERSONAL_SOSIAL", "JASA_BISNIS", "JASA_INFRASTRUKTUR", "JASA_KONSTRUKSI",
             "JASA_PERDAGANGAN", "JASA_PENGIRIMAN"),
    "INDUSTRI": ("MAKANAN_MINUMAN", "KONVEKSI_TEKSTIL", "MEUBELER_KAYU", "KERAJINAN", "BAHAN_BANGUNAN",
                 "PERCETAKAN", "LOGAM_BENGKEL", "KIMIA_RUMAH_TANGGA"),
}
BIDANG_OF = {s: b for b, subs in SUBBIDANG_BY_BIDANG.items() for s in subs}
ALL_SUBBIDANG = tuple(s for subs in SUBBIDANG_BY_BIDANG.values() for s in subs)
_SUB_WEIGHTS = np.array([{"INDUSTRI": 0.5 / 8, "PERTANIAN_PERIKANAN": 0.3 / 7, "JASA": 0.2 / 6}[BIDANG_OF[s]]
                         for s in ALL_SUBBIDANG])
_SUB_WEIGHTS /= _SUB_WEIGHTS.sum()

REK = ("PELATIHAN", "PRODUKSI", "PELATIHAN_PRODUKSI", "TIDAK_ADA")
KANAL = ("MARKETPLACE", "WEBSITE", "MEDIA_SOSIAL", "IKLAN_ONLINE", "PAMERAN", "MALL", "BANDARA", "GALERI", "LANGSUNG")
_KANAL_P = np.array([12, 6, 12, 4, 10, 6, 3, 18, 29], dtype=float)
_KANAL_P /= _KANAL_P.sum()
_INTERNAL_KANAL_P = np.array([0, 0, 2, 0, 0, 0, 0, 25, 73], dtype=float)
_INTERNAL_KANAL_P /= _INTERNAL_KANAL_P.sum()


@dataclass
class Window:
    months: list[tuple[int, int]]
    d0: np.ndarray = field(init=False)
    d1: np.ndarray = field(init=False)

    def __post_init__(self):
        self.d0 = np.array([day(y, m, 1) for y, m in self.months], dtype=np.int64)
        nxt = [(y + (m == 12), m % 12 + 1) for y, m in self.months]
        self.d1 = np.array([day(y, m, 1) - 1 for y, m in nxt], dtype=np.int64)

    @property
    def start(self) -> int:
        return int(self.d0[0])

    @property
    def end(self) -> int:
        return int(self.d1[-1])


def ntpn_code(seed: int, upt_index: int, seq: int) -> str:
    """16-char NTPN, a bijection of (upt_index, seq): unique nationally by construction.
    seq = window month index * 4096 + deposit number within the month."""
    k = ((upt_index + 1) << 24) | (seq & 0xFFFFFF)
    x = (k * 0x9E3779B97F4A7C15 + (seed * 0xD1B54A32D192ED03 + 0x2545F491)) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 29  # xorshift is a bijection too
    return format(x, "016X")


def _names(rng, n: int, female: np.ndarray) -> np.ndarray:
    m_first = np.array(catalog.MALE_NAMES, dtype=object)[rng.integers(len(catalog.MALE_NAMES), size=n)]
    f_first = np.array(catalog.FEMALE_NAMES, dtype=object)[rng.integers(len(catalog.FEMALE_NAMES), size=n)]
    first = np.where(female, f_first, m_first)
    fam = np.array(catalog.FAMILY_NAMES, dtype=object)[rng.integers(len(catalog.FAMILY_NAMES), size=n)]
    mid_m = np.array(catalog.MALE_NAMES, dtype=object)[rng.integers(len(catalog.MALE_NAMES), size=n)]
    shape = rng.random(n)
    acc = rng.random(n) < 0.004
    acc_names = np.array(catalog.ACCENTED_NAMES, dtype=object)[rng.integers(len(catalog.ACCENTED_NAMES), size=n)]
    out = np.empty(n, dtype=object)
    for i in range(n):
        f = acc_names[i] if acc[i] else first[i]
        if shape[i] < 0.15:
            out[i] = f
        elif shape[i] < 0.75:
            out[i] = f"{f} {fam[i]}"
        elif not female[i]:
            out[i] = f"{f} {mid_m[i]} {fam[i]}"
        else:
            out[i] = f"{f} {fam[i]}"
    return out


def officer_names(rng, n: int) -> list[str]:
    female = rng.random(n) < 0.35
    base = _names(rng, n, female)
    t = np.array(catalog.OFFICER_TITLES, dtype=object)[rng.integers(len(catalog.OFFICER_TITLES), size=n)]
    s = np.array(catalog.OFFICER_SUFFIXES, dtype=object)[rng.integers(len(catalog.OFFICER_SUFFIXES), size=n)]
    return [f"{a}{b}{c}" for a, b, c in zip(t, base, s)]


@dataclass
class UptSim:
    inm: dict  # typed inmate attributes (full, one row per inmate)
    masuk: np.ndarray
    keluar: np.ndarray  # actual release day (may lie after the window; FAR if none)
    litmas: np.ndarray  # actual Litmas day (FAR if never)
    rek: np.ndarray  # index into REK
    lama: np.ndarray
    prog: dict  # programme attributes
    spells: dict
    monthly: dict  # kind -> list of (table, n) per window month
    revenue: np.ndarray


def simulate_upt(rng: np.random.Generator, upt: dict, win: Window, seed: int, upt_index: int,
                 sub_hint: list[str], pnbp_quarterly: bool, donor_months: set[int]) -> UptSim:
    jenis = upt["jenis_upt"]
    kap = int(upt["kapasitas"])
    W0, W1 = win.start, win.end

    # ------------------------------------------------------------ inmates
    if jenis == "LPKA":
        occ = float(np.clip(rng.normal(0.9, 0.2), 0.4, 1.5))
        med, sig = 500, 0.6
    elif jenis == "RUTAN":
        occ = float(np.clip(rng.normal(1.55, 0.3), 0.8, 2.6))
        med, sig = 420, 0.8
    else:
        occ = float(np.clip(rng.normal(1.5, 0.28), 0.8, 2.5))
        med, sig = 950, 0.85
    target = max(8.0, kap * occ)
    samp = np.clip(np.exp(rng.normal(np.log(med), sig, 4000)), 30, 7300)
    frac = np.where(rng.random(4000) < 0.45, rng.uniform(0.62, 0.8, 4000), rng.uniform(0.85, 1.0, 4000))
    mean_stay = float(np.mean(samp * frac))
    lam = target / mean_stay
    burn = 7300
    t0 = W0 - burn
    n_all = int(rng.poisson(lam * (W1 + 1 - t0)))
    masuk = np.sort(rng.integers(t0, W1 + 1, size=n_all))
    lama = np.clip(np.exp(rng.normal(np.log(med), sig, n_all)), 30, 7300).astype(np.int64)
    parole = rng.random(n_all) < 0.45
    stay = (lama * np.where(parole, rng.uniform(0.62, 0.8, n_all), rng.uniform(0.85, 1.0, n_all))).astype(np.int64)
    stay = np.maximum(stay, 7)
    keluar = masuk + stay
    # register number: class by sentence, sequence per (class, year of admission)
    years = (masuk.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    cls = np.where(lama > 365, 0, np.where(lama > 90, 1, 2))
    key = years * 4 + cls
    order = np.lexsort((masuk, key))
    seq = np.empty(n_all, dtype=np.int64)
    sk = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sk)) + 1]
    grp = np.repeat(starts, np.diff(np.r_[starts, n_all]))
    seq[order] = np.arange(n_all) - grp + 1 + int(rng.integers(0, 40))
    keep = keluar >= W0
    idx = np.flatnonzero(keep)
    n = len(idx)
    masuk, lama, keluar, years, cls, seq = masuk[idx], lama[idx], keluar[idx], years[idx], cls[idx], seq[idx]
    cls_names = np.array(["B.I", "B.IIa", "B.IIb"], dtype=object)
    no_reg = np.array([f"{c}-{s}/{y}" for c, s, y in zip(cls_names[cls], seq, years)], dtype=object)
    if jenis == "LPP":
        female = np.ones(n, dtype=bool)
    elif jenis == "LPKA":
        female = rng.random(n) < 0.05
    else:
        female = rng.random(n) < 0.06
    if jenis == "LPKA":
        age_days = rng.integers(14 * 365 + 10, 18 * 365 - 10, size=n)
    else:
        age_days = (np.clip(18 + rng.gamma(2.5, 6.0, n), 18, 75) * 365.25).astype(np.int64)
    lahir = masuk - age_days
    prov_home = catalog.PROVINCE_CODES.get(upt["provinsi"], 31)
    prov = np.where(rng.random(n) < 0.85, prov_home,
                    np.array(catalog.ALL_PROVINCE_CODES)[rng.integers(len(catalog.ALL_PROVINCE_CODES), size=n)])
    bd = lahir.astype("datetime64[D]")
    bY = bd.astype("datetime64[Y]").astype(int) + 1970
    bM = bd.astype("datetime64[M]").astype(int) % 12 + 1
    bD = (bd - bd.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    kab = rng.integers(1, 30, n)
    kec = rng.integers(1, 40, n)
    nseq = rng.integers(1, 3000, n)
    nik = np.array([f"{p:02d}{a:02d}{b:02d}{d + 40 * f:02d}{m:02d}{y % 100:02d}{s:04d}"
                    for p, a, b, d, f, m, y, s in zip(prov, kab, kec, bD, female, bM, bY, nseq)], dtype=object)
    nama = _names(rng, n, female)
    u = rng.random(n)
    litmas = np.where(u < 0.6, masuk + rng.integers(0, 8, n),
                      np.where(u < 0.88, masuk + rng.integers(8, 121, n), FAR))
    rek = rng.choice(4, size=n, p=[0.33, 0.25, 0.27, 0.15])
    minat = np.array(catalog.MINAT_BAKAT, dtype=object)[rng.integers(len(catalog.MINAT_BAKAT), size=n)]
    inm = {
        "no_registrasi": no_reg, "nik": nik, "nama": nama,
        "jenis_kelamin": np.where(female, "P", "L").astype(object), "tanggal_lahir": lahir,
        "tanggal_masuk": masuk, "lama_pidana_hari": lama.astype(float), "minat_bakat": minat,
    }
    pop_mid = float(np.sum((masuk <= (W0 + W1) // 2) & (keluar > (W0 + W1) // 2)))

    # ------------------------------------------------------------ programmes
    P = max(pop_mid, 5.0)
    n_prod = int(np.clip(round(P / 110), 2, 16))
    subs = list(sub_hint[:n_prod])
    while len(subs) < n_prod:
        subs.append(ALL_SUBBIDANG[rng.choice(len(ALL_SUBBIDANG), p=_SUB_WEIGHTS)])
    prod_pool_cap = 0.33 * P
    heads = []
    besar_done = False
    for s in subs:
        if BIDANG_OF[s] == "INDUSTRI":
            if P >= 900 and not besar_done and rng.random() < 0.8:
                h = int(rng.integers(95, 150))
                besar_done = True
            else:
                c = rng.choice(3, p=[0.22, 0.45, 0.33])
                h = int((rng.integers(2, 4), rng.integers(6, 15), rng.integers(22, 60))[c])
        else:
            h = int(rng.integers(3, 25))
        heads.append(h)
    heads = np.array(heads, dtype=float)
    if heads.sum() > prod_pool_cap:
        big = heads > 90
        rest = heads[~big].sum()
        room = max(prod_pool_cap - heads[big].sum(), 2 * (~big).sum())
        heads[~big] = np.maximum(2, np.floor(heads[~big] * min(1.0, room / max(rest, 1))))
    heads = heads.astype(int)

    # production programmes
    p_kode, p_nama, p_jenis, p_sub, p_ps, p_pe, p_head, p_products = [], [], [], [], [], [], [], []
    for j, s in enumerate(subs):
        prods = catalog.PRODUCTS[s]
        k = 1 if len(prods) == 1 or rng.random() < 0.6 else 2
        chosen = sorted(rng.choice(len(prods), size=k, replace=False).tolist())
        p_products.append(chosen)
        first = prods[chosen[0]][0]
        p_kode.append(f"KRJ-{j + 1:03d}")
        p_nama.append(f"Kegiatan Kerja {first}" if BIDANG_OF[s] != "JASA" else f"Unit Kerja {first}")
        p_jenis.append("PRODUKSI")
        p_sub.append(s)
        if rng.random() < 0.75:
            ps = W0 - int(rng.integers(30, 1500))
        else:
            ps = int(rng.integers(W0, max(W0 + 1, W1 - 45)))
        pe = int(rng.integers(max(ps, W0) + 60, W1 + 1)) if (rng.random() < 0.12 and max(ps, W0) + 60 < W1) else FAR
        p_ps.append(ps)
        p_pe.append(pe)
        p_head.append(int(heads[j]))
    # training courses
    rate = max(0.35, P / 450)
    months_span = (W1 - (W0 - 90)) / 30.4
    n_tr = max(1, int(rng.poisson(rate * months_span)))
    tr_start = np.sort(rng.integers(W0 - 90, W1 - 5, size=n_tr))
    for j, cs in enumerate(tr_start.tolist()):
        s = ALL_SUBBIDANG[rng.choice(len(ALL_SUBBIDANG), p=_SUB_WEIGHTS)]
        if j < len(sub_hint) - n_prod and j < 3:
            s = sub_hint[n_prod + j]
        names = catalog.TRAINING_NAMES[s]
        dur = int(rng.integers(30, 91))
        if cs + dur < W0:
            cs = W0 - int(rng.integers(0, 20))
        p_kode.append(f"PLT-{j + 1:03d}")
        p_nama.append(names[rng.integers(len(names))] + ("" if rng.random() < 0.6 else f" Angkatan {rng.integers(1, 6)}"))
        p_jenis.append("PELATIHAN")
        p_sub.append(s)
        p_ps.append(int(cs))
        p_pe.append(int(cs + dur))
        p_head.append(int(np.clip(round(rng.normal(16, 5) * min(1.0, P / 150 + 0.2)), 4, 30)))
        p_products.append([])
    m = len(p_kode)
    p_ps = np.array(p_ps, dtype=np.int64)
    p_pe = np.array(p_pe, dtype=np.int64)
    is_prod = np.array([j == "PRODUKSI" for j in p_jenis])
    bidang = np.array([BIDANG_OF[s] for s in p_sub], dtype=object)
    rab = np.where(is_prod, rng.uniform(25e6, 600e6, m), rng.uniform(10e6, 150e6, m))
    rab = np.round(rab / 1e5) * 1e5
    real_ratio = np.clip(rng.normal(0.9, 0.08, m), 0.5, 1.02)
    sumber_i = rng.choice(5, size=m, p=[0.55, 0.15, 0.15, 0.07, 0.08])
    sumber = np.array(["DIPA", "PNBP", "MITRA", "HIBAH", "LAINNYA"], dtype=object)[sumber_i]
    has_mitra = (sumber_i == 2) | (rng.random(m) < 0.15)
    mitra = np.where(has_mitra, np.array(catalog.MITRA, dtype=object)[rng.integers(len(catalog.MITRA), size=m)], "")
    pj = np.array(officer_names(rng, m), dtype=object)
    prior = (rng.random(m) < 0.4).astype(np.int8)
    prior[rng.random(m) < 0.1] = -1
    monev_flag = rng.random(m) < 0.5
    plan_months = rng.integers(1, 4, m)
    dims = {d: np.full(m, "", dtype=object) for d in ("bahan_baku", "produksi", "bahan_mentah", "lokasi",
                                                    "proses", "barang", "modal", "pengelola")}
    for j in range(m):
        if bidang[j] != "INDUSTRI":
            continue
        prof = catalog.INDUSTRY_PROFILE[p_sub[j]]
        for d, val in zip(("bahan_baku", "produksi", "bahan_mentah", "lokasi", "proses", "barang"), prof):
            dims[d][j] = val
        if rng.random() < 0.1:
            dims["lokasi"][j] = ("PASAR", "TENAGA_KERJA", "PENGOLAHAN", "BAHAN_BAKU", "FOOTLOOSE")[rng.integers(5)]
        dims["modal"][j] = ("PMDN", "PATUNGAN", "PMA")[rng.choice(3, p=[0.85, 0.1, 0.05])]
        dims["pengelola"][j] = "NEGARA" if rng.random() < 0.7 else "RAKYAT"
    prog = {
        "kode_kegiatan": np.array(p_kode, dtype=object), "nama_kegiatan": np.array(p_nama, dtype=object),
        "jenis_kegiatan": np.array(p_jenis, dtype=object), "bidang": bidang,
        "subbidang": np.array(p_sub, dtype=object), "ps": p_ps, "pe": p_pe, "head": np.array(p_head),
        "rab": rab, "real_ratio": real_ratio, "sumber_dana": sumber, "mitra": mitra,
        "penanggung_jawab": pj, "prioritas": prior, "monev": monev_flag, "plan_months": plan_months,
        "products": p_products, "dims": dims, "is_prod": is_prod,
    }

    # ------------------------------------------------------------ participations
    litmas_pel = np.isin(rek, (0, 2))
    litmas_prod = np.isin(rek, (1, 2))

    def eligible(s: int, prod: bool) -> tuple[np.ndarray, np.ndarray]:
        present = (masuk <= s) & (keluar > s)
        served = s - masuk
        if prod:
            ok = (litmas_prod & (litmas <= s)) | (2 * served >= lama)
        else:
            ok = (litmas_pel & (litmas <= s)) | (3 * served >= lama)
        return present & ok, present & ~ok

    busy_prod = np.full(n, -FAR, dtype=np.int64)
    busy_tr = np.full(n, -FAR, dtype=np.int64)
    sp_inm, sp_prog, sp_s, sp_e, sp_status = [], [], [], [], []
    sp_active_end: dict[int, list[int]] = {}

    def pick(s: int, need: int, prod: bool, busy: np.ndarray, min_stay: int) -> np.ndarray:
        el, inel = eligible(s, prod)
        free = (busy < s) & (keluar > min_stay)
        cand = np.flatnonzero(el & free)
        cand_in = np.flatnonzero(inel & free)
        k_el = min(need, len(cand))
        k_in = min(int(rng.binomial(k_el, 0.035)), len(cand_in))
        k_el = min(k_el, need - k_in)
        a = rng.choice(cand, size=k_el, replace=False) if k_el else np.empty(0, dtype=np.int64)
        b = rng.choice(cand_in, size=k_in, replace=False) if k_in else np.empty(0, dtype=np.int64)
        return np.concatenate([a, b]).astype(np.int64)

    for j in np.flatnonzero(is_prod):
        ps, pe, h = int(p_ps[j]), int(p_pe[j]), int(p_head[j])
        ends: list[int] = []
        for i in range(len(win.months)):
            d0, d1 = int(win.d0[i]), int(win.d1[i])
            if ps > d1 or pe < d0:
                continue
            ends = [e for e in ends if e >= d0]
            target_i = max(1, int(round(h * rng.uniform(0.92, 1.08)))) if h > 3 else h
            vac = target_i - len(ends)
            if vac <= 0:
                continue
            if i == 0 and ps < d0:
                s = max(ps, d0 - int(rng.integers(0, 240)))
            else:
                s = max(ps, int(rng.integers(d0, d1 + 1)))
            s = min(s, pe)
            chosen = pick(s, vac, True, busy_prod, max(s, d0))
            for ii in chosen.tolist():
                if rng.random() < 0.08:
                    planned = s + int(rng.integers(10, 60))
                    st_planned = "GUGUR"
                else:
                    planned = s + int(rng.integers(60, 400))
                    st_planned = "SELESAI"
                e = min(planned, int(keluar[ii]), pe)
                if e == int(keluar[ii]) and e < planned:
                    st = "SELESAI" if e - s >= 45 else "GUGUR"
                else:
                    st = st_planned if e == planned else "SELESAI"
                busy_prod[ii] = e
                ends.append(e)
                sp_inm.append(ii); sp_prog.append(j); sp_s.append(s); sp_e.append(e); sp_status.append(st)
    for j in np.flatnonzero(~is_prod):
        s, pe, h = int(p_ps[j]), int(p_pe[j]), int(p_head[j])
        chosen = pick(s, h, False, busy_tr, s + 1)
        for ii in chosen.tolist():
            e = pe
            st = "SELESAI"
            if rng.random() < 0.06:
                e = s + int(rng.integers(1, max(2, pe - s)))
                st = "GUGUR"
            if int(keluar[ii]) < e:
                e = int(keluar[ii])
                st = "GUGUR"
            busy_tr[ii] = e
            sp_inm.append(ii); sp_prog.append(j); sp_s.append(s); sp_e.append(e); sp_status.append(st)
    ns = len(sp_inm)
    sp_inm = np.array(sp_inm, dtype=np.int64)
    sp_prog = np.array(sp_prog, dtype=np.int64)
    sp_s = np.array(sp_s, dtype=np.int64)
    sp_e = np.array(sp_e, dtype=np.int64)
    sp_status = np.array(sp_status, dtype=object)
    sp_train = ~is_prod[sp_prog] if ns else np.zeros(0, dtype=bool)
    nilai = np.round(np.clip(rng.normal(79, 9, ns), 40, 100) * 2) / 2
    lulus = (nilai >= 65).astype(np.int8)
    cert_course = rng.random(m) < 0.8
    penerbit_course = np.array(catalog.PENERBIT, dtype=object)[rng.integers(len(catalog.PENERBIT), size=m)]
    sert_no = np.array([f"SRT/{catalog.PENERBIT.index(penerbit_course[p]) + 1:02d}/{upt_index:04d}/{k:05d}"
                        for k, p in enumerate(sp_prog.tolist())], dtype=object)
    wage_rate = float(rng.uniform(2000, 5000))
    spells = {"inm": sp_inm, "prog": sp_prog, "s": sp_s, "e": sp_e, "status": sp_status, "train": sp_train,
              "nilai": nilai, "lulus": lulus, "sert": sert_no}

    # ------------------------------------------------------------ monthly tables
    M = len(win.months)
    monthly: dict[str, list] = {k: [] for k in ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")}
    qc_factor = float(np.clip(rng.normal(0.97, 0.04), 0.85, 1.03))
    price_factor = float(rng.uniform(0.85, 1.15))
    value_per_worker = float(rng.uniform(0.8e6, 2.5e6))
    revenue = np.zeros(M)
    e_num = 0
    for i, (yy, mm) in enumerate(win.months):
        d0, d1 = int(win.d0[i]), int(win.d1[i])
        # narapidana
        pres = (masuk <= d1) & (keluar >= d0)
        ix = np.flatnonzero(pres)
        t = {k: v[ix] for k, v in inm.items()}
        kel = keluar[ix]
        t["tanggal_keluar"] = np.where(kel <= d1, kel, MISSING_DAY)
        lit = litmas[ix]
        shown = lit <= d1
        t["tanggal_litmas"] = np.where(shown, lit, MISSING_DAY)
        t["rekomendasi_litmas"] = np.where(shown, np.array(REK, dtype=object)[rek[ix]], "")
        monthly["narapidana"].append((t, len(ix)))
        # kegiatan
        running = (p_ps <= d1) & (p_pe >= d0)
        start_m = np.searchsorted(win.d0, p_ps, side="right") - 1
        planning = (p_ps > d1) & (start_m - i <= plan_months) & (start_m > i)
        kx = np.flatnonzero(running | planning)
        tk = {c: prog[c][kx] for c in ("kode_kegiatan", "nama_kegiatan", "jenis_kegiatan", "bidang", "subbidang",
                                      "sumber_dana", "mitra", "penanggung_jawab", "prioritas")}
        for d, arr in dims.items():
            tk[d] = arr[kx]
        tk["tanggal_mulai"] = p_ps[kx]
        pe_k = p_pe[kx]
        tk["tanggal_selesai"] = np.where(pe_k <= d1, pe_k, MISSING_DAY)
        tahap = np.full(len(kx), "PELAKSANAAN", dtype=object)
        before = start_m[kx] - i
        stages = np.array(["PENGORGANISASIAN", "ANALISIS", "PERENCANAAN", "PERENCANAAN"], dtype=object)
        tahap = np.where(planning[kx], stages[np.clip(before - 1, 0, 3)], tahap)
        if mm in (3, 6, 9, 12):
            tahap = np.where(running[kx] & prog["monev"][kx], "MONEV", tahap)
        tahap = np.where(pe_k <= d1, "SELESAI", tahap)
        tk["tahap"] = tahap
        tk["anggaran_rab"] = rab[kx]
        open_ = pe_k >= FAR
        span = np.maximum(pe_k - p_ps[kx], 1)
        elapsed = np.where(open_, mm / 12.0, np.clip((d1 - p_ps[kx]) / span, 0, 1))
        real = np.where(planning[kx], 0.0, np.round(rab[kx] * real_ratio[kx] * elapsed / 1e3) * 1e3)
        tk["realisasi_anggaran"] = real
        monthly["kegiatan"].append((tk, len(kx)))
        # peserta
        ov = (sp_s <= d1) & (sp_e >= d0)
        sx = np.flatnonzero(ov)
        ended = sp_e[sx] <= d1
        tp = {
            "no_registrasi": inm["no_registrasi"][sp_inm[sx]],
            "kode_kegiatan": prog["kode_kegiatan"][sp_prog[sx]],
            "tanggal_mulai": sp_s[sx],
            "tanggal_selesai": np.where(ended, sp_e[sx], MISSING_DAY),
            "status": np.where(ended, sp_status[sx], "AKTIF").astype(object),
        }
        tr = sp_train[sx]
        done_tr = tr & ended & (sp_status[sx] == "SELESAI")
        tp["nilai_akhir"] = np.where(done_tr, nilai[sx], np.nan)
        tp["lulus"] = np.where(done_tr, lulus[sx], -1).astype(np.int8)
        has_cert = done_tr & (lulus[sx] == 1) & cert_course[sp_prog[sx]]
        tp["no_sertifikat"] = np.where(has_cert, sert_no[sx], "").astype(object)
        tp["penerbit_sertifikat"] = np.where(has_cert, penerbit_course[sp_prog[sx]], "").astype(object)
        days_in = np.minimum(sp_e[sx], d1) - np.maximum(sp_s[sx], d0) + 1
        jam = np.round(days_in * (6 / 7) * rng.uniform(4.5, 6.5, len(sx)) * 2) / 2
        jam = np.where(tr, np.nan, np.maximum(jam, 1.0))
        tp["jam_kerja"] = jam
        tp["upah"] = np.where(tr, np.nan, np.round(jam * wage_rate / 100) * 100)
        monthly["peserta"].append((tp, len(sx)))
        # produksi
        prod_running = np.flatnonzero(is_prod & (p_ps <= d1) & (p_pe >= d0))
        b_rows = {k: [] for k in ("no_batch", "kode_kegiatan", "tanggal", "nama_produk", "satuan",
                                  "jumlah_produksi", "jumlah_lolos_qc", "standar_mutu", "biaya_bahan")}
        sales = {k: [] for k in ("tanggal", "kode_kegiatan", "nama_produk", "jumlah", "harga_satuan", "total",
                                 "kanal", "jenis_pembeli", "mitra")}
        bseq = 0
        for j in prod_running.tolist():
            act = ov & (sp_prog == j)
            if not act.any():
                continue
            workers = float(np.sum((np.minimum(sp_e[act], d1) - np.maximum(sp_s[act], d0) + 1) / (d1 - d0 + 1)))
            prods = catalog.PRODUCTS[p_sub[j]]
            lo, hi = max(int(p_ps[j]), d0), min(int(p_pe[j]), d1)
            for pj_i in p_products[j]:
                name, unit, price, qc_base, stds, harvest = prods[pj_i]
                share = 1.0 / len(p_products[j])
                if harvest is not None:
                    if mm not in harvest:
                        continue
                    season = 12.0 / len(harvest) * 0.8
                else:
                    season = 1.0
                qty_total = workers * value_per_worker * share * season / price * rng.uniform(0.7, 1.3)
                if qty_total < 1:
                    continue
                bidang_j = BIDANG_OF[p_sub[j]]
                nb = int(np.clip(rng.poisson(3 if bidang_j != "INDUSTRI" or price > 100_000 else 6) + 1, 1, 20))
                nb = max(1, min(nb, int(qty_total)))
                parts = rng.multinomial(int(round(qty_total)), np.full(nb, 1.0 / nb))
                parts = parts[parts > 0]
                dates = np.sort(rng.integers(lo, hi + 1, size=len(parts)))
                rate_q = np.clip(qc_base * qc_factor * rng.normal(1, 0.03, len(parts)), 0.4, 1.0)
                lolos = rng.binomial(parts, rate_q)
                std = np.array(stds, dtype=object)[rng.integers(len(stds), size=len(parts))]
                cost = np.round(parts * price * rng.uniform(0.35, 0.6, len(parts)) / 1e3) * 1e3
                cost = np.where(rng.random(len(parts)) < 0.1, np.nan, cost)
                for q, l, dte, sd, c in zip(parts.tolist(), lolos.tolist(), dates.tolist(), std.tolist(), cost.tolist()):
                    bseq += 1
                    b_rows["no_batch"].append(f"PRD-{yy % 100:02d}{mm:02d}-{j + 1:03d}-{bseq:03d}")
                    b_rows["kode_kegiatan"].append(p_kode[j])
                    b_rows["tanggal"].append(dte)
                    b_rows["nama_produk"].append(name)
                    b_rows["satuan"].append(unit)
                    b_rows["jumlah_produksi"].append(float(q))
                    b_rows["jumlah_lolos_qc"].append(float(l))
                    b_rows["standar_mutu"].append(sd)
                    b_rows["biaya_bahan"].append(c)
                # sales of this product this month
                sold = int(rng.binomial(int(lolos.sum()), rng.uniform(0.55, 0.95)))
                if sold < 1:
                    continue
                hp = price * price_factor
                hp = round(hp / 500) * 500 if hp >= 5000 else round(hp / 100) * 100
                nt = int(np.clip(rng.poisson(2 + min(30, sold * hp / 1.5e6)), 1, 40))
                nt = min(nt, sold)
                tparts = rng.multinomial(sold, np.full(nt, 1.0 / nt))
                tparts = tparts[tparts > 0]
                k = len(tparts)
                internal = rng.random(k) < 0.35
                kan = np.where(internal, np.array(KANAL, dtype=object)[rng.choice(9, size=k, p=_INTERNAL_KANAL_P)],
                               np.array(KANAL, dtype=object)[rng.choice(9, size=k, p=_KANAL_P)])
                harga = np.where(internal, np.round(hp * 0.9 / 100) * 100, hp)
                via = np.isin(kan, ("MARKETPLACE", "MALL", "BANDARA", "PAMERAN")) & (rng.random(k) < 0.5)
                mit = np.where(via, np.array(catalog.MITRA, dtype=object)[rng.integers(len(catalog.MITRA), size=k)], "")
                sales["tanggal"].extend(rng.integers(d0, d1 + 1, size=k).tolist())
                sales["kode_kegiatan"].extend([p_kode[j]] * k)
                sales["nama_produk"].extend([name] * k)
                sales["jumlah"].extend(tparts.astype(float).tolist())
                sales["harga_satuan"].extend(harga.tolist())
                sales["total"].extend((tparts * harga).tolist())
                sales["kanal"].extend(kan.tolist())
                sales["jenis_pembeli"].extend(np.where(internal, "INTERNAL", "EKSTERNAL").tolist())
                sales["mitra"].extend(mit.tolist())
        tb = _finish(b_rows, {"tanggal"}, {"jumlah_produksi", "jumlah_lolos_qc", "biaya_bahan"})
        nbt = len(b_rows["no_batch"])
        if nbt:
            o = np.argsort(tb["tanggal"], kind="stable")
            tb = {k: v[o] for k, v in tb.items()}
        monthly["produksi"].append((tb, nbt))
        ts = _finish(sales, {"tanggal"}, {"jumlah", "harga_satuan", "total"})
        nsl = len(sales["tanggal"])
        o = np.argsort(ts["tanggal"], kind="stable") if nsl else np.empty(0, dtype=np.int64)
        ts = {k: v[o] for k, v in ts.items()}
        ts["no_transaksi"] = np.array([f"TRX-{yy % 100:02d}{mm:02d}-{q + 1:04d}" for q in range(nsl)], dtype=object)
        revenue[i] = float(np.sum(ts["total"])) if nsl else 0.0
        monthly["penjualan"].append((ts, nsl))

    # ------------------------------------------------------------ PNBP deposits
    dep_date, dep_amt, dep_per = [], [], []
    prev = (win.months[0][0] - (win.months[0][1] == 1), (win.months[0][1] - 2) % 12 + 1)
    sales_months = [prev] + list(win.months)
    rev_all = np.r_[revenue[0] * rng.uniform(0.8, 1.2), revenue]
    month_end = [day(y + (m == 12), m % 12 + 1, 1) - 1 for y, m in sales_months]
    if pnbp_quarterly:
        pending: list[int] = []
        for q, (y, m) in enumerate(sales_months):
            if rev_all[q] > 0:
                pending.append(q)
            if m % 3 == 0 and pending:
                dd = month_end[q] + int(rng.integers(3, 21))
                for r in pending:
                    amt = round(rev_all[r] * (1 if rng.random() < 0.85 else rng.uniform(0.6, 0.97)))
                    if amt > 0:
                        dep_date.append(dd); dep_amt.append(float(amt)); dep_per.append(sales_months[r])
                pending = []
    else:
        for q, (y, m) in enumerate(sales_months):
            if rev_all[q] <= 0:
                continue
            full = rev_all[q] * (1.0 if rng.random() < 0.85 else rng.uniform(0.6, 0.97))
            k = int(rng.choice(3, p=[0.7, 0.25, 0.05])) + 1
            w = rng.dirichlet(np.full(k, 3.0))
            amts = np.floor(full * w)
            amts[-1] = round(full) - amts[:-1].sum()
            dd = month_end[q] + int(rng.integers(2, 26))
            for a in amts.tolist():
                if a > 0:
                    dep_date.append(dd); dep_amt.append(float(a)); dep_per.append((y, m))
                dd += int(rng.integers(1, 11))
    dep_date = np.array(dep_date, dtype=np.int64)
    dep_amt = np.array(dep_amt, dtype=float)
    order = np.argsort(dep_date, kind="stable")
    dep_date, dep_amt = dep_date[order], dep_amt[order]
    dep_per = [dep_per[k] for k in order.tolist()]
    for i, (yy, mm) in enumerate(win.months):
        d0, d1 = int(win.d0[i]), int(win.d1[i])
        sel = np.flatnonzero((dep_date >= d0) & (dep_date <= d1))
        if len(sel) == 0 and i in donor_months:
            # the donor of a cross-UPT duplicate NTPN must have a deposit this month
            dep_sel_date = [d0 + 4]
            dep_sel_amt = [float(rng.integers(50, 500) * 1000)]
            dep_sel_per = [win.months[i - 1] if i else prev]
        else:
            dep_sel_date = dep_date[sel].tolist()
            dep_sel_amt = dep_amt[sel].tolist()
            dep_sel_per = [dep_per[k] for k in sel.tolist()]
        k = len(dep_sel_date)
        ntpn = [ntpn_code(seed, upt_index, i * 4096 + q) for q in range(k)]
        billing = [("" if rng.random() < 0.15 else "8" + "".join(str(x) for x in rng.integers(0, 10, 14)))
                   for _ in range(k)]
        ket = np.array(catalog.KETERANGAN_PNBP, dtype=object)[rng.integers(len(catalog.KETERANGAN_PNBP), size=k)]
        tq = {
            "ntpn": np.array(ntpn, dtype=object), "tanggal_setor": np.array(dep_sel_date, dtype=np.int64),
            "jumlah_setor": np.array(dep_sel_amt, dtype=float),
            "periode_penjualan": np.array([f"{y:04d}-{m:02d}" for y, m in dep_sel_per], dtype=object),
            "kode_billing": np.array(billing, dtype=object), "keterangan": ket.astype(object),
        }
        monthly["pnbp"].append((tq, k))

    return UptSim(inm=inm, masuk=masuk, keluar=keluar, litmas=litmas, rek=rek, lama=lama, prog=prog,
                  spells=spells, monthly=monthly, revenue=revenue)


def _finish(rows: dict[str, list], date_cols: set[str], num_cols: set[str]) -> dict[str, np.ndarray]:
    out = {}
    for k, v in rows.items():
        if k in date_cols:
            out[k] = np.array(v, dtype=np.int64)
        elif k in num_cols:
            out[k] = np.array(v, dtype=float)
        else:
            out[k] = np.array(v, dtype=object)
    return out
