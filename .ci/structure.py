"""Structure checks: no import circle among Kezek's modules, no module over 400 lines outside migrations.

Usage: python .ci/structure.py   (exit 1 and a list of what is wrong; run by .ci/run and a test)

Imports are read with `ast` from the source, not by importing: every `import x` and `from x import y`
naming a module of the tree counts, at the top of a module or inside a function alike (a deferred
import hides a circle from Python, not from a reader). A module importing its own package's
__init__ (Flask's blueprint pattern: routes take `bp` from the package that imports them) does not.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kezek", "kiosk", "display", "directory", "printer")
MOST_LINES = 400

# Modules allowed over the limit (none: issue 18 split the last two); a module over it fails.
LONG_ALLOWED: set[str] = set()

# Import circles still present, each as the modules it joins, in sorted order (none: issue 18 broke the
# last three). A new circle fails.
CIRCLES_ALLOWED: set[tuple[str, ...]] = set()


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the tree by dotted name, migrations left out."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the tree that module `name` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            # A module importing its own package (a blueprint's routes taking `bp` from __init__.py,
            # which imports the routes) is Flask's blueprint pattern, not a circle between modules.
            if target and target != name and not name.startswith(f"{target}."):
                found.add(target)
    return found


def circles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(tuple(sorted(group)))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def problems(root: Path = ROOT) -> list[str]:
    """What breaks the structure rules, one line each (empty when all hold)."""
    known = modules(root)
    found = []
    for name, path in known.items():
        relative = path.relative_to(root).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MOST_LINES and relative not in LONG_ALLOWED:
            found.append(f"{relative}: {lines} lines (at most {MOST_LINES}): split it by responsibility")
    graph = {name: imports(name, path, known) for name, path in known.items()}
    for group in circles(graph):
        if group not in CIRCLES_ALLOWED:
            found.append("import circle among: " + ", ".join(group))
    return found


def main() -> int:
    """Print every problem; exit 1 if there is one."""
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"structure: no new import circle, no new module over {MOST_LINES} lines "
              f"({len(LONG_ALLOWED)} long modules and {len(CIRCLES_ALLOWED)} circles still allowed)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
