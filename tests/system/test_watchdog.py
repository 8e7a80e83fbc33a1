"""The per-domain virtual SBSA Generic Watchdog (hypervisor/vdev/vwdt.c):
its registers and timeouts seen by a bare-metal guest (guests/watchdog),
the WS0 interrupt through the virtual GIC, the reset of the domain by WS1,
a countdown that stands still while the domain is suspended (PSCI
SYSTEM_SUSPEND), bad accesses refused with an abort, and Linux's stock
sbsa_gwdt driver feeding it and then being reset by it. Each scenario on
GICv2 and GICv3, each a fresh QEMU."""
import os
import re

import pytest

import lullrig
from conftest import boot, focus

WATCHDOG = lullrig.guest_image("watchdog")
HELLO = lullrig.guest_image("hello")
LINUX = os.path.join(lullrig.BUILD, "linux", "Image")
INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")

EXPIRED = r"domain {}: watchdog expired \(WS1\): resetting the domain"


def wd(name="wd", test="regs", cpus=(1,)):
    return dict(name=name, kernel=WATCHDOG, cpus=list(cpus), memory_mib=32,
                bootargs=f"test={test}")


def failures(r, name="wd"):
    return re.findall(rf"\[{name}\] watchdog: FAIL: (.*)", r.out)


def domain_line(out, name):
    m = re.search(rf"domain \d+ {name}: ([^\n]*)", out)
    assert m, out
    return m.group(1)


