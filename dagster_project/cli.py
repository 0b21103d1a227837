"""The `monev` command (CLI_CONTRACT.md).

    monev generate --out DIR [--scale mini|demo|national] [--months 2024-01:2024-12] [--seed N]
    monev load --landing DIR [--upt-master FILE] [--warehouse PATH]
    monev kpi [--warehouse PATH] --period 2024Q3|2024S2|2024 --level upt|kanwil|nasional
              [--by bidang|subbidang|kelas_industri|kanal|satuan] --out FILE.csv
    monev serve [--warehouse PATH] [--host 127.0.0.1] [--port 8050]
    monev akun tambah|list|disable|enable|reset-password|revoke-sessions|import-json ...
                              (operator: dashboard accounts in the app database)
    monev db upgrade          (operator: bring the app database schema up to date)
    monev rollback            (operator: put the previous publication back)
    monev status              (operator: publication, last loads, last failures)
    monev periksa FILE... [--upt-master FILE] [--warehouse PATH]   (verdicts without loading)
    monev templat --out DIR   (XLSX templates per export kind)
    monev bersihkan --landing DIR --lebih-dari-hari N [--coba]   (operator: retention of landed files)
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
    g.add_argument("--scale", choices=("mini", "demo", "national"), default="demo",
                   help="mini: 12 UPTs of 3 Kanwil (fast tests); demo: every Kanwil with 1-2 UPTs, and their UPT "
                        "master in DIR/.referensi/upt_master.csv for `monev load --upt-master`; national: every UPT")
    g.add_argument("--months", default=None,
                   help="YYYY-MM:YYYY-MM (mini and demo default 2024-01:2024-06, national 2024-01:2024-12)")
    g.add_argument("--seed", type=int, default=7)

    ld = sub.add_parser("load", help="ingest, build, check and publish (the nightly job, in process)")
    ld.add_argument("--landing", required=True, type=Path)
    ld.add_argument("--upt-master", type=Path, default=None)
    ld.add_argument("--warehouse", type=Path, default=None)
    ld.add_argument("--ulang", action="append", default=[], metavar="KODE:YYYY-MM[..YYYY-MM]",
                    help="re-ingest the files of these UPT-months even if unchanged (repeatable; KODE is a "
                         "UPT or Kanwil code, or * for all): the rerun/backfill path")
    ld.add_argument("--verbose", action="store_true",
                    help="also show every Dagster, dbt and great-expectations log line on the terminal")

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
    s.add_argument("--db", default=None, help="app database URL or SQLite file (default $MONEV_DB_URL or data/app.db)")
    s.add_argument("--landing", type=Path, default=None,
                   help="landing folder the 'Unggah & periksa' page submits into (default $MONEV_LANDING or data/landing)")
    s.add_argument("--upt-master", type=Path, default=None)

    a = sub.add_parser("akun", help="manage dashboard accounts (in the app database)")
    asub = a.add_subparsers(dest="akun_command", required=True)

    def akun_sub(name, help_, username=True):
        sp = asub.add_parser(name, help=help_)
        sp.add_argument("--db", default=None, help="app database URL or SQLite file (default $MONEV_DB_URL or data/app.db)")
        if username:
            sp.add_argument("--username", required=True)
        return sp

    at = akun_sub("tambah", "add or replace an account (replacing ends its sessions)")
    at.add_argument("--role", required=True, choices=("ditjenpas", "kanwil", "upt"))
    at.add_argument("--scope", default=None, help="kode_kanwil for role kanwil, kode_upt for role upt")
    at.add_argument("--nama", default=None, help="the person or office behind the account")
    for sp in (at, akun_sub("reset-password", "set a new password and end the account's sessions")):
        sp.add_argument("--password-env", default="MONEV_NEW_PASSWORD",
                        help="environment variable holding the password (never on the command line)")
    akun_sub("list", "list the accounts, their role, scope, state and live sessions", username=False)
    akun_sub("disable", "disable an account and end its sessions")
    akun_sub("enable", "enable a disabled account again")
    akun_sub("revoke-sessions", "end every session of an account (it must log in again)")
    ij = akun_sub("import-json", "import the accounts of an old data/accounts.json (hashes kept)", username=False)
    ij.add_argument("file", type=Path)

    dbp = sub.add_parser("db", help="the app database (accounts, sessions, audit log)")
    dbsub = dbp.add_subparsers(dest="db_command", required=True)
    du = dbsub.add_parser("upgrade", help="apply the Alembic migrations up to the newest revision")
    du.add_argument("--db", default=None, help="app database URL or SQLite file (default $MONEV_DB_URL or data/app.db)")

    r = sub.add_parser("rollback", help="put the previous publication back")
    r.add_argument("--warehouse", type=Path, default=None)

    b = sub.add_parser("bersihkan", help="delete landed files registered by a load more than N days ago (retention)")
    b.add_argument("--landing", required=True, type=Path)
    b.add_argument("--lebih-dari-hari", required=True, type=int, dest="hari", metavar="N")
    b.add_argument("--warehouse", type=Path, default=None)
    b.add_argument("--coba", action="store_true", help="list what would be deleted, delete nothing")

    st = sub.add_parser("status", help="the publication being served, the last loads and the last failures")
    st.add_argument("--warehouse", type=Path, default=None)
    st.add_argument("--jumlah", type=int, default=5, help="how many loads and failures to list")

    pk = sub.add_parser("periksa", help="check exports without loading: the verdict the nightly load would give")
    pk.add_argument("files", nargs="+", type=Path, metavar="FILE")
    pk.add_argument("--upt-master", type=Path, default=None)
    pk.add_argument("--warehouse", type=Path, default=None,
                    help="the published warehouse whose working warehouse holds the earlier loads (context)")

    tp = sub.add_parser("templat", help="write the XLSX templates, one per export kind")
    tp.add_argument("--out", required=True, type=Path)
    return p


def parse_months(value: str | None, scale: str) -> tuple[str, str]:
    if value is None:
        return ("2024-01", "2024-06") if scale in ("mini", "demo") else ("2024-01", "2024-12")
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
    from .ops_status import parse_selectors

    parse_selectors(args.ulang)  # a malformed selector is a user mistake too
    from .ingest.loader import pseudonym_key

    pseudonym_key()  # no built-in key: refuse before anything runs
    paths = config.warehouse_paths(args.warehouse)
    os.umask(0o077)  # warehouse, staging, logs and the Dagster instance: owner only
    paths.serving.parent.mkdir(parents=True, exist_ok=True)
    from .ops_status import record_dead_run, remove_run_marker, write_run_marker

    record_dead_run(paths)  # a previous `monev load` killed outright is recorded, not forgotten
    write_run_marker(paths)  # left behind only when the process is killed outright
    os.environ["MONEV_LANDING"] = str(landing)
    os.environ["MONEV_WAREHOUSE"] = str(paths.serving)
    os.environ["MONEV_UPT_MASTER"] = str(master)
    _prepare_dagster_home()
    from .laporan_muatan import open_log

    log_path, log_fh = open_log(paths.serving)
    print(f"monev load: {landing} -> {paths.serving}; log lengkap: {log_path}", flush=True)
    try:
        return _run_load(args, paths, log_path, log_fh)
    finally:
        log_fh.close()
        # Removed here, not by atexit: the console entry leaves with os._exit (no atexit handlers).
        remove_run_marker(paths)


def _run_load(args, paths: config.WarehousePaths, log_path: Path, log_fh) -> int:
    """The job in process, its events drawn as five step lines; everything else into the log file."""
    from .laporan_muatan import LoadReport, Tee, summary_lines, write_record

    started = time.perf_counter()
    out, err = sys.stdout, sys.stderr
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    to_file = logging.StreamHandler(log_fh)
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_term = logging.StreamHandler(err)
    to_term.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not args.verbose:  # our own warnings (e.g. the development pseudonym key) stay on the terminal
        to_term.setLevel(logging.WARNING)
        to_term.addFilter(lambda r: r.name.startswith("monev"))
    root.handlers = [to_file, to_term]
    root.setLevel(logging.INFO)
    # dbt's output (dagster-dbt re-emits it on stdout), warnings and stray prints: the log file;
    # with --verbose also the terminal.
    sys.stdout = Tee(log_fh, out) if args.verbose else log_fh
    if not args.verbose:
        sys.stderr = log_fh
    os.environ.setdefault("DBT_USE_COLORS", "false")  # plain text in the log file
    record = {"log": str(log_path), "warehouse": str(paths.serving), "argv": sys.argv[1:]}
    try:
        import dagster as dg
        from dagster._core.utils import make_new_run_id

        from .definitions import defs
        from .defs.ingestion.checks import contract_checks
        from .defs.warehouse.dbt import dbt_warehouse

        instance = dg.DagsterInstance.get()
        report = LoadReport(out, log_fh, dbt_total=len(dbt_warehouse.keys) + len(dbt_warehouse.check_keys),
                            contract_total=len(contract_checks), live=False if args.verbose else None)
        from .defs.ingestion.assets import ingest_exports
        from .perubahan import NO_CHANGE_STATUS, preflight

        tags = {"monev/trigger": "cli", "monev/warehouse": str(paths.serving)}
        run_config = {"loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "CRITICAL"}}},
                      "ops": {"ingest_exports": {"config": {"ulang": list(args.ulang)}}}}
        # Nothing expected to change: run only the ingestion step of the job (it still decides, and
        # records the no-op load); see docs/DESIGN.md, "No-op load".
        forecast = preflight(paths, Path(os.environ["MONEV_LANDING"]), config.upt_master_path(), bool(args.ulang))
        log_fh.write(f"Prakiraan sebelum run: {forecast.text()}\n")
        job = defs.resolve_job_def("monev_load")
        if forecast.publish:
            first_job = job
        else:
            # Only the ingestion step and the freshness check: the check's asset (gudang_terbit) is
            # not in this run, so the check does not wait for a publication and runs after ingestion.
            from .defs.operations.freshness import gudang_terbit_segar

            first_job = job.get_subset(asset_selection=set(ingest_exports.keys),
                                       asset_check_selection=set(gudang_terbit_segar.check_keys))
        with report:
            run_id = make_new_run_id()
            instance.add_event_listener(run_id, report.on_event)
            result = first_job.execute_in_process(
                instance=instance, raise_on_error=False, run_id=run_id, tags=tags, run_config=run_config)
            status, message = _load_status(paths.work)
            if first_job is not job and result.success and status != NO_CHANGE_STATUS:
                # Something arrived between the forecast and the run: the run ingested it and
                # decided to publish; build and publish now with the whole job.
                record["run_ingest_saja"] = run_id
                run_id = make_new_run_id()
                instance.add_event_listener(run_id, report.on_event)
                result = job.execute_in_process(
                    instance=instance, raise_on_error=False, run_id=run_id, tags=tags, run_config=run_config)
                status, message = _load_status(paths.work)
            noop = result.success and status == NO_CHANGE_STATUS
            if noop:
                report.mark_skipped(("kontrak", "dbt", "terbit"), "(tidak ada yang berubah)")
            if noop and first_job is job:
                # The whole job ran and skipped the freshness check attached to the publication it
                # did not make: run that check alone (the job the hourly schedule runs).
                fresh_id = make_new_run_id()
                instance.add_event_listener(fresh_id, report.on_event)
                defs.resolve_job_def("cek_kesegaran").execute_in_process(
                    instance=instance, raise_on_error=False, run_id=fresh_id, tags=tags,
                    run_config={"loggers": run_config["loggers"]})
                record["run_kesegaran"] = fresh_id
            report.finish()
    finally:
        sys.stdout, sys.stderr = out, err
        root.handlers, root.level = saved_handlers, saved_level
    seconds = time.perf_counter() - started
    from .ingest.loader import LoadSummary, summary_from_warehouse

    summary = LoadSummary(0)
    if paths.work.exists():
        try:
            summary = summary_from_warehouse(paths.work)
        except Exception as exc:  # the summary is a report; never mask the load's own outcome
            print(f"(ringkasan muatan tidak tersedia: {str(exc).splitlines()[0]})", file=sys.stderr)
    status, message = _load_status(paths.work)
    published = result.success and status != "TANPA_PERUBAHAN"
    record.update({"run_id": run_id, "sukses": result.success, "load_id": summary.load_id, "status": status,
                   "terbit": published, "detik_total": round(seconds, 3), "langkah": report.record()})
    try:
        write_record(log_path.with_suffix(".json"), record)
    except OSError:
        pass
    if result.success:
        for line in summary_lines(summary, status or "?", message, published, paths.serving, seconds, run_id):
            print(line)
        return 0
    from .ops_status import failure_from_events, record_failure

    step, reason = failure_from_events(result.all_events)
    for line in summary_lines(summary, "GAGAL", None, False, paths.serving, seconds, run_id)[:-2]:
        print(line)
    where = record_failure(paths, result.run_id, step, reason, "cli")
    print(f"Kegagalan dicatat ({where}); lihat `monev status`. Log lengkap: {log_path}", file=sys.stderr)
    from .laporan_muatan import step_of

    print(f"monev load: GAGAL pada langkah {step_of(step) or step} ({step}): {reason} "
          f"(run {result.run_id}); warehouse terbit sebelumnya tidak berubah: {paths.serving}", file=sys.stderr)
    return 1


def _load_status(work: Path) -> tuple[str | None, str | None]:
    """Status and message of the latest row of meta.loads (None when unreadable)."""
    if not work.exists():
        return None, None
    import duckdb

    try:
        con = duckdb.connect(str(work), read_only=True)
    except duckdb.Error:
        return None, None
    try:
        row = con.execute("select status, message from meta.loads order by load_id desc limit 1").fetchone()
        return (row[0], row[1]) if row else (None, None)
    except duckdb.Error:
        return None, None
    finally:
        con.close()


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

    app = create_app(paths.serving, db=args.db, landing_path=args.landing,
                     upt_master_path=args.upt_master)
    print(f"Dasbor Monev Kemandirian: http://{args.host}:{args.port}/  (Ctrl+C untuk berhenti)")
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def _sandi_dari_env(args) -> str:
    password = os.environ.get(args.password_env)
    if not password:
        raise UserError(f"${args.password_env} is empty: put the new password in that environment variable.")
    return password


def _tampil_db(url: str) -> str:
    """The database URL without its password (for messages)."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def cmd_akun(args) -> int:
    from dashboards import appdb, auth

    url = appdb.normalise_url(args.db)
    cmd = args.akun_command
    try:
        if cmd == "tambah":
            password = _sandi_dari_env(args)
            if args.role != "ditjenpas" and not args.scope:
                raise UserError(f"--scope is required for role {args.role} (kode_kanwil or kode_upt).")
            auth.add_account(url, args.username, password, args.role, args.scope, nama=args.nama)
            print(f"Akun {auth.kunci_nama(args.username)} ({args.role} {args.scope or ''}) disimpan di {_tampil_db(url)}")
        elif cmd == "list":
            rows = auth.list_accounts(url)
            if not rows:
                print(f"Belum ada akun di {_tampil_db(url)}.")
            for r in rows:
                print(f"{r['username']:<24} {r['role']:<10} {r['scope'] or '-':<10} "
                      f"{'aktif' if r['aktif'] else 'NONAKTIF':<9} sesi aktif: {r['sesi_aktif']}")
        elif cmd == "disable":
            n = auth.disable_account(url, args.username)
            print(f"Akun {auth.kunci_nama(args.username)} dinonaktifkan; {n} sesi diakhiri.")
        elif cmd == "enable":
            auth.enable_account(url, args.username)
            print(f"Akun {auth.kunci_nama(args.username)} diaktifkan kembali.")
        elif cmd == "reset-password":
            n = auth.reset_password(url, args.username, _sandi_dari_env(args))
            print(f"Kata sandi {auth.kunci_nama(args.username)} diganti; {n} sesi diakhiri.")
        elif cmd == "revoke-sessions":
            n = auth.revoke_sessions(url, args.username)
            print(f"{n} sesi akun {auth.kunci_nama(args.username)} diakhiri.")
        elif cmd == "import-json":
            if not args.file.exists():
                raise UserError(f"{args.file}: file not found.")
            n = auth.import_json(url, args.file)
            print(f"{n} akun diimpor dari {args.file} ke {_tampil_db(url)}")
    except auth.AkunTidakAda:
        raise UserError(f"{_tampil_db(url)}: there is no account {args.username!r} (see `monev akun list`).") from None
    except ValueError as exc:
        raise UserError(f"{getattr(args, 'file', None) or _tampil_db(url)}: {exc}.") from None
    return 0


