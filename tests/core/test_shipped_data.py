"""The shipped datasets: each names its source and licence, loads, and fits its problem."""

import numpy as np
import pytest

from gdstudio.core.problems import make_problem
from gdstudio.core.problems.data import load_csv
from gdstudio.core.problems.registry import DataSettings
from gdstudio.core.problems.shipped_data import shipped_dataset, shipped_datasets
from gdstudio.core.resources import resource


def test_a_linear_and_a_two_class_dataset_are_shipped():
    problems = {d.problem for d in shipped_datasets().values()}
    assert {"linear-regression", "logistic-regression"} <= problems


@pytest.mark.parametrize("name", sorted(shipped_datasets()))
def test_each_dataset_says_where_it_is_from_and_loads_into_its_problem(name):
    d = shipped_datasets()[name]
    assert d.path.parent == resource("datasets")
    assert "public domain" in d.licence
    assert len(d.source) > 40 and d.title and d.x and d.y
    data = load_csv(d.path)
    assert len(data) >= 50 and np.all(np.isfinite(data.x))
    problem = make_problem(d.problem, DataSettings(path=d.path))
    assert problem.n_samples == len(data)
    assert shipped_dataset(name) is d and shipped_dataset(d.path) is d


def test_old_faithful_fits_the_rangers_line():
    problem = make_problem("linear-regression", DataSettings(path=shipped_datasets()["old-faithful"].path))
    (w, b), *_ = (m.location for m in problem.minima)
    # Known least-squares fit of waiting on duration: about 10.7 minutes more per minute of eruption.
    assert w == pytest.approx(10.73, abs=0.01) and b == pytest.approx(33.47, abs=0.01)


def test_comment_lines_and_a_header_after_them_are_skipped(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("# source: here, there\n# licence: public domain\nx,y\n1,2\n3,4\n")
    data = load_csv(path)
    np.testing.assert_array_equal(data.x, [1, 3])
    path.write_text("# c\nx,y\nu,v\n1,2\n")
    with pytest.raises(Exception, match="line 3: expected two numbers"):
        load_csv(path)
