"""Score the graphs of annotated articles against gold annotations (schema ``summit-gold/1``).

``kg eval ARTICLES_DIR --gold GOLD_DIR`` builds every article that has a gold file, runs the
bundled queries on its graph and compares the answers with the gold file, category by category.
The rules are those of the maintainers' scorer, so the numbers are the ones the README reports:

- **Normalisation** (:func:`norm`): Unicode NFKC, traditional → simplified script (OpenCC), no
  white space, no quotation marks or book-title marks (《》).
- **Same item** (:meth:`Matcher.same`): equal after normalisation; or other names of the same
  state or organization (:class:`Synonyms`); or equal once a trailing 市/省 is dropped; or the
  shorter name has at least four characters and ends the longer one, or lies inside it and is at
  least 40 % of its length (``关于应对毒品威胁的声明`` in ``上海合作组织成员国元首理事会关于应对毒品威胁的声明``).
- **Sets** (:meth:`Matcher.match_set`): greedy one-to-one matching of the graph's answers (each
  distinct string once) against the gold items and their ``aliases``. A second answer for an item
  already matched is a false positive (a duplicate). Items marked ``"optional": true`` are neither
  needed nor faulted, but only once: a second answer for the same optional item is a duplicate.
- **Attributes**: of matched summits (ordinal, dates, format, chair, organization, city, host
  state), the type of matched documents, the proposer of initiatives, the speaker of speeches and
  the title of persons; counted as right / all.
- **Members**: the organization's members and observers on the summit's date, state and status
  compared separately (蒙古 and 蒙古国 are the same state).

Importing this module is cheap: the pipeline, the RDF store and OpenCC are loaded on first use.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, ResourceError

if TYPE_CHECKING:  # pragma: no cover
    from kg.pipeline.builder import Pipeline
    from kg.resources import Resources

#: Characters removed before comparing: quotation marks and book-title marks.
QUOTES = "“”‘’\"'「」『』《》〈〉"
#: The bundled queries whose answers are scored.
QUERIES = ("summits", "documents", "initiatives", "speeches", "persons", "organizations", "states",
           "attendees", "members", "areas")
#: Categories scored as sets (precision, recall, F1), in the order they are reported.
SET_CATEGORIES = ("summits", "documents", "initiatives", "speeches", "persons", "organizations", "states",
                  "attendees", "cooperation_areas", "members")
#: Categories scored as attribute accuracy (right / all).
ATTRIBUTE_CATEGORIES = ("summit_fields", "document_types", "initiative_proposers", "speech_speakers",
                        "person_titles")
#: Every category in report order.
CATEGORIES = ("summits", "summit_fields", "documents", "document_types", "initiatives", "initiative_proposers",
              "speeches", "speech_speakers", "persons", "person_titles", "organizations", "states", "attendees",
              "cooperation_areas", "members")
#: The data file of synonyms the reference knowledge lacks.
SYNONYMS_FILE = "lexicon/eval_synonyms.tsv"

Row = dict[str, str]
GoldItem = dict[str, Any]


# --------------------------------------------------------------------------- normalisation

@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str] | None:
    """OpenCC's traditional → simplified converter, or None where OpenCC is not installed."""
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - a dependency of the project
        return None
    return OpenCC("t2s").convert  # type: ignore[no-any-return]


@lru_cache(maxsize=1 << 16)
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    convert = _t2s()
    if convert is not None:
        text = convert(text)
    text = re.sub(r"\s+", "", text)
    return "".join(ch for ch in text if ch not in QUOTES)


def norm(text: object) -> str:
    """The form names are compared in: NFKC, simplified script, no white space, quotes or 《》.

    ``None`` is the empty string; other values are compared as their ``str``.
    """
    return "" if text is None else _norm(str(text))


# --------------------------------------------------------------------------- synonyms

