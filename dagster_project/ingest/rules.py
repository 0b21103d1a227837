"""SQL for parsing field values and validating rows, generated from spec.py.

(``monev_show``, which quotes a value in a reason, needs ``privacy.MACRO``'s ``monev_mask`` first.)
All parsing and validation runs inside DuckDB over whole batches of rows: the macros below turn
the text of a cell into a typed value (NULL when it cannot be read), and `validation_sql`
builds, for one kind, a query that yields each staged row with its parsed values and the list of
reasons it must be quarantined (empty for a clean row).
"""

from __future__ import annotations

from ..spec import DATE_ORDER, ENUMS, SPEC, Kind

MACROS = r"""
create or replace temp macro monev_blank(v) as (v is null or trim(v) = '');
create or replace temp macro monev_text(v) as (nullif(trim(v), ''));
create or replace temp macro monev_code(v) as (nullif(upper(trim(v)), ''));
create or replace temp macro monev_date(v) as (
    case when monev_blank(v) then null else (
        with d as (select coalesce(
            try_strptime(trim(v), '%Y-%m-%d'),
            try_strptime(trim(v), '%d/%m/%Y'),
            try_strptime(trim(v), '%d-%m-%Y'))::date as d)
        select case when year(d) between 1900 and 2100 then d end from d)
    end);
create or replace temp macro monev_num_text(v) as (regexp_replace(upper(trim(v)), '^RP\.?\s*', ''));
create or replace temp macro monev_num(v) as (
    case when monev_blank(v) then null else try_cast(
        case
            when regexp_full_match(monev_num_text(v), '-?[0-9]+') then monev_num_text(v)
            when regexp_full_match(monev_num_text(v), '-?[0-9]{1,3}(\.[0-9]{3})+') then replace(monev_num_text(v), '.', '')
            when regexp_full_match(monev_num_text(v), '-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]+') then replace(replace(monev_num_text(v), '.', ''), ',', '.')
            when regexp_full_match(monev_num_text(v), '-?[0-9]+,[0-9]+') then replace(monev_num_text(v), ',', '.')
        end as decimal(18, 2)) end);
create or replace temp macro monev_bool(v) as (
    case when upper(trim(v)) in ('Y', 'YA', '1', 'TRUE') then true
         when upper(trim(v)) in ('N', 'TIDAK', '0', 'FALSE') then false end);
create or replace temp macro monev_period(v) as (
    case when monev_blank(v) then null else coalesce(
        try_strptime(trim(v) || '-01', '%Y-%m-%d'),
        try_strptime(trim(v) || '01', '%Y%m%d'))::date end);
create or replace temp macro monev_show(v) as (
    '''' || case when length(monev_mask(v)) > 40 then left(monev_mask(v), 40) || '...' else monev_mask(v) end
    || '''');
"""

# Identifier columns are compared and stored upper-cased and trimmed (docs/DECISIONS.md).
IDENTIFIERS = {"no_registrasi", "kode_kegiatan", "no_batch", "no_transaksi", "ntpn"}
# Personal data: their values never appear in a reason or a stored record.
PERSONAL = {"nik", "nama", "tanggal_lahir"}


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _in_list(values) -> str:
    return "(" + ", ".join(_q(v) for v in sorted(values)) + ")"


def parsed_expr(kind: Kind, name: str) -> str:
    col = kind.column(name)
    raw = f"s.{name}"
    if name in IDENTIFIERS or col.type == "code":
        return f"monev_code({raw})"
    return {
        "text": f"monev_text({raw})",
        "name": "null",
        "nik": f"monev_text({raw})",
        "date": f"monev_date({raw})",
        "birth": f"monev_date({raw})",
        "int": f"monev_num({raw})",
        "num": f"monev_num({raw})",
        "rupiah": f"monev_num({raw})",
        "bool": f"monev_bool({raw})",
        "period": f"monev_period({raw})",
    }[col.type]


def _reason(code: str, condition: str, message_sql: str) -> str:
    return f"case when {condition} then '{code}' || chr(9) || {message_sql} end"


