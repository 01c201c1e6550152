"""`pip install ./generated` works as a user would run it, in a fresh virtual environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import GENERATED


def test_the_generated_package_installs_and_imports_in_a_fresh_venv(tmp_path: Path) -> None:
    source = tmp_path / "generated"
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    probe = (
        "import importlib.resources as r, codat_accounting as sdk;"
        "assert r.files('codat_accounting').joinpath('py.typed').is_file();"
        "c = sdk.CodatAccounting(auth_header='Basic x', server_url='http://127.0.0.1:9');"
        "print(sdk.__version__, type(c.customers).__name__, sdk.models.CustomerStatus('Active').name)"
    )
    ran = subprocess.run(
        [str(python), "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["3.0.0", "Customers", "ACTIVE"]
