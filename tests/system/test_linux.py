"""Debian's arm64 Linux (busybox initramfs) as a domain: boots to its
shell with both vCPUs, sees PSCI and the RTC passed through to it, runs
beside a bare-metal domain, and its power-off powers the machine off."""
import os
import re

import pytest

import lullrig
from conftest import boot, focus

LINUX = os.path.join(lullrig.BUILD, "linux", "Image")
INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")
BOOTARGS = "console=ttyAMA0 rdinit=/init"

pytestmark = pytest.mark.skipif(not os.path.exists(INITRD),
                                reason="no Linux guest: run `make linux-guest`")


def linux(name="linux", cpus=(0, 1), hardware=False, passthrough=()):
    return dict(name=name, kernel=LINUX, initrd=INITRD, cpus=list(cpus), memory_mib=256,
                bootargs=BOOTARGS, hardware=hardware, passthrough=list(passthrough))


def type_to(r, name, line, expect, timeout=30):
    focus(r, name)
    r.send(line + "\r")
    return r.expect(expect, timeout)


# SVE/SME state is not switched yet, so Linux guests run on a CPU model
# without them (on `max` Linux's first SVE access would be refused).
CPU_MODEL = "cortex-a57"


@pytest.mark.parametrize("gic", [2, 3])
def test_linux_hardware_domain_with_a_bare_metal_domain(rig, gic):
    r = boot(rig, gic=gic, cpus=3, cpu_model=CPU_MODEL, domains=[
        linux(hardware=True, passthrough=["/pl031@9010000"]),
        dict(name="hello", kernel=lullrig.guest_image("hello"), cpus=[2], memory_mib=32)])
    r.rewind()
    r.expect(r"\[linux\] lull-linux: init up, 2 CPUs", timeout=120)
    r.rewind()
    r.expect(r"\[linux\] lull-linux: psci hvc")
    r.expect(r"\[linux\] lull-linux: rtc rtc-pl031")
    r.rewind()
    r.expect(r"\[hello\] hello: 1 vCPUs ran; powering off")
    r.expect(r"can't access tty", timeout=30)    # the shell is up
    type_to(r, "linux", "echo shell-$((6*7)) && cat /sys/class/rtc/rtc0/name",
            r"\[linux\] shell-42")
    r.expect(r"\[linux\] rtc-pl031")
    # The RTC's alarm interrupt reaches Linux (passed through, linked to
    # the physical SPI) and is counted once.
    type_to(r, "linux", "echo +1 > /sys/class/rtc/rtc0/wakealarm; sleep 3; "
            "grep pl031 /proc/interrupts", r"\[linux\]\s+\d+:\s+(\d+)\s+(\d+)\s+.*pl031")
    m = re.findall(r"\[linux\]\s+\d+:\s+(\d+)\s+(\d+)\s+.*pl031", r.out)[-1]
    assert int(m[0]) + int(m[1]) == 1, f"RTC interrupts {m}\n{r.tail()}"
    # The hypervisor console still answers (focus back with Ctrl-A).
    focus(r, "the hypervisor")
    dom = r.command("domains")
    assert re.search(r"domain 0 linux \(hardware\): running", dom), r.tail()
    # The hardware domain's power-off powers the machine off.
    focus(r, "linux")
    r.send("poweroff -f\r")
    assert r.wait_exit(60) == 0, r.tail()
    assert "hardware domain off: powering the machine off" in r.out
    assert "psci: SYSTEM_OFF" in r.fw_log()


def test_two_linux_domains(rig):
    """Two Linux domains side by side, each with its console."""
    r = boot(rig, gic=3, cpus=4, cpu_model=CPU_MODEL, domains=[
        linux("linux1", cpus=(0, 1), hardware=True),
        linux("linux2", cpus=(2, 3))])
    r.rewind()
    r.expect(r"\[linux1\] lull-linux: init up, 2 CPUs", timeout=120)
    r.rewind()
    r.expect(r"\[linux2\] lull-linux: init up, 2 CPUs", timeout=120)
    r.expect(r"\[linux2\] /bin/sh: can't access tty", timeout=30)
    type_to(r, "linux2", "echo two-$((20+2))", r"\[linux2\] two-22")
    focus(r, "the hypervisor")
    out = r.command("domains")
    assert "domain 0 linux1 (hardware): running" in out, r.tail()
    assert "domain 1 linux2: running" in out, r.tail()


