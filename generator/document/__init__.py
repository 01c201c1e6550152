"""Reading and checking the OpenAPI document: load, fetch, bundle, validate, and triage its problems."""
