"""No output may be written over a file the set-up is read from (not listed in issue 11, a
sibling of ``--out`` naming the ``--data`` file): the experiment file, its data file, the data
under a picture's name. One line, exit 2, the input intact."""

from pathlib import Path

import pytest

from gdstudio.cli import main
from gdstudio.core.experiment import Camera, Experiment, Layout, save_experiment
from gdstudio.core.lesson import Scene
from gdstudio.core.run_setup import RunSetup

DATA = "x,y\n1,2\n2,4\n3,6.5\n"


@pytest.fixture
def experiment(tmp_path) -> tuple[Path, Path]:
    data = tmp_path / "mine.csv"
    data.write_text(DATA)
    setup = RunSetup(problem="linear-regression", data=data)
    scene = Scene(id="e", title="t", caption="c", formula=None, runs=(setup,), labels=("a",), views=("map",),
                  annotations=(), steps=10, speed=None, loss_axis="steps")  # fmt: skip
    return save_experiment(Experiment(scene, Camera(), Layout(True, None)), tmp_path / "e.gdstudio.json"), data


@pytest.mark.parametrize("command", ["run", "sweep", "basins"])
@pytest.mark.parametrize("target", ["config", "data"])
def test_out_may_not_name_the_experiment_or_its_data(experiment, capsys, command, target):
    config, data = experiment
    before = config.read_bytes()
    out = config if target == "config" else data
    assert main([command, "--config", str(config), "--steps", "5", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    name = "the --config file" if target == "config" else "the experiment's data file"
    assert err == [f"gdstudio: error: --out {out} is {name}: writing there would replace it"]
    assert config.read_bytes() == before and data.read_text() == DATA


def test_a_picture_may_not_be_written_over_the_data(tmp_path, capsys):
    data = tmp_path / "odd.png"  # a CSV under a picture's name
    data.write_text(DATA)
    assert main(["--problem", "linear-regression", "--data", str(data), "--screenshot", str(data)]) == 2
    assert "--screenshot" in capsys.readouterr().err and data.read_text() == DATA
