#!/usr/bin/env python3
"""Sanity check for the Freiburg evaluation data (faq.csv, questions.tsv).

Standard library only. Run from anywhere: python3 check_data.py
"""
import collections
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAQ = os.path.join(HERE, "faq.csv")
QUESTIONS = os.path.join(HERE, "questions.tsv")
COLUMNS = ["id", "Bereich", "locale", "question", "tags", "answer", "card",
           "url", "source", "as_of", "Kommentar intern"]
LOCALES = ("de-DE", "en-GB")


def check_faq():
    raw = open(FAQ, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "faq.csv: UTF-8 BOM missing"
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n"), "faq.csv: last record not terminated by CRLF"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=","))
    assert rows[0] == COLUMNS, f"faq.csv: header is {rows[0]}"
    # every physical record end must be CRLF: count CRLF == records + 1 (header)
    assert text.count("\r\n") == len(rows), "faq.csv: record terminators are not all CRLF"
    recs = [dict(zip(COLUMNS, r)) for r in rows[1:]]
    for r in rows[1:]:
        assert len(r) == len(COLUMNS), f"faq.csv: wrong field count in {r[:3]}"
    groups = collections.OrderedDict()
    for r in recs:
        assert r["locale"] in LOCALES, r["locale"]
        assert r["question"].strip(), r
        groups.setdefault((r["id"], r["locale"]), []).append(r)
    ids = list(dict.fromkeys(r["id"] for r in recs))
    long_answers, answers = [], []
    for (id_, loc), g in groups.items():
        assert len(g) == 2, f"{id_}/{loc}: {len(g)} phrasings"
        first = next((x["answer"] for x in g if x["answer"].strip()), "")
        assert first, f"{id_}/{loc}: no answer"
        answers.append(first)
        if len(first) > 400:
            long_answers.append((id_, loc, len(first)))
        else:
            assert len(first) < 350, f"{id_}/{loc}: answer {len(first)} chars (350-400)"
    for id_ in ids:
        for loc in LOCALES:
            assert (id_, loc) in groups, f"{id_}: locale {loc} missing"
    multiline_cards = sum(1 for r in recs if "\n" in r["card"])
    print(f"faq.csv: UTF-8 with BOM, comma-separated, CRLF records, {len(COLUMNS)} columns")
    print(f"  entries: {len(ids)}, rows: {len(recs)}, groups (id x locale): {len(groups)}")
    print(f"  rows per locale: " + ", ".join(
        f"{loc} {sum(1 for r in recs if r['locale'] == loc)}" for loc in LOCALES))
    print(f"  rows with repeated answer on 2nd phrasing: "
          f"{sum(1 for g in groups.values() if g[1]['answer'].strip())} groups")
    print(f"  answers > 400 chars: {len(long_answers)} "
          f"({len({i for i, _, _ in long_answers})} entries: "
          f"{', '.join(sorted({i for i, _, _ in long_answers}))})")
    print(f"  longest short answer: {max(len(a) for a in answers if len(a) <= 400)} chars")
    print(f"  cards with line breaks: {multiline_cards}")
    return set(ids)


def check_questions(ids):
    lines = open(QUESTIONS, encoding="utf-8", newline="").read().split("\n")
    assert lines[0] == "locale\tquestion\texpected", repr(lines[0])
    section = ""
    counts = collections.Counter()
    seen = set()
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        if line.startswith("#"):
            section = line
            continue
        parts = line.split("\t")
        assert len(parts) == 3, f"questions.tsv line {n}: {len(parts)} columns"
        loc, q, exp = parts
        assert loc in LOCALES, f"line {n}: locale {loc}"
        assert q.strip(), f"line {n}: empty question"
        assert (loc, q.lower()) not in seen, f"line {n}: duplicate question"
        seen.add((loc, q.lower()))
        if exp == "-":
            kind = "near" if "near miss" in section else "other"
            counts[(loc, "out")] += 1
            counts[(loc, "out-" + kind)] += 1
        else:
            assert exp in ids, f"line {n}: unknown id {exp}"
            counts[(loc, "in")] += 1
            counts[("entry", exp)] += 1
    total = sum(counts[(l, k)] for l in LOCALES for k in ("in", "out"))
    out = sum(counts[(l, "out")] for l in LOCALES)
    near = sum(counts[(l, "out-near")] for l in LOCALES)
    print(f"questions.tsv: {total} questions")
    for loc in LOCALES:
        t = counts[(loc, "in")] + counts[(loc, "out")]
        print(f"  {loc}: {t} ({100 * t / total:.1f} %), in scope {counts[(loc, 'in')]}, "
              f"out of scope {counts[(loc, 'out')]} "
              f"(near misses {counts[(loc, 'out-near')]}, other {counts[(loc, 'out-other')]})")
    print(f"  out of scope: {out} ({100 * out / total:.1f} %), near misses {near} "
          f"({100 * near / out:.1f} % of out of scope)")
    per_entry = [counts[("entry", i)] for i in ids]
    missing = [i for i in ids if counts[("entry", i)] < 2]
    assert not missing, f"entries with fewer than 2 questions: {missing}"
    print(f"  in-scope questions per entry: min {min(per_entry)}, max {max(per_entry)}")


if __name__ == "__main__":
    try:
        check_questions(check_faq())
    except AssertionError as e:
        print("FAILED:", e)
        sys.exit(1)
    print("OK")
