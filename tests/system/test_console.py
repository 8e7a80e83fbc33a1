"""The hypervisor console rejects bad input with a message and changes
nothing."""
import pytest

from conftest import boot

BAD = [
    ("cpu on 99", "error: '99' is not a CPU number (0-3)"),
    ("cpu off x", "error: 'x' is not a CPU number (0-3)"),
    ("cpu off -1", "error: '-1' is not a CPU number (0-3)"),
    ("cpu on 1x", "error: '1x' is not a CPU number (0-3)"),
    ("cpu", "error: usage: cpu on|off N"),
    ("cpu dance 1", "error: usage: cpu on|off N, cpu cycle N COUNT"),
    ("cpu cycle 1 0", "error: cycle count '0' must be 1-100000"),
    ("cpu cycle 1 999999999", "error: cycle count '999999999' must be 1-100000"),
    ("cpu fake-caps 1 pa=99", "error: expected pa=BITS (32-52) or clear, got 'pa=99'"),
    ("irq route 5 0", "error: '5' is not an SPI"),
    ("irq route 40 0", "error: interrupt 40 is not the hypervisor's"),
    ("irq route 33 9", "error: '9' is not a CPU number (0-3)"),
    ("irq move 33 1", "error: usage: irq route INTID CPU"),
    ("frobnicate", "error: unknown command 'frobnicate' (try 'help')"),
    ("help me", "error: usage: help"),
    ("a " * 9, "error: too many arguments"),
    ("x" * 200, "error: line longer than 127 characters ignored"),
]


@pytest.mark.parametrize("gic", [2, 3])
def test_bad_commands_are_rejected(rig, gic):
    r = boot(rig, gic=gic, cpus=4)
    for line, message in BAD:
        out = r.command(line)
        assert message in out, f"{line!r}: expected {message!r}\n{r.tail()}"
    out = r.command("cpus")
    assert out.count(" online ") == 4, r.tail()
    assert "check: PASS (4 online, 0 failed)" in r.command("check"), r.tail()


def test_help_lists_commands(rig):
    r = boot(rig, gic=3, cpus=1)
    out = r.command("help")
    for cmd in ("cpus", "cpu on|off N", "check", "irqs", "irq route INTID CPU", "mem",
                "poweroff", "reset"):
        assert cmd in out, r.tail()
    assert "page pool:" in r.command("mem")
