"""Turn the indentation of list markers into nesting levels.

Authors indent nested items by two, three or four spaces (or a tab) and are not
consistent about it, so levels come from comparing each marker's column with the
columns of the items still open, not from dividing by a fixed width.
"""

from __future__ import annotations


class IndentNesting:
    """Tracks the columns of open list levels while items are read top to bottom."""

    _TOLERANCE = 1
    """Columns this close count as the same level (a stray space is not nesting)."""

    def __init__(self) -> None:
        self._columns: list[int] = []

    def level(self, column: int) -> int:
        """Return the 0-based level of an item whose marker starts at ``column``."""
        columns = self._columns
        while columns and column < columns[-1] - self._TOLERANCE:
            columns.pop()
        if columns and abs(column - columns[-1]) <= self._TOLERANCE:
            return len(columns) - 1
        columns.append(column)
        return len(columns) - 1

    def reset(self) -> None:
        """Forget open levels: the list has ended."""
        self._columns.clear()


def indentation(line: str, tab_width: int = 4) -> int:
    """Column of the first non-blank character, counting a tab as ``tab_width`` columns."""
    column = 0
    for char in line:
        if char == " ":
            column += 1
        elif char == "\t":
            column += tab_width - column % tab_width
        else:
            break
    return column
