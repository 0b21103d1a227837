"""`monev kpi`: the published indicators as the CSV contract of CLI_CONTRACT.md."""

from __future__ import annotations

import csv
import decimal
from pathlib import Path

import duckdb

from . import katalog
from .errors import UserError

# KPI_DICTIONARY.md (version 2) column order: the output contract, from the KPI catalogue.
KPI_COLUMNS: tuple[str, ...] = katalog.kolom()
# After the dictionary's columns: whether the period's figures are provisional, and why
# (KPI_DICTIONARY "Provisional and final figures"; dbt/README.md).
PROVISIONAL_COLUMNS = ("sementara", "alasan_sementara")
BREAKDOWN_COLUMNS = ("pendapatan", "produksi_unit", "lolos_qc_unit", "qc_pass_rate")


def _plain(value) -> str:
    """Empty for NULL; numbers written plainly (no exponent, no thousands separator)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def open_published(serving: Path) -> duckdb.DuckDBPyConnection:
    if not serving.exists():
        raise UserError(f"{serving}: published warehouse not found; run `monev load` first.")
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{serving}' as srv (read_only)")
    return con


def fetch_kpis(serving: Path, period: str, level: str, by: str | None) -> tuple[list[str], list[tuple]]:
    con = open_published(serving)
    try:
        known = con.execute("select count(*) from srv.main.kpi_indikator where periode = ?", [period]).fetchone()[0]
        if not known:
            raise UserError(f"{serving}: no published figures for period {period}.")
        if by is None:
            header = ["level", "kode", "periode", *KPI_COLUMNS, *PROVISIONAL_COLUMNS]
            rows = con.execute(
                f"select {', '.join(header)} from srv.main.kpi_indikator where periode = ? and level = ? order by kode",
                [period, level]).fetchall()
        else:
            header = ["level", "kode", "periode", "dimensi", "nilai", *BREAKDOWN_COLUMNS]
            rows = con.execute(
                f"select {', '.join(header)} from srv.main.kpi_rincian where periode = ? and level = ? "
                "and dimensi = ? order by kode, nilai", [period, level, by]).fetchall()
        return header, rows
    finally:
        con.close()


def write_kpi_csv(serving: Path, period: str, level: str, by: str | None, out: Path) -> int:
    header, rows = fetch_kpis(serving, period, level, by)
    if out.parent and not out.parent.exists():
        raise UserError(f"{out}: folder {out.parent} does not exist.")
    try:
        with out.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_plain(v) for v in row])
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror}).") from None
    return len(rows)
