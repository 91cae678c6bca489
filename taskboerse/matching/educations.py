"""The vocabulary of Danish higher educations, and a linker from what a graduate typed
("Cand.merc. i finansiering", "HA", "kandidat i statskundskab", "MSc Economics") to it.

Plain Python and rapidfuzz, no Flask: the profile service links on save, the statistics group
by the vocabulary's groups, and the unit tests run the linker without an app.

Linking is deliberately cautious. An exact match of a normalised synonym wins; only then is
rapidfuzz asked, and it must clear a high threshold with a margin over every other education.
A wrong link would put a graduate in the wrong statistics group without anyone noticing, while
a missing one shows up as "not linked" and the free text is kept either way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

# The statistics groups: code → (Danish, English). The order is the order tables list them in.
GROUPS: dict[str, tuple[str, str]] = {
    "business": ("Erhvervsøkonomi og økonomi", "Business and economics"),
    "social": ("Samfundsvidenskab og jura", "Social sciences and law"),
    "humanities": ("Humaniora og sprog", "Humanities and languages"),
    "science_it": ("Naturvidenskab og it", "Science and IT"),
    "engineering": ("Teknik og ingeniørfag", "Engineering"),
    "health": ("Sundhed", "Health"),
    "education_social": ("Pædagogik og socialt arbejde", "Education and social work"),
    "design_communication": ("Design og kommunikation", "Design and communication"),
}

# Educations that name a degree rather than a subject ("Cand.mag.", "Civilingeniør"). In
# "Cand.mag. i dansk" the subject after "i" says more; in "HD i finansiering" the degree does.
BROAD_CODES = frozenset({"cand-merc", "cand-mag", "cand-scient", "cand-soc", "cand-it", "engineer"})

# Texts that name a whole family of educations; a near miss on them is no evidence of one.
AMBIGUOUS = frozenset(
    {
        "erhvervsøkonomi",
        "business",
        "business administration",
        "ledelse",
        "management",
        "kandidat",
        "bachelor",
        "master",
        "ph d",
        "phd",
        "akademiker",
        "universitet",
        "university",
    }
)

FUZZY_THRESHOLD = 88.0  # rapidfuzz token_sort_ratio, 0–100
FUZZY_MARGIN = 4.0  # the best education must beat every other by this much
FUZZY_MIN_LENGTH = 5  # shorter texts ("HA", "HD", "it") link only exactly

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_UDD = re.compile(r"uddannelse(?:n|r|rne)?$")
_PARENS = re.compile(r"\(([^()]*)\)")
_LAST_PARENS = re.compile(r"\s*\([^()]*\)\s*$")

# Words before the subject that say only the degree: "kandidat i statskundskab",
# "MSc in Economics", "uddannet sygeplejerske". Longest first, matched on whole words.
_PREFIXES = tuple(
    sorted(
        (
            "uddannet som",
            "uddannet",
            "nyuddannet",
            "færdiguddannet",
            "kandidat i",
            "kandidat indenfor",
            "kandidat inden for",
            "kandidatgrad i",
            "kandidat fra",
            "bachelor i",
            "bachelorgrad i",
            "bachelor fra",
            "professionsbachelor i",
            "professionsbachelor som",
            "professionsbachelor",
            "pba i",
            "ba i",
            "bsc i",
            "msc i",
            "ma i",
            "master i",
            "ph d i",
            "phd i",
            "ph d",
            "phd",
            "ph d in",
            "phd in",
            "ap i",
            "ak i",
            "akademi i",
            "erhvervsakademi i",
            "diplom i",
            "top up i",
            "master of science in",
            "master of arts in",
            "bachelor of science in",
            "bachelor of arts in",
            "master s degree in",
            "masters degree in",
            "master s in",
            "masters in",
            "bachelor s degree in",
            "bachelors degree in",
            "bachelor s in",
            "degree in",
            "msc in",
            "msc",
            "ma in",
            "ba in",
            "bsc in",
            "bsc",
            "ap degree in",
            "master in",
            "bachelor in",
        ),
        key=len,
        reverse=True,
    )
)
# Where the subject ends and the place or year begins: "… fra CBS", "… at Aarhus University".
_PLACE = re.compile(r"\s(?:fra|from|ved|på|at)\s.*$")
_INSTITUTION_TAIL = re.compile(
    r"(?:\s(?:ku|au|sdu|aau|ruc|cbs|itu|dtu|kp|ucl|via|eaaa|easj|kea|dmjx|\d{4}))+$"
)
# "<degree> i <subject>": the first separator splits head and tail.
_SPLIT = re.compile(
    r"\s(?:i|in|med speciale i|med specialisering i|specialisering i|indenfor|inden for|"
    r"within|with specialisation in|with specialization in|majoring in|linje)\s"
)
_AND = re.compile(r"\s(?:og|and)\s")


def normalise_education(text: str) -> str:
    """Case-fold, turn punctuation into spaces, drop "uddannelse(n)" ("datamatikeruddannelsen"
    → "datamatiker") and collapse spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("&", " og ")
    words = []
    for word in _SPACE.split(_PUNCT.sub(" ", text)):
        word = _UDD.sub("", word)
        if word:
            words.append(word)
    return " ".join(words)


