"""Role-aware navigation, labels instead of codes, one formatter, chart titles, URL corrections,
download names and the UPT finder (issue 15), on the fixture warehouse without a browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dash_fixtures import ctx, gudang, wh  # noqa: E402,F401 (fixtures)

from dashboards import fmt  # noqa: E402
from dashboards.app import (  # noqa: E402
    INDIKATOR_BAKU, buat_unduhan, koreksi_query, layout_utama, normalisasi, render_halaman, unit_pengguna, urut_periode,
)
from dashboards.components import grafik  # noqa: E402
from dashboards.data import Pengguna  # noqa: E402
from dashboards.pages import BERANDA, HALAMAN, judul, perbandingan, profil_upt, sektor, untuk_peran  # noqa: E402
from dagster_project.spec import ENUMS  # noqa: E402

PUSAT = Pengguna("pusat", "ditjenpas")
KW01 = Pengguna("kw01", "kanwil", "KW01")
UPT4 = Pengguna("upt4", "upt", "UPT0004")
PERAN = [PUSAT, KW01, UPT4]


def _semua(komponen) -> list:
    """Every Dash component in a layout tree (depth first)."""
    out, tumpukan = [], [komponen]
    while tumpukan:
        k = tumpukan.pop()
        if isinstance(k, (list, tuple)):
            tumpukan.extend(k)
            continue
        if not hasattr(k, "to_plotly_json"):
            continue
        out.append(k)
        anak = getattr(k, "children", None)
        if anak is not None:
            tumpukan.append(anak)
    return out


def _teks(komponen) -> str:
    return json.dumps(komponen.to_plotly_json(), default=str)


# ---------------------------------------------------------------------- labels and formats
def test_every_enumerated_code_has_an_indonesian_label():
    for dimensi in ("tahap", "kanal", "jenis_pembeli", "jenis_kegiatan", "sumber_dana", "standar_mutu"):
        for kode in ENUMS[dimensi]:
            teks = fmt.label_kode(dimensi, kode)
            assert "_" not in teks and teks != kode or kode in ("SNI", "P-IRT", "DIPA", "PNBP"), (dimensi, kode, teks)
    assert fmt.label_kode("kanal", "MEDIA_SOSIAL") == "Media sosial"
    assert fmt.label_kode("kanal", "IKLAN_ONLINE") == "Iklan daring"
    assert fmt.label_kode("tahap", "MONEV") == "Monitoring dan evaluasi"
    # from the taxonomy seeds
    assert fmt.label_kode("bidang", "PERTANIAN_PERIKANAN") == "Pertanian dan Perikanan"
    assert fmt.label_kode("subbidang", "TANAMAN_PANGAN") == "Tanaman Pangan"
    assert fmt.label_kode("kelas_industri", "MIKRO") == "Industri mikro"
    # "-" is never a label; an unknown code reads as words
    assert fmt.label_kode("kelas_industri", "-") == "Bukan sektor industri"
    assert fmt.label_kode("bidang", None) == "Bidang tidak dilaporkan"
    assert fmt.label_kode("subbidang", "MEUBELER_KAYU_BARU") == "Meubeler kayu baru"


def test_labeli_turns_code_columns_into_labels_and_keeps_others():
    df = pd.DataFrame({"kanal": ["MEDIA_SOSIAL"], "bidang": ["INDUSTRI"], "kelas_industri": ["-"], "kode_upt": ["UPT0001"]})
    out = fmt.labeli(df)
    assert out.iloc[0].tolist() == ["Media sosial", "Industri", "Bukan sektor industri", "UPT0001"]
    assert df.kanal.iloc[0] == "MEDIA_SOSIAL"  # a copy: the page's data is not changed


def test_negative_rupiah_is_written_one_way():
    assert fmt.format_rupiah(-706800) == "-Rp 706.800"
    assert fmt.format_rupiah_ringkas(-2_500_000) == "-Rp 2,5 juta"
    from dashboards.components import _format_kolom

    _, f = _format_kolom("rupiah")
    spec = f.to_plotly_json() if hasattr(f, "to_plotly_json") else f
    assert spec["locale"]["minus"] == "-" and spec["locale"]["symbol"][0] == "Rp "


def test_counts_have_no_decimal_zero():
    from dashboards.components import _format_kolom

    _, f = _format_kolom("desimal")
    spec = f.to_plotly_json() if hasattr(f, "to_plotly_json") else f
    assert "~" in spec["specifier"]  # 586.787 (not 586.787,0), 12,5 stays 12,5


def test_sector_tables_show_labels_not_codes(gudang):
    out = sektor.tampilan(ctx(gudang, PUSAT))
    data = [r for k in _semua(out) if type(k).__name__ == "DataTable" for r in k.data]
    teks = json.dumps(data)
    assert data
    for kode in (*ENUMS["bidang"], *ENUMS["tahap"], *ENUMS["kanal"]):
        assert f'"{kode}"' not in teks, kode
    assert '"-"' not in teks


def test_upt_profile_charts_and_tables_use_labels(gudang):
    c = ctx(gudang, PUSAT, upt="UPT0001")
    kanal = profil_upt.fig_kanal(c)
    if kanal is not None:
        for t in kanal.data:
            assert not set(t.y) & set(ENUMS["kanal"]) and t.name not in ENUMS["jenis_pembeli"]
    tahap = profil_upt.fig_tahap(c)
    if tahap is not None:
        for t in tahap.data:
            assert not set(t.y) & set(ENUMS["tahap"])


# ---------------------------------------------------------------------- role-aware navigation
def test_each_role_lands_on_its_first_question(gudang):
    assert BERANDA == {"ditjenpas": "/ringkasan", "kanwil": "/perbandingan", "upt": "/upt"}
    teks = _teks(render_halaman(gudang, KW01, "/", {"periode": "2024Q3"}))
    assert "Perbandingan UPT" in teks
    teks = _teks(render_halaman(gudang, UPT4, "/", {"periode": "2024Q3"}))
    assert "Profil UPT" in teks and "UPT0004" in teks
    teks = _teks(render_halaman(gudang, PUSAT, "/", {"periode": "2024Q3"}))
    assert "Ringkasan Nasional" in teks


def test_pages_meaningless_for_a_role_are_not_offered(gudang):
    assert not untuk_peran(perbandingan, "upt")
    lay = layout_utama(gudang, UPT4)
    nav = [k for k in _semua(lay) if type(k).__name__ == "NavItem"]
    terlihat = [n.children.children for n in nav if not (n.style or {}).get("display") == "none"]
    assert "Perbandingan Kanwil" not in terlihat and "Perbandingan UPT" not in terlihat
    assert "Ringkasan UPT" in terlihat and "Ringkasan Nasional" not in terlihat
    teks = _teks(render_halaman(gudang, UPT4, "/perbandingan", {"periode": "2024Q3"}))
    assert "tidak berwenang" in teks.lower()
    assert judul(perbandingan, "kanwil") == "Perbandingan UPT" and judul(perbandingan, "ditjenpas") == "Perbandingan Kanwil"


def test_badge_and_disabled_filters_name_the_unit(gudang):
    info = gudang.info_upt(UPT4, "UPT0004")
    unit = unit_pengguna(gudang, UPT4)
    assert unit["nama"] == info["nama_upt"]
    lay = layout_utama(gudang, UPT4)
    semua = {getattr(k, "id", None): k for k in _semua(lay)}
    assert info["nama_upt"] in semua["info-pengguna"].children and "UPT UPT0004" not in semua["info-pengguna"].children
    assert semua["f-kanwil"].disabled and semua["f-kanwil"].placeholder == info["nama_kanwil"]
    assert semua["f-upt"].placeholder == info["nama_upt"]
    lay = layout_utama(gudang, KW01)
    semua = {getattr(k, "id", None): k for k in _semua(lay)}
    nama_kw = gudang.daftar_kanwil(KW01).nama_kanwil.iloc[0]
    assert semua["f-kanwil"].placeholder == nama_kw != "Semua"
    assert nama_kw in semua["info-pengguna"].children


def test_ranking_indicator_default_is_visible(gudang):
    n = normalisasi(gudang, PUSAT, {})
    assert n["indikator"] == INDIKATOR_BAKU
    semua = {getattr(k, "id", None): k for k in _semua(layout_utama(gudang, PUSAT))}
    assert semua["f-indikator"].clearable is False


@pytest.mark.parametrize("p", PERAN, ids=lambda p: p.role)
def test_every_chart_title_states_period(gudang, p):
    periode = "2024Q3"
    for h in HALAMAN:
        if not untuk_peran(h, p.role) or h.PATH == "/unggah":
            continue
        nilai = {"periode": periode, **({"upt": "UPT0001"} if h.PATH == "/upt" and p is PUSAT else {})}
        out = render_halaman(gudang, p, h.PATH, nilai)
        judul_grafik = [k.children for k in _semua(out) if "judul-grafik" in (getattr(k, "className", "") or "")]
        grafik_ = [k for k in _semua(out) if type(k).__name__ == "Graph"]
        assert len(judul_grafik) == len(grafik_), h.PATH
        for j in judul_grafik:
            assert any(s in j for s in ("Triwulan", "Semester", "Tahun")) and any(c.isdigit() for c in j), (h.PATH, j)
        for g in grafik_:
            assert "title" not in g.figure["layout"]  # the heading above it, not a cut-off SVG title


def test_grafik_moves_the_title_out_of_the_svg():
    import plotly.graph_objects as go

    from dashboards.components import gaya_fig

    fig = gaya_fig(go.Figure(go.Bar(x=[1], y=[2])), "Judul panjang sekali · Triwulan III 2024")
    out = grafik(fig, "g")
    h6, graph = out.children
    assert h6.children == "Judul panjang sekali · Triwulan III 2024" and "title" not in graph.figure["layout"]
    assert graph.figure["layout"]["legend"]["y"] > 1  # legend above the plot, never on the x labels


def test_rate_heatmaps_have_a_fixed_range(gudang):
    fig = perbandingan.fig_kanwil_per_periode(ctx(gudang, PUSAT), batas_batang=1)
    if fig is not None and fig.data and fig.data[0].type == "heatmap":
        assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 1)
    fig = perbandingan.fig_heatmap(ctx(gudang, PUSAT))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 1)


def test_loss_card_is_red_only_with_a_loss(gudang):
    out = sektor.tampilan(ctx(gudang, PUSAT))
    k = [c for c in _semua(out) if getattr(c, "id", None) == "kartu-rugi"][0]
    jumlah = k.children.children[1].children
    merah = "borderLeft" in (getattr(k, "style", None) or {})
    assert merah == (jumlah != "0")


# ---------------------------------------------------------------------- URL, periods, downloads
def test_invalid_url_parameters_are_named_and_corrected(gudang):
    mentah = {"periode": "2019Q1", "indikator": "bukan_indikator", "kanwil": "KW01' or 1=1"}
    nilai = normalisasi(gudang, PUSAT, mentah)
    pesan = koreksi_query(mentah, nilai)
    assert len(pesan) == 3
    assert "2019Q1" in pesan[0] and fmt.label_periode(nilai["periode"]) in pesan[0]
    assert any("bukan_indikator" in s for s in pesan)
    assert koreksi_query({"periode": "2024Q3"}, normalisasi(gudang, PUSAT, {"periode": "2024Q3"})) == []
    assert koreksi_query({}, normalisasi(gudang, PUSAT, {})) == []


def test_period_options_are_grouped_and_newest_first(gudang):
    per = gudang.daftar_periode(PUSAT)
    kode = [k for k, _ in urut_periode(per)]
    jenis = per.set_index("periode").jenis_periode
    urutan = [jenis[k] for k in kode]
    assert urutan == sorted(urutan, key=["TRIWULAN", "SEMESTER", "TAHUN"].index)
    tw = [k for k in kode if jenis[k] == "TRIWULAN"]
    assert tw == sorted(tw, reverse=True)


def test_download_names_carry_the_unit(gudang):
    a, _ = buat_unduhan(gudang, UPT4, "upt_qc", {"periode": "2024Q3"})
    b, _ = buat_unduhan(gudang, PUSAT, "upt_qc", {"periode": "2024Q3", "upt": "UPT0001"})
    c, _ = buat_unduhan(gudang, KW01, "perbandingan_peringkat_upt", {"periode": "2024Q3"})
    assert "UPT0004" in a and "UPT0001" in b and a != b
    assert "KW01" in c


def test_downloaded_tables_carry_labels(gudang):
    import io

    import openpyxl

    _, data = buat_unduhan(gudang, PUSAT, "sektor_bidang", {"periode": "2024Q3"})
    isi = [c.value for ws in openpyxl.load_workbook(io.BytesIO(data)) for row in ws.iter_rows() for c in row]
    assert not set(ENUMS["bidang"]) & set(isi)


# ---------------------------------------------------------------------- the UPT finder
def test_upt_finder_searches_name_and_code_within_filters(gudang):
    c = ctx(gudang, PUSAT)
    semua, total = profil_upt.cari_upt(c, None)
    assert total == len(gudang.daftar_upt(PUSAT)) and len(semua) <= profil_upt.BATAS_CARI
    contoh = semua.iloc[0]
    df, n = profil_upt.cari_upt(c, contoh.kode_upt.lower())
    assert list(df.kode_upt) == [contoh.kode_upt] and n == 1
    kata = contoh.nama_upt.split()[-1]
    df, _ = profil_upt.cari_upt(c, kata)
    assert contoh.kode_upt in set(df.kode_upt) and all(kata.lower() in x.lower() for x in df.nama_upt + df.nama_kanwil + df.kode_upt)
    df, _ = profil_upt.cari_upt(ctx(gudang, PUSAT, kanwil="KW02"), None)
    assert set(df.kode_kanwil) == {"KW02"}
    df, _ = profil_upt.cari_upt(ctx(gudang, KW01), None)
    assert set(df.kode_kanwil) == {"KW01"}  # a Kanwil finds only its own UPTs
    teks = _teks(profil_upt.tampilan(ctx(gudang, PUSAT)))
    assert "cari-upt" in teks and "hasil-cari-upt" in teks
