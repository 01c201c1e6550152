"""codat-sdkgen: turns the Codat Accounting OpenAPI document into a Python SDK and its docs."""

from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).resolve().parent
# Installed from a wheel, the templates are a folder of the package; in a checkout (and its editable
# install) they are the repository's own top-level folder.
TEMPLATES_DIR = _HERE / "templates" if (_HERE / "templates").is_dir() else _HERE.parent / "templates"
# The file in every output folder that says codat-sdkgen made it (and may replace it).
MARKER = ".codat-sdkgen"
# The generated code's line length: black's setting, and what the templates lay lines out for.
LINE_LENGTH = 120
