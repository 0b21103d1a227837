"""A synthetic national-scale working warehouse (530 UPTs x 12 months, about 6.2M raw rows).

Regular, not realistic: it exists to time `dbt build` at national scale and to compare the marts
with tests/kpi_reference.py on a large input (tests/test_dbt_scale.py, opt-in).
"""

from __future__ import annotations

import os

import duckdb

from fixtures_dbt import create_all

KINDS = ("narapidana", "kegiatan", "peserta", "produksi", "penjualan", "pnbp")


def build_national_warehouse(path: str | os.PathLike, NU: int = 530) -> dict[str, int]:
    """Create and fill the warehouse; returns the number of raw rows per kind."""
    con = duckdb.connect(str(path))
    try:
        create_all(con)
        con.execute(f"""insert into ref.upt select printf('UPT%04d', i), 'UPT '||i, 'LAPAS', 'IIA', printf('KW%02d', i % 33), 'Kanwil '||(i%33), 'Prov', 500 from range(1, {NU}+1) t(i)""")
        # files: one per upt x kind x month, file_id = upt*100 + kind_idx*12 + month
        con.execute(f"""insert into meta.file_registry (file_id, load_id, path, file_name, kode_upt, kind, bulan, sha256, size_bytes, mtime_ns,
          received_at, registered_at, status, rows_read, rows_loaded, rows_quarantined, is_current)
          select u*100 + k*12 + m, 1, 'p', 'f', printf('UPT%04d', u), (['narapidana','kegiatan','peserta','produksi','penjualan','pnbp'])[k+1],
             make_date(2024, m, 1), 's', 1, 0, make_date(2024, m, 1) + interval 40 day, now(), 'LOADED', 100, 100, 0, true
          from range(1, {NU}+1) a(u), range(0, 6) b(k), range(1, 13) c(m)""")
        # narapidana: 500 inmates per UPT, each present in every month file (12 x 530 x 500 = 3.18M)
        con.execute(f"""insert into raw.narapidana select printf('UPT%04d', u), make_date(2024, m, 1), 'R'||i, 'h', 'L', '26-35',
           date '2023-06-01' + cast((i*7) % 500 as integer), 200 + (i*13) % 1500, case when i % 10 = 0 then date '2024-06-01' + cast(i % 100 as integer) end,
           case when i % 3 = 0 then date '2023-06-05' + cast((i*7) % 500 as integer) end, case when i % 3 = 0 then (['PELATIHAN','PRODUKSI','PELATIHAN_PRODUKSI','TIDAK_ADA'])[i % 4 + 1] end, null,
           u*100 + 0*12 + m, i, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 501) d(i)""")
        con.execute(f"""insert into raw.kegiatan select printf('UPT%04d', u), make_date(2024, m, 1), 'K'||j, 'Keg', case when j % 2 = 0 then 'PELATIHAN' else 'PRODUKSI' end,
           (['PERTANIAN_PERIKANAN','JASA','INDUSTRI'])[j % 3 + 1], 'MAKANAN_MINUMAN', date '2023-12-01' + cast(j*10 as integer), null, 'PELAKSANAAN', 1000000, 500000, 'DIPA', null, null, true,
           null, null, null, null, null, null, null, null, u*100 + 12 + m, j, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 21) d(j)""")
        con.execute(f"""insert into raw.peserta select printf('UPT%04d', u), make_date(2024, m, 1), 'R'||i, 'K'||(i % 20 + 1), date '2024-01-01' + cast(i % 300 as integer), null, 'AKTIF', null, null, null, null, 20, 50000,
           u*100 + 24 + m, i, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 201) d(i)""")
        con.execute(f"""insert into raw.produksi select printf('UPT%04d', u), make_date(2024, m, 1), 'B'||i, 'K'||(i % 20 + 1), make_date(2024, m, 1 + i % 28), 'P', 'pcs', 100, 90, 'SNI', 1000,
           u*100 + 36 + m, i, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 51) d(i)""")
        con.execute(f"""insert into raw.penjualan select printf('UPT%04d', u), make_date(2024, m, 1), 'T'||m||'-'||i, make_date(2024, m, 1 + i % 28), 'K'||(i % 20 + 1), 'P', 1, 1000, 1000,
           (['MARKETPLACE','WEBSITE','MALL','LANGSUNG'])[i % 4 + 1], case when i % 2 = 0 then 'INTERNAL' else 'EKSTERNAL' end, null,
           u*100 + 48 + m, i, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 201) d(i)""")
        con.execute(f"""insert into raw.pnbp select printf('UPT%04d', u), make_date(2024, m, 1), printf('N%04d%02d%02d', u, m, i), make_date(2024, m, 10), 100000, make_date(2024, m, 1), null, null,
           u*100 + 60 + m, i, 1
           from range(1, {NU}+1) a(u), range(1, 13) c(m), range(1, 6) d(i)""")
        return {k: con.execute(f"select count(*) from raw.{k}").fetchone()[0] for k in KINDS}
    finally:
        con.close()
