"""Odd text typed into the window's number fields: read as the command line reads it, refused in one short line."""

import pytest

from gdstudio.ui.number_field import NumberField


def typed(qtbot, text: str, low: float = 0.0, high: float = 10.0):
    field = NumberField("learning rate", low, high)
    qtbot.addWidget(field)
    field.set_value(0.5)
    committed, refused = [], []
    field.committed.connect(committed.append)
    field.refused.connect(refused.append)
    field.setText(text)
    field.editingFinished.emit()
    return field, committed, refused


@pytest.mark.parametrize(("text", "value"), [("0x10", 16.0), ("1_0", 10.0), (" 2 ", 2.0), ("0o7", 7.0)])
def test_a_field_reads_numbers_as_the_command_line_does(qtbot, text, value):
    """``--lr 0x10`` is 16 on the command line; the same text in the window was 'not a number'."""
    field, committed, refused = typed(qtbot, text, high=100)
    assert (committed, refused) == ([value], [])
    assert field.value() == value


@pytest.mark.parametrize("text", ["1" * 100_000, "x" * 100_000, "9" * 5000, "0x" + "f" * 5000])
def test_a_huge_paste_is_refused_in_one_short_line(qtbot, text):
    """A 100,000-digit paste once came back whole in the banner (32,805 characters)."""
    field, committed, refused = typed(qtbot, text)
    assert committed == [] and len(refused) == 1
    assert len(refused[0]) < 120 and "\n" not in refused[0]
    assert field.value() == 0.5 and field.text() == "0.5"
