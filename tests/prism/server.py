"""Stoplight Prism as a mock server on 127.0.0.1: installed from tests/prism/package-lock.json, started per
document, stopped when its document is done. The same lock pins pyright, which type-checks the docs' examples."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRISM = HERE / "node_modules" / ".bin" / "prism"
PYRIGHT = HERE / "node_modules" / ".bin" / "pyright"
INSTALL = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
START_TIMEOUT_S = 120.0


class NodeUnavailable(Exception):
    """This machine has no node: what needs a node tool is skipped, saying this."""


class PrismFailed(Exception):
    """A node tool could not be installed, or Prism could not serve a document."""


def installed_prism() -> Path:
    """Prism's command; installs it (as `make prism` does) when node is there and it is not."""
    return installed_node_tool(PRISM, "the Prism contract suite")


def installed_node_tool(command: Path, needed_by: str) -> Path:
    """A command of this folder's node packages (Prism, pyright), installed from its package-lock.json
    (as `make prism` does) when node is there and the command is not. Raises NodeUnavailable without
    node, PrismFailed when the install fails: the corpus runner uses it outside pytest."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeUnavailable(f"node and npm are not installed: {needed_by} needs them (https://nodejs.org)")
    if not command.exists():
        ran = subprocess.run(INSTALL, cwd=HERE, capture_output=True, text=True, timeout=600, check=False)
        if ran.returncode != 0:
            raise PrismFailed(f"`npm ci` in {HERE} could not install {command.name}:\n{ran.stderr[-3000:]}")
    return command


def node_tool_or_skip(command: Path, needed_by: str) -> Path:
    """The command for a test: the test is skipped, saying why, without node, and fails if the install does."""
    import pytest  # only tests call this; the corpus runner has no pytest session

    try:
        return installed_node_tool(command, needed_by)
    except NodeUnavailable as exc:
        pytest.skip(str(exc))
    except PrismFailed as exc:
        pytest.fail(str(exc))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextmanager
def prism_mock(document: Path, log: Path, seed: str) -> Iterator[str]:
    """The URL of a Prism mock of `document`, listening on 127.0.0.1 only; its log is written to `log`.

    `seed` makes its dynamic responses (asked for per request with `Prefer: dynamic=true`) repeatable.
    """
    port = _free_port()
    command = [str(installed_prism()), "mock", "--host", "127.0.0.1", "--port", str(port), "--seed", seed, "-v", "warn"]
    with log.open("wb") as out:
        process = subprocess.Popen([*command, str(document)], stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _listening(port):
                if process.poll() is not None:
                    raise PrismFailed(f"Prism could not serve {document.name}; its log:\n{_tail(log)}")
                if time.monotonic() > deadline:
                    raise PrismFailed(f"Prism did not listen within {START_TIMEOUT_S:.0f} s; its log:\n{_tail(log)}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]
