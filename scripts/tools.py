#!/usr/bin/env python3
"""tools.py — every external command the project's scripts and tests call is installed by
scripts/deps.sh (or is on every Debian 12 system from the start).

    python3 scripts/tools.py [--list] [--self-test]

A new machine has only Debian's minimal base (debootstrap --variant=minbase) plus what the
README asks for first (make, Node.js). Whatever else a script runs — curl to wait for a
server, sqlite3 and psql in a test, pdftoppm to look at a PDF — must come from deps.sh, or
`make test` fails there while it passes on a machine that happens to have it.

The commands are read from the files: the first word of every command of a shell script
(scripts/*.sh, bench/*.sh, the Makefile's recipes), and the literal program names the
tests spawn (spawn/execFile… in tests/**/*.mjs). Each command is looked up in PROVIDERS (the
Debian package that provides it); that package must be among the packages deps.sh installs
for the target the file runs under (build < test < bench), or in BASE. A command missing
from PROVIDERS is an error too, so that a new tool is thought about once.

--list prints every command with where it is used and what provides it. --self-test checks
that a planted unknown command and a planted uninstalled one are both caught.
"""
import re
import subprocess
import sys

# On every Debian 12 system from the start: debootstrap --variant=minbase (Priority:
# required, and apt), and the shells' builtins.
BASE = {
    "base-files", "bash", "coreutils", "dash", "debianutils", "diffutils", "findutils",
    "grep", "gzip", "hostname", "login", "mawk", "ncurses-bin", "perl-base", "sed", "tar",
    "util-linux", "apt", "dpkg", "(builtin)",
}
# What the README asks for before the two commands.
PREREQUISITES = {"make", "nodejs"}

# command → the Debian package that provides it.
PROVIDERS = {
    # shell builtins and keywords
    **{c: "(builtin)" for c in (
        "cd echo printf read set shift trap wait exit return local export unset eval exec "
        "source . test [ [[ true false kill command type umask ulimit break continue "
        "if then else elif fi for while until do done case esac in function declare "
        "readonly getopts times : pushd popd pwd alias").split()},
    # coreutils and friends of the base
    **{c: "coreutils" for c in (
        "cat cp mv rm mkdir rmdir ln ls chmod chown touch head tail sort uniq wc cut tr tee "
        "date sleep sync env id basename dirname mktemp seq od stat du df printenv nproc "
        "timeout realpath readlink yes expr sha256sum md5sum split comm paste install "
        "truncate dd nohup fold tac nice stdbuf").split()},
    "grep": "grep", "sed": "sed", "awk": "mawk", "find": "findutils", "xargs": "findutils",
    "cmp": "diffutils", "diff": "diffutils", "gzip": "gzip", "tar": "tar",
    "runuser": "util-linux", "mount": "util-linux", "umount": "util-linux",
    "chroot": "coreutils", "which": "debianutils", "hostname": "hostname",
    "dpkg-query": "dpkg", "apt-get": "apt", "perl": "perl-base",
    # the README's prerequisites
    "make": "make", "node": "nodejs", "npm": "nodejs",
    # build
    "meson": "meson", "ninja": "ninja-build", "python3": "python3", "cc": "build-essential",
    "gcc": "build-essential", "pkg-config": "pkg-config", "sqlite3": "sqlite3",
    # test
    "curl": "curl", "git": "git", "clang": "clang", "clang-format": "clang-format",
    "psql": "postgresql", "initdb": "postgresql", "pg_ctl": "postgresql",
    "createdb": "postgresql", "chromium": "chromium", "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils", "pdffonts": "poppler-utils",
    # bench
    "nginx": "nginx", "wrk": "wrk",
    # the fresh-machine check
    "debootstrap": "debootstrap", "ip": "iproute2",
    # the project's own programs and scripts
    "peixun": "(project)", "raw_insert": "(project)",
    "scripts/deps.sh": "(project)", "scripts/test.sh": "(project)",
    "scripts/pg-tmp.sh": "(project)", "scripts/fuzz.sh": "(project)",
    "bench/run.sh": "(project)", "bench/timetable.sh": "(project)", "bench/ledger.sh": "(project)",
    "scripts/check-fresh.sh": "(project)",
}

