"""`make bench`: every figure of benchmarks/README.md, each as a ratio against its peer measured in the same run.

Peers live in their own virtualenvs under benchmarks/.venvs/ (never in the project's): the Speakeasy-made
`codat-accounting==0.36.0` and `openapi-python-client`. Times are medians of RUNS runs after a warm-up.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
REAL_DOC = ROOT.parent / "shared" / "specs" / "codat-accounting.json"
LENDING = ROOT.parent / "shared" / "specs" / "codat" / "Codat-Lending.yaml"
PEERS = {
    "speakeasy": ["codat-accounting==0.36.0", "httpx"],
    "opc": ["openapi-python-client==0.29.1"],
}


def peer_python(name: str) -> Path:
    venv = HERE / ".venvs" / name
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEERS[name]], check=True)
    return python


def wall(command: list[str], runs: int, before: Callable[[], None] = lambda: None, **kwargs: object) -> float:
    """Median wall time of a whole process; `before` runs untimed ahead of each run."""
    times = []
    for attempt in range(runs + 1):
        before()
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
        if attempt:  # the first is the warm-up
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss(command: list[str], **kwargs: object) -> tuple[float, int, str]:
    """Wall time, peak resident memory (bytes) and standard output of one process."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        assert status == 0, command
        output.seek(0)
        return seconds, usage.ru_maxrss * 1024, output.read().decode()


