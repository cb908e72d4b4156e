"""The forms a page offers, read from its HTML the way a browser would submit them.

The property tests post what these forms would post, field by field, with the values
replaced by generated input: so a field added to a form is covered without touching them.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Inputs a person does not fill in: they submit nothing (buttons are handled apart).
NOT_SUBMITTED = {"submit", "button", "reset", "image"}


@dataclass
class Field:
    name: str
    kind: str
    initial: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class PageForm:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name, kind, *, value=None, selected=False, option=False, multiple=False):
        entry = self.fields.setdefault(name, Field(name=name, kind=kind, multiple=multiple))
        if option and value is not None:
            entry.options.append(value)
        if value is not None and (selected or not option):
            entry.initial.append(value)


class _FormReader(HTMLParser):
    def __init__(self, method):
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.select: str | None = None
        self.option: dict | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == self.method:
                self.form = PageForm(action=attrs.get("action", ""))
                self.forms.append(self.form)
            return
        if self.form is None or (tag != "option" and "name" not in attrs):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            name = attrs["name"]
            if kind in NOT_SUBMITTED:
                if kind == "submit":
                    self.form.add(name, "button", value=attrs.get("value", ""), option=True)
                return
            if kind in ("checkbox", "radio"):
                self.form.add(
                    name,
                    kind,
                    value=attrs.get("value", "on"),
                    selected="checked" in attrs,
                    option=True,
                    multiple=kind == "checkbox",
                )
            else:
                self.form.add(name, kind, value=attrs.get("value", ""))
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit":
                self.form.add(attrs["name"], "button", value=attrs.get("value", ""), option=True)
        elif tag == "select":
            self.select = attrs["name"]
            self.form.add(self.select, "select", multiple="multiple" in attrs)
        elif tag == "option" and self.select:
            self.option = attrs
            self.text = []
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.text = []

    def handle_data(self, data):
        self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea" and self.form is not None and self.textarea:
            self.form.add(self.textarea, "textarea", value="".join(self.text).lstrip("\n"))
            self.textarea = None

    def _close_option(self):
        if self.option is None or self.form is None:
            return
        value = self.option.get("value", "".join(self.text).strip())
        self.form.add(
            self.select, "select", value=value, selected="selected" in self.option, option=True
        )
        self.option = None


def post_forms(html: str) -> list[PageForm]:
    return page_forms(html, "post")


def page_forms(html: str, method: str) -> list[PageForm]:
    reader = _FormReader(method)
    reader.feed(html)
    reader.close()
    return reader.forms
