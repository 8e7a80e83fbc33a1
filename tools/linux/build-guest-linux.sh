#!/bin/sh
# Debian's arm64 Linux kernel and a busybox initramfs for Linux guests.
# Downloads the .debs from the Debian archive (apt-get download), so it
# needs `dpkg --add-architecture arm64` (tools/setup.sh does it).
# Output: $OUT/Image, $OUT/initramfs.cpio.gz
set -eu
OUT=${1:-build/linux}
mkdir -p "$OUT/debs" "$OUT/root"
OUT=$(cd "$OUT" && pwd)
[ -f "$OUT/Image" ] && [ -f "$OUT/initramfs.cpio.gz" ] && [ "$0" -ot "$OUT/initramfs.cpio.gz" ] && exit 0

cd "$OUT/debs"
kernel_pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/ *Depends: \(linux-image-[0-9].*-arm64\).*/\1/p' | head -1)
[ -n "$kernel_pkg" ] || { echo "no linux-image-*-arm64 in the apt lists (run tools/setup.sh)"; exit 1; }
ls ${kernel_pkg}_*.deb >/dev/null 2>&1 || apt-get download "$kernel_pkg:arm64" 2>/dev/null
ls busybox-static_*.deb >/dev/null 2>&1 || apt-get download busybox-static:arm64 2>/dev/null

rm -rf "$OUT/kernel" && mkdir -p "$OUT/kernel"
dpkg-deb -x ${kernel_pkg}_*.deb "$OUT/kernel"
cp "$OUT"/kernel/boot/vmlinuz-* "$OUT/Image"   # an uncompressed arm64 Image

rm -rf "$OUT/root" && mkdir -p "$OUT/root" "$OUT/bb"
dpkg-deb -x busybox-static_*.deb "$OUT/bb"
cd "$OUT/root"
mkdir -p bin sbin dev proc sys tmp
cp "$OUT/bb/bin/busybox" bin/busybox
for t in sh mount echo cat ls sleep mkdir uname poweroff reboot dmesg grep date; do ln -sf busybox "bin/$t"; done
cat > init <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "lull-linux: init up, $(cat /proc/cpuinfo | grep -c ^processor) CPUs"
echo "lull-linux: psci $(cat /sys/firmware/devicetree/base/psci/method 2>/dev/null)"
for r in /sys/class/rtc/rtc*; do [ -e "$r/name" ] && echo "lull-linux: rtc $(cat $r/name)"; done
exec /bin/sh
INIT
chmod +x init
find . | cpio -o -H newc --quiet | gzip -9 > "$OUT/initramfs.cpio.gz"
echo "linux guest: $kernel_pkg, $(stat -c %s "$OUT/Image") byte Image, initramfs ready"
