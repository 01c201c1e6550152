"""codat-sdkgen: turns the Codat Accounting OpenAPI document into a Python SDK and its docs."""

__version__ = "0.1.0"
