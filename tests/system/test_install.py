"""tools/check-install, which `make test` runs first: it must fail, with
the cause, when a package is missing or when a QEMU machine of ours needs a
file that a fresh install (tools/packages.list without recommended
packages) does not have."""
import os
import subprocess

import lullrig

CHECK = os.path.join(lullrig.ROOT, "tools", "check-install")


def run(*args):
    return subprocess.run([CHECK, *args], capture_output=True, text=True, timeout=120)


def test_check_passes_here():
    p = run()
    assert p.returncode == 0, p.stderr
    assert "every QEMU machine starts" in p.stdout


def test_missing_package_fails_with_its_name(tmp_path):
    lst = tmp_path / "packages.list"
    lst.write_text("make  build\nlull-no-such-package  what it is for\n")
    p = run("--packages", str(lst))
    assert p.returncode == 1
    assert "package lull-no-such-package (what it is for) is not installed" in p.stderr, p.stderr


def test_device_needing_a_rom_fails_with_the_file():
    # A PCI NIC wants efi-virtio.rom (package ipxe-qemu, only recommended
    # by QEMU): caught even where that package is installed.
    p = run("--qemu-extra", "-device virtio-net-pci")
    assert p.returncode == 1
    assert 'failed to find romfile "efi-virtio.rom"' in p.stderr, p.stderr
    assert "test rig, GICv3" in p.stderr and "make run with configs/demo.json" in p.stderr
