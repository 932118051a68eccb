"""Traditional-script (繁體) input: detection, a conversion that keeps every offset, and a graph
whose text, sentences and evidence are the article as written while the rules, the queries and
the reference knowledge stay in simplified script.

The report below was written for these tests in the style of a Hong Kong paper; it is not taken
from any published report nor from data/articles. The development articles are only converted
(OpenCC s2t/s2hk/s2tw) to measure detection and the conversion back.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SDO, SKOS

from kg.cli import main
from kg.model import Article, Doc, Evidence, Fact, Ref, Value
from kg.pipeline.fold import fold
from kg.pipeline.graph import script_names
from kg.pipeline.normalise import (
    TRADITIONAL_SHARE,
    is_traditional,
    normalise,
    normalise_text,
    to_simplified,
    traditional_share,
)
from kg.pipeline.read import RawArticle
from kg.query import bundled_queries, resolve_query, run_query
from kg.store import load_store
from kg.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
ALL_DEV = sorted((ROOT / "data" / "articles").glob("*.txt"))


def _language(path: Path) -> str:
    meta = path.with_suffix(".meta.json")
    data = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    return str(data.get("language", "zh-Hans"))


#: The development articles in simplified script, and those in traditional script.
DEV = [p for p in ALL_DEV if not _language(p).startswith("zh-Hant")]
DEV_HANT = [p for p in ALL_DEV if _language(p).startswith("zh-Hant")]
ID = "https://w3id.org/summit-kg/id/"
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SKG = Namespace("https://w3id.org/summit-kg/ontology#")
SUMMIT = URIRef(ID + "summit/sco/heads-of-state/22")
NAME = "sco2022_samarkand_hk"

TEXT = """\
【本報訊】綜合報道：上海合作組織成員國元首理事會第二十二次會議16日在烏茲別克斯坦撒馬爾罕舉行。\
國家主席習近平出席會議並發表重要講話。烏茲別克斯坦總統米爾濟約耶夫主持會議。

習近平指出，上合組織成立二十一年來，成員國秉持「上海精神」，在安全、經濟、人文等領域合作不斷深化，\
為地區和平與發展作出重要貢獻。習近平強調，各方要加強團結協作，深化公共衞生合作，共同維護地區安全穩定。

習近平提出，中方願在未來5年為成員國培訓2000名執法人員，並歡迎各方參與全球發展倡議。

與會領導人高度評價上合組織在維護地區安全方面發揮的作用。會議簽署並發表了《上海合作組織成員國元首理事會撒馬爾罕宣言》，\
發表了關於維護國際糧食安全的聲明、關於應對氣候變化的聲明。

俄羅斯總統普京、哈薩克斯坦總統托卡耶夫、印度總理莫迪等出席會議。外交部部長王毅等參加上述活動。（記者 陳嘉欣）
"""
META = {"id": NAME, "title": "習近平出席上合組織撒馬爾罕峰會", "source": "本報", "published": "2022-09-17",
        "language": "zh-Hant",
        "note": "Written for the tests in the style of a Hong Kong paper; not from a published report."}
SUMMIT_HANT = "上海合作組織成員國元首理事會第二十二次會議"
SUMMIT_HANS = "上海合作组织成员国元首理事会第二十二次会议"


def _opencc(config: str, text: str) -> str:
    from opencc import OpenCC

    return OpenCC(config).convert(text)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- conversion and detection

@pytest.mark.parametrize("written,simplified", [
    ("上海合作組織成員國元首理事會第二十二次會議", "上海合作组织成员国元首理事会第二十二次会议"),
    ("深化公共衞生合作", "深化公共卫生合作"),   # Hong Kong variant 衞 (t2s alone leaves it)
    ("為合作指明瞭方向", "为合作指明了方向"),   # phrase: 瞭 → 了 only in 明瞭
    ("疫情反覆", "疫情反复"),                   # phrase: 覆 → 复 only in 反覆
    ("秉持「上海精神」（記者）", "秉持「上海精神」（记者）"),  # punctuation kept
    ("上海合作组织峰会", "上海合作组织峰会"),   # simplified stays as it is
], ids=["summit-name", "hk-variant", "phrase-liao", "phrase-fu", "punctuation", "simplified-unchanged"])
def test_script_to_simplified(written: str, simplified: str) -> None:
    assert to_simplified(written) == simplified


def _renderings() -> list[tuple[str, str, str]]:
    out = [("own-report", TEXT, "")]
    for path in DEV:
        for config in ("s2t", "s2hk", "s2tw"):
            out.append((f"{path.stem}-{config}", str(path), config))
    return out


RENDERINGS = _renderings()


@pytest.mark.parametrize("name,source,config", RENDERINGS, ids=[r[0] for r in RENDERINGS])
def test_script_length_invariant_and_detection(name: str, source: str, config: str) -> None:
    """Every traditional rendering is detected, converts to a text of the same length, and (for
    the development articles) converts back to the article; s2tw's 著 for 着 is the one residue."""
    if config:
        simplified = normalise_text(Path(source).read_text(encoding="utf-8"))
        written = _opencc(config, simplified)
    else:
        simplified, written = "", normalise_text(source)
    converted = to_simplified(written)
    assert len(converted) == len(written)
    assert is_traditional(written, converted)
    share, changed = traditional_share(written, converted)
    assert share >= 0.25 > TRADITIONAL_SHARE and changed > 100
    article = normalise(RawArticle(name, Path(f"{name}.txt"), written, {}))
    assert (article.text, article.original_text, article.language) == (fold(converted), written, "zh-Hant")
    if simplified:
        residue = {(a, b) for a, b in zip(simplified, converted, strict=True) if a != b}
        assert residue <= ({("着", "著")} if config == "s2tw" else set())


