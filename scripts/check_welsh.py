#!/usr/bin/env python
"""Fail if any translatable string in Vigil lacks a Welsh translation.

Steps: extract every string from the code and templates into a fresh copy of the Welsh
catalogue (the committed one is left alone); list entries that are untranslated or fuzzy;
exit 1 naming them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "vigil" / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def main() -> int:
    if not PO.exists():
        print(f"Missing Welsh catalogue: {PO}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "vigil"
        shutil.copytree(
            ROOT / "vigil", copy, ignore=shutil.ignore_patterns("__pycache__", "static")
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vigil.config.settings",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "cy",
                "--no-obsolete",
                "--ignore=.venv*",
                "--ignore=tests/*",
                "--no-location",
            ],
            cwd=copy,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        po = copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po))
        problems = [("untranslated", e.msgid) for e in catalogue.untranslated_entries()]
        problems += [("fuzzy", e.msgid) for e in catalogue.fuzzy_entries()]
    if problems:
        print(f"{len(problems)} string(s) without a Welsh translation:")
        for kind, msgid in problems:
            print(f"  [{kind}] {msgid}")
        print(
            "Run: cd vigil && ../.venv/bin/python ../manage.py makemessages -l cy --no-location "
            "--ignore='.venv*', then translate them in vigil/locale/cy/LC_MESSAGES/django.po"
        )
        return 1
    print("Welsh catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
