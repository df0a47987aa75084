"""Run, Cancel and a progress bar for one background job (a sweep, a basin map)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from ..controller.background_job import BackgroundJob


class JobControls(QWidget):
    """The job's buttons: Run asks for a job (:attr:`run_requested`), Cancel ends it.

    While the job runs, the bar shows how far it is and Cancel is the button
    to press; the picture drawn before stays until a new result replaces it.
    """

    #: Run was pressed: the owner builds the job and starts it.
    run_requested = Signal()

    def __init__(self, job: BackgroundJob, run_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.run_button = QPushButton(run_text)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop computing; the picture stays as it was.")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("%p%")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button.clicked.connect(job.cancel)
        job.progressed.connect(lambda f: self.progress.setValue(round(100 * f)))
        for signal in (job.finished, job.failed, job.cancelled):
            signal.connect(self._show_idle)
        self._show_idle()

    def show_busy(self) -> None:
        """The job has started."""
        self.progress.setValue(0)
        self.progress.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def _show_idle(self, *_) -> None:
        self.progress.setValue(0)
        self.progress.setEnabled(False)
        self.cancel_button.setEnabled(False)
