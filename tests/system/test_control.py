"""The control channel and `lullctl` (docs/control-channel.md): the Debian
Linux hardware domain lists, pauses and unpauses another domain and fetches
the host suspend phase log; bad requests get clear errors. (That an
ordinary domain has no channel: test_domains.py::test_isolation.)"""
import json
import os
import re

import pytest

import lullrig
from conftest import boot, focus, shell

LINUX = os.path.join(lullrig.BUILD, "linux", "Image")
INITRD = os.path.join(lullrig.BUILD, "linux", "initramfs.cpio.gz")
TICKER = lullrig.guest_image("hostsuspend")

pytestmark = pytest.mark.skipif(not os.path.exists(INITRD),
                                reason="no Linux guest: run `make linux-guest`")


def ticks(r):
    return [int(k) for k in re.findall(r"\[ticker\] ticker: tick (\d+)", r.out)]


@pytest.mark.parametrize("gic", [2, 3])
def test_lullctl(rig, gic):
    r = boot(rig, gic=gic, cpus=3, cpu_model="cortex-a57", domains=[
        dict(name="linux", kernel=LINUX, initrd=INITRD, cpus=[0, 1], memory_mib=256,
             bootargs="console=ttyAMA0 rdinit=/init", hardware=True,
             passthrough=["/pl031@9010000"]),
        dict(name="ticker", kernel=TICKER, cpus=[2], memory_mib=32, bootargs="role=ticker")])
    r.rewind()
    r.expect(r"\[linux\] /bin/sh: can't access tty", timeout=120)

    rc, out = shell(r, "lullctl list", r"ticker running 0:on")
    assert rc == 0 and re.search(r"\[linux\] linux running hardware 0:(on|powered-down|standby) 1:(on|powered-down|standby)", out), out

    # Pause: the ticker stops at once and stays stopped; list shows it.
    rc, out = shell(r, "lullctl pause ticker", r"lullctl: ticker paused")
    assert rc == 0, out
    stopped_at = ticks(r)[-1]
    rc, out = shell(r, "sleep 1; lullctl list", r"ticker paused 0:on")
    assert ticks(r)[-1] == stopped_at, f"ticks went on while paused: {ticks(r)[-5:]}"
    # Pausing again is no error (it is paused); unpausing twice is.
    assert shell(r, "lullctl pause ticker", r"ticker paused")[0] == 0
    rc, out = shell(r, "lullctl unpause ticker", r"lullctl: ticker unpaused")
    assert rc == 0, out
    r.expect(rf"\[ticker\] ticker: tick {stopped_at + 3}\b", timeout=10)
    seq = ticks(r)
    assert seq == list(range(1, len(seq) + 1)), f"ticks lost or repeated: {seq}"
    rc, out = shell(r, "lullctl unpause ticker", r"'ticker' is not paused")
    assert rc == 1, out

    # Bad requests: a clear message and a non-zero status, nothing changed.
    for line, expect in (("lullctl pause nosuch", r"no domain named 'nosuch'"),
                         ("lullctl pause linux", r"cannot pause itself"),
                         ("lullctl pause averyveryverylongname", r"1 to 15 characters"),
                         ("lullctl frobnicate", r"unknown command"),
                         ("lullctl", r"usage: lullctl list")):
        rc, out = shell(r, line, expect)
        assert rc != 0, (line, out)
    shell(r, "lullctl list", r"ticker running 0:on")

    # The phase log of a host suspend, fetched from Linux as trace JSON.
    shell(r, "lull-suspend deep 1", r"lull-linux: resumed 1 \(deep\)", timeout=60)
    # (The ticker paused meanwhile: no line of its own splits the JSON.)
    rc, out = shell(r, "lullctl pause ticker && lullctl suspend-log /tmp/trace.json && "
                    "cat /tmp/trace.json && lullctl unpause ticker", r"traceEvents")
    assert rc == 0, out
    # The console cuts lines at 128 characters: join them without breaks
    # (the JSON has one event a line and needs no newline between them).
    text = "".join(re.sub(r"^\[linux\] ", "", l) for l in out.splitlines()
                   if l.startswith("[linux] ") and "lullctl" not in l and "done rc" not in l)
    start = text.index("{\"displayTimeUnit\"")
    trace = json.loads(text[start:text.rindex("]}") + 2])
    names = [e["name"] for e in trace["traceEvents"]]
    assert "pause domains" in names and "SYSTEM_SUSPEND" in names and "re-entered" in names, \
        names
    focus(r, "the hypervisor")
    assert "domain ticker: paused by the hardware domain" in r.out
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("reg", ["<0x0 0x90e0000 0x0 0x1000>", "<0x0 0x910f000 0x0 0x1000>"],
                         ids=["registers", "window"])
def test_passthrough_over_the_channel_refused(rig, reg):
    """The channel's addresses are reserved in every domain: a passed-
    through device there stops boot with its message."""
    name = "fake@" + reg.split()[1][2:]
    node = (f"\t{name} {{\n\t\tcompatible = \"test,fake\";\n\t\treg = {reg};\n"
            f"\t\tinterrupts = <0x0 0x20 0x4>;\n\t}};")
    r = rig(gic=3, cpus=2, extra_nodes=node, domains=[
        dict(name="a", kernel=lullrig.guest_image("hello"), cpus=[0], memory_mib=32,
             passthrough=["/" + name])])
    m = r.expect(r"PANIC: (config: [^\n]*)\n", timeout=30)
    assert m.group(1) == ("config: /chosen/lull-domains/domain@0: 'lull,passthrough': "
                          f"'/{name}' overlaps the control channel at 0x90e0000"), m.group(1)
    assert "Lull ready" not in r.out
