#!/usr/bin/env python3
"""Synthetic corpus for the benchmark: invented Chinese news reports of meetings of multilateral mechanisms.

    .venv/bin/python tools/synth_corpus.py OUT_DIR -n N [--seed S] [--no-meta]

Writes ``OUT_DIR/synthNNNNNN.txt`` (1-based, six digits) and, unless ``--no-meta``, a sidecar
``synthNNNNNN.meta.json`` (id, published, source, language). Each report is put together from the
sentence templates and slot vocabularies in ``data/bench`` (templates.json, vocab.json,
mechanisms.json; data, not code) and the state names and capitals of ``data/reference/sources``
(states.tsv, capitals.tsv): a dateline, the meeting (mostly of an invented mechanism, some real
ones), its chair and attendees with their titles, a speech, initiatives, areas of cooperation,
documents adopted, and commentary paragraphs up to a length drawn per article (about 400 to
2,500 characters, mean about 750).

Deterministic: article ``i`` depends only on the seed and ``i`` (its own ``random.Random``), so the
same seed gives the same bytes, and a corpus of N articles is the first N of any larger one.
Not a test fixture of the extraction: the reports carry no gold, they only give the build text
of the right shape and size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data" / "bench"
SOURCES_DIR = ROOT / "data" / "reference" / "sources"

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals (十二, 二十, 二十五)."""
    if not 0 < n < 100:
        raise ValueError(f"ordinal out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def _tsv_rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


@dataclass(frozen=True)
class Corpus:
    """The loaded templates and vocabularies."""

    vocab: dict[str, list[str]]
    templates: dict[str, list[str]]
    invented: list[dict[str, Any]]
    real: list[dict[str, Any]]
    states: dict[str, str]      # ISO2 -> Chinese short name
    capitals: dict[str, str]    # ISO2 -> Chinese name of the capital

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR, sources_dir: Path = SOURCES_DIR) -> Corpus:
        def read(name: str) -> dict[str, Any]:
            data = json.loads((data_dir / name).read_text(encoding="utf-8"))
            data.pop("_about", None)
            return data  # type: ignore[no-any-return]

        mechanisms = read("mechanisms.json")
        states = {row["iso2"]: row["name_zh"] for row in _tsv_rows(sources_dir / "states.tsv") if row["name_zh"]}
        capitals = {row["iso2"]: row["name_zh_hans"] for row in _tsv_rows(sources_dir / "capitals.tsv")
                    if row.get("name_zh_hans") and row["iso2"] in states}
        real = [dict(m, members=[c for c in m["members"] if c in states]) for m in mechanisms["real"]]
        return cls(read("vocab.json"), read("templates.json"), mechanisms["invented"], real, states, capitals)


class _Random(random.Random):
    """random.Random with a cheaper choice and randint (one float draw each; same stream on every platform)."""

    def choice(self, seq):  # type: ignore[no-untyped-def,override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


class _Slots(dict):  # type: ignore[type-arg]
    """The article's own values; any other slot is a fresh draw from the vocabulary (filled in turn)."""

    def __init__(self, rng: random.Random, vocab: dict[str, list[str]], **values: str) -> None:
        super().__init__(values)
        self.rng = rng
        self.vocab = vocab

    def __missing__(self, key: str) -> str:
        try:
            choices = self.vocab[key]
        except KeyError:
            raise KeyError(f"data/bench: no slot {key!r} in vocab.json or templates.json") from None
        value = self.rng.choice(choices)
        return value.format_map(self) if "{" in value else value


