#!/usr/bin/env python3
"""Turns the outputs of benches/results.sh into the README's results table.

Reads the `RESULT key=value` lines of the cold-start and end-to-end benches
and the tables of benches/compare.sh from --out, prints the table, and
replaces what lies between the results markers in --readme.
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys

BEGIN = "<!-- results:begin (benches/results.sh writes this table) -->"
END = "<!-- results:end -->"


def results(path):
    """The key=value pairs of the RESULT lines in a file."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("RESULT "):
                for pair in line.split()[1:]:
                    k, _, v = pair.partition("=")
                    found[k] = float(v)
    return found


def compare(path):
    """From compare.sh: accuracy on the first evaluation set and the speed
    ratios at 10,000 entries, per method."""
    text = open(path, encoding="utf-8").read()
    acc, speed = {}, {}
    methods = ("city-skill", "rapidfuzz WRatio", "rapidfuzz token_set_ratio", "BM25Okapi")
    in_accuracy = True
    for line in text.splitlines():
        if line.startswith("Speed at 10,000"):
            in_accuracy = False
        for m in methods:
            if line.startswith(m + " ") or line == m:
                nums = re.findall(r"[-+]?\d+(?:\.\d+)?", line[len(m):])
                if in_accuracy and m not in acc and len(nums) >= 4:
                    acc[m] = (float(nums[0]), float(nums[2]))  # top-1 %, µs/query
                elif not in_accuracy and len(nums) >= 2:
                    speed[m] = (float(nums[0]), float(nums[1]))  # µs/query, × ours
    return acc, speed


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} CPUs{mem}, {platform.system()} {platform.release()}, "
            f"{rustc}, {datetime.date.today().isoformat()}")


def check(value, limit):
    return "✓" if value <= limit else "✗"


