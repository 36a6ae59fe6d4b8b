#!/bin/sh
# deps.sh — install what is missing on a Debian 12 machine (run as root, or with sudo).
#
#   scripts/deps.sh [build|run|test|bench|fresh]   (default: test)
#
# Debian packages are checked with dpkg-query and only the missing ones installed; npm
# packages come from the committed package-lock.json files (npm ci). Node.js ≥ 20.19 is
# required by Vite; Debian 12's own nodejs (18) is too old, so it is checked, not installed.
set -eu
what=${1:-test}
cd "$(dirname "$0")/.."

build_pkgs="build-essential meson ninja-build pkg-config python3 libmicrohttpd-dev libjansson-dev
libsqlite3-dev sqlite3 libpq-dev libsodium-dev libxlsxwriter-dev libzip-dev libxml2-dev
libcairo2-dev libpango1.0-dev fonts-noto-cjk libical-dev libqrencode-dev libutf8proc-dev
libcmocka-dev python3-fonttools"
test_pkgs="postgresql chromium clang libclang-rt-14-dev clang-format poppler-utils curl git"
bench_pkgs="nginx wrk"
fresh_pkgs="debootstrap"

case "$what" in
build|run) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_pkgs" ;;
bench) pkgs="$build_pkgs $test_pkgs $bench_pkgs" ;;
fresh) pkgs="curl git $fresh_pkgs" ;;
*) echo "deps.sh: unknown target $what" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The fresh-machine check needs no Node.js of its own: it installs one in its root.
[ "$what" = fresh ] && exit 0

# Node.js for the web build and the API/browser tests.
if ! command -v node >/dev/null 2>&1; then
	echo "deps: Node.js >= 20.19 is needed (the build machines ship it; Debian 12's nodejs 18 is too old)" >&2
	exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
	echo "deps: Node.js $(node --version) is too old; Vite needs >= 20.19" >&2
	exit 1
}
npm_ci() {
	dir=$1
	[ -f "$dir/package-lock.json" ] || return 0
	# Reinstall only when the lock file changed since the last install.
	stamp="$dir/node_modules/.peixun-lock"
	if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
		echo "deps: npm ci in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
		cp "$dir/package-lock.json" "$stamp"
	fi
}
npm_ci web
[ "$what" = build ] || [ "$what" = run ] || npm_ci tests