class Synonyms:
    """Groups of names of the same state or organization (中国 = 中方 = 我国).

    Two names are synonyms when their normalised forms are in the same group. Groups are
    disjoint: a name given to a second group is a :class:`~kg.errors.ResourceError`.
    """

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self._group: dict[str, int] = {}
        self._heads: list[str] = []
        for names in groups:
            self.add_group(list(names))

    def __len__(self) -> int:
        return len(self._heads)

    def add_group(self, names: Sequence[str]) -> None:
        """Add a group of names of one thing (the first is its head)."""
        names = [n for n in names if norm(n)]
        if not names:
            return
        index = len(self._heads)
        self._heads.append(names[0])
        for name in names:
            self._put(name, index)

    def add(self, form: str, same_as: str) -> None:
        """Make ``form`` a synonym of ``same_as``, starting a group when ``same_as`` has none."""
        group = self._group.get(norm(same_as))
        if group is None:
            self.add_group([same_as, form])
        else:
            self._put(form, group)

    def _put(self, name: str, index: int) -> None:
        old = self._group.setdefault(norm(name), index)
        if old != index:
            raise ResourceError(f"synonyms: {name!r} is a name of both {self._heads[old]!r} "
                                f"and {self._heads[index]!r}")

    def key(self, text: str) -> str:
        """The comparison key of a name: its group for a known name, else its normalised form."""
        n = norm(text)
        group = self._group.get(n)
        return n if group is None else f"\x00{group}"

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Synonyms:
        """Groups from rows (``form``, ``same_as``): each form joins the group of its ``same_as``."""
        synonyms = cls()
        for row in rows:
            synonyms.add(row["form"], row["same_as"])
        return synonyms

    @classmethod
    def bundled(cls, resources: Resources) -> Synonyms:
        """The maintainers' scorer's table, ``data/lexicon/eval_synonyms.tsv``."""
        return cls.from_rows(resources.tsv(SYNONYMS_FILE))


# --------------------------------------------------------------------------- scores

def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1. Nothing predicted and nothing to find is a perfect score;
    nothing predicted with something to find is precision 0."""
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class SetScore:
    """A category scored as a set: true/false positives, false negatives and what they were."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missing: list[str] = field(default_factory=list)  # gold items not found
    extra: list[str] = field(default_factory=list)  # answers matching no gold item
    pairs: list[tuple[str, GoldItem]] = field(default_factory=list)  # answer, gold item it matched

    @property
    def prf(self) -> tuple[float, float, float]:
        return prf(self.tp, self.fp, self.fn)

    def to_json(self) -> dict[str, Any]:
        p, r, f = self.prf
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(p, 6), "recall": round(r, 6),
                "f1": round(f, 6), "missing": list(self.missing), "extra": list(self.extra),
                "matched": [[answer, str(_label(item))] for answer, item in self.pairs]}


@dataclass
class AttributeScore:
    """An attribute of matched items scored as accuracy: right out of all."""

    ok: int = 0
    all: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.ok / self.all if self.all else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "all": self.all, "accuracy": round(self.accuracy, 6), "misses": list(self.misses)}


Score = SetScore | AttributeScore


def _label(item: GoldItem) -> Any:
    return item.get("label", item.get("name", item.get("title")))


def as_items(values: Iterable[Any], key: str = "label") -> list[GoldItem]:
    """Gold list entries as items: a plain string ``s`` is ``{key: s}``."""
    return [v if isinstance(v, dict) else {key: v} for v in values]


def item_names(item: GoldItem, key: str = "label") -> list[str]:
    """An item's name under ``key`` followed by its aliases."""
    return [item.get(key)] + list(item.get("aliases") or [])


# --------------------------------------------------------------------------- matching