class Generator:
    """Makes article ``i`` of the corpus of one seed."""

    def __init__(self, seed: int = 0, corpus: Corpus | None = None) -> None:
        self.seed = seed
        self.c = corpus or Corpus.load()
        self.lookup = {**self.c.templates, **self.c.vocab}  # slots: vocabularies and sentence lists
        self.state_codes = sorted(self.c.states)
        self.capital_codes = sorted(self.c.capitals)

    # ---- names -------------------------------------------------------------------------
    def _region(self, rng: random.Random) -> str:
        v = self.c.vocab
        if rng.random() < 0.5:
            return rng.choice(v["place_head"]) + rng.choice(v["place_tail"])
        stem = "".join(rng.choice(v["exo_syllable"]) for _ in range(rng.randint(1, 2)))
        return stem + rng.choice(v["exo_region_end"])

    def _city(self, rng: random.Random) -> str:
        v = self.c.vocab
        name = rng.choice(v["place_head"]) + rng.choice(v["place_tail"])
        return name + "城" if rng.random() < 0.3 else name

    def _cn_name(self, rng: random.Random) -> str:
        v = self.c.vocab
        return rng.choice(v["cn_surname"]) + "".join(rng.choice(v["cn_given"]) for _ in range(rng.randint(1, 2)))

    def _exo_name(self, rng: random.Random) -> str:
        v = self.c.vocab
        syl = v["exo_syllable"]
        family = "".join(rng.choice(syl) for _ in range(rng.randint(1, 2))) + rng.choice(v["exo_family_end"])
        if rng.random() < 0.3:
            return "".join(rng.choice(syl) for _ in range(2)) + "·" + family
        return family

    def _leader(self, rng: random.Random, iso: str, level: str) -> tuple[str, str, str]:
        """(state name, title, person name) of the state's delegate at a meeting of this level."""
        titles = self.c.vocab[("cn_" if iso == "CN" else "") + level + "_title"]
        name = self._cn_name(rng) if iso == "CN" else self._exo_name(rng)
        return self.c.states[iso], rng.choice(titles), name

    # ---- the article -------------------------------------------------------------------
    def article(self, index: int) -> tuple[str, str]:
        """(text, published date YYYY-MM-DD) of article ``index``."""
        rng = _Random(f"synth:{self.seed}:{index}")
        c, t = self.c, self.c.templates
        region, region2 = self._region(rng), self._region(rng)
        if rng.random() < 0.25:
            mech = rng.choice(c.real)
            region = mech["region"]
            members = list(mech["members"])
            pool = members + rng.sample(self.state_codes, 3)
            n = rng.randint(min(3, len(members)), len(members))
            attendees = members[:1] + rng.sample(members[1:], n - 1) if "CN" not in members else \
                ["CN"] + rng.sample([m for m in members if m != "CN"], n - 1)
            attendees += [s for s in pool[len(members):] if s not in attendees][: rng.randint(0, 2)]
            ord_max = 25
        else:
            mech = rng.choice(c.invented)
            attendees = rng.sample(self.state_codes, rng.randint(3, 12))
            if rng.random() < 0.7 and "CN" not in attendees:
                attendees.insert(0, "CN")
            ord_max = 30
        meeting_form = rng.choice(mech["meetings"])
        level = meeting_form["level"]
        ordinal = rng.randint(1, ord_max)
        form = meeting_form["form"]
        if ordinal == 1 and "第{ord}届" in form and rng.random() < 0.5:
            form = form.replace("第{ord}届", "首届")
        year = rng.randint(2001, 2035)
        date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        published = date + dt.timedelta(days=rng.randint(0, 1))

        host = rng.choice(attendees)
        leaders = {iso: self._leader(rng, iso, level) for iso in attendees}
        if host in c.capitals and rng.random() < 0.5:
            city = c.capitals[host]
        else:
            city = self._city(rng)
        video = rng.random() < 0.1
        host_name, chair_title, chair_name = leaders[host]
        chair = f"{chair_title}{chair_name}" if host == "CN" and rng.random() < 0.5 else \
            f"{host_name}{chair_title}{chair_name}"
        speaker_iso = "CN" if "CN" in attendees and rng.random() < 0.6 else host
        speaker_state, speaker_title, speaker = leaders[speaker_iso]
        others = [leaders[iso] for iso in attendees if iso != host]
        parts = ["".join(leader) for leader in others]
        att_list = "、".join(parts) if len(parts) < 2 or rng.random() < 0.6 else \
            "、".join(parts[:-1]) + "和" + parts[-1]
        next_state_iso = rng.choice(attendees)
        next_city = c.capitals.get(next_state_iso) or self._city(rng)

        slots = _Slots(rng, self.lookup, region=region, region2=region2, ord=zh_number(ordinal),
                       ord_next=zh_number(min(ordinal + 1, 99)), city=city, host_state=host_name,
                       host_city=city if city.startswith(host_name) else host_name + city,
                       year=str(year), year_plus=str(year + rng.randint(1, 2)), M=str(date.month),
                       D=str(date.day), chair=chair, chair_name=chair_name, speaker=speaker,
                       speaker_full=f"{speaker_state}{speaker_title}{speaker}" if speaker_iso != "CN"
                       else f"{speaker_title}{speaker}", att_list=att_list, reporter=self._cn_name(rng),
                       reporter2=self._cn_name(rng), next_city=next_city, next_state=c.states[next_state_iso],
                       dl_city="北京" if video and "CN" in attendees else city)
        slots["mech"] = mech["mech"].format_map(slots)
        slots["mech_short"] = mech["short"].format_map(slots)
        slots["meeting"] = form.format_map(slots)
        slots["att_one"] = "".join(rng.choice(others)) if others else chair

        def say(section: str) -> str:
            return rng.choice(t[section]).format_map(slots)

        lead = say("lead_video") if video else say("lead")
        paragraphs = [say("dateline") + lead + say("chair") + say("attendance")]
        body: list[str] = []
        if rng.random() < 0.8:
            body.append(say("speech") + "".join(say("statement") for _ in range(rng.randint(1, 3))))
        tail: list[str] = []
        if rng.random() < 0.5:
            tail.append(say("initiative"))
        if rng.random() < 0.7:
            tail.append(say("cooperation") + (say("filler") if rng.random() < 0.5 else ""))
        if rng.random() < 0.8:
            tail.append(say("documents"))
        if rng.random() < 0.3:
            tail.append(say("side"))
        closing = "".join(say(s) for s, p in (("next_meeting", 0.4), ("closing", 0.4)) if rng.random() < p)
        if closing:
            tail.append(closing)
        target = min(2500, 330 + int(rng.lognormvariate(5.8, 0.6)))
        size = sum(map(len, paragraphs)) + sum(map(len, body)) + sum(map(len, tail))
        while size < target:
            filler = "".join(say("filler") if rng.random() < 0.6 else say("statement")
                             for _ in range(rng.randint(2, 4)))
            body.append(filler)
            size += len(filler) + 1
        paragraphs += body + tail
        text = paragraphs[0]
        for paragraph in paragraphs[1:]:
            text += rng.choice(t["paragraph_break"]) + paragraph
        return text + "\n", published.isoformat()


