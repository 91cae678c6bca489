"""The benchmark command runs end to end and prints the JSON the issue asks for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taskboerse.matching import bench


@pytest.mark.slow
def test_bench_json_shape(tmp_path: Path, capsys) -> None:
    (tmp_path / "corpus_elements.tsv").write_text(
        "C1_da_000\tdataanalytiker\nC2_da_000\tsygeplejerske\nC2_da_001\tsygeplejeske\n",
        encoding="utf-8",
    )
    (tmp_path / "queries.tsv").write_text("Q1\tDataanalytiker\nQ2\tSygeplejerske\n", "utf-8")
    (tmp_path / "annotations.tsv").write_text(
        "Q1\t0\tC1_da_000\t1\nQ2\t0\tC2_da_000\t1\nQ2\t0\tC2_da_001\t1\n", encoding="utf-8"
    )
    code = bench.main(["--json", "--quick", "--embedder", "hashing", "--melo", str(tmp_path)])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["melo"]["mrr"] == 1.0 and report["melo"]["acc1"] == 1.0
    assert set(report["melo"]) == {"mrr", "acc1", "acc5", "map"}
    latency = report["latency_ms"]
    assert set(latency["tasks_for_jobseeker"]) == {"1000", "10000"}
    assert set(latency["tasks_for_jobseeker"]["1000"]) == {"p50", "p95"}
    assert "10000" in latency["candidates_for_task"]
    assert all(r >= 0.98 for r in latency["recall_at_20"].values())
    assert report["reindex_vs_encode"] > 0
