"""Views only translate HTTP (docs/architecture.md): a view module never builds a query
or writes a row itself; it calls a named query (an app's queries module, pps.access) or
an action (an app's actions module). This test reads every view module's code and names
each place that does the work of another layer, so that the rule holds without review."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a queryset or a model does: building a query, running one for rows, or writing.
QUERY_METHODS = {
    "objects",
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "values",
    "values_list",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "raw",
    "extra",
}
WRITE_METHODS = {
    "save",
    "create",
    "delete",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "atomic",
}


def view_modules():
    for path in sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/views/*.py")):
        if ".venv" not in path.parts:
            yield path


# Names that hold a dict in a view: their update() and values() are not a queryset's.
DICTS = {"context", "kwargs", "initial", "counts", "forms", "errors"}


def is_dict_method(node: ast.Attribute) -> bool:
    """context.update(...), form.errors.values(), LAYOUTS.values(): a dict's, not a query's."""
    if node.attr not in {"update", "values"}:
        return False
    receiver = node.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name in DICTS or name.isupper()


def layer_breaches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    calls = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in QUERY_METHODS | WRITE_METHODS:
            continue
        if node.attr != "objects" and id(node) not in calls:
            continue  # an attribute read (Part.values), not a call
        if is_dict_method(node):
            continue
        found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    return sorted(found, key=lambda place: int(place.split(":")[1].split()[0]))


@pytest.mark.parametrize("path", list(view_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_module_leaves_queries_and_writes_to_their_layers(path):
    assert layer_breaches(path) == []
