"""Vigil's apps import one another in one direction only.

The layers, lowest first. An app may import the apps in the layers below its own, never
one above it, and the apps of one layer never import one another in a circle:

    core < accounts < audit < people < duties < instruments < referrals < investigations
         < offenders < register < (workforce, demand, partners) < assurance < synthetic

Three kinds of module sit outside their app's place, by design:

- each app's `synthetic.py` is a plug-in of the synthetic-data generator and its
  `evidence.py` a plug-in of assurance's evidence register: they count as the `synthetic`
  and `assurance` layers, so they may use those apps' helpers;
- the shell that wires every app together (`vigil/config/`, the navigation in
  `core/context_processors.py`, the benchmark harness in `core/benchmarks.py` and the
  `bench` command) may import any app;
- KNOWN_UPWARD lists the upward imports among the foundation apps (core, accounts,
  audit, people, duties) that were there before this check. Each is a debt: the check
  fails when one of them is no longer needed, so that it is crossed off.

A lower app that needs something from a higher one declares a hook that the higher app
fills from its AppConfig.ready() (as `instruments.selectors.register_subject`,
`referrals.services.set_investigation_opener` and `people.services.on_circumstances_change`
do). Imports inside functions count like any other; tests (`tests/` packages) may import
any app.
"""

from __future__ import annotations

import ast
from pathlib import Path

VIGIL = Path(__file__).resolve().parent.parent / "vigil"

LAYERS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"audit"},
    {"people"},
    {"duties"},
    {"instruments"},
    {"referrals"},
    {"investigations"},
    {"offenders"},
    {"register"},
    {"workforce", "demand", "partners"},
    {"assurance"},
    {"synthetic"},
]
PLUGINS = {"synthetic.py": "synthetic", "evidence.py": "assurance"}
SHELL = (
    "vigil/config/",
    "vigil/core/context_processors.py",
    "vigil/core/benchmarks.py",
    "vigil/core/management/commands/bench.py",
)
# (importing module, imported app): upward imports that predate this check.
KNOWN_UPWARD = {
    ("vigil/core/api.py", "accounts"),
    ("vigil/core/decorators.py", "accounts"),
    ("vigil/core/services.py", "accounts"),
    ("vigil/core/services.py", "audit"),
    ("vigil/core/views.py", "accounts"),
    ("vigil/core/exports.py", "audit"),
    ("vigil/core/middleware.py", "audit"),
    ("vigil/accounts/services.py", "audit"),
    ("vigil/accounts/services.py", "duties"),
    ("vigil/accounts/views.py", "audit"),
    ("vigil/people/duty_kinds.py", "duties"),
    ("vigil/people/services.py", "duties"),
}


def layer_of(app: str) -> int | None:
    return next((i for i, apps in enumerate(LAYERS) if app in apps), None)


def imported_modules(tree: ast.AST, package: str) -> list[tuple[str, int]]:
    """Every module an AST imports (at any depth: inside functions too), absolute."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # `from vigil import audit` imports the app `audit`.
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def app_edges(root: Path) -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> where, for every import between two of the
    apps under `root` (a `vigil` package), outside tests and the shell; a plug-in
    module counts as the app it plugs into."""
    edges: dict[tuple[str, str], list[str]] = {}
    apps = {p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or parts[-1] in ("conftest.py", "testing.py"):
            continue
        if rel.startswith(SHELL):
            continue
        app = PLUGINS.get(parts[-1], parts[0]) if len(parts) == 2 else parts[0]
        package = ".".join(("vigil", *parts[:-1]))
        for module, lineno in imported_modules(ast.parse(path.read_text()), package):
            names = module.split(".")
            if names[0] != "vigil" or len(names) < 2 or names[1] not in apps:
                continue
            if names[1] == parts[0]:
                continue  # its own app's module (a plug-in included)
            target = names[1]
            if len(names) > 2 and f"{names[2]}.py" in PLUGINS:
                target = PLUGINS[f"{names[2]}.py"]
            if target == app or (rel, target) in KNOWN_UPWARD:
                continue
            where = edges.setdefault((app, target), [])
            if f"{rel}:{lineno}" not in where:
                where.append(f"{rel}:{lineno}")
    return edges


def layering_errors(edges: dict[tuple[str, str], list[str]]) -> list[str]:
    """What breaks the layering: an app with no layer, an import of a higher layer, or
    a circle among the apps of one layer."""
    errors = []
    for (source, target), where in sorted(edges.items()):
        low, high = layer_of(target), layer_of(source)
        if low is None or high is None:
            unknown = source if high is None else target
            errors.append(f"{unknown} has no layer: add it to LAYERS in {__name__}")
        elif low > high:
            errors.append(f"{source} imports {target}, a higher app: {', '.join(where)}")
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)

    def circle(start: str, node: str, path: list[str]) -> list[str] | None:
        for following in sorted(graph.get(node, ())):
            if following == start:
                return [*path, following]
            if following not in path:
                found = circle(start, following, [*path, following])
                if found:
                    return found
        return None

    for app in sorted(graph):
        found = circle(app, app, [app])
        if found and min(found) == app:
            errors.append("import circle: " + " -> ".join(found))
    return errors


def test_apps_import_in_one_direction_only():
    assert layering_errors(app_edges(VIGIL)) == []


def test_every_known_upward_import_is_still_there():
    """A debt that has been paid is crossed off KNOWN_UPWARD."""
    paid = []
    for rel, target in sorted(KNOWN_UPWARD):
        path = VIGIL.parent / rel
        package = ".".join(Path(rel).with_suffix("").parts[:-1])
        modules = imported_modules(ast.parse(path.read_text()), package) if path.exists() else []
        if not any(m.split(".")[:2] == ["vigil", target] for m, _ in modules):
            paid.append((rel, target))
    assert paid == []


def _tree(tmp_path, files: dict[str, str]) -> Path:
    root = tmp_path / "vigil"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in [path.parent, *path.parent.parents]:
            if parent == tmp_path:
                break
            (parent / "__init__.py").touch()
        path.write_text(text)
    return root


def test_it_fails_on_a_lower_app_importing_a_higher_one_even_inside_a_function(tmp_path):
    root = _tree(
        tmp_path,
        {
            "instruments/selectors.py": "def f():\n    from vigil.referrals import models\n",
            "referrals/models.py": "from vigil.instruments import models\n",
            "instruments/models.py": "",
        },
    )
    assert layering_errors(app_edges(root)) == [
        "instruments imports referrals, a higher app: vigil/instruments/selectors.py:2",
        "import circle: instruments -> referrals -> instruments",
    ]


def test_it_fails_on_a_circle_within_a_layer_and_on_an_app_without_a_layer(tmp_path):
    root = _tree(
        tmp_path,
        {
            "workforce/services.py": "from vigil import demand\n",
            "demand/services.py": "from vigil.workforce import services\n",
            "newapp/views.py": "from .. import core\n",
            "core/models.py": "",
        },
    )
    assert layering_errors(app_edges(root)) == [
        "newapp has no layer: add it to LAYERS in " + __name__,
        "import circle: demand -> workforce -> demand",
    ]


def test_plugins_count_as_the_app_they_plug_into(tmp_path):
    root = _tree(
        tmp_path,
        {
            "offenders/synthetic.py": "from vigil.synthetic import helpers\n",
            "offenders/evidence.py": "from vigil.assurance import registry\n",
            "assurance/registry.py": "from vigil.offenders import evidence\n",
            "synthetic/helpers.py": "from vigil.offenders import synthetic, services\n",
            "offenders/services.py": "",
        },
    )
    assert layering_errors(app_edges(root)) == []
