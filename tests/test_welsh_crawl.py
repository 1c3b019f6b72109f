"""Every page a user can reach, in Welsh, has no English left over.

`test_welsh_pages.py` checks a fixed list of the foundation's pages. This test builds a
small synthetic force (POLIT and MOSOVO history, the register reconciled, assurance
snapshots) and, signed in as each demo account with Welsh chosen, follows every link
from the home page, as a user clicking through would, to every page it reaches (a few
of each kind). Each page must answer, carry `lang="cy"` and show no English text that
Vigil translates; a link that leads to "not found", "forbidden" or an error is a fault
too, because a user was offered it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve

from tests.test_welsh_pages import _english_phrases, _visible_text
from vigil.accounts.models import User
from vigil.core.testing import verified_client
from vigil.synthetic import generator
from vigil.synthetic.generator import Scale, generate

pytestmark = pytest.mark.django_db

SMALL = Scale(
    forces=1,
    nominals_per_force=12,
    suspects_per_force=6,
    officers_per_team=2,
    referrals_per_week=2,
    referral_years=1,
)
PER_ROUTE = 2  # pages of each kind visited per account
SKIP = re.compile(
    r"^/(api|static|language)/|/sign-out/|\.(csv|xlsx|pdf|json)(\?|$)|/export|/progress/"
    r"|[?&]language=en"  # the language switch, and a document asked for in English
)
# Pages that show what was recorded, in the language it was recorded in (evidence, not
# interface): their table bodies are left out of the check.
RECORDED_TEXT_ROUTES = ("audit/",)


def _links(html: str) -> list[str]:
    out = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html):
        href = urldefrag(unescape(href))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
            continue
        out.append(href)
    return out


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


@pytest.fixture(scope="module")
def force(django_db_setup, django_db_blocker):
    """Generated once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(scale=SMALL, seed=5)
        yield
        transaction.set_rollback(True)


def _crawl(user: User, phrases: set[str]) -> tuple[list[str], Counter]:
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    seen: set[str] = set()
    per_route: Counter = Counter()
    queue = deque(["/"])
    problems: list[str] = []
    while queue:
        url = queue.popleft()
        route = _route(url)
        if url in seen or route is None or per_route[route] >= PER_ROUTE:
            continue
        seen.add(url)
        per_route[route] += 1
        response = client.get(url, follow=True)
        if response.status_code != 200:
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download (PDF, spreadsheet, CSV) linked from a page
        html = response.content.decode()
        if '<html lang="cy"' not in html:
            problems.append(f"{url}: not marked as Welsh")
        if route.startswith(RECORDED_TEXT_ROUTES):
            html = re.sub(r"(?s)<tbody.*?</tbody>", " ", html)
        text = _visible_text(html)
        left = sorted(phrase for phrase in phrases if phrase in text)
        if left:
            problems.append(f"{url}: {left[:5]}")
        queue.extend(_links(html))
    return problems, per_route


def test_every_page_each_demo_account_reaches_is_in_welsh(force):
    phrases = _english_phrases()
    problems = []
    routes: set[str] = set()
    for local, *_rest in generator.DEMO_ACCOUNTS:
        user = User.objects.get(email=f"{local}@{generator.DEMO_DOMAIN}")
        found, per_route = _crawl(user, phrases)
        problems += [f"{local}: {p}" for p in found]
        routes |= set(per_route)
    # The crawl must have reached the work of every part of Vigil, or it proves little.
    for part in ("referrals/", "investigations/", "nominals/", "register/", "assurance/"):
        assert any(r.startswith(part) for r in routes), (part, sorted(routes))
    assert len(routes) > 60, sorted(routes)
    assert not problems, "\n".join(problems)
