"""Host suspend to RAM (pm/host_suspend.c): the hardware domain's PSCI
SYSTEM_SUSPEND suspends the whole machine through the rig firmware, whose
power-loss simulation destroys everything real silicon loses; everything
must come back. Bare-metal guests (guests/hostsuspend: role=hw, ticker,
pending; guests/suspend as a self-suspended domain), GICv2 and GICv3."""
import re
import time

import pytest

import lullrig
from conftest import boot, focus

HS = lullrig.guest_image("hostsuspend")
SUSPEND = lullrig.guest_image("suspend")
RTC = "/pl031@9010000"
GPIO = "/pl061@9030000"


def hw(bootargs, cpus=(0, 0), passthrough=(RTC,)):
    return dict(name="hw", kernel=HS, cpus=list(cpus), memory_mib=32, hardware=True,
                passthrough=list(passthrough), bootargs="role=hw " + bootargs)


def ticker(cpu, extra=""):
    return dict(name="ticker", kernel=HS, cpus=[cpu], memory_mib=32,
                bootargs=("role=ticker " + extra).strip())


def pending(cpus, intids=None):
    """intids: its distributor's size (lull,vgic-intids); the edge SPI it
    leaves pending is then the highest one."""
    return dict(name="pending", kernel=HS, cpus=list(cpus), memory_mib=32, bootargs="role=pending",
                extra=[f"lull,vgic-intids = <{intids}>;"] if intids else [])


def lines(r, name):
    return "\n".join(l for l in r.out.splitlines() if l.startswith(f"[{name}]"))


def ticks(r):
    """(tick numbers, checksums) the ticker printed so far."""
    found = re.findall(r"\[ticker\] ticker: tick (\d+) sum ([0-9a-f]+)", r.out)
    return [int(k) for k, _ in found], {s for _, s in found}


def expect_ticks_continue(r, more=5):
    """The ticker goes on: `more` new ticks, every tick exactly once, in
    order, its memory checksum never changing."""
    n = len(ticks(r)[0])
    deadline = time.monotonic() + 30
    while len(ticks(r)[0]) < n + more and time.monotonic() < deadline:
        r.command("domains")
    seq, sums = ticks(r)
    assert len(seq) >= n + more, f"the ticker stopped at {seq[-1:]}\n{r.tail()}"
    assert seq == list(range(1, len(seq) + 1)), f"ticks lost or repeated: {seq}\n{r.tail()}"
    assert len(sums) == 1, f"the ticker's memory changed: {sums}"


def phases(r, cycle_out):
    """[(side, lane, name, start_us, failed)] of one `suspend-log` cycle."""
    out = []
    for m in re.finditer(r"\]\s+(suspend|resume)\s+(cpu\d+|firmware|domain \w+)\s+(.+?)\s+at\s+"
                         r"([\d.]+) us,\s+([\d.]+) us(, FAILED)?", cycle_out):
        out.append((m.group(1), m.group(2), m.group(3), float(m.group(4)), bool(m.group(6))))
    return out


def start_of(ph, lane, name, side=None):
    found = [p[3] for p in ph if p[1] == lane and p[2] == name and side in (None, p[0])]
    assert found, f"no phase {lane} {name!r} in {ph}"
    return found[-1]


