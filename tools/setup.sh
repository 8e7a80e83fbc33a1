#!/bin/sh
# Install everything Lull needs from Debian's archive: the packages of
# tools/packages.list, without recommended packages (a fresh machine has
# exactly these; tools/check-install proves nothing more is needed).
# Idempotent: when all is installed it only checks and returns. Run by
# `make setup` (and so by `make run` and `make test`).
set -eu
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e 's/[[:space:]].*//' packages.list); do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
