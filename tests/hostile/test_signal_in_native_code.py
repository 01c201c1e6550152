"""A signal that lands while jsonschema-rs imports a module from its native code.

The command turns SIGINT and SIGTERM into KeyboardInterrupt (cli.run), raised in whatever Python code
runs when the signal lands. jsonschema-rs imports modules from Rust at its first use and panics if such
an import raises: the run ended with a Rust message and exit 1 instead of 130 (once in a run of the
signal tests). Here the interrupt is raised in each import made from native code in turn while the
validator module loads and validates; each run ends validated or interrupted, never by a panic.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import dis, importlib.abc, sys

class Interrupting(importlib.abc.MetaPathFinder):
    seen = 0

    def find_spec(self, name, path=None, target=None):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == "<frozen importlib._bootstrap>":
            frame = frame.f_back
        asked = frame is not None and (
            dis.opname[frame.f_code.co_code[frame.f_lasti]] == "IMPORT_NAME"
            or frame.f_code.co_name in ("import_module", "__import__")
        )
        if not asked:  # no import statement of Python asked for it: native code did
            Interrupting.seen += 1
            if Interrupting.seen == int(sys.argv[1]):
                raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupting())
try:
    from generator.document.load import parse_document
    from generator.document.spec_validator import spec_errors
    document = b'{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},'
    document += b' "components": {"schemas": {"S": {"type": "string"}}}}'
    assert not list(spec_errors(parse_document(document, "doc.json"), "3.1.0", False))
    print("validated", Interrupting.seen)
except KeyboardInterrupt:
    print("interrupted")
"""


def test_an_interrupt_in_any_import_made_from_native_code_is_an_interrupt_not_a_panic() -> None:
    outcomes = []
    for moment in range(1, 40):
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(moment)], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0 and "panicked" not in run.stderr, (moment, run.stderr[-2000:])
        outcomes.append(run.stdout.split()[0])
        if outcomes[-1] == "validated":  # past the last import made from native code
            assert int(run.stdout.split()[1]) == moment - 1
            break
    assert outcomes[-1] == "validated" and outcomes.count("interrupted") >= 1, outcomes
