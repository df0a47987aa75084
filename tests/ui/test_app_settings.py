"""Settings the window keeps: they round-trip through the file, and a reset clears them."""

import pytest
from PySide6.QtCore import QByteArray, QSettings

from gdstudio.ui.app_settings import MAX_RECENT, AppSettings


@pytest.fixture
def settings_folder(qapp, tmp_path):
    """Settings in a temporary folder, never the user's own."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return tmp_path


def test_settings_round_trip_through_the_file(settings_folder, tmp_path):
    s = AppSettings()
    assert str(settings_folder) in s.location
    s.set_window(QByteArray(b"geom\x00\xff"), QByteArray(b"docks"))
    s.set_last_setup({"format": "gdstudio-experiment", "version": 1, "title": "λ race"})
    for name in ("a", "b", "a"):
        s.add_recent_file(tmp_path / f"{name}.gdstudio.json")
    s.set_text_scale(1.5)
    s.set_presentation("full_screen", True)
    s.sync()
    del s
    again = AppSettings()  # a new launch reads the file
    assert bytes(again.geometry().data()) == b"geom\x00\xff"
    assert bytes(again.window_state().data()) == b"docks"
    assert again.last_setup()["title"] == "λ race"
    assert again.recent_files() == [tmp_path / "a.gdstudio.json", tmp_path / "b.gdstudio.json"]
    assert again.text_scale() == 1.5
    assert again.presentation("full_screen") is True


def test_recent_files_keep_the_newest_few(settings_folder, tmp_path):
    s = AppSettings()
    for i in range(MAX_RECENT + 3):
        s.add_recent_file(tmp_path / f"{i}.gdstudio.json")
    files = AppSettings().recent_files()
    assert len(files) == MAX_RECENT and files[0].name == f"{MAX_RECENT + 2}.gdstudio.json"


def test_hand_edited_values_give_the_defaults(settings_folder):
    s = AppSettings()
    s.qsettings.setValue("view/text_scale", "huge")
    s.qsettings.setValue("session/last_setup", "{not json")
    s.qsettings.setValue("window/geometry", "text, not bytes")
    assert s.text_scale() == 1.0 and s.last_setup() is None and s.geometry() is None
    s.qsettings.setValue("view/text_scale", 100)
    assert s.text_scale() == 1.0


def test_reset_clears_every_setting(settings_folder, tmp_path):
    s = AppSettings()
    s.set_text_scale(2.0)
    s.add_recent_file(tmp_path / "x.gdstudio.json")
    s.set_window(QByteArray(b"g"), QByteArray(b"s"))
    s.sync()
    s.reset()
    again = AppSettings()
    assert again.qsettings.allKeys() == []
    assert again.text_scale() == 1.0 and again.recent_files() == [] and again.geometry() is None