def table(out):
    c = results(os.path.join(out, "coldstart.txt"))
    e = results(os.path.join(out, "e2e.txt"))
    acc, speed = compare(os.path.join(out, "compare.txt"))
    h = c["coldstart_hello_median_ms"]
    rows = [
        "| figure | city-skill | beside | target |",
        "|---|---:|---:|---|",
    ]

    def cold(key, name, target):
        rows.append(
            f"| cold start, {name} (median; min–max) | {c[f'coldstart_{key}_median_ms']:.1f} ms "
            f"({c[f'coldstart_{key}_min_ms']:.1f}–{c[f'coldstart_{key}_max_ms']:.1f}) "
            f"| {c[f'coldstart_{key}_ratio']:.1f}× hello world ({h:.1f} ms) | {target} |")

    cold("default", "default corpus",
         f"≤ 1.3× hello world {check(c['coldstart_default_ratio'], 1.3)}")
    if "coldstart_lexical_median_ms" in c:
        cold("lexical", "default corpus, lexical only (`CITY_SKILL_ENCODER=0`)",
             f"≤ 1.3× hello world {check(c['coldstart_lexical_ratio'], 1.3)}")
    cold("10k", "10,000 entries from CSV",
         f"≤ 30 ms {check(c['coldstart_10k_median_ms'], 30)}")
    cold("10k_compiled", "10,000 entries compiled (`city-skill compile`)",
         f"≤ 30 ms {check(c['coldstart_10k_compiled_median_ms'], 30)}")
    rows.append(f"| peak memory (VmHWM) after 1,000 requests, default corpus (encoder used) | "
                f"{c['rss_default_mb']:.1f} MiB | | ≤ 48 MB {check(c['rss_default_mb'], 48)} |")
    if "rss_lexical_mb" in c:
        rows.append(f"| peak memory (VmHWM) after 1,000 requests, default corpus, no question needing the encoder "
                    f"(`CITY_SKILL_ENCODER=0`) | {c['rss_lexical_mb']:.1f} MiB | | ≤ 16 MB {check(c['rss_lexical_mb'], 16)} |")
    rows.append(f"| peak memory (VmHWM) after 1,000 requests, 10,000 entries from CSV | {c['rss_10k_mb']:.1f} MiB | | "
                f"≤ 64 MB {check(c['rss_10k_mb'], 64)} |")
    rows.append(f"| peak memory (VmHWM) after 1,000 requests, 10,000 entries compiled | "
                f"{c['rss_10k_compiled_mb']:.1f} MiB | | ≤ 64 MB {check(c['rss_10k_compiled_mb'], 64)} |")
    size = c['size_city_mb']
    rows.append(f"| stripped release binary | {size:.2f} MiB ({size * 1.048576:.2f} MB) | hello world "
                f"{c['size_hello_mb']:.2f} MiB | ≤ 8 MB: {check(size, 8)} in MiB, "
                f"{check(size * 1.048576, 8)} in 10⁶ bytes |")
    model = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model", "e5-small-de-en-q4.bin")
    if os.path.exists(model):
        both = size + os.path.getsize(model) / 1_048_576
        rows.append(f"| Lambda bootstrap + encoder model | {both:.1f} MiB ({both * 1.048576:.1f} MB) | | "
                    f"≤ 40 MB {check(both * 1.048576, 40)} |")
    rows.append(f"| end to end, worst intent p99, default corpus | {e['e2e_default_worst_p99_us']:.0f} µs | | |")
    rows.append(f"| end to end, worst intent p99, 10,000 entries | {e['e2e_10k_worst_p99_us']:.0f} µs | | "
                f"≤ 300 µs {check(e['e2e_10k_worst_p99_us'], 300)} |")
    if "city-skill" in acc:
        ours_acc, ours_t = acc["city-skill"]
        for m in ("rapidfuzz WRatio", "rapidfuzz token_set_ratio", "BM25Okapi"):
            if m in acc:
                a, t = acc[m]
                rows.append(f"| FAQ top-1 accuracy (tests/eval/questions.tsv) vs {m} | {ours_acc:.1f} % "
                            f"| {a:.1f} % | |")
    if "city-skill" in speed:
        ours_t = speed["city-skill"][0]
        for m in ("rapidfuzz WRatio", "rapidfuzz token_set_ratio", "BM25Okapi"):
            if m in speed:
                t, ratio = speed[m]
                rows.append(f"| FAQ match at 10,000 entries vs {m} | {ours_t:.0f} µs/query "
                            f"| {t:.0f} µs/query ({ratio:.1f}× ours) | |")
    per_intent = ["", "End to end per intent, p50 / p99 in µs (envelope bytes in, response bytes out):", "",
                  "| intent | default corpus | 10,000 entries |", "|---|---:|---:|"]
    order = [k[len("e2e_default_"):-len("_p50_us")] for k in e if k.startswith("e2e_default_")
             and k.endswith("_p50_us")]
    for n in order:
        d50, d99 = e.get(f"e2e_default_{n}_p50_us"), e.get(f"e2e_default_{n}_p99_us")
        b50, b99 = e.get(f"e2e_10k_{n}_p50_us"), e.get(f"e2e_10k_{n}_p99_us")
        per_intent.append(f"| {n.replace('_', ' ')} | {d50:.0f} / {d99:.0f} | {b50:.0f} / {b99:.0f} |")
    return "\n".join(rows + per_intent + ["", f"Measured on: {machine()}."])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--readme")
    a = ap.parse_args()
    t = table(a.out)
    print(t)
    if a.readme:
        text = open(a.readme, encoding="utf-8").read()
        if BEGIN not in text or END not in text:
            sys.exit(f"{a.readme}: the results markers are missing")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        open(a.readme, "w", encoding="utf-8").write(f"{head}{BEGIN}\n{t}\n{END}{tail}")
        print(f"\n{a.readme}: results table rewritten", file=sys.stderr)


if __name__ == "__main__":
    main()
