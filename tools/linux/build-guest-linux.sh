#!/bin/sh
# Debian's arm64 Linux kernel and a busybox initramfs for Linux guests.
# Downloads the .debs from the Debian archive (apt-get download), so it
# needs `dpkg --add-architecture arm64` (tools/setup.sh does it).
# Output: $OUT/Image, $OUT/initramfs.cpio.gz
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-build/linux}
mkdir -p "$OUT/debs" "$OUT/root"
OUT=$(cd "$OUT" && pwd)
# Up to date when newer than this script and every source it builds in.
fresh=1
for f in "$0" "$ROOT/tools/lullctl/lullctl.c" "$ROOT/lib/include/lull/ctl_abi.h" \
	"$ROOT/tools/linux/lull-sve.c"; do
	[ "$f" -ot "$OUT/initramfs.cpio.gz" ] || fresh=0
done
[ -f "$OUT/Image" ] && [ -f "$OUT/initramfs.cpio.gz" ] && [ $fresh = 1 ] && exit 0

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
mkdir -p bin sbin dev proc sys tmp lib/modules var/run
cp "$OUT/bb/bin/busybox" bin/busybox
for t in sh mount echo cat ls sleep mkdir uname poweroff reboot dmesg grep date test [ seq wc tail \
	insmod killall watchdog usleep df awk sync rm cp cmp md5sum dd; do
	ln -sf busybox "bin/$t"
done
# The SBSA Generic Watchdog driver (a module in Debian's kernel, with no
# dependencies; uncompressed .ko), for Lull's virtual watchdog.
cp "$OUT"/kernel/lib/modules/*/kernel/drivers/watchdog/sbsa_gwdt.ko lib/modules/
# The disk (a virtio-blk device on virtio-mmio, passed through to the
# hardware domain) and ext4 for /data, in load order (their .modinfo
# depends: ext4 on jbd2, mbcache, crc16; crc32c for checksums).
DISK_MODULES="drivers/virtio/virtio_mmio drivers/block/virtio_blk lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4"
for m in $DISK_MODULES; do
	cp "$OUT"/kernel/lib/modules/*/kernel/$m.ko lib/modules/
done
echo "$DISK_MODULES" | tr ' ' '\n' | sed 's|.*/||' > lib/modules/disk.order
# lull-hotplug N: N offline/online cycles of CPU 1 (PSCI CPU_OFF / CPU_ON).
cat > bin/lull-hotplug <<'SCRIPT'
#!/bin/sh
n=${1:-50}; fail=0
for i in $(seq 1 "$n"); do
	echo 0 > /sys/devices/system/cpu/cpu1/online || fail=$((fail + 1))
	echo 1 > /sys/devices/system/cpu/cpu1/online || fail=$((fail + 1))
done
echo "lull-linux: hotplug $n cycles, $fail failures, online $(cat /sys/devices/system/cpu/online)"
SCRIPT
# lull-suspend MODE N: N suspends to RAM (MODE deep = PSCI SYSTEM_SUSPEND,
# s2idle = idle CPUs), each woken by an RTC alarm 2 s later.
cat > bin/lull-suspend <<'SCRIPT'
#!/bin/sh
mode=${1:-deep}; n=${2:-1}
echo "lull-linux: mem_sleep: $(cat /sys/power/mem_sleep)"
echo "$mode" > /sys/power/mem_sleep || { echo "lull-linux: no $mode"; exit 1; }
for i in $(seq 1 "$n"); do
	echo 0 > /sys/class/rtc/rtc0/wakealarm
	echo +2 > /sys/class/rtc/rtc0/wakealarm
	if echo mem > /sys/power/state; then
		echo "lull-linux: resumed $i ($mode)"
	else
		echo "lull-linux: suspend $i ($mode) failed"
	fi
done
echo "lull-linux: suspend done, $(cat /sys/devices/system/cpu/online) online"
SCRIPT
# lull-watchdog feed T: busybox's watchdog daemon opens /dev/watchdog, sets
# a T-second timeout (WDIOC_SETTIMEOUT) and feeds it every second;
# lull-watchdog starve: the daemon is killed (SIGKILL: no magic close, so
# the watchdog stays armed and expires T s later); lull-watchdog stop: it
# ends with the magic close (SIGTERM), which disarms the watchdog;
# lull-watchdog status: state, timeout and time left.
cat > bin/lull-watchdog <<'SCRIPT'
#!/bin/sh
w=/sys/class/watchdog/watchdog0
status() { echo "lull-linux: watchdog $(cat $w/state), timeout $(cat $w/timeout) s, $(cat $w/timeleft) s left"; }
case "$1" in
feed)
	watchdog -T "${2:-10}" -t 1 /dev/watchdog || exit 1
	sleep 1
	echo "lull-linux: watchdog fed every 1 s, timeout $(cat $w/timeout) s";;
