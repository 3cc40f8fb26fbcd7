"""Text for a terminal: data cannot move the cursor, recolour the screen or reorder a line.

Names, categories and reasons come from the data; a cell may hold an escape
sequence (``ESC [ 2 J`` clears the screen), a carriage return that overwrites
what was printed, or a bidirectional override that shows a line in another
order than it is stored. :func:`terminal_safe` writes every such character as a
visible escape (``\\u001b``) in tables and explanations, so what a person sees
is what the data hold. Line ends and tabs are kept.
"""

from __future__ import annotations

import re
from typing import Final

#: C0 controls but tab and line feed, DEL, C1 controls, the bidirectional marks,
#: embeddings, overrides and isolates, and the line and paragraph separators
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control or direction character written as ``\\uXXXX``."""
    if text.isprintable():  # the common case, tested in C
        return text
    return _UNSAFE.sub(_escaped, text)
