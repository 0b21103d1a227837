"""Child process that parses XLSX sheets for the loader (see guard.XlsxWorker).

Runs under an address-space limit set by the parent: a sheet that would make the native reader
allocate without bound kills only this process, never the load. One JSON request per line on
stdin, one JSON answer per line on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .files import sniff_xlsx, write_normalised_csv


def main() -> int:
    for line in sys.stdin:
        req = json.loads(line)
        sn = sniff_xlsx(Path(req["path"]), req.get("kind"))
        if sn.reject_code:
            answer = {"error": sn.reject_reason}
        else:
            write_normalised_csv(Path(req["out"]), sn.header, sn.rows, None)
            answer = {"header": sn.header, "rows": len(sn.rows or [])}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
