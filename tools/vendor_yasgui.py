"""Vendor YASGUI (the SPARQL editor and results viewer of ``kg serve``'s query page) from npm.

    .venv/bin/python tools/vendor_yasgui.py                   # npm pack the pinned version
    .venv/bin/python tools/vendor_yasgui.py --tarball X.tgz   # the same, from a tarball already fetched

The pinned ``@zazuko/yasgui`` tarball is fetched with ``npm pack`` and checked against the pinned
sha512 integrity. Its built bundle, ``build/yasgui.min.js`` and ``build/yasgui.min.css`` (YASQE, YASR,
CodeMirror… all in one file), is written to ``data/vendor/yasgui/`` after these edits, each an exact
text replacement that must match as many times as stated, else the tool stops:

* the source-map comments are removed (a browser with its tools open requests the map);
* the built-in default endpoint (a public endpoint on another host) becomes empty, and the endpoint
  catalogue (two public endpoints) an empty list: the page sets its own endpoint;
* the Linked Open Vocabularies look-up behind the class and property autocompletion answers no
  suggestion instead of asking another host (the page also switches those completers off);
* the three ``<!--`` in template literals are written ``\\x3C!--`` (the same string), so that the
  code can be inlined in a ``<script>`` element (see ``kg.serve.page``).

``SOURCE.json`` records the package, version, integrity, licence, the edits and each file's sha256;
``tests/test_serve_page.py`` checks the files against it. Rerun after changing ``VERSION`` (and
``INTEGRITY``, which ``npm view @zazuko/yasgui@VERSION dist.integrity`` prints); a new version's
bundle may need new edits: check it for ``fetch(``, ``http`` and ``<!--`` first.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "vendor" / "yasgui"
PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
INTEGRITY = "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="
FILES = {"yasgui.min.js": "package/build/yasgui.min.js", "yasgui.min.css": "package/build/yasgui.min.css"}

#: (file, what, old, new, how many times old must occur)
EDITS: list[tuple[str, str, str, str, int]] = [
    ("yasgui.min.js", "no default endpoint on another host",
     "endpoint:`https://dbpedia.org/sparql`,method:", "endpoint:``,method:", 1),
    ("yasgui.min.js", "no endpoint catalogue of public endpoints",
     "getData:()=>[{endpoint:`https://dbpedia.org/sparql`},"
     "{endpoint:`https://query.wikidata.org/bigdata/namespace/wdq/sparql`}]", "getData:()=>[]", 1),
    ("yasgui.min.js", "no Linked Open Vocabularies look-up (class and property autocompletion)",
     "var fetchFromLov=(e,t,n)=>{", "var fetchFromLov=(e,t,n)=>{return Promise.resolve([]);", 1),
    ("yasgui.min.js", "'<!--' in template literals written '\\x3C!--', so the code can be inlined",
     "`<!--", "`\\x3C!--", 3),
]
#: Source-map comments to remove, and how many each file has (4.6.2's CSS has none).
SOURCE_MAP = {"yasgui.min.js": (re.compile(r"\n?//# sourceMappingURL=\S*\s*$"), 1),
              "yasgui.min.css": (re.compile(r"\n?/\*# sourceMappingURL=[^*]*\*/\s*$"), 0)}
#: Hosts the bundle must no longer name as a place to send a request to.
GONE = ("dbpedia.org/sparql", "query.wikidata.org/bigdata")


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def npm_pack(folder: Path) -> Path:
    """``npm pack PACKAGE@VERSION`` into ``folder``; the tarball's path."""
    proc = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--ignore-scripts",
                           "--pack-destination", str(folder)], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        sys.exit(f"npm pack {PACKAGE}@{VERSION} failed ({proc.returncode}): {proc.stderr.strip()}")
    (entry,) = json.loads(proc.stdout)
    return folder / entry["filename"]


def vendor(tarball: Path, out: Path) -> dict[str, object]:
    """Check ``tarball``, write the edited files and SOURCE.json into ``out``; the SOURCE record."""
    data = tarball.read_bytes()
    if integrity(data) != INTEGRITY:
        sys.exit(f"{tarball}: integrity {integrity(data)} is not the pinned {INTEGRITY}")
    texts: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
        for name, member in FILES.items():
            texts[name] = tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    if (meta["name"], meta["version"]) != (PACKAGE, VERSION):
        sys.exit(f"{tarball}: holds {meta['name']}@{meta['version']}, not {PACKAGE}@{VERSION}")
    originals = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()}
    for name, (pattern, times) in SOURCE_MAP.items():
        texts[name], count = pattern.subn("\n", texts[name])
        if count != times:
            sys.exit(f"{name}: expected {times} source-map comment(s), found {count}")
    for name, what, old, new, times in EDITS:
        found = texts[name].count(old)
        if found != times:
            sys.exit(f"{name}: edit '{what}': {old!r} occurs {found} times, expected {times}")
        texts[name] = texts[name].replace(old, new)
    for name, text in texts.items():
        left = [bad for bad in (*GONE, "<!--", "sourceMappingURL") if bad in text]
        element = "script" if name.endswith(".js") else "style"
        if left or re.search(rf"</{element}", text, re.IGNORECASE):
            sys.exit(f"{name}: still holds {left or ['</' + element]} after the edits")
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, text in texts.items():
        raw = text.encode("utf-8")
        (out / name).write_bytes(raw)
        files[name] = {"from": FILES[name], "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                       "original_sha256": originals[name]}
    source = {
        "package": PACKAGE, "version": VERSION, "integrity": INTEGRITY, "licence": meta["license"],
        "author": meta.get("author"), "homepage": meta.get("homepage"), "tool": "tools/vendor_yasgui.py",
        "edits": ["source-map comments removed"] + [f"{name}: {what}" for name, what, *_ in EDITS],
        "files": files,
    }
    (out / "SOURCE.json").write_text(json.dumps(source, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, help="use this npm tarball instead of running npm pack")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-yasgui-") as tmp:
        tarball = args.tarball or npm_pack(Path(tmp))
        source = vendor(tarball, args.out)
    for name, entry in source["files"].items():  # type: ignore[union-attr]
        print(f"{args.out / name}: {entry['bytes']:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
