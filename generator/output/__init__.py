"""Writing the output: templates rendered, code formatted, files written in one swap."""
