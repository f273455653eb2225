#!/usr/bin/env python3
"""Dumps what the matcher sees for every question of an evaluation set:
both scores of the top candidates and the corpus's calibration, as JSON
lines (`match --json`), for tune.py. Run after `cargo build --release`.

Usage: features.py CORPUS QUESTIONS.tsv > features.jsonl
"""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "..", "..", "target", "release", "city-skill")


def read_questions(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("locale\t"):
            continue
        locale, question, expected = line.split("\t")
        out.append((locale, question, None if expected == "-" else expected))
    return out


def features(corpus, questions):
    by_locale = collections.defaultdict(list)
    for q in questions:
        by_locale[q[0]].append(q)
    rows = []
    for locale, qs in by_locale.items():
        args = [BIN, "match", "--json", "--features", "--faq-only", "--locale", locale]
        if corpus:
            args += ["--corpus", corpus]
        env = dict(os.environ, CITY_SKILL_ENCODER="1")
        out = subprocess.run(args, input="\n".join(q[1] for q in qs) + "\n",
                             capture_output=True, text=True, check=True, env=env).stdout
        lines = [json.loads(l) for l in out.splitlines() if l.strip()]
        assert len(lines) == len(qs), (corpus, locale, len(lines), len(qs))
        for (loc, q, exp), j in zip(qs, lines):
            j["locale"], j["expected"] = loc, exp
            rows.append(j)
    return rows


if __name__ == "__main__":
    corpus, tsv = sys.argv[1], sys.argv[2]
    for r in features(corpus if corpus != "-" else None, read_questions(tsv)):
        print(json.dumps(r, ensure_ascii=False))