# Which deps.sh target each file runs under.
TARGET_OF = [
    (re.compile(r"^scripts/(test|fuzz|pg-tmp)\.sh$"), "test"),
    (re.compile(r"^scripts/check-fresh\.sh$"), "fresh"),
    (re.compile(r"^scripts/deps\.sh$"), "build"),
    (re.compile(r"^bench/.*\.sh$"), "bench"),
    (re.compile(r"^tests/"), "test"),
    (re.compile(r"^Makefile$"), "build"),
]
ORDER = ["build", "test", "bench", "fresh"]


def deps_packages():
    """The packages deps.sh installs for each target (cumulative)."""
    text = open("scripts/deps.sh", encoding="utf-8").read()
    lists = {}
    for name in ("build_pkgs", "test_pkgs", "bench_pkgs", "fresh_pkgs"):
        m = re.search(name + r'="([^"]*)"', text)
        lists[name] = set(m.group(1).split()) if m else set()
    build = lists["build_pkgs"]
    test = build | lists["test_pkgs"]
    bench = test | lists["bench_pkgs"]
    fresh = test | lists["fresh_pkgs"]
    return {"build": build, "test": test, "bench": bench, "fresh": fresh}


KEYWORDS = {"if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case",
            "esac", "select", "in", "function", "!", "{", "}", "time", "sudo", "$SUDO", "exec", "command",
            "nohup", "env"}


