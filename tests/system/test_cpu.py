"""What a guest sees of the CPU (docs/guest-cpu.md), with the `cpu` guest:
SVE and pointer authentication state of vCPUs (and domains) sharing one
physical CPU survives thousands of switches, each vCPU with its own vector
length; the ID registers are the same on every vCPU, with the hidden
features hidden (also what a domain's configuration hides); SME, MTE,
and SVE or pointer authentication where hidden, give UNDEF.

The rig's CPU is QEMU's `max` (SVE up to 2048 bits, SME, MTE, PAuth)."""
import re

import pytest

import lullrig
from conftest import boot

CPU = lullrig.guest_image("cpu")


def domain_lines(r, name):
    return "\n".join(l for l in r.out.splitlines() if l.startswith(f"[{name}]"))


def expect_pass(r, name, timeout=240):
    r.rewind()
    m = r.expect(rf"\[{name}\] (cpu: PASS|cpu: FAIL|guest: unexpected).*", timeout=timeout)
    assert m.group(1) == "cpu: PASS", domain_lines(r, name)
    r.rewind()
    r.expect(rf"domain {name}: powered off \(PSCI SYSTEM_OFF\)", timeout=timeout)
    return re.search(rf"\[{name}\] cpu: ID digest (0x[0-9a-f]+)", r.out).group(1)


@pytest.mark.parametrize("gic", [2, 3])
def test_sve_and_pauth_survive_vcpu_switches(rig, gic):
    """Two vCPUs of one domain share CPU 1 (2048-bit and 1024-bit vector
    lengths by their ZCR_EL1), two domains share CPU 2 (512 and 256 bits
    by their configuration, lull,sve-max-vl); 2000 rounds each, a switch
    in every round."""
    r = boot(rig, gic=gic, cpus=3, domains=[
        dict(name="two", kernel=CPU, cpus=[1, 1], memory_mib=32,
             bootargs="sve=2048 pauth=1 seed=1 rounds=2000 tpidr2=1"),
        dict(name="a", kernel=CPU, cpus=[2], memory_mib=32,
             bootargs="sve=512 pauth=1 seed=2 rounds=2000 tpidr2=1",
             extra=["lull,sve-max-vl = <512>;"]),
        dict(name="b", kernel=CPU, cpus=[2], memory_mib=32,
             bootargs="sve=256 pauth=1 seed=3 rounds=2000 tpidr2=1",
             extra=["lull,sve-max-vl = <256>;"]),
    ])
    r.rewind()
    r.expect(r"domain two: CPU view: SVE 2048 bits, pointer authentication yes")
    r.expect(r"domain a: CPU view: SVE 512 bits")
    r.expect(r"domain b: CPU view: SVE 256 bits")
    for name in ("two", "a", "b"):
        expect_pass(r, name)
    assert re.search(r"\[two\] cpu: vCPU 1: 2000 rounds, vector length 1024 bits", r.out)
    assert re.search(r"\[a\] cpu: vCPU 0: 2000 rounds, vector length 512 bits", r.out)
    assert re.search(r"\[b\] cpu: vCPU 0: 2000 rounds, vector length 256 bits", r.out)
    assert "check: PASS (3 online, 0 failed)" in r.command("check"), r.tail()


def test_hidden_features_are_hidden_and_undefined(rig):
    """lull,cpu-hide = "sve", "pauth", "aes": absent from the ID
    registers, SVE and the keys UNDEF; the same on every vCPU, and the
    same ID registers in two domains with the same configuration; a
    domain without the property still sees SVE and PAuth."""
    hide = ['lull,cpu-hide = "sve", "pauth", "aes";']
    r = boot(rig, gic=3, cpus=3, domains=[
        dict(name="h1", kernel=CPU, cpus=[1, 1, 2], memory_mib=32,
             bootargs="sve=0 pauth=0 aes=0 rounds=300", extra=hide),
        dict(name="h2", kernel=CPU, cpus=[2, 1], memory_mib=32,
             bootargs="sve=0 pauth=0 aes=0 rounds=300 seed=9", extra=hide),
        dict(name="full", kernel=CPU, cpus=[2], memory_mib=32,
             bootargs="sve=2048 pauth=1 rounds=300 seed=5"),
    ])
    r.rewind()
    r.expect(r"domain h1: CPU view: SVE 0 bits, pointer authentication no, hidden by"
             r" configuration: sve pauth aes")
    d1, d2, d3 = (expect_pass(r, n) for n in ("h1", "h2", "full"))
    assert d1 == d2, (d1, d2)
    assert d1 != d3


def test_unknown_hidden_feature_stops_boot(rig):
    r = rig(domains=[dict(name="bad", kernel=CPU, cpus=[1], memory_mib=32,
                          extra=['lull,cpu-hide = "sve", "warp-drive";'])])
    r.expect(r"config: .*domain@0: 'lull,cpu-hide': unknown feature 'warp-drive'")


def test_bad_sve_max_vl_stops_boot(rig):
    r = rig(domains=[dict(name="bad", kernel=CPU, cpus=[1], memory_mib=32,
                          extra=["lull,sve-max-vl = <384>;"])])
    r.expect(r"config: .*domain@0: 'lull,sve-max-vl': 384 is not a power of two")


def test_no_sve_cpu_model(rig):
    """On a CPU without SVE or PAuth (cortex-a57) nothing changes: the
    domain sees neither, and both are UNDEF."""
    r = boot(rig, gic=3, cpus=2, cpu_model="cortex-a57", domains=[
        dict(name="a57", kernel=CPU, cpus=[1, 1], memory_mib=32,
             bootargs="sve=0 pauth=0 rounds=500")])
    r.rewind()
    r.expect(r"domain a57: CPU view: SVE 0 bits, pointer authentication no")
    expect_pass(r, "a57")
