"""The vocabulary of Danish higher educations, and a linker from what a graduate typed
("Cand.merc. i finansiering", "HA", "kandidat i statskundskab", "MSc Economics") to it.

Plain Python and rapidfuzz, no Flask: the profile service links on save, the statistics group
by the vocabulary's groups, and the unit tests run the linker without an app.

Linking is deliberately cautious. An exact match of a normalised synonym wins; only then is
rapidfuzz asked, and it must clear a high threshold with a margin over every other education.
A broad degree ("Cand.merc.", "Civilingeniør") takes a subject only from its own group, so
"Cand.merc. i psykologi" stays a cand.merc. rather than becoming a psychologist.
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
from rapidfuzz.distance import OSA

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

# The usual level of an education ("any" for a field taught at several).
LEVELS = frozenset(
    {"academy", "professional_bachelor", "bachelor", "diploma", "master", "phd", "any"}
)

FUZZY_THRESHOLD = 88.0  # rapidfuzz token_sort_ratio, 0–100
# One word has no other words to vouch for it: it must be a single slip (a letter missing,
# added, changed or two swapped) from the synonym, so "Billedkunstner" is no "billedkunst".
FUZZY_ONE_WORD_EDITS = 1
FUZZY_MARGIN = 4.0  # the best education must beat every other by this much
FUZZY_MIN_LENGTH = 5  # shorter texts ("HA", "HD", "it") link only exactly
# Tokens this short are abbreviations ("fir", "fil", "kom", "aud"): one letter apart they name
# different educations, so a fuzzy match that differs only in them is no evidence.
ABBREVIATION_LENGTH = 4

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
# "datamatikeruddannelsen", "lærer uddannelsen": the word says nothing, but only the last one
# is dropped, and only where what remains is a known education ("ungdomsuddannelse" is not a
# "ungdoms").
_UDD = re.compile(r"(?<=\w)\s?uddannelsen?$")
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
_AND_WORD = {"og": "and", "and": "og"}
_LITTLE_WORDS = frozenset({"og", "and", "i", "in", "of", "for", "the", "med", "til", "af"})


def normalise_education(text: str) -> str:
    """Case-fold, turn punctuation into spaces and collapse them ("Cand.Merc.(Kom.)" →
    "cand merc kom"); "&" becomes "og"."""
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("&", " og ")
    return " ".join(_SPACE.split(_PUNCT.sub(" ", text))).strip()


def _variants(form: str) -> list[str]:
    """``form`` and the spellings a synonym may be listed under: without a last word
    "uddannelse(n)", and with "og"/"and" swapped ("finance og investments", typed with "&")."""
    found = [form]
    bare = _UDD.sub("", form).strip()
    if bare and bare != form:
        found.append(bare)
    for item in list(found):
        words = item.split(" ")
        if any(w in _AND_WORD for w in words):
            found.append(" ".join(_AND_WORD.get(w, w) for w in words))
    return found


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
            if entry.level not in LEVELS:
                raise ValueError(f"education {entry.code!r} has an unknown level {entry.level!r}")
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

    def _lookup(self, text: str) -> tuple[str, str] | None:
        """(code, vocabulary form) of the first form of ``text`` that is a synonym."""
        for form in _forms(text):
            for variant in _variants(form):
                if variant in self._by_form:
                    return self._by_form[variant], variant
        return None

    def _same_group(self, code: str, broad: str | None) -> bool:
        return broad is None or self.group_of(code) == self.group_of(broad)

    def _subject(self, tail: str, broad: str | None) -> tuple[str, str] | None:
        """The education the subject after "i" names, if any: as a whole, or, for "X og Y",
        when every part is known and all lie in one group (then the first). Under a broad
        degree only a subject in the degree's own group counts."""
        found = self._lookup(tail)
        if found is None:
            parts = [p.strip() for p in _AND.split(tail)]
            known = [f for p in parts if (f := self._lookup(p))] if len(parts) > 1 else []
            if known and len(known) == len(parts):
                if len({self.group_of(code) for code, _form in known}) == 1:
                    found = known[0]
        if found and self._same_group(found[0], broad):
            return found
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
            found = self._lookup(base)
            if found:
                return EducationMatch(found[0], 100.0, "exact", found[1])
        for base in bases:
            for form in _forms(base):
                head, sep, tail = (part.strip() for part in _split(form))
                if not sep:
                    continue
                head_found = self._lookup(head) if head else None
                if head_found and head_found[0] not in BROAD_CODES:
                    return EducationMatch(head_found[0], 100.0, "exact", head_found[1])
                subject = self._subject(tail, head_found[0] if head_found else None)
                if subject:
                    return EducationMatch(subject[0], 100.0, "exact", subject[1])
                if head_found:
                    return EducationMatch(head_found[0], 100.0, "exact", head_found[1])
        return None

    def _specialise(
        self, text: str, bases: list[str], broad: EducationMatch
    ) -> EducationMatch | None:
        """A narrower education of the broad degree's own group: the specialisation in
        brackets or after a comma, read as "<degree> i <specialisation>" ("Cand.merc.
        (revision)", "Civilingeniør, byggeri"), or a near miss on the subject after "i"
        ("Cand.merc. i finansiring")."""
        parts = [*_PARENS.findall(text), *re.split(r"[,;/]", _PARENS.sub(" ", text))[1:]]
        tries: list[tuple[str, list[str]]] = []
        for part in parts:
            subject = _cut_place(normalise_education(part))
            if subject:
                tries.append((f"{broad.matched} i {subject}", [subject]))
        for base in bases:
            for form in _forms(base):
                _head, sep, tail = _split(form)
                if sep:
                    tries.append((form, [tail.strip()]))
        for query, subjects in tries:
            found = self._exact([query])
            if found is None or found.code == broad.code:
                found = self._fuzzy_queries([query, *subjects])
            if found and found.code not in BROAD_CODES and self._same_group(found.code, broad.code):
                return found
        return None

    def _fuzzy(self, bases: list[str]) -> EducationMatch | None:
        queries: list[str] = []
        for base in bases:
            for form in _forms(base):
                head, sep, tail = _split(form)
                queries.extend((form, tail.strip() if sep else "", head.strip() if sep else ""))
        return self._fuzzy_queries(queries)

    def _fuzzy_queries(self, queries: list[str]) -> EducationMatch | None:
        """The one education the queries come close to, with a margin over every other."""
        best: dict[str, EducationMatch] = {}  # code → its best match
        blocked: dict[str, float] = {}  # code → its best score where it may not win
        for query in dict.fromkeys(q for q in queries if len(q) >= FUZZY_MIN_LENGTH):
            one_word = " " not in query
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
                if _only_abbreviations_differ(query, key) or (
                    one_word and OSA.distance(query, key) > FUZZY_ONE_WORD_EDITS
                ):
                    blocked[code] = max(blocked.get(code, 0.0), float(score))
                elif code not in best or score > best[code].score:
                    best[code] = EducationMatch(code, float(score), "fuzzy", key)
        if not best:
            return None
        winner = max(best.values(), key=lambda m: m.score)
        others = [m.score for c, m in best.items() if c != winner.code]
        others += [s for c, s in blocked.items() if c != winner.code]
        if winner.score < self.threshold or winner.score - max(others, default=0.0) < self.margin:
            return None
        return winner

    def link(self, text: str | None) -> EducationMatch | None:
        """The education ``text`` names, or None when it names none or it is not clear which:
        an exact (normalised) synonym first, then a close fuzzy match with a clear margin."""
        if not text or not text.strip():
            return None
        bases = self._bases(text[:200])
        if not bases:
            return None
        found = self._exact(bases)
        if found is not None and found.code in BROAD_CODES:
            found = self._specialise(text[:200], bases, found) or found
        if found is None and not any(f in AMBIGUOUS for b in bases for f in _forms(b)):
            found = self._fuzzy(bases)
        return found


def _fold(token: str) -> str:
    # Danish spells with k what Latin spells with c: "cand. merk." is a cand.merc.
    return token.replace("c", "k")


def _only_abbreviations_differ(query: str, key: str) -> bool:
    """Whether ``query`` and ``key`` differ only in short tokens ("cand merc fil" and "cand
    merc fir"): then they name different educations, however alike they look. A slip in a
    little word of the synonym ("adn" for "and") is no such difference."""
    mine, theirs = ({_fold(t) for t in s.split()} for s in (query, key))
    differ = mine ^ theirs
    if theirs - mine and (theirs - mine) <= _LITTLE_WORDS:
        return False
    return bool(differ) and all(len(t) <= ABBREVIATION_LENGTH for t in differ)


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
