"""The parts of workspace/ import each other in layers, without cycles (docs/architecture.md).

A part is a package under workspace/ (`workspace.projects.access` is part `projects`) or a
top-level module (`workspace/forms.py` is part `forms`; `workspace/__init__.py`, the app
factory, is part `app`). Every import counts, at module level or inside a function: a
function-level import is a dependency too, only a later one.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "workspace"

# Lowest first. A part imports parts of its own layer or of lower ones, never of a higher
# one; within a layer, imports may go either way but never round (the cycle test).
LAYERS: list[set[str]] = [
    # Foundations: no domain. The item registry, web helpers, forms, language and time.
    {"config", "types", "extensions", "errors", "text", "items", "kept", "fragments", "links",
     "i18n", "forms", "web", "conditional"},
    {"auth"},  # accounts and sign-in
    {"projects"},  # projects, memberships, and access (who may see and do what)
    {"activity"},  # events
    {"comments"},  # commenting on any item, with attachments
    # the item kinds
    {"files", "messages", "todos", "milestones", "documents", "folders", "schedule"},
    {"mail", "inbound", "notifications", "alerts"},  # reactions: emails in and out
    # Pages and interfaces drawing on many domains, and the jobs.
    {"api", "feeds", "search", "overview", "admin", "scheduler", "backup", "demo", "health",
     "project_templates"},
    {"commands", "models", "app"},  # the app factory, its commands, every model
    {"cli"},  # the `workspace` command: makes an app
]
LAYER_OF = {part: number for number, layer in enumerate(LAYERS) for part in layer}

Import = tuple[str, str, str]  # (importing part, imported part, "file:line")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    names = module.split(".")
    return names[1] if len(names) > 1 else "app"


def is_module(module: str) -> bool:
    path = ROOT.parent.joinpath(*module.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imported_modules(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the module's package, up `level - 1` more
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    # `from workspace import access` imports a module; `from workspace import create_app`
    # imports a name of the package.
    return list(dict.fromkeys(f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}")
                              else base for alias in node.names))


def imports() -> Iterator[Import]:
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        source = part_of(module)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for target in imported_modules(node, module, path.name == "__init__.py"):
                if target == "workspace" or target.startswith("workspace."):
                    destination = part_of(target)
                    if destination != source:
                        yield source, destination, f"{path.relative_to(ROOT.parent)}:{node.lineno}"


def graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], list[str]]]:
    edges: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, destination, place in imports():
        edges[source].add(destination)
        where[source, destination].append(place)
    return edges, where


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A shortest cycle of parts (first part repeated at the end), or None."""
    shortest: list[str] | None = None
    for start in sorted(edges):
        paths, frontier = {start: [start]}, [start]
        while frontier:
            following = []
            for part in frontier:
                for destination in sorted(edges.get(part, ())):
                    if destination == start:
                        cycle = [*paths[part], start]
                        if shortest is None or len(cycle) < len(shortest):
                            shortest = cycle
                    elif destination not in paths:
                        paths[destination] = [*paths[part], destination]
                        following.append(destination)
            frontier = [] if shortest and len(shortest) <= len(paths[start]) + 1 else following
    return shortest


def test_no_two_parts_import_each_other() -> None:
    edges, where = graph()
    cycle = find_cycle(edges)
    if cycle:
        steps = "\n".join(f"  {a} -> {b}: {', '.join(where[a, b][:3])}"
                          for a, b in pairwise(cycle))
        raise AssertionError(f"import cycle {' -> '.join(cycle)}:\n{steps}")


def test_every_part_has_a_layer() -> None:
    parts = {part_of(module_name(path)) for path in ROOT.rglob("*.py")}
    assert parts - LAYER_OF.keys() == set(), "place each new part in LAYERS"
    assert LAYER_OF.keys() - parts == set(), "LAYERS names parts that do not exist"


def test_no_part_imports_a_higher_layer() -> None:
    _, where = graph()
    upward = [f"{a} (layer {LAYER_OF[a]}) -> {b} (layer {LAYER_OF[b]}): {', '.join(places)}"
              for (a, b), places in sorted(where.items()) if LAYER_OF[b] > LAYER_OF[a]]
    assert upward == [], "\n".join(upward)


def test_the_graph_is_read_whole() -> None:
    """The app factory imports the parts whose routes and commands it registers inside its
    functions only: those imports are in the graph."""
    edges, _ = graph()
    assert {"auth", "projects", "comments", "search", "commands"} <= edges["app"]
