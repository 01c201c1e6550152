"""The intermediate representation: frozen dataclasses that describe the SDK to write, built by `build`."""
