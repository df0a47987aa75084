"""Pixel invariants for pictures of the app (no golden images)."""

import numpy as np
from PySide6.QtGui import QImage


def to_array(image: QImage) -> np.ndarray:
    """RGB array ``(h, w, 3)`` of a QImage."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w = image.height(), image.width()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : w * 3].reshape(h, w, 3).copy()


def share_unlike(rgb: np.ndarray, color: str, tol: int = 12) -> float:
    """Fraction of pixels that differ from ``color`` (e.g. the background)."""
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(rgb.astype(int) - target).max(axis=2) > tol).mean())


def count_near(rgb: np.ndarray, color: str, tol: int = 40) -> int:
    """Pixels within ``tol`` of ``color`` in every channel."""
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb.astype(int) - target).max(axis=2) <= tol).sum())


def distinct_colors(rgb: np.ndarray) -> int:
    """Distinct colours after rounding each channel to 16 levels."""
    q = (rgb // 16).reshape(-1, 3).astype(int)
    return len(np.unique(q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]))
