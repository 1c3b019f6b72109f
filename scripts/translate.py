#!/usr/bin/env python
"""Welsh catalogue batches for translators.

Usage:
  scripts/translate.py --untranslated OUT.json   write every untranslated or fuzzy entry
                                                 as {msgid: ""} (plural entries as
                                                 {msgid: ["", "", "", "", "", ""]}, with
                                                 the English plural under "__plural__")
  scripts/translate.py translations.json        set the translations in that file

A plural entry takes a list of the six Welsh forms (n = 0, 1, 2, 3, 6, other: see the
catalogue's Plural-Forms header). An entry with a context (pgettext) is keyed
"context\u0004msgid", as gettext keys it; a bare msgid sets only entries without one.
Setting an entry clears its fuzzy flag; every other entry is left alone. Run
`manage.py makemessages -l cy` first and `compilemessages` after.
"""

import json
import sys
from pathlib import Path

import polib

PO = (
    Path(__file__).resolve().parent.parent / "vigil" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
)
WELSH_PLURALS = 6


def _key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def _untranslated(catalogue) -> dict:
    out: dict = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if "fuzzy" in entry.flags or not all(entry.msgstr_plural.values()):
                out[_key(entry)] = {"__plural__": entry.msgid_plural, "forms": [""] * 6}
        elif "fuzzy" in entry.flags or not entry.msgstr:
            out[_key(entry)] = ""
    return out


def _apply(catalogue, wanted: dict) -> int:
    done = 0
    for entry in catalogue:
        if _key(entry) not in wanted:
            continue
        value = wanted[_key(entry)]
        if entry.msgid_plural:
            forms = value["forms"] if isinstance(value, dict) else value
            if not isinstance(forms, list) or len(forms) != WELSH_PLURALS or not all(forms):
                raise SystemExit(f"{entry.msgid!r} needs {WELSH_PLURALS} Welsh plural forms")
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            if not isinstance(value, str) or not value:
                raise SystemExit(f"{entry.msgid!r} needs a Welsh translation")
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        done += 1
    return done


def main() -> None:
    catalogue = polib.pofile(str(PO))
    if sys.argv[1:2] == ["--untranslated"]:
        todo = _untranslated(catalogue)
        Path(sys.argv[2]).write_text(
            json.dumps(todo, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(f"{len(todo)} entries to translate")
        return
    wanted = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    done = _apply(catalogue, wanted)
    catalogue.save()
    print(f"{done} entries set")


if __name__ == "__main__":
    main()
