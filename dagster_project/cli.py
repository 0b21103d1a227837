"""The `monev` command (CLI_CONTRACT.md).

    monev generate --out DIR [--scale demo|national] [--months 2024-01:2024-12] [--seed N]
    monev load --landing DIR [--upt-master FILE] [--warehouse PATH]
    monev kpi [--warehouse PATH] --period 2024Q3|2024S2|2024 --level upt|kanwil|nasional
              [--by bidang|subbidang|kelas_industri|kanal|satuan] --out FILE.csv
    monev serve [--warehouse PATH] [--host 127.0.0.1] [--port 8050]
    monev akun tambah ...     (operator: dashboard accounts)
    monev rollback            (operator: put the previous publication back)
    monev status              (operator: publication, last loads, last failures)
    monev load --ulang UPT0001:2024-03   (operator: force re-ingestion of UPT-months; backfill)

A user mistake is reported on stderr as one sentence naming the file and the problem, exit 2.
A load that itself failed exits 1 and leaves the published warehouse untouched.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from pathlib import Path

from . import config
from .errors import UserError

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:(?P<q>Q[1-4])|(?P<s>S[12]))?$")
LEVELS = ("upt", "kanwil", "nasional")
BREAKDOWNS = ("bidang", "subbidang", "kelas_industri", "kanal", "satuan")
MONTH_RANGE_RE = re.compile(r"^(\d{4})-(\d{2}):(\d{4})-(\d{2})$")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="monev", description="Monev Kemandirian: UPT exports -> warehouse -> KPIs.")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write realistic demo/national UPT exports with a defect manifest")
    g.add_argument("--out", required=True, type=Path)
    g.add_argument("--scale", choices=("demo", "national"), default="demo")
    g.add_argument("--months", default=None, help="YYYY-MM:YYYY-MM (demo default 2024-01:2024-06, national 2024-01:2024-12)")
    g.add_argument("--seed", type=int, default=7)

    ld = sub.add_parser("load", help="ingest, build, check and publish (the nightly job, in process)")
    ld.add_argument("--landing", required=True, type=Path)
    ld.add_argument("--upt-master", type=Path, default=None)
    ld.add_argument("--warehouse", type=Path, default=None)
    ld.add_argument("--ulang", action="append", default=[], metavar="KODE:YYYY-MM[..YYYY-MM]",
                    help="re-ingest the files of these UPT-months even if unchanged (repeatable; KODE is a "
                         "UPT or Kanwil code, or * for all): the rerun/backfill path")

    k = sub.add_parser("kpi", help="write published indicators as CSV")
    k.add_argument("--warehouse", type=Path, default=None)
    k.add_argument("--period", required=True)
    k.add_argument("--level", required=True)
    k.add_argument("--by", default=None)
    k.add_argument("--out", required=True, type=Path)

    s = sub.add_parser("serve", help="serve the dashboards from the published warehouse")
    s.add_argument("--warehouse", type=Path, default=None)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8050)
    s.add_argument("--accounts", type=Path, default=None)

    a = sub.add_parser("akun", help="manage dashboard accounts")
    asub = a.add_subparsers(dest="akun_command", required=True)
    at = asub.add_parser("tambah", help="add or replace an account")
    at.add_argument("--accounts", type=Path, default=None)
    at.add_argument("--username", required=True)
    at.add_argument("--role", required=True, choices=("ditjenpas", "kanwil", "upt"))
    at.add_argument("--scope", default=None, help="kode_kanwil for role kanwil, kode_upt for role upt")
    at.add_argument("--password-env", default="MONEV_NEW_PASSWORD",
                    help="environment variable holding the password (never on the command line)")

    r = sub.add_parser("rollback", help="put the previous publication back")
    r.add_argument("--warehouse", type=Path, default=None)

    st = sub.add_parser("status", help="the publication being served, the last loads and the last failures")
    st.add_argument("--warehouse", type=Path, default=None)
    st.add_argument("--jumlah", type=int, default=5, help="how many loads and failures to list")
    return p


def parse_months(value: str | None, scale: str) -> tuple[str, str]:
    if value is None:
        return ("2024-01", "2024-06") if scale == "demo" else ("2024-01", "2024-12")
    m = MONTH_RANGE_RE.match(value)
    if not m or not (1 <= int(m[2]) <= 12 and 1 <= int(m[4]) <= 12) or (m[1], m[2]) > (m[3], m[4]):
        raise UserError(f"--months {value!r}: expected YYYY-MM:YYYY-MM with the first month not after the second.")
    return f"{m[1]}-{m[2]}", f"{m[3]}-{m[4]}"


def cmd_generate(args) -> int:
    months = parse_months(args.months, args.scale)
    from .generator import generate

    try:
        summary = generate(args.out, scale=args.scale, months=months, seed=args.seed)
    except ValueError as exc:
        raise UserError(f"{args.out}: {exc}") from None
    print(f"Ekspor {args.scale} ditulis ke {args.out}: "
          + ", ".join(f"{k}={v}" for k, v in summary.items() if not isinstance(v, (dict, list))))
    return 0


def _prepare_dagster_home() -> Path:
    home = config.dagster_home()
    yaml = home / "dagster.yaml"
    if not yaml.exists():
        yaml.write_text(
            "telemetry:\n  enabled: false\n"
            "run_queue:\n  max_concurrent_runs: 1\n"
            "run_monitoring:\n  enabled: true\n",
            encoding="utf-8",
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def cmd_load(args) -> int:
    landing = args.landing.expanduser().resolve()
    if not landing.is_dir():
        raise UserError(f"{args.landing}: landing folder does not exist.")
    master = config.upt_master_path(args.upt_master)
    from .reference import read_upt_master

    read_upt_master(master)  # a malformed master is a user mistake: say so before starting
    from .ops_status import failure_from_events, parse_selectors, record_failure

    parse_selectors(args.ulang)  # a malformed selector is a user mistake too
    paths = config.warehouse_paths(args.warehouse)
    paths.serving.parent.mkdir(parents=True, exist_ok=True)
    os.environ["MONEV_LANDING"] = str(landing)
    os.environ["MONEV_WAREHOUSE"] = str(paths.serving)
    os.environ["MONEV_UPT_MASTER"] = str(master)
    _prepare_dagster_home()
    started = time.perf_counter()

    import dagster as dg

    from .definitions import defs
    from .ingest.loader import summary_from_warehouse

    instance = dg.DagsterInstance.get()
    result = defs.resolve_job_def("monev_load").execute_in_process(
        instance=instance, raise_on_error=False,
        tags={"monev/trigger": "cli", "monev/warehouse": str(paths.serving)},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}},
                    "ops": {"ingest_exports": {"config": {"ulang": list(args.ulang)}}}})
    if paths.work.exists():
        try:
            for line in summary_from_warehouse(paths.work).lines():
                print(line)
        except Exception as exc:  # the summary is a report; never mask the load's own outcome
            print(f"(ringkasan muatan tidak tersedia: {str(exc).splitlines()[0]})", file=sys.stderr)
    if not result.success:
        step, reason = failure_from_events(result.all_events)
        where = record_failure(paths, result.run_id, step, reason, "cli")
        print(f"Kegagalan dicatat ({where}); lihat `monev status`.", file=sys.stderr)
        print(f"monev load: GAGAL pada langkah {step}: {reason} "
              f"(run {result.run_id}); warehouse terbit sebelumnya tidak berubah: {paths.serving}", file=sys.stderr)
        return 1
    print(f"Terbit: {paths.serving} ({time.perf_counter() - started:.1f} dtk, run {result.run_id})")
    return 0


def validate_period(period: str) -> str:
    if not PERIOD_RE.match(period):
        raise UserError(f"--period {period!r}: expected a quarter like 2024Q3, a semester like 2024S2 or a year like 2024.")
    return period


def cmd_kpi(args) -> int:
    from .kpi_export import write_kpi_csv

    validate_period(args.period)
    if args.level not in LEVELS:
        raise UserError(f"--level {args.level!r}: expected one of {', '.join(LEVELS)}.")
    if args.by is not None and args.by not in BREAKDOWNS:
        raise UserError(f"--by {args.by!r}: expected one of {', '.join(BREAKDOWNS)}.")
    paths = config.warehouse_paths(args.warehouse)
    n = write_kpi_csv(paths.serving, args.period, args.level, args.by, args.out)
    print(f"{n} baris ditulis ke {args.out}")
    return 0


def cmd_serve(args) -> int:
    paths = config.warehouse_paths(args.warehouse)
    if not paths.serving.exists():
        raise UserError(f"{paths.serving}: published warehouse not found; run `monev load` first.")
    from dashboards.app import create_app

    app = create_app(paths.serving, accounts_path=args.accounts)
    print(f"Dasbor Monev Kemandirian: http://{args.host}:{args.port}/  (Ctrl+C untuk berhenti)")
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def cmd_akun(args) -> int:
    from dashboards.auth import add_account, default_accounts_path

    password = os.environ.get(args.password_env)
    if not password:
        raise UserError(f"${args.password_env} is empty: put the new password in that environment variable.")
    if args.role != "ditjenpas" and not args.scope:
        raise UserError(f"--scope is required for role {args.role} (kode_kanwil or kode_upt).")
    path = args.accounts or default_accounts_path()
    add_account(path, args.username, password, args.role, args.scope)
    print(f"Akun {args.username} ({args.role} {args.scope or ''}) disimpan di {path}")
    return 0


def cmd_rollback(args) -> int:
    from .publish import rollback

    paths = config.warehouse_paths(args.warehouse)
    if not rollback(paths):
        raise UserError(f"{paths.previous}: there is no previous publication to restore.")
    print(f"Publikasi sebelumnya dipulihkan: {paths.serving}")
    return 0


def cmd_status(args) -> int:
    from .ops_status import status_report

    if args.jumlah < 1 or args.jumlah > 1000:
        raise UserError(f"--jumlah {args.jumlah}: expected a number from 1 to 1000.")
    for line in status_report(config.warehouse_paths(args.warehouse), limit=args.jumlah):
        print(line)
    return 0


COMMANDS = {"generate": cmd_generate, "load": cmd_load, "kpi": cmd_kpi, "serve": cmd_serve,
            "akun": cmd_akun, "rollback": cmd_rollback, "status": cmd_status}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"monev {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"monev {args.command}: interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
