"""Built and installed as other repositories get it: wheels and sdists PyPI would take, in fresh venvs.

The generator: `python -m build` makes its sdist and then its wheel from that sdist (so the sdist is
complete too), `twine check` passes both, and the wheel installed into a new virtual environment
generates, from a folder with no settings of ours (our settings given as flags: no default of the
tool's is fitted to our document), exactly what `generated/` holds: the templates
travel with it; pipx and uv install the same wheel as tools. The generated package: built the same
way from generated/, checked by twine, its wheel installed into a fresh venv and imported.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import codat_accounting

from generator import __version__
from generator.history.seal import RECORD
from tests.commands import unsealed
from tests.conftest import GENERATED, ROOT, SPEC

BIN = Path(sys.executable).parent
TEMPLATES = ROOT / "templates"


def _run(*args: str | Path, cwd: Path = ROOT, timeout: float = 900) -> str:
    ran = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert ran.returncode == 0, f"{' '.join(map(str, args))}\n{ran.stdout[-2000:]}\n{ran.stderr[-3000:]}"
    return ran.stdout


def _fresh_venv(path: Path) -> Path:
    """A new virtual environment's bin folder, sharing nothing with ours."""
    venv.EnvBuilder(with_pip=True).create(path)
    return path / "bin"


def _different(left: Path, right: Path) -> list[str]:
    """Files that differ, or are in one tree only, between two folders (caches aside)."""
    compared = filecmp.dircmp(
        left,
        right,
        ignore=["__pycache__", ".mypy_cache", ".ruff_cache", ".codat-sdkgen", "CHANGELOG.md", RECORD],
    )
    found: list[str] = []

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in c.left_only + c.right_only + c.diff_files + c.funny_files)
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compared, "")
    records = [unsealed({RECORD: (side / RECORD).read_bytes()}) for side in (left, right) if (side / RECORD).is_file()]
    if len(records) == 2 and records[0] != records[1]:
        found.append(RECORD)
    return found


def test_the_generator_wheel_carries_its_templates_and_generates_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(BIN / "python", "-m", "build", "--outdir", dist, ROOT)
    wheel, sdist = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheel) == len(sdist) == 1
    assert "PASSED" in _run(BIN / "twine", "check", "--strict", wheel[0], sdist[0])
    # Every template travels, a folder added since the package list was written too.
    with zipfile.ZipFile(wheel[0]) as archive:
        carried = {
            n.removeprefix("generator/templates/") for n in archive.namelist() if n.startswith("generator/templates/")
        }
    templates = {
        p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert templates - carried == set()

    tool = _fresh_venv(tmp_path / "venv")
    _run(tool / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel[0])
    elsewhere = tmp_path / "another-repository"
    elsewhere.mkdir()
    assert _run(tool / "codat-sdkgen", "--version", cwd=elsewhere).strip() == f"codat-sdkgen {__version__}"
    ours = ["--tag", "Customers", "--package", "codat_accounting"]  # this repository's settings
    _run(tool / "codat-sdkgen", "generate", "--spec", SPEC, *ours, "--out", "sdk", cwd=elsewhere)
    assert _different(GENERATED, elsewhere / "sdk") == []
    # Nothing in the install reaches back into this checkout for its templates.
    located = _run(tool / "python", "-c", "import generator; print(generator.TEMPLATES_DIR)", cwd=elsewhere)
    assert Path(located.strip()).is_relative_to(tmp_path / "venv")

    # As users install command-line tools: each in a home of its own, checked against generated/.
    homes = tmp_path / "homes"
    installers = {
        "pipx": (
            [BIN / "pipx", "install", wheel[0]],
            {"PIPX_HOME": homes / "pipx", "PIPX_BIN_DIR": homes / "pipx-bin"},
        ),
        "uv": (
            [BIN / "uv", "tool", "install", wheel[0]],
            {"UV_TOOL_DIR": homes / "uv", "UV_TOOL_BIN_DIR": homes / "uv-bin", "UV_CACHE_DIR": homes / "uv-cache"},
        ),
    }
    for name, (command, env) in installers.items():
        settings = {key: str(value) for key, value in env.items()}
        installed = subprocess.run(
            [str(a) for a in command], env=os.environ | settings, capture_output=True, text=True, timeout=600
        )
        assert installed.returncode == 0, f"{name}: {installed.stderr[-2000:]}"
        command_line = Path(settings[next(k for k in settings if k.endswith("BIN_DIR"))]) / "codat-sdkgen"
        assert _run(command_line, "--version", cwd=elsewhere).strip() == f"codat-sdkgen {__version__}"
        _run(
            command_line, "generate", "--check", "--no-cache", "--spec", SPEC, *ours, "--out", GENERATED, cwd=elsewhere
        )


def test_the_generated_package_builds_passes_twine_and_installs_from_its_wheel(tmp_path: Path) -> None:
    """What a maintainer publishes: generated/ built as PyPI takes it, its metadata checked by twine."""
    source = tmp_path / "generated"
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".*_cache"))
    dist = tmp_path / "dist"
    _run(BIN / "python", "-m", "build", "--outdir", dist, source)
    wheel, sdist = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert [w.name for w in wheel] == [f"codat_accounting-{codat_accounting.__version__}-py3-none-any.whl"]
    assert "PASSED" in _run(BIN / "twine", "check", "--strict", wheel[0], sdist[0])
    with zipfile.ZipFile(wheel[0]) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "codat_accounting/py.typed" in names
    assert "Classifier: Typing :: Typed" in metadata
    assert "Project-URL: Documentation, https://docs.codat.io/accounting-api/overview" in metadata

    user = _fresh_venv(tmp_path / "venv")
    _run(user / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel[0])
    probe = "import codat_accounting as sdk; print(sdk.__version__, sdk.CodatAccounting.__name__)"
    assert _run(user / "python", "-c", probe, cwd=tmp_path).split() == [codat_accounting.__version__, "CodatAccounting"]
