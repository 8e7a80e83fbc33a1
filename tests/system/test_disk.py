"""The hardware domain's disk: a virtio-blk device on QEMU's last
virtio-mmio transport, passed through to Debian Linux, whose RAM is mapped
1:1 (guest address = physical address: the device's DMA has no IOMMU).
What Linux writes to /data is there after QEMU restarts."""
import os
import re

import pytest

import lullrig
from conftest import boot, focus, shell

LINUX = os.path.join(lullrig.BUILD, "linux", "Image")
INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")

pytestmark = pytest.mark.skipif(not os.path.exists(INITRD),
                                reason="no Linux guest: run `make linux-guest`")


def hwdom(identity=True):
    return dict(name="linux", kernel=LINUX, initrd=INITRD, cpus=[0, 1], memory_mib=256,
                bootargs="console=ttyAMA0 rdinit=/init", hardware=True,
                memory_identity=identity, passthrough=[lullrig.DISK_NODE])


def shell_ok(r, line, expect, timeout=30):
    rc, out = shell(r, line, expect, timeout)
    assert rc == 0, f"{line!r}: exit status {rc}:\n{out}"
    return out


@pytest.mark.parametrize("gic", [2, 3])
def test_disk_outlives_the_machine(rig, tmp_path, gic):
    disk = lullrig.make_disk(str(tmp_path / "disk.img"), 32)
    token = f"lull-{os.getpid()}-{gic}"

    r = boot(rig, gic=gic, cpus=2, cpu_model="cortex-a57", disk=disk, domains=[hwdom()])
    r.rewind()
    r.expect(r"\[linux\] lull-linux: disk /dev/vda at /data, \d+ KiB", timeout=120)
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=60)
    # 1:1: Linux's RAM is where the hypervisor placed it.
    focus(r, "the hypervisor")
    pa = int(re.search(r"domain 0 linux \(hardware\): \w+, 256 MiB at (0x[0-9a-f]+)",
                       r.command("domains")).group(1), 16)
    out = shell_ok(r, "grep 'System RAM' /proc/iomem", r"System RAM")
    assert f"{pa:08x}-" in out, f"RAM at 0x{pa:x} expected in /proc/iomem:\n{out}"
    # A file of 1.2 MiB (many DMA requests; /dev/urandom could block for
    # entropy this early), and its checksum.
    out = shell_ok(r, f"echo {token} > /data/token && seq {gic} 3 600000 > /data/blob && "
                   f"md5sum /data/blob && sync", r"[0-9a-f]{32}", timeout=180)
    digest = re.search(r"\[linux\] ([0-9a-f]{32})  /data/blob", out).group(1)
    r.close()

    # A new machine with the same disk file.
    r = boot(rig, gic=gic, cpus=2, cpu_model="cortex-a57", disk=disk, domains=[hwdom()])
    r.rewind()
    r.expect(r"\[linux\] lull-linux: disk /dev/vda at /data", timeout=120)
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=60)
    shell_ok(r, "cat /data/token", rf"\[linux\] {token}")
    shell_ok(r, "md5sum /data/blob", rf"\[linux\] {digest}  /data/blob", timeout=120)


def test_dma_device_needs_identity_memory(rig, tmp_path):
    """Without an IOMMU a bus master may only go to a 1:1 domain."""
    disk = lullrig.make_disk(str(tmp_path / "disk.img"), 8)
    r = rig(gic=3, cpus=2, disk=disk, domains=[hwdom(identity=False)])
    m = r.expect(r"PANIC: (config: [^\n]*)\n", timeout=30)
    assert m.group(1) == ("config: /chosen/lull-domains/domain@0: 'lull,passthrough': "
                          f"'{lullrig.DISK_NODE}' does DMA: without an IOMMU its domain needs "
                          "lull,memory-identity (guest addresses = physical addresses)"), \
        m.group(1)
