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


# QEMU's `max` with SVE, SME, MTE and pointer authentication (the IMPDEF
# algorithm: QARMA5 costs much TCG time; test_linux_boots_on_cpu_model
# takes `max` with all its defaults). docs/guest-cpu.md.
CPU_MODEL = "max,pauth-impdef=on"


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


# Every AArch64 CPU model of QEMU 7.2 that can run the rig (all of them
# can: each has EL2 and EL3 there), `max` with all its defaults (SVE up to
# 2048 bits, SME, MTE, QARMA5 pointer authentication) on both GICs; the
# others alternate between GICv3 and GICv2. SVE: the longest vector
# length the domain gets (the CPU's), which Linux's
# /proc/sys/abi/sve_default_vector_length is clamped to.
CPU_MODELS = [
    ("max", 3, 2048), ("max", 2, 2048), ("a64fx", 2, 512), ("neoverse-n1", 3, 0),
    ("cortex-a76", 2, 0), ("cortex-a72", 3, 0), ("cortex-a57", 2, 0), ("cortex-a53", 3, 0),
    ("cortex-a35", 2, 0),
]


def wait_shells(r, *names):
    for name in names:
        r.rewind()
        r.expect(rf"\[{name}\] /bin/sh: can't access tty", timeout=60)


@pytest.mark.parametrize("model,gic,sve_bits", CPU_MODELS,
                         ids=[f"{m}-gicv{g}" for m, g, _ in CPU_MODELS])
def test_linux_boots_on_cpu_model(rig, model, gic, sve_bits):
    """A Linux hardware domain (2 vCPUs) and an ordinary Linux domain (1
    vCPU) boot to their shells on the model; each sees only what Lull
    virtualises (no PMU, SME, MTE); with SVE both run lull-sve."""
    r = boot(rig, gic=gic, cpus=3, cpu_model=model, domains=[
        linux(hardware=True, passthrough=["/pl031@9010000"]),
        linux(name="guest", cpus=(2,))])
    r.rewind()
    r.expect(r"\[linux\] lull-linux: init up, 2 CPUs", timeout=180)
    r.rewind()
    r.expect(r"\[guest\] lull-linux: init up, 1 CPUs", timeout=180)
    wait_shells(r, "linux", "guest")
    for name in ("linux", "guest"):
        type_to(r, name, "for f in sve sve2 sme mte paca pacg; do grep -qw $f /proc/cpuinfo && "
                "echo has-$f; done; echo feat-done", rf"\[{name}\] feat-done")
        feats = set(re.findall(rf"\[{name}\] has-(\w+)", r.out))
        assert not feats & {"sme", "mte", "mte3"}, f"{model}: {name}: {feats}"
        assert ("sve" in feats) == bool(sve_bits), f"{model}: {name}: {feats}"
        if model.startswith("max"):
            assert {"paca", "pacg"} <= feats, f"{name}: {feats}"
        r.send("[ -e /sys/bus/event_source/devices/armv8_pmuv3_0 ] && echo pmu-yes || "
               "echo pmu-no\r")
        r.expect(rf"\[{name}\] pmu-no")
    if sve_bits:
        for name in ("linux", "guest"):
            # The longest length for new processes (bytes; clamped).
            type_to(r, name, "echo 256 > /proc/sys/abi/sve_default_vector_length; "
                    "echo vl-$(cat /proc/sys/abi/sve_default_vector_length)",
                    rf"\[{name}\] vl-{sve_bits // 8}\b")
            type_to(r, name, "lull-sve 1", rf"\[{name}\] lull-sve: pid \d+, VL {sve_bits} bits,"
                    r" \d+ rounds, 0 errors")
    focus(r, "linux")
    r.send("poweroff -f\r")
    assert r.wait_exit(60) == 0, r.tail()


def test_linux_sve_beside_linux_on_one_cpu(rig):
    """Two Linux domains on `max`, each with one vCPU on physical CPU 1
    (and one more each elsewhere): two lull-sve in each, 8 s, so their
    vector registers cross Linux's and Lull's context switches; no
    errors. The second domain is limited to 512-bit vectors."""
    r = boot(rig, gic=3, cpus=3, cpu_model=CPU_MODEL, domains=[
        linux(hardware=True, cpus=(1, 0)),
        dict(linux(name="guest", cpus=(1, 2)), extra=["lull,sve-max-vl = <512>;"])])
    r.rewind()
    r.expect(r"domain guest: CPU view: SVE 512 bits")
    r.rewind()
    r.expect(r"\[linux\] lull-linux: init up, 2 CPUs", timeout=180)
    r.rewind()
    r.expect(r"\[guest\] lull-linux: init up, 2 CPUs", timeout=180)
    wait_shells(r, "linux", "guest")
    for name in ("linux", "guest"):
        focus(r, name)
        # Two of them, so that Linux switches between them too (one on
        # each vCPU, or both on one).
        r.send("echo 256 > /proc/sys/abi/sve_default_vector_length; echo go-sve; "
               "lull-sve 8 & lull-sve 8; wait\r")
        r.expect(rf"\[{name}\] go-sve")   # the whole line is in before the focus moves
    line = r"lull-sve: pid \d+, VL (\d+) bits, (\d+) rounds, (\d+) errors"
    for name, bits in (("linux", 2048), ("guest", 512)):
        r.rewind()
        r.expect(rf"\[{name}\] {line}", timeout=90)
        r.expect(rf"\[{name}\] {line}", timeout=90)
        got = re.findall(rf"\[{name}\] {line}", r.out)
        assert len(got) == 2, r.tail()
        for vl, rounds, errors in got:
            assert int(vl) == bits and int(errors) == 0 and int(rounds) > 100, got