def resumed_ok(r, k, woken=34):
    m = r.expect(rf"\[hw\] hostsuspend: resumed {k}, woken by (\d+), x0 (\w+), state reset "
                 r"([^\r\n]*)\r?\n", timeout=60)
    assert m.group(2) == "ok" and m.group(3).strip() == "ok", m.group(0)
    if woken is not None:
        assert int(m.group(1)) == woken, m.group(0)


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("ncpus", [1, 2, 4, 8])
def test_machine_suspends_and_resumes(rig, gic, ncpus):
    """Two host suspend cycles woken by the hardware domain's RTC alarm,
    beside a ticking domain (watchdog armed and refreshed) and a domain
    holding an edge SPI, a level SPI held high and an SGI pending: every
    CPU goes offline and comes back, nothing is lost or delivered twice,
    the resume order is hypervisor, hardware domain, the others. With 4
    and 8 CPUs the pending domain's distributor has 1020 INTIDs and its
    edge SPI is INTID 1019."""
    last = ncpus - 1
    intids = 1020 if ncpus >= 4 else None
    r = boot(rig, gic=gic, cpus=ncpus, domains=[
        hw("cycles=2 alarm=1 badinput=1"), ticker(last, "wdt=1"), pending([last, 0], intids)])
    r.rewind()
    r.expect(r"\[hw\] hostsuspend: bad entry point: ok")
    r.expect(r"\[hw\] hostsuspend: entry outside RAM: ok")
    r.expect(r"\[hw\] hostsuspend: sibling on: ok")
    for k in (1, 2):
        resumed_ok(r, k)
    r.expect(r"\[hw\] hostsuspend: done \(2 cycles\)")
    r.rewind()
    m = r.expect(r"\[pending\] pending: after the host suspend \(gap (\d+) ms\): edge (\d+), "
                 r"level (\d+), sgi (\d+) \(edge INTID (\d+)\)", timeout=30)
    assert m.group(2, 3, 4) == ("1", "1", "1"), f"{m.group(0)}\n{lines(r, 'pending')}"
    assert int(m.group(5)) == (1019 if intids else 60), m.group(0)
    expect_ticks_continue(r)
    assert "watchdog expired" not in r.out, r.tail()
    fw = r.fw_log()
    assert fw.count("system resume: woken by interrupt 34") == 2, fw[-2000:]
    # Every other CPU went off and came back through PSCI, every cycle.
    assert fw.count("psci: CPU_OFF") == 2 * last, fw[-2000:]

    log = r.command("suspend-log")
    assert "suspend cycle 2: resumed, woken by interrupt 34" in log, log
    ph = phases(r, log)
    assert not [p for p in ph if p[4]], f"failed phases: {ph}"
    for c in range(1, ncpus):
        assert start_of(ph, f"cpu{c}", f"offline cpu{c}") < start_of(ph, "firmware", "SYSTEM_SUSPEND")
        assert start_of(ph, f"cpu{c}", f"online cpu{c}") > start_of(ph, "cpu0", "resume entry")
    # Suspend in order: domains, wake-up sources, CPUs, devices (watchdogs,
    # UART, timer, GIC), firmware; resume in reverse; the hardware domain
    # re-enters before any other domain runs.
    order = [("cpu0", "pause domains"), ("cpu0", "wake-up sources")]
    order += [("cpu0", n) for n in ("vwdt", "uart", "timer", "gic")]
    order += [("firmware", "SYSTEM_SUSPEND"), ("cpu0", "resume entry")]
    starts = [start_of(ph, *o, side="suspend" if o[1] != "resume entry" else "resume")
              for o in order]
    assert starts == sorted(starts), f"suspend order {list(zip(order, starts))}"
    dev_resume = [p[3] for p in ph if p[0] == "resume" and p[1] == "cpu0" and
                  p[2] in ("gic", "timer", "uart", "vwdt")]
    names = [p[2] for p in ph if p[0] == "resume" and p[1] == "cpu0" and
             p[2] in ("gic", "timer", "uart", "vwdt")]
    assert names == ["gic", "timer", "uart", "vwdt"] and dev_resume == sorted(dev_resume), ph
    hw_in = start_of(ph, "domain hw", "re-entered")
    assert hw_in > start_of(ph, "cpu0", "interrupts restored"), ph
    for other in ("domain ticker", "domain pending"):
        assert start_of(ph, other, "running") >= hw_in, f"{other} ran before the hardware domain"

    stats = r.command("suspend-stats")
    assert "2 cycles, 2 resumed, 0 failed" in stats, stats
    dom = r.command("domains")
    assert len(re.findall(r": running,", dom)) == 3, dom
    assert f"check: PASS ({ncpus} online, 0 failed)" in r.command("check"), r.tail()
    assert "FAIL" not in lines(r, "hw"), lines(r, "hw")
    # Every EL2 control register is Lull's again after the firmware's
    # poisoned resume (CPU 0) and CPU_ON (the others).
    el2 = r.command("el2")
    assert el2.count("el2: ok") == ncpus, el2


def wait_fw(r, text, timeout=30):
    deadline = time.monotonic() + timeout
    while text not in r.fw_log():
        assert time.monotonic() < deadline, f"firmware never logged {text!r}\n{r.tail()}"
        time.sleep(0.1)


