"""README screenshots (dashboards/screenshots.py): small palette PNGs, 1280 px wide, of drawn pages."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from dashboards import screenshots


def _png(width: int, height: int) -> bytes:
    img = Image.new("RGB", (width, height), "white")
    for x in range(0, width, 7):  # many colours: quantisation must reduce them
        for y in range(0, height, 50):
            img.putpixel((x, y), (x % 256, y % 256, (x * y) % 256))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_optimise_scales_crops_and_quantises():
    small = Image.open(io.BytesIO(screenshots._optimise(_png(2560, 5000), 1200)))
    assert small.size == (1280, 1200) and small.mode == "P"
    assert len(small.getcolors(4096)) <= screenshots.COLOURS
    tall = Image.open(io.BytesIO(screenshots._optimise(_png(1280, 9000), 10**6)))
    assert tall.size == (1280, screenshots.MAX_HEIGHT)


def test_missing_warehouse_is_one_sentence(tmp_path, capsys):
    assert screenshots.main(["--warehouse", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nope.duckdb" in err and err.count("\n") == 1


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(screenshots.CHROMIUM), reason="Chromium not installed")
def test_screenshots_of_the_four_pages(demo_pipeline, tmp_path):
    written = screenshots.shoot(demo_pipeline.warehouse, tmp_path)
    assert [p.name for p, _ in written] == ["ringkasan.png", "perbandingan.png", "profil_upt.png", "kualitas.png"]
    for path, size in written:
        img = Image.open(path)
        assert img.mode == "P" and img.width == 1280 and 600 < img.height <= screenshots.MAX_HEIGHT, path
        assert size == path.stat().st_size < 150 * 1024, path
        assert len(img.getcolors(4096)) > 8, path  # a drawn page, not a blank one
