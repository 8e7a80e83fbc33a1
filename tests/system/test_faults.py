"""Firmware fault injection seen from the hypervisor: a failing CPU_ON and
a CPU that never returns are reported, and the system keeps running."""
import re

import pytest

from conftest import boot


@pytest.mark.parametrize("gic", [2, 3])
def test_cpu_on_failure_at_boot(rig, gic):
    r = boot(rig, gic=gic, cpus=4, faults="fail_cpu_on=2")
    assert "cpu2: CPU_ON failed: INTERNAL_FAILURE; system goes on without it" in r.out, r.tail()
    assert "Lull ready: 3/4 CPUs online" in r.out, r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()
    assert re.search(r"cpu2 .* failed .*CPU_ON failed", r.command("cpus")), r.tail()
    assert "cpu2: online" in r.command("cpu on 2"), r.tail()
    assert "check: PASS (4 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_cpu_that_never_returns(rig, gic):
    r = boot(rig, gic=gic, cpus=4, faults="lose_cpu=3")
    assert "cpu3: offline" in r.command("cpu off 3")
    out = r.command("cpu on 3", timeout=60)
    assert "cpu3: did not arrive (AFFINITY_INFO 2); system goes on without it" in out, r.tail()
    assert re.search(r"cpu3 .* failed", r.command("cpus")), r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()
    assert "cpu1: offline" in r.command("cpu off 1")
    assert "cpu1: online" in r.command("cpu on 1")
