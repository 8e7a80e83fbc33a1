"""System tests: every scenario boots a fresh QEMU (firmware + hypervisor or
a test payload). The rig firmware's power-loss simulation is always on."""
import itertools
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import lullrig  # noqa: E402

PSCI_PAYLOAD = os.path.join(lullrig.BUILD, "tests", "payloads", "psci_conformance",
                            "psci_conformance.bin")


@pytest.fixture
def rig(tmp_path):
    """Factory: rig(gic=3, cpus=4, ...) -> a booted lullrig.Rig, killed at
    the end of the test."""
    started = []

    def start(**kw):
        d = tmp_path / f"run{len(started)}"
        d.mkdir()
        r = lullrig.Rig(d, **kw)
        started.append(r)
        return r

    yield start
    for r in started:
        r.close()


def boot(rig, gic=3, cpus=4, **kw):
    """Boot the hypervisor and wait for its prompt."""
    r = rig(gic=gic, cpus=cpus, **kw)
    r.expect(r"Lull ready: (\d+)/(\d+) CPUs online", timeout=60)
    r.expect(r"lull> ")
    return r


def focus(r, target):
    """Press Ctrl-A until the console input goes to `target` (a domain
    name, or "the hypervisor")."""
    want = target if target == "the hypervisor" else f"domain {target}"
    for _ in range(8):
        r.send("\x01")
        m = r.expect(r"\[console: input to (the hypervisor|domain \w+);")
        if m.group(1) == want:
            if target == "the hypervisor":
                r.expect(r"lull> ")    # its prompt comes after the notice
            return
    raise AssertionError(f"console input never reached {target}\n{r.tail()}")


_MARKS = itertools.count(1)


def shell(r, line, expect, timeout=30, domain="linux"):
    """Run a command in a Linux domain's shell (the console's focus moved
    to it) and return (exit status, the output up to its marker). The
    marker is its own: the console may show a line of the focused domain
    twice (again whole after another domain's line, console.md). Fails
    unless `expect` (a regex) is in the output."""
    focus(r, domain)
    start = r.pos = len(r.out)
    mark = next(_MARKS)
    r.send(f"{line}; echo \"done {mark} rc=$?\"\r")
    rc = int(r.expect(rf"\[{domain}\] done {mark} rc=(\d+)", timeout).group(1))
    out = r.out[start:r.pos]
    assert re.search(expect, out), f"{line!r}: rc {rc}, expected {expect!r} in:\n{out}"
    return rc, out
