"""The progress dialog of an animation export: modal, cancellable, then gone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from .animation import AnimationRecorder


def show_progress(parent: QWidget, recorder: AnimationRecorder) -> QProgressDialog:
    """A dialog that follows ``recorder`` and keeps hands off the window while its frames are
    drawn; Cancel cancels it. It deletes itself when the recording ends either way."""
    # One more step than frames: the dialog stays up while the GIF is saved.
    dialog = QProgressDialog("Drawing the animation…", "Cancel", 0, recorder.frame_count + 1, parent)
    dialog.setWindowTitle("Export animation")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def progressed(done: int, total: int) -> None:
        dialog.setValue(done)
        if done == total:
            dialog.setLabelText("Saving the GIF…")

    recorder.progressed.connect(progressed)
    dialog.canceled.connect(recorder.cancel)
    for done in (recorder.finished, recorder.failed, dialog.canceled):
        done.connect(dialog.deleteLater)
    return dialog
