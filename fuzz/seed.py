#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from the project's own test data.

- parse, canonical: every equation and exact root of the vendored SymPy corpus
  (sym-cli/tests/data) and every `; expr:` line of sym-lower's IR file tests;
- ir_text: the graph text of every IR file test (the input part, and the expected graph
  of lowering tests with its `; ` prefixes removed).

Usage: python3 fuzz/seed.py   (from the repository root or from fuzz/)
"""
import hashlib
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target, text):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(text.encode()).hexdigest()[:16]
    (d / name).write_text(text)


def strings(v):
    """The strings inside nested lists (systems' solutions are lists of lists)."""
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


exprs = set()
for line in (root / "sym-cli/tests/data/sympy_solvers_public.jsonl").read_text().splitlines():
    case = json.loads(line)
    exprs.update(strings(case.get("equations")))
    exprs.update(strings(case.get("exact")))
graphs = set()
for f in sorted((root / "sym-lower/tests/filetests").glob("*.ir")):
    text = f.read_text()
    head, _, expect = text.partition("; ---- expect ----")
    for l in head.splitlines():
        if l.startswith("; expr:"):
            exprs.add(l[len("; expr:"):].strip())
    body = "\n".join(l for l in head.splitlines() if not l.startswith(";")).strip()
    if body:
        graphs.add(body + "\n")
    lines = [l[2:] for l in expect.splitlines() if l.startswith("; ")]
    if lines and lines[0].startswith(("graph", "residual")):
        end = max(i for i, l in enumerate(lines) if l == "}")
        graphs.add("\n".join(lines[: end + 1]) + "\n")
for e in exprs:
    put("parse", e)
    put("canonical", e)
for g in graphs:
    put("ir_text", g)
print(f"{len(exprs)} expressions, {len(graphs)} graphs -> {corpus}")
