"""Lets `python -m generator` behave exactly like the `codat-sdkgen` console script."""

from generator.cli import run

run()
