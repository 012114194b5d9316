"""The house imports one way. Reads the imports of every app module (ast, no import of the code) and fails on:

- an import of an app listed after the importing app in LAYERS (so no cycle between apps, and core imports no app);
- an import inside a function body, unless a comment on its line (or the line above) says why it must be there;
- another app's model manager used directly (`OtherModel.objects`, `OtherModel._default_manager`): an app reads
  another app's data through that app's selectors or services (models may be imported for type hints and keys).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app may import only the apps before it. `config` is wiring: it may import every app and no app imports it.
LAYERS = [
    "core",
    "partners",
    "specializations",
    "learning",
    "certifications",
    "csat",
    "compliance",
    "renewals",
    "loyalty",
    "integrations",
    "webhooks",
    "home",
]
WIRING = "config"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def app_modules(root: Path, app: str) -> list[Path]:
    return sorted(p for p in (root / app).rglob("*.py") if "migrations" not in p.parts)


def imported_app(module: str | None, level: int, path: Path, root: Path) -> str | None:
    """The top-level app an import refers to (relative imports stay inside the importing app)."""
    if level or not module:
        return path.relative_to(root).parts[0]
    top = module.split(".")[0]
    return top if top in LAYERS or top == WIRING else None


def model_names(root: Path, app: str) -> set[str]:
    """Class names defined in an app's models module(s)."""
    names: set[str] = set()
    for path in [root / app / "models.py", *sorted((root / app / "models").glob("*.py"))]:
        if path.exists():
            tree = ast.parse(path.read_text())
            names |= {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return names


def violations(root: Path = ROOT, layers: list[str] = LAYERS) -> list[Violation]:
    rank = {app: i for i, app in enumerate(layers)}
    models_of = {app: model_names(root, app) for app in layers}
    found: list[Violation] = []
    for app in [*layers, WIRING]:
        for path in app_modules(root, app):
            rel = str(path.relative_to(root))
            source = path.read_text()
            lines = source.splitlines()
            tree = ast.parse(source)
            in_function = {
                id(sub)
                for fn in ast.walk(tree)
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                for sub in ast.walk(fn)
                if isinstance(sub, ast.Import | ast.ImportFrom)
            }
            foreign_models: dict[str, str] = {}  # local name -> app, for other apps' model classes
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                explained = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                if id(node) in in_function and not explained:
                    found.append(Violation(rel, node.lineno, "import inside a function (say why in a comment)"))
                modules = (
                    [(a.name, 0) for a in node.names] if isinstance(node, ast.Import) else [(node.module, node.level)]
                )
                for module, level in modules:
                    target = imported_app(module, level, path, root)
                    if target is None or target == app:
                        continue
                    if target == WIRING:
                        found.append(
                            Violation(rel, node.lineno, f"{app} imports {WIRING} (wiring imports apps, not back)")
                        )
                    elif app != WIRING and rank[target] > rank[app]:
                        found.append(Violation(rel, node.lineno, f"{app} imports {target}, which comes after it"))
                    if app != WIRING and isinstance(node, ast.ImportFrom) and module == f"{target}.models":
                        for alias in node.names:
                            if alias.name in models_of.get(target, set()):
                                foreign_models[alias.asname or alias.name] = target
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("objects", "_default_manager")
                    and isinstance(node.value, ast.Name)
                    and node.value.id in foreign_models
                ):
                    owner = foreign_models[node.value.id]
                    found.append(
                        Violation(rel, node.lineno, f"{node.value.id}.{node.attr}: read {owner} through its selectors")
                    )
    return found


def test_the_house_imports_one_way():
    found = violations()
    assert not found, "\n".join(map(str, found))


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a cycle: each imports the other, so one of them imports an app after it
        (
            {"core/a.py": "from partners import b\n", "partners/b.py": "from core import a\n"},
            "core/a.py:1: core imports partners, which comes after it",
        ),
        ({"core/a.py": "def f():\n    import partners.b\n"}, "core/a.py:2: import inside a function"),
        ({"partners/a.py": "from config import settings\n"}, "partners/a.py:1: partners imports config"),
        (
            {
                "core/models.py": "class Event:\n    pass\n",
                "partners/a.py": "from core.models import Event\n\nEvent.objects.all()\n",
            },
            "partners/a.py:3: Event.objects: read core through its selectors",
        ),
    ],
)
def test_the_check_fails_on_a_violation(tmp_path, files, expected):
    write(tmp_path, files)
    found = [str(v) for v in violations(tmp_path, ["core", "partners"])]
    assert any(v.startswith(expected) for v in found), found


def test_a_comment_explains_an_import_inside_a_function(tmp_path):
    write(tmp_path, {"partners/a.py": "def f():\n    from core import b  # b imports this module\n"})
    assert violations(tmp_path, ["core", "partners"]) == []


def test_no_app_file_is_over_500_lines():
    """A module that outgrows a few hundred lines is split at its seams (migrations aside)."""
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for app in [*LAYERS, WIRING]
        for path in app_modules(ROOT, app)
        if (count := len(path.read_text().splitlines())) > 500
    ]
    assert not long, "\n".join(long)
