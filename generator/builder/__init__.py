"""Building the IR from a checked document: schemas, operations, resources, examples and the ledger."""
