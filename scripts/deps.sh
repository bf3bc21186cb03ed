#!/bin/sh
# deps.sh - install the Debian packages stepbench builds and tests with.
# Installs what is missing with apt-get when running as root; otherwise prints
# the exact command to run and fails, so nothing half-installs silently.
set -eu

PKGS="gcc make pkg-config libcivetweb-dev libcjson-dev liblmdb-dev check libpcre2-dev libxml2-utils zlib1g-dev nodejs chromium"
[ $# -gt 0 ] && PKGS="$PKGS $*"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "stepbench: missing packages:$missing" >&2
	echo "run: sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "stepbench: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
$cmd >/dev/null
