"""Link short texts (job titles, skills, educations) to a vocabulary.

Fuses three signals, each z-normalised over the vocabulary for the query so their scales
agree: character n-gram TF-IDF (robust to Danish compounds and inflection), rapidfuzz edit
similarity on normalised text, and embedding cosine. When the vocabulary groups labels into
concepts (a preferred label plus synonyms), a concept's best label lifts its other labels and
the preferred label wins ties between identical texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from taskboerse.matching.embedder import Embedder
from taskboerse.matching.skills import normalise


@dataclass(frozen=True)
class LinkWeights:
    """Fusion weights. Chosen on MELO-dnk (see the README's benchmark section)."""

    tfidf: float = 1.0
    fuzzy: float = 0.1
    embedding: float = 0.3
    preferred: float = 0.3  # bonus, in z units, for a concept's preferred label
    own: float = 0.8  # share of a label's own score; the rest is its concept's best label


@dataclass(frozen=True)
class VocabularyLabel:
    """One label of the vocabulary; labels of one concept share ``concept``."""

    id: str
    text: str
    concept: str | None = None
    preferred: bool = False


def labels_from_ids(
    rows: Sequence[tuple[str, str]], concept_sep: str | None
) -> list[VocabularyLabel]:
    """Vocabulary labels from (id, text) rows; with ``concept_sep``, ids are CONCEPT<sep>N and
    label N = 0 is the concept's preferred label."""
    labels = []
    for label_id, text in rows:
        concept, preferred = None, False
        if concept_sep and concept_sep in label_id:
            concept, _, number = label_id.rpartition(concept_sep)
            preferred = number.isdigit() and int(number) == 0
        labels.append(VocabularyLabel(label_id, text, concept, preferred))
    return labels


def _znorm(scores: np.ndarray) -> np.ndarray:
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True) + 1e-9
    return (scores - mean) / std


class Linker:
    """Scores queries against every vocabulary label and returns the best labels."""

    def __init__(
        self,
        labels: Sequence[VocabularyLabel],
        embedder: Embedder | None,
        weights: LinkWeights | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.weights = weights or LinkWeights()
        self.embedder = embedder
        self._texts = [normalise(label.text) for label in self.labels]
        self._tfidf = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32
        )
        self._matrix = self._tfidf.fit_transform(self._texts)
        self._vectors = None
        if embedder is not None and self.weights.embedding:
            self._vectors = embedder.encode([label.text for label in self.labels])
        self._preferred = np.array([label.preferred for label in self.labels], dtype=np.float32)
        concepts = [label.concept or f"\0{i}" for i, label in enumerate(self.labels)]
        _, self._concept_index = np.unique(np.array(concepts, dtype=object), return_inverse=True)
        self._n_concepts = int(self._concept_index.max()) + 1 if self.labels else 0
        self._has_concepts = any(label.concept for label in self.labels)

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """A (queries, labels) matrix of fused scores; higher is better."""
        w = self.weights
        normed = [normalise(q) for q in queries]
        fused = w.tfidf * _znorm((self._tfidf.transform(normed) @ self._matrix.T).toarray())
        if w.fuzzy:
            fuzzy = process.cdist(normed, self._texts, scorer=fuzz.ratio, dtype=np.float32)
            fused += w.fuzzy * _znorm(fuzzy)
        if self._vectors is not None:
            fused += w.embedding * _znorm(self.embedder.encode(list(queries)) @ self._vectors.T)
        if self._has_concepts:
            fused += w.preferred * self._preferred
            if w.own < 1.0:
                best = np.full((len(queries), self._n_concepts), -np.inf, dtype=np.float32)
                for row in range(len(queries)):
                    np.maximum.at(best[row], self._concept_index, fused[row])
                fused = w.own * fused + (1 - w.own) * best[:, self._concept_index]
        return fused

    def link(self, queries: Sequence[str], top: int = 10) -> list[list[tuple[str, float]]]:
        """For each query the ``top`` labels, best first, as (label id, score)."""
        results = []
        ids = np.array([label.id for label in self.labels])
        # Ties: label id descending, as trec_eval orders them.
        id_rank = np.argsort(np.argsort(ids))
        matrix = self.scores(queries)
        for row in matrix:
            order = np.lexsort((-id_rank, -row))[:top]
            results.append([(str(ids[i]), float(row[i])) for i in order])
        return results
