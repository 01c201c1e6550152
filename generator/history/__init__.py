"""The SDK's history across runs: its public surface, what changed, the record, the seal and the merge."""