def _strip_prefix(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix + " "):
                text, changed = text[len(prefix) + 1 :], True
                break
    return text


def _cut_place(text: str) -> str:
    return _INSTITUTION_TAIL.sub("", _PLACE.sub("", text)).strip()


def _forms(text: str) -> list[str]:
    """``text`` (normalised) as typed, without the degree words before it and without the
    place after it: the forms looked up in the synonyms, most faithful first."""
    forms = []
    for form in (text, _strip_prefix(text), _cut_place(text), _strip_prefix(_cut_place(text))):
        if form and form not in forms:
            forms.append(form)
    return forms


@dataclass(frozen=True)
class Education:
    """One education of the vocabulary."""

    code: str
    level: str
    group: str
    label_da: str
    label_en: str
    synonyms: tuple[str, ...]

    def label(self, locale: str | None) -> str:
        """The label in ``locale`` ("da" or "en"; Danish for anything else)."""
        return self.label_en if (locale or "").startswith("en") else self.label_da


@dataclass(frozen=True)
class EducationMatch:
    """A link from typed text to an education: how it was found and how sure it is."""

    code: str
    score: float  # 100 for an exact synonym
    method: str  # "exact" or "fuzzy"
    matched: str  # the vocabulary form (normalised) that matched


class EducationVocabulary:
    """The educations, their normalised synonyms, and the linker."""

    def __init__(
        self,
        entries: Iterable[Education],
        threshold: float = FUZZY_THRESHOLD,
        margin: float = FUZZY_MARGIN,
    ) -> None:
        self.threshold = threshold
        self.margin = margin
        self._entries: dict[str, Education] = {}
        self._by_form: dict[str, str] = {}
        for entry in entries:
            if entry.code in self._entries:
                raise ValueError(f"education {entry.code!r} is listed twice")
            if entry.group not in GROUPS:
                raise ValueError(f"education {entry.code!r} has an unknown group {entry.group!r}")
            self._entries[entry.code] = entry
            labels = (entry.label_da, entry.label_en)
            for text in (*labels, *entry.synonyms):
                keys = {normalise_education(text)}
                if text in labels:  # and its name without the parenthesis: "Jura (cand.jur.)"
                    keys.add(normalise_education(_LAST_PARENS.sub("", text)))
                for key in keys - {""}:
                    other = self._by_form.setdefault(key, entry.code)
                    if other != entry.code:
                        raise ValueError(
                            f"{text!r} names both {other!r} and {entry.code!r}; "
                            "a synonym must name one education"
                        )
        self._keys = list(self._by_form)
        self._key_codes = [self._by_form[k] for k in self._keys]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Education]:
        return iter(self._entries.values())

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def get(self, code: str | None) -> Education | None:
        """The education with ``code``, or None (also for an unknown or retired code)."""
        return self._entries.get(code or "")

    def label(self, code: str | None, locale: str | None) -> str | None:
        """The education's label in ``locale``, or None when ``code`` is not in the vocabulary."""
        entry = self.get(code)
        return entry.label(locale) if entry else None

    def group_of(self, code: str | None) -> str | None:
        """The statistics group of the education, or None when ``code`` is unknown."""
        entry = self.get(code)
        return entry.group if entry else None

    def labels(self, locale: str | None) -> list[str]:
        """Every education's label in ``locale``, alphabetically (for suggestions)."""
        return sorted((e.label(locale) for e in self), key=str.casefold)

    # --- linking ---------------------------------------------------------------------------

    def _lookup(self, text: str) -> str | None:
        for form in _forms(text):
            if form in self._by_form:
                return self._by_form[form]
        return None

    def _bases(self, text: str) -> list[str]:
        """The typed text, normalised, as a whole; without a parenthesis; the parenthesis
        alone; the part before the first comma or slash."""
        raw = [text, _PARENS.sub(" ", text), *_PARENS.findall(text), re.split(r"[,;/]", text)[0]]
        bases = []
        for item in raw:
            base = normalise_education(item)
            if base and base not in bases:
                bases.append(base)
        return bases

    def _exact(self, bases: list[str]) -> EducationMatch | None:
        for base in bases:
            code = self._lookup(base)
            if code:
                return EducationMatch(code, 100.0, "exact", base)
        for base in bases:
            for form in _forms(base):
                head, sep, tail = (part.strip() for part in _split(form))
                if not sep:
                    continue
                head_code = self._lookup(head) if head else None
                if head_code and head_code not in BROAD_CODES:
                    return EducationMatch(head_code, 100.0, "exact", head)
                tail_code = self._lookup(tail)
                if tail_code is None:
                    tail_code = next(
                        (c for part in _AND.split(tail) if (c := self._lookup(part.strip()))),
                        None,
                    )
                if tail_code:
                    return EducationMatch(tail_code, 100.0, "exact", tail)
                if head_code:
                    return EducationMatch(head_code, 100.0, "exact", head)
        return None

    def _fuzzy(self, bases: list[str]) -> EducationMatch | None:
        queries: list[str] = []
        for base in bases:
            for form in _forms(base):
                head, sep, tail = _split(form)
                for query in (form, tail.strip() if sep else "", head.strip() if sep else ""):
                    if len(query) >= FUZZY_MIN_LENGTH and query not in queries:
                        queries.append(query)
        best: EducationMatch | None = None
        runner_up = 0.0
        for query in queries:
            found = process.extract(
                query,
                self._keys,
                scorer=fuzz.token_sort_ratio,
                limit=20,
                score_cutoff=self.threshold - self.margin,
            )
            for key, score, index in found:
                if len(key) < FUZZY_MIN_LENGTH:
                    continue
                code = self._key_codes[index]
                if best is None or score > best.score:
                    if best is not None and best.code != code:
                        runner_up = max(runner_up, best.score)
                    best = EducationMatch(code, float(score), "fuzzy", key)
                elif code != best.code:
                    runner_up = max(runner_up, score)
        if best is None or best.score < self.threshold or best.score - runner_up < self.margin:
            return None
        return best

    def link(self, text: str | None) -> EducationMatch | None:
        """The education ``text`` names, or None when it names none or it is not clear which:
        an exact (normalised) synonym first, then a close fuzzy match with a clear margin."""
        if not text or not text.strip():
            return None
        bases = self._bases(text[:200])
        if not bases:
            return None
        found = self._exact(bases)
        if found is None and not any(f in AMBIGUOUS for b in bases for f in _forms(b)):
            found = self._fuzzy(bases)
        return found


