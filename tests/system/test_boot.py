"""Boot matrix: GICv2 and GICv3 with 1, 2, 4 and 8 CPUs, all online, each
CPU answering an IPI and taking its own timer interrupt."""
import re

import pytest

from conftest import boot


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("cpus", [1, 2, 4, 8])
def test_boot_all_cpus_online(rig, gic, cpus):
    r = boot(rig, gic=gic, cpus=cpus)
    assert f"GICv{gic}, {cpus} CPUs" in r.out, r.tail()
    assert f"Lull ready: {cpus}/{cpus} CPUs online, PSCI 1.1" in r.out, r.tail()
    out = r.command("cpus")
    for i in range(cpus):
        assert f"cpu{i} mpidr 0x{i:x} online" in out, r.tail()
    out = r.command("check")
    assert f"check: PASS ({cpus} online, 0 failed)" in out, r.tail()


def test_boot_only_code_is_not_executable_after_boot(rig):
    """Re-entry paths must not run boot-only code: once the system is up the
    boot-only section is mapped non-executable (a stray call would fault),
    and CPUs still come and go."""
    r = boot(rig, gic=3, cpus=2)
    out = r.command("mem")
    m = re.search(r"boot-only code: 0x[0-9a-f]+-0x[0-9a-f]+ \((\d+) KiB\), (.*)", out)
    assert m, r.tail()
    assert int(m.group(1)) > 0 and m.group(2) == "not executable", r.tail()
    out = r.command("cpu cycle 1 3")
    assert "cycle: cpu1 3 cycles done" in out, r.tail()
    assert "check: cpu1 ipi ok timer ok" in out, r.tail()


def test_poweroff_exits_qemu(rig):
    r = boot(rig, gic=3, cpus=2)
    r.send("poweroff\r")
    assert r.wait_exit(30) == 0
    assert "psci: SYSTEM_OFF" in r.fw_log()
