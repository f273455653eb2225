#!/usr/bin/env python3
"""The import graph of src/: which file uses which, by `crate::` and `super::`
paths (in `use` lines and inline, e.g. `crate::matching::normalize::fold(..)`).

Prints the edges per tier pair, the import circles between files (strongly
connected components of more than one file), every import from a lower tier
to a higher one, and the modules loose at the root of src/. Exits 1 when there
is a circle, an upward import or more than four loose root modules.

Tiers, lowest first (a file may import from its own tier and the ones below):

  0 leaf       problem, lang (with lang/speech), net
  1 domain     time, matching     (the matcher knows nothing of Alexa or cities)
  2 knowledge  knowledge          (the corpus; knows nothing of Alexa or the skill)
  3 protocol   alexa              (knows nothing of the skill or of cities)
  4 skill      skill
  5 edges      config, startup, host, local   (processes, settings, tools)

lib.rs and main.rs are the crate's root and are not counted.

A mod.rs that re-exports its own submodules (`pub use child::X;`) is their
facade, not a user of them: those lines are no edges. A submodule's
`use super::*` of its own parent is an edge (child -> parent).

Usage: scripts/import_graph.py [--edges]   (from the repository root)
"""

import os
import re
import sys

SRC = "src"
TIERS = {
    "problem": 0,
    "lang": 0,
    "net": 0,
    "time": 1,
    "matching": 1,
    "knowledge": 2,
    "alexa": 3,
    "skill": 4,
    "config": 5,
    "startup": 5,
    "host": 5,
    "local": 5,
}
TIER_NAMES = ["leaf", "domain", "knowledge", "protocol", "skill", "edges"]
MAX_LOOSE = 4


def module_of(path):
    """src/a/b.rs -> ('a','b'); src/a/mod.rs -> ('a',)."""
    rel = os.path.relpath(path, SRC)[: -len(".rs")].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    return tuple(rel)


def files():
    out = {}
    for root, _, names in os.walk(SRC):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(root, n)
                m = module_of(p)
                if m in (("lib",), ("main",)):
                    continue
                out[m] = p
    return out


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"//.*", "", line) for line in text.split("\n"))


def crate_use_paths(text):
    """The paths of `use crate::…` lines only: the issue's measure."""
    out = []
    for m in re.finditer(r"\buse\s+(crate::[^;]+);", text, flags=re.S):
        tree = re.sub(r"\s+as\s+\w+", "", m.group(1))
        out.extend(expand(re.sub(r"\s+", "", tree)))
    return out