@dataclass
class Matcher:
    """The matching rules, with the synonym table they use."""

    synonyms: Synonyms = field(default_factory=Synonyms)

    def same(self, pred: str, names: Sequence[Any]) -> bool:
        """Whether the answer ``pred`` names the same thing as one of ``names``.

        Equal after :func:`norm`; synonyms; equal without a trailing 市/省; or the shorter of the
        two has at least 4 characters and ends the longer, or is inside it and at least 40 % of it.
        """
        p = norm(pred)
        if not p:
            return False
        for name in names:
            g = norm(name)
            if not g:
                continue
            if p == g or self.synonyms.key(p) == self.synonyms.key(g):
                return True
            if len(p) >= 2 and len(g) >= 2 and p.rstrip("市省") == g.rstrip("市省"):
                return True
            short, long_ = (p, g) if len(p) <= len(g) else (g, p)
            if len(short) >= 4 and (long_.endswith(short) or (short in long_ and len(short) >= 0.4 * len(long_))):
                return True
        return False

    def match_set(self, gold_items: Sequence[GoldItem], preds: Iterable[str], key: str = "label") -> SetScore:
        """Greedy one-to-one matching of the answers ``preds`` to the gold items.

        Each distinct answer, in order, takes the first required item it names that is still
        free (a true positive). An answer naming only an item already taken, or nothing, is a
        false positive, unless it names an optional item not yet named. Required items left are
        false negatives.
        """
        required = [g for g in gold_items if not g.get("optional")]
        optional = [g for g in gold_items if g.get("optional")]
        answers = list(dict.fromkeys(preds))  # identical strings count once
        score = SetScore()
        used: set[int] = set()
        seen_optional: set[int] = set()
        for p in answers:
            hit = next((i for i, g in enumerate(required) if i not in used and self.same(p, item_names(g, key))),
                       None)
            if hit is not None:
                used.add(hit)
                score.tp += 1
                score.pairs.append((p, required[hit]))
                continue
            opt = next((j for j, g in enumerate(optional) if self.same(p, item_names(g, key))), None)
            if opt is not None and opt not in seen_optional:
                seen_optional.add(opt)
                continue
            score.fp += 1
        score.fn = len(required) - len(used)
        score.missing = [str(required[i][key]) for i in range(len(required)) if i not in used]
        paired = {p for p, _ in score.pairs}
        score.extra = [p for p in answers if p not in paired
                       and not any(self.same(p, item_names(g, key)) for g in optional)]
        return score

    def match_speeches(self, gold_items: Sequence[GoldItem], rows: Sequence[Row],
                       names_of: Callable[[Any], list[Any]]) -> SetScore:
        """Speeches: the titled gold items matched on the title (:meth:`match_set`), then each
        untitled gold item (``"title": null``), in order, on its speaker.

        ``rows`` have a title each (:func:`untitled_as_own`). An untitled gold item takes the first
        answer left over (an extra, whether titled or not) of which a row's speaker names the gold
        speaker or one of its aliases: a true positive where the item is required, neither found
        nor faulted where it is optional. A required untitled item that takes none is missing,
        as ``(untitled, by SPEAKER)``. These pairs are not scored for their speaker again.
        """
        titled = [g for g in gold_items if g.get("title")]
        score = self.match_set(titled, [r.get("title", "") for r in rows], key="title")
        for g in (g for g in gold_items if not g.get("title")):
            speaker = names_of(g.get("speaker"))
            hit = next((t for t in score.extra
                        if any(self.same(r.get("speaker", ""), speaker) for r in rows if r.get("title") == t)), None)
            if hit is not None:
                score.extra.remove(hit)
                if not g.get("optional"):
                    score.tp += 1
                score.fp -= 1
            elif not g.get("optional"):
                score.fn += 1
                score.missing.append(f"(untitled, by {g.get('speaker')})")
        return score

    def match_members(self, membership: Mapping[str, Any], rows: Sequence[Row]) -> SetScore:
        """The ``members`` answers (label, status) against the gold ``member`` and ``observer`` lists.

        Every row counts (no de-duplication). A row matches the first gold entry left whose status
        its status contains and whose state it names (the gold name with or without a final 国).
        """
        wanted = [(s, "member") for s in membership.get("member") or []] + \
                 [(s, "observer") for s in membership.get("observer") or []]
        score = SetScore()
        for row in rows:
            state, status = row.get("label", ""), _local_name(row.get("status", "")).lower()
            hit = next((w for w in wanted if w[1] in status and self.same(state, [w[0], w[0].rstrip("国")])), None)
            if hit is not None:
                wanted.remove(hit)
                score.tp += 1
                score.pairs.append((f"{state}|{status}", {"label": f"{hit[0]}|{hit[1]}"}))
            else:
                score.fp += 1
                score.extra.append(f"{state}|{status}")
        score.fn = len(wanted)
        score.missing = [f"{s}|{status}" for s, status in wanted]
        return score


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- one article

