"""A hand-made working warehouse for the dbt tests, and a helper to run dbt on it.

The data are small enough to work every figure out by hand; the worked figures are in the
comments below and asserted in tests/test_dbt_marts.py. Master: UPT0001 and UPT0002 in KW01,
UPT0003 in KW02 (UPT0003 sends nothing but one rejected file). Months with data: 2024-01 ..
2024-04, so the periods are 2024Q1, 2024Q2, 2024S1 and 2024.

Q1 2024 runs 2024-01-01 .. e = 2024-03-31. Inmates of UPT0001 (latest version):

| reg | masuk      | lama | keluar     | litmas (rekomendasi)             | at e = 2024-03-31                                   |
|-----|------------|------|------------|----------------------------------|-----------------------------------------------------|
| N01 | 2023-12-22 | 300  |            |                                  | served 100: 3*100>=300 pelatihan; 2*100<300 no prod  |
| N02 | 2023-12-23 | 300  |            |                                  | served 99: 297<300 no pelatihan, no produksi         |
| N03 | 2023-12-22 | 200  |            |                                  | served 100: 2*100>=200 produksi (and pelatihan)      |
| N04 | 2023-12-23 | 200  |            |                                  | served 99: 198<200 no produksi; 297>=200 pelatihan   |
| N05 | 2024-03-20 | 1000 |            | 2024-03-31 PELATIHAN             | Litmas on e: pelatihan; H+7 late (11 days)           |
| N06 | 2024-03-25 | 1000 |            | 2024-04-01 PELATIHAN_PRODUKSI    | Litmas after e: not eligible in Q1; H+7 on time (7)  |
| N07 | 2024-02-01 | 1000 |            | 2024-02-09 PRODUKSI              | produksi only; H+7 late (8 days)                     |
| N08 | 2024-01-15 | 30   |            | (none)                           | both (served 76); H+7 missing = not on time          |
| N09 | 2023-01-01 | 500  | 2024-03-31 |                                  | released on e: not present                           |
| N10 | 2023-01-01 | 500  | 2024-04-01 |                                  | present at e (keluar > e); both eligible             |
| N11 | 2023-06-01 | 400  | 2024-02-15 |                                  | Feb file (keluar) beats the Jan file received later  |
| N12 | 2024-01-02 | 3000 |            | 2024-01-05 TIDAK_ADA             | not eligible; on time (3). A superseded (non-current)|
|     |            |      |            |                                  | March version says PELATIHAN: must be ignored        |

Q1 UPT0001: populasi_akhir 10 (all but N09, N11); eligible_pelatihan 6 (N01 N03 N04 N05 N08 N10);
eligible_produksi 4 (N03 N07 N08 N10); masuk 5 (N05 N06 N07 N08 N12); litmas_tepat_waktu 2
(N06 N12) -> kepatuhan 0.4.

Programmes of UPT0001 (latest version): K01 PELATIHAN JASA 2023-10-01..open, RAB 10M, realisasi
6M (March file; January said 4M); K02 PRODUKSI INDUSTRI 2024-01-01..open, 20M / 5M; K03 PRODUKSI
PERTANIAN_PERIKANAN 2023-06-01..2024-01-01 (ends on Q1's first day: overlaps), 7M / 7M;
K04 PELATIHAN JASA 2024-04-01..open (starts after Q1), 1M / 0; K05 PELATIHAN JASA
2023-01-01..2023-12-31 (ends the day before Q1), 9M / 9M.
Q1: anggaran_rab 37M, realisasi 18M.

Participations of UPT0001 (latest version):
P1 N01 K01 2024-03-31..      AKTIF    starts on e: overlaps; eligible at start (served 100)
P2 N03 K01 2023-12-23..2024-01-01 SELESAI cert SRT-1   ends on Q1's first day: overlaps; completed in Q1
P3 N04 K01 2023-10-01..2023-12-31 SELESAI              ends the day before Q1: no overlap
P4 N08 K01 2024-02-01..2024-03-15 SELESAI no cert      eligible at start (3*17 >= 30)
P5 N07 K02 2024-02-05..      AKTIF    Litmas (02-09) after start, 2*4 < 1000: NOT eligible at start
P6 N02 K02 2024-03-01..      AKTIF    2*69 < 300: NOT eligible at start
P7 N10 K02 2024-01-10..      AKTIF    2*374 >= 500: eligible
P8 N03 K03 2024-03-31..      AKTIF    2*100 >= 200: eligible
P9 N10 K01 2024-01-05..2024-02-20 SELESAI cert SRT-9 (Feb version; the Jan version said AKTIF)
Q1: partisipan_pelatihan 4 (N01 N03 N08 N10; N04's only participation ends before Q1);
partisipan_produksi 3 (N03 N07 N10); peserta_tidak_memenuhi_syarat 2 (P5, P6);
pelatihan_selesai 3 (P2 P4 P9), bersertifikat 2 (P2 P9).
jam_kerja / upah from every current peserta row of Jan..Mar files (P7 counted in all three):
jam 40+50+60 (P7) + 10+20 (P5) + 5 (P6) + 1 (P8) = 186; upah 100000+125000+150000+20000+40000
+10000+2500 = 447500.

Batches (produksi file 2024-02): B1 K02 2024-02-10 100/90 cost 50000; B2 K03 2024-01-31 50/50
cost 10000; B3 K02 2024-04-02 10/5 (dated April: belongs to Q2). Q1: 150 / 140.
Sales: Feb file S1 K02 02-11 300000 INTERNAL LANGSUNG, S2 K03 02-12 200000 EKSTERNAL MARKETPLACE,
S3 K02 02-28 100000 EKSTERNAL MARKETPLACE; Mar file S3 again corrected to 150000, S4 K02 03-05
50000 EKSTERNAL PAMERAN. Q1: pendapatan 700000 (internal 300000, eksternal 400000).
Deposits (pnbp file 2024-03): 500000 for 2024-02, 100000 for 2024-03, 70000 for 2023-12.
Q1 pnbp_disetor 600000, rasio 6/7.
Files Q1 UPT0001 (current): narapidana 01 02 03, kegiatan 01 03, peserta 01 02 03, produksi 02,
penjualan 02 03, pnbp 03 = 12 of 18 -> kelengkapan 2/3. Rows: see ROWS_Q1_UPT0001 below.

UPT0002 (Q2 only): six inmates W1..W6 admitted 2024-01-02 with lama 90 (all eligible by
served); INDUSTRI programme K10 with five workers W1..W5 -> workforce class KECIL in Q2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dagster_project.ingest.schema import RAW_COLUMNS, create_all  # noqa: E402

DBT_DIR = REPO / "dbt"
DBT_EXE = REPO / ".venv" / "bin" / "dbt"

UPTS = [
    ("UPT0001", "Lapas Satu", "LAPAS", "IIA", "KW01", "Kanwil Satu", "Provinsi Satu", 500),
    ("UPT0002", "Rutan Dua", "RUTAN", "IIB", "KW01", "Kanwil Satu", "Provinsi Satu", 300),
    ("UPT0003", "Lapas Tiga", "LAPAS", "III", "KW02", "Kanwil Dua", "Provinsi Dua", 200),
]

d = date.fromisoformat


class _Builder:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.next_file_id = 1

    def file(self, kode_upt, kind, bulan, rows, received_at, *, status="LOADED", is_current=True,
             quarantined=0, reject_code=None):
        """Register one file version and insert its accepted rows (dicts of raw columns)."""
        file_id = self.next_file_id
        self.next_file_id += 1
        bulan_d = d(bulan + "-01")
        n_loaded = len(rows) if status == "LOADED" else 0
        self.con.execute(
            """insert into meta.file_registry (file_id, load_id, path, file_name, kode_upt, kind, bulan,
                   format, sha256, size_bytes, mtime_ns, received_at, registered_at, status, reject_code,
                   reject_reason, rows_read, rows_loaded, rows_quarantined, is_current)
               values (?, 1, ?, ?, ?, ?, ?, 'csv', ?, 100, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [file_id, f"{kode_upt}/{file_id}/{kode_upt}_{kind}_{bulan.replace('-', '')}.csv",
             f"{kode_upt}_{kind}_{bulan.replace('-', '')}.csv", kode_upt, kind, bulan_d,
             f"sha{file_id}", datetime.fromisoformat(received_at), datetime.fromisoformat(received_at),
             status, reject_code, "rejected in fixture" if reject_code else None,
             (n_loaded + quarantined) if status == "LOADED" else None,
             n_loaded if status == "LOADED" else None,
             quarantined if status == "LOADED" else None, is_current],
        )
        cols = [c for c, _ in RAW_COLUMNS[kind]]
        if status == "LOADED":
            for i, row in enumerate(rows, start=1):
                values = [row.get(c) for c in cols]
                self.con.execute(
                    f"insert into raw.{kind} (kode_upt, bulan, {', '.join(cols)}, _file_id, _row_number, _load_id) "
                    f"values (?, ?, {', '.join('?' for _ in cols)}, ?, ?, 1)",
                    [kode_upt, bulan_d, *values, file_id, i],
                )
            for j in range(quarantined):
                self.con.execute(
                    "insert into meta.quarantine values (?, 1, ?, ?, ?, ?, 'MISSING_VALUE', 'a required value is empty', ?, '{}')",
                    [file_id, kind, kode_upt, bulan_d, len(rows) + j + 1, f"KEY{j}"],
                )
        return file_id