@pytest.mark.parametrize("gic", [2, 3])
def test_wakeup_from_another_domains_device(rig, gic):
    """A domain that suspended itself (PSCI SYSTEM_SUSPEND) keeps its GPIO
    power key armed through the host suspend; the key wakes the machine:
    the hypervisor resumes, then the hardware domain re-enters, and only
    then does the sleeping domain wake on its own interrupt."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        hw("cycles=1 alarm=0 delay=1500"), ticker(1),
        dict(name="sleeper", kernel=SUSPEND, cpus=[1], memory_mib=32, passthrough=[GPIO],
             bootargs="wake=gpio")])
    r.rewind()
    r.expect(r"domain sleeper: suspended \(PSCI SYSTEM_SUSPEND\)", timeout=30)
    r.expect(r"domain hw: SYSTEM_SUSPEND: suspending the machine", timeout=30)
    wait_fw(r, "system suspend: 2 wake-up interrupt(s) armed")
    time.sleep(0.5)
    r.monitor("system_powerdown")
    resumed_ok(r, 1, woken=None)
    # The sleeper runs only after the hardware domain re-entered (the phase
    # log checks that below), but its line may be printed before the
    # hardware domain's: search the whole output.
    r.rewind()
    r.expect(r"\[sleeper\] suspend: woken by gpio \(intid 39\), entry x0 ok, state reset ok",
             timeout=30)
    assert "system resume: woken by interrupt 39" in r.fw_log()
    log = r.command("suspend-log")
    assert "woken by interrupt 39" in log, log
    ph = phases(r, log)
    hw_in = start_of(ph, "domain hw", "re-entered")
    assert start_of(ph, "domain sleeper", "running") > hw_in, ph
    assert start_of(ph, "domain ticker", "running") > hw_in, ph
    expect_ticks_continue(r)


@pytest.mark.parametrize("gic", [2, 3])
def test_self_suspended_domain_stays_suspended(rig, gic):
    """The host suspend woken by the hardware domain's RTC leaves a
    self-suspended domain suspended (its wake-ups armed); its own GPIO key
    wakes it afterwards."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        hw("cycles=1 alarm=1 delay=1500"), ticker(1),
        dict(name="sleeper", kernel=SUSPEND, cpus=[1], memory_mib=32, passthrough=[GPIO],
             bootargs="wake=gpio")])
    r.rewind()
    r.expect(r"domain sleeper: suspended \(PSCI SYSTEM_SUSPEND\)", timeout=30)
    resumed_ok(r, 1)
    expect_ticks_continue(r, 3)
    dom = r.command("domains")
    assert re.search(r"domain \d sleeper: suspended", dom), dom
    assert "[sleeper] suspend: woken" not in r.out
    r.monitor("system_powerdown")
    r.expect(r"\[sleeper\] suspend: woken by gpio \(intid 39\), entry x0 ok, state reset ok",
             timeout=30)
    assert r.fw_log().count("system resume:") == 1


