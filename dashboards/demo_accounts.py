"""`python -m dashboards.demo_accounts [WAREHOUSE]`: create the demo accounts once and show them.

Used by `make demo`. One account per role (ditjenpas, one Kanwil with two UPTs that both report,
one reporting UPT of it), each shown with the Kanwil and UPTs it can see, named from the demo's
UPT master as published. The passwords are random, stored hashed in the app database
(dashboards/appdb.py: $MONEV_DB_URL, else data/app.db); they are
shown once and also written to data/demo_credentials.txt (mode 0600) so a demo user can find them
again. Never use demo accounts with real data: create accounts with `monev akun tambah`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_project.config import DATA_DIR

from . import appdb
from .auth import ensure_demo_accounts


def _units(warehouse: Path) -> list[tuple[str, str, str, str]]:
    """(kode_kanwil, nama_kanwil, kode_upt, nama_upt) of every UPT of the published warehouse."""
    import duckdb

    if not warehouse.exists():
        return []
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(warehouse).replace(chr(39), chr(39) * 2)}' AS srv (READ_ONLY)")
        return con.execute("select kode_kanwil, nama_kanwil, kode_upt, nama_upt from srv.dim_upt "
                           "order by kode_kanwil, kode_upt").fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()


def what_they_see(role: str, scope: str | None, units: list[tuple[str, str, str, str]]) -> str:
    """The Kanwil and UPTs an account of this role and scope can see, in words."""
    if role == "ditjenpas":
        n_kw = len({u[0] for u in units})
        return f"seluruh Indonesia ({n_kw} Kanwil, {len(units)} UPT)" if units else "seluruh Indonesia"
    if role == "kanwil":
        mine = [u for u in units if u[0] == scope]
        if not mine:
            return f"Kanwil {scope}"
        daftar = ", ".join(f"{u[3]} ({u[2]})" for u in mine)
        return f"{mine[0][1]} ({scope}) dengan {len(mine)} UPT: {daftar}"
    mine = [u for u in units if u[2] == scope]
    return f"{mine[0][3]} ({scope}), {mine[0][1]}" if mine else f"UPT {scope}"


def main(argv: list[str]) -> int:
    warehouse = Path(argv[0]) if argv else DATA_DIR / "warehouse" / "monev.duckdb"
    url = appdb.database_url()
    created = ensure_demo_accounts(url, warehouse)
    notes = DATA_DIR / "demo_credentials.txt"
    if created is None:
        print(f"Akun sudah ada di basis data aplikasi ({url.split('@')[-1]})" + (f"; kata sandi demo ada di {notes}" if notes.exists() else ""))
        return 0
    units = _units(warehouse)
    lines = []
    for u, a in created.items():
        lines.append(f"{u:<16} peran={a['role']:<10} kata sandi={a['password']}")
        lines.append(f"{'':<16} melihat: {what_they_see(a['role'], a['scope'], units)}")
    notes.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(notes, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("Akun demo dibuat, satu per peran (simpan kata sandinya; juga di " + str(notes) + "):")
    print("\n".join("  " + line for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
