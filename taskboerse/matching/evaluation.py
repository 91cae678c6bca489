"""Ranking metrics as the MELO benchmark defines them (trec_eval conventions), and the Danish
task/graduate evaluation set."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from taskboerse.matching import texts
from taskboerse.matching.embedder import Embedder
from taskboerse.matching.ranker import (
    ProfileCatalog,
    ProfileDoc,
    SkillRef,
    SkillSpace,
    TaskCatalog,
    TaskDoc,
    Weights,
)
from taskboerse.matching.skills import SkillMatcher, VocabularyEntry, load_curated_vocabulary


def ranking_metrics(
    runs: Mapping[str, Sequence[str]], relevant: Mapping[str, set[str]]
) -> dict[str, float]:
    """MRR, Acc@1, Acc@5 and MAP for ranked label ids per query (queries without results
    count as misses)."""
    n = len(relevant)
    mrr = acc1 = acc5 = average_precision = 0.0
    for qid, wanted in relevant.items():
        ranked = runs.get(qid, ())
        hits = [rank for rank, label in enumerate(ranked) if label in wanted]
        if not hits:
            continue
        mrr += 1.0 / (hits[0] + 1)
        acc1 += hits[0] == 0
        acc5 += hits[0] < 5
        average_precision += sum((i + 1) / (rank + 1) for i, rank in enumerate(hits)) / len(wanted)
    if not n:
        return {"mrr": 0.0, "acc1": 0.0, "acc5": 0.0, "map": 0.0}
    return {
        "mrr": round(mrr / n, 4),
        "acc1": round(acc1 / n, 4),
        "acc5": round(acc5 / n, 4),
        "map": round(average_precision / n, 4),
    }


# --- the Danish task/graduate set ------------------------------------------------------------


@dataclass
class PairSet:
    """The Danish evaluation set as ranker documents and vectors."""

    tasks: list[TaskDoc]
    profiles: list[ProfileDoc]
    task_vectors: np.ndarray
    profile_vectors: np.ndarray
    intended: dict[int, int]  # profile id -> task id
    fields: dict[tuple[str, int], str]  # ("task" | "profile", id) -> field
    space: SkillSpace


def load_pair_set(path: Path, embedder: Embedder, related_threshold: float) -> PairSet:
    """Read ``tests/data/matching_eval_da.json``: skills resolved onto the curated vocabulary
    as the app does, texts composed as the app does, every task remote so only fit counts."""
    data = json.loads(path.read_text("utf-8"))
    vocabulary = load_curated_vocabulary()
    matcher = SkillMatcher(
        VocabularyEntry(i, (s.label_da, s.label_en, *s.synonyms)) for i, s in enumerate(vocabulary)
    )

    def refs(labels: list[str]) -> tuple[SkillRef, ...]:
        out: dict[str, SkillRef] = {}
        for label in labels:
            found = matcher.match(label)
            ref = SkillRef(label, int(found.entry_id) if found else None)
            out.setdefault(ref.key, ref)
        return tuple(out.values())

    def shown(label: str) -> str:
        found = matcher.match(label)
        return vocabulary[int(found.entry_id)].label_da if found else label

    today = date(2026, 1, 15)
    task_ids = {t["id"]: n for n, t in enumerate(data["tasks"], start=1)}
    tasks, task_texts, fields = [], [], {}
    for t in data["tasks"]:
        n = task_ids[t["id"]]
        tasks.append(
            TaskDoc(
                n,
                refs(t["required"]),
                refs(t.get("nice", [])),
                10,
                today.replace(month=3),
                True,
                None,
            )
        )
        task_texts.append(
            texts.task_text(
                t["title"],
                t["description"],
                [shown(s) for s in t["required"] + t.get("nice", [])],
                t.get("learning", ""),
            )
        )
        fields[("task", n)] = t["field"]
    profiles, profile_texts, intended = [], [], {}
    for n, g in enumerate(data["graduates"], start=1):
        profiles.append(ProfileDoc(n, refs(g["skills"] + g.get("languages", [])), None, None, True))
        profile_texts.append(
            texts.profile_text(
                g.get("education", ""), "", [shown(s) for s in g["skills"]], g.get("about", "")
            )
        )
        intended[n] = task_ids[g["intended_task"]]
        fields[("profile", n)] = g["field"]
    related = [(i, s) for i, s in enumerate(vocabulary) if s.category != "language"]
    space = SkillSpace(
        [f"v{i}" for i, _ in related],
        embedder.encode([texts.skill_text(s.label_da, s.label_en, s.synonyms) for _, s in related]),
        related_threshold,
        [s.category for _, s in related],
    )
    return PairSet(
        tasks,
        profiles,
        embedder.encode(task_texts),
        embedder.encode(profile_texts),
        intended,
        fields,
        space,
    )


def pair_metrics(pairs: PairSet, weights: Weights, dim: int) -> dict:
    """Graduate → own task at rank 1 and MRR, task → own graduate in the top 2, for the
    engine and for plain cosine; and the score spread behind the relevance floor."""
    today = date(2026, 1, 15)
    everything = replace(weights, floor=-1e9, pool=10_000)
    catalog = TaskCatalog(dim, precision="float32", weights=everything)
    people = ProfileCatalog(dim, precision="float32", weights=everything)
    catalog.space = people.space = pairs.space
    for doc, vector in zip(pairs.tasks, pairs.task_vectors, strict=True):
        catalog.upsert(doc, vector)
    for doc, vector in zip(pairs.profiles, pairs.profile_vectors, strict=True):
        people.upsert(doc, vector)
    owner = {task: person for person, task in pairs.intended.items()}
    sims = pairs.profile_vectors @ pairs.task_vectors.T
    ranks, cos_ranks, top2, cos_top2 = [], [], 0, 0
    own_scores, same_field, other_field = [], [], []
    own_cos, other_cos = [], []
    for i, profile in enumerate(pairs.profiles):
        ranking = catalog.rank_for(profile, pairs.profile_vectors[i], today, k=10_000)
        ids = [m.id for m in ranking]
        want = pairs.intended[profile.id]
        ranks.append(ids.index(want) + 1)
        order = [pairs.tasks[j].id for j in np.argsort(-sims[i], kind="stable")]
        cos_ranks.append(order.index(want) + 1)
        for m, j in ((m, m.id) for m in ranking):
            same = pairs.fields[("task", j)] == pairs.fields[("profile", profile.id)]
            if j == want:
                own_scores.append(m.score)
                own_cos.append(m.explanation.similarity)
            elif same:
                same_field.append(m.score)
            else:
                other_field.append(m.score)
                other_cos.append(m.explanation.similarity)
    for j, task in enumerate(pairs.tasks):
        ranking = people.rank_for(task, pairs.task_vectors[j], today, k=2)
        top2 += owner[task.id] in [m.id for m in ranking]
        order = [pairs.profiles[i].id for i in np.argsort(-sims[:, j], kind="stable")[:2]]
        cos_top2 += owner[task.id] in order
    n, m = len(pairs.profiles), len(pairs.tasks)
    return {
        "graduates": n,
        "tasks": m,
        "engine": {
            "rank1": round(sum(r == 1 for r in ranks) / n, 4),
            "mrr": round(sum(1 / r for r in ranks) / n, 4),
            "task_top2": round(top2 / m, 4),
        },
        "cosine": {
            "rank1": round(sum(r == 1 for r in cos_ranks) / n, 4),
            "mrr": round(sum(1 / r for r in cos_ranks) / n, 4),
            "task_top2": round(cos_top2 / m, 4),
        },
        "scores": {
            "own_p05": _pct(own_scores, 5),
            "own_median": _pct(own_scores, 50),
            "same_field_p90": _pct(same_field, 90),
            "other_field_p95": _pct(other_field, 95),
            "other_field_p99": _pct(other_field, 99),
            "other_field_above_floor": round(
                float(np.mean(np.array(other_field) >= weights.floor)), 4
            ),
            "own_above_floor": round(float(np.mean(np.array(own_scores) >= weights.floor)), 4),
        },
        "cosines": {
            "own_median": _pct(own_cos, 50),
            "other_field_median": _pct(other_cos, 50),
        },
    }


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 4) if values else 0.0
