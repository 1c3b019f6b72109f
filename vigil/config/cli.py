"""The `vigil` console command: Django's management commands under Vigil's name.

`vigil demo` switches the process into demo mode before Django starts, so that demo mode
can never be turned on for a server started any other way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
    if args[:1] == ["demo"]:
        os.environ["VIGIL_MODE"] = "demo"
        os.environ["VIGIL_DEMO_LAUNCHED_BY"] = "vigil demo"  # see settings.DEMO_LAUNCH_MARKER
    else:
        # Only `vigil demo` may run without the second factor.
        os.environ.pop("VIGIL_DEMO_LAUNCHED_BY", None)
        if os.environ.get("VIGIL_MODE") == "demo":
            os.environ["VIGIL_MODE"] = "development"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vigil", *args])


if __name__ == "__main__":
    main()
