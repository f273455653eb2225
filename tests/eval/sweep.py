#!/usr/bin/env python3
"""Calibration aid for the matcher's threshold and margin.

Runs `city-skill match --json` over tests/eval/questions.tsv (per locale)
and prints, for a grid of accept thresholds, the top-1 accuracy on
in-scope questions and the share of out-of-scope questions answered.

    cargo build --release && python3 tests/eval/sweep.py [--misses]

The environment variable CORPUS points it at another corpus directory,
EVAL_SET at another file in tests/eval (e.g. holdout.tsv).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "city-skill")


def cases():
    name = os.environ.get("EVAL_SET", "questions.tsv")
    with open(os.path.join(ROOT, "tests", "eval", name), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            if not line.strip() or line.startswith("#"):
                continue
            locale, q, want = line.split("\t")
            yield locale, q, None if want == "-" else want


def ranked(locale, questions):
    out = subprocess.run(
        [BIN, "match", "--json", "--faq-only", "--locale", locale]
        + (["--corpus", os.environ["CORPUS"]] if os.environ.get("CORPUS") else []),
        input="\n".join(questions) + "\n",
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    res = []
    for line in out:
        o = json.loads(line)
        if o.get("kind") == "office":
            res.append([("office:" + o["id"], 1.0)])
            continue
        r = [(a["id"], a["confidence"]) for a in o["alternatives"]]
        if o["id"] is not None:
            r.insert(0, (o["id"], o["confidence"]))
        res.append(r)  # the matcher's own order
    return res


def main():
    all_cases = list(cases())
    rows = []
    for loc in sorted({c[0] for c in all_cases}):
        sel = [c for c in all_cases if c[0] == loc]
        for c, r in zip(sel, ranked(loc, [c[1] for c in sel])):
            rows.append((c, r))
    inn = [(c, r) for c, r in rows if c[2] is not None]
    out = [(c, r) for c, r in rows if c[2] is None]
    raw = sum(1 for c, r in inn if r and r[0][0] == c[2])
    print(f"{len(rows)} questions; raw top-1 {raw / len(inn):.1%}; top-3 "
          f"{sum(1 for c, r in inn if c[2] in [x[0] for x in r[:3]]) / len(inn):.1%}")
    print("thresh  top1   false-accepts")
    for t in [x / 100 for x in range(30, 80, 2)]:
        ok = sum(1 for c, r in inn if r and r[0][0] == c[2] and r[0][1] >= t)
        fa = sum(1 for c, r in out if r and r[0][1] >= t and not r[0][0].startswith("office:"))
        print(f"{t:.2f}   {ok / len(inn):.1%}  {fa / max(1, len(out)):.1%}")
    if "--misses" in sys.argv:
        for c, r in inn:
            if not r or r[0][0] != c[2]:
                print("MISS", c[0], c[1], "want", c[2], "got", r[:3])
        for c, r in out:
            if r:
                print("OUT ", c[0], c[1], r[:2])


if __name__ == "__main__":
    main()
