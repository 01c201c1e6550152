"""The merge base is compressed as it is written, file by file (the whole text at once was two more copies
of the SDK at a run's peak): its bytes are still those of one JSON object with sorted keys, which every
output's base has held, and it reads back as the files."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

from generator.history import seal

FILES = {
    "src/pkg/b.py": "print('ü \\u2028 \"quoted\"')\n".encode(),
    "README.md": b"# T\n\n\tA tab, a backslash \\ and a control \x01.\n",
    "src/pkg/a.py": b"",
    "docs/été.md": "é\n".encode(),
}


def test_the_base_is_one_json_object_of_the_files_with_sorted_keys() -> None:
    whole = json.dumps({path: content.decode("utf-8") for path, content in FILES.items()}, sort_keys=True)
    assert lzma.decompress(seal._compressed(FILES)) == whole.encode()
    assert lzma.decompress(seal._compressed({})) == b"{}"


def test_the_base_reads_back_as_the_files(tmp_path: Path) -> None:
    record = {seal.RECORD: json.dumps({}).encode()}
    for path, content in seal.sealed({**FILES, **record}, None).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content)
    assert seal.base(tmp_path, seal.listed(tmp_path)) == FILES