@pytest.mark.parametrize("gic", [2, 3])
def test_registers_refresh_ws0_and_reset(rig, gic):
    """The guest, on CPU 1 (CPU 0 runs `hello`, and checks every domain's
    watchdog), checks its device-tree node and registers, refreshes every
    50 ms for 4 x WOR without a timeout, takes the WS0 interrupt, then
    stops refreshing: WS1 resets the domain, which boots a second time
    and finds WS1 kept as the reason, 2 x WOR after its last refresh."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        wd(), dict(name="hello", kernel=HELLO, cpus=[0], memory_mib=32)])
    r.rewind()
    r.expect(r"\[wd\] watchdog: boot 1, test regs, GICv%d, WCS 0x0" % gic)
    r.expect(r"\[wd\] watchdog: device tree: arm,sbsa-gwdt, frames 0x90c0000 0x90d0000, "
             r"SPI 14: ok")
    r.expect(r"\[wd\] watchdog: W_IIDR 0x00100c55 \(product 0x001, architecture version 0, "
             r"implementer 0xc55\)")
    r.expect(r"\[wd\] watchdog: registers: ok")
    r.expect(r"\[wd\] watchdog: refreshed every 50 ms for 2000 ms \(4 x WOR\), \d+ refreshes, "
             r"no timeout: ok", timeout=30)
    r.expect(r"\[wd\] watchdog: WS0 interrupt \(intid 46\) \d+ ms after the last refresh "
             r"\(WOR 500 ms\), WCS 0x3, WCV re-armed \d+ ms ahead: ok", timeout=30)
    r.expect(r"\[wd\] watchdog: no more refreshes: waiting for WS1")
    # While it counts, `domains` shows it (CPU 0 answers between polls).
    line = domain_line(r.command("domains"), "wd")
    assert re.search(r"watchdog (on, WOR 0\.5 s, 0\.\d s to WS[01]|off, 1 reset)", line), line
    r.expect(r"\[wd\] watchdog: WS0 after (\d+) ms", timeout=30)
    r.expect(EXPIRED.format("wd"), timeout=30)
    r.expect(r"domain wd: rebooting")
    m = r.expect(r"\[wd\] watchdog: boot 2: reset by the watchdog \(WCS 0x4\) (\d+) ms after "
                 r"the last refresh \(2 x WOR = 1000 ms\)", timeout=30)
    r.expect(r"\[wd\] watchdog: done \(0 failures\)")
    r.expect(r"domain wd: powered off \(PSCI SYSTEM_OFF\)")
    assert not failures(r), r.tail()
    assert r.out.count("watchdog expired") == 1, r.tail()
    line = domain_line(r.command("domains"), "wd")
    assert line.endswith("watchdog off, 1 reset"), line
    assert "check: PASS (2 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_frozen_while_suspended(rig, gic):
    """WOR 0.5 s (a 1 s timeout), then SYSTEM_SUSPEND woken by the virtual
    timer 3 s later: the countdown stands still while the domain sleeps
    (no WS0, no reset; WCV moved by the time it slept), `domains` shows it
    frozen, and afterwards it still times out and resets the domain. The
    domain runs on CPU 0 itself, beside `hello` on CPU 1."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        wd(test="suspend", cpus=(0,)), dict(name="hello", kernel=HELLO, cpus=[1],
                                             memory_mib=32)])
    r.rewind()
    r.expect(r"\[wd\] watchdog: WOR 500 ms \(timeout 2 x WOR\), SYSTEM_SUSPEND for 3000 ms")
    r.expect(r"domain wd: suspended \(PSCI SYSTEM_SUSPEND\)")
    asleep_line = domain_line(r.command("domains"), "wd")
    asleep = r.pos
    # Its timer wakes it 3 s later; a watchdog that counted on would have
    # reset it after 1 s.
    m = r.expect(r"\[wd\] watchdog: suspended (\d+) ms \(\d+ x WOR\), no timeout, WCS 0x1, "
                 r"WCV moved by \d+ ms, \d+ ms left: ok|" + EXPIRED.format("wd"), timeout=30)
    assert "expired" not in m.group(0), f"the watchdog fired while the domain slept\n{r.tail()}"
    assert not failures(r), r.tail()
    assert asleep_line.startswith("suspended (PSCI SYSTEM_SUSPEND)"), asleep_line
    assert re.search(r"watchdog frozen, WOR 0\.5 s, 0\.\d s to WS0$", asleep_line), asleep_line
    # CPU 0 logs the resume at its next round, after the guest's line.
    r.pos = asleep
    r.expect(r"domain wd: resumed by interrupt 27 ", timeout=30)
    r.expect(r"\[wd\] watchdog: refreshed every 50 ms for 1500 ms \(3 x WOR\), \d+ refreshes, "
             r"no timeout: ok", timeout=30)
    r.expect(r"\[wd\] watchdog: no more refreshes")
    r.expect(EXPIRED.format("wd"), timeout=30)
    r.expect(r"\[wd\] watchdog: boot 2: reset by the watchdog \(WCS 0x4\)", timeout=30)
    r.expect(r"\[wd\] watchdog: done \(0 failures\)")
    assert not failures(r), r.tail()
    assert "check: PASS (2 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_bad_accesses_abort(rig, gic):
    """Unknown offsets and wrong sizes in both frames (and a load pair
    whose second word is reserved):
    each gets an abort and a line from the hypervisor, the watchdog's
    state does not change, and the hypervisor keeps running."""
    r = boot(rig, gic=gic, cpus=2, domains=[wd(test="bad")])
    r.rewind()
    r.expect(r"\[wd\] watchdog: bad accesses: 16 of 16 aborted, state unchanged: ok",
             timeout=30)
    r.expect(r"domain wd: powered off \(PSCI SYSTEM_OFF\)")
    assert not failures(r), r.tail()
    assert len(re.findall(r"\[wd\] watchdog: bad: .*: abort\n", r.out)) == 16, r.tail()
    aborts = re.findall(r"domain wd: vCPU 0: (?:read|write) of \d+ bytes at IPA "
                        r"0x90[cd][0-9a-f]{4} \(pc 0x[0-9a-f]+\) hits nothing it owns; "
                        r"injecting an abort",
                        r.out)
    assert len(aborts) == 15, r.tail()
    # The load pair has no syndrome: decoded, its second word refused.
    assert re.search(r"domain wd: vCPU 0: instruction 0x[0-9a-f]{8} \(LDP, offset\) at pc "
                     r"0x[0-9a-f]+, a read without syndrome at IPA 0x90c0014 \(emulated device "
                     r"at 0x90c0000\): the device refused the second access; injecting an abort",
                     r.out), r.tail()
    assert "check: PASS (2 online, 0 failed)" in r.command("check"), r.tail()


CONFLICTS = [
    ("overlapping-frames", "<0x0 0x90c0000 0x0 0x2000>", "<0x0 0x20 0x4>",
     "'/fake@90c0000' overlaps the virtual watchdog at 0x90c0000"),
    ("its-interrupt", "<0x0 0x9ffe000 0x0 0x1000>", "<0x0 0xe 0x4>",
     "'/fake@9ffe000': interrupt 46 cannot be given away"),
]