def nap(reg, masuk, lama, keluar=None, litmas=None, rek=None, sex="L", umur="26-35"):
    return {"no_registrasi": reg, "nik_hash": "h" + reg, "jenis_kelamin": sex, "kelompok_umur": umur,
            "tanggal_masuk": d(masuk), "lama_pidana_hari": lama, "tanggal_keluar": keluar and d(keluar),
            "tanggal_litmas": litmas and d(litmas), "rekomendasi_litmas": rek}


def keg(kode, jenis, bidang, sub, mulai, selesai, rab, real):
    return {"kode_kegiatan": kode, "nama_kegiatan": "Kegiatan " + kode, "jenis_kegiatan": jenis,
            "bidang": bidang, "subbidang": sub, "tanggal_mulai": d(mulai),
            "tanggal_selesai": selesai and d(selesai), "tahap": "PELAKSANAAN", "anggaran_rab": rab,
            "realisasi_anggaran": real, "sumber_dana": "DIPA", "prioritas": True}


def pes(reg, kode, mulai, selesai=None, status="AKTIF", sert=None, jam=None, upah=None):
    return {"no_registrasi": reg, "kode_kegiatan": kode, "tanggal_mulai": d(mulai),
            "tanggal_selesai": selesai and d(selesai), "status": status, "no_sertifikat": sert,
            "jam_kerja": jam, "upah": upah}


