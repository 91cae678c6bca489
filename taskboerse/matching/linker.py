"""The linker library (its command line is ``link.py``): link short texts (job titles,
skills, educations) and sentences to a vocabulary.

Fuses up to five signals, each z-normalised over the vocabulary for the query so their scales
agree: embedding cosine; character n-gram TF-IDF cosine (robust to Danish compounds and
inflection); two coverage scores, the share of a label's TF-IDF mass (character n-grams, and
whole words) found in the query, which spot a skill named inside a longer sentence; and,
optionally, rapidfuzz edit similarity on normalised text. When the vocabulary groups labels
into concepts (a preferred label plus synonyms), a concept's best label lifts its other labels
and the preferred label wins ties between identical texts.

One set of weights serves titles and sentences without a rule on query length: lexical
z-scores are heavy-tailed, so a title that (nearly) equals a label puts that label 20 or more
standard deviations above the vocabulary and the lexical signals decide, while a sentence
matches no label that closely and the embedding carries more of the ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from taskboerse.matching.embedder import Embedder
from taskboerse.matching.skills import normalise


@dataclass(frozen=True)
class LinkWeights:
    """Fusion weights, in units of each signal's z-score. Chosen on MELO-dnk (Danish job
    titles) and the skill-extraction validation sets (English job-ad sentences) together;
    see the README's benchmark section."""

    tfidf: float = 0.2
    fuzzy: float = 0.0  # rapidfuzz ratio; whole-string, so it only suits title-length queries
    embedding: float = 1.0
    cover: float = 0.2  # share of the label's character n-grams present in the query
    word_cover: float = 0.1  # share of the label's words present in the query
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


def _present(matrix):
    """The sparse matrix with every stored value set to 1 (which features occur)."""
    matrix = matrix.copy()
    matrix.data[:] = 1.0
    return matrix


class Linker:
    """Scores queries against every vocabulary label and returns the best labels."""

    def __init__(
        self,
        labels: Sequence[VocabularyLabel],
        embedder: Embedder | None,
        weights: LinkWeights | None = None,
        progress: Callable[[int, int], None] | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        """``vectors``, if given, are the labels' embeddings already made by ``embedder``."""
        self.labels = list(labels)
        self.weights = weights or LinkWeights()
        self.embedder = embedder
        self._texts = [normalise(label.text) for label in self.labels]
        self._tfidf = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, norm=None, dtype=np.float32
        )
        raw = self._tfidf.fit_transform(self._texts)
        self._matrix = normalize(raw)  # rows of unit length: a dot product is the cosine
        self._cover = normalize(raw, norm="l1")  # rows sum to 1: a dot product is a share
        self._words = None
        if self.weights.word_cover:
            self._words = TfidfVectorizer(sublinear_tf=True, norm=None, dtype=np.float32)
            try:
                self._word_cover = normalize(self._words.fit_transform(self._texts), norm="l1")
            except ValueError:  # no label has a word of two or more letters
                self._words = None
        self._vectors = None
        if embedder is not None and self.weights.embedding:
            if vectors is not None:
                if len(vectors) != len(self.labels):
                    raise ValueError("one vector per label is needed")
                self._vectors = np.asarray(vectors, dtype=np.float32)
            else:
                self._vectors = embedder.encode([label.text for label in self.labels])
        self._preferred = np.array([label.preferred for label in self.labels], dtype=np.float32)
        concepts = [label.concept or f"\0{i}" for i, label in enumerate(self.labels)]
        _, self._concept_index = np.unique(np.array(concepts, dtype=object), return_inverse=True)
        self._n_concepts = int(self._concept_index.max()) + 1 if self.labels else 0
        self._has_concepts = any(label.concept for label in self.labels)

    @property
    def vectors(self) -> np.ndarray | None:
        """The labels' embeddings (None without an embedder)."""
        return self._vectors

    def scores(self, queries: Sequence[str], query_vectors: np.ndarray | None = None) -> np.ndarray:
        """A (queries, labels) matrix of fused scores; higher is better. ``query_vectors``,
        if given, are the queries' embeddings already made by the linker's embedder."""
        w = self.weights
        normed = [normalise(q) for q in queries]
        raw = self._tfidf.transform(normed)
        fused = w.tfidf * _znorm((normalize(raw) @ self._matrix.T).toarray())
        if w.cover:
            fused += w.cover * _znorm((_present(raw) @ self._cover.T).toarray())
        if self._words is not None:
            present = _present(self._words.transform(normed))
            fused += w.word_cover * _znorm((present @ self._word_cover.T).toarray())
        if w.fuzzy:
            fuzzy = process.cdist(normed, self._texts, scorer=fuzz.ratio, dtype=np.float32)
            fused += w.fuzzy * _znorm(fuzzy)
        if self._vectors is not None:
            if query_vectors is None:
                query_vectors = self.embedder.encode(list(queries))
            fused += w.embedding * _znorm(query_vectors @ self._vectors.T)
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
