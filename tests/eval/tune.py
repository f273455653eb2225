#!/usr/bin/env python3
"""Chooses the hybrid matcher's weights and thresholds by cross-validation
over the development corpora (tests/eval/cities/*): tune on all but one,
report on the one left out, for each in turn. Never reports a figure on a
corpus that chose it.

Usage: tune.py FEATURES_DIR   (one <city>.jsonl per corpus, from features.py)
"""
import glob
import itertools
import json
import os
import sys

FA_LIMIT = 0.05


def quantile(v, q):
    if not v:
        return 0.0
    return v[round((len(v) - 1) * q)]


def load(d):
    out = {}
    for f in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
        out[os.path.basename(f)[:-6]] = [json.loads(l) for l in open(f, encoding="utf-8")]
    return out


def decide(row, p):
    """(answered id or None, top-1 id) under parameters p."""
    cal = row.get("calibration") or {}
    cands = row["candidates"]
    if not cands:
        return None, None
    lo = quantile(cal.get("oos_cosine", []), p["oos_q"])
    hi = quantile(cal.get("own_cosine", []), p["own_q"])
    span = max(hi - lo, 1e-3)
    scored = []
    for c in cands:
        sem = c["semantic"] if c["semantic"] is not None else 0.0
        norm = (sem - lo) / span
        s = p["w"] * norm + (1 - p["w"]) * c["lexical"]
        scored.append((s, c["id"], c["lexical"]))
    scored.sort(reverse=True)
    best = scored[0]
    second = scored[1][0] if len(scored) > 1 else -9
    # fast lexical path
    lex = sorted(cands, key=lambda c: -c["lexical"])
    if lex[0]["lexical"] >= p["fast"] and (len(lex) < 2 or lex[0]["lexical"] - lex[1]["lexical"] >= 0.04):
        return lex[0]["id"], lex[0]["id"]
    if best[0] >= p["t"] and best[0] - second >= p["m"]:
        return best[1], best[1]
    return None, best[1]


def score(rows, p):
    inn = [r for r in rows if r["expected"]]
    out = [r for r in rows if not r["expected"]]
    ok = top = 0
    for r in inn:
        a, t = decide(r, p)
        ok += a == r["expected"]
        top += t == r["expected"]
    fa = sum(decide(r, p)[0] is not None for r in out)
    return ok / max(len(inn), 1), fa / max(len(out), 1), top / max(len(inn), 1)


GRID = {
    "w": [0.5, 0.6, 0.7, 0.8, 0.9],
    "oos_q": [0.5, 0.75, 0.9, 0.95],
    "own_q": [0.25, 0.5],
    "t": [x / 100 for x in range(20, 161, 5)],
    "m": [0.0, 0.02, 0.05, 0.1],
    "fast": [0.8, 0.9, 1.01],
}


def tune(train):
    best = None
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        p = dict(zip(keys, values))
        res = [score(rows, p) for rows in train.values()]
        if any(fa > FA_LIMIT for _, fa, _ in res):
            continue
        acc = sum(a for a, _, _ in res) / len(res)
        if best is None or acc > best[0]:
            best = (acc, p)
    return best


if __name__ == "__main__":
    data = load(sys.argv[1])
    for held in data:
        train = {k: v for k, v in data.items() if k != held}
        acc, p = tune(train)
        a, fa, top = score(data[held], p)
        print(f"{held:12} held out: answered {a:.1%} fa {fa:.1%} top1 {top:.1%} | train {acc:.1%} | {p}")
