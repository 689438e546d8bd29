"""Load YAML knowledge-base files into pydantic models with errors that name
the file, the line and the field.

A lawyer editing ``kb/`` by hand must be told exactly where a file is wrong;
pydantic alone reports a field path but not the line, so we keep yaml's node
tree and walk it along the error's location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class KBError(Exception):
    """A knowledge-base file that does not fit its schema."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


def node_at(node: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """Follow a pydantic error location through the composed YAML tree as far as it goes."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


# libyaml's loader when PyYAML was built with it: the same values, several times faster
# (the dashboard's first view loads the national figures). Errors are reported through
# the pure-Python loader, whose messages and node marks the KB tests and editors know.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_model(path: Path, model: type[M], root: Path | None = None) -> M:
    """Parse one YAML file and validate it as ``model``; raise KBError on any problem."""
    name = str(path.relative_to(root)) if root else str(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            raise KBError(name, line, "(syntax)", str(getattr(exc, "problem", exc))) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        line = node_at(node, loc).start_mark.line + 1 if node is not None else None
        field = ".".join(str(p) for p in loc) or "(file)"
        raise KBError(name, line, field, first["msg"]) from exc