@dataclass
class ArticleScore:
    """The scores of one article and the errors met. An article that ``failed`` to build is
    scored as a graph with nothing in it: every gold item it needed is missed."""

    article: str
    gold: str = ""
    errors: list[str] = field(default_factory=list)
    categories: dict[str, Score] = field(default_factory=dict)
    failed: bool = False
    traceback: str = ""  # of an internal error met while building it (printed with KG_DEBUG=1)

    def micro(self) -> SetScore:
        """Every set category of the article together."""
        return _sum_sets(s for s in self.categories.values() if isinstance(s, SetScore))

    def attributes(self) -> AttributeScore:
        """Every attribute category of the article together."""
        return _sum_attributes(s for s in self.categories.values() if isinstance(s, AttributeScore))

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "gold": self.gold, "errors": list(self.errors), "failed": self.failed,
                "categories": {name: s.to_json() for name, s in self.categories.items()}}


def _sum_sets(scores: Iterable[SetScore]) -> SetScore:
    total = SetScore()
    for score in scores:
        total.tp += score.tp
        total.fp += score.fp
        total.fn += score.fn
    return total


def _sum_attributes(scores: Iterable[AttributeScore]) -> AttributeScore:
    total = AttributeScore()
    for score in scores:
        total.ok += score.ok
        total.all += score.all
    return total


def _ordinal(value: str) -> str:
    try:
        return str(int(float(value)))
    except ValueError:
        return value


#: Summit fields compared as values: gold key → (query column, conversion of the answer).
_SUMMIT_VALUES: dict[str, tuple[str, Callable[[str], str]]] = {
    "ordinal": ("ordinal", _ordinal),
    "start_date": ("startDate", lambda v: v[:10]),
    "end_date": ("endDate", lambda v: v[:10]),
    "format": ("format", lambda v: _local_name(v).lower()),
}
#: Summit fields compared as names: gold key → query column.
_SUMMIT_NAMES = {"chair": "chair", "organization": "organization", "city": "city", "host_state": "hostState"}


def score_article(gold: Mapping[str, Any], answers: Mapping[str, Sequence[Row]], matcher: Matcher,
                  article: str = "") -> ArticleScore:
    """Compare the query answers of one article's graph with its gold annotation.

    ``answers`` maps each name of :data:`QUERIES` to its rows (column → value as a string). Every
    category is scored, as the maintainers' scorer does: a list the gold file leaves out (or gives
    as ``null``) is an empty list, nothing to find, and every answer is a false positive. Members
    are scored only where the gold file gives a ``membership``.
    """
    out = ArticleScore(str(gold.get("article") or article))
    cats = out.categories

    # the gold names of states, organizations, persons and attendees, with their aliases
    aliases: dict[str, list[str]] = {}
    for group in ("states", "organizations", "persons", "attendees"):
        for item in gold.get(group) or []:
            if isinstance(item, dict):
                name = item.get("label") or item.get("name")
                if name:
                    aliases.setdefault(norm(name), [name]).extend(item.get("aliases") or [])

    def names_of(value: Any) -> list[Any]:
        """A gold value (or list of them) with the aliases the gold gives each."""
        out: list[Any] = []
        for v in value if isinstance(value, list) else [value]:
            out.extend(aliases.get(norm(v), [v]))
        return out

    def rows(name: str) -> Sequence[Row]:
        return answers.get(name) or []

    def attribute(m: SetScore, rows: Sequence[Row], col: str, gkey: str, pkey: str = "label") -> AttributeScore:
        """Of each matched item with a gold ``gkey``, whether a row of its answer gives it: a name
        of it, or a value ending with it (中国国家主席 for 国家主席). A gold list is one value."""
        score = AttributeScore()
        for answer, g in m.pairs:
            want = g.get(gkey)
            if want is None:
                continue
            score.all += 1
            got = [r.get(col, "") for r in rows if r.get(pkey, "") == answer]
            end = norm(want).lower()
            if any(matcher.same(x, names_of(want)) or norm(x).lower().endswith(end) for x in got if x):
                score.ok += 1
            else:
                score.misses.append(f"{_label(g)}: want {want!r}, got {got!r}")
        return score

    # summits: one-to-one on the label, then the accuracy of their fields
    summits = rows("summits")
    m = matcher.match_set(as_items(gold.get("summits") or []), [r.get("label", "") for r in summits])
    cats["summits"] = m
    cats["summit_fields"] = _summit_fields(m, summits, matcher, names_of)
    for category, query, key, attr, col in (
            ("documents", "documents", "label", "document_types", "type"),
            ("initiatives", "initiatives", "label", "initiative_proposers", "proposer"),
            ("speeches", "speeches", "title", "speech_speakers", "speaker"),
            ("persons", "persons", "name", "person_titles", "title"),
            ("organizations", "organizations", "label", "", ""),
            ("states", "states", "label", "", ""),
            ("attendees", "attendees", "label", "", ""),
            ("cooperation_areas", "areas", "label", "", "")):
        answered = rows(query)
        items = as_items(gold.get(category) or [], key)
        if category == "speeches":
            answered = untitled_as_own(answered)
            m = matcher.match_speeches(items, answered, names_of)
        else:
            m = matcher.match_set(items, [r.get(key, "") for r in answered], key=key)
        cats[category] = m
        if attr:
            # the gold attribute has the same name as the query column (type, proposer, speaker, title)
            cats[attr] = attribute(m, answered, col, col, pkey=key)
    membership = gold.get("membership")
    if membership:
        cats["members"] = matcher.match_members(membership, rows("members"))
    return out


