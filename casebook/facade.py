"""Package facades that name a package's public functions without importing them all.

``from casebook.incidents import record_incident`` works, yet importing one module of a
package (as `python -m casebook stats summary` does) loads only that module: each name
is imported from its module on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def facade(
    package: str, public: dict[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, whose public names are
    given per module: ``{"store": ("record_incident", ...)}``."""
    owner = {name: module for module, names in public.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in owner:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{owner[name]}"), name)

    def __dir__() -> list[str]:
        return sorted(owner)

    return __getattr__, __dir__, sorted(owner)
