"""Lets `python -m generator` behave exactly like the `codat-sdkgen` console script."""

import sys

from generator.cli import main

sys.exit(main())
