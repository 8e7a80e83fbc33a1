"""Host suspend soak (make soak, not part of make test): 1000 host
suspend/resume cycles with bare-metal domains, 100 with Linux. Prints the
counts. Everything must survive every cycle: no interrupt lost or
duplicated (each wake-up is taken once, the ticker's ticks are each
printed once), memory intact (the ticker's checksum), no growth of the
hypervisor's page pool use."""
import os
import re
import time

import lullrig
from conftest import boot, focus

HS = lullrig.guest_image("hostsuspend")
LINUX = os.path.join(lullrig.BUILD, "linux", "Image")
INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")
CYCLES = int(os.environ.get("LULL_SOAK_CYCLES", "1000"))
LINUX_CYCLES = int(os.environ.get("LULL_SOAK_LINUX_CYCLES", "100"))


def pool_used(r):
    m = re.search(r"page pool: (\d+) of (\d+) pages free", r.command("mem"))
    return int(m.group(2)) - int(m.group(1))


def test_soak_bare_metal(rig):
    r = boot(rig, gic=3, cpus=4, domains=[
        dict(name="hw", kernel=HS, cpus=[0], memory_mib=32, hardware=True,
             passthrough=["/pl061@9030000"], bootargs=f"role=hw cycles={CYCLES} alarm=0"),
        dict(name="ticker", kernel=HS, cpus=[3], memory_mib=32, bootargs="role=ticker wdt=1"),
        dict(name="ticker2", kernel=HS, cpus=[2, 1], memory_mib=32, bootargs="role=ticker")])
    used = pool_used(r)
    t0 = time.monotonic()
    pressed = 0.0
    for k in range(1, CYCLES + 1):
        # The firmware is asleep once it logged the k-th suspend: press.
        deadline = time.monotonic() + 60
        while r.fw_log().count("system suspend:") < k:
            assert time.monotonic() < deadline, f"no suspend {k}\n{r.tail(60)}"
            r._pump(0.02)
        # QEMU's power key is released 100 ms after a press: a press
        # before that is no new edge.
        time.sleep(max(0.0, pressed + 0.15 - time.monotonic()))
        r.monitor("system_powerdown")
        pressed = time.monotonic()
        if k % 100 == 0:
            print(f"soak: {k} cycles, {time.monotonic() - t0:.0f} s")
    r.rewind()
    r.expect(rf"\[hw\] hostsuspend: done \({CYCLES} cycles\)", timeout=120)
    resumed = re.findall(r"\[hw\] hostsuspend: resumed \d+, woken by (\d+), x0 (\w+), "
                         r"state reset ([^\r\n]*)", r.out)
    bad = [x for x in resumed if x != ("39", "ok", "ok")]
    assert len(resumed) == CYCLES and not bad, f"{len(resumed)} resumes, bad: {bad[:5]}"
    assert r.fw_log().count("system resume: woken by interrupt 39") == CYCLES
    time.sleep(1)
    for name in ("ticker", "ticker2"):
        found = re.findall(rf"\[{name}\] ticker: tick (\d+) sum ([0-9a-f]+)", r.out)
        seq = [int(k) for k, _ in found]
        assert seq == list(range(1, len(seq) + 1)), f"{name}: ticks lost or repeated"
        assert len({s for _, s in found}) == 1, f"{name}: memory changed"
    assert "watchdog expired" not in r.out
    stats = r.command("suspend-stats")
    assert f"{CYCLES} cycles, {CYCLES} resumed, 0 failed" in stats, stats
    assert pool_used(r) == used, "the page pool's use grew"
    assert "check: PASS (4 online, 0 failed)" in r.command("check")
    print(f"soak: bare metal: {CYCLES} cycles resumed, 0 failed, "
          f"{len(seq)} ticks in order, page pool use {used} pages before and after\n{stats}")


def test_soak_linux(rig):
    r = boot(rig, gic=3, cpus=4, cpu_model="cortex-a57", domains=[
        dict(name="linux", kernel=LINUX, initrd=INITRD, cpus=[0, 1], memory_mib=256,
             hardware=True, passthrough=["/pl031@9010000"],
             bootargs="console=ttyAMA0 rdinit=/init"),
        dict(name="ticker", kernel=HS, cpus=[2], memory_mib=32, bootargs="role=ticker")])
    r.rewind()
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=120)
    focus(r, "the hypervisor")
    used = pool_used(r)
    focus(r, "linux")
    r.send(f"lull-suspend deep {LINUX_CYCLES}\r")
    r.expect(r"\[linux\] lull-linux: suspend done, 0-1 online", timeout=LINUX_CYCLES * 10 + 60)
    assert "failed" not in "\n".join(l for l in r.out.splitlines() if "lull-linux" in l)
    resumed = [int(k) for k in re.findall(r"lull-linux: resumed (\d+) \(deep\)", r.out)]
    # The console shows the focused domain's line as it is typed; another
    # domain's line in between makes it show the whole line again when it
    # ends (docs/console.md): the same line twice in a row is one line.
    resumed = [k for i, k in enumerate(resumed) if i == 0 or resumed[i - 1] != k]
    if resumed != list(range(1, LINUX_CYCLES + 1)):
        lines = r.out.splitlines()
        odd = [k for k in set(resumed) if resumed.count(k) != 1]
        where = [i for i, l in enumerate(lines) if any(f"resumed {k} (deep)" in l for k in odd)]
        context = "\n".join("\n".join(lines[max(0, i - 6):i + 3]) + "\n---" for i in where[:4])
        raise AssertionError(f"Linux's resumes are not 1..{LINUX_CYCLES} once each (repeated: "
                             f"{sorted(odd)}; missing: "
                             f"{sorted(set(range(1, LINUX_CYCLES + 1)) - set(resumed))}):\n"
                             f"{context}")
    seq = [int(k) for k in re.findall(r"\[ticker\] ticker: tick (\d+)", r.out)]
    assert seq == list(range(1, len(seq) + 1)), "ticks lost or repeated"
    focus(r, "the hypervisor")
    stats = r.command("suspend-stats")
    assert f"{LINUX_CYCLES} cycles, {LINUX_CYCLES} resumed, 0 failed" in stats, stats
    assert pool_used(r) == used, "the page pool's use grew"
    print(f"soak: Linux: {LINUX_CYCLES} cycles resumed, 0 failed\n{stats}")