def use_paths(text, local):
    """Every path a file names: expanded `use` trees and inline paths;
    `local` are the module names a bare path may start with (the folder's
    submodules, for a mod.rs or a file that imports `super::*`)."""
    paths = []
    for m in re.finditer(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", text, flags=re.S):
        public = bool(m.group(1))
        tree = re.sub(r"\s+as\s+\w+", "", m.group(2))
        for p in expand(re.sub(r"\s+", "", tree)):
            paths.append((p, public))
    body = re.sub(r"\buse\s+[^;]+;", "", text, flags=re.S)
    for m in re.finditer(r"(?<![\w:])((?:crate|super|self|\w+)(?:::(?:super|[A-Za-z_][A-Za-z0-9_]*))+)", body):
        paths.append((m.group(1).split("::"), False))
    return [(p, public) for p, public in paths if p and (p[0] in ("crate", "super", "self") or p[0] in local)]


def expand(tree):
    """`a::{b,c::{d,e}}` -> [[a,b],[a,c,d],[a,c,e]]."""
    i = tree.find("{")
    if i < 0:
        return [tree.split("::")]
    prefix = tree[:i].rstrip(":")
    inner = tree[i + 1 : tree.rindex("}")]
    parts, depth, cur = [], 0, ""
    for c in inner:
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += c == "{"
        depth -= c == "}"
        cur += c
    if cur:
        parts.append(cur)
    out = []
    for part in parts:
        for sub in expand(part):
            out.append(([prefix] if prefix else []) + [s for s in sub if s])
    return out


def resolve(segments, here, known):
    """The file a path names: the longest known module prefix."""
    if not segments:
        return None
    base = list(here)
    # A mod.rs's `super` is its parent; a leaf file's `super` is its folder.
    if segments[0] == "crate":
        base, rest = [], segments[1:]
    elif segments[0] == "self":
        is_mod = known.get(tuple(here), "").endswith("mod.rs")
        base, rest = (list(here) if is_mod else list(here)), segments[1:]
    elif segments[0] != "super":
        # A bare path: a submodule of the folder this file is in (mod.rs)
        # or of its parent (a file that imported `super::*`).
        is_mod = known.get(tuple(here), "").endswith("mod.rs")
        base, rest = (list(here) if is_mod else list(here[:-1])), segments
    elif segments[0] == "super":
        rest = segments
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    else:
        return None
    target = None
    for n in range(len(rest), -1, -1):
        cand = tuple(base + rest[:n])
        if cand in known:
            target = cand
            break
    return target


def tier(module):
    return TIERS.get(module[0])


def sccs(graph):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main():
    known = files()
    graph = {m: set() for m in known}
    crate_graph = {m: set() for m in known}
    for m, p in known.items():
        text = strip_comments(open(p, encoding="utf-8").read())
        is_mod = p.endswith("mod.rs")
        folder = m if is_mod else m[:-1]
        glob_parent = re.search(r"\buse\s+super::\*\s*;", text) is not None
        local = set()
        if is_mod or glob_parent:
            local = {k[len(folder)] for k in known if len(k) == len(folder) + 1 and k[: len(folder)] == folder}
        for segments, public in use_paths(text, local):
            t = resolve(segments, m, known)
            if t is None or t == m:
                continue
            # A facade re-exporting its own submodules.
            if public and t[: len(m)] == m and known[m].endswith("mod.rs"):
                continue
            graph[m].add(t)
        for segments in crate_use_paths(text):
            t = resolve(segments, m, known)
            if t is not None and t != m:
                crate_graph[m].add(t)
    name = lambda m: "/".join(m)
    edges = sorted((a, b) for a in graph for b in graph[a])
    if "--edges" in sys.argv:
        for a, b in edges:
            print(f"{name(a)} -> {name(b)}")
    untiered = sorted({m[0] for m in known if tier(m) is None})
    crate_circles = [sorted(c) for c in sccs(crate_graph) if len(c) > 1]
    # A file's use of its own folder's mod.rs (the type it adds `impl`s to,
    # `use super::*`) is one module split across files, not a circle.
    own = lambda a, b: len(b) < len(a) and a[: len(b)] == b
    sibling_graph = {a: {b for b in bs if not own(a, b)} for a, bs in graph.items()}
    circles = [sorted(c) for c in sccs(sibling_graph) if len(c) > 1]
    upward = [(a, b) for a, b in edges if None not in (tier(a), tier(b)) and tier(a) < tier(b)]
    loose = sorted(os.path.basename(p) for m, p in known.items() if len(m) == 1 and not p.endswith("mod.rs"))
    print(f"files: {len(known)}, edges: {len(edges)}")
    print("tiers (lowest first): " + "; ".join(
        f"{i} {n}: " + ", ".join(sorted(k for k, v in TIERS.items() if v == i))
        for i, n in enumerate(TIER_NAMES)))
    print(f"import circles by `use crate::` lines: {len(crate_circles)}")
    for c in crate_circles:
        print("  circle: " + " <-> ".join(name(m) for m in c))
    print(f"import circles by every path (crate::, super::, self::, a folder's modules), "
          f"a file's use of its own folder's mod.rs aside: {len(circles)}")
    for c in circles:
        print("  circle: " + " <-> ".join(name(m) for m in c))
    print(f"imports from a lower tier to a higher one: {len(upward)}")
    for a, b in upward:
        print(f"  {name(a)} ({TIER_NAMES[tier(a)]}) -> {name(b)} ({TIER_NAMES[tier(b)]})")
    print(f"loose root modules: {len(loose)} ({', '.join(loose)})")
    if untiered:
        print("modules without a tier: " + ", ".join(untiered))
    bad = crate_circles or circles or upward or len(loose) > MAX_LOOSE or untiered
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
