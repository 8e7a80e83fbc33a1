#!/bin/sh
# Install everything Lull needs from Debian's archive. Idempotent: when all
# is installed it only checks and returns. Run by `make setup` (and so by
# `make run` and `make test`).
set -eu

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

PACKAGES="make gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
device-tree-compiler gdb-multiarch python3 python3-pytest libcmocka-dev cpio gzip"
# Built for the target (arm64), linked into the firmware and hypervisor.
ARM64_PACKAGES="libfdt-dev:arm64"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $PACKAGES $ARM64_PACKAGES; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
