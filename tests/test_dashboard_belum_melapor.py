"""KPI_DICTIONARY v2 on the dashboards: a UPT that did not report reads "belum melapor" (never 0 and
never a bare dash) in page tables, Excel downloads, the monev report (XLSX and PDF cells); national
and Kanwil figures carry their coverage; provisional periods say so with the reason; the map says what
grey means; a chart with no data is not drawn.

The fixture warehouse (tests/dash_fixtures.py) is copied and given what a v2 publication has: UPT0002
did not report for 2024Q3 (every count, sum and rate empty), coverage columns, and 2024Q3 provisional.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import build_warehouse, ctx  # noqa: E402

from dashboards import fmt  # noqa: E402
from dashboards.components import tabel_data  # noqa: E402
from dashboards.data import Gudang, Pengguna, Pilihan  # noqa: E402
from dashboards.excel import ke_xlsx  # noqa: E402
from dashboards.indikator import KOLOM_KPI, RASIO  # noqa: E402
from dashboards.pages import ringkasan  # noqa: E402
from dashboards.pdf import teks_sel  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
ALASAN = "setoran PNBP bulan terakhir datang bersama file bulan berikutnya"


def tandai_v2(path) -> tuple:
    """Give the fixture warehouse at ``path`` what a v2 publication has (see the module docstring);
    return (upt_melapor, upt_diharapkan) of the nation in 2024Q3. Also used by
    tests/test_dashboard_halaman_v2.py."""
    con = duckdb.connect(str(path))
    try:
        kosong = ", ".join(f"{c} = null" for c in KOLOM_KPI
                           if c not in ("file_diterima", "kelengkapan_laporan", "baris_dibaca", "baris_karantina"))
        con.execute(f"update kpi_indikator set {kosong}, file_diterima = 0, baris_dibaca = 0, baris_karantina = 0 "
                    "where level = 'upt' and kode = 'UPT0002' and periode = '2024Q3'")
        con.execute("update mart_kualitas_upt set file_diterima = 0, file_diterima_jatuh_tempo = 0, baris_dibaca = 0, "
                    "baris_karantina = 0, kelengkapan_laporan = 0, status_laporan = 'BELUM_MELAPOR' "
                    "where kode_upt = 'UPT0002' and periode = '2024Q3'")
        con.execute("alter table kpi_indikator add column upt_diharapkan bigint")
        con.execute("alter table kpi_indikator add column upt_melapor bigint")
        con.execute("update kpi_indikator set upt_diharapkan = 1, upt_melapor = case when file_diterima > 0 then 1 else 0 end "
                    "where level = 'upt'")
        con.execute("""update kpi_indikator k set upt_diharapkan = s.n, upt_melapor = s.m
                       from (select u.kode_kanwil, k2.periode, count(*) as n, sum(k2.upt_melapor) as m
                             from kpi_indikator k2 join dim_upt u on k2.kode = u.kode_upt where k2.level = 'upt'
                             group by all) s
                       where k.level = 'kanwil' and k.kode = s.kode_kanwil and k.periode = s.periode""")
        con.execute("""update kpi_indikator k set upt_diharapkan = s.n, upt_melapor = s.m
                       from (select periode, count(*) as n, sum(upt_melapor) as m from kpi_indikator
                             where level = 'upt' group by all) s
                       where k.level = 'nasional' and k.periode = s.periode""")
        con.execute("alter table dim_periode add column sementara boolean")
        con.execute("alter table dim_periode add column alasan_sementara varchar")
        con.execute(f"update dim_periode set sementara = periode = '2024Q3', "
                    f"alasan_sementara = case when periode = '2024Q3' then '{ALASAN}' end")
        expected = con.execute("select upt_melapor, upt_diharapkan from kpi_indikator where level = 'nasional' "
                               "and periode = '2024Q3'").fetchone()
    finally:
        con.close()
    return expected


@pytest.fixture(scope="module")
def gudang_v2(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("v2") / "monev.duckdb")
    expected = tandai_v2(path)
    g = Gudang(path)
    yield g, expected
    g.close()


def _teks(komponen) -> str:
    """Every string in a Dash component tree."""
    if komponen is None:
        return ""
    if isinstance(komponen, str):
        return komponen
    if isinstance(komponen, (list, tuple)):
        return " ".join(_teks(k) for k in komponen)
    anak = getattr(komponen, "children", None)
    return _teks(anak)


def test_upt_table_and_excel_show_belum_melapor(gudang_v2):
    g, _ = gudang_v2
    df = g.indikator_upt(PUSAT, Pilihan(), "2024Q3")
    row = df[df.kode_upt == "UPT0002"].iloc[0]
    assert fmt.kosong(row.populasi_akhir) and fmt.kosong(row.pendapatan)  # empty, not 0
    blok = tabel_data(df, "uji", kolom=["kode_upt", "populasi_akhir", "pendapatan", "qc_pass_rate"])
    tabel = blok.children[-1]
    data = {r["kode_upt"]: r for r in tabel.data}
    assert data["UPT0002"]["populasi_akhir"] == "belum melapor"
    assert data["UPT0002"]["pendapatan"] == "belum melapor"
    assert data["UPT0001"]["populasi_akhir"] not in (None, "belum melapor")
    wb = openpyxl.load_workbook(io.BytesIO(ke_xlsx([("UPT", df[["kode_upt", "populasi_akhir", "pendapatan"]])])))
    ws = wb.active
    cells = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert cells["UPT0002"] == ("belum melapor", "belum melapor")
    assert isinstance(cells["UPT0001"][0], (int, float))


def test_pdf_cells_show_belum_melapor_for_counts_and_a_dash_for_rates():
    assert teks_sel("populasi_akhir", None) == "belum melapor"
    assert teks_sel("pendapatan", float("nan")) == "belum melapor"
    assert teks_sel(next(iter(RASIO)), None) == fmt.KOSONG  # an empty rate may be a zero denominator


def test_national_page_shows_coverage_and_provisional_reason(gudang_v2):
    g, (melapor, diharapkan) = gudang_v2
    teks = _teks(ringkasan.tampilan(ctx(g, PUSAT)))
    assert f"Dihitung dari {fmt.format_angka(melapor)} dari {fmt.format_angka(diharapkan)} UPT" in teks
    assert melapor == diharapkan - 1
    assert f"Angka sementara: {ALASAN}" in teks
    # a period that is final carries no provisional mark
    assert "Angka sementara" not in _teks(ringkasan.tampilan(ctx(g, PUSAT, periode="2024Q2")))


def test_upt_page_says_the_unit_did_not_report(gudang_v2):
    g, _ = gudang_v2
    teks = _teks(ringkasan.tampilan(ctx(g, PUSAT, upt="UPT0002")))
    assert "belum melapor" in teks
    kartu = {k["kolom"]: k["teks"] for k in ringkasan.data_kartu(ctx(g, PUSAT, upt="UPT0002"))}
    assert kartu["pendapatan"] == "belum melapor"


def test_map_legend_says_what_grey_means(gudang_v2):
    g, _ = gudang_v2
    fig = ringkasan.fig_peta(ctx(g, PUSAT))
    assert fig is not None
    assert any("Abu-abu: belum melapor" in a.text for a in fig.layout.annotations)


def test_no_revenue_chart_with_invented_axes_when_nothing_was_reported(tmp_path):
    """A unit with no reported revenue in any quarter gets the empty state, not a chart on -1..1."""
    path = build_warehouse(tmp_path / "kosong.duckdb")
    con = duckdb.connect(str(path))
    con.execute("update kpi_indikator set pendapatan = null, pnbp_disetor = null where level = 'upt' and kode = 'UPT0002'")
    con.close()
    g = Gudang(path)
    try:
        assert ringkasan.fig_tren_pendapatan(ctx(g, PUSAT, upt="UPT0002")) is None
        assert ringkasan.fig_tren_pendapatan(ctx(g, PUSAT, upt="UPT0001")) is not None
    finally:
        g.close()


def test_sektor_shows_qc_per_unit_and_says_units_are_mixed(tmp_path):
    """QC across products is shown per canonical unit (kpi_rincian dimensi satuan, straight from the
    mart: 90 of 100 kg, 45 of 50 pcs, never 135 of 150 'units'), and the mixed-unit rates say so."""
    from dashboards.pages import sektor

    path = build_warehouse(tmp_path / "satuan.duckdb")
    con = duckdb.connect(str(path))
    con.execute("insert into kpi_rincian values ('nasional', 'NASIONAL', '2024Q3', 'satuan', 'kg', null, 100, 90, 0.9), "
                "('nasional', 'NASIONAL', '2024Q3', 'satuan', 'pcs', null, 50, 45, 0.9)")
    con.close()
    g = Gudang(path)
    try:
        c = ctx(g, PUSAT)
        per_satuan = sektor.tabel_rincian(c, "satuan")
        assert sorted(per_satuan.satuan) == ["kg", "pcs"]
        assert list(per_satuan.sort_values("satuan").produksi_unit.astype(float)) == [100.0, 50.0]
        teks = _teks(sektor.tampilan(c))
        assert "satuan campuran" in teks and "Produksi dan lolos QC per satuan" in teks
    finally:
        g.close()
