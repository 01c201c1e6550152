"""codat-sdkgen: turns the Codat Accounting OpenAPI document into a Python SDK and its docs."""

from pathlib import Path

__version__ = "0.1.0"

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# The file in every output folder that says codat-sdkgen made it (and may replace it).
MARKER = ".codat-sdkgen"
# The generated code's line length: black's setting, and what the templates lay lines out for.
LINE_LENGTH = 120
