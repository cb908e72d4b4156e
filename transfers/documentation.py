"""The layouts' tables in docs/data-lifecycle.md, made from the layout definitions so the
document and the code cannot disagree (tests/transfers/test_documentation.py compares them;
`python manage.py shell -c "from transfers.documentation import layouts_markdown as m;
print(m())"` prints them)."""

from transfers.cells import Choice, CodeListValue
from transfers.layouts import LAYOUTS

BEGIN = "<!-- layouts: generated from transfers/layouts, do not edit by hand -->"
END = "<!-- end of layouts -->"


def _allowed(kind) -> str:
    if isinstance(kind, Choice):
        return ", ".join(f"`{value}` ({label})" for value, label in kind.choices.choices if value)
    if isinstance(kind, CodeListValue):
        return f"the service's list of {kind.model._meta.verbose_name_plural}, by name"
    return ""


def layouts_markdown() -> str:
    parts = [BEGIN]
    for layout in LAYOUTS.values():
        parts.append(f"\n#### {layout.title} (`{layout.key}`)\n")
        parts.append("| column | meaning | required | kind | allowed values |")
        parts.append("|---|---|---|---|---|")
        for column in layout.columns:
            parts.append(
                f"| `{column.name}` | {column.meaning} | {'yes' if column.required else 'no'} "
                f"| {column.kind.description} | {_allowed(column.kind)} |"
            )
    parts.append(END)
    return "\n".join(parts)
