"""Exports for slides: each file opens in a standard reader and holds what the plot shows."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QGuiApplication

from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.screenshot import save_png
from gdstudio.ui.view_export import copy_views_to_clipboard, export_pdf, export_svg, plot_widgets, render_view

SVG = "{http://www.w3.org/2000/svg}"


def ran(open_window, qtbot, steps=60, **kw):
    w = open_window(RunSetup(problem="linear-regression", lr=0.05, samples=80, **kw))
    c = w.controller
    c.set_max_steps(steps)
    c.play()
    qtbot.waitUntil(lambda: c.frame is not None and c.frame.step >= steps, timeout=30_000)
    return w


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def test_svg_of_the_loss_curve_is_xml_holding_its_curve(open_window, qtbot, tmp_path):
    w = ran(open_window, qtbot)
    path = tmp_path / "loss.svg"
    export_svg(plot_widgets(w)["loss"], path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    points = np.array(
        [[float(v) for v in xy.split(",")] for line in root.iter(f"{SVG}polyline") for xy in line.get("points").split()]
    )
    # Every point of the run's curve, as the plot draws it, is in the file.
    xs, ys = w.loss_view._full[0].getData()
    assert len(xs) >= 50
    for x, y in zip(xs, ys):
        assert np.min(np.abs(points[:, 0] - x) + np.abs(points[:, 1] - y)) < 1e-4, (x, y)


def test_every_2d_plot_exports_as_svg_and_pdf(open_window, qtbot, tmp_path):
    w = ran(open_window, qtbot, steps=20)
    w.set_views(["map", "loss", "slice", "data"])
    for name in ("map", "slice", "data"):
        plot = plot_widgets(w)[name]
        export_svg(plot, tmp_path / f"{name}.svg")
        assert ET.parse(tmp_path / f"{name}.svg").getroot().tag == f"{SVG}svg", name
        export_pdf(plot, tmp_path / f"{name}.pdf")
        data = (tmp_path / f"{name}.pdf").read_bytes()
        assert data.startswith(b"%PDF-") and pdf_pages(data) == 1, name


def test_png_of_a_plot_has_the_chosen_size_and_shows_the_plot(open_window, qtbot, tmp_path):
    w = ran(open_window, qtbot, steps=20)
    path = tmp_path / "map.png"
    save_png(render_view(w, "map", 1800, 1200), path)
    with Image.open(path) as png:
        assert png.size == (1800, 1200)
        colours = png.convert("RGB").resize((60, 40)).getcolors(4000)
    assert len(colours) > 20  # the coloured map, not a blank page


def test_a_size_out_of_range_is_refused(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    with pytest.raises(Exception, match="between 16 and 8000 pixels"):
        render_view(w, "map", 10, 20_000)


def test_copy_puts_the_views_on_the_clipboard(open_window, qtbot):
    w = ran(open_window, qtbot, steps=10)
    image = copy_views_to_clipboard(w)
    got = QGuiApplication.clipboard().image()
    assert not got.isNull() and got.size() == image.size() and image.width() > 300


@pytest.mark.gl
def test_png_of_the_3d_view_has_the_chosen_size(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="himmelblau", lr=0.01), gl=True)
    qtbot.waitUntil(lambda: w.surface_view.view.isValid(), timeout=30_000)
    path = tmp_path / "surface.png"
    save_png(render_view(w, "surface", 1600, 900), path)

    with Image.open(path) as png:
        assert png.size == (1600, 900)
        colours = png.convert("RGB").resize((64, 36)).getcolors(5000)
    assert len(colours) > 30  # the coloured surface was drawn


def test_the_export_dialog_writes_the_chosen_view_format_and_size(open_window, qtbot, tmp_path):
    from gdstudio.ui.export_dialog import ExportViewDialog

    w = ran(open_window, qtbot, steps=10)
    dialog = ExportViewDialog(w)
    qtbot.addWidget(dialog)
    dialog.view.setCurrentIndex(dialog.view.findData("loss"))
    dialog.format.setCurrentText("PNG")
    dialog.width_px.setValue(640)
    dialog.height_px.setValue(480)
    dialog.export(tmp_path / "loss.png")
    with Image.open(tmp_path / "loss.png") as png:
        assert png.size == (640, 480)
    dialog.format.setCurrentText("SVG")
    assert not dialog.width_px.isEnabled()
    dialog.export(tmp_path / "loss.svg")
    assert ET.parse(tmp_path / "loss.svg").getroot().tag == f"{SVG}svg"


def test_a_view_that_cannot_be_written_whole_is_an_error_not_a_cut_file(open_window, qtbot, tmp_path, capfd):
    """Qt's SVG and PDF writers report no write error: on a full disk an export was told as saved."""
    from gdstudio.core.errors import ConfigError

    w = ran(open_window, qtbot)
    plot = plot_widgets(w)["map"]
    for write in (
        lambda path: export_svg(plot, path),
        lambda path: export_pdf(plot, path),
        lambda path: save_png(render_view(w, "map", 200, 150), path),
    ):
        with pytest.raises(ConfigError, match="cannot write /dev/full: No space left on device"):
            write(Path("/dev/full"))
    assert "libpng" not in capfd.readouterr().err  # no second line from the encoder
