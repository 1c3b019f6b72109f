"""Every write a page makes, the API makes too (the product's promise: every create and
update of the pages is in the API), checked from the source so that a page-only write
fails CI.

How: the modules of the pages (`vigil/*/views.py`, `views_*.py`, `views/*.py`) and of the
API (`vigil/*/api.py`, `api_*.py`, `api/*.py`) are read with `ast`; every service a module
names is collected (`services.x` through any import of a `*.services` module, or `x`
imported from one). A service is a *write* when it is a function of a services module
(`vigil/*/services.py`, `services/*.py`) that runs in a transaction
(`@transaction.atomic`) or writes itself (`audit.record`, `.save(`, `.create(`,
`.update(`, `.delete(`, `bulk_create`). Each write a page calls must be called by some
API module, or be in PAGE_ONLY below with the reason it is deliberately not in the API.
The check is by name: a page and the API may call a write from different places, but
they must call the same one.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
VIGIL = ROOT / "vigil"

# Writes a page makes that the API deliberately does not, each with its reason. Keep it
# short: anything else a page writes belongs in the API.
PAGE_ONLY = {
    # Signing in with a password and a second factor, and enrolling the authenticator
    # app, happen in the browser: the API has no sign-in (a client sends an API token,
    # or the browser's session once signed in).
    ("vigil.accounts", "sign_in_failed"): "interactive sign-in",
    ("vigil.accounts", "sign_in_failed_unknown"): "interactive sign-in",
    ("vigil.accounts", "sign_in_refused_locked"): "interactive sign-in",
    ("vigil.accounts", "sign_in_refused_throttled"): "interactive sign-in",
    ("vigil.accounts", "sign_in_succeeded"): "interactive sign-in",
    ("vigil.accounts", "totp_device_for_enrolment"): "second-factor enrolment at sign-in",
    ("vigil.accounts", "totp_enrol_confirm"): "second-factor enrolment at sign-in",
    # The language switcher in the page's header: the API answers in the language the
    # request asks for (Accept-Language), so a client has no preference to store.
    ("vigil.accounts", "user_set_language"): "the pages' language switcher",
    # The page reconciles an extract a chunk at a time behind a progress bar; the API's
    # import reconciles it to the end in one call (extract_run, which runs these steps).
    ("vigil.register", "extract_reconcile_step"): "the page's step-by-step progress",
    # Audit records of a page or document shown (reads, not changes to any record): the
    # API has no drill-down page, report document or leaflet to record.
    ("vigil.assurance", "drill_down_record"): "audit of a drill-down page shown",
    ("vigil.assurance", "report_record"): "audit of a report document produced",
    ("vigil.investigations", "family_support_leaflet_record"): "audit of a leaflet produced",
}

WRITE_CALLS = ("record", "save", "create", "update", "delete", "bulk_create", "get_or_create")


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _service_root(module: str) -> str | None:
    """`vigil.offenders.services.visits` -> `vigil.offenders`; None if not services."""
    parts = module.split(".")
    if "services" not in parts:
        return None
    return ".".join(parts[: parts.index("services")])


def _absolute(path: pathlib.Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = _module_name(path).split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def service_refs(path: pathlib.Path, source: str | None = None) -> set[tuple[str, str]]:
    """The (app, name) of every service a module names."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # a local name bound to a services module -> its app
    names: dict[str, tuple[str, str]] = {}  # a local name imported from one -> (app, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            for alias in node.names:
                local = alias.asname or alias.name
                inside = _service_root(module)
                if inside is None and _service_root(f"{module}.{alias.name}") is not None:
                    # from vigil.offenders import services [as ...]
                    modules[local] = _service_root(f"{module}.{alias.name}")
                elif inside is not None:
                    # from vigil.offenders.services[.visits] import dip_check_record
                    names[local] = (inside, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                root = _service_root(alias.name)
                if root is not None and alias.asname:
                    modules[alias.asname] = root
    refs = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            refs.add((modules[node.value.id], node.attr))
        elif isinstance(node, ast.Name) and node.id in names:
            refs.add(names[node.id])
    return refs


def _writes_itself(func: ast.FunctionDef) -> bool:
    for decorator in func.decorator_list:
        if "atomic" in ast.unparse(decorator):
            return True
    for node in ast.walk(func):
        if isinstance(node, ast.With) and any(
            "atomic" in ast.unparse(item.context_expr) for item in node.items
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITE_CALLS
        ):
            return True
    return False


def service_writes() -> set[tuple[str, str]]:
    writes = set()
    for path in sorted(VIGIL.glob("*/services.py")) + sorted(VIGIL.glob("*/services/*.py")):
        root = _service_root(_module_name(path))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            public = isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
            if public and _writes_itself(node):
                writes.add((root, node.name))
    return writes


def _files(*patterns: str) -> list[pathlib.Path]:
    found: set[pathlib.Path] = set()
    for pattern in patterns:
        found |= set(VIGIL.glob(pattern))
    return sorted(found)


def page_modules() -> list[pathlib.Path]:
    return _files("*/views.py", "*/views_*.py", "*/views/*.py")


def api_modules() -> list[pathlib.Path]:
    return _files("*/api.py", "*/api_*.py", "*/api/*.py", "config/api.py")


def _page_only_writes() -> dict[tuple[str, str], list[str]]:
    writes = service_writes()
    in_api = set().union(*(service_refs(p) for p in api_modules()))
    missing: dict[tuple[str, str], list[str]] = {}
    for path in page_modules():
        for ref in service_refs(path):
            if ref in writes and ref not in in_api:
                missing.setdefault(ref, []).append(str(path.relative_to(ROOT)))
    return missing


def test_every_write_a_page_makes_is_in_the_api():
    missing = {ref: where for ref, where in _page_only_writes().items() if ref not in PAGE_ONLY}
    assert missing == {}, (
        "These writes are made by a page and by no API operation. Add the operation "
        "(docs: every create and update of the pages is in the API), or, if it is "
        "deliberately page-only, add it to PAGE_ONLY with the reason: "
        + "; ".join(
            f"{app}.services.{name} ({', '.join(where)})"
            for (app, name), where in sorted(missing.items())
        )
    )


def test_the_page_only_list_holds_nothing_that_is_no_longer_page_only():
    stale = set(PAGE_ONLY) - set(_page_only_writes())
    assert stale == set(), f"no longer page-only writes: take them out of PAGE_ONLY: {stale}"


def test_the_scan_finds_services_however_they_are_imported():
    path = VIGIL / "offenders" / "views" / "example.py"
    source = """
from vigil.offenders import services
from vigil.duties import services as duty_services
from vigil.people.services import person_create
import vigil.referrals.services as referral_services

def view(request):
    from vigil.offenders.services.visits import dip_check_record
    services.visit_record()
    duty_services.notify()
    person_create()
    referral_services.referral_receive()
    dip_check_record()
"""
    assert service_refs(path, source) == {
        ("vigil.offenders", "visit_record"),
        ("vigil.duties", "notify"),
        ("vigil.people", "person_create"),
        ("vigil.referrals", "referral_receive"),
        ("vigil.offenders", "dip_check_record"),
    }
    writes = service_writes()
    assert ("vigil.offenders", "dip_check_record") in writes
    assert ("vigil.accounts", "api_token_create") in writes
    assert ("vigil.offenders", "rank_label") not in writes  # a read: not counted
