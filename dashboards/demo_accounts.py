"""`python -m dashboards.demo_accounts [WAREHOUSE]`: create the demo accounts once and show them.

Used by `make demo`. The passwords are random, stored hashed in the accounts file; they are shown
once and also written to data/demo_credentials.txt (mode 0600) so a demo user can find them
again. Never use demo accounts with real data: create accounts with `monev akun tambah`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_project.config import DATA_DIR

from .auth import default_accounts_path, ensure_demo_accounts


def main(argv: list[str]) -> int:
    warehouse = Path(argv[0]) if argv else DATA_DIR / "warehouse" / "monev.duckdb"
    path = default_accounts_path()
    created = ensure_demo_accounts(path, warehouse)
    notes = DATA_DIR / "demo_credentials.txt"
    if created is None:
        print(f"Akun sudah ada di {path}" + (f"; kata sandi demo ada di {notes}" if notes.exists() else ""))
        return 0
    lines = [f"{u:<20} peran={a['role']:<10} cakupan={a['scope'] or 'nasional':<10} kata sandi={a['password']}"
             for u, a in created.items()]
    notes.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(notes, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("Akun demo dibuat (simpan kata sandinya; juga di " + str(notes) + "):")
    print("\n".join("  " + line for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