def batch(no, kode, tanggal, prod, qc, biaya=None, mutu="SNI"):
    return {"no_batch": no, "kode_kegiatan": kode, "tanggal": d(tanggal), "nama_produk": "Produk " + kode,
            "satuan": "pcs", "jumlah_produksi": prod, "jumlah_lolos_qc": qc, "standar_mutu": mutu,
            "biaya_bahan": biaya}


def sale(no, kode, tanggal, total, pembeli, kanal):
    return {"no_transaksi": no, "tanggal": d(tanggal), "kode_kegiatan": kode, "nama_produk": "Produk " + kode,
            "jumlah": 1, "harga_satuan": total, "total": total, "kanal": kanal, "jenis_pembeli": pembeli}


def dep(ntpn, setor, jumlah, periode):
    return {"ntpn": ntpn, "tanggal_setor": d(setor), "jumlah_setor": jumlah, "periode_penjualan": d(periode + "-01")}


# UPT0001 inmates as of each monthly file
_N_STABLE = [
    nap("N01", "2023-12-22", 300), nap("N02", "2023-12-23", 300), nap("N03", "2023-12-22", 200),
    nap("N04", "2023-12-23", 200), nap("N09", "2023-01-01", 500, keluar="2024-03-31"),
]
N07 = nap("N07", "2024-02-01", 1000, litmas="2024-02-09", rek="PRODUKSI", sex="P")
N08 = nap("N08", "2024-01-15", 30, umur="18-25")
N10_OPEN = nap("N10", "2023-01-01", 500)
N10_OUT = nap("N10", "2023-01-01", 500, keluar="2024-04-01")
N12 = nap("N12", "2024-01-02", 3000, litmas="2024-01-05", rek="TIDAK_ADA")
N12_WRONG = nap("N12", "2024-01-02", 3000, litmas="2024-01-05", rek="PELATIHAN")
N05 = nap("N05", "2024-03-20", 1000, litmas="2024-03-31", rek="PELATIHAN")
N06_NO_LITMAS = nap("N06", "2024-03-25", 1000)
N06 = nap("N06", "2024-03-25", 1000, litmas="2024-04-01", rek="PELATIHAN_PRODUKSI")

