"""The linking command and the linker behind it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from taskboerse.matching.embedder import HashingEmbedder
from taskboerse.matching.evaluation import ranking_metrics
from taskboerse.matching.linker import Linker, labels_from_ids

VOCAB = [
    ("C1_0", "dataanalytiker"),
    ("C1_1", "dataanalyst"),
    ("C2_0", "sygeplejerske"),
    ("C3_0", "regnskabschef"),
    ("C4_0", "økonomichef"),
    ("C3_1", "økonomichef"),
]


def test_linker_ranks_close_labels_first() -> None:
    linker = Linker(labels_from_ids(VOCAB, None), HashingEmbedder())
    [ranked] = linker.link(["Data-analytiker"], top=3)
    assert ranked[0][0] == "C1_0"


def test_preferred_label_wins_ties_between_identical_texts() -> None:
    linker = Linker(labels_from_ids(VOCAB, "_"), HashingEmbedder())
    [ranked] = linker.link(["Økonomichef"], top=2)
    assert ranked[0][0] == "C4_0"


def test_concept_labels_lift_each_other() -> None:
    linker = Linker(labels_from_ids(VOCAB, "_"), None)
    [ranked] = linker.link(["dataanalytiker"], top=2)
    assert [label for label, _ in ranked] == ["C1_0", "C1_1"]


def test_ranking_metrics() -> None:
    runs = {"q1": ["a", "b"], "q2": ["x", "y", "z"]}
    relevant = {"q1": {"a"}, "q2": {"z", "w"}}
    m = ranking_metrics(runs, relevant)
    assert m["mrr"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert m["acc1"] == 0.5 and m["acc5"] == 1.0
    assert m["map"] == pytest.approx((1 + (1 / 3) / 2) / 2, abs=1e-4)


def run_link(tmp_path: Path, vocab: str, queries: str, *extra: str):
    v, q = tmp_path / "v.tsv", tmp_path / "q.tsv"
    v.write_text(vocab, encoding="utf-8")
    q.write_text(queries, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "taskboerse.matching.link",
            "--vocabulary",
            str(v),
            "--queries",
            str(q),
            "--embedder",
            "hashing",
            *extra,
        ],
        capture_output=True,
        text=True,
    )


def test_link_command_writes_a_trec_run(tmp_path: Path) -> None:
    vocab = "".join(f"{i}\t{t}\n" for i, t in VOCAB)
    result = run_link(tmp_path, vocab, "q1\tSygeplejerske\nq2\tdataanalyst\n", "--top", "2")
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0][:4] == ["q1", "Q0", "C2_0", "1"] and lines[0][5] == "taskboerse"
    assert lines[1][3] == "2"
    assert float(lines[0][4]) >= float(lines[1][4])
    assert "linked 2/2" in result.stderr


@pytest.mark.parametrize(
    ("vocab", "queries", "message"),
    [
        ("a\tx\nb no tab\n", "q\tx\n", "v.tsv:2: expected 'id<TAB>text'"),
        ("a\tx\n", "q\tx\tmore\n", "q.tsv:1: expected 'id<TAB>text'"),
        ("a\tx\na\ty\n", "q\tx\n", "v.tsv:2: duplicate id 'a'"),
        ("a\tx\n", "", "q.tsv: no rows"),
    ],
)
def test_link_command_names_file_and_line_of_bad_input(tmp_path, vocab, queries, message) -> None:
    result = run_link(tmp_path, vocab, queries)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_link_command_refuses_invalid_utf8(tmp_path: Path) -> None:
    (tmp_path / "v.tsv").write_bytes(b"a\tx\nb\t\xff\xfe\n")
    (tmp_path / "q.tsv").write_text("q\tx\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskboerse.matching.link",
            "--vocabulary",
            str(tmp_path / "v.tsv"),
            "--queries",
            str(tmp_path / "q.tsv"),
            "--embedder",
            "hashing",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "v.tsv:2: not valid UTF-8" in result.stderr


def test_matching_package_is_free_of_flask_and_sqlalchemy() -> None:
    code = (
        "import sys, pkgutil, importlib, taskboerse.matching as m\n"
        "for info in pkgutil.iter_modules(m.__path__):\n"
        "    importlib.import_module('taskboerse.matching.' + info.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('flask', 'sqlalchemy')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