def generate(out_dir: Path, n: int, seed: int = 0, meta: bool = True, start: int = 1,
             workers: int = 1) -> tuple[int, int]:
    """Write articles ``start`` .. ``start + n - 1`` (over ``workers`` processes); return (articles, characters).

    The bytes do not depend on ``workers``: each article has its own random stream.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if workers > 1 and n > 2000:
        import multiprocessing

        chunk = 1000
        tasks = [(out_dir, min(chunk, start + n - first), seed, meta, first)
                 for first in range(start, start + n, chunk)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return n, sum(chars for _, chars in pool.starmap(generate, tasks))
    generator = Generator(seed)
    chars = 0
    for index in range(start, start + n):
        text, published = generator.article(index)
        stem = f"synth{index:06d}"
        (out_dir / f"{stem}.txt").write_bytes(text.encode("utf-8"))
        chars += len(text)
        if meta:
            record = {"id": stem, "published": published, "source": f"synthetic (tools/synth_corpus.py, seed {seed})",
                      "language": "zh-Hans", "note": "Invented for the benchmark from data/bench templates."}
            (out_dir / f"{stem}.meta.json").write_bytes(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return n, chars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("-n", type=int, required=True, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--start", type=int, default=1, help="number of the first article (default 1)")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1; same bytes for any)")
    parser.add_argument("--no-meta", action="store_true", help="write no .meta.json sidecars")
    args = parser.parse_args(argv)
    if args.n < 0 or args.start < 1 or args.start + args.n > 1_000_000:
        parser.error("need n >= 0, start >= 1 and start + n <= 1,000,000")
    started = time.perf_counter()
    n, chars = generate(args.out_dir, args.n, args.seed, meta=not args.no_meta, start=args.start,
                        workers=args.workers)
    elapsed = time.perf_counter() - started
    print(f"{n} articles, {chars} characters (mean {chars / max(n, 1):.0f}) in {elapsed:.1f} s -> {args.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
