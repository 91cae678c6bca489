"""The command line of the linker (the library is ``linker.py``): link a list of texts to a
vocabulary and write a TREC run.

    python -m taskboerse.matching.link --vocabulary V.tsv --queries Q.tsv --top 100

Both files are UTF-8 TSV without a header: id<TAB>text. Each output line is
``qid Q0 id rank score taskboerse``, best first. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from taskboerse.matching.embedder import get_embedder
from taskboerse.matching.linker import Linker, labels_from_ids


class InputError(Exception):
    """A malformed input file; the message names the file and line."""


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """Rows of id<TAB>text; blank lines are skipped, anything else malformed is an error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8") from None
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(f"{path}:{number}: expected 'id<TAB>text', got {line[:60]!r}")
        if parts[0] in seen:
            raise InputError(f"{path}:{number}: duplicate id {parts[0]!r}")
        seen.add(parts[0])
        rows.append((parts[0], parts[1].strip()))
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def _progress(done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\rlinked {done}/{total} queries ({rate:.0f}/s)")
    sys.stderr.flush()


def run(args: argparse.Namespace, out=sys.stdout) -> int:
    """Link and write the run; returns the exit code."""
    vocabulary = read_tsv(Path(args.vocabulary))
    queries = read_tsv(Path(args.queries))
    embedder = None if args.embedder == "none" else get_embedder(args.embedder)
    sys.stderr.write(f"indexing {len(vocabulary)} labels …\n")
    linker = Linker(labels_from_ids(vocabulary, args.concept_sep), embedder)
    started = time.perf_counter()
    chunk = 256
    for start in range(0, len(queries), chunk):
        batch = queries[start : start + chunk]
        for (qid, _), results in zip(
            batch, linker.link([t for _, t in batch], args.top), strict=True
        ):
            for rank, (label_id, score) in enumerate(results, start=1):
                out.write(f"{qid} Q0 {label_id} {rank} {score:.6f} taskboerse\n")
        _progress(min(start + chunk, len(queries)), len(queries), started)
    sys.stderr.write("\n")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(
        prog="python -m taskboerse.matching.link",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--vocabulary", required=True, help="TSV: id<TAB>label")
    p.add_argument("--queries", required=True, help="TSV: id<TAB>text")
    p.add_argument("--top", type=int, default=100, help="results per query (1-10000)")
    p.add_argument(
        "--concept-sep",
        default=None,
        help="ids are CONCEPT<SEP>N: labels of one concept lift each other, N=0 is preferred",
    )
    p.add_argument(
        "--embedder",
        default="default",
        help="'default' (the app's model), 'hashing', 'none', or a model directory",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parser().parse_args(argv)
    if not 1 <= args.top <= 10_000:
        parser().error("--top must be between 1 and 10000")
    try:
        return run(args)
    except InputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
