#!/usr/bin/env python
"""Screenshot Vigil's pages in English and Welsh from a running demo (`vigil demo`).

Usage: scripts/screenshots.py BASE_URL OUT_DIR EMAIL PATH [PATH ...]
Signs in as EMAIL with the demo password (demo mode asks for no second factor) and saves
OUT_DIR/<n>-<lang>.png for each path. For looking at pages; not part of the test suite.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    base, out, email, *paths = sys.argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 900})
        page.goto("/account/sign-in/")
        page.fill("#id_email", email)
        page.fill("#id_password", "vigil-demo-password")
        page.click("button[type=submit]")
        for lang in ("en", "cy"):
            page.goto(f"/language/{lang}/?next=/")
            for n, path in enumerate(paths):
                page.goto(path)
                name = out_dir / f"{n:02d}-{path.strip('/').replace('/', '_') or 'home'}-{lang}.png"
                page.screenshot(path=str(name), full_page=True)
                print(name)
        browser.close()


if __name__ == "__main__":
    main()