def shell_commands(text, functions):
    """(line, command) for the first word of every simple command of a shell text.

    A small scanner, not a full parser: it knows quotes (a command substitution inside
    double quotes counts), comments, here-documents, $(( )) arithmetic, case patterns, and
    the separators ; & | && || ( ) ` $( and newline; words at a command's start that are
    assignments or keywords are passed over."""
    found = []
    i, n, line = 0, len(text), 1
    at_start = True  # the next word starts a command
    word, word_line = "", 1
    stack = []  # what we are inside: '"' or '$(' or '`'
    heredocs = []  # delimiters of here-documents to skip after this line
    after_case = False  # between `case … in` and the first pattern's ')'
    case_depth = 0
    for_state = 0  # 1: after `for`, 2: after its name (and `in`, its words)
    in_pattern = [False]  # reading a case item's pattern (up to its ')')

    def end_word():
        nonlocal word, at_start, after_case, case_depth, for_state
        w = word
        word = ""
        if not w:
            return
        if in_pattern[0]:
            if w == "esac":
                in_pattern[0] = False
                case_depth -= 1
            return  # a case pattern
        if after_case:
            if w == "in":  # `case WORD in`: patterns follow
                after_case = False
                case_depth += 1
                in_pattern[0] = True
            return
        if for_state:  # `for NAME in WORDS`: no command among them
            if for_state == 1 or w == "in":
                for_state = 2
            return
        if not at_start:
            return
        if re.match(r"^[A-Za-z_]\w*(\[[^]]*\])?\+?=", w):
            return  # an assignment: the command comes after it
        if w == "case":
            after_case = True
            return
        if w in ("for", "select"):
            for_state = 1
            return
        if w in KEYWORDS:
            return
        at_start = False
        if w.startswith("$"):
            m = re.match(r"^\$\{?\w+\}?/([\w.\-]+)$", w)  # "$PGBIN/initdb"
            if not m:
                return
            w = m.group(1)
        if w and w not in functions and not w.startswith(("-", ">", "<")):
            found.append((word_line, w))

    while i < n:
        ch = text[i]
        top = stack[-1] if stack else None
        if ch == "\n":
            line += 1
        if top == "'":
            if ch == "'":
                stack.pop()
            else:
                word += ch
            i += 1
            continue
        if top == '"':
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                stack.pop()
            elif text.startswith("$(", i) and not text.startswith("$((", i):
                end_word()
                stack.append("$(")
                at_start = True
                i += 2
                continue
            elif ch == "`":
                stack.append("`")
                at_start = True
            else:
                word += ch
            i += 1
            continue
        if ch == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                line += 1
                i += 2
                continue
            word += text[i + 1]
            i += 2
            continue
        if ch == "#" and not word:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch in "'\"":
            if not word:
                word_line = line
            stack.append(ch)
            i += 1
            continue
        if text.startswith("${", i):  # a parameter expansion is part of its word
            depth, j = 0, i + 1
            while j < n:
                depth += text[j] == "{"
                depth -= text[j] == "}"
                j += 1
                if not depth:
                    break
            word += text[i:j]
            i = j
            continue
        if ch in "<>" or text.startswith("&>", i):
            if re.fullmatch(r"\d+", word):
                word = ""  # a file descriptor's number
            end_word()
            if text.startswith("<<", i) and not text.startswith("<<<", i):
                m = re.match(r"<<-?\s*['\"]?(\w+)['\"]?", text[i:])
                if m:
                    heredocs.append(m.group(1))
                    i += m.end()
                    continue
            while i < n and text[i] in "<>&|":
                i += 1
            while i < n and text[i] in " \t":
                i += 1
            quote = None
            while i < n and (quote or text[i] not in " \t\n;|&)"):  # the target
                if quote and text[i] == quote:
                    quote = None
                elif not quote and text[i] in "'\"":
                    quote = text[i]
                i += 1
            continue
        if text.startswith("$((", i):
            depth, i = 1, i + 3
            while i < n and depth:
                if text.startswith("((", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("))", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
            word += "0"
            continue
        if text.startswith("((", i) and not word:  # (( arithmetic command ))
            j = text.find("))", i)
            line += text.count("\n", i, j)
            i = j + 2 if j >= 0 else n
            at_start = False
            continue
        if text.startswith("$(", i):
            end_word()
            stack.append("$(")
            at_start = True
            i += 2
            continue
        if ch == "`":
            end_word()
            if top == "`":
                stack.pop()
                at_start = False
            else:
                stack.append("`")
                at_start = True
            i += 1
            continue
        if ch == ")" and top == "$(":
            end_word()
            stack.pop()
            at_start = False
            i += 1
            continue
        if ch in " \t":
            end_word()
            i += 1
            continue
        if ch == "\n":
            end_word()
            at_start = True
            for_state = 0
            i += 1
            while heredocs:  # skip the here-documents that start on the next line
                delim = heredocs.pop(0)
                while i < n:
                    j = text.find("\n", i)
                    j = n if j < 0 else j
                    body = text[i:j]
                    line += 1
                    i = j + 1
                    if body.strip() == delim:
                        break
            continue
        if ch in ";&|(){}":
            end_word()
            if ch == ";":
                for_state = 0
            if ch == ")" and in_pattern[0]:
                in_pattern[0] = False
                at_start = True  # the end of a case pattern: a command follows
            elif ch == "|" and in_pattern[0]:
                pass
            elif ch == "(" and not at_start:
                pass  # an array: x=( … )
            else:
                at_start = ch != ")"
            if text.startswith(";;", i):
                in_pattern[0] = True
                i += 2
                continue
            i += 1
            continue
        if not word:
            word_line = line
        word += ch
        i += 1
    end_word()
    return found


# The deps.sh target each Makefile rule's recipe runs under.
MAKE_RULES = {"all": "build", "deps": "build", "build": "build", "web": "build",
              "run": "build", "test": "test", "fuzz": "test", "format": "test",
              "format-check": "test", "clean": "build", "bench": "bench",
              "bench-timetable": "bench", "check-fresh": "fresh"}


def makefile_commands(text):
    """(line, command, target) of every recipe line, by the rule it belongs to."""
    found, rule = [], None
    for n, l in enumerate(text.split("\n"), 1):
        m = re.match(r"^([\w.\-/$()]+)\s*:(?!=)", l)
        if m:
            rule = m.group(1)
            continue
        if not l.startswith("\t") or rule is None:
            continue
        recipe = re.sub(r"\$\$", "$", l[1:].lstrip("@-"))
        recipe = re.sub(r"\$\((\w+)\)", r"$\1", recipe)
        target = MAKE_RULES.get(rule, "build")
        found += [(n, c, target) for _, c in shell_commands(recipe, set())]
    return found


def spawned_commands(text):
    return [(text[: m.start()].count("\n") + 1, m.group(2))
            for m in re.finditer(r"\b(spawn|spawnSync|execFile|execFileSync)\(\s*'([^']+)'", text)]


def commands_of(path, text):
    """(line, command, target) of a file; target None: the file's own (TARGET_OF)."""
    if path == "Makefile":
        return makefile_commands(text)
    if path.endswith(".sh"):
        functions = set(re.findall(r"^\s*([A-Za-z_][\w-]*)\s*\(\)\s*\{", text, re.M))
        return [(n, c, None) for n, c in shell_commands(text, functions)]
    if path.endswith(".mjs"):
        return [(n, c, None) for n, c in spawned_commands(text)]
    return []


def target_of(path):
    for pat, target in TARGET_OF:
        if pat.search(path):
            return target
    return None


def check(files, packages):
    """Every problem as FILE:LINE: message, and the uses for --list."""
    problems, uses = [], {}
    for path, text in files.items():
        file_target = target_of(path)
        if not file_target:
            continue
        for n, cmd, rule_target in commands_of(path, text):
            target = rule_target or file_target
            name = cmd.split("/")[-1] if not cmd.startswith(("scripts/", "bench/")) else cmd
            uses.setdefault(name, set()).add(path)
            pkg = PROVIDERS.get(name)
            if pkg is None:
                problems.append(f"{path}:{n}: '{name}' is not in PROVIDERS of scripts/tools.py: "
                                "which Debian package provides it?")
            elif pkg in BASE or pkg in PREREQUISITES or pkg == "(project)":
                continue
            elif pkg not in packages[target]:
                problems.append(f"{path}:{n}: '{name}' needs the package {pkg}, which "
                                f"scripts/deps.sh does not install for `{target}`")
    return problems, uses


def tracked():
    out = subprocess.run(["git", "ls-files", "scripts/*.sh", "bench/*.sh", "Makefile",
                          "tests/*.mjs"], capture_output=True, text=True, check=True).stdout
    return {p: open(p, encoding="utf-8").read() for p in out.split("\n") if p}


def self_test():
    packages = {"build": {"meson"}, "test": {"meson", "curl"}, "bench": {"meson", "curl"},
                "fresh": set()}
    files = {
        "scripts/test.sh": "set -eu\nX=1 curl -s x | grep y\nfrobnicate --now\nf() { :; }\nf\n",
        "bench/run.sh": "wrk -t2 url\n",
        "tests/api/x.mjs": "execFileSync('pdftoppm', ['a'])\n",
    }
    problems, _ = check(files, packages)
    want = ["'frobnicate' is not in PROVIDERS", "'wrk' needs the package wrk",
            "'pdftoppm' needs the package poppler-utils"]
    missing = [w for w in want if not any(w in p for p in problems)]
    extra = [p for p in problems if not any(w in p for w in want)]
    for w in missing:
        print(f"self-test: not caught: {w}")
    for p in extra:
        print(f"self-test: refused what is allowed: {p}")
    print("tools self-test:", "ok" if not missing and not extra else "FAILED")
    return 0 if not missing and not extra else 1


def main():
    if "--self-test" in sys.argv:
        return self_test()
    problems, uses = check(tracked(), deps_packages())
    if "--list" in sys.argv:
        for name in sorted(uses):
            print(f"{name:16} {PROVIDERS.get(name, '?'):16} {', '.join(sorted(uses[name]))}")
    for p in problems:
        print(p)
    print(f"tools: {len(uses)} commands, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
