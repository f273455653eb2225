#!/usr/bin/env python3
"""Chooses the hybrid matcher's weights and thresholds by cross-validation
over the development corpora (tests/eval/cities/*): tune on all but one,
report on the one left out, for each in turn. A figure is never reported on
a corpus that chose it.

Usage: tune.py FEATURES_DIR   (one <city>.jsonl per corpus, from features.py)
"""
import glob
import itertools
import json
import os
import sys

FA_LIMIT = 0.05


def quantile(v, q):
    v = sorted(v)
    return v[round((len(v) - 1) * q)] if v else 0.0


def load(d):
    out = {}
    for f in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
        rows = [json.loads(l) for l in open(f, encoding="utf-8")]
        cal = rows[0]["calibration"] if rows else {}
        out[os.path.basename(f)[:-6]] = (rows, cal)
    return out


def prepared(rows, cal, w, oos_q, c_oos):
    """Per row: (expected, best id, best score, margin, lexical best id, lexical best, lexical margin)."""
    lo = quantile(cal.get("oos_cosine", []), oos_q)
    hi = quantile(cal.get("own_cosine", []), 0.5)
    span = max(hi - lo, 1e-3)
    out = []
    for r in rows:
        c = r["candidates"]
        if not c:
            out.append((r["expected"], None, -9, 0, None, 0, 0, -9))
            continue
        nn = r.get("oos_nn", 0.0)
        s = sorted(((w * ((x["semantic"] or 0) - lo) / span + (1 - w) * x["lexical"],
                     x["id"], (x["semantic"] or 0)) for x in c), reverse=True)
        lex = sorted(((x["lexical"], x["id"]) for x in c), reverse=True)
        m = s[0][0] - (s[1][0] if len(s) > 1 else -9)
        lm = lex[0][0] - (lex[1][0] if len(lex) > 1 else 0)
        # how close the question comes to a question no city answers
        near = (nn - lo) / span
        out.append((r["expected"], s[0][1], s[0][0] - c_oos * near, m, lex[0][1], lex[0][0], lm, 0))
    return out


def evaluate(prep, t, m, fast, delta):
    inn = ok = top = out = fa = 0
    for exp, best, s, marg, lid, lex, lm, d in prep:
        if lex >= fast and lm >= 0.04:
            ans = lid
        elif s >= t and marg >= m and d >= delta:
            ans = best
        else:
            ans = None
        if exp:
            inn += 1
            ok += ans == exp
            top += best == exp
        else:
            out += 1
            fa += ans is not None
    return ok / max(inn, 1), fa / max(out, 1), top / max(inn, 1)


W = [0.8, 0.85, 0.9, 0.95]
OOS_Q = [0.5, 0.95]
T = [x / 100 for x in range(-300, 161, 5)]
C_OOS = [0.6, 0.8, 1.0, 1.2]
M = [0.0, 0.005, 0.01, 0.02, 0.04]
FAST = [0.85, 1.01]


def tune(train):
    best = None
    for w, q, c in itertools.product(W, OOS_Q, C_OOS):
        preps = [prepared(rows, cal, w, q, c) for rows, cal in train]
        for t, m, fast in itertools.product(T, M, FAST):
            res = [evaluate(p, t, m, fast, -99) for p in preps]
            if any(fa > FA_LIMIT for _, fa, _ in res):
                continue
            acc = sum(a for a, _, _ in res) / len(res)
            if best is None or acc > best[0]:
                best = (acc, dict(w=w, oos_q=q, c_oos=c, t=t, m=m, fast=fast))
    return best


def report(p, rows, cal):
    return evaluate(prepared(rows, cal, p["w"], p["oos_q"], p["c_oos"]), p["t"], p["m"], p["fast"], -99)


if __name__ == "__main__":
    data = load(sys.argv[1])
    dev = [k for k in data if not k.startswith("munich")]
    for held in dev:
        train = [data[k] for k in dev if k != held]
        acc, p = tune(train)
        a, fa, top = report(p, *data[held])
        print(f"{held:10} held out: answered {a:.1%} at {fa:.1%} false accepts (top-1 {top:.1%}); trained {acc:.1%}; {p}")
    acc, p = tune([data[k] for k in dev])
    print(f"all dev corpora: {acc:.1%}; {p}")
    for k in data:
        if k.startswith("munich"):
            a, fa, top = report(p, *data[k])
            print(f"{k:10}: answered {a:.1%} at {fa:.1%} false accepts (top-1 {top:.1%})")
