"""The shape DESIGN.md asks for, checked: dependencies point one way, pages are inert."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted(p for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "casebook").rglob("*.py")), ids=str)
def test_casebook_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize("path", sorted((ROOT / "db").rglob("*.py")), ids=str)
def test_db_never_imports_casebook(path: Path) -> None:
    # Storage sits below the domain: the engine takes a URL, and migrations carry their
    # own SQL, so that changing casebook never changes what an old migration does.
    assert "casebook" not in _imports(path)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_never_touch_the_database_directly(path: Path) -> None:
    assert _imports(path).isdisjoint({"sqlalchemy", "sqlmodel", "db", "psycopg", "sqlite3"})


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_define_render_and_run_nothing_at_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = (
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
        ast.If,
        ast.Expr,
    )
    for node in tree.body:
        assert isinstance(node, allowed), f"{path.name}:{node.lineno}"
        if isinstance(node, ast.Expr):  # only the module docstring
            assert isinstance(node.value, ast.Constant), f"{path.name}:{node.lineno}"
        if isinstance(node, ast.Assign | ast.AnnAssign):  # constants only, no calls
            assert not any(isinstance(n, ast.Call) for n in ast.walk(node)), path.name
    assert any(isinstance(n, ast.FunctionDef) and n.name == "render" for n in tree.body)
    last = tree.body[-1]
    assert isinstance(last, ast.If) and "__main__" in ast.unparse(last.test)
    assert "st.switch_page('app.py')" in ast.unparse(last)


def test_every_page_is_registered_in_the_router() -> None:
    import app

    registered = {spec.module for spec in app.PAGES} | {"login"}
    assert {p.stem for p in PAGE_FILES} == registered


# --- the package graph (DESIGN.md "Layout") ------------------------------------------------
# Dependencies go one way, down this list; packages on one line may use each other as
# long as no cycle forms. Leaves are casebook's top-level modules.
LAYERS = [
    {"casebook"},  # leaves: vocab, errors, i18n, config, textnorm, validation, ...
    {"casebook.access"},
    {"casebook.law", "casebook.incidents"},
    {"casebook.analytics", "casebook.importing", "casebook.briefs"},
    {"casebook.ops", "casebook.cli"},
    {"ui"},
    {"pages"},
    {"app"},
]
PACKAGE_ROOTS = ("casebook", "ui", "pages")


def _modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for top in PACKAGE_ROOTS:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported_modules(module: str, path: Path) -> set[str]:
    """Every project module ``module`` imports: at module level, inside functions and
    under TYPE_CHECKING alike (a lazy import is still a dependency)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{alias.name}" for alias in node.names]
            names = [n if n in MODULES else base for n in names]
        else:
            continue
        out |= {r for r in map(_resolve, names) if r and r != module}
    return out


GRAPH = {module: _imported_modules(module, path) for module, path in MODULES.items()}


def _package(module: str) -> str:
    """The layer package a module belongs to: casebook.<sub> or casebook (a leaf)."""
    if module == "casebook.__main__":  # `python -m casebook` is the CLI
        return "casebook.cli"
    parts = module.split(".")
    if parts[0] == "casebook":
        is_package = len(parts) > 1 and (ROOT / "casebook" / parts[1]).is_dir()
        return "casebook." + parts[1] if is_package else "casebook"
    return parts[0]


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_package_is_in_a_layer() -> None:
    packages = {_package(m) for m in MODULES}
    assert packages == set().union(*LAYERS)


def test_no_module_import_cycle_even_through_lazy_imports() -> None:
    assert _cycles(GRAPH) == []


def test_dependencies_point_down_the_layers() -> None:
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(_package(target)) > _layer(_package(module))
    )
    assert upward == []


def test_no_package_cycle() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        mine = _package(module)
        packages.setdefault(mine, set()).update(
            p for p in map(_package, targets) if p != mine and p != "casebook"
        )
    assert _cycles(packages) == []


def test_leaves_import_no_casebook_package() -> None:
    leaves = [m for m in GRAPH if _package(m) == "casebook"]
    assert {m: sorted(t for t in GRAPH[m] if _package(t) != "casebook") for m in leaves} == {
        m: [] for m in leaves
    }


def test_no_private_name_is_imported_from_another_module() -> None:
    crossings = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and _resolve(node.module):
                crossings += [
                    f"{module}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert crossings == []


@pytest.mark.parametrize(
    "package", sorted(p for p in {_package(m) for m in MODULES} if p.startswith("casebook."))
)
def test_each_package_names_its_public_functions(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    assert module.__doc__ and module.__all__
    for name in module.__all__:
        assert callable(getattr(module, name)), name


def test_kb_holds_data_only() -> None:
    """The knowledge base is YAML (its schemas live in casebook.law), like reporters-db."""
    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kb").rglob("*.py")) == []
