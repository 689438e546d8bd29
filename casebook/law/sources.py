"""Every link in kb/ must point at a primary source or a named news organisation.

`python -m casebook law check` runs ``check_sources``: a host that is not on the allow-list in
``kb/sources.yaml`` (forums, tag pages, blogs, law-firm pages, portals, staging hosts), a link to
a mirror of the official texts that names a branch instead of a commit, and a confirmed fact
with no link to an official text are each reported as ``file:line: field: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from casebook.law.yamlload import KBError

KB_ROOT = Path(__file__).resolve().parents[2] / "kb"
ALLOW_FILE = "sources.yaml"
_COMMIT = re.compile(r"^/blob/[0-9a-f]{40}/")
NO_OFFICIAL = (
    "a confirmed fact needs a link to the official text "
    "(law.go.kr, an official publisher, or a mirror commit)"
)


@dataclass(frozen=True)
class AllowList:
    official: tuple[str, ...]
    press: tuple[str, ...]
    mirrors: tuple[str, ...]

    def _matches(self, host: str, domains: tuple[str, ...]) -> bool:
        return any(host == d or host.endswith("." + d) for d in domains)

    def problem(self, url: str) -> str | None:
        """Why ``url`` may not be cited, or None when it may."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        for mirror in self.mirrors:
            mhost, _, repo = mirror.partition("/")
            if host == mhost and parts.path.startswith(f"/{repo}/"):
                rest = parts.path[len(repo) + 1 :]
                return (
                    None if _COMMIT.match(rest) else "mirror link must name a commit, not a branch"
                )
        if self._matches(host, self.official) or self._matches(host, self.press):
            return None
        return f"host {host} is not on the allow-list (kb/{ALLOW_FILE})"

    def is_official(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return self._matches(host, self.official) or (
            any(url.startswith(f"https://{m}/") for m in self.mirrors) and self.problem(url) is None
        )


def load_allow_list(kb_root: Path = KB_ROOT) -> AllowList:
    data = yaml.safe_load((kb_root / ALLOW_FILE).read_text(encoding="utf-8")) or {}
    return AllowList(
        tuple(data.get("official") or ()),
        tuple(data.get("press") or ()),
        tuple(data.get("mirrors") or ()),
    )


@cache
def _default_allow_list() -> AllowList:
    return load_allow_list(KB_ROOT)


def _links(node: yaml.Node, path: tuple[str, ...] = ()) -> Iterator[tuple[str, int, str]]:
    """(field path, line, url) of every URL scalar in a composed YAML tree."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _links(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _links(item, (*path, str(i)))
    elif isinstance(node, yaml.ScalarNode) and re.match(r"^https?://", str(node.value)):
        yield ".".join(path), node.start_mark.line + 1, str(node.value)


def _fact_files(kb_root: Path) -> list[Path]:
    return sorted(p for p in kb_root.rglob("*.yaml") if p.name != ALLOW_FILE)


def _unsourced(node: yaml.Node, allow: AllowList) -> Iterator[tuple[str, int, str]]:
    """Confirmed entries (``verified: true``) that cite no official text at all."""

    def walk(n: yaml.Node, path: tuple[str, ...]) -> Iterator[tuple[str, int, str]]:
        if isinstance(n, yaml.MappingNode):
            keys = {k.value: v for k, v in n.value}
            verified = keys.get("verified")
            if (
                isinstance(verified, yaml.ScalarNode)
                and verified.value == "true"
                and "source" in keys
                and "publisher" not in _keys(keys["source"])  # a national figure: press is fine
            ):
                urls = [u for _, _, u in _links(keys["source"])]
                if not any(allow.is_official(u) for u in urls):
                    where = ".".join((*path, "source"))
                    yield where, keys["source"].start_mark.line + 1, NO_OFFICIAL
            for k, v in n.value:
                yield from walk(v, (*path, str(k.value)))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                yield from walk(item, (*path, str(i)))

    yield from walk(node, ())


def _keys(node: yaml.Node) -> set[str]:
    return {k.value for k, _ in node.value} if isinstance(node, yaml.MappingNode) else set()


def check_sources(kb_root: Path = KB_ROOT) -> list[KBError]:
    """Every disallowed link and every confirmed fact without an official source under kb/."""
    allow = _default_allow_list() if kb_root == KB_ROOT else load_allow_list(kb_root)
    errors: list[KBError] = []
    for path in _fact_files(kb_root):
        name = str(path.relative_to(kb_root.parent))
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        if node is None:
            continue
        # An anchored source (`&x` ... `*x`) is one node reached from several entries: report
        # each written line once.
        seen: set[tuple[int, str]] = set()
        for field, line, url in _links(node):
            problem = allow.problem(url)
            if problem and (line, url) not in seen:
                seen.add((line, url))
                errors.append(KBError(name, line, field, f"{problem}: {url}"))
        for field, line, message in _unsourced(node, allow):
            if (line, message) not in seen:
                seen.add((line, message))
                errors.append(KBError(name, line, field, message))
    return errors
