#!/usr/bin/env python3
"""Sanity check for the Leipzig evaluation data (faq.csv, questions.tsv).

Uses only the standard library. Run: python3 check_data.py
"""
import collections
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAQ = os.path.join(HERE, "faq.csv")
QUESTIONS = os.path.join(HERE, "questions.tsv")
COLUMNS = ["locale", "id", "question", "answer", "card", "tags", "url",
           "Zuständigkeit", "source", "as_of"]
LOCALES = ("de-DE", "en-GB")


def check_faq():
    raw = open(FAQ, "rb").read()
    assert not raw.startswith(b"\xef\xbb\xbf"), "faq.csv must not start with a BOM"
    assert b"\r" not in raw, "faq.csv must use LF line endings only"
    raw.decode("utf-8")  # raises if not UTF-8

    with open(FAQ, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=",", quotechar='"', strict=True)
        header = next(reader)
        assert header == COLUMNS, f"unexpected header: {header}"
        rows = []
        for rec in reader:
            assert len(rec) == len(COLUMNS), f"line {reader.line_num}: {len(rec)} fields"
            rows.append(dict(zip(COLUMNS, rec)))

    # every field quoted: re-serialise with QUOTE_ALL and compare to the file
    import io
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    assert buf.getvalue() == raw.decode("utf-8"), "not every field is quoted the standard way"

    groups = collections.OrderedDict()
    for r in rows:
        assert r["locale"] in LOCALES, f"bad locale {r['locale']!r}"
        assert r["id"] and r["question"], f"empty id/question in {r}"
        tags = r["tags"]
        assert "," not in tags, f"tags of {r['id']} mix separators"
        groups.setdefault((r["locale"], r["id"]), []).append(r)

    ids = collections.OrderedDict()
    answers = {}
    for (loc, eid), grp in groups.items():
        assert len(grp) == 2, f"{loc}/{eid}: {len(grp)} phrasings (expected 2)"
        ans = next((g["answer"] for g in grp if g["answer"].strip()), "")
        assert ans, f"{loc}/{eid}: no answer"
        answers[(loc, eid)] = ans
        ids.setdefault(eid, set()).add(loc)
    for eid, locs in ids.items():
        assert locs == set(LOCALES), f"{eid}: locales {sorted(locs)}"

    long_answers = [(k, len(a)) for k, a in answers.items() if len(a) > 400]
    mid = [(k, len(a)) for k, a in answers.items() if 350 <= len(a) <= 400]
    assert not mid, f"answers between 350 and 400 characters: {mid}"
    for k, n in long_answers:
        assert 450 <= n <= 700, f"{k}: long answer of {n} characters"
    multiline_cards = sum(1 for r in rows if "\n" in r["card"])
    empty_alt_answers = sum(1 for grp in groups.values() if not grp[1]["answer"])

    print(f"faq.csv: {len(ids)} entries, {len(rows)} rows "
          f"({sum(1 for r in rows if r['locale'] == 'de-DE')} de-DE, "
          f"{sum(1 for r in rows if r['locale'] == 'en-GB')} en-GB)")
    print(f"  answers > 400 chars: {len(long_answers)} "
          + ", ".join(f"{l}/{e} ({n})" for (l, e), n in long_answers))
    print(f"  rows with multi-line card: {multiline_cards}; "
          f"groups whose 2nd row leaves answer empty: {empty_alt_answers} of {len(groups)}")
    return set(ids)


def check_questions(ids):
    raw = open(QUESTIONS, "rb").read()
    assert not raw.startswith(b"\xef\xbb\xbf"), "questions.tsv must not start with a BOM"
    assert b"\r" not in raw, "questions.tsv must use LF line endings only"
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "", "questions.tsv must end with a newline"
    lines = lines[:-1]
    assert lines[0] == "locale\tquestion\texpected", f"bad header {lines[0]!r}"

    counts = collections.Counter()
    per_entry = collections.Counter()
    seen = set()
    comments = 0
    for n, line in enumerate(lines[1:], start=2):
        if line.startswith("#"):
            comments += 1
            continue
        parts = line.split("\t")
        assert len(parts) == 3, f"line {n}: {len(parts)} columns"
        loc, q, exp = parts
        assert loc in LOCALES, f"line {n}: bad locale {loc!r}"
        assert q.strip(), f"line {n}: empty question"
        assert (loc, q.lower()) not in seen, f"line {n}: duplicate question"
        seen.add((loc, q.lower()))
        if exp == "-":
            counts[(loc, "out")] += 1
        else:
            assert exp in ids, f"line {n}: unknown id {exp!r}"
            counts[(loc, "in")] += 1
            per_entry[exp] += 1
    missing = [i for i in ids if per_entry[i] < 2]
    assert not missing, f"entries with fewer than 2 questions: {missing}"

    total = sum(counts.values())
    out = counts[("de-DE", "out")] + counts[("en-GB", "out")]
    print(f"questions.tsv: {total} questions, {comments} comment lines")
    for loc in LOCALES:
        n_loc = counts[(loc, "in")] + counts[(loc, "out")]
        print(f"  {loc}: {n_loc} ({100 * n_loc / total:.1f} %) = "
              f"{counts[(loc, 'in')]} in scope + {counts[(loc, 'out')]} out of scope")
    print(f"  out of scope: {out} of {total} = {100 * out / total:.1f} %")
    print(f"  questions per entry: min {min(per_entry.values())}, max {max(per_entry.values())}")


def main():
    ids = check_faq()
    check_questions(ids)
    print("OK")


if __name__ == "__main__":
    sys.exit(main())
