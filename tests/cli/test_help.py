"""What ``gdstudio --help`` and ``gdstudio run --help`` tell a newcomer."""

import pytest

from gdstudio.cli import build_parser, main, setup_from_args
from gdstudio.core.optimizers import OPTIMIZERS
from gdstudio.core.problems import DATASET_PROBLEMS, SURFACE_PROBLEMS


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # argparse wraps help to the terminal's width


def help_text(capsys, *args) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_the_top_level_help_says_gdstudio_alone_opens_the_window_and_on_what(capsys):
    text = help_text(capsys)
    assert "`gdstudio` alone opens the window on linear-regression, gd with full batches" in text
    assert "(default: gd)" in text and "(default: 0)" in text and "default: 500" in text
    for name, cls in DATASET_PROBLEMS.items():
        assert f"{name} {cls.default_noise:g}" in text


def test_run_help_says_what_every_hyperparameter_does_and_its_defaults(capsys):
    text = help_text(capsys, "run")
    for name, cls in OPTIMIZERS.items():
        for key, spec in cls.hyperparameters().items():
            flag = "--" + key.replace("_", "-")
            assert f"{flag} F {spec.help}" in text, flag
            assert f"{name} {cls.defaults()[key]:g}" in text


def test_every_hyperparameter_is_a_flag_that_sets_its_field():
    """The flags are generated from the optimisers: each sets the field it is named after."""
    for name, cls in OPTIMIZERS.items():
        for key, spec in cls.hyperparameters().items():
            value = 0.5 if spec.accepts(0.5) else spec.low + 1
            flag = "--" + key.replace("_", "-")
            args = build_parser().parse_args(["run", "--optimizer", name, flag, str(value), "--steps", "1"])
            optimizer = setup_from_args(args).make_optimizer(SURFACE_PROBLEMS["bowl"])
            assert getattr(optimizer, key) == value != cls.defaults()[key], (name, key)