def validation_sql(kind_name: str, taxonomy: dict[str, set[str]], subbidang_bidang: dict[str, str]) -> str:
    """SELECT over temp table stage_<kind> (joined to batch_files) with parsed values and reasons.

    taxonomy maps an enumeration name that lives in reference data (subbidang and the industry
    dimensions) to its allowed codes; subbidang_bidang maps each subbidang to its bidang.
    """
    kind = SPEC[kind_name]
    prefix = f"'{kind_name} baris ' || s._row_number || ': '"
    parsed = {c.name: parsed_expr(kind, c.name) for c in kind.columns}
    reasons: list[str] = []
    for c in kind.columns:
        raw = f"s.{c.name}"
        p = f"p.{c.name}"
        show = "'(data pribadi)'" if c.name in PERSONAL else f"monev_show(trim({raw}))"
        if c.required:
            reasons.append(_reason("MISSING_REQUIRED", f"monev_blank({raw})",
                                   f"{prefix} || 'kolom {c.name} wajib diisi'"))
        if c.type in ("date", "birth", "int", "num", "rupiah", "bool", "period"):
            what = {"date": "tanggal", "birth": "tanggal", "bool": "ya/tidak", "period": "bulan YYYY-MM"}.get(
                c.type, "angka")
            reasons.append(_reason("UNPARSEABLE", f"not monev_blank({raw}) and {p} is null",
                                   f"{prefix} || '{c.name} ' || {show} || ' tidak dapat dibaca sebagai {what}'"))
        if c.type == "int":
            reasons.append(_reason("UNPARSEABLE", f"{p} is not null and {p} <> floor({p})",
                                   f"{prefix} || '{c.name} ' || {show} || ' bukan bilangan bulat'"))
        if c.type in ("int", "num", "rupiah"):
            op, word = ("<=", "harus lebih dari 0") if c.positive else ("<", "tidak boleh negatif")
            reasons.append(_reason("NEGATIVE", f"{p} {op} 0",
                                   f"{prefix} || '{c.name} ' || {p}::varchar || ' {word}'"))
        if c.type == "nik":
            reasons.append(_reason("INVALID_NIK", f"not monev_blank({raw}) and not regexp_full_match({p}, '[0-9]{{16}}')",
                                   f"{prefix} || 'NIK tidak terdiri dari 16 digit'"))
        if c.enum:
            allowed = ENUMS.get(c.enum) or taxonomy.get(c.enum, set())
            reasons.append(_reason("INVALID_ENUM", f"{p} is not null and {p} not in {_in_list(allowed)}",
                                   f"{prefix} || '{c.name} ' || {show} || ' bukan kode yang dikenal'"))
    for first, second in DATE_ORDER.get(kind_name, ()):
        shown = "'(tanggal lahir)'" if first == "tanggal_lahir" else f"p.{first}::varchar"
        reasons.append(_reason("DATE_ORDER", f"p.{first} > p.{second}",
                               f"{prefix} || '{first} ' || {shown} || ' sesudah {second} ' || p.{second}::varchar"))
    if kind_name == "kegiatan":
        pairs = " ".join(f"when {_q(s)} then {_q(b)}" for s, b in sorted(subbidang_bidang.items()))
        reasons.append(_reason(
            "INVALID_ENUM",
            f"p.subbidang is not null and p.bidang is not null and p.subbidang in {_in_list(subbidang_bidang)} "
            f"and (case p.subbidang {pairs} end) <> p.bidang",
            f"{prefix} || 'subbidang ' || p.subbidang || ' bukan bagian dari bidang ' || p.bidang"))
    if kind_name == "produksi":
        reasons.append(_reason("QC_EXCEEDS", "p.jumlah_lolos_qc > p.jumlah_produksi",
                               f"{prefix} || 'jumlah_lolos_qc ' || p.jumlah_lolos_qc::varchar || ' > jumlah_produksi ' "
                               f"|| p.jumlah_produksi::varchar"))
    if kind_name == "penjualan":
        reasons.append(_reason("TOTAL_MISMATCH", "abs(p.total - p.jumlah * p.harga_satuan) > 1",
                               f"{prefix} || 'total ' || p.total::varchar || ' <> jumlah ' || p.jumlah::varchar "
                               f"|| ' x harga_satuan ' || p.harga_satuan::varchar"))
    key_parts = ", ".join(f"p.{k}" for k in kind.key)
    key_not_null = " and ".join(f"p.{k} is not null" for k in kind.key)
    reasons.append(_reason(
        "DUPLICATE_KEY", f"{key_not_null} and count(*) over (partition by s._file_id, {key_parts}) > 1",
        f"{prefix} || 'kunci {'/'.join(kind.key)} ' || concat_ws('/', {key_parts}) || ' muncul lebih dari sekali dalam file'"))
    for ref_kind, col in kind.references:
        reasons.append(_reason(
            "UNKNOWN_REFERENCE",
            f"p.{col} is not null and not exists (select 1 from sent_{ref_kind} x "
            f"where x.kode_upt = f.kode_upt and x.record_key = p.{col})",
            f"{prefix} || '{col} ' || p.{col} || ' tidak pernah dikirim UPT ini dalam file {ref_kind}'"))
    if kind_name == "pnbp":
        reasons.append(_reason(
            "DUPLICATE_NTPN",
            "p.ntpn is not null and exists (select 1 from ntpn_owner o where o.ntpn = p.ntpn and o.kode_upt <> f.kode_upt)",
            f"{prefix} || 'NTPN ' || p.ntpn || ' sudah dilaporkan UPT lain'"))
    parsed_cols = ",\n        ".join(f"{expr} as {name}" for name, expr in parsed.items())
    return f"""
with p0 as (
    select s._file_id, s._row_number,
        {parsed_cols}
    from stage_{kind_name} s
)
select s._file_id, s._row_number, f.kode_upt, f.bulan, f.load_id,
    p.* exclude (_file_id, _row_number),
    list_filter([
        {(',' + chr(10) + '        ').join(reasons)}
    ], lambda x: x is not null) as reasons
from stage_{kind_name} s
join p0 p on p._file_id = s._file_id and p._row_number = s._row_number
join batch_files f on f.file_id = s._file_id
"""
