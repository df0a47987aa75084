"""Generated data, the user's own CSV files, and the dataset losses built on them."""

import os
import tracemalloc

import numpy as np
import pytest

from gdstudio.core import ConfigError
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.problems import data as data_module
from gdstudio.core.problems.data import load_csv
from gdstudio.core.problems.logistic_regression import LogisticRegression, softplus


def test_same_seed_same_data_other_seed_other_data():
    a = make_problem("wave-fit", DataSettings(samples=50, seed=3)).data
    b = make_problem("wave-fit", DataSettings(samples=50, seed=3)).data
    c = make_problem("wave-fit", DataSettings(samples=50, seed=4)).data
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


def test_linear_regression_moments_equal_the_mean_over_samples():
    p = make_problem("linear-regression", DataSettings(samples=300, seed=2))
    P = np.array([[0.3, -1.2], [2.5, 4.0], [-1.0, 0.0]])
    loss, grad = p.sample_loss_and_grad(P, p.data.x, p.data.y)
    np.testing.assert_allclose(p.loss(P), loss, rtol=1e-12)
    np.testing.assert_allclose(p.grad(P), grad, rtol=1e-10, atol=1e-12)
    r = P[:, :1] * p.data.x + P[:, 1:] - p.data.y
    np.testing.assert_allclose(loss, (r**2).mean(1), rtol=1e-12)


def test_linear_regression_minimum_is_least_squares():
    p = make_problem("linear-regression", DataSettings(samples=300, seed=2))
    w, b = np.polyfit(p.data.x, p.data.y, 1)
    np.testing.assert_allclose(p.minima[0].location, (w, b), rtol=1e-9)


def test_logistic_loss_stays_finite_for_huge_logits():
    x = np.array([-1.0, 1.0])
    y = np.array([0.0, 1.0])
    from gdstudio.core.problems.data import Dataset

    p = LogisticRegression(Dataset(x, y, "two points"))
    P = np.array([[1e4, 0.0], [-1e4, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        loss, grad = p.loss_and_grad(P)
    np.testing.assert_allclose(loss, [0.0, 1e4], rtol=1e-12)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(softplus(np.array([800.0, -800.0])), [800.0, 0.0])


def test_logistic_regression_wants_zero_one_labels(tmp_path):
    f = tmp_path / "labels.csv"
    f.write_text("1,0\n2,1\n3,2\n")
    with pytest.raises(ConfigError, match="labels 0 or 1"):
        make_problem("logistic-regression", DataSettings(path=f))


def test_tiny_network_has_a_saddle_at_the_origin():
    p = make_problem("tiny-network")
    np.testing.assert_allclose(p.grad(np.zeros((1, 2))), [[0.0, 0.0]], atol=1e-15)
    assert len([m for m in p.minima if m.is_global]) == 2


def test_wave_fit_has_local_minima():
    p = make_problem("wave-fit")
    assert any(not m.is_global for m in p.minima)


def test_csv_with_header_and_blank_lines(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("hours,score\n1,2\n\n2, 4.5\n3,6e0\n")
    d = load_csv(f)
    np.testing.assert_array_equal(d.x, [1, 2, 3])
    np.testing.assert_array_equal(d.y, [2, 4.5, 6])


def test_csv_without_header(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("1,2\n2,4\n")
    assert len(load_csv(f)) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x,y\n1,2\n2,oops\n", "line 3: expected two numbers"),
        ("1,2\n2,3,4\n", "line 2: expected two columns"),
        ("1,2\n2,nan\n", "line 2: values must be finite"),
        ("1,2\n2,3e200\n", "line 2: values must be finite and within"),  # its square would overflow
        ("x,y\n1,2\n", "needs at least two data rows"),
        ("", "needs at least two data rows"),
    ],
)
def test_malformed_csv_names_the_line(tmp_path, text, message):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_csv(f)
    assert "bad.csv" in str(info.value)


def test_unreadable_csv(tmp_path):
    with pytest.raises(ConfigError, match="cannot read data file"):
        load_csv(tmp_path / "missing.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ConfigError):
        load_csv(binary)


@pytest.mark.parametrize(
    ("samples", "noise"), [(0, 0.1), (1, 0.1), (10, -1.0), (10, float("nan")), (10, 1e308), (10, float("inf"))]
)
def test_bad_generation_settings(samples, noise):
    with pytest.raises(ConfigError):
        make_problem("linear-regression", DataSettings(samples=samples, noise=noise))


def test_surfaces_take_no_data():
    with pytest.raises(ConfigError, match="no data"):
        make_problem("bowl", DataSettings(samples=10))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "it is a device, not a regular file"),
        (lambda p: os.mkfifo(p), r"it is a pipe \(FIFO\), not a regular file"),
        (lambda p: p.mkdir(), "it is a folder, not a regular file"),
        (lambda p: p.symlink_to(p), "Too many levels of symbolic links"),
    ],
)
def test_only_a_regular_file_is_read_and_at_once(tmp_path, make, message):
    path = tmp_path / "data.csv"
    make(path)
    with pytest.raises(ConfigError, match=message) as info:
        load_csv(path)
    assert str(path) in str(info.value)


def test_a_file_beyond_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "MAX_FILE_BYTES", 1_000)
    path = tmp_path / "big.csv"
    path.write_text("1,2\n" * 300)
    with pytest.raises(ConfigError, match=r"it is 1.2 kB, more than the 1 kB allowed"):
        load_csv(path)