@pytest.mark.parametrize("path", DEV, ids=[p.stem for p in DEV])
def test_script_simplified_article_is_not_flagged(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    article = normalise(RawArticle(path.stem, path, raw, meta))
    assert traditional_share(article.text, to_simplified(article.text)) == (0.0, 0)
    assert article.original_text is None and not article.converted
    assert article.own_text == normalise_text(raw) and article.text == fold(normalise_text(raw))
    assert article.language == meta.get("language", "zh-Hans") == "zh-Hans"


@pytest.mark.parametrize("path", DEV_HANT, ids=[p.stem for p in DEV_HANT])
def test_script_traditional_article_is_detected(path: Path) -> None:
    raw = normalise_text(path.read_text(encoding="utf-8"))
    article = normalise(RawArticle(path.stem, path, raw, {}))
    assert article.converted and article.language == "zh-Hant"
    assert article.own_text == raw and len(article.text) == len(raw)


@pytest.mark.parametrize("text,meta,expected", [
    ("新华社香港9月17日电 香港《大公報》17日发表社评，称上海合作组织撒马尔罕峰会成果丰硕。", {}, None),
    ("峰会在撒马尔罕举行。", {"language": "zh-Hant"}, None),
    (TEXT, {"language": "zh-Hans"}, "zh-Hant"),
    (TEXT, {"language": "zh-Hant-HK"}, "zh-Hant-HK"),
    (TEXT, {}, "zh-Hant"),
], ids=["simplified-quoting-a-traditional-name", "simplified-with-hant-meta", "meta-says-hans",
        "meta-region-subtag-kept", "no-meta"])
def test_script_detection_and_language(text: str, meta: dict[str, object], expected: str | None) -> None:
    article = normalise(RawArticle("t", Path("t.txt"), text, meta))
    if expected is None:
        assert not article.converted and article.text == normalise_text(text)
        assert article.language == meta.get("language", "zh-Hans")
    else:
        assert article.converted and article.original_text == normalise_text(text)
        assert article.language == expected


def test_script_article_rejects_texts_of_different_length() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        Article(id="x", text="上合组织", original_text="上合組織峰會")


def test_script_names_prefer_the_first_written_form() -> None:
    article = Article(id="t", text="台北会谈。台北中国", original_text="臺北會談。台北中國")
    doc = Doc(article)
    city, cn, here = Ref("city", "台北"), Ref("state", "CN"), Ref("article", "t")
    doc.entity(city, "台北", "City")
    doc.entity(cn, "中国", "State", known=True)
    doc.facts = [Fact(city, "label", Value("台北", lang="zh-Hans"), Evidence(0, 2, "r")),
                 Fact(city, "label", Value("台北", lang="zh-Hans"), Evidence(5, 7, "r")),
                 Fact(city, "alias", Value("台北市", lang="zh-Hans"), Evidence(0, 2, "r")),  # not a span
                 Fact(here, "mentions", cn, Evidence(7, 9, "g"))]
    got = {(f.subject, f.predicate, f.object.value, f.evidence.start) for f in script_names(doc)
           if isinstance(f.object, Value) and f.evidence}
    assert got == {(city, "label", "臺北", 0), (city, "alias", "台北", 5), (cn, "label", "中國", 7)}
    assert all(f.object.lang == "zh-Hant" for f in script_names(doc) if isinstance(f.object, Value))
    assert script_names(Doc(Article(id="s", text="台北"))) == []


# ---------------------------------------------------------------- the report built as written

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report built as written (``hant``) and in its simplified conversion (``hans``)."""
    root = tmp_path_factory.mktemp("script")
    out = {}
    for script, text, language in (("hant", TEXT, "zh-Hant"), ("hans", to_simplified(TEXT), "zh-Hans")):
        folder = root / script
        folder.mkdir()
        (folder / f"{NAME}.txt").write_text(text, encoding="utf-8")
        meta = json.dumps({**META, "language": language}, ensure_ascii=False)
        (folder / f"{NAME}.meta.json").write_text(meta, encoding="utf-8")
        graph = folder / f"{NAME}.trig"
        assert main(["build", str(folder / f"{NAME}.txt"), "-o", str(graph), "-q"]) == 0
        out[script] = graph
    return out


@pytest.fixture(scope="module")
def stores(built: dict[str, Path]):  # type: ignore[no-untyped-def]
    return {script: load_store(path) for script, path in built.items()}


@pytest.fixture(scope="module")
def hant(built: dict[str, Path]) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(built["hant"], format="trig")
    return ds


def rows(store, name: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(run_query(store, resolve_query(name), "csv"))))


def _zh(ds: Dataset, subject: URIRef, predicate: URIRef = SKOS.prefLabel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in ds.objects(subject, predicate):
        if isinstance(o, Literal) and o.language and o.language.startswith("zh"):
            out.setdefault(o.language, []).append(str(o))
    return {lang: sorted(values) for lang, values in out.items()}


def _one(ds: Dataset, subject: object, predicate: URIRef) -> Literal:
    (value,) = ds.objects(subject, predicate)  # type: ignore[arg-type]
    assert isinstance(value, Literal)
    return value


def _span(ds: Dataset, node: object) -> tuple[int, int]:
    return int(_one(ds, node, NIF.beginIndex)), int(_one(ds, node, NIF.endIndex))


def test_script_summit_as_in_the_simplified_equivalent(stores) -> None:  # type: ignore[no-untyped-def]
    (summit,) = rows(stores["hant"], "summits")
    assert summit == {"summit": str(SUMMIT), "label": SUMMIT_HANS, "organization": "上海合作组织", "ordinal": "22",
                      "startDate": "2022-09-16", "endDate": "2022-09-16", "city": "撒马尔罕",
                      "hostState": "乌兹别克斯坦", "format": "in_person", "chair": "乌兹别克斯坦"}


QUERIES = sorted(set(bundled_queries()) - {"evidence"})


@pytest.mark.parametrize("name", QUERIES, ids=QUERIES)
def test_script_queries_agree_with_the_simplified_equivalent(stores, name: str) -> None:  # type: ignore[no-untyped-def]
    assert rows(stores["hant"], name) == rows(stores["hans"], name)


@pytest.mark.parametrize("name", QUERIES, ids=QUERIES)
def test_script_queries_give_simplified_labels(stores, name: str) -> None:  # type: ignore[no-untyped-def]
    """Every cell is in simplified script (the evidence query lists the zh-Hant facts too)."""
    for row in rows(stores["hant"], name):
        for column, cell in row.items():
            assert to_simplified(cell) == cell, (column, cell)


def test_script_states_and_persons_found(stores) -> None:  # type: ignore[no-untyped-def]
    states = {r["label"] for r in rows(stores["hant"], "states")}
    assert states == {"中国", "乌兹别克斯坦", "俄罗斯", "哈萨克斯坦", "印度"}
    persons = {(r["name"], r["title"], r["affiliation"]) for r in rows(stores["hant"], "persons")}
    assert {("习近平", "国家主席", "中国"), ("米尔济约耶夫", "总统", "乌兹别克斯坦"), ("普京", "总统", "俄罗斯"),
            ("托卡耶夫", "总统", "哈萨克斯坦"), ("莫迪", "总理", "印度"), ("王毅", "外交部部长", "外交部")} <= persons
    documents = {r["label"] for r in rows(stores["hant"], "documents")}
    assert "上海合作组织成员国元首理事会撒马尔罕宣言" in documents


@pytest.mark.parametrize("subject,simplified,written", [
    (SUMMIT, SUMMIT_HANS, SUMMIT_HANT),                                   # known: label from the reference
    (URIRef(ID + "person/米尔济约耶夫"), "米尔济约耶夫", "米爾濟約耶夫"),  # read in the text
    (URIRef(ID + "document/sco/heads-of-state/22/关于应对气候变化的声明"), "关于应对气候变化的声明",
     "關於應對氣候變化的聲明"),
], ids=["summit", "person", "document"])
def test_script_labels_as_written_beside_simplified(hant: Dataset, subject: URIRef, simplified: str,
                                                    written: str) -> None:
    assert _zh(hant, subject) == {"zh-Hans": [simplified], "zh-Hant": [written]}
    assert written in normalise_text(TEXT)


@pytest.mark.parametrize("subject,simplified,written,cldr", [
    (URIRef(ID + "state/KZ"), "哈萨克斯坦", "哈薩克斯坦", "哈薩克"),
    (URIRef(ID + "city/撒马尔罕"), "撒马尔罕", "撒馬爾罕", "撒馬爾罕"),
], ids=["state-written-otherwise", "city-written-as-cldr"])
def test_script_reference_names_keep_their_cldr_hant_label(hant: Dataset, subject: URIRef, simplified: str,
                                                           written: str, cldr: str) -> None:
    """A state or city of the reference has its zh-Hant names from CLDR; the article's own form
    is added as an altLabel only where it differs from all of them."""
    assert _zh(hant, subject).get("zh-Hans") == [simplified]
    pref, alt = (_zh(hant, subject, p).get("zh-Hant", []) for p in (SKOS.prefLabel, SKOS.altLabel))
    assert {written, cldr} <= set(pref) | set(alt) and written in normalise_text(TEXT)
    assert not set(pref) & set(alt) and len(alt) == len(set(alt))  # SKOS S13, no repeated altLabel


def test_script_summit_labels(hant: Dataset) -> None:
    """The summit's zh-Hant label is the article's own words at the offsets of its evidence; its
    zh-Hans label is the reference's, which is also the simplified text of those words."""
    assert _zh(hant, SUMMIT) == {"zh-Hans": [SUMMIT_HANS], "zh-Hant": [SUMMIT_HANT]}
    text = normalise_text(TEXT)
    evidence = list(hant.subjects(RDF.object, Literal(SUMMIT_HANT, lang="zh-Hant")))
    assert evidence
    for node in evidence:
        begin, end = _span(hant, node)
        assert text[begin:end] == str(_one(hant, node, NIF.anchorOf)) == SUMMIT_HANT
        assert to_simplified(text)[begin:end] == SUMMIT_HANS


def test_script_composed_label_stays_simplified(hant: Dataset) -> None:
    """A post's label composed by the rule (holder + title) is not a span of the text: zh-Hans only;
    its title as written (roleName) is."""
    post = URIRef(ID + "post/state-KZ/总统")
    assert _zh(hant, post) == {"zh-Hans": ["哈萨克斯坦总统"]}
    assert _zh(hant, post, SDO.roleName) == {"zh-Hans": ["总统"], "zh-Hant": ["總統"]}


def test_script_one_preflabel_per_language(hant: Dataset) -> None:
    for subject in set(hant.subjects(SKOS.prefLabel, None)):
        langs = [str(o.language) for o in hant.objects(subject, SKOS.prefLabel) if isinstance(o, Literal)]
        assert len(langs) == len(set(langs)), (subject, langs)


def test_script_text_sentences_and_evidence_as_written(hant: Dataset) -> None:
    text = normalise_text(TEXT)
    article = URIRef(ID + f"article/{NAME}")
    string = _one(hant, article, NIF.isString)
    assert (str(string), string.language) == (text, "zh-Hant")
    nodes = list(hant.subjects(RDF.type, SKG.Sentence)) + list(hant.subjects(RDF.type, SKG.Evidence))
    assert len(nodes) > 100
    for node in nodes:
        begin, end = _span(hant, node)
        anchor = _one(hant, node, NIF.anchorOf)
        assert (str(anchor), anchor.language) == (text[begin:end], "zh-Hant")
    for node in hant.subjects(RDF.type, SKG.Evidence):
        assert len(list(hant.objects(node, RDF.object))) == 1, node


def test_script_simplified_equivalent_has_no_traditional_literal(built: dict[str, Path]) -> None:
    ds = Dataset(default_union=True)
    ds.parse(built["hans"], format="trig")
    article_graphs = [g for g in ds.graphs() if "/graph/article/" in str(g.identifier)]
    assert article_graphs
    assert not [o for g in article_graphs for o in g.objects()
                if isinstance(o, Literal) and (o.language or "").lower().startswith("zh-hant")]
    assert _one(ds, URIRef(ID + f"article/{NAME}"), NIF.isString).language == "zh-Hans"


def test_script_summit_shape_accepts_a_hant_and_a_hans_label(built: dict[str, Path]) -> None:
    conforms, report = validate_file(built["hant"])
    assert "SummitShape › skos:prefLabel" not in report, report
    assert "EvidenceShape" not in report, report
    assert validate_file(built["hans"])[0]


def test_script_traditional_build_validates(built: dict[str, Path]) -> None:
    conforms, report = validate_file(built["hant"])
    assert conforms, report
