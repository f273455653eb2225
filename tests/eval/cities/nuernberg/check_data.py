#!/usr/bin/env python3
"""Sanity checks for the Nürnberg evaluation data (faq.csv, questions.tsv).

Run: python3 check_data.py   (from this folder or anywhere)
"""
import csv
import io
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FAQ = os.path.join(HERE, "faq.csv")
QUESTIONS = os.path.join(HERE, "questions.tsv")
COLUMNS = ["Thema", "Unterthema", "id", "locale", "answer", "question", "url",
           "office", "card", "tags", "Stand", "source", "as_of"]
LOCALES = ("de-DE", "en-US")

STOP = set("""
a an the and or of to in on at for with by from is are was be do does did i my me we our you your
it its this that there how what where when which who can could need have has get got about into
der die das den dem des ein eine einen einem einer und oder zu zum zur im in am an auf für mit von
vom bei ist sind wie was wo wann wer ich mein meine meinen wir unser unsere sie ihr es man muss
kann nach über ab aus als auch bis noch nicht da
""".split())


def words(text):
    return {w for w in re.findall(r"[a-zäöüß0-9]+", text.lower()) if w not in STOP and len(w) > 2}


def check_faq():
    raw = open(FAQ, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "faq.csv: UTF-8 BOM missing"
    text = raw.decode("utf-8-sig")
    # every record terminator must be CRLF; bare LF is allowed only inside quoted fields
    assert text.endswith("\r\n"), "faq.csv: last line not CRLF-terminated"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    header, body = rows[0], rows[1:]
    assert header == COLUMNS, f"faq.csv: header {header}"
    outside_lf = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert "\n" not in outside_lf.replace("\r\n", ""), "faq.csv: bare LF outside quoted fields"
    groups = defaultdict(list)
    order = []
    for n, r in enumerate(body, start=2):
        assert len(r) == len(COLUMNS), f"faq.csv line-record {n}: {len(r)} fields"
        d = dict(zip(COLUMNS, r))
        assert d["locale"] in LOCALES, f"record {n}: locale {d['locale']!r}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d["id"]), f"record {n}: id {d['id']!r}"
        assert d["question"].strip(), f"record {n}: empty question"
        key = (d["id"], d["locale"])
        if key not in groups:
            order.append(key)
        groups[key].append(d)
    ids = sorted({k[0] for k in groups})
    for i in ids:
        for loc in LOCALES:
            g = groups.get((i, loc))
            assert g, f"{i}: no {loc} rows"
            assert len(g) == 2, f"{i}/{loc}: {len(g)} phrasings"
            answer = next((d["answer"] for d in g if d["answer"].strip()), "")
            assert answer, f"{i}/{loc}: no answer"
            assert len(answer) < 350, f"{i}/{loc}: answer has {len(answer)} chars"
            assert g[0]["answer"].strip(), f"{i}/{loc}: first row has no answer"
    cards_multiline = sum(1 for r in body if "\n" in r[COLUMNS.index("card")])
    phrasings = defaultdict(list)
    for (i, loc), g in groups.items():
        for d in g:
            phrasings[i].append(d["question"])
    return ids, len(body), cards_multiline, phrasings


def check_questions(ids, phrasings):
    lines = open(QUESTIONS, encoding="utf-8").read().split("\n")
    assert lines[0] == "locale\tquestion\texpected", "questions.tsv: bad header"
    counts = Counter()
    per_entry = Counter()
    section = ""
    near = Counter()
    seen = set()
    overlap = []
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        if line.startswith("#"):
            section = line
            continue
        cols = line.split("\t")
        assert len(cols) == 3, f"questions.tsv line {n}: {len(cols)} columns"
        loc, q, exp = cols
        assert loc in LOCALES, f"line {n}: locale {loc!r}"
        assert q.strip(), f"line {n}: empty question"
        assert q.lower() not in seen, f"line {n}: duplicate question"
        seen.add(q.lower())
        if exp == "-":
            counts[(loc, "out")] += 1
            if "near miss" in section:
                near[loc] += 1
        else:
            assert exp in ids, f"line {n}: unknown id {exp!r}"
            counts[(loc, "in")] += 1
            per_entry[exp] += 1
            shared = max(len(words(q) & words(p)) for p in phrasings[exp])
            if shared > 2:
                overlap.append((n, q, exp, shared))
    missing = [i for i in ids if per_entry[i] < 2]
    assert not missing, f"entries with fewer than 2 questions: {missing}"
    return counts, near, overlap


def main():
    ids, nrows, cards_ml, phrasings = check_faq()
    counts, near, overlap = check_questions(ids, phrasings)
    total = sum(counts.values())
    out = sum(v for (l, k), v in counts.items() if k == "out")
    print(f"faq.csv: {len(ids)} entries, {nrows} data rows, {cards_ml} rows with multi-line cards")
    for loc in LOCALES:
        print(f"questions {loc}: {counts[(loc, 'in')]} in scope, {counts[(loc, 'out')]} out of scope "
              f"({near[loc]} near misses)")
    de = counts[("de-DE", "in")] + counts[("de-DE", "out")]
    print(f"questions total: {total} (de-DE {de / total:.0%}), out of scope {out} ({out / total:.1%}), "
          f"near misses {sum(near.values())}")
    print(f"questions sharing more than two content words with a phrasing of their entry: {len(overlap)}")
    for n, q, exp, s in overlap:
        print(f"  line {n}: {q!r} -> {exp} ({s})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
