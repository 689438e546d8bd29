"""A real `streamlit run` server on a free port and Debian's Chromium under Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from casebook.config import get_settings
from casebook.ops import migrate as dbadmin
from db.engine import engine_for
from tests.factories import Factory

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str], log_path: Path) -> Iterator[str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=os.environ | env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc, log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def app_server(
    tmp: Path, seed: Callable[[Factory], object] = lambda factory: None
) -> Iterator[tuple[str, str]]:
    """A migrated SQLite database under ``tmp`` with an admin (and whatever ``seed`` adds),
    served by a real `streamlit run`; yields (base URL, the admin's username)."""
    url = f"sqlite:///{tmp / 'casebook.db'}"
    env = {
        "DATABASE_URL": url,
        "CASEBOOK_DATA_DIR": str(tmp / "data"),
        "CASEBOOK_DEMO": "0",
        "CASEBOOK_SECRET_KEY": os.environ["CASEBOOK_SECRET_KEY"],
    }
    dbadmin.upgrade(url)
    old = {name: os.environ.get(name) for name in ("DATABASE_URL", "CASEBOOK_DATA_DIR")}
    # The factory's writes read settings (DATABASE_URL, and the data folder that holds
    # the audit chain's key) like the app does.
    os.environ.update({name: env[name] for name in old})
    get_settings.cache_clear()
    try:
        with Session(engine_for(url), expire_on_commit=False) as session:
            factory = Factory(session)
            admin = factory.admin
            seed(factory)
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
    with streamlit_server(env, tmp / "server.log") as base:
        yield base, admin.username


def _wait_healthy(base: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited:\n" + log_path.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in 60 s")


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script for this page."""
    page.wait_for_selector(".stApp", timeout=timeout)
    page.wait_for_function(
        "() => { const a = document.querySelector('.stApp');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=timeout,
    )
    page.wait_for_timeout(300)  # let the last deltas paint
    page.wait_for_function(
        "() => document.querySelector('.stApp').getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=timeout,
    )
