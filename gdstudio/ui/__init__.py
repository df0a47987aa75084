"""Panels and views: QtWidgets and pyqtgraph. Each view draws the controller's latest frame."""