starve)
	killall -KILL watchdog && sleep 1
	echo "lull-linux: watchdog no longer fed";;
stop)
	killall -TERM watchdog && sleep 1
	echo "lull-linux: watchdog stopped: $(cat $w/state)";;
*)
	status;;
esac
SCRIPT
# lull-counter: a workload for suspend tests: "lull-linux: count N" every
# 100 ms, for ever, in the background.
cat > bin/lull-counter <<'SCRIPT'
#!/bin/sh
( i=0; while true; do i=$((i + 1)); echo "lull-linux: count $i"; usleep 100000; done ) &
SCRIPT
chmod +x bin/lull-hotplug bin/lull-suspend bin/lull-watchdog bin/lull-counter
# lullctl: the hypervisor's control channel (tools/lullctl), static, with
# Debian's cross libc; -iquote: Lull's ABI header, not its freestanding libc.
${CROSS:-aarch64-linux-gnu-}gcc -static -O2 -Wall -Wextra -Werror -iquote "$ROOT/lib/include" \
	-o bin/lullctl "$ROOT/tools/lullctl/lullctl.c"
# lull-sve [seconds]: checks its SVE registers across preemption
# (tools/linux/lull-sve.c, freestanding: it makes its system calls
# itself).
${CROSS:-aarch64-linux-gnu-}gcc -static -nostdlib -ffreestanding -O2 -Wall -Wextra -Werror \
	-march=armv8-a+sve -fno-tree-loop-distribute-patterns -o bin/lull-sve "$ROOT/tools/linux/lull-sve.c"
cat > init <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "lull-linux: init up, $(cat /proc/cpuinfo | grep -c ^processor) CPUs"
echo "lull-linux: psci $(cat /sys/firmware/devicetree/base/psci/method 2>/dev/null)"
for r in /sys/class/rtc/rtc*; do [ -e "$r/name" ] && echo "lull-linux: rtc $(cat $r/name)"; done
[ -f /lib/modules/sbsa_gwdt.ko ] && insmod /lib/modules/sbsa_gwdt.ko
# A disk (virtio-blk, passed through; an ext4 file system made by
# tools/lullrig.py make_disk): mounted at /data.
for m in $(cat /lib/modules/disk.order); do insmod /lib/modules/$m.ko 2>/dev/null; done
if [ -b /dev/vda ]; then
	mkdir -p /data
	if mount -t ext4 /dev/vda /data; then
		echo "lull-linux: disk /dev/vda at /data, $(df -k /data | tail -1 | awk '{print $2}') KiB"
	else
		echo "lull-linux: disk /dev/vda has no ext4 file system; not mounted"
	fi
fi
w=/sys/class/watchdog/watchdog0
[ -e /dev/watchdog ] && echo "lull-linux: watchdog $(cat $w/identity), timeout $(cat $w/timeout) s, bootstatus $(cat $w/bootstatus)"
exec /bin/sh
INIT
chmod +x init
find . | cpio -o -H newc --quiet | gzip -9 > "$OUT/initramfs.cpio.gz"
echo "linux guest: $kernel_pkg, $(stat -c %s "$OUT/Image") byte Image, initramfs ready"
