"""Whether the demo's synthetic force is still being generated (a marker file under the
var directory, written by `vigil demo` while its background generator runs): every page
then says so in the demo banner, since the history fills in while the user looks."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def marker() -> Path:
    return Path(settings.VAR_DIR) / "demo-generating"


def generating() -> bool:
    """True while `vigil demo` is generating the synthetic force (demo mode only)."""
    return bool(settings.DEMO_MODE) and marker().exists()


def start(pid: int) -> None:
    marker().write_text(f"{pid}\n", encoding="utf-8")


def finish() -> None:
    marker().unlink(missing_ok=True)