def untitled_as_own(speeches: Sequence[Row]) -> list[Row]:
    """The speech rows with a stand-in title for each speech without one, ``<untitled IRI>``:
    every untitled speech is its own answer, so two of them are two answers."""
    return [r if r.get("title") else {**r, "title": f"<untitled {r.get('speech', '')}>"} for r in speeches]


def _summit_fields(m: SetScore, summits: Sequence[Row], matcher: Matcher,
                   names_of: Callable[[Any], list[Any]]) -> AttributeScore:
    """The fields of each matched summit: values (ordinal, dates, format) and names (chair…)."""
    fields = AttributeScore()
    for answer, g in m.pairs:
        row = next(r for r in summits if r.get("label", "") == answer)
        for key, (col, convert) in _SUMMIT_VALUES.items():
            want = g.get(key)
            if want is None:
                continue
            fields.all += 1
            got = row.get(col, "")
            got = convert(got) if got else ""
            want_s = str(want).lower() if key == "format" else str(want)
            if got == want_s or (key == "format" and want_s.replace("_", "") in got.replace("_", "").replace("-", "")):
                fields.ok += 1
            else:
                fields.misses.append(f"{key}: want {want_s!r}, got {got!r}")
        for key, col in _SUMMIT_NAMES.items():
            want = g.get(key)
            if want is None:
                continue
            fields.all += 1
            if matcher.same(row.get(col, ""), names_of(want)):
                fields.ok += 1
            else:
                fields.misses.append(f"{key}: want {want!r}, got {row.get(col, '')!r}")
    return fields


# --------------------------------------------------------------------------- gold files

#: The key naming the items of each gold list (strings in the list are that key's value).
GOLD_KEYS = {"summits": "label", "documents": "label", "initiatives": "label", "speeches": "title",
             "persons": "name", "organizations": "label", "states": "label", "attendees": "label",
             "cooperation_areas": "label"}


