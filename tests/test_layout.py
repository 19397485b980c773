"""The layout's rules (README, "Layout"), held: the conversation knows no SDK, no
module imports itself round in a circle, and a package face only re-exports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SKILL = ROOT / "skill"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in SKILL.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Every module a module imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if f"{node.module}.{alias.name}" in MODULES)
    return found


def own(imported: set[str]) -> set[str]:
    return {name for name in imported if name in MODULES}


def reachable_from(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(own(imports_of(name)))
    return seen


def test_the_coach_imports_nothing_of_the_sdk_even_through_other_modules():
    for name in [module for module in MODULES if module.startswith("skill.coach")]:
        for reached in reachable_from(name):
            outside = {imported for imported in imports_of(reached)
                       if imported.split(".")[0] in ("ask_sdk_core", "ask_sdk_model",
                                                     "ask_sdk_runtime", "flask", "boto3")}
            assert not outside, f"{name} reaches {reached}, which imports {outside}"


def test_the_coach_runs_in_a_process_that_has_no_sdk():
    code = ("import sys; import skill.coach.moves; "
            "print(sorted(m for m in sys.modules if m.startswith('ask_sdk')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_module_imports_itself_round_in_a_circle():
    for name in MODULES:
        for reached in reachable_from(name) - {name}:
            assert name not in own(imports_of(reached)), \
                f"import cycle: {name} -> ... -> {reached} -> {name}"


def test_only_skill_alexa_dispatches_requests():
    """Request handlers and interceptors are the SDK's: only skill/alexa/ makes them."""
    for name in MODULES:
        if "ask_sdk_core.dispatch_components" in imports_of(name):
            assert name.startswith("skill.alexa."), name


def test_the_content_package_face_only_re_exports():
    tree = ast.parse((SKILL / "content" / "__init__.py").read_text())
    for node in tree.body:
        is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        is_all = isinstance(node, ast.Assign) and [getattr(target, "id", None)
                                                   for target in node.targets] == ["__all__"]
        assert is_docstring or is_all or isinstance(node, ast.ImportFrom), ast.dump(node)[:80]
