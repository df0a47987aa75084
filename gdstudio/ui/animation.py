"""Export a run as an animated GIF: the views replayed at evenly spread steps.

The frames are drawn in the GUI thread, one per timer tick, so the window
stays painted; turning them into a GIF (Pillow's palette reduction, the
slow part) happens in a worker thread, and the file is written whole or not
at all.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from ..controller.replay import replay_frames
from ..core import ConfigError
from ..core.atomic_file import atomic_path
from .screenshot import picture

#: Frames of a GIF, its width in pixels, and how long each frame and the last one show.
FRAMES = 60
WIDTH = 800
FRAME_MS = 100
HOLD_MS = 2_000


class AnimationRecorder(QObject):
    """Replays ``window``'s current run into the GIF ``path``.

    The run is paused while its frames are drawn and the window takes no
    input; afterwards it shows the run as it was. :attr:`finished` carries
    the path written, :attr:`failed` one sentence.
    """

    progressed = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, window, path: Path, frames: int = FRAMES, width: int = WIDTH) -> None:
        super().__init__(window)
        self._window, self._path, self._width = window, Path(path), width
        self._frames = replay_frames(window.controller.frame, frames)
        self._images: list[Image.Image] = []
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._draw_next)
        self._thread: threading.Thread | None = None
        self._cancelled = threading.Event()

    @property
    def frame_count(self) -> int:
        return len(self._frames)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or (self._thread is not None and self._thread.is_alive())

    def start(self) -> None:
        self._window.controller.pause()
        self._window.set_recording(True)
        self._timer.start()

    def cancel(self) -> None:
        """Stop drawing or encoding and write nothing; waits for the worker thread."""
        self._cancelled.set()
        if self._timer.isActive():
            self._timer.stop()
            self._window.set_recording(False)
        if self._thread is not None:
            self._thread.join()

    def _draw_next(self) -> None:
        w = self._window
        w.draw_views(self._frames[len(self._images)])
        image = picture(w.centralWidget(), w.surface_view)
        if image.width() > self._width:
            image = image.scaledToWidth(self._width, Qt.TransformationMode.SmoothTransformation)
        self._images.append(_to_pillow(image))
        self.progressed.emit(len(self._images), len(self._frames))
        if len(self._images) == len(self._frames):
            self._timer.stop()
            w.set_recording(False)
            self._thread = threading.Thread(target=self._encode, name="gif-encoder", daemon=True)
            self._thread.start()

    def _encode(self) -> None:
        """In the worker thread: reduce each frame to its own 256 colours, dithered, and write
        the GIF whole.

        One palette for all frames banded the smooth colour map (a frame's colours are not the
        last frame's); a palette per frame and error diffusion keep the gradients smooth.
        """
        try:
            frames = []
            for image in self._images:
                if self._cancelled.is_set():
                    return
                palette = image.quantize(256, method=Image.Quantize.FASTOCTREE)
                frames.append(image.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG))
            durations = [FRAME_MS] * (len(frames) - 1) + [HOLD_MS]
            with atomic_path(self._path) as target:
                frames[0].save(
                    target, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0
                )
        except Exception as exc:  # whatever it is, the window must hear of it: nothing else waits on this thread
            reason = str(exc) if isinstance(exc, (OSError, ConfigError)) else f"{type(exc).__name__}: {exc}"
            self.failed.emit(f"Could not save the animation: {reason}")
            return
        finally:
            self._images = []
        self.finished.emit(str(self._path))


def _to_pillow(image: QImage) -> Image.Image:
    """A copy of ``image`` as a Pillow RGB image."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    size = (rgb.width(), rgb.height())
    return Image.frombytes("RGB", size, bytes(rgb.constBits()), "raw", "RGB", rgb.bytesPerLine())
