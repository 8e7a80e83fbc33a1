"""Physical CPU hotplug with the power-loss simulation on: interrupts
migrate off a CPU going offline, a returning CPU re-creates its per-CPU
set-up from nothing, and one that lacks what the boot CPU chose is parked."""
import re

import pytest

from conftest import boot

CYCLES = 100


@pytest.mark.parametrize("gic", [2, 3])
def test_hundred_cycles_each_cpu(rig, gic):
    r = boot(rig, gic=gic, cpus=4)
    for cpu in (1, 2, 3):
        out = r.command(f"cpu cycle {cpu} {CYCLES}", timeout=300)
        assert f"cycle: cpu{cpu} {CYCLES} cycles done" in out, r.tail()
    out = r.command("check")
    assert "check: PASS (4 online, 0 failed)" in out, r.tail()
    out = r.command("cpus")
    for cpu in (1, 2, 3):
        assert re.search(rf"cpu{cpu} .* online .* onlined {CYCLES + 1}\b", out), r.tail()
    log = r.fw_log()
    assert log.count("psci: CPU_OFF") >= 3 * CYCLES
    # Each re-entered CPU wrote every EL2 control register again: the
    # firmware poisons them at every CPU_ON.
    el2 = r.command("el2")
    assert el2.count("el2: ok") == 4, el2


def test_cycles_under_icount(rig):
    """Under -icount every CPU shares one host thread: a CPU that busy-waits
    for another (instead of WFE/WFI) hangs this test."""
    r = boot(rig, gic=3, cpus=3, icount=True)
    out = r.command("cpu cycle 2 20", timeout=300)
    assert "cycle: cpu2 20 cycles done" in out, r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check", timeout=120), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_interrupt_migrates_off_offlined_cpu(rig, gic):
    r = boot(rig, gic=gic, cpus=4)
    assert "irq 33 routed to cpu3" in r.command("irq route 33 3")
    out = r.command("irqs")
    assert re.search(r"irq 33\s+uart\s+-> cpu3", out), r.tail()
    out = r.command("cpu off 3")
    assert "cpu3: offline (1 interrupt migrated to cpu0)" in out, r.tail()
    # The console (UART interrupt) still works: this command is read.
    out = r.command("irqs")
    assert re.search(r"irq 33\s+uart\s+-> cpu0", out), r.tail()
    assert "cpu3: online" in r.command("cpu on 3")
    assert "check: PASS (4 online, 0 failed)" in r.command("check")


@pytest.mark.parametrize("gic", [2, 3])
def test_incapable_cpu_is_parked(rig, gic):
    r = boot(rig, gic=gic, cpus=4)
    r.command("cpu fake-caps 2 pa=32")
    r.command("cpu off 2")
    out = r.command("cpu on 2")
    assert "cpu2: REJECTED: PA range 32 bits < chosen" in out, r.tail()
    out = r.command("cpus")
    assert re.search(r"cpu2 .* rejected", out), r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()
    r.command("cpu fake-caps 2 clear")
    assert "cpu2: online" in r.command("cpu on 2"), r.tail()
    assert "check: PASS (4 online, 0 failed)" in r.command("check"), r.tail()


def test_boot_cpu_stays_online(rig):
    r = boot(rig, gic=3, cpus=2)
    assert "cpu0 is the boot CPU; it stays online" in r.command("cpu off 0")
