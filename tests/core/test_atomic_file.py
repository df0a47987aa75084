"""Files are written whole or not at all; links and pipes stay what they are."""

import os
import stat

import pytest

from gdstudio.core import ConfigError
from gdstudio.core.atomic_file import atomic_write


def test_a_failed_write_leaves_the_old_file_and_no_trace(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("the run failed")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.read_text() == "new\n"


def test_a_link_keeps_pointing_at_its_file(tmp_path):
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n")
    try:
        link.symlink_to(real)
    except OSError:  # Windows lets only privileged users make links
        pytest.skip("this system does not let us make a symbolic link")
    with atomic_write(link) as fh:
        fh.write("new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes (FIFOs) on this system")
def test_a_pipe_is_written_to_not_replaced(tmp_path):
    # As /dev/stdout or /dev/null would be: replacing them with a file would break them for everyone.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with atomic_write(pipe) as fh:
            fh.write("step,x,y,loss\n")
        assert os.read(reader, 100) == b"step,x,y,loss\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_folder_that_cannot_be_written_gets_one_message(tmp_path):
    with pytest.raises(ConfigError, match="cannot write"), atomic_write(tmp_path / "missing" / "out.csv"):
        pass


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "secret.csv"
    target.write_text("old\n")
    target.chmod(0o600)
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_file_with_hard_links_is_written_through_so_every_link_sees_it(tmp_path):
    target, other = tmp_path / "out.csv", tmp_path / "also.csv"
    target.write_text("old content, longer than the new\n")
    os.link(target, other)
    inode = target.stat().st_ino
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.stat().st_ino == inode and target.stat().st_nlink == 2
    assert other.read_text() == "new\n"
    with pytest.raises(RuntimeError), atomic_write(target) as fh:  # a failed write touches neither
        fh.write("half")
        raise RuntimeError("the run failed")
    assert other.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["also.csv", "out.csv"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("loop.csv", "Too many levels of symbolic links"),
        ("x" * 300 + ".csv", "File name too long"),
        ("dir", "it is a folder"),
        ("nul\0.csv", "embedded null byte"),
    ],
)
def test_a_path_that_cannot_be_written_gets_one_line(tmp_path, name, reason):
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    (tmp_path / "dir").mkdir()
    with pytest.raises(ConfigError, match=reason) as info, atomic_write(tmp_path / name):
        pass
    assert "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "loop.csv"]


def test_a_name_near_the_length_limit_can_still_be_written(tmp_path):
    target = tmp_path / ("x" * 251 + ".csv")  # 255 bytes: the temporary name beside it must be shorter
    with atomic_write(target) as fh:
        fh.write("ok\n")
    assert target.read_text() == "ok\n"


def test_a_full_device_gets_one_line(tmp_path):
    full = pytest.raises(ConfigError, match="cannot write /dev/full: No space left on device")
    with full, atomic_write("/dev/full") as fh:
        fh.write("x" * 100_000)
