"""openapi-python-client's own command line, which also writes the problems it reports to the file $OPC_REPORT.

run.py runs this with the peer's interpreter in place of its `openapi-python-client` script (same arguments, same
code path): the CLI prints its warnings and errors as free-form blocks of text, so the list it prints them from is
the only exact count of them and the only reliable first error.
"""

import json
import os
from collections.abc import Sequence

from openapi_python_client import cli
from openapi_python_client.parser.errors import GeneratorError

_print_errors = cli.handle_errors


def handle_errors(errors: Sequence[GeneratorError], fail_on_warning: bool = False) -> None:
    """Writes each problem's level and first line as JSON, then prints and exits as the CLI itself does."""
    report = [
        {
            "level": error.level.value,
            "message": " ".join(
                part for part in (error.header.strip(), (error.detail or "").strip().split("\n")[0]) if part
            ),
        }
        for error in errors
    ]
    with open(os.environ["OPC_REPORT"], "w", encoding="utf-8") as file:
        json.dump(report, file)
    _print_errors(errors, fail_on_warning)


if __name__ == "__main__":
    cli.handle_errors = handle_errors
    cli.app(prog_name="openapi-python-client")