def _split(text: str) -> tuple[str, str, str]:
    found = _SPLIT.search(text)
    if not found:
        return text, "", ""
    return text[: found.start()], found.group(0), text[found.end() :]


def parse_educations(text: str) -> list[Education]:
    """Educations from the TSV format of ``data/educations.tsv`` (``#`` lines are comments)."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, level, group, label_da, label_en, synonyms = line.split("\t")
        entries.append(
            Education(
                code=code.strip(),
                level=level.strip(),
                group=group.strip(),
                label_da=label_da.strip(),
                label_en=label_en.strip(),
                synonyms=tuple(s.strip() for s in synonyms.split("|") if s.strip()),
            )
        )
    return entries


@lru_cache(maxsize=1)
def load_educations() -> EducationVocabulary:
    """The curated vocabulary from ``data/educations.tsv`` (read once per process)."""
    text = resources.files("taskboerse.matching").joinpath("data/educations.tsv")
    return EducationVocabulary(parse_educations(text.read_text("utf-8")))


def link_education(text: str | None) -> str | None:
    """The code of the education ``text`` names, or None when unsure."""
    found = load_educations().link(text)
    return found.code if found else None


def group_label(group: str, locale: str | None) -> str:
    """A statistics group's name in ``locale``."""
    da, en = GROUPS[group]
    return en if (locale or "").startswith("en") else da