def read_gold(path: Path) -> dict[str, Any]:
    """Read and check a gold file; anything malformed is a one-line :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from None
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    if not isinstance(gold, dict):
        raise InputError(f"{path}: a gold file is a JSON object (schema summit-gold/1), not {_json_type(gold)}")
    schema = gold.get("schema")
    if schema is not None and schema != "summit-gold/1":
        raise InputError(f"{path}: unknown schema {schema!r}; kg eval reads summit-gold/1")
    for category, key in GOLD_KEYS.items():
        values = gold.get(category)
        if values is None:
            continue
        if not isinstance(values, list):
            raise InputError(f"{path}: {category!r} is a list, not {_json_type(values)}")
        for number, item in enumerate(values, 1):
            where = f"{path}: {category} item {number}"
            if isinstance(item, str):
                continue
            if not isinstance(item, dict):
                raise InputError(f"{where} is {_json_type(item)}; write a string or an object")
            if category == "speeches" and item.get(key) is None:
                speaker = item.get("speaker")
                if not (isinstance(speaker, str) and speaker) and not (
                        isinstance(speaker, list) and speaker and all(isinstance(s, str) for s in speaker)):
                    raise InputError(f"{where} has no title and no 'speaker'; a speech without a title "
                                     "(\"title\": null) is matched on its speaker")
            elif not isinstance(item.get(key), str) or not item[key]:
                raise InputError(f"{where} has no {key!r} (a non-empty string)")
            names = item.get("aliases")
            if names is not None and not (isinstance(names, list) and all(isinstance(a, str) for a in names)):
                raise InputError(f"{where}: 'aliases' is a list of strings")
    membership = gold.get("membership")
    if membership is not None:
        if not isinstance(membership, dict):
            raise InputError(f"{path}: 'membership' is an object, not {_json_type(membership)}")
        for status in ("member", "observer"):
            states = membership.get(status)
            if states is not None and not (isinstance(states, list) and all(isinstance(s, str) for s in states)):
                raise InputError(f"{path}: membership {status!r} is a list of strings")
    return gold


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def find_pairs(articles_dir: str | Path, gold_dir: str | Path) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """The (article, gold file) pairs to score, and the gold files without an article.

    Gold files are ``GOLD_DIR/<id>.json`` (not ``*.meta.json``); the article is
    ``ARTICLES_DIR/<id>.txt``. Missing folders and a gold folder without gold files are errors.
    """
    articles, gold = Path(articles_dir), Path(gold_dir)
    for folder, what in ((articles, "articles"), (gold, "gold")):
        if not folder.exists():
            raise InputError(f"{folder}: no such {what} directory")
        if not folder.is_dir():
            raise InputError(f"{folder}: not a directory")
    files = [g for g in sorted(gold.glob("*.json")) if not g.name.endswith(".meta.json") and g.is_file()]
    if not files:
        raise InputError(f"{gold}: no gold files (<id>.json) in the directory")
    pairs, orphans = [], []
    for path in files:
        article = articles / (path.stem + ".txt")
        if article.is_file():
            pairs.append((article, path))
        else:
            orphans.append(path)
    if not pairs:
        raise InputError(f"{articles}: no article <id>.txt for any gold file of {gold}")
    return pairs, orphans


# --------------------------------------------------------------------------- the run

@dataclass
class Report:
    """The scores of every article and their sums."""

    articles: list[ArticleScore]

    def totals(self) -> dict[str, Score]:
        """Each category summed over the articles (set counts; right / all), in report order."""
        names = list(dict.fromkeys(name for art in self.articles for name in art.categories))
        names = [n for n in CATEGORIES if n in names] + [n for n in names if n not in CATEGORIES]
        out: dict[str, Score] = {}
        for name in names:
            scores = [art.categories[name] for art in self.articles if name in art.categories]
            sets = [s for s in scores if isinstance(s, SetScore)]
            out[name] = _sum_sets(sets) if sets else _sum_attributes(
                s for s in scores if isinstance(s, AttributeScore))
        return out

    def micro(self) -> SetScore:
        """Every set category of every article together."""
        return _sum_sets(art.micro() for art in self.articles)

    def attributes(self) -> AttributeScore:
        """Every attribute category of every article together."""
        return _sum_attributes(art.attributes() for art in self.articles)

    @property
    def errors(self) -> int:
        return sum(len(a.errors) for a in self.articles)

    def summary_line(self) -> str:
        """The last line, as the maintainers' scorer prints it:
        ``articles N  micro P … R … F1 …  attributes k/n  errors e``."""
        p, r, f = self.micro().prf
        acc = self.attributes()
        return (f"articles {len(self.articles)}  micro P {p:.3f} R {r:.3f} F1 {f:.3f}  "
                f"attributes {acc.ok}/{acc.all}  errors {self.errors}")

    def to_json(self) -> dict[str, Any]:
        micro, acc = self.micro(), self.attributes()
        return {
            "schema": "summit-kg-eval/1",
            "articles": [a.to_json() for a in self.articles],
            "summary": {
                "articles": len(self.articles),
                "errors": self.errors,
                "micro": _counts_json(micro),
                "attributes": _counts_json(acc),
                "per_category": {name: _counts_json(s) for name, s in self.totals().items()},
                "per_article": [{"article": art.article, **_counts_json(art.micro()),
                                 "attributes": _counts_json(art.attributes()), "errors": len(art.errors)}
                                for art in self.articles],
            },
        }

    def json_text(self) -> str:
        """The report as deterministic JSON (sorted keys, UTF-8 text, trailing newline)."""
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def table(self, per_article: bool = True) -> str:
        """The printed report.

        With ``per_article``, first each article's categories exactly as the maintainers' scorer
        prints them (``== ID`` then one line per category with the items missing and extra). Then
        the totals per category over all articles (``== total (N articles)``), the micro scores of
        each article (``== per article``), and last the scorer's summary line.
        """
        lines: list[str] = []
        if per_article:
            for art in self.articles:
                lines.append(f"== {art.article}")
                lines.extend(f"   error: {e}" for e in art.errors)
                for name, score in art.categories.items():
                    lines.extend(_score_lines(name, score))
        width = max([len(name) for name in self.totals()] + [len(a.article) for a in self.articles] + [22])
        head = f"{'tp':>5} {'fp':>5} {'fn':>5}  {'P':>5}  {'R':>5}  {'F1':>5}"
        lines.append(f"== total ({len(self.articles)} article{'s' if len(self.articles) != 1 else ''})")
        lines.append(f"   {'category':<{width}} {head}")
        for name, score in self.totals().items():
            lines.append(f"   {name:<{width}} {_total_cells(score)}")
        lines.append(f"   {'micro (set categories)':<{width}} {_total_cells(self.micro())}")
        lines.append(f"   {'attributes':<{width}} {_total_cells(self.attributes())}")
        lines.append("== per article")
        lines.append(f"   {'article':<{width}} {head}  attributes")
        for art in self.articles:
            acc = art.attributes()
            lines.append(f"   {art.article:<{width}} {_total_cells(art.micro())}  {acc.ok}/{acc.all}"
                         + (f"  errors {len(art.errors)}" if art.errors else ""))
        lines.append(self.summary_line())
        return "\n".join(lines) + "\n"


def _counts_json(score: Score) -> dict[str, Any]:
    """A score's counts without its item lists."""
    return {k: v for k, v in score.to_json().items() if k not in ("missing", "extra", "matched", "misses")}


