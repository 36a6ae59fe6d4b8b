#!/usr/bin/env python3
"""search.py URL COOKIE CSV [N] — the name search of the cadre list, timed query by query.

Draws N queries of each length from the names of the benchmark's CSV (seeded, so every run
and both backends ask the same): a surname or given-name character (1), the given name of a
three-character name or a whole two-character name (2), a whole three-character name (3).
Each is one GET /api/v1/cadres?q=…&page_size=20 over one keep-alive connection, one at a
time, so the figure is the latency of one search (the page and its exact total), not a
throughput. Prints one line per length and one for 2 and 3 together:

    search len=2 n=100 p50_ms=3.1 p99_ms=7.9 mean_hits=412
"""
import csv
import http.client
import random
import sys
import time
import urllib.parse


def queries(path, n):
    names = []
    with open(path, encoding='utf-8') as f:
        r = csv.reader(f)
        next(r)
        for i, row in enumerate(r):
            if i % 97 == 0:
                names.append(row[0])
    rnd = random.Random(20231201)
    three = [s for s in names if len(s) == 3]
    two = [s for s in names if len(s) == 2]
    out = {1: [], 2: [], 3: []}
    for _ in range(n):
        s = rnd.choice(names)
        out[1].append(s[rnd.randrange(len(s))])
        out[2].append(rnd.choice(three)[1:] if rnd.random() < 0.5 else rnd.choice(two))
        out[3].append(rnd.choice(three))
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    url, cookie, path = sys.argv[1], sys.argv[2], sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    qs = queries(path, n)
    times = {}
    hits = {}
    for length in (1, 2, 3):
        for q in qs[length][:3]:  # warm the caches of both backends alike
            conn.request('GET', '/api/v1/cadres?page_size=20&q=' + urllib.parse.quote(q),
                         headers={'Cookie': cookie})
            conn.getresponse().read()
        times[length], hits[length] = [], []
        for q in qs[length]:
            t0 = time.perf_counter()
            conn.request('GET', '/api/v1/cadres?page_size=20&q=' + urllib.parse.quote(q),
                         headers={'Cookie': cookie})
            r = conn.getresponse()
            body = r.read()
            times[length].append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                sys.exit(f'search.py: {q}: HTTP {r.status}: {body[:200]}')
            total = body.rfind(b'"total":')
            hits[length].append(int(body[total + 8:body.index(b',', total)]))
    for length in (1, 2, 3):
        t = times[length]
        print(f'search len={length} n={len(t)} p50_ms={pct(t, 50):.1f} p99_ms={pct(t, 99):.1f} '
              f'mean_hits={sum(hits[length]) / len(t):.0f}')
    both = times[2] + times[3]
    print(f'search len=2-3 n={len(both)} p50_ms={pct(both, 50):.1f} p99_ms={pct(both, 99):.1f}')


main()
