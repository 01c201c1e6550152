"""Reading a document's bytes from a path or an http(s) URL, with a size cap and a timeout on the network.

The document comes from elsewhere, so neither its size nor the server answering for it is trusted.
"""

from __future__ import annotations

from pathlib import Path

from generator import __version__
from generator.errors import Diagnostic, GeneratorError

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
FETCH_TIMEOUT = 30.0
_CHUNK = 1 << 16


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def read_source(spec: str, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The bytes of a local file or an http(s) URL; every failure is a one-line GeneratorError."""
    return _fetch(spec, max_bytes, timeout) if is_url(spec) else _read(Path(spec), max_bytes)


def _read(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, read up to the cap whatever its stat says: `/dev/zero`, a pipe or a file still
    growing reports a size it does not keep to."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise GeneratorError([_too_big(source, size, max_bytes)])
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise GeneratorError([Diagnostic(source, "#", f"cannot read the document: {exc.strerror}")]) from None
    if len(data) > max_bytes:
        raise GeneratorError([_too_big(source, len(data), max_bytes, more=True)])
    return data


def _fetch(url: str, max_bytes: int, timeout: float) -> bytes:
    # Imported here: urllib.request (http.client, email) is a tenth of a cold run that reads a file.
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": f"codat-sdkgen/{__version__}"})
    hint = "check the URL, or download the document and pass its path"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_bytes:
                raise GeneratorError([_too_big(url, int(length), max_bytes)])
            chunks: list[bytes] = []
            received = 0
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise GeneratorError([_too_big(url, received, max_bytes)])
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        reason = str(exc.reason)
    except TimeoutError:
        reason = f"no answer within {timeout:g} s"
    except (OSError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
    raise GeneratorError([Diagnostic(url, "#", f"cannot fetch the document: {reason}", hint=hint)])


def _too_big(source: str, size: int, max_bytes: int, more: bool = False) -> Diagnostic:
    return Diagnostic(
        source,
        "#",
        (
            f"the document is larger than the {_size(max_bytes)} limit"
            if more
            else f"the document is {_size(size)}, over the {_size(max_bytes)} limit"
        ),
        hint="raise the limit with --max-size MIB if the document is trusted",
    )


def _size(n: int) -> str:
    return f"{round(n / 2**20, 1):g} MiB" if n >= 2**20 else f"{n:,} bytes"
