#!/usr/bin/env python3
"""layers.py — the layers of src/ as a table, checked over every tracked file.

    python3 scripts/layers.py [--self-test]

Each folder of src/ is one layer, and a file may include only the headers of the layers
its row allows (docs/internals.md draws the picture). Three more rules:

  - SQL text (a string that starts a statement: SELECT …, INSERT INTO …, UPDATE … SET,
    DELETE FROM …, CREATE TABLE/INDEX …) only in src/store/;
  - database-specific branches (store_kind, STORE_PG, STORE_SQLITE) only in src/store/;
  - threads are started (pthread_create, thrd_create) only by the job runner and the
    store's writers (THREAD_FILES below);
  - the hours ledger is appended only (docs/ledger.md): no file of src/, the store's
    included, holds an UPDATE or a DELETE of ledger_entries.

Prints every violation as FILE:LINE: what, and exits 1 when there is one. --self-test
checks that each rule catches a planted violation (a forbidden include, an SQL string, a
backend branch, a thread) and leaves the allowed forms alone.
"""
import re
import subprocess
import sys

# layer → the layers its files may include (itself always).
ALLOWED = {
    "base": {"base"},
    "domain": {"base", "engine"},  # the timetable rules speak the engine's types
    "engine": {"base"},
    "files": {"base", "domain"},
    "store": {"base", "domain"},
    "service": {"base", "domain", "engine", "files", "store"},
    "http": {"base"},
    "api": {"base", "domain", "http", "service"},
    "cli": {"base", "domain", "http", "service", "api"},
}

# The only files that may start threads: the job runner and the store's writers.
THREAD_FILES = {
    "src/service/jobs.c",
    "src/store/sqlite.c",  # the WAL flusher of a bulk load
    "src/store/cadres_bulk.c",  # the bulk load's writer
}

# Files that still break a rule, each with the rule it may still break ("include:store",
# "sql", "backend", "thread") and the step of issue 8 that moves it. Only that rule is
# excused there; the list only shrinks: an excuse no longer needed is itself an error, so
# that it is crossed off.
PENDING = {}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')
SQL = re.compile(
    r'"\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|'
    r"CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)\s|DROP\s+(TABLE|INDEX)\s|BEGIN\b|COMMIT\b|PRAGMA\s)",
    re.I,
)
BACKEND = re.compile(r"\b(store_kind\s*\(|STORE_PG\b|STORE_SQLITE\b)")
THREAD = re.compile(r"\b(pthread_create|thrd_create)\s*\(")
LEDGER_WRITE = re.compile(r"\b(UPDATE\s+ledger_entries\b|DELETE\s+FROM\s+ledger_entries\b)", re.I)


def strip_comments(line, in_block):
    """The line without C comments (in_block: inside /* … */ at its start)."""
    out, i = "", 0
    while i < len(line):
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                return out, True
            i, in_block = end + 2, False
        elif line.startswith("/*", i):
            in_block = True
            i += 2
        elif line.startswith("//", i):
            break
        else:
            out += line[i]
            i += 1
    return out, in_block


def check_file(path, text):
    """Every violation of one file, as (line, rule, message)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "src" or parts[1] not in ALLOWED:
        return []
    layer = parts[1]
    found = []
    in_block = False
    for n, raw in enumerate(text.splitlines(), 1):
        line, in_block = strip_comments(raw, in_block)
        m = INCLUDE.match(line)
        if m and m.group(1) != layer and m.group(1) not in ALLOWED[layer]:
            found.append((n, "include:" + m.group(1),
                          f"{layer}/ may not include {m.group(1)}/ ({line.strip()})"))
        if layer != "store" and SQL.search(line):
            found.append((n, "sql", "SQL text outside src/store/"))
        if layer != "store" and BACKEND.search(line):
            found.append((n, "backend", "a database-specific branch outside src/store/"))
        if THREAD.search(line) and path not in THREAD_FILES:
            found.append((n, "thread",
                          "a thread started outside the job runner and the store's writers"))
        if LEDGER_WRITE.search(line):
            found.append((n, "ledger", "ledger_entries is appended only: no UPDATE or DELETE"))
    return found


def tracked_files():
    out = subprocess.run(
        ["git", "ls-files", "src/*.c", "src/*.h", "src/*.sql"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in out.split("\n") if p]


def self_test():
    planted = {
        "src/http/x.c": '#include "store/store.h"\n',
        "src/api/x.c": 'const char *q = "SELECT id FROM cadres";\n',
        "src/service/x.c": "if (store_kind(db) == STORE_PG) {}\n",
        "src/api/y.c": "pthread_create(&t, NULL, f, NULL);\n",
        "src/domain/x.c": '#include "service/svc.h"\n',
        "src/store/y.c": 'run(s, "UPDATE ledger_entries SET title = ?");\n',
        "src/store/z.c": 'run(s, "delete from ledger_entries WHERE id = ?");\n',
    }
    allowed = {
        "src/store/x.c": 'const char *q = "SELECT id FROM cadres"; store_kind(s);\n',
        "src/api/z.c": '#include "service/svc.h"\n/* "SELECT * FROM x" */\nx = "Selected";\n',
        "src/service/jobs.c": "pthread_create(&t, NULL, f, NULL);\n",
        "src/store/w.c": '"INSERT INTO ledger_entries (id) VALUES (?)"; /* no UPDATE ledger_entries */\n'
        '"DELETE FROM ledger_entries_old"; "BEFORE UPDATE OR DELETE ON ledger_entries"\n',
    }
    bad = [p for p, t in planted.items() if not check_file(p, t)]
    # an excuse covers its rule only: api.h may still include the store, not hold SQL
    if not any(rule == "sql" for _, rule, _ in check_file("src/api/api.h", 'x = "SELECT 1";\n')):
        bad.append("src/api/api.h (sql beside an excused include)")
    wrong = [p for p, t in allowed.items() if check_file(p, t)]
    for p in bad:
        print(f"self-test: a violation in {p} was not caught")
    for p in wrong:
        print(f"self-test: an allowed form in {p} was refused: {check_file(p, allowed[p])}")
    print("layers self-test:", "ok" if not bad and not wrong else "FAILED")
    return 0 if not bad and not wrong else 1


def main():
    if "--self-test" in sys.argv:
        return self_test()
    errors = 0
    excused = set()
    for path in tracked_files():
        with open(path, encoding="utf-8") as f:
            found = check_file(path, f.read())
        for n, rule, msg in found:
            if path in PENDING and PENDING[path][0] == rule:
                excused.add(path)
                continue
            print(f"{path}:{n}: {msg}")
            errors += 1
    for path in sorted(set(PENDING) - excused):
        print(f"{path}: no longer breaks '{PENDING[path][0]}': take it off PENDING in "
              "scripts/layers.py")
        errors += 1
    files = len(tracked_files())
    print(f"layers: {files} files, {errors} violation(s), {len(excused)} pending")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