# Rows quarantined per current file of UPT0001 in Q1 (rows read = loaded + quarantined).
QUARANTINED_NAR_202402 = 1
QUARANTINED_PES_202403 = 2


def build_fixture_warehouse(path: str | os.PathLike) -> None:
    """Create the working warehouse at `path` (schema.create_all) and fill raw/meta/ref."""
    con = duckdb.connect(str(path))
    try:
        create_all(con)
        _fill(con)
    finally:
        con.close()


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany("insert into ref.upt values (?, ?, ?, ?, ?, ?, ?, ?)", UPTS)
    con.execute(f"insert into ref.bidang select * from read_csv('{REPO}/seeds/taxonomy_bidang.csv')")
    con.execute(f"insert into ref.subbidang select * from read_csv('{REPO}/seeds/taxonomy_subbidang.csv')")
    con.execute(f"insert into ref.industri select * from read_csv('{REPO}/seeds/taxonomy_industri.csv')")
    con.execute(f"insert into ref.satuan select * from read_csv('{REPO}/seeds/taxonomy_satuan.csv', all_varchar=true)")
    con.execute("insert into meta.loads (load_id, started_at, finished_at, status, files_seen) "
                "values (1, '2024-05-01 01:00:00', '2024-05-01 01:05:00', 'SUCCESS', 30)")
    b = _Builder(con)
    U = "UPT0001"
    # narapidana: N11's January file is a late re-send received after the February file, but
    # February (the later month) still wins: N11 left on 2024-02-15.
    b.file(U, "narapidana", "2024-01",
           _N_STABLE + [N08, N10_OPEN, N12, nap("N11", "2023-06-01", 400)], "2024-03-05T09:00:00")
    b.file(U, "narapidana", "2024-02",
           _N_STABLE + [N07, N08, N10_OPEN, N12, nap("N11", "2023-06-01", 400, keluar="2024-02-15")],
           "2024-03-02T09:00:00", quarantined=QUARANTINED_NAR_202402)
    # a rejected re-send of February: changes nothing
    b.file(U, "narapidana", "2024-02", [], "2024-03-20T09:00:00", status="REJECTED", is_current=False,
           reject_code="MISSING_COLUMN")
    # March: first version (superseded, says N12 is recommended PELATIHAN), then the current one
    b.file(U, "narapidana", "2024-03", _N_STABLE + [N05, N06_NO_LITMAS, N07, N08, N10_OPEN, N12_WRONG],
           "2024-04-03T09:00:00", is_current=False, quarantined=5)
    b.file(U, "narapidana", "2024-03", _N_STABLE + [N05, N06_NO_LITMAS, N07, N08, N10_OPEN, N12],
           "2024-04-08T09:00:00")
    # April: N06's Litmas and N10's release
    b.file(U, "narapidana", "2024-04", [n for n in _N_STABLE if n["no_registrasi"] != "N09"]
           + [N05, N06, N07, N08, N10_OUT, N12], "2024-05-03T09:00:00")

    k01_jan = keg("K01", "PELATIHAN", "JASA", "JASA_PERSONAL_SOSIAL", "2023-10-01", None, 10_000_000, 4_000_000)
    k01_mar = keg("K01", "PELATIHAN", "JASA", "JASA_PERSONAL_SOSIAL", "2023-10-01", None, 10_000_000, 6_000_000)
    k02 = keg("K02", "PRODUKSI", "INDUSTRI", "MAKANAN_MINUMAN", "2024-01-01", None, 20_000_000, 5_000_000)
    k03 = keg("K03", "PRODUKSI", "PERTANIAN_PERIKANAN", "HORTIKULTURA", "2023-06-01", "2024-01-01",
              7_000_000, 7_000_000)
    k04 = keg("K04", "PELATIHAN", "JASA", "JASA_BISNIS", "2024-04-01", None, 1_000_000, 0)
    k05 = keg("K05", "PELATIHAN", "JASA", "JASA_BISNIS", "2023-01-01", "2023-12-31", 9_000_000, 9_000_000)
    b.file(U, "kegiatan", "2024-01", [k01_jan, k02, k03, k05], "2024-02-05T09:00:00")
    b.file(U, "kegiatan", "2024-01", [k01_jan, k02, k03, k05], "2024-02-06T09:00:00", status="IDENTICAL",
           is_current=False)
    b.file(U, "kegiatan", "2024-03", [k01_mar, k02, k04], "2024-04-05T09:00:00")

    b.file(U, "peserta", "2024-01", [
        pes("N03", "K01", "2023-12-23", "2024-01-01", "SELESAI", sert="SRT-1"),
        pes("N10", "K02", "2024-01-10", jam=40, upah=100000),
        pes("N10", "K01", "2024-01-05"),
        pes("N04", "K01", "2023-10-01", "2023-12-31", "SELESAI"),
    ], "2024-02-05T09:00:00")
    b.file(U, "peserta", "2024-02", [
        pes("N08", "K01", "2024-02-01"),
        pes("N07", "K02", "2024-02-05", jam=10, upah=20000),
        pes("N10", "K02", "2024-01-10", jam=50, upah=125000),
        pes("N10", "K01", "2024-01-05", "2024-02-20", "SELESAI", sert="SRT-9"),
    ], "2024-03-05T09:00:00")
    b.file(U, "peserta", "2024-03", [
        pes("N01", "K01", "2024-03-31"),
        pes("N08", "K01", "2024-02-01", "2024-03-15", "SELESAI"),
        pes("N07", "K02", "2024-02-05", jam=20, upah=40000),
        pes("N02", "K02", "2024-03-01", jam=5, upah=10000),
        pes("N10", "K02", "2024-01-10", jam=60, upah=150000),
        pes("N03", "K03", "2024-03-31", jam=1, upah=2500),
    ], "2024-04-05T09:00:00", quarantined=QUARANTINED_PES_202403)

    b.file(U, "produksi", "2024-02", [
        batch("B1", "K02", "2024-02-10", 100, 90, 50000),
        batch("B2", "K03", "2024-01-31", 50, 50, 10000, mutu=None),
        batch("B3", "K02", "2024-04-02", 10, 5, 2000),
    ], "2024-03-05T09:00:00")
    b.file(U, "penjualan", "2024-02", [
        sale("S1", "K02", "2024-02-11", 300000, "INTERNAL", "LANGSUNG"),
        sale("S2", "K03", "2024-02-12", 200000, "EKSTERNAL", "MARKETPLACE"),
        sale("S3", "K02", "2024-02-28", 100000, "EKSTERNAL", "MARKETPLACE"),
    ], "2024-03-05T09:00:00")
    b.file(U, "penjualan", "2024-03", [
        sale("S3", "K02", "2024-02-28", 150000, "EKSTERNAL", "MARKETPLACE"),
        sale("S4", "K02", "2024-03-05", 50000, "EKSTERNAL", "PAMERAN"),
    ], "2024-04-05T09:00:00")
    b.file(U, "pnbp", "2024-03", [
        dep("NTPN000000000001", "2024-03-10", 500000, "2024-02"),
        dep("NTPN000000000002", "2024-03-20", 100000, "2024-03"),
        dep("NTPN000000000003", "2024-03-21", 70000, "2023-12"),
    ], "2024-04-05T09:00:00")

    # UPT0002: Q2 only. W1..W6 admitted 2024-01-02, lama 90.
    V = "UPT0002"
    ws = [nap(f"W{i}", "2024-01-02", 90) for i in range(1, 7)]
    b.file(V, "narapidana", "2024-04", ws, "2024-05-04T09:00:00")
    b.file(V, "kegiatan", "2024-04", [
        keg("K10", "PRODUKSI", "INDUSTRI", "KONVEKSI_TEKSTIL", "2024-04-01", None, 5_000_000, 1_000_000)
    ], "2024-05-04T09:00:00")
    b.file(V, "peserta", "2024-04", [pes(f"W{i}", "K10", "2024-04-01", jam=8, upah=16000) for i in range(1, 6)],
           "2024-05-04T09:00:00")
    b.file(V, "produksi", "2024-04", [batch("B10", "K10", "2024-04-10", 20, 18, 4000)], "2024-05-04T09:00:00")
    b.file(V, "penjualan", "2024-04", [sale("S10", "K10", "2024-04-15", 1_000_000, "EKSTERNAL", "MALL")],
           "2024-05-20T09:00:00")
    # UPT0003: only a rejected file
    b.file("UPT0003", "kegiatan", "2024-01", [], "2024-02-05T09:00:00", status="REJECTED", is_current=False,
           reject_code="MISSING_COLUMN")


