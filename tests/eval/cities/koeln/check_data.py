#!/usr/bin/env python3
"""Consistency check for the Köln evaluation data (faq.csv, questions.tsv).

Run: python3 check_data.py   (from any directory)
"""
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAQ = HERE / "faq.csv"
QUESTIONS = HERE / "questions.tsv"
HEADER = ["Nr", "Kategorie", "question", "locale", "id", "answer", "card",
          "url", "tags", "source", "as_of", "Bearbeiter"]
LOCALES = ("de-DE", "en-US")

# --- faq.csv ---------------------------------------------------------------
raw = FAQ.read_bytes()
assert raw.startswith(b"\xef\xbb\xbf"), "faq.csv: missing UTF-8 BOM"
text = raw.decode("utf-8-sig")
# Record separators must be CRLF; bare LF is only allowed inside quoted cells.
outside = re.sub(r'"(?:[^"]|"")*"', "", text)
assert "\n" not in outside.replace("\r\n", ""), "faq.csv: bare LF outside quotes"
assert text.endswith("\r\n"), "faq.csv: last record not terminated by CRLF"

rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
assert rows[0] == HEADER, f"faq.csv: unexpected header {rows[0]}"
records = [dict(zip(HEADER, r)) for r in rows[1:]]
for i, r in enumerate(rows[1:], start=2):
    assert len(r) == len(HEADER), f"faq.csv record {i}: {len(r)} fields"

groups = defaultdict(list)
for r in records:
    assert r["locale"] in LOCALES, r
    assert r["id"] and r["question"], r
    groups[(r["id"], r["locale"])].append(r)

ids = sorted({i for i, _ in groups})
quoted_cells = sum(1 for r in records for v in r.values() if any(c in v for c in ';"\n'))
multiline_cards = sum(1 for r in records if "\n" in r["card"])
for eid in ids:
    for loc in LOCALES:
        g = groups.get((eid, loc), [])
        assert len(g) == 2, f"{eid}/{loc}: {len(g)} phrasings (expected 2)"
        answers = [r["answer"] for r in g if r["answer"].strip()]
        assert answers, f"{eid}/{loc}: no answer"
        assert len(answers[0]) < 350, f"{eid}/{loc}: answer {len(answers[0])} chars"
        assert g[0]["answer"], f"{eid}/{loc}: first row has no answer"
        assert g[0]["source"] and g[0]["as_of"] == "2026-11"
repeated = sum(1 for eid in ids for loc in LOCALES if groups[(eid, loc)][1]["answer"])
print(f"faq.csv: {len(ids)} entries, {len(records)} rows "
      f"({sum(1 for r in records if r['locale']=='de-DE')} de-DE, "
      f"{sum(1 for r in records if r['locale']=='en-US')} en-US), "
      f"2 phrasings per entry and locale")
print(f"  groups with answer repeated on 2nd row: {repeated}, left empty: {2*len(ids)-repeated}")
print(f"  cells needing quotes: {quoted_cells}, cards with line breaks: {multiline_cards}")
print(f"  longest answer: {max(len(r['answer']) for r in records)} chars")

# --- questions.tsv ---------------------------------------------------------
lines = QUESTIONS.read_text(encoding="utf-8").split("\n")
assert lines[0] == "locale\tquestion\texpected", "questions.tsv: bad header"
assert lines[-1] == "", "questions.tsv: missing final newline"
section = None
qs = []
for n, line in enumerate(lines[1:-1], start=2):
    if line.startswith("#"):
        section = line
        continue
    cols = line.split("\t")
    assert len(cols) == 3, f"questions.tsv line {n}: {len(cols)} columns"
    loc, q, exp = cols
    assert loc in LOCALES, f"line {n}: locale {loc}"
    assert q.strip(), f"line {n}: empty question"
    assert exp == "-" or exp in ids, f"line {n}: unknown id {exp}"
    near = exp == "-" and "Beinahe" in (section or "")
    qs.append((loc, q, exp, near))

dups = [q for q, c in Counter(q.lower() for _, q, _, _ in qs).items() if c > 1]
assert not dups, f"duplicate questions: {dups}"
phr = {r["question"].lower().strip() for r in records}
same = [q for _, q, _, _ in qs if q.lower().strip() in phr]
assert not same, f"questions identical to a corpus phrasing: {same}"

total = len(qs)
print(f"questions.tsv: {total} questions")
for loc in LOCALES:
    n_in = sum(1 for l, _, e, _ in qs if l == loc and e != "-")
    n_out = sum(1 for l, _, e, _ in qs if l == loc and e == "-")
    n_near = sum(1 for l, _, e, nm in qs if l == loc and nm)
    print(f"  {loc}: {n_in + n_out} ({100*(n_in+n_out)/total:.1f} %), in scope {n_in}, "
          f"out of scope {n_out} (near misses {n_near})")
n_out = sum(1 for _, _, e, _ in qs if e == "-")
n_near = sum(1 for *_, nm in qs if nm)
print(f"  out of scope: {n_out} = {100*n_out/total:.1f} %, near misses {n_near}, other {n_out-n_near}")
assert 0.18 <= n_out / total <= 0.22, "out-of-scope share outside 18-22 %"
assert n_near * 2 >= n_out, "fewer than half of the out-of-scope questions are near misses"

per_id = Counter(e for _, _, e, _ in qs if e != "-")
missing = [i for i in ids if per_id[i] < 2]
assert not missing, f"entries with < 2 questions: {missing}"
print(f"  in-scope questions per entry: min {min(per_id[i] for i in ids)}, "
      f"max {max(per_id[i] for i in ids)}")

# --- wording overlap with the entry's own phrasings ------------------------
STOP = set("""
der die das den dem des ein eine einen einem einer eines und oder aber ich du er sie es wir ihr
mich mir dich dir uns euch mein meine meinen meinem meiner dein sein ihre unser unsere unseren
ist sind bin war wird werden wurde hat habe hab haben kann können muss müssen soll will wollen
wie was wo wann wer warum welche welcher welches wohin woher mit von vom zu zum zur für auf aus
bei beim im in ins an am um nach über unter noch schon auch nicht kein keine nur mal denn dann
the a an and or but i you he she it we they my your our their me us is are am was were be been
do does did have has had can could should must will would how what where when who which why to
of for in on at by with from into my this that these those there here not no get got
""".split())

def stems(s):
    toks = re.findall(r"[a-zäöüß0-9]+", s.lower())
    return {t[:5] for t in toks if len(t) >= 3 and t not in STOP}

phr_by_id = defaultdict(list)
for r in records:
    phr_by_id[r["id"]].append(stems(r["question"]))
heavy = []
for loc, q, exp, _ in qs:
    if exp == "-":
        continue
    best = max(len(stems(q) & p) for p in phr_by_id[exp])
    if best > 2:
        heavy.append((best, q, exp))
print(f"  in-scope questions sharing > 2 content words with a phrasing of their entry: {len(heavy)}")
for b, q, e in heavy:
    print(f"    {b}  {q!r} -> {e}")
print("OK")
