"""The mutants of one module: small, deliberate bugs made from its syntax tree.

Each mutant changes one expression. The change is written back into the source text at
that expression's exact position, so the rest of the file (comments, layout, line
numbers) stays as it was and a report can quote the line.

The operators are the bugs a counting rule or an access rule is likely to get wrong:
a boundary (< for <=, a lookup __lt for __lte, the first day of a period for the day
before it), a constant one out, and/or, a lost `not` or `~`, a dropped filter or lock,
min for max, and a query that returns everything instead of nothing (or the reverse).
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass

COMPARISONS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
# Boundary lookups of the ORM, as written in keyword arguments (on__lte=day).
LOOKUPS = {"__lte": "__lt", "__lt": "__lte", "__gte": "__gt", "__gt": "__gte"}
# A period's days: mixing them up is the classic counting bug (brought forward counted
# at the end of the first day instead of the day before).
PERIOD_DAYS = ("first", "last", "day_before")
# Chained query calls whose loss changes what is read, in which order, or under a lock.
DROPPABLE_CALLS = {"select_for_update", "distinct", "order_by", "select_related"}
FILTERS = {"filter", "exclude"}
SWAPPED_CALLS = {"max": "min", "min": "max", "any": "all", "all": "any"}


@dataclass(frozen=True)
class Mutant:
    number: int
    line: int
    operator: str
    before: str
    after: str
    source: str  # the whole mutated module

    @property
    def label(self) -> str:
        return f"#{self.number} line {self.line} [{self.operator}] {self.before} -> {self.after}"


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, annotations and decorators (frozen=True): no counting or access rule."""
    skipped = set()
    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", []):
            skipped.update(id(n) for n in ast.walk(decorator))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.update(id(n) for n in ast.walk(first))
        annotations = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
            arguments = node.args
            for arg in [
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                arguments.vararg,
                arguments.kwarg,
            ]:
                if arg is not None:
                    annotations.append(arg.annotation)
        for annotation in annotations:
            if annotation is not None:
                skipped.update(id(n) for n in ast.walk(annotation))
    return skipped


def _copy(node: ast.AST) -> ast.AST:
    return ast.parse(ast.unparse(node), mode="eval").body


def _variants(node: ast.AST, called: set[int]) -> Iterator[tuple[str, ast.AST]]:
    """(operator name, replacement expression) for each mutant of this one node.

    `called` holds the ids of attributes that are called: `qs.first()` is a method, not a
    period's first day."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            swapped = COMPARISONS.get(type(op))
            if swapped:
                new = _copy(node)
                new.ops[index] = swapped()
                yield "comparison", new
    elif isinstance(node, ast.BoolOp):
        new = _copy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "and/or", new
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        new = _copy(node)
        new.op = ARITHMETIC[type(node.op)]()
        yield "arithmetic", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert):
        yield ("not removed" if isinstance(node.op, ast.Not) else "~ removed"), _copy(node.operand)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            yield "boolean", ast.Constant(not node.value)
        elif isinstance(node.value, int):
            yield "constant +1", ast.Constant(node.value + 1)
            yield "constant -1", ast.Constant(node.value - 1)
    elif isinstance(node, ast.Attribute) and node.attr in PERIOD_DAYS and id(node) not in called:
        for other in PERIOD_DAYS:
            if other != node.attr:
                new = _copy(node)
                new.attr = other
                yield "period day", new
    elif isinstance(node, ast.Call):
        yield from _call_variants(node)


def _call_variants(node: ast.Call) -> Iterator[tuple[str, ast.AST]]:
    func = node.func
    if isinstance(func, ast.Name) and func.id in SWAPPED_CALLS:
        new = _copy(node)
        new.func.id = SWAPPED_CALLS[func.id]
        yield f"{func.id}/{SWAPPED_CALLS[func.id]}", new
    if isinstance(func, ast.Attribute):
        if func.attr in DROPPABLE_CALLS:
            yield f".{func.attr}() dropped", _copy(func.value)
        if func.attr in FILTERS:
            new = ast.Call(ast.Attribute(_copy(func.value), "all", ast.Load()), [], [])
            yield f".{func.attr}() dropped", new
        if func.attr == "none":
            yield (
                ".none() -> .all()",
                ast.Call(ast.Attribute(_copy(func.value), "all", ast.Load()), [], []),
            )
        if func.attr == "order_by":
            for index, arg in enumerate(node.args):
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("-"):
                    new = _copy(node)
                    new.args[index] = ast.Constant(arg.value[1:])
                    yield "descending -> ascending", new
    for index, keyword in enumerate(node.keywords):
        if keyword.arg is None:
            continue
        for suffix, other in LOOKUPS.items():
            if keyword.arg.endswith(suffix):
                new = _copy(node)
                new.keywords[index].arg = keyword.arg[: -len(suffix)] + other
                yield "lookup boundary", new
                break
        if keyword.arg == "filter":
            new = _copy(node)
            del new.keywords[index]
            yield "aggregate filter dropped", new


def _query_returns(tree: ast.AST) -> set[int]:
    """The return statements of functions annotated to return a QuerySet."""
    found = set()
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and "QuerySet" in ast.unparse(
            function.returns or ast.Constant(None)
        ):
            found.update(id(n) for n in ast.walk(function) if isinstance(n, ast.Return))
    return found


def _return_variants(node: ast.Return, source: str) -> Iterator[tuple[str, str]]:
    """A query function that returns nothing (`.none()` on what it returned)."""
    value = node.value
    if value is None:
        return
    text = ast.get_source_segment(source, value)
    if text and ".objects" in text and not text.rstrip().endswith(".none()"):
        yield "returns nothing", f"({text}).none()"


def _replace(source: str, node: ast.AST, text: str) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()))
    data = source.encode()
    start = offsets[node.lineno - 1] + node.col_offset
    end = offsets[node.end_lineno - 1] + node.end_col_offset
    return (data[:start] + text.encode() + data[end:]).decode()


def mutants_of(source: str) -> list[Mutant]:
    """Every mutant of a module's source, in the order of the source."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    query_returns = _query_returns(tree)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        before = ast.get_source_segment(source, node) or ""
        replacements = []
        if isinstance(node, ast.Return) and id(node) in query_returns:
            replacements = [
                (name, node.value, text) for name, text in _return_variants(node, source)
            ]
        elif isinstance(node, ast.expr):
            text_of = ast.unparse
            # A change inside a multi-line expression is quoted by that expression's text.
            replacements = [(name, node, text_of(new)) for name, new in _variants(node, called)]
        for name, target, text in replacements:
            # Parenthesised, so that the replacement binds as the original did.
            if isinstance(target, ast.expr) and not isinstance(target, ast.Constant):
                text = f"({text})"
            mutated = _replace(source, target, text)
            if mutated == source:
                continue
            try:
                ast.parse(mutated)
            except SyntaxError:
                continue
            shown_before = " ".join(before.split()) if name != "returns nothing" else "return"
            found.append((target.lineno, target.col_offset, name, shown_before, text, mutated))
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    return [
        Mutant(number, line, name, shorten(before), shorten(text), mutated)
        for number, (line, _column, name, before, text, mutated) in enumerate(found, start=1)
    ]


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
