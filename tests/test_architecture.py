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
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign,
               ast.AnnAssign, ast.If, ast.Expr)  # fmt: skip
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
