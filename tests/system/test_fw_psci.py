"""Rig firmware PSCI conformance: a bare-metal EL2 payload calls every PSCI
function with valid and invalid arguments, checks each return code and
proves the power-loss simulation (see tests/payloads/psci_conformance)."""
import re
import time

import pytest

from conftest import PSCI_PAYLOAD


def run_payload(rig, gic, cpus=2, timeout=120, **kw):
    r = rig(gic=gic, cpus=cpus, payload=PSCI_PAYLOAD, **kw)
    rc = r.wait_exit(timeout)
    fails = re.findall(r"^FAIL: .*$", r.out, re.M)
    m = re.search(r"^RESULT: (\d+) passed, (\d+) failed", r.out, re.M)
    assert m, f"payload did not finish (rc {rc})\n{r.tail()}"
    assert not fails and m.group(2) == "0", "\n".join(fails) + "\n" + r.tail()
    return r, int(m.group(1))


@pytest.mark.parametrize("gic", [2, 3])
def test_psci_conformance(rig, gic):
    r, passed = run_payload(rig, gic)
    # Fewer on GICv2: fewer CPU-interface registers, and no check of
    # pending SGIs before a power-down that waits (QEMU keeps them enabled).
    assert passed >= {2: 190, 3: 206}[gic], r.tail()
    log = r.fw_log()
    # One log line per PSCI call on the secure UART.
    assert "psci: PSCI_VERSION(" in log and "psci: CPU_ON(" in log, log[-2000:]
    assert "system resume: woken by interrupt 34," in log, log[-2000:]
    assert "core power-up: woken by interrupt 3," in log, log[-2000:]
    # Wake-up at once: an enabled wake-up interrupt pending at the call.
    for event, intid in [("core power-up", 3), ("core power-up", 90), ("core power-up", 33),
                         ("system resume", 90), ("system resume", 33)]:
        assert (f"{event}: woken at once by interrupt {intid} (pending at the call)"
                in log), log[-2000:]
    assert "could not be restored" not in log, log[-2000:]


def test_psci_conformance_under_icount(rig):
    """Deterministic instruction counting runs all CPUs on one host thread:
    any busy wait in the firmware would starve the others and hang here."""
    run_payload(rig, 3, icount=True, timeout=300)


@pytest.mark.parametrize("gic", [2, 3])
def test_on_pending_semantics(rig, gic):
    """A core that never comes back (lose_cpu knob) stays ON_PENDING:
    AFFINITY_INFO says so, CPU_ON answers ON_PENDING, SYSTEM_SUSPEND is
    DENIED."""
    r, _ = run_payload(rig, gic, cpus=3, test_mode="pending", faults="lose_cpu=2")
    assert "fault injection: core 2 never comes back" in r.fw_log()


@pytest.mark.parametrize("gic", [2, 3])
def test_fault_knobs(rig, gic):
    r, _ = run_payload(rig, gic, test_mode="faults", faults="fail_cpu_on=1,deny_suspend=1")
    log = r.fw_log()
    assert "fault injection: CPU_ON #1 fails" in log
    assert "fault injection: SYSTEM_SUSPEND #1 denied" in log


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("device", ["uart", "gpio"])
def test_system_suspend_woken_by_device(rig, gic, device):
    """A system suspend ends when a device whose interrupt was enabled at
    suspend time asserts it: a character on the UART, or the power key on
    the PL061 GPIO."""
    intid = {"uart": 33, "gpio": 39}[device]
    r = rig(gic=gic, cpus=2, payload=PSCI_PAYLOAD, test_mode=f"wake-{device}")
    r.expect(f"SUSPENDING until interrupt {intid}")
    for _ in range(100):   # wait until the firmware sleeps, then wake it
        if "system suspend: 1 wake-up interrupt(s) armed" in r.fw_log():
            break
        time.sleep(0.1)
    if device == "uart":
        r.send("x")
    else:
        r.monitor("system_powerdown")
    r.wait_exit(60)
    fails = re.findall(r"^FAIL: .*$", r.out, re.M)
    assert f"woken by interrupt {intid}" in r.out and not fails, "\n".join(fails) + r.tail()
    assert f"system resume: woken by interrupt {intid}" in r.fw_log()


def test_system_reset(rig):
    r = rig(gic=3, cpus=2, payload=PSCI_PAYLOAD, test_mode="reset")
    assert r.wait_exit(60) == 0
    assert "calling SYSTEM_RESET" in r.out, r.tail()
    assert "psci: SYSTEM_RESET" in r.fw_log()
    assert "system reset" in r.fw_log()


def test_unknown_fault_knob_is_refused(rig):
    r = rig(gic=3, cpus=1, payload=PSCI_PAYLOAD, faults="explode=1")
    r.wait_exit(30)
    assert "FIRMWARE PANIC: unknown fault knob" in r.fw_log()
