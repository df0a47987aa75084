"""The desktop entry, metainfo and --install-desktop: what a Linux desktop needs to list GD Studio."""

import shutil
import subprocess
import sys

import pytest

from gdstudio.cli import main
from gdstudio.core.resources import APP_ID, resource

ENTRY = resource("desktop", f"{APP_ID}.desktop")
METAINFO = resource("desktop", f"{APP_ID}.metainfo.xml")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-validate is not installed")
def test_desktop_file_validate_accepts_the_entry():
    out = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstreamcli is not installed")
def test_appstreamcli_accepts_the_metainfo():
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_the_icon_comes_as_svg_and_every_usual_png_size():
    from PIL import Image

    assert resource("icons", f"{APP_ID}.svg").read_text().lstrip().startswith("<?xml")
    for size in (16, 32, 48, 64, 128, 256):
        with Image.open(resource("icons", f"{size}x{size}", f"{APP_ID}.png")) as png:
            assert png.size == (size, size)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop menus are Linux's")
def test_install_desktop_puts_the_launcher_icon_and_file_type_into_the_users_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop"]) == 0
    assert str(tmp_path) in capsys.readouterr().out
    entry = (tmp_path / "applications" / f"{APP_ID}.desktop").read_text()
    assert "MimeType=application/x-gdstudio-experiment;" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" %f") and exec_line != "Exec=gdstudio %f"  # this installation's own command
    mime = (tmp_path / "mime" / "packages" / f"{APP_ID}.xml").read_text()
    assert '<glob pattern="*.gdstudio.json"' in mime
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (tmp_path / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    if shutil.which("update-mime-database"):  # the desktop now knows the file type by its name
        globs = (tmp_path / "mime" / "globs2").read_text()
        assert "application/x-gdstudio-experiment:*.gdstudio.json" in globs
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(tmp_path / "applications" / f"{APP_ID}.desktop")])
        assert out.returncode == 0


def test_install_desktop_where_a_file_stands_in_for_a_folder_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "applications").write_text("not a folder")
    assert main(["--install-desktop"]) == 2  # was a FileExistsError traceback
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"gdstudio: error: cannot make the folder {tmp_path / 'applications'}: a file is in its place"]
    assert (tmp_path / "applications").read_text() == "not a folder"