def cmd_db(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from dashboards import appdb

    url = appdb.normalise_url(args.db)
    try:
        appdb.upgrade(url)
        rev = appdb.current_revision(url)
    except SQLAlchemyError as exc:
        raise UserError(f"{_tampil_db(url)}: the app database cannot be upgraded ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0][:200]}).") from None
    print(f"Basis data aplikasi {_tampil_db(url)} pada revisi {rev}.")
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


def cmd_periksa(args) -> int:
    from .periksa import lines, periksa

    master = config.upt_master_path(args.upt_master)
    files = [f.expanduser() for f in args.files]
    for f in files:
        if not f.is_file():
            raise UserError(f"{f}: file tidak ditemukan.")
    verdicts = periksa(files, master, args.warehouse)
    for line in lines(verdicts):
        print(line)
    return 0 if all(v.bersih for v in verdicts) else 1


def cmd_templat(args) -> int:
    from .templat import write_templates

    written = write_templates(args.out.expanduser())
    for path in written:
        print(f"Templat ditulis: {path}")
    return 0


def cmd_bersihkan(args) -> int:
    from .privacy import mask_nik_like
    from .retention import clean_landing

    paths = config.warehouse_paths(args.warehouse)
    out = clean_landing(args.landing.expanduser().resolve(), paths.work, args.hari, dry_run=args.coba)
    verb = "akan dihapus" if args.coba else "dihapus"
    print(f"{len(out.removed)} file {verb} ({out.removed_bytes / 2**20:.1f} MB, dimuat lebih dari {args.hari} hari lalu); "
          f"disimpan: {out.kept_recent} masih dalam masa simpan, {out.kept_unregistered} belum dimuat atau berubah.")
    if args.coba:
        for rel in out.removed[:200]:
            print(f"  {mask_nik_like(rel)}")
    return 0


COMMANDS = {"generate": cmd_generate, "load": cmd_load, "kpi": cmd_kpi, "serve": cmd_serve,
            "akun": cmd_akun, "db": cmd_db, "rollback": cmd_rollback, "status": cmd_status,
            "periksa": cmd_periksa, "templat": cmd_templat, "bersihkan": cmd_bersihkan}


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


def entry() -> None:
    """The console script: like main(), but a finished `monev load` leaves without tearing down the
    interpreter's modules one by one (Dagster, dbt, pandas: 1-3 s on the shared machine). Every
    file is closed and every database committed by then; stdout and stderr are flushed."""
    code = main()
    if "multiprocessing" in sys.modules:
        # What atexit would have done for multiprocessing: release the semaphores dbt/Dagster created,
        # so the resource tracker does not print a "leaked semaphore" warning after the report.
        from multiprocessing import util

        util._exit_function()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
