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