def test_more_rows_than_samples_allowed_are_refused_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "MAX_SAMPLES", 1_000)
    monkeypatch.setattr(data_module, "_BLOCK_BYTES", 500)  # stop at the first block past the limit
    path = tmp_path / "long.csv"
    path.write_text("x,y\n" + "1,2\n" * 1_200)
    with pytest.raises(ConfigError, match=r"holds more than 1,000 samples, the most GD Studio fits"):
        load_csv(path)


def test_a_big_file_is_read_with_little_more_memory_than_its_numbers(tmp_path, monkeypatch):
    # A line-by-line reader held every cell as a Python string: 17 bytes per byte of file.
    # Blocks of lines are parsed one at a time: what stays is 16 bytes per row, twice over
    # while the blocks are copied into the two columns.
    monkeypatch.setattr(data_module, "_BLOCK_BYTES", 100_000)
    rng = np.random.default_rng(0)
    x = rng.normal(size=50_000)
    path = tmp_path / "big.csv"
    np.savetxt(path, np.column_stack([x, 2 * x + 1]), delimiter=",", fmt="%.17g", header="x,y", comments="")
    tracemalloc.start()
    try:
        d = load_csv(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(d.x, x)
    numbers = 16 * len(x)
    assert peak < 2 * numbers + 1_000_000  # the file itself is 2 MB


def test_the_fast_reader_still_names_a_bad_line_deep_in_the_file(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("x,y\n" + "1,2\n" * 100_000 + "3,,\n" + "1,2\n" * 10)
    with pytest.raises(ConfigError, match=r"late.csv, line 100002: expected two columns \(x, y\), got 3"):
        load_csv(path)
    path.write_text("x,y\n" + '"1", 2\n\n  \n' * 3 + "4,5\r\n")  # quotes, blank lines, CRLF
    d = load_csv(path)
    np.testing.assert_array_equal(d.y, [2, 2, 2, 5])


def test_a_line_longer_than_a_block_is_refused_before_it_is_held_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "_BLOCK_BYTES", 1_000)
    path = tmp_path / "one-line.csv"
    path.write_text("x,y\n1,2\n" + "9" * 5_000 + ",1\n")
    with pytest.raises(ConfigError, match=r"one-line.csv, line 3: longer than 1 kB; not two numbers"):
        load_csv(path)


def test_a_header_in_another_encoding_is_no_reason_to_refuse_the_numbers(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("# mesures du café\nx,température\n1,2\n2,4\n".encode("latin-1"))
    assert list(load_csv(latin).y) == [2.0, 4.0]
    stray = tmp_path / "stray.csv"
    stray.write_bytes(b"x,y\n1,2\n2\xe9,4\n")
    with pytest.raises(ConfigError, match=r"stray.csv, line 3: expected two numbers"):
        load_csv(stray)


def test_utf16_text_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("x,y\n1,2\n2,4\n", encoding="utf-16")
    with pytest.raises(ConfigError, match=r"excel.csv: is UTF-16 text .*save it as CSV \(UTF-8\)"):
        load_csv(path)
