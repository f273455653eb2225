#!/usr/bin/env python3
"""Format check for the Hannover evaluation data (faq.csv + questions.tsv).

Run from anywhere: python3 check_data.py   (exit code 0 = all checks passed)
Uses only the standard library; does not touch the matcher.
"""
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAQ, QUESTIONS = HERE / "faq.csv", HERE / "questions.tsv"
LOCALES = ("de-DE", "en-US")
COLUMNS = ["Zeile", "id", "locale", "question", "answer", "card", "tags", "url",
           "as_of", "source", "Stand intern"]
SOURCE, AS_OF = "Entwicklungskorpus (fiktiv)", "2026-11"
MAX_ANSWER = 380
errors = []


def err(msg):
    errors.append(msg)


def check_faq():
    raw = FAQ.read_bytes()
    if not raw.startswith(b"\xef\xbb\xbf"):
        err("faq.csv: missing UTF-8 BOM")
    text = raw.decode("utf-8-sig")
    # record ends must be CRLF; line breaks inside quoted cells are bare LF (as Excel writes them)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    if buf.getvalue() != text:
        err("faq.csv: not a ';'-separated, minimally quoted file with CRLF record ends")
    if "\r" in "".join("".join(r) for r in rows):
        err("faq.csv: CR inside a cell")
    header, body = rows[0], rows[1:]
    if header != COLUMNS:
        err(f"faq.csv: header {header} != {COLUMNS}")
        return {}
    col = {c: i for i, c in enumerate(header)}
    groups = defaultdict(list)
    order = []
    for n, r in enumerate(body, start=2):
        if len(r) != len(COLUMNS):
            err(f"faq.csv row {n}: {len(r)} cells")
            continue
        rec = {c: r[i] for c, i in col.items()}
        if rec["Zeile"] != str(n):
            err(f"faq.csv row {n}: Zeile = {rec['Zeile']}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rec["id"]):
            err(f"faq.csv row {n}: id {rec['id']!r} is not a lowercase slug")
        if rec["locale"] not in LOCALES:
            err(f"faq.csv row {n}: locale {rec['locale']!r}")
        if rec["source"] != SOURCE or rec["as_of"] != AS_OF:
            err(f"faq.csv row {n}: source/as_of")
        if not rec["question"].strip():
            err(f"faq.csv row {n}: empty question")
        key = (rec["id"], rec["locale"])
        if key not in groups:
            order.append(key)
        groups[key].append(rec)
    ids = sorted({k[0] for k in groups})
    repeated = empty = 0
    max_len = 0
    for key in order:
        g = groups[key]
        if len(g) != 2:
            err(f"faq.csv: {key} has {len(g)} phrasings, expected 2")
            continue
        first, second = g
        for f in ("answer", "card", "url", "tags"):
            if not first[f].strip():
                err(f"faq.csv: {key} first row has no {f}")
        if any(second[f] for f in ("card", "url", "tags")):
            err(f"faq.csv: {key} second row carries card/url/tags")
        if second["answer"] == first["answer"]:
            repeated += 1
        elif second["answer"] == "":
            empty += 1
        else:
            err(f"faq.csv: {key} second row has a different answer")
        if first["question"] == second["question"]:
            err(f"faq.csv: {key} phrasings are identical")
        a = first["answer"]
        max_len = max(max_len, len(a))
        if len(a) > MAX_ANSWER:
            err(f"faq.csv: {key} answer has {len(a)} characters")
        if not 1 <= len(re.findall(r"(?<!\d)[.!?]\s+(?=[A-ZÄÖÜ0-9])|[.!?]$", a)) <= 3:
            err(f"faq.csv: {key} answer is not 1-3 sentences")
    for i in ids:
        for loc in LOCALES:
            if (i, loc) not in groups:
                err(f"faq.csv: {i} has no {loc} rows")
    if not 40 <= len(ids) <= 60:
        err(f"faq.csv: {len(ids)} entries, expected 40-60")
    if repeated == 0 or empty == 0:
        err("faq.csv: second-row answers should be a mix of repeated and empty")
    print(f"faq.csv: {len(ids)} entries, {len(body)} rows, locales {', '.join(LOCALES)}; "
          f"second-row answer repeated {repeated}, empty {empty}; longest answer {max_len} chars")
    return set(ids)


def check_questions(ids):
    raw = QUESTIONS.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("questions.tsv: has a BOM")
    if b"\r" in raw:
        err("questions.tsv: contains CR (must be LF only)")
    if not raw.endswith(b"\n"):
        err("questions.tsv: no final newline")
    lines = raw.decode("utf-8").split("\n")[:-1]
    if lines[0] != "locale\tquestion\texpected":
        err(f"questions.tsv: bad header {lines[0]!r}")
    section = ""
    stats = Counter()
    per_entry = Counter()
    seen = set()
    for n, line in enumerate(lines[1:], start=2):
        if line.startswith("#"):
            section = line
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            err(f"questions.tsv line {n}: {len(parts)} columns")
            continue
        loc, q, exp = parts
        if loc not in LOCALES:
            err(f"questions.tsv line {n}: locale {loc!r}")
        if not q.strip() or q != q.strip():
            err(f"questions.tsv line {n}: empty question or stray whitespace")
        if (loc, q.lower()) in seen:
            err(f"questions.tsv line {n}: duplicate question")
        seen.add((loc, q.lower()))
        if exp == "-":
            near = "near miss" in section.lower() or "beinahe" in section.lower()
            stats[(loc, "out")] += 1
            stats[(loc, "near")] += near
        elif exp in ids:
            stats[(loc, "in")] += 1
            per_entry[exp] += 1
        else:
            err(f"questions.tsv line {n}: expected id {exp!r} not in faq.csv")
    total = sum(stats[(l, "in")] + stats[(l, "out")] for l in LOCALES)
    out = sum(stats[(l, "out")] for l in LOCALES)
    near = sum(stats[(l, "near")] for l in LOCALES)
    de = stats[("de-DE", "in")] + stats[("de-DE", "out")]
    print(f"questions.tsv: {total} questions")
    print(f"  {'locale':7} {'total':>6} {'in':>5} {'out':>5} {'near':>5} {'out %':>6}")
    for l in LOCALES:
        t = stats[(l, "in")] + stats[(l, "out")]
        print(f"  {l:7} {t:6} {stats[(l, 'in')]:5} {stats[(l, 'out')]:5} {stats[(l, 'near')]:5} "
              f"{100 * stats[(l, 'out')] / max(t, 1):5.1f}%")
    print(f"  all     {total:6} {total - out:5} {out:5} {near:5} {100 * out / max(total, 1):5.1f}%")
    print(f"  German share {100 * de / max(total, 1):.1f} %; in-scope questions per entry "
          f"{min(per_entry.values(), default=0)}-{max(per_entry.values(), default=0)}")
    if total < 220:
        err(f"questions.tsv: only {total} questions (need >= 220)")
    if not 0.55 <= de / total <= 0.65:
        err(f"questions.tsv: German share {de / total:.1%} outside 55-65 %")
    if not 0.15 <= out / total <= 0.25:
        err(f"questions.tsv: out-of-scope share {out / total:.1%} outside 15-25 %")
    if near * 2 < out:
        err("questions.tsv: fewer than half of the out-of-scope questions are near misses")
    for l in LOCALES:
        if stats[(l, "in")] == 0 or stats[(l, "out")] == 0:
            err(f"questions.tsv: {l} lacks in-scope or out-of-scope questions")
    missing = sorted(ids - set(per_entry))
    if missing:
        err(f"questions.tsv: entries without questions: {missing}")


def main():
    ids = check_faq()
    check_questions(ids)
    if errors:
        print(f"\nFAILED ({len(errors)} problems):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
