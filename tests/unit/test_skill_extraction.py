"""The skill-extraction benchmark: loading the splits and scoring a ranking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taskboerse.matching.embedder import get_embedder
from taskboerse.matching.skill_extraction import evaluate, load_split, rank_metrics

VOCABULARY = [
    "Python (computer programming)",
    "Java (computer programming)",
    "welding techniques",
    "bake bread",
    "swim",
    "cook pasta",
    "drive trucks",
    "paint walls",
    "teach children",
    "repair engines",
]
HEADER = "sentence,span,sub_span,label\n"


def write_splits(directory: Path) -> None:
    (directory / "tech_validation_annotations.csv").write_text(
        HEADER
        + "Python (computer programming),python,,Python (computer programming)\n"
        + "Python (computer programming),python,,Python (computer programming)\n"
        + "Python (computer programming),snake,,LABEL NOT PRESENT\n"
        + "be a team player,team,,UNDERSPECIFIED\n"
        + "repair engines,engines,,repair engines\n",
        encoding="utf-8",
    )
    (directory / "house_validation_annotations.csv").write_text(
        HEADER + '"bake bread, daily",bread,,bake bread\n', encoding="utf-8"
    )


def test_load_split_groups_by_sentence_and_skips_unlinked_mentions(tmp_path: Path) -> None:
    write_splits(tmp_path)
    rows = load_split(tmp_path / "tech_validation_annotations.csv")
    assert rows == [
        ("Python (computer programming)", ["Python (computer programming)"]),
        ("repair engines", ["repair engines"]),
    ]


def test_rank_metrics_by_hand() -> None:
    scores = np.array([[0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])
    # Row 1: label 1 at rank 2 is in the top 5, label 5 at rank 6 is not -> RP@5 1/2, RR 1/2.
    # Row 2: label 0 is last (rank 6) -> RP@5 0, RR 1/6.
    m = rank_metrics(scores, [[1, 5], [0]])
    assert m["rp5"] == pytest.approx((0.5 + 0.0) / 2, abs=1e-4)
    assert m["mrr"] == pytest.approx((1 / 2 + 1 / 6) / 2, abs=1e-4)


def test_evaluate_reports_linker_and_cosine_per_split(tmp_path: Path) -> None:
    write_splits(tmp_path)
    report = evaluate(tmp_path, get_embedder("hashing"), vocabulary=VOCABULARY)
    assert set(report) == {"tech", "house"}
    for split in report.values():
        for method in ("linker", "cosine"):
            # Every sentence names its one skill verbatim, so it ranks first.
            assert split[method] == {"rp5": 1.0, "mrr": 1.0}


def test_labels_are_encoded_once_per_embedder(tmp_path: Path) -> None:
    write_splits(tmp_path)
    base = get_embedder("hashing")
    calls: list[int] = []

    class Counting:
        name, dim = "counting-hashing", base.dim

        def encode(self, texts, batch_size=64):
            calls.append(len(texts))
            return base.encode(texts)

    embedder = Counting()
    evaluate(tmp_path, embedder, vocabulary=VOCABULARY)
    evaluate(tmp_path, embedder, vocabulary=VOCABULARY)
    # Labels once; then each split's sentences once per call (2 + 1 sentences).
    assert calls == [len(VOCABULARY), 2, 1, 2, 1]
