"""What every bulk file import shares (referrals, register extracts): reading the text,
walking a JSON array so that each item knows its line, and the one error that says
nothing was written and lists every bad line.

The rule (DESIGN.md): every row is checked first; any problem means nothing is written,
and every problem is reported with its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.core.exceptions import ValidationFailed

Problems = list[tuple[int, str]]


class FileRejected(ValidationFailed):
    """The file has bad rows: nothing was written. `problems` lists (line, reason)."""

    code = "import_rejected"

    def __init__(self, problems: Problems):
        lines = len({line for line, _m in problems})
        message = ngettext(
            "Nothing was imported: %(count)s line of the file has a problem. Correct it and "
            "import the whole file again.",
            "Nothing was imported: %(count)s lines of the file have problems. Correct them and "
            "import the whole file again.",
            lines,
        ) % {"count": lines}
        super().__init__(
            message,
            errors=[
                (f"line {line}", _("Line %(line)s: %(problem)s") % {"line": line, "problem": m})
                for line, m in problems
            ],
        )
        self.problems = problems


def decode_text(content: bytes, problems: Problems) -> str | None:
    """The file's text (UTF-8, with or without a byte-order mark), or None with the
    problem recorded when it is not UTF-8 or is empty."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append((content[: exc.start].count(b"\n") + 1, _("The file must be UTF-8 text.")))
        return None
    if not text.strip():
        problems.append((1, _("The file is empty.")))
        return None
    return text


def json_objects(
    text: str, problems: Problems, *, not_array: str, not_object: str
) -> Iterator[tuple[int, dict]]:
    """Each object of the JSON array in `text` with the line its "{" is on.

    A file that is not valid JSON (cut off, say) records one problem at the line where
    parsing failed and yields nothing; `not_array` is recorded when the top level is not
    an array, `not_object` for each item that is not an object.
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            (
                exc.lineno,
                _(
                    "the file is not valid JSON (%(error)s at column %(column)s): it may be "
                    "cut off, or a comma or quote is missing"
                )
                % {"error": exc.msg, "column": exc.colno},
            )
        )
        return
    pos = len(text) - len(text.lstrip())
    if text[pos : pos + 1] != "[":
        problems.append((text.count("\n", 0, pos) + 1, not_array))
        return
    decoder = json.JSONDecoder()
    pos += 1
    line, counted = 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        line += text.count("\n", counted, pos)  # counted once: linear in the file's size
        counted = pos
        item, pos = decoder.raw_decode(text, pos)
        if isinstance(item, dict):
            yield line, item
        else:
            problems.append((line, not_object))
