"""*File → Export view…*: one view as SVG, PDF or PNG at a chosen size, for slides."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QSpinBox

from ..core.errors import ConfigError
from .screenshot import save_png
from .view_export import MAX_SIDE, PLOT_NAMES, export_pdf, export_svg, plot_widgets, render_view

VIEW_TITLES = {"surface": "3D surface", "map": "Map", "loss": "Loss curve", "slice": "1-D slice", "data": "Data fit"}
FORMATS = ("PNG", "SVG", "PDF")


class ExportViewDialog(QDialog):
    """Which view, which format, and for a PNG how many pixels."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("Export view")
        self.window_ = window
        self.view = QComboBox()
        for name, widget in window.view_widgets().items():
            if widget.isVisibleTo(window) and (name != "surface" or getattr(window, "surface_view", None)):
                self.view.addItem(VIEW_TITLES[name], name)
        self.format = QComboBox()
        self.format.addItems(FORMATS)
        self.width_px, self.height_px = QSpinBox(), QSpinBox()
        for box, value in ((self.width_px, 1920), (self.height_px, 1080)):
            box.setRange(16, MAX_SIDE)
            box.setValue(value)
            box.setSuffix(" px")
        form = QFormLayout(self)
        form.addRow("View", self.view)
        form.addRow("Format", self.format)
        form.addRow("Width", self.width_px)
        form.addRow("Height", self.height_px)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.view.currentIndexChanged.connect(self._update)
        self.format.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        png = self.format.currentText() == "PNG"
        self.width_px.setEnabled(png)
        self.height_px.setEnabled(png)
        vector_ok = self.view.currentData() in PLOT_NAMES
        for i in (1, 2):  # SVG and PDF: 2D plots only
            self.format.model().item(i).setEnabled(vector_ok)
        if not vector_ok and not png:
            self.format.setCurrentIndex(0)

    def export(self, path: Path) -> None:
        """Write the chosen view in the chosen format to ``path``."""
        name, kind = self.view.currentData(), self.format.currentText()
        if kind == "PNG":
            save_png(render_view(self.window_, name, self.width_px.value(), self.height_px.value()), path)
        elif kind == "SVG":
            export_svg(plot_widgets(self.window_)[name], path)
        else:
            export_pdf(plot_widgets(self.window_)[name], path)


def ask_export_view(window) -> None:
    dialog = ExportViewDialog(window)
    if dialog.view.count() == 0 or not dialog.exec():
        return
    kind = dialog.format.currentText()
    suggested = f"{dialog.view.currentData()}.{kind.lower()}"
    path, _ = QFileDialog.getSaveFileName(window, "Export view", suggested, f"{kind} (*.{kind.lower()})")
    if not path:
        return
    try:
        dialog.export(Path(path))
    except (ConfigError, OSError) as exc:
        window.show_error(f"Could not export the view: {exc}")
        return
    window.statusBar().showMessage(f"Saved {path}", 5000)
