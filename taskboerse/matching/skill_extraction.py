"""Skill extraction benchmark: English job-ad sentences linked to ESCO skills.

The validation splits (TECH and HOUSE) of the benchmark by Decorte et al., "Design of negative
sampling strategies for distantly supervised skill extraction", RecSys in HR workshop 2022
(public repository jensjorisdecorte/Skill-Extraction-benchmark). Each CSV row is one skill
mention (``sentence,span,sub_span,label``); rows are grouped by sentence, and labels
``LABEL NOT PRESENT`` and ``UNDERSPECIFIED`` are skipped. The vocabulary is the 13,896 ESCO
1.1.0 preferred skill labels in ``data/esco_skills_en.txt``, each its own concept.

Metrics per sentence, averaged: R-Precision@5 (relevant labels among the top 5 divided by
min(5, number of relevant labels)) and the reciprocal rank of the first relevant label.

    python -m taskboerse.matching.skill_extraction [--data DIR] [--embedder SPEC]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from taskboerse.matching.embedder import Embedder, get_embedder
from taskboerse.matching.linker import Linker, LinkWeights, VocabularyLabel

SPLITS = ("tech", "house")
SKIPPED = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})
VOCABULARY = Path(__file__).resolve().parent / "data" / "esco_skills_en.txt"
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared/benchmarks/skill-extraction-val"

# Label vectors per (embedder name, vocabulary): encoding 13,896 labels takes minutes.
_VECTORS: dict[tuple[str, int, int], np.ndarray] = {}


def load_vocabulary(path: Path = VOCABULARY) -> list[str]:
    """The ESCO skill labels, one a line, as written (three carry stray no-break spaces)."""
    return [line for line in path.read_text("utf-8").split("\n") if line.strip()]


def load_split(path: Path) -> list[tuple[str, list[str]]]:
    """(sentence, its relevant labels) in file order, for sentences with at least one label."""
    sentences: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels = sentences.setdefault(row["sentence"], [])
            label = row["label"].strip()
            if label and label not in SKIPPED and label not in labels:
                labels.append(label)
    return [(sentence, labels) for sentence, labels in sentences.items() if labels]


def rank_metrics(scores: np.ndarray, relevant: Sequence[Sequence[int]]) -> dict[str, float]:
    """Mean RP@5 and MRR of a (sentences, labels) score matrix; ties keep vocabulary order."""
    rp5 = mrr = 0.0
    for row, wanted in zip(scores, relevant, strict=True):
        order = np.argsort(-row, kind="stable")
        wanted_set = set(wanted)
        rp5 += len(wanted_set.intersection(order[:5].tolist())) / min(5, len(wanted_set))
        hits = np.flatnonzero(np.isin(order, list(wanted_set)))
        mrr += 1.0 / (hits[0] + 1) if len(hits) else 0.0
    n = max(len(relevant), 1)
    return {"rp5": round(rp5 / n, 4), "mrr": round(mrr / n, 4)}


def _label_vectors(embedder: Embedder, vocabulary: Sequence[str]) -> np.ndarray:
    key = (embedder.name, len(vocabulary), hash(tuple(vocabulary)))
    if key not in _VECTORS:
        _VECTORS[key] = embedder.encode(list(vocabulary))
    return _VECTORS[key]


def evaluate(
    directory: Path,
    embedder: Embedder,
    weights: LinkWeights | None = None,
    vocabulary: Sequence[str] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """For each split, RP@5 and MRR of the linker and of the plain embedding cosine.

    The labels are encoded once per embedder and process and serve both splits and both
    methods; each sentence is encoded once. ``vocabulary`` defaults to the ESCO skills.
    """
    vocabulary = list(vocabulary) if vocabulary is not None else load_vocabulary()
    index = {label.strip(): i for i, label in enumerate(vocabulary)}
    vectors = _label_vectors(embedder, vocabulary)
    linker = Linker(
        [VocabularyLabel(str(i), label) for i, label in enumerate(vocabulary)],
        embedder,
        weights,
        vectors=vectors,
    )
    report = {}
    for split in SPLITS:
        rows = load_split(Path(directory) / f"{split}_validation_annotations.csv")
        missing = sorted({label for _, labels in rows for label in labels} - index.keys())
        if missing:
            raise ValueError(f"{split}: labels not in the vocabulary: {missing[:5]}")
        sentences = [sentence for sentence, _ in rows]
        relevant = [[index[label] for label in labels] for _, labels in rows]
        sentence_vectors = embedder.encode(sentences)
        report[split] = {
            "linker": rank_metrics(linker.scores(sentences, sentence_vectors), relevant),
            "cosine": rank_metrics(sentence_vectors @ vectors.T, relevant),
        }
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report as JSON."""
    p = argparse.ArgumentParser(prog="python -m taskboerse.matching.skill_extraction")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory of the CSVs")
    p.add_argument("--embedder", default="default", help="as for the benchmark")
    args = p.parse_args(argv)
    print(json.dumps(evaluate(args.data, get_embedder(args.embedder)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
