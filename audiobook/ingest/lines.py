"""The line, the unit both readers of the source hand on: a plain-text line, or a line of what a
Markdown block says, with its source offsets."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import piece_offset


@dataclass
class Line:
    """A line as read: a source line, or a line of what a Markdown block says."""

    text: str  # without its line end
    start: int  # source offset of text[0]
    # Where the source offsets jump: (index in text, source offset), ascending. Empty: text is
    # the contiguous source slice at `start` (always so for plain text).
    pieces: tuple[tuple[int, int], ...] = ()
    end: int = -1  # source offset just past the last non-blank character; -1: start + its length
    # "": a plain-text line, classified by its text; "md": a Markdown text line (no '#' headings
    # there: the parser found those); "heading" (title, level); "break": a scene break.
    kind: str = ""
    title: str = ""
    level: int = 0

    def offset(self, i: int) -> int:
        """Source offset of character `i` of `text`."""
        return piece_offset(self.pieces, self.start, i)
