#!/bin/bash
# check-fresh.sh — `make check-fresh`: the two commands of the README on a bare Debian 12.
#
# Builds a minimal Debian 12 root (debootstrap --variant=minbase) from this machine's own apt
# sources, gives it this network's CA certificates and npm settings (what any machine here
# would have), clones the commit under test into it, and there — as root, in an environment
# of HOME, PATH and CI only, as a new user would — runs the README's prerequisite commands,
# then `make test`, then `make run`, whose /healthz and / it probes from outside the root.
# Takes minutes; not part of `make test`.
#
# Environment: FRESH_DIR (the root; default a new directory under /var/tmp), KEEP=1 keeps it
# afterwards, FRESH_PORT_BASE (default 28080: make test's ports inside; make run listens on
# base + 100), COMMIT (default HEAD).
set -eu
cd "$(dirname "$0")/.."
REPO=$PWD
COMMIT=$(git rev-parse "${COMMIT:-HEAD}")
BASE=${FRESH_PORT_BASE:-28080}
RUN_PORT=$((BASE + 100))
ROOT=${FRESH_DIR:-$(mktemp -d /var/tmp/peixun-fresh.XXXXXX)}
# A machine's / is 755; mktemp's 700 would keep every account but root out of the whole root
# (PostgreSQL's initdb, run as postgres, could not even be executed there).
chmod 755 "$ROOT"
LOG=$REPO/tests/out/check-fresh
mkdir -p "$LOG"
[ "$(id -u)" = 0 ] || { echo "check-fresh: run as root (debootstrap and chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "check-fresh: debootstrap is missing (scripts/deps.sh fresh)" >&2; exit 1; }

mounted=()
cleanup() {
	# whatever still runs inside the root, then its mounts, then (unless KEEP) the root
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "$pid" 2>/dev/null
	done
	sleep 1
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
	[ "${KEEP:-}" = 1 ] || rm -rf "$ROOT"
}
trap cleanup EXIT

# The machine's Debian mirror: the first URI of its sources (deb822 or one-line form).
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

echo "check-fresh: a minimal Debian 12 in $ROOT (mirror $mirror), commit ${COMMIT:0:12}"
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
	debootstrap --variant=minbase bookworm "$ROOT" "$mirror" >"$LOG/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$LOG/debootstrap.log"; exit 1; }
fi
# This network's settings, as any machine on it has them.
rm -f "$ROOT"/etc/apt/sources.list
cp -a /etc/apt/sources.list.d/*.sources "$ROOT/etc/apt/sources.list.d/" 2>/dev/null ||
	cp -a /etc/apt/sources.list "$ROOT/etc/apt/"
mkdir -p "$ROOT/etc/ssl/certs" "$ROOT/usr/etc" "$ROOT/usr/local/share/ca-certificates"
cp -aL /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/"
# (kept where update-ca-certificates finds them, should a package install ca-certificates)
cp -a /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null || true
[ -f /etc/npmrc ] && cp -a /etc/npmrc "$ROOT/etc/npmrc"
[ -f /usr/etc/npmrc ] && cp -a /usr/etc/npmrc "$ROOT/usr/etc/npmrc"
cp -aL /etc/resolv.conf "$ROOT/etc/resolv.conf"

for m in proc sys dev dev/pts dev/shm; do
	mkdir -p "$ROOT/$m"
	case $m in
	proc) mount -t proc proc "$ROOT/proc" ;;
	sys) mount -t sysfs sys "$ROOT/sys" ;;
	dev/shm) mount -t tmpfs -o mode=1777 shm "$ROOT/dev/shm" ;;
	*) mount --bind "/$m" "$ROOT/$m" ;;
	esac
	mounted+=("$ROOT/$m")
done

# The commit, cloned the way a new user gets it.
rm -rf "$ROOT/root/peixun"
git clone -q "$REPO" "$ROOT/root/peixun"
git -C "$ROOT/root/peixun" checkout -q "$COMMIT"

inside() { # command… — run as root in the fresh root with a bare environment
	chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
		CI=1 PEIXUN_TEST_PORT_BASE="$BASE" /bin/bash -c "$*"
}

# The README's prerequisites, its exact commands.
prereq=$(sed -n '/^<!-- prerequisites -->/,/^<!-- \/prerequisites -->/p' README.md | sed -n '/^```sh/,/^```/p' | sed '1d;$d')
[ -n "$prereq" ] || { echo "check-fresh: README has no prerequisites block" >&2; exit 1; }
echo "check-fresh: the README's prerequisites"
inside "set -e; $prereq" >"$LOG/prerequisites.log" 2>&1 || { tail -n 30 "$LOG/prerequisites.log"; exit 1; }
inside 'node --version; make --version | head -n 1' | tee -a "$LOG/prerequisites.log"

echo "check-fresh: make test (log: tests/out/check-fresh/make-test.log)"
status=0
inside 'cd /root/peixun && make test' >"$LOG/make-test.log" 2>&1 || status=$?
tail -n 25 "$LOG/make-test.log"
[ "$status" = 0 ] || { echo "check-fresh: make test FAILED on the fresh machine"; exit 1; }

echo "check-fresh: make run (listening on 127.0.0.1:$RUN_PORT)"
inside "cd /root/peixun && make run LISTEN=127.0.0.1:$RUN_PORT" >"$LOG/make-run.log" 2>&1 &
ok=0
for _ in $(seq 1 900); do # a build of the release binary comes first
	if curl -sf "http://127.0.0.1:$RUN_PORT/healthz" >"$LOG/healthz.json" 2>/dev/null; then ok=1; break; fi
	sleep 1
done
[ "$ok" = 1 ] || { tail -n 30 "$LOG/make-run.log"; echo "check-fresh: make run did not serve /healthz"; exit 1; }
curl -sf "http://127.0.0.1:$RUN_PORT/" -o "$LOG/index.html" || { echo "check-fresh: / did not answer"; exit 1; }
grep -q '<div id="app"' "$LOG/index.html" || { echo "check-fresh: / is not the web UI"; exit 1; }
echo "check-fresh: /healthz $(cat "$LOG/healthz.json"); / serves the web UI"
echo "check-fresh: PASSED"