@pytest.mark.parametrize("gic", [2, 3])
def test_no_wakeup_source_is_denied(rig, gic):
    """A hardware domain whose only enabled interrupt is its virtual timer
    (no device could wake the machine): SYSTEM_SUSPEND returns DENIED and
    nothing changes."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        hw("cycles=1 vtimer=1", passthrough=()), ticker(1)])
    r.rewind()
    r.expect(r"\[hw\] hostsuspend: suspend 1 returned -3 \(DENIED\)", timeout=30)
    assert "SYSTEM_SUSPEND" not in r.fw_log()
    assert "failed at wake" in r.out, r.tail()
    expect_ticks_continue(r)
    assert "check: PASS (2 online, 0 failed)" in r.command("check")


@pytest.mark.parametrize("gic", [2, 3])
def test_pending_wakeup_resumes_at_once(rig, gic):
    """The hardware domain calls SYSTEM_SUSPEND with its RTC interrupt
    already pending: it re-enters at once at its entry point, the machine
    never goes down; the next suspend is a real one."""
    r = boot(rig, gic=gic, cpus=2, domains=[hw("cycles=2 alarm=1 pendfirst=1"), ticker(1)])
    r.rewind()
    r.expect(r"\[hw\] hostsuspend: the RTC interrupt is pending", timeout=30)
    resumed_ok(r, 1)
    resumed_ok(r, 2)
    fw = r.fw_log()
    assert fw.count("psci: SYSTEM_SUSPEND") == 1, fw[-2000:]
    log = r.command("suspend-log 2")
    assert "wake-up already pending" in log, log


# (fault points in /chosen, firmware knobs, the step that fails, the
# hardware domain's result)
FAULTS = {
    "pause": ("pause", None, "pause", "-3 (DENIED)"),
    "wake": ("wake-sources", None, "wake", "-3 (DENIED)"),
    "cpu-offline": ("cpu-offline=2", None, "cpus", "-3 (DENIED)"),
    "device-vwdt": ("device=vwdt", None, "devices", "-3 (DENIED)"),
    "device-uart": ("device=uart", None, "devices", "-3 (DENIED)"),
    "device-timer": ("device=timer", None, "devices", "-3 (DENIED)"),
    "device-gic": ("device=gic", None, "devices", "-3 (DENIED)"),
    "firmware-denies": (None, "deny_suspend=1", "firmware", "-3 (DENIED)"),
    "cpu-late-on-resume": (None, "late_cpu=2", None, None),
}


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("fault", FAULTS)
def test_fault_rolls_back(rig, gic, fault):
    """Each step of the suspend made to fail: everything done so far is
    undone, the hardware domain's call returns DENIED, every CPU answers,
    every domain runs, and the next suspend succeeds. A CPU that does not
    come back on resume does not stop the resume."""
    points, knobs, step, result = FAULTS[fault]
    r = boot(rig, gic=gic, cpus=3, faults=knobs,
             chosen={"lull,fault-points": points} if points else None,
             domains=[hw("cycles=2 alarm=1 gap=1500"), ticker(1, "wdt=1"), pending([1, 0])])
    r.rewind()
    if result:
        r.expect(rf"\[hw\] hostsuspend: suspend 1 returned {re.escape(result)}", timeout=60)
        assert f"host suspend: failed at {step}" in r.out, r.tail()
        resumed_ok(r, 2)
        online = 3
    else:
        resumed_ok(r, 1)
        resumed_ok(r, 2)
    r.expect(r"\[hw\] hostsuspend: done \(2 cycles\)")
    expect_ticks_continue(r)
    assert "watchdog expired" not in r.out, r.tail()
    stats = r.command("suspend-stats")
    if result:
        assert "2 cycles, 1 resumed, 1 failed" in stats and f"failures at {step}" in stats, stats
    else:
        # CPU 2 came back too late: the resume went on without it, and it
        # parked itself when it arrived; it can be brought back.
        log = r.command("suspend-log 2")
        assert re.search(r"online cpu2 .*FAILED", log), log
        assert "cpu2: online" in r.command("cpu on 2")
        online = 3
    out = r.command("check")
    assert f"check: PASS ({online} online, 0 failed)" in out, out
    dom = r.command("domains")
    assert len(re.findall(r": running,", dom)) == 3, dom


@pytest.mark.parametrize("gic", [2, 3])
def test_cpu_off_on_under_a_running_domain(rig, gic):
    """`cpu off N` / `cpu on N` (the path host suspend uses) under a domain
    running on that CPU: it waits, then goes on; its timer and counter
    are right afterwards (no tick repeated, the next one on time). Also
    `pause`/`unpause` from the console."""
    r = boot(rig, gic=gic, cpus=3, domains=[ticker(2)])
    r.rewind()
    r.expect(r"\[ticker\] ticker: tick 3 ")
    assert "cpu2: offline" in r.command("cpu off 2")
    n = len(ticks(r)[0])
    time.sleep(1.5)
    assert len(ticks(r)[0]) <= n + 1, "the ticker ran on an offline CPU"
    assert "cpu2: online" in r.command("cpu on 2")
    expect_ticks_continue(r)
    assert "paused" in r.command("pause ticker")
    assert re.search(r"domain 0 ticker: paused,", r.command("domains"))
    n = len(ticks(r)[0])
    time.sleep(1.5)
    assert len(ticks(r)[0]) <= n + 1, "a paused domain ran"
    r.command("unpause ticker")
    expect_ticks_continue(r)
    assert "watchdog expired" not in r.out, r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check")
