"""The import graph keeps the access layer the only door and the card on top (ADR 0017).

Every import in product code (tests and migrations aside), also one inside a function, is read
with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # tyollisyystalo/
PACKAGE = "tyollisyystalo"

# What the access layer may build on: the record apps' models and the log writer, no selectors,
# services or views of any app that holds client data.
ACCESS_MAY_IMPORT = {
    "tyollisyystalo.access",
    "tyollisyystalo.audit.models",
    "tyollisyystalo.audit.services",
    "tyollisyystalo.clients.categories",
    "tyollisyystalo.clients.models",
    "tyollisyystalo.consents.models",
    "tyollisyystalo.organisations.models",
    "tyollisyystalo.staff.models",
    "tyollisyystalo.staff.roles",
    "tyollisyystalo.shared.registry",  # a pure ordered registry, no app imports
}
# The role table stays pure so that staff.models can import it without a cycle.
POLICY_MAY_IMPORT = {"tyollisyystalo.clients.categories", "tyollisyystalo.staff.roles"}
# Apps above clients in the import graph.
ABOVE_CLIENTS = {
    "rules",
    "instruments",
    "cases",
    "plans",
    "referrals",
    "worktrials",
    "employers",
    "coaching",
    "coaching_modules",
    "coaching_worklist",
    "casefile",
}


def _product_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        parts = [PACKAGE, *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules.append((".".join(parts), path))
    return modules


def imports_of(path: Path, module: str) -> set[str]:
    """Every module ``path`` imports, relative imports resolved, ``from x import y`` as x.y."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith(PACKAGE + ".")}


MODULES = _product_modules()


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _violations(allowed: object) -> list[str]:
    found = []
    for module, path in MODULES:
        for target in sorted(imports_of(path, module)):
            reason = allowed(module, target)  # type: ignore[operator]
            if reason:
                found.append(f"{module} imports {target}: {reason}")
    return found


def _no_record_app_imports_the_card(module: str, target: str) -> str:
    if app_of(target) == "casefile" and app_of(module) != "casefile":
        return "only the top (the card, config) may import the card composition"
    return ""


def _clients_stays_below(module: str, target: str) -> str:
    if app_of(module) == "clients" and app_of(target) in ABOVE_CLIENTS:
        return "clients sits below the apps that draw sections of the card"
    return ""


def _access_stays_at_the_bottom(module: str, target: str) -> str:
    if app_of(module) != "access":
        return ""
    if any(target == a or target.startswith(a + ".") for a in ACCESS_MAY_IMPORT):
        return ""
    if target.rpartition(".")[0] in ACCESS_MAY_IMPORT:  # from x.models import Name
        return ""
    return "the access layer builds only on models and the log writer"


def _policy_is_pure(module: str, target: str) -> str:
    if module != "tyollisyystalo.access.policy":
        return ""
    if target in POLICY_MAY_IMPORT or target.rpartition(".")[0] in POLICY_MAY_IMPORT:
        return ""
    return "the role table imports no models"


@pytest.mark.parametrize(
    "rule",
    [
        _no_record_app_imports_the_card,
        _clients_stays_below,
        _access_stays_at_the_bottom,
        _policy_is_pure,
    ],
)
def test_import_graph_rule_holds(rule: object) -> None:
    assert _violations(rule) == []


def test_the_walk_sees_the_modules_it_checks() -> None:
    names = {module for module, _ in MODULES}
    assert {"tyollisyystalo.access.gatekeeper", "tyollisyystalo.clients.selectors"} <= names
    clients_selectors = dict(MODULES)["tyollisyystalo.clients.selectors"]
    assert "tyollisyystalo.access.gatekeeper" in imports_of(
        clients_selectors, "tyollisyystalo.clients.selectors"
    )


def test_no_module_imports_the_old_gatekeeper_or_policy() -> None:
    old = {"tyollisyystalo.consents.gatekeeper", "tyollisyystalo.staff.policy"}
    assert [m for m, p in MODULES if imports_of(p, m) & old] == []