@pytest.mark.parametrize("what,reg,irq,message", CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_config_conflicts(rig, what, reg, irq, message):
    """Every domain has the watchdog: a passed-through device may not
    overlap its frames nor take its interrupt (INTID 46)."""
    name = "fake@" + reg.split()[1][2:]
    node = (f"\t{name} {{\n\t\tcompatible = \"test,fake\";\n\t\treg = {reg};\n"
            f"\t\tinterrupts = {irq};\n\t}};")
    r = rig(gic=3, cpus=2, extra_nodes=node, domains=[
        dict(name="a", kernel=HELLO, cpus=[0], memory_mib=32, passthrough=["/" + name])])
    m = r.expect(r"PANIC: (config: [^\n]*)\n", timeout=30)
    assert m.group(1) == f"config: /chosen/lull-domains/domain@0: 'lull,passthrough': {message}", \
        m.group(1)
    assert "Lull ready" not in r.out


# SVE state is not switched yet: Linux runs on a CPU model without it, as
# in test_linux.py.
CPU_MODEL = "cortex-a57"


def type_to(r, name, line, expect, timeout=30):
    focus(r, name)
    r.send(line + "\r")
    return r.expect(expect, timeout)


@pytest.mark.skipif(not os.path.exists(INITRD), reason="no Linux guest: run `make linux-guest`")
@pytest.mark.parametrize("gic", [2, 3])
def test_linux_sbsa_gwdt(rig, gic):
    """Debian's Linux, an ordinary domain with 2 vCPUs on CPUs 1 and 2
    (`hello` on CPU 0), binds its stock sbsa_gwdt driver to the virtual
    watchdog; busybox's watchdog daemon sets a 4 s timeout and feeds it
    for longer than that, and nothing happens; once the daemon is killed
    (no magic close: the watchdog stays armed), WS1 resets the domain
    and Linux boots again, reporting the watchdog as the reason."""
    r = boot(rig, gic=gic, cpus=3, cpu_model=CPU_MODEL, domains=[
        dict(name="linux", kernel=LINUX, initrd=INITRD, cpus=[1, 2], memory_mib=256,
             bootargs="console=ttyAMA0 rdinit=/init"),
        dict(name="hello", kernel=HELLO, cpus=[0], memory_mib=32)])
    r.rewind()
    r.expect(r"\[linux\] lull-linux: init up, 2 CPUs", timeout=120)
    r.expect(r"\[linux\] \[ *[\d.]+\] sbsa-gwdt 90c0000\.watchdog: Initialized with 10s "
             r"timeout @ 62500000 Hz, action=0\.")
    r.expect(r"\[linux\] lull-linux: watchdog SBSA Generic Watchdog, timeout 10 s, "
             r"bootstatus 0\n")
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=30)

    type_to(r, "linux", "lull-watchdog feed 4",
            r"\[linux\] lull-linux: watchdog fed every 1 s, timeout 4 s")
    focus(r, "the hypervisor")
    line = domain_line(r.command("domains"), "linux")
    assert re.search(r"watchdog on, WOR 2\.0 s, [0-2]\.\d s to WS0$", line), line
    # Fed for 2.5 timeouts: no reset.
    type_to(r, "linux", "sleep 10; lull-watchdog status",
            r"\[linux\] lull-linux: watchdog active, timeout 4 s, [0-4] s left", timeout=60)
    assert "watchdog expired" not in r.out, r.tail()

    type_to(r, "linux", "lull-watchdog starve", r"\[linux\] lull-linux: watchdog no longer fed")
    r.expect(EXPIRED.format("linux"), timeout=30)
    r.expect(r"domain linux: rebooting")
    r.expect(r"\[linux\] lull-linux: init up, 2 CPUs", timeout=120)
    r.expect(r"\[linux\] \[ *[\d.]+\] sbsa-gwdt 90c0000\.watchdog: System reset by WDT\.")
    r.expect(r"\[linux\] lull-linux: watchdog SBSA Generic Watchdog, timeout 10 s, "
             r"bootstatus 32\n")
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=30)
    type_to(r, "linux", "echo again-$((40+2))", r"\[linux\] again-42")
    focus(r, "the hypervisor")
    out = r.command("domains")
    assert domain_line(out, "linux").startswith("running"), out
    assert domain_line(out, "linux").endswith("watchdog off, 1 reset"), out
    assert r.out.count("watchdog expired") == 1, r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()
