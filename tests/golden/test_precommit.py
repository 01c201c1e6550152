"""The pre-commit hook as another repository runs it: pre-commit installs this repository's hook into an
environment of its own and runs `codat-sdkgen generate --check` there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SPEC

BIN = Path(sys.executable).parent


def test_the_check_hook_passes_an_up_to_date_sdk_and_fails_a_stale_one(tmp_path: Path) -> None:
    repo = tmp_path / "consumer"
    repo.mkdir()
    env = os.environ | {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
    }

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args], cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
        )

    shutil.copy(SPEC, repo / "api.yaml")
    (repo / "pyproject.toml").write_text('[tool.codat-sdkgen]\nspec = "api.yaml"\nout = "sdk"\n')
    assert run(BIN / "codat-sdkgen", "generate").returncode == 0
    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", "-A").returncode == 0
    assert run("git", "commit", "-q", "-m", "sdk").returncode == 0

    hook = (BIN / "pre-commit", "try-repo", ROOT, "codat-sdkgen-check", "--all-files")
    passed = run(*hook)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert "generated SDKs are up to date" in passed.stdout

    # The document changed and the SDK was not regenerated (an edit of the SDK itself would be a hand edit, kept).
    edit = ("description: What kind of line the number is.", "description: What kind of line the number is (or fax).")
    (repo / "api.yaml").write_text((repo / "api.yaml").read_text().replace(*edit))
    failed = run(*hook)
    assert failed.returncode == 1
    assert re.search(
        r"sdk is stale: \d+ files changed, 1 added, 0 removed; run `codat-sdkgen generate`\n", failed.stdout
    )
    assert "+What kind of line the number is (or fax)." in failed.stdout
    assert "make generate" not in failed.stdout  # no Makefile there