def _total_cells(score: Score) -> str:
    """``tp fp fn P R F1`` in columns, or ``right/all`` and the accuracy under F1."""
    if isinstance(score, SetScore):
        p, r, f = score.prf
        return f"{score.tp:>5} {score.fp:>5} {score.fn:>5}  {p:.3f}  {r:.3f}  {f:.3f}"
    return f"{f'{score.ok}/{score.all} right':>17}  {'':>5}  {'':>5}  {score.accuracy:.3f}"


def _score_lines(name: str, score: Score) -> list[str]:
    """One category of one article, in the maintainers' scorer's words."""
    if isinstance(score, SetScore):
        p, r, f = score.prf
        lines = [f"   {name:<20} P {p:.2f} R {r:.2f} F1 {f:.2f}  (tp {score.tp} fp {score.fp} fn {score.fn})"]
        if score.missing:
            lines.append(f"      missing: {'、'.join(score.missing[:12])}")
        if score.extra:
            lines.append(f"      extra:   {'、'.join(score.extra[:12])}")
        return lines
    return [f"   {name:<20} {score.ok}/{score.all} right" + (f"  {score.misses[:4]}" if score.misses else "")]


class Evaluator:
    """Builds articles with one :class:`~kg.pipeline.builder.Pipeline` and scores them in-process;
    articles of more than ``max_chars`` characters fail."""

    def __init__(self, pipeline: Pipeline | None = None, matcher: Matcher | None = None,
                 max_chars: int | None = None) -> None:
        from kg.pipeline.builder import Pipeline
        from kg.pipeline.read import MAX_CHARS
        from kg.query import bundled_queries

        self.max_chars = MAX_CHARS if max_chars is None else max_chars
        self.pipeline = pipeline or Pipeline()
        self.matcher = matcher or Matcher(Synonyms.bundled(self.pipeline.resources))
        queries = bundled_queries()
        self.queries = {name: queries[name] for name in QUERIES}
        self._store: Any = None

    def store(self) -> Any:
        """The pyoxigraph store of the ontology and reference triples (built once, default graph)."""
        if self._store is None:
            import pyoxigraph as ox

            from kg.terms import from_rdflib

            self._store = ox.Store()
            self._store.bulk_extend([_ox_quad(from_rdflib(s), from_rdflib(p), from_rdflib(o))
                                     for _, graph in self.pipeline.background.graphs() for s, p, o in graph])
        return self._store

    def answers(self, quads: Iterable[tuple[Any, Any, Any, Any]]) -> tuple[dict[str, list[Row]], list[str]]:
        """The bundled queries' rows on a graph of ``quads`` plus the background knowledge.

        Like ``kg build -o G.ttl`` then ``kg query G.ttl NAME --format json``: one set of triples
        (the article's and the background's), the same SPARQL, the values of the W3C results
        JSON. The article's triples that the background lacks are added to the background store
        for the queries and taken out again afterwards.
        """
        from kg.query import run_query

        store = self.store()
        added = [q for q in dict.fromkeys(_ox_quad(s, p, o) for s, p, o, _ in quads) if q not in store]
        store.extend(added)
        out: dict[str, list[Row]] = {}
        errors: list[str] = []
        try:
            for name, sparql in self.queries.items():
                try:
                    data = json.loads(run_query(store, sparql, "json"))
                    out[name] = [{k: v.get("value", "") for k, v in b.items()} for b in data["results"]["bindings"]]
                except KGError as exc:
                    out[name] = []
                    errors.append(f"query {name}: {exc}")
        finally:
            for quad in added:
                store.remove(quad)
        return out, errors

    def build(self, path: Path) -> list[tuple[Any, Any, Any, Any]]:
        """The quads of one article's graphs, as ``kg build`` makes them."""
        from kg.pipeline.read import read_article

        raw = read_article(path, max_chars=self.max_chars)
        return self.pipeline.writer(self.pipeline.document(raw))

    def evaluate(self, pairs: Sequence[tuple[Path, Path]]) -> Report:
        """Score each (article, gold file) pair. An article that does not build, whatever stops
        it, is reported with its error and scored as an empty graph: its gold items are missed."""
        from kg.corpus import article_error

        golds = {article: read_gold(gold) for article, gold in pairs}  # every gold file is checked first
        scores: list[ArticleScore] = []
        for path, gold_file in pairs:
            gold = golds[path]
            error: KGError | None = None
            try:
                quads = self.build(path)
            except ResourceError:  # broken bundled data stops the run, as it stops a build
                raise
            except KGError as exc:
                error = exc
            except Exception as exc:  # a bug met on this article: its error; the others are scored
                error = article_error(path, exc)
            if error is not None:
                score = score_article(gold, {}, self.matcher, article=path.stem)
                score.errors.append(str(error))
                score.failed = True
                score.traceback = getattr(error, "traceback", "")
            else:
                answers, errors = self.answers(quads)
                score = score_article(gold, answers, self.matcher, article=path.stem)
                score.errors.extend(errors)
            score.gold = gold_file.name
            scores.append(score)
        return Report(scores)