IDLE_LINE = (r"\[linux\] idle: /sys/devices/system/cpu/cpu(\d+)/cpuidle/state(\d+) "
             r"(\S+) (\d+)\r?\n")


def idle_usage(r):
    """Linux's cpuidle counters: {(cpu, state): (name, usage)}, and the
    cpuidle driver's name."""
    start = r.pos = len(r.out)
    r.send("cat /sys/devices/system/cpu/cpuidle/current_driver; "
           "for d in /sys/devices/system/cpu/cpu[0-9]*/cpuidle/state*; do "
           "echo \"idle: $d $(cat $d/name) $(cat $d/usage)\"; done; echo idle-$((1+1))-done\r")
    end = r.expect(r"\[linux\] idle-2-done")
    text = r.out[start:end.start()]
    driver = re.findall(r"\[linux\] (psci_idle|none)\r?\n", text)
    usage = {(int(c), int(s)): (name, int(n)) for c, s, name, n in re.findall(IDLE_LINE, text)}
    return (driver[-1] if driver else None), usage


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("hardware", [True, False], ids=["hardware", "ordinary"])
def test_linux_hotplug_and_suspend(rig, gic, hardware):
    """Linux with the RTC passed through: 50 CPU hotplug cycles (PSCI
    CPU_OFF/CPU_ON), then suspend to RAM three times ("deep" = PSCI
    SYSTEM_SUSPEND, the domain woken by the RTC alarm's SPI), then s2idle
    twice, and its shell still works; as the hardware domain and as an
    ordinary one, beside a bare-metal domain. All along, Linux's
    cpuidle-psci idles its vCPUs in the two CPU_SUSPEND states the guest
    device tree describes (standby, and power-down with its context lost
    and restored), and their usage counts rise."""
    r = boot(rig, gic=gic, cpus=3, cpu_model=CPU_MODEL, domains=[
        linux(hardware=hardware, passthrough=["/pl031@9010000"]),
        dict(name="hello", kernel=lullrig.guest_image("hello"), cpus=[2], memory_mib=32)])
    r.rewind()
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=120)
    focus(r, "linux")
    driver, before = idle_usage(r)
    assert driver == "psci_idle", r.tail()
    for cpu in (0, 1):
        assert [before.get((cpu, i), ("-",))[0] for i in (1, 2)] == \
            ["cpu-standby", "cpu-power-down"], f"{before}\n{r.tail()}"
    m = type_to(r, "linux", "lull-hotplug 50",
                r"\[linux\] lull-linux: hotplug 50 cycles, (\d+) failures, online (\S+)\r?\n", 120)
    assert m.group(1) == "0" and m.group(2) == "0-1", r.tail()

    r.send("lull-suspend deep 3\r")
    m = r.expect(r"\[linux\] lull-linux: mem_sleep: ([^\r\n]*)\r?\n")
    assert "deep" in m.group(1), r.tail()
    # The hardware domain's SYSTEM_SUSPEND suspends the whole machine; an
    # ordinary domain's only itself.
    suspended = (r"domain linux: SYSTEM_SUSPEND: suspending the machine" if hardware
                 else r"domain linux: suspended \(PSCI SYSTEM_SUSPEND\)")
    for i in (1, 2, 3):
        r.expect(suspended, timeout=30)
        r.expect(rf"\[linux\] lull-linux: resumed {i} \(deep\)", timeout=30)
    r.expect(r"\[linux\] lull-linux: suspend done, 0-1 online", timeout=30)
    # CPU 0 logs the resumes at its next loop round (core/sched.c,
    # report_resumes), so a line may come after Linux's own and cover
    # several resumes ("and earlier resumes"): every one names the RTC.
    woken = re.findall(r"domain linux: resumed by interrupt (\d+) ", r.out)
    assert woken and set(woken) == {"34"}, f"{woken}\n{r.tail()}"

    r.send("lull-suspend s2idle 2\r")
    for i in (1, 2):
        r.expect(rf"\[linux\] lull-linux: resumed {i} \(s2idle\)", timeout=30)
    r.expect(r"\[linux\] lull-linux: suspend done, 0-1 online", timeout=30)
    assert "failed" not in r.out, r.tail()
    r.send("echo after-$((40+2))\r")
    r.expect(r"\[linux\] after-42")
    _, after = idle_usage(r)
    rose = {k: after[k][1] - before[k][1] for k in before if k[1] >= 1 and k in after}
    # Power-down on each vCPU: the state that loses the context.
    assert all(rose[(cpu, 2)] > 0 for cpu in (0, 1)), f"{rose}\n{r.tail()}"

    focus(r, "the hypervisor")
    out = r.command("domains")
    # Three SYSTEM_SUSPENDs; the rest are its idle states (the vCPU is
    # likely in one now).
    m = re.search(r"vcpu0 on cpu0: (?:on|standby|powered-down).*?(\d+) suspends "
                  r"\((\d+) CPU_SUSPEND\)", out)
    assert m and int(m.group(1)) - int(m.group(2)) == 3, r.tail()
    machine = r.fw_log().count("system resume: woken by interrupt 34")
    assert machine == (3 if hardware else 0), f"{machine} machine resumes\n{r.tail()}"
    assert re.search(r"domain 1 hello: off", out), r.tail()
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_linux_suspends_the_machine(rig, gic):
    """The Debian Linux hardware domain's `echo mem > /sys/power/state`
    (deep: PSCI SYSTEM_SUSPEND) suspends the whole machine, five times,
    woken by its RTC alarm, while a second Linux domain counts on its
    console every 100 ms: both go on afterwards, the hardware domain with
    both vCPUs, the counter without a number lost twice or repeated."""
    r = boot(rig, gic=gic, cpus=4, cpu_model=CPU_MODEL, domains=[
        linux(hardware=True, passthrough=["/pl031@9010000"]),
        linux("worker", cpus=(2, 3))])
    r.rewind()
    r.expect(r"\[worker\] /bin/sh: can't access tty", timeout=120)
    r.rewind()
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=120)
    type_to(r, "worker", "lull-counter", r"\[worker\] lull-linux: count 5\b")
    type_to(r, "linux", "lull-suspend deep 5", r"\[linux\] lull-linux: mem_sleep: .*deep")
    for i in range(1, 6):
        r.expect(r"domain linux: SYSTEM_SUSPEND: suspending the machine", timeout=60)
        r.expect(rf"\[linux\] lull-linux: resumed {i} \(deep\)", timeout=60)
    r.expect(r"\[linux\] lull-linux: suspend done, 0-1 online", timeout=60)
    assert r.fw_log().count("system resume: woken by interrupt 34") == 5, r.fw_log()[-2000:]
    # A count may share its console line with the shell's prompt, which
    # the shell prints when lull-counter returns: whichever count is being
    # printed then (the first, or a later one when the vCPU was slow to
    # wake, as from an idle power-down on a busy host), after busybox's
    # cursor-position query (ESC [6n).
    count_re = r"\[worker\] (?:/ # (?:\x1b\[6n)?)?lull-linux: count (\d+)"
    last = int(re.findall(count_re, r.out)[-1])
    r.expect(rf"\[worker\] lull-linux: count {last + 10}\b", timeout=30)
    counts = [int(c) for c in re.findall(count_re, r.out)]
    # (The first line may share the console line with the typed command.)
    assert counts[0] <= 2 and counts == list(range(counts[0], counts[0] + len(counts))), \
        f"counter lost or repeated: {counts}\n" + "\n".join(l for l in r.out.splitlines() if "count" in l)
    type_to(r, "worker", "echo worker-$((40+2))", r"\[worker\] worker-42")
    focus(r, "the hypervisor")
    stats = r.command("suspend-stats")
    assert "5 cycles, 5 resumed, 0 failed" in stats, stats
    assert "check: PASS (4 online, 0 failed)" in r.command("check"), r.tail()
