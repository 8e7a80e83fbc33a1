"""Domains: bare-metal guests built from the configuration, several vCPUs
sharing physical CPUs, isolation, and configuration errors that stop boot
with a message naming the node and property."""
import re

import pytest

import lullrig
from conftest import boot

HELLO = lullrig.guest_image("hello")
ISOLATION = lullrig.guest_image("isolation")
IRQ = lullrig.guest_image("irq")
TIMER = lullrig.guest_image("timer")
PASSTHROUGH = lullrig.guest_image("passthrough")
REBOOT = lullrig.guest_image("reboot")
VGIC_TESTS = lullrig.guest_image("vgic")


@pytest.mark.parametrize("gic", [2, 3])
def test_hello_domain_with_vcpus_sharing_cpus(rig, gic):
    r = boot(rig, gic=gic, cpus=4,
             domains=[dict(name="hello", kernel=HELLO, cpus=[1, 2, 2, 3], memory_mib=32)])
    r.rewind()
    r.expect(r"\[hello\] hello from vCPU 0, device tree at 0x[0-9a-f]+, PSCI 1\.1")
    for i in (1, 2, 3):
        r.expect(rf"\[hello\] hello from vCPU {i}")
    r.expect(r"\[hello\] hello: 4 vCPUs ran; powering off")
    r.expect(r"domain hello: powered off \(PSCI SYSTEM_OFF\)")
    out = r.command("domains")
    assert re.search(r"domain 0 hello: off, 32 MiB at 0x[0-9a-f]+, 4 vCPUs", out), r.tail()
    assert out.count(": off, exits") == 4, r.tail()
    assert "check: PASS (4 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_isolation(rig, gic):
    """A domain touching memory and devices it does not own (among them
    the hardware domain's control channel) gets an abort for each access;
    the hypervisor and the other domain keep running."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        dict(name="bad", kernel=ISOLATION, cpus=[1], memory_mib=32),
        dict(name="hello", kernel=HELLO, cpus=[0, 1], memory_mib=32)])
    r.rewind()
    r.expect(r"\[bad\] isolation: (\d+) aborts; powering off")
    lines = re.findall(r"\[bad\] isolation: (.*): (abort|NO ABORT)", r.out)
    assert len(lines) == 10 and all(v == "abort" for _, v in lines), r.tail()
    r.rewind()      # the two domains run side by side: either may finish first
    r.expect(r"\[hello\] hello: 2 vCPUs ran; powering off")
    assert "check: PASS (2 online, 0 failed)" in r.command("check"), r.tail()
    assert "injecting an abort" in r.out


@pytest.mark.parametrize("gic", [2, 3])
def test_virtual_gic_sgis(rig, gic):
    """Virtual GIC: an SGI to itself, then 100 SGIs to a vCPU sleeping in
    WFI on another physical CPU (trapped ICC_SGI1R_EL1 or GICD_SGIR, list
    registers)."""
    r = boot(rig, gic=gic, cpus=3, domains=[dict(name="irq", kernel=IRQ, cpus=[1, 2],
                                                memory_mib=32)])
    r.rewind()
    r.expect(r"\[irq\] irq: SGI to self: ok \(intid 1\)")
    r.expect(r"\[irq\] irq: 100 SGIs between vCPUs: ok")
    r.expect(r"domain irq: powered off \(PSCI SYSTEM_OFF\)")
    assert "FAIL" not in r.out, r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_virtual_gic_guest_suite(rig, gic):
    """The guest test framework's vGIC suite: priorities, preemption, the
    priority mask, enable, pending and active set/clear, byte access,
    identification, SGIs between vCPUs; on GICv2 also ITARGETSR and the
    per-sender SGI pending state."""
    r = boot(rig, gic=gic, cpus=2, domains=[dict(name="vgic", kernel=VGIC_TESTS, cpus=[1, 0],
                                                  memory_mib=32)])
    r.rewind()
    m = r.expect(r"GTEST SUMMARY: (\d+) passed, (\d+) failed, (\d+) skipped", timeout=60)
    fails = re.findall(r"GTEST (\w+): FAIL: (.*)", r.out)
    assert not fails and m.group(2) == "0", f"{fails}\n{r.tail()}"
    skipped = re.findall(r"GTEST (\w+): SKIP", r.out)
    assert sorted(skipped) == (["passthrough_spi"] if gic == 2 else
                               ["gicv2_sgi_pending_per_sender", "gicv2_targets",
                                "passthrough_spi"]), r.tail()
    assert int(m.group(1)) >= 14, r.tail()
    # The forms emulated without a syndrome log nothing; each refused one
    # (mmio_refused_forms) a line naming the instruction and the reason.
    refused = re.findall(r"domain vgic: vCPU 0: instruction 0x([0-9a-f]{8})(?: \((\w+), ([\w-]+)\))?"
                         r" at pc 0x[0-9a-f]+, a read without syndrome at IPA 0x([0-9a-f]+) "
                         r"\(emulated device at 0x8000000\): ([^;]*); injecting an abort", r.out)
    assert [(f, mode, why) for _, f, mode, _, why in refused] == [
        ("", "", "SIMD&FP load/store"),
        ("", "", "load/store exclusive, ordered or compare-and-swap"),
        ("LDP", "post-index", "the access spans beyond the emulated device")], r.tail()
    assert "hits nothing it owns" not in r.out, r.tail()
    for t in ("mmio_writeback_single", "mmio_pairs", "mmio_sp_base", "mmio_refused_forms",
              "mmio_from_el0", "mmio_through_stage1", "highest_spi_and_beyond"):
        assert f"GTEST {t}: PASS" in r.out, r.tail()


@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("intids", [288, 1020])
def test_virtual_gic_more_intids(rig, gic, intids):
    """lull,vgic-intids: the distributor has that many INTIDs (GICD_TYPER),
    its highest SPI (above 127) is taken after a GICD_ISPENDR write, and
    the INTIDs beyond are RAZ/WI (the guest suite, with the count in its
    bootargs)."""
    r = boot(rig, gic=gic, cpus=2, domains=[dict(
        name="vgic", kernel=VGIC_TESTS, cpus=[1, 0], memory_mib=32,
        bootargs=f"intids={intids // 32 * 32 + (32 if intids % 32 else 0)}",
        extra=[f"lull,vgic-intids = <{intids}>;"])])
    r.rewind()
    m = r.expect(r"GTEST SUMMARY: (\d+) passed, (\d+) failed, (\d+) skipped", timeout=60)
    fails = re.findall(r"GTEST (\w+): FAIL: (.*)", r.out)
    assert not fails and m.group(2) == "0", f"{fails}\n{r.tail()}"
    assert "GTEST highest_spi_and_beyond: PASS" in r.out, r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_virtual_timer(rig, gic):
    """The virtual timer through the virtual GIC: one-shot, masked,
    periodic with WFI between ticks, and WFI ended by the timer alone."""
    r = boot(rig, gic=gic, cpus=2, domains=[dict(name="timer", kernel=TIMER, cpus=[1],
                                                memory_mib=32)])
    r.rewind()
    for what in ("one-shot: ok", "masked: ok", r"periodic with WFI: 20 ticks: ok",
                 "WFI until the timer: ok"):
        r.expect(r"\[timer\] timer: " + what)
    r.expect(r"domain timer: powered off")
    assert "FAIL" not in r.out, r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_domain_system_reset_reboots_it(rig, gic):
    """PSCI SYSTEM_RESET from a domain reboots it from its images; a
    domain's SYSTEM_OFF stops only that domain."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        dict(name="rb", kernel=REBOOT, cpus=[1, 1], memory_mib=32),
        dict(name="hello", kernel=HELLO, cpus=[0], memory_mib=32)])
    r.rewind()
    r.expect(r"\[rb\] reboot: first boot \(dtb 0x([0-9a-f]+)\), SYSTEM_RESET")
    r.expect(r"domain rb: rebooting")
    r.expect(r"\[rb\] reboot: second boot \(dtb 0x[0-9a-f]+\)")
    r.expect(r"domain rb: powered off \(PSCI SYSTEM_OFF\)")
    assert "FAIL" not in r.out, r.tail()
    assert "check: PASS (2 online, 0 failed)" in r.command("check"), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_passed_through_spi(rig, gic):
    """The PL031 RTC passed through: its alarm interrupt reaches the guest
    three times, linked to the physical interrupt (the guest's deactivation
    deactivates it), while another domain runs."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        dict(name="pt", kernel=PASSTHROUGH, cpus=[1], memory_mib=32,
             passthrough=["/pl031@9010000"]),
        dict(name="hello", kernel=HELLO, cpus=[0], memory_mib=32)])
    r.rewind()
    for i in (1, 2, 3):
        r.expect(rf"\[pt\] passthrough: RTC alarm {i} taken", timeout=30)
    r.expect(r"domain pt: powered off")
    out = r.command("irqs")
    assert re.search(r"irq 34\s+passthrough\s+-> cpu1", out), r.tail()


@pytest.mark.parametrize("gic", [2, 3])
def test_many_vcpus_on_one_cpu(rig, gic):
    """Eight vCPUs of one domain and a second domain share one physical
    CPU; all run, the timer guest still gets its ticks."""
    r = boot(rig, gic=gic, cpus=2, domains=[
        dict(name="hello", kernel=HELLO, cpus=[1] * 8, memory_mib=32),
        dict(name="timer", kernel=TIMER, cpus=[1], memory_mib=32)])
    r.rewind()
    r.expect(r"\[hello\] hello: 8 vCPUs ran; powering off", timeout=60)
    r.expect(r"\[timer\] timer: done", timeout=60)
    assert "FAIL" not in r.out, r.tail()


def boot_error(rig, domains, gic=3, cpus=2, extra_nodes=""):
    r = rig(gic=gic, cpus=cpus, domains=domains, extra_nodes=extra_nodes)
    m = r.expect(r"PANIC: (config: [^\n]*)\n", timeout=30)
    assert "Lull ready" not in r.out
    return m.group(1)


def dom(name="a", **kw):
    d = dict(name=name, kernel=HELLO, cpus=[0], memory_mib=32)
    d.update(kw)
    return d


DOMAIN0 = "config: /chosen/lull-domains/domain@0"
DOMAIN1 = "config: /chosen/lull-domains/domain@1"

CONFIG_ERRORS = [
    ("overlapping memory",
     [dom("a", memory_base=0x50000000), dom("b", memory_base=0x50000000)],
     f"{DOMAIN1}: 'lull,memory-base': overlaps another domain's memory"),
    ("memory over the hypervisor",
     [dom("a", memory_base=0x40200000)],
     f"{DOMAIN0}: 'lull,memory-base': overlaps memory the hypervisor or an image uses"),
    ("memory outside RAM", [dom("a", memory_base=0x90000000)],
     f"{DOMAIN0}: 'lull,memory-base': not inside physical RAM"),
    ("memory size not 2 MiB", [dom("a", memory_mib=3)],
     f"{DOMAIN0}: 'lull,memory-size': 0x300000 is not a non-zero multiple of 2 MiB"),
    ("unknown CPU", [dom("a", cpus=[0, 7])],
     f"{DOMAIN0}: 'lull,cpus': vCPU 1: there is no physical CPU 7 (have 2)"),
    ("device given twice",
     [dom("a", passthrough=["/pl031@9010000"]), dom("b", passthrough=["/pl031@9010000"])],
     f"{DOMAIN1}: 'lull,passthrough': '/pl031@9010000' is already given to "
     "/chosen/lull-domains/domain@0"),
    ("unknown device", [dom("a", passthrough=["/nothing@0"])],
     f"{DOMAIN0}: 'lull,passthrough': no device '/nothing@0' in the device tree"),
    ("hypervisor console", [dom("a", passthrough=["/pl011@9000000"])],
     f"{DOMAIN0}: 'lull,passthrough': '/pl011@9000000' is the hypervisor's console"),
    ("missing image", [dom("a", kernel=None)],
     f"{DOMAIN0}: 'lull,kernel': missing (<address size> of the image in memory)"),
    ("image outside RAM", [dom("a", kernel=None,
                               extra=["lull,kernel = /bits/ 64 <0x1000 0x100>;"])],
     f"{DOMAIN0}: 'lull,kernel': image at 0x1000+0x100 is not in RAM"),
    ("two hardware domains", [dom("a", hardware=True), dom("b", hardware=True)],
     f"{DOMAIN1}: 'lull,hardware-domain': a second hardware domain (one at most)"),
    ("vGIC too small", [dom("a", extra=["lull,vgic-intids = <32>;"])],
     f"{DOMAIN0}: 'lull,vgic-intids': 32 is not between 64 and 1020"),
    ("same name twice", [dom("a"), dom("a")],
     f"{DOMAIN1}: 'lull,name': 'a' is already the name of /chosen/lull-domains/domain@0"),
]


@pytest.mark.parametrize("what,domains,message", CONFIG_ERRORS,
                         ids=[c[0].replace(" ", "-") for c in CONFIG_ERRORS])
def test_config_error_stops_boot(rig, what, domains, message):
    got = boot_error(rig, domains)
    assert got == message, f"{what}: got {got!r}"


def test_bad_interrupt_stops_boot(rig):
    """A device whose interrupt is not an SPI cannot be passed through."""
    node = ("\tbogus@9fff000 {\n\t\tcompatible = \"test,bogus\";\n"
            "\t\treg = <0x0 0x9fff000 0x0 0x1000>;\n\t\tinterrupts = <0x1 0x5 0x4>;\n\t};")
    got = boot_error(rig, [dom("a", passthrough=["/bogus@9fff000"])], extra_nodes=node)
    assert got == (f"{DOMAIN0}: 'lull,passthrough': '/bogus@9fff000': only SPIs can be "
                   "passed through"), got


HIGH_SPI_DEVICE = ("\tfake@9fff000 {\n\t\tcompatible = \"test,fake\";\n"
                   "\t\treg = <0x0 0x9fff000 0x0 0x1000>;\n"
                   "\t\tinterrupts = <0x0 0xc8 0x4>;\n\t};")     # SPI 200: INTID 232


@pytest.mark.parametrize("gic", [2, 3])
def test_virtual_gic_sized_by_passthrough(rig, gic):
    """A passed-through device on INTID 232 gives its domain a distributor
    of 256 INTIDs (no configuration needed); the physical SPI is the
    hypervisor's, forwarded and routed to vCPU 0's CPU (IROUTER or
    ITARGETSR above 127); made pending physically (`irq pend`), it reaches
    the guest linked, and the guest's EOI deactivates it; the guest suite
    passes at that size."""
    r = boot(rig, gic=gic, cpus=2, extra_nodes=HIGH_SPI_DEVICE, domains=[dict(
        name="vgic", kernel=VGIC_TESTS, cpus=[1, 0], memory_mib=32,
        bootargs="intids=256 hwspi=232", passthrough=["/fake@9fff000"])])
    r.rewind()
    r.expect(r"\[vgic\] vgic: waiting for SPI 232", timeout=60)
    assert "irq 232 pending" in r.command("irq pend 232"), r.tail()
    m = r.expect(r"GTEST SUMMARY: (\d+) passed, (\d+) failed, (\d+) skipped", timeout=60)
    fails = re.findall(r"GTEST (\w+): FAIL: (.*)", r.out)
    assert not fails and m.group(2) == "0", f"{fails}\n{r.tail()}"
    assert "GTEST passthrough_spi: PASS" in r.out, r.tail()
    # Taken once, on CPU 1 (vCPU 0's), where the guest routed it.
    assert re.search(r"irq 232\s+passthrough\s+-> cpu1\s+counts: 0 1\n", r.command("irqs")), \
        r.tail()


def test_vgic_intids_must_cover_devices(rig):
    got = boot_error(rig, [dom("a", passthrough=["/fake@9fff000"],
                               extra=["lull,vgic-intids = <128>;"])],
                     extra_nodes=HIGH_SPI_DEVICE)
    assert got == (f"{DOMAIN0}: 'lull,vgic-intids': 128 does not cover interrupt 232 of "
                   "'/fake@9fff000'"), got