# Q1 UPT0001 rows read / quarantined over current files (latest version of each file):
# narapidana 01: 9 rows; 02: 10 + 1 quarantined; 03 (current): 11; kegiatan 01: 4, 03: 3;
# peserta 01: 4, 02: 4, 03: 6 + 2 quarantined; produksi 02: 3; penjualan 02: 3, 03: 2; pnbp 03: 3.
ROWS_Q1_UPT0001 = (9 + 11 + 11 + 4 + 3 + 4 + 4 + 8 + 3 + 3 + 2 + 3, 1 + 2)  # (65, 3)


def run_dbt(db_path: str | os.PathLike, work_dir: str | os.PathLike, *args: str) -> subprocess.CompletedProcess:
    """Run dbt on the fixture warehouse with target/ and logs/ under work_dir (no shared state)."""
    work_dir = Path(work_dir)
    env = dict(os.environ, MONEV_WORK_DB=str(db_path), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    target = work_dir / "target"
    # reuse a partial parse of the repository's target if present, to save start-up time
    src_manifest = DBT_DIR / "target" / "partial_parse.msgpack"
    if not target.exists() and src_manifest.exists():
        target.mkdir(parents=True)
        shutil.copy(src_manifest, target / "partial_parse.msgpack")
    cmd = [str(DBT_EXE), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
           "--target-path", str(target), "--log-path", str(work_dir / "logs")]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)


def build_and_run_dbt(work_dir: str | os.PathLike) -> tuple[Path, subprocess.CompletedProcess]:
    """The fixture warehouse in ``work_dir`` with a successful ``dbt build`` over it: (database, result)."""
    db = Path(work_dir) / "monev.work.duckdb"
    build_fixture_warehouse(db)
    result = run_dbt(db, work_dir, "build")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return db, result
