"""Ranking metrics as the MELO benchmark defines them (trec_eval conventions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


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
