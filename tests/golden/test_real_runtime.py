"""SDKs generated from the real document behave at run time, not only type-check: a multipart upload."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import ROOT

SCRIPT = """
import sys
sys.path[:0] = [{src!r}, {root!r}]
import codat_accounting
from tests.httpserver import serve

path = "/companies/c1/connections/k1/push/invoices/inv-1/attachment"
with serve() as server:
    server.add("POST", path, status=200)
    with codat_accounting.CodatAccounting(auth_header="Basic eA==", server_url=server.url) as client:
        result = client.invoices.upload_attachment(
            company_id="c1", connection_id="k1", invoice_id="inv-1",
            file=("statement.pdf", b"%PDF-1.7 body", "application/pdf"),
        )
    request = server.requests[-1]
    print(result)
    print(request.headers["content-type"].split(";")[0])
    print(b'name="file"; filename="statement.pdf"' in request.body, b"%PDF-1.7 body" in request.body)
"""


def test_an_upload_from_the_real_document_is_sent_as_multipart(tmp_path: Path, real_doc: Path) -> None:
    write_tree(tmp_path / "sdk", generate(real_doc, ("Invoices",), "codat_accounting").files)
    script = SCRIPT.format(src=str(tmp_path / "sdk" / "src"), root=str(ROOT))
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.split("\n")[:3] == ["None", "multipart/form-data", "True True"]
