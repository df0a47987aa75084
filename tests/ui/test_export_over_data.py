"""Exporting the run over the data file it fits is refused, as ``--out`` is on the command line."""

from gdstudio.core.run_setup import RunSetup

DATA = "x,y\n1,2\n2,4\n3,6.5\n"


def test_exporting_the_run_over_its_data_file_is_refused(open_window, tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text(DATA)
    w = open_window(RunSetup(problem="linear-regression", data=data))
    for kind in ("csv", "json"):
        w.export_run(data, kind)
        assert w.banner.isVisible() and "is the data file of this landscape" in w.banner.text()
        assert data.read_text() == DATA
    w.export_run(tmp_path / "run.csv")  # elsewhere it works
    assert (tmp_path / "run.csv").read_text().startswith("step,")
