#!/usr/bin/env python
"""Set Welsh translations from a JSON file {msgid: msgstr} (for translators' batches).

Usage: scripts/translate.py translations.json
Clears the fuzzy flag on every entry it sets; leaves every other entry alone.
"""

import json
import sys
from pathlib import Path

import polib

PO = (
    Path(__file__).resolve().parent.parent / "vigil" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
)


def main() -> None:
    wanted = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    catalogue = polib.pofile(str(PO))
    done = 0
    for entry in catalogue:
        if entry.msgid in wanted:
            entry.msgstr = wanted[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            done += 1
    catalogue.save()
    print(f"{done} entries set")


if __name__ == "__main__":
    main()
