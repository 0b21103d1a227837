"""Personal data outside its columns (EXPORT_SPEC.md) and private file modes.

- A NIK-like number (16 or more digits, possibly split by spaces, dots or dashes) in free text,
  a reason, a folder or file name or an extra column header is replaced by ``[NIK disamarkan]``.
- A free-text value, a path component or an extra column header *equal* to a NIK, name or birth
  date of an inmate in the same load (free text: of the same UPT) is replaced by
  ``[data pribadi disamarkan]``; a path component gets a keyed token instead
  (``[disamarkan:<10 hex>]``), so the same path always masks the same way and an unchanged file
  is still recognised as unchanged at the next load.
- Everything a load writes is readable by its owner only (umask 077, files 0600, folders 0700).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

NIK_MASK = "[NIK disamarkan]"
VALUE_MASK = "[data pribadi disamarkan]"
NIK_LIKE = re.compile(r"[0-9](?:[ .\-]?[0-9]){15,}")
NIK_LIKE_SQL = r"[0-9]([ .\-]?[0-9]){15,}"  # the same, for DuckDB (RE2)
TOKEN_RE = re.compile(r"\[disamarkan:[0-9a-f]{10}\]")

# Columns holding free text typed by an operator (the identifiers and codes are validated instead).
FREE_TEXT = ("minat_bakat", "nama_kegiatan", "mitra", "penanggung_jawab", "penerbit_sertifikat", "nama_produk",
             "satuan", "keterangan")

MACRO = f"""create or replace temp macro monev_mask(v) as (
    case when regexp_matches(v, '{NIK_LIKE_SQL}') then regexp_replace(v, '{NIK_LIKE_SQL}', '{NIK_MASK}', 'g')
         else v end);"""


def mask_nik_like(text: str | None) -> str | None:
    return NIK_LIKE.sub(NIK_MASK, text) if text else text


def normalise_term(value: str) -> str:
    """How a path component, header or free-text value is compared with personal terms."""
    return " ".join(re.sub(r"[_\-.]+", " ", value.strip().lower()).split())


def component_token(component: str, key: bytes) -> str:
    return "[disamarkan:" + hmac.new(key, component.encode(), hashlib.sha256).hexdigest()[:10] + "]"


def path_terms(relpath: str) -> dict[str, str]:
    """{path component as written: the normalised form compared with personal terms} (file stem too)."""
    out = {}
    for part in relpath.split("/"):
        out[part] = normalise_term(part)
        stem = part.rsplit(".", 1)[0]
        if stem != part:
            out[stem] = normalise_term(stem)
    return out


def mask_path(relpath: str, personal: set[str], key: bytes) -> str:
    """A landing-relative path with NIK-like numbers and components equal to personal terms masked."""
    parts = []
    for part in relpath.split("/"):
        stem, dot, ext = part.rpartition(".") if "." in part else (part, "", "")
        if normalise_term(part) in personal:
            part = component_token(part, key)
        elif dot and normalise_term(stem) in personal:
            part = component_token(stem, key) + dot + ext
        parts.append(mask_nik_like(part))
    return "/".join(parts)


def path_variants(relpath: str, key: bytes) -> list[str]:
    """Masked forms an unchanged file may have been registered under (mask_path's possible outputs)."""
    parts = relpath.split("/")
    out = [mask_nik_like(relpath)]
    for i, part in enumerate(parts):
        stem, dot, ext = part.rpartition(".") if "." in part else (part, "", "")
        options = [component_token(part, key)] + ([component_token(stem, key) + dot + ext] if dot else [])
        for opt in options:
            out.append("/".join(mask_nik_like(p) if j != i else opt for j, p in enumerate(parts)))
    return out


def mask_text(text: str | None, replacements: dict[str, str]) -> str | None:
    """NIK-like numbers masked, then each clear string of ``replacements`` replaced by its mask."""
    if not text:
        return text
    for clear, masked in replacements.items():
        if clear and clear != masked:
            text = text.replace(clear, masked)
    return mask_nik_like(text)


def secure_folder(folder: Path, prefix: str | None = None) -> None:
    """Folder 0700, its files (those starting with ``prefix`` when given) 0600; sub-folders 0700."""
    try:
        os.chmod(folder, 0o700)
        with os.scandir(folder) as entries:
            for e in entries:
                if prefix and not e.name.startswith(prefix):
                    continue
                if e.is_dir(follow_symlinks=False):
                    os.chmod(e.path, 0o700)
                    for root, dirs, files in os.walk(e.path):
                        for d in dirs:
                            os.chmod(os.path.join(root, d), 0o700)
                        for f in files:
                            os.chmod(os.path.join(root, f), 0o600)
                elif e.is_file(follow_symlinks=False):
                    os.chmod(e.path, 0o600)
    except OSError:
        pass  # a folder we do not own (read-only media in tests): nothing more we can do here
