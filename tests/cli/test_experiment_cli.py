"""Experiment files and shipped datasets on the command line."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gdstudio.cli import main
from gdstudio.core.experiment import experiment_from_runs, save_experiment
from gdstudio.core.run_setup import RunSetup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def race_file(tmp_path):
    runs = [RunSetup(problem="bowl", lr=0.1, start=(1.0, 2.0)), RunSetup(problem="bowl", optimizer="adam", lr=0.3)]
    return save_experiment(
        experiment_from_runs(runs, ["gd", "adam"], ["map", "loss"], 40), tmp_path / "r.gdstudio.json"
    )


def test_run_config_runs_every_run_of_the_race(race_file, capsys):
    assert main(["run", "--config", str(race_file), "--steps", "40"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["gd", "adam"]
    assert "bowl, gd lr=0.1" in lines[0] and "bowl, adam lr=0.3" in lines[1]


def test_run_config_of_one_run_writes_the_same_csv_as_its_options(tmp_path):
    setup = RunSetup(problem="rosenbrock", optimizer="adam", lr=0.01, start=(-1.5, 2.0))
    config = save_experiment(experiment_from_runs([setup], ["a"], ["map"], 100), tmp_path / "a.gdstudio.json")
    assert main(["run", "--config", str(config), "--steps", "100", "--out", str(tmp_path / "a.csv")]) == 0
    args = ["run", "--problem", "rosenbrock", "--optimizer", "adam", "--lr", "0.01", "--start", "-1.5,2"]
    assert main([*args, "--steps", "100", "--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_config_with_setup_options_or_a_bad_file_says_so_in_one_line(race_file, tmp_path, capsys):
    assert main(["run", "--config", str(race_file), "--lr", "0.5", "--steps", "5"]) == 2
    assert "give --lr or --config, not both" in capsys.readouterr().err
    assert main(["run", "--config", str(race_file), "--steps", "5", "--out", str(tmp_path / "x.csv")]) == 2
    assert "races 2 runs and --out writes one" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    broken = tmp_path / "broken.gdstudio.json"
    broken.write_text(race_file.read_text()[:-40])
    assert main([str(broken)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"gdstudio: error: broken.gdstudio.json: damaged or incomplete, not valid JSON ({err[0].split('(')[-1]}"
    ]
    newer = json.loads(race_file.read_text())
    newer["version"] = 99
    broken.write_text(json.dumps(newer))
    assert main(["--config", str(broken)]) == 2
    assert "written by a newer GD Studio" in capsys.readouterr().err
    fifo = tmp_path / "pipe.gdstudio.json"
    os.mkfifo(fifo)
    assert main(["--config", str(fifo)]) == 2  # refused at once, not waiting for a writer
    assert "it is a pipe (FIFO), not a regular file" in capsys.readouterr().err


def test_data_takes_a_shipped_dataset_by_name_and_its_problem(tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert main(["run", "--data", "old-faithful", "--lr", "0.05", "--steps", "20000", "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    assert summary.startswith("linear-regression") and "converged" in summary
    with open(out, newline="") as fh:
        last = list(csv.reader(fh))[-1]
    assert float(last[1]) == pytest.approx(10.73, abs=0.01)
    assert main(["run", "--data", "iris-virginica", "--steps", "10"]) == 0
    assert capsys.readouterr().out.startswith("logistic-regression")
    assert main(["run", "--data", "old-faithfull", "--steps", "10"]) == 2
    assert (
        "no dataset called 'old-faithfull'; the shipped ones are: iris-virginica, old-faithful"
        in capsys.readouterr().err
    )


def test_list_names_the_shipped_datasets(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "old-faithful" in out and "iris-virginica" in out


def test_reset_settings_clears_the_settings_file(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    ini = tmp_path / "GD Studio" / "GD Studio.ini"
    ini.parent.mkdir()
    ini.write_text("[view]\ntext_scale=2\n")
    out = subprocess.run(
        [sys.executable, "-m", "gdstudio", "--reset-settings"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Settings reset") and str(ini) in out.stdout
    assert "text_scale" not in ini.read_text()