@lru_cache(maxsize=1 << 16)
def _ox_term(term: str) -> Any:
    """An N-Triples term as a pyoxigraph term (cached: the same terms recur in every article)."""
    from kg.terms import to_oxigraph

    return to_oxigraph(term)


@lru_cache(maxsize=1)
def _ox_quad_maker() -> Callable[..., Any]:
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    return lambda s, p, o: ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), default)


def _ox_quad(s: Any, p: Any, o: Any) -> Any:
    """The triple as a pyoxigraph quad of the default graph."""
    return _ox_quad_maker()(s, p, o)


def evaluate_dirs(articles_dir: str | Path, gold_dir: str | Path,
                  max_chars: int | None = None) -> tuple[Report, list[Path]]:
    """Score every article of ``articles_dir`` that has a gold file in ``gold_dir``.

    Returns the report and the gold files that have no article (not scored).
    """
    pairs, orphans = find_pairs(articles_dir, gold_dir)
    for _, gold in pairs:
        read_gold(gold)  # a malformed gold file stops the run before the pipeline is loaded
    return Evaluator(max_chars=max_chars).evaluate(pairs), orphans


__all__ = ["ArticleScore", "AttributeScore", "Evaluator", "Matcher", "Report", "SetScore", "Synonyms",
           "as_items", "evaluate_dirs", "find_pairs", "norm", "prf", "read_gold", "score_article"]
