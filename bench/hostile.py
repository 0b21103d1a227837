"""Peak memory of loads of hostile files (issue 12): `python -m bench.hostile`.

Writes a hostile set to a temporary folder (nothing is kept): an XLSX with a cell at XFD1048576,
a zip-bomb XLSX, CSVs with 100,000 and 10,000 columns, a 250 MB CSV, a valid CSV of 1.99
million cells (just under the default cell limit), a 10,000-row CSV with a stray quote, beside a clean one. Runs
ingestion of each file alone, then `monev load` (ingest, contracts, dbt, publish) on the whole
set, each as a separate process tree, and samples the summed resident memory of the tree
(/proc, every 50 ms). Results: bench/results/hostile.md.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results"
PNBP_HEAD = "ntpn,tanggal_setor,jumlah_setor,periode_penjualan,kode_billing,keterangan"


def _rows(upt: str, n: int) -> list[str]:
    return [f"{upt}N{i:08d},2024-01-15,{1000 + i},2024-01,KB{i},setoran {i}" for i in range(1, n + 1)]


def build(landing: Path) -> dict[str, str]:
    import openpyxl

    files: dict[str, str] = {}

    def csv_file(name: str, text_lines, what: str) -> None:
        with (landing / name).open("w", encoding="utf-8") as fh:
            for line in text_lines:
                fh.write(line + "\n")
        files[name] = what

    csv_file("UPT0001_pnbp_202401.csv", [PNBP_HEAD, *_rows("UPT0001", 10_000)], "clean, 10,000 rows")
    rows = _rows("UPT0002", 10_000)
    rows[5000] = rows[5000].replace(",2024-01-15", ',"2024-01-15')
    csv_file("UPT0002_pnbp_202401.csv", [PNBP_HEAD, *rows], "stray quote after row 5,000")
    wb = openpyxl.Workbook()
    wb.active.append(PNBP_HEAD.split(","))
    wb.active.cell(row=1048576, column=16384, value="x")
    wb.save(landing / "UPT0003_pnbp_202401.xlsx")
    files["UPT0003_pnbp_202401.xlsx"] = "XLSX with a cell at XFD1048576"
    plain = landing.parent / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(PNBP_HEAD.split(","))
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(landing / "UPT0004_pnbp_202401.xlsx", "w",
                                                        zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * (150 * 2**20) + b"</worksheet>")
            dst.writestr(info.filename, data)
    files["UPT0004_pnbp_202401.xlsx"] = "zip bomb (150 MB sheet)"
    head = PNBP_HEAD + "," + ",".join(f"x{i}" for i in range(100_000))
    csv_file("UPT0005_pnbp_202401.csv", [head, *(f"N{i},2024-01-15,1,2024-01,KB,k" + ",1" * 100_000
                                                 for i in range(5))], "100,000 columns, 5 rows")
    head = PNBP_HEAD + "," + ",".join(f"x{i}" for i in range(10_000))
    csv_file("UPT0006_pnbp_202401.csv", [head, *(f"N{i},2024-01-15,1,2024-01,KB,k" + ",1" * 10_000
                                                 for i in range(50))], "10,000 columns, 50 rows")
    n_big = 200 * 2**20 // len(_rows("UPT0007", 1)[0])
    csv_file("UPT0007_pnbp_202401.csv", [PNBP_HEAD, *_rows("UPT0007", n_big)], "")
    files["UPT0007_pnbp_202401.csv"] = f"{(landing / 'UPT0007_pnbp_202401.csv').stat().st_size / 2**20:.0f} MB CSV"
    n_35 = 1_990_000 // 6  # just under the default cell limit (MONEV_MAX_CELLS 2,000,000)
    csv_file("UPT0008_pnbp_202401.csv", [PNBP_HEAD, *_rows("UPT0008", n_35)], "")
    files["UPT0008_pnbp_202401.csv"] = (f"{(landing / 'UPT0008_pnbp_202401.csv').stat().st_size / 2**20:.0f} MB valid "
                                        f"CSV, {n_35:,} rows (within the limits)")
    return files


def _tree_rss_kb(sid: int) -> int:
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[3]) != sid:  # session id
                continue
            with open(f"/proc/{entry}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], env: dict) -> tuple[int, float, float]:
    """(exit code, seconds, peak summed RSS of the process tree in MB)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    return proc.returncode, time.perf_counter() - t, peak / 1024


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MONEV_PSEUDONYM_KEY=secrets.token_hex(32), GX_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1")
    lines = ["# Peak memory on hostile files", "", f"Load average at start {os.getloadavg()[0]:.1f}; "
             "peak = summed RSS of the process tree, sampled every 50 ms.", "",
             "| file | outcome | seconds | peak MB |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="monev-hostile-") as tmp:
        base = Path(tmp)
        landing = base / "landing"
        landing.mkdir()
        files = build(landing)
        for name, what in files.items():
            alone = base / f"alone-{name}"
            alone.mkdir()
            os.link(landing / name, alone / name)
            wh = base / f"wh-{name}"
            code = ("import sys; from pathlib import Path; from dagster_project.ingest.loader import ingest; "
                    f"s = ingest(Path({str(wh / 'w.duckdb')!r}), Path({str(alone)!r}), "
                    f"Path({str(ROOT / 'seeds' / 'upt_master.csv')!r}), Path({str(wh / 'stg')!r})); "
                    f"open({str(base / 'out.txt')!r}, 'w').write(s.rejected[0][2] if s.rejected else "
                    "f'dimuat {s.rows_loaded} baris')")
            rc, secs, peak = run_measured([sys.executable, "-c", code], env)
            outcome = (base / "out.txt").read_text(encoding="utf-8")[:90] if rc == 0 else f"exit {rc}"
            lines.append(f"| {what} | {outcome} | {secs:.1f} | {peak:.0f} |")
            print(lines[-1], flush=True)
        rc, secs, peak = run_measured([sys.executable, "-m", "dagster_project.cli", "load", "--landing",
                                       str(landing), "--warehouse", str(base / "wh" / "monev.duckdb")],
                                      dict(env, DAGSTER_HOME=str(base / "dagster")))
        lines.append(f"| `monev load` on the whole set (ingest, contracts, dbt, publish) | exit {rc} | "
                     f"{secs:.1f} | {peak:.0f} |")
        print(lines[-1], flush=True)
    (OUT / "hostile.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
