"""The layers of the code base, bottom to top: each package imports only those below it.

This test is where the order is written down; the README's diagram shows the same order.
It walks every import of the product's modules with `ast` (no module is run) and fails on an
import that points up, an import between the two packages that sit side by side, an import
cycle between modules, and an import hidden inside a function without a comment saying why.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Packages in one tuple sit side by side: neither may import the other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("config",),
    ("storage",),
    ("tasks",),
    ("zalo",),
    ("notices",),
    ("handlers", "scheduler"),
    ("console",),
    ("bot",),
)
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}
# A lazy import says why (e.g. start-up time) on its line or in a comment above its group of imports.
LAZY_REASON = "imported when"


def product_modules() -> dict[str, Path]:
    modules = {}
    for package in LEVEL:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = product_modules()


def _resolve(name: str) -> str | None:
    """The product module an import names (`a.b.c` may be a module, or a name in `a.b`)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(path: Path):
    """(imported module, line, inside a function?) for each import of a product module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function: bool, in_type_checking: bool):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            checking = in_type_checking or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [f"{child.module}.{alias.name}" for alias in child.names]
            for name in names:
                module = _resolve(name)
                if module is not None and not checking:
                    found.append((module, child.lineno, in_function))
            visit(child, nested, checking)

    visit(tree, False, False)
    return found


def _package(module: str) -> str:
    return module.split(".")[0]


def test_every_import_points_down():
    wrong = []
    for name, path in MODULES.items():
        for target, line, _ in imports_of(path):
            here, there = _package(name), _package(target)
            if here == there:
                continue
            if LEVEL[there] >= LEVEL[here]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({there} is not below {here})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = {name: {t for t, _, in_function in imports_of(path) if t != name} for name, path in MODULES.items()}
    # Importing `a.b` runs `a/__init__.py` first: the package counts as imported too.
    for name in list(graph):
        for target in list(graph[name]):
            parent = target.rpartition(".")[0]
            while parent:
                if parent in graph and parent != name and not name.startswith(parent + "."):
                    graph[name].add(parent)
                parent = parent.rpartition(".")[0]
    cycles, state = [], {}

    def walk(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                walk(target, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            walk(node, [])
    assert not cycles, "\n".join(cycles)


def _says_why(lines: list[str], line: int) -> bool:
    """Its own line, or the comment lines and imports just above it, give the reason."""
    index = line - 1
    while index >= 0:
        text = lines[index].strip()
        if LAZY_REASON in text.lower():
            return True
        if not text.startswith(("#", "from ", "import ")):
            return False
        index -= 1
    return False


def test_imports_inside_functions_say_why():
    silent = []
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for _, line, in_function in imports_of(path):
            if in_function and not _says_why(lines, line):
                silent.append(f"{path.relative_to(ROOT)}:{line}")
    assert not silent, "imports inside functions without a reason:\n" + "\n".join(silent)


def test_dev_code_stays_out_of_the_product():
    reached = [f"{path.relative_to(ROOT)}:{line}" for path in MODULES.values()
               for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if text.lstrip().startswith(("from dev", "import dev", "from bench", "from tests"))]
    assert not reached, "\n".join(reached)