def repeated(measure: Callable[[], tuple[float, int, str]], runs: int) -> tuple[float, int, str]:
    """The median time and the highest peak memory of `runs` measurements after a warm-up."""
    results = [measure() for _ in range(runs + 1)][1:]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def once(command: list[str], timeout: int, **kwargs: object) -> tuple[float, int] | None:
    """Wall time and peak resident memory (bytes, of the largest of the process and the children it
    waited for) of one run, None when it did not finish within `timeout` seconds (a scale run is long
    enough that its noise is small next to its time)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    if seconds >= timeout:
        return None
    assert status == 0, command
    return seconds, usage.ru_maxrss * 1024


def scale_rows(
    work: Path,
    ours: list[str],
    opc: list[str],
    env: dict[str, str],
    opc_env: dict[str, str],
    timeout: int,
    sizes: tuple[int, ...] = (100, 1_000, 10_000),
    graph: bool = True,
) -> list[tuple[str, str, str, str]]:
    """8. Seconds per operation as the document grows: copies of Codat Lending of 100, 1,000 and 10,000
    operations (benchmarks/scaled.py), then Microsoft Graph (11,422 operations, from the corpus cache).
    Both generators cold, one run each."""
    rows = Rows()
    documents = []
    for operations in sizes:
        spec = work / f"scaled-{operations}.json"
        subprocess.run([sys.executable, str(HERE / "scaled.py"), str(operations), str(spec)], check=True)
        documents.append((f"{operations:,} operations (copies of Codat Lending)", spec, operations))
    if graph:
        sys.path.insert(0, str(HERE))
        from corpus.run import corpus_dir  # the corpus's npm package, fetched into its cache on first use

        documents.append(("Microsoft Graph, 11,422 operations", corpus_dir() / "microsoft.com" / "graph.json", 11_422))
    per_op: dict[int, float] = {}
    for label, spec, operations in documents:
        mine = once(
            # 10,000 operations of Lending are 149 MiB, over the 32 MiB cap on a document from anywhere.
            [*ours, "--no-cache", "--all-tags", "--max-size", "512", "--spec", str(spec), "--out", str(work / "scale")],
            timeout,
            cwd=ROOT,
            env=env,
        )
        theirs = once(
            [*opc, str(spec), "--output-path", str(work / "opc-scale"), "--overwrite"], timeout, cwd=work, env=opc_env
        )
        shutil.rmtree(work / "scale", ignore_errors=True)
        shutil.rmtree(work / "opc-scale", ignore_errors=True)
        if mine is not None and "copies" in label:
            per_op[operations] = mine[0] / operations
        ratio = f"{mine[0] / theirs[0]:.2f}x" if mine is not None and theirs is not None else ""
        row = (f"8. {label}, cold", _per_op(mine, operations, timeout), _per_op(theirs, operations, timeout), ratio)
        rows.append(row)
    if len(per_op) > 1:
        small, large = min(per_op), max(per_op)
        growth = per_op[large] / per_op[small]
        label = f"8. seconds per operation, {large:,} against {small:,} (target <= 1.5x from 100 to 10,000)"
        rows.append((label, f"{growth:.2f}x", "", ""))
    return rows


def _per_op(run: tuple[float, int] | None, operations: int, timeout: int) -> str:
    if run is None:
        return f"> {timeout} s"
    seconds, rss = run
    return f"{seconds:.1f} s ({seconds / operations * 1000:.1f} ms/op; peak {rss / 2**30:.2f} GiB)"


def customers_only(target: Path) -> None:
    """The real document cut down to the Customers tag's operations, for openapi-python-client."""
    data = json.loads(REAL_DOC.read_text())
    paths = {}
    for path, item in data["paths"].items():
        kept = {
            key: op
            for key, op in item.items()
            if not (isinstance(op, dict) and "operationId" in op) or "Customers" in op.get("tags", [])
        }
        if any(isinstance(op, dict) and "operationId" in op for op in kept.values()):
            paths[path] = kept
    data["paths"] = paths
    target.write_text(json.dumps(data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-scale", action="store_true", help="leave out the scale rows (about an hour: 10,000 operations and Graph)"
    )
    parser.add_argument("--scale-timeout", type=int, default=1800, help="seconds each scale run may take")
    parser.add_argument(
        "--scale-sizes", default="100,1000,10000", help="operations of the scaled documents (comma-separated)"
    )
    parser.add_argument("--no-graph", action="store_true", help="leave Microsoft Graph out of the scale rows")
    parser.add_argument("--only-scale", action="store_true", help="only the scale rows (make bench-scale)")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    ours = [sys.executable, "-m", "generator", "generate"]
    rows = Rows()
    work = Path(tempfile.mkdtemp(prefix="sdkgen-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    opc_python = peer_python("opc")
    opc_env = {**env, "PATH": f"{opc_python.parent}{os.pathsep}{env['PATH']}"}  # its ruff formats its output
    opc_generate = [str(opc_python.parent / "openapi-python-client"), "generate", "--path"]
    sizes = tuple(int(n) for n in args.scale_sizes.split(","))
    # Our modules' bytecode, as pip writes it when it installs the wheel (the peer's is in its venv): a
    # checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile every module in every timed run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)

    if args.only_scale:
        scale = scale_rows(work, ours, opc_generate, env, opc_env, args.scale_timeout, sizes, not args.no_graph)
        shutil.rmtree(work, ignore_errors=True)
        _print_table(scale, "the scale rows only, one run each")
        return 0
    speakeasy = peer_python("speakeasy")

    # 1. Regeneration of the Customers tag of the real document.
    cut = work / "customers.json"
    customers_only(cut)
    out = work / "ours"
    real = ["--spec", str(REAL_DOC), "--tag", "Customers", "--out", str(out)]
    clear = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    cold = wall([*ours, "--no-cache", *real], runs, clear, cwd=ROOT, env=env)
    warm = wall([*ours, *real], runs, clear, cwd=ROOT, env=env)
    opc_out = work / "opc"
    opc = [*opc_generate, str(cut)]
    peer = wall([*opc, "--output-path", str(opc_out), "--overwrite"], runs, cwd=work, env=opc_env)
    our_ops = len(
        json.loads(
            subprocess.run([*ours[:-1], "ir", *real[:4]], capture_output=True, cwd=ROOT, env=env, check=True).stdout
        )["resources"][0]["operations"]
    )
    peer_ops = len([p for p in (opc_out).glob("*/api/customers/*.py") if p.name != "__init__.py"])
    rows.append(
        (
            "1. regenerate Customers, cold (no cache; target <= 1.0x)",
            f"{cold:.2f} s",
            f"{peer:.2f} s",
            f"{cold / peer:.2f}x",
        )
    )
    rows.append(("1. regenerate Customers, warm caches", f"{warm:.2f} s", f"{peer:.2f} s", f"{warm / peer:.2f}x"))
    rows.append(("1. operations generated (of 8)", str(our_ops), str(peer_ops), ""))
    # The floor of a cold run: a fresh interpreter importing the libraries its stages are built on.
    imports = "import black, jinja2, jsonschema_rs, openapi_spec_validator, yaml"
    floor = wall([sys.executable, "-c", imports], runs, cwd=ROOT, env=env)
    rows.append(
        (
            "1. floor: a fresh process importing black, jinja2, the validators",
            f"{floor:.2f} s",
            f"{peer:.2f} s",
            f"{floor / peer:.2f}x",
        )
    )

    # 1. The everyday regeneration: the document was edited (one description), so it is validated anew
    # and only the files the edit changes go through black again.
    edited, edits = work / "edited.json", itertools.count()
    document = json.loads(REAL_DOC.read_text())

    def edit() -> None:
        document["components"]["schemas"]["Customer"][
            "description"
        ] = f"A customer of the company (edit {next(edits)})."
        edited.write_text(json.dumps(document))

    after_edit = wall(
        [*ours, "--spec", str(edited), "--tag", "Customers", "--out", str(work / "edited")],
        runs,
        edit,
        cwd=ROOT,
        env=env,
    )
    rows.append(
        (
            "1. regenerate Customers after a document edit (target <= 1.0x, stretch 0.5x)",
            f"{after_edit:.2f} s",
            f"{peer:.2f} s",
            f"{after_edit / peer:.2f}x",
        )
    )

    # 2. No-op regeneration.
    subprocess.run([*ours, *real], check=True, capture_output=True, cwd=ROOT, env=env)
    noop = wall([*ours, *real], runs, cwd=ROOT, env=env)
    rows.append(("2. no-op regeneration (target <= 0.3 s)", f"{noop:.3f} s", f"{peer:.2f} s", f"{noop / peer:.2f}x"))

    # 3. All tags.
    every = [*ours, "--no-cache", "--all-tags", "--spec", str(REAL_DOC), "--out", str(work / "all")]
    seconds, rss, said = repeated(lambda: peak_rss(every, cwd=ROOT, env=env), runs)
    opc_all = [*opc_generate, str(REAL_DOC), "--output-path", str(work / "opc-all"), "--overwrite"]
    peer_seconds, peer_rss, _ = repeated(lambda: peak_rss(opc_all, cwd=work, env=opc_env), runs)
    all_ops = said.split(" operations")[0].rsplit(" ", 1)[-1]
    peer_all_ops = len([p for p in (work / "opc-all").glob("*/api/*/*.py") if p.name != "__init__.py"])
    rows.append(
        (
            "3. all 26 tags, cold (target <= 1.5x)",
            f"{seconds:.2f} s",
            f"{peer_seconds:.2f} s",
            f"{seconds / peer_seconds:.2f}x",
        )
    )
    rows.append(("3. all 26 tags, operations generated (of 127)", all_ops, str(peer_all_ops), ""))
    rows.append(
        ("3. all 26 tags, peak RSS", f"{rss / 2**20:.0f} MiB", f"{peer_rss / 2**20:.0f} MiB", f"{rss / peer_rss:.2f}x")
    )

    # 3. Codat Lending (156 operations), every tag, cold: the largest of Codat's current documents.
    lending_args = ["--all-tags", "--spec", str(LENDING), "--package", "codat_lending"]
    lending = [*ours, "--no-cache", *lending_args]
    lending_s = wall([*lending, "--out", str(work / "lending")], runs, cwd=ROOT, env=env)
    opc_lending = [*opc_generate, str(LENDING), "--output-path", str(work / "opc-lending"), "--overwrite"]
    peer_lending_s = wall(opc_lending, runs, cwd=work, env=opc_env)
    rows.append(
        (
            "3. Codat Lending, all tags, cold (target <= 1.5x)",
            f"{lending_s:.2f} s",
            f"{peer_lending_s:.2f} s",
            f"{lending_s / peer_lending_s:.2f}x",
        )
    )

    # 7. The CI check on a fresh clone: every cache empty, the output committed with its record.
    fresh_cache = work / "fresh-cache"
    fresh_env = {**env, "XDG_CACHE_HOME": str(fresh_cache)}
    empty = lambda: shutil.rmtree(fresh_cache, ignore_errors=True)  # noqa: E731
    checks = (
        ("Customers", [*ours, "--check", *real], peer),
        (
            "all 26 tags",
            [*ours, "--check", "--all-tags", "--spec", str(REAL_DOC), "--out", str(work / "all")],
            peer_seconds,
        ),
        ("Codat Lending", [*ours, "--check", *lending_args, "--out", str(work / "lending")], peer_lending_s),
    )
    for name, check, peer_time in checks:
        checked = wall(check, runs, empty, cwd=ROOT, env=fresh_env)
        rows.append(
            (
                f"7. `generate --check` of an up-to-date {name} on a fresh clone, against the peer generating it"
                " (target <= 0.25x)",
                f"{checked:.3f} s",
                f"{peer_time:.2f} s",
                f"{checked / peer_time:.2f}x",
            )
        )

    if not args.no_scale:
        rows += scale_rows(work, ours, opc_generate, env, opc_env, args.scale_timeout, sizes, not args.no_graph)

    # 4. Import time of the generated SDK.
    sdk_env = {**env, "PYTHONPATH": str(ROOT / "generated" / "src")}
    mine = wall([sys.executable, "-c", "import codat_accounting"], runs * 2, env=sdk_env)
    theirs = wall([str(speakeasy), "-c", "import codat_accounting"], runs * 2, env=env)
    rows.append(
        ("4. import codat_accounting (target <= 0.25x)", f"{mine:.3f} s", f"{theirs:.3f} s", f"{mine / theirs:.2f}x")
    )

    # 5. Parse a page of 10,000 customers; serialise 10,000 for create.
    sys.path.insert(0, str(HERE))
    from data import page

    body = work / "page.json"
    body.write_bytes(page())
    bench = str(HERE / "sdk_bench.py")
    parsed = json.loads(
        subprocess.run(
            [sys.executable, bench, "parse", "ours", str(body), str(runs)], env=sdk_env, check=True, capture_output=True
        ).stdout
    )
    peer_parsed = json.loads(
        subprocess.run(
            [str(speakeasy), bench, "parse", "speakeasy", str(body), str(runs)],
            env=env,
            check=True,
            capture_output=True,
        ).stdout
    )
    size = body.stat().st_size / 1e6
    rows.append(
        (
            f"5. parse 10,000 customers ({size:.1f} MB; target >= 2x faster)",
            f"{parsed['parse']:.3f} s",
            f"{peer_parsed['parse']:.3f} s",
            f"{peer_parsed['parse'] / parsed['parse']:.2f}x faster",
        )
    )
    rows.append(
        (
            "5. parse vs pydantic's validate_json of the same model, collector untouched (target <= 1.3x)",
            f"{parsed['parse']:.3f} s",
            f"{parsed['validate_json']:.3f} s",
            f"{parsed['parse'] / parsed['validate_json']:.2f}x",
        )
    )
    rows.append(
        (
            "5. parse with pause_collector=True (the opt-in) vs the default",
            f"{parsed['parse_collector_paused']:.3f} s",
            f"{parsed['parse']:.3f} s",
            f"{parsed['parse'] / parsed['parse_collector_paused']:.2f}x faster",
        )
    )
    rows.append(
        (
            "5. parse vs json.loads (target <= 2.5x)",
            f"{parsed['parse']:.3f} s",
            f"{parsed['json_loads']:.3f} s",
            f"{parsed['parse'] / parsed['json_loads']:.2f}x",
        )
    )
    rows.append(
        (
            "5. serialise 10,000 for create (target >= 2x faster)",
            f"{parsed['serialise']:.3f} s",
            f"{peer_parsed['serialise']:.3f} s",
            f"{peer_parsed['serialise'] / parsed['serialise']:.1f}x faster",
        )
    )

    # 6. Memory while streaming a 200 MB download.
    server = subprocess.Popen(
        [sys.executable, str(HERE / "serve_bytes.py"), str(200 * 2**20)], stdout=subprocess.PIPE, text=True
    )
    try:
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}"  # type: ignore[union-attr]
        streamed = json.loads(
            subprocess.run(
                [sys.executable, bench, "stream", "ours", url], env=sdk_env, check=True, capture_output=True
            ).stdout
        )
        peer_streamed = json.loads(
            subprocess.run(
                [str(speakeasy), bench, "stream", "speakeasy", url], env=env, check=True, capture_output=True
            ).stdout
        )
    finally:
        server.terminate()
    assert streamed["received"] == peer_streamed["received"] == 200 * 2**20
    rows.append(
        (
            "6. stream 200 MiB: peak RSS above baseline (target < 60 MB)",
            f"{streamed['peak_above_baseline'] / 2**20:.1f} MiB",
            f"{peer_streamed['peak_above_baseline'] / 2**20:.1f} MiB",
            "",
        )
    )

    shutil.rmtree(work, ignore_errors=True)
    _print_table(rows, f"median of {runs} runs after a warm-up, the scale rows one run each")
    return 0


class Rows(list[tuple[str, str, str, str]]):
    """Each row printed to stderr as it ends: an hour's run that fails late still shows what it measured."""

    def append(self, row: tuple[str, str, str, str]) -> None:
        print("| " + " | ".join(row) + " |", file=sys.stderr, flush=True)
        super().append(row)


def _print_table(rows: list[tuple[str, str, str, str]], how: str) -> None:
    print(
        f"codat-sdkgen benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {how}\n"
    )
    print("| figure | ours | peer | ratio |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    sys.exit(main())
