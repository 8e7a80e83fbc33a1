/* Virtual GIC behaviour a guest relies on, on GICv3 and GICv2 alike:
 * delivery order by priority, preemption, the priority mask, enable, the
 * pending/active set and clear registers (Arm IHI 0069, IHI 0048), and
 * each version's own registers. vCPU 0 sends SGIs to itself; vCPU 1 only
 * answers (GICv2 SGI sources). */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "gtest.h"
#include "guest.h"

#define SGI_FRAME gic_private_regs(0)
#define PPI_SPARE 20          /* a PPI nothing drives: only software pends it */
#define SGI_FROM_PEER 12      /* vCPU 1 sends it back to vCPU 0 */
#define SGI_ASK_PEER 13
#define SPI_PEER 45           /* routed to vCPU 1, pended by software */

static volatile unsigned peer_spi_taken;
static volatile bool peer_release;

static volatile unsigned last_source = 0xff;

static volatile unsigned order[8], norder;
static volatile bool nest_high_sent;

static void record(unsigned intid)
{
	if (norder < 8)
		order[norder++] = intid;
}

static void peer_irq(void);

static unsigned me(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

static void on_irq(void)
{
	uint32_t iar;
	unsigned intid;

	if (me() == 1) {
		peer_irq();
		return;
	}
	iar = gic_ack();
	intid = gic_intid(iar);
	if (intid >= 1020)
		return;
	if (intid < 16)
		last_source = (iar >> 10) & 7;
	if (intid == 6 && !nest_high_sent) {
		/* Low priority handler: raise a higher one and let it preempt. */
		nest_high_sent = true;
		gic_send_sgi(0, 7);
		irq_enable();
		for (unsigned i = 0; i < 100000 && norder == 0; i++)
			;
		irq_disable();
	}
	record(intid);
	gic_eoi(iar);
}

static void reset_order(void)
{
	norder = 0;
	for (unsigned i = 0; i < 8; i++)
		order[i] = 0;
}

static void settle(void)
{
	for (unsigned i = 0; i < 200000; i++)
		(void)read_sysreg(cntvct_el0);
}

static bool bit(uintptr_t reg, unsigned n)
{
	return (mmio_read32(reg) >> n) & 1;
}

GTEST(sgi_to_self)
{
	reset_order();
	gic_enable(0, 3, 0x80);
	gic_send_sgi(0, 3);
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == 3, "took %u interrupts, first %u", norder, order[0]);
}

GTEST(priority_order)
{
	reset_order();
	gic_enable(0, 4, 0xa0);
	gic_enable(0, 5, 0x40);
	irq_disable();
	gic_send_sgi(0, 4);
	gic_send_sgi(0, 5);
	settle();
	irq_enable();
	settle();
	GTEST_EXPECT(norder == 2 && order[0] == 5 && order[1] == 4,
		     "order %u,%u (want 5 then 4), %u taken", order[0], order[1], norder);
}

GTEST(preemption_by_higher_priority)
{
	reset_order();
	nest_high_sent = false;
	gic_enable(0, 6, 0xa0);
	gic_enable(0, 7, 0x40);
	gic_send_sgi(0, 6);
	settle();
	GTEST_EXPECT(norder == 2 && order[0] == 7 && order[1] == 6,
		     "completion order %u,%u (want 7 inside 6)", order[0], order[1]);
}

GTEST(priority_mask_holds_back)
{
	reset_order();
	gic_enable(0, 8, 0x80);
	gic_set_priority_mask(0x60);
	gic_send_sgi(0, 8);
	settle();
	GTEST_EXPECT(norder == 0, "taken through a priority mask of 0x60");
	gic_set_priority_mask(0xff);
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == 8, "not taken after unmasking");
}

GTEST(disabled_is_not_taken)
{
	reset_order();
	mmio_write32(SGI_FRAME + GICD_ICENABLER, 1U << 9);
	gic_send_sgi(0, 9);
	settle();
	GTEST_EXPECT(norder == 0, "a disabled SGI was taken");
	GTEST_EXPECT(bit(SGI_FRAME + GICD_ISPENDR, 9), "not pending while disabled");
	gic_enable(0, 9, 0x80);
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == 9, "not taken once enabled");
}

GTEST(pending_set_and_clear)
{
	reset_order();
	gic_enable(0, PPI_SPARE, 0x80);
	irq_disable();
	mmio_write32(SGI_FRAME + GICD_ISPENDR, 1U << PPI_SPARE);
	GTEST_EXPECT(bit(SGI_FRAME + GICD_ISPENDR, PPI_SPARE), "ISPENDR did not set pending");
	mmio_write32(SGI_FRAME + GICD_ICPENDR, 1U << PPI_SPARE);
	GTEST_EXPECT(!bit(SGI_FRAME + GICD_ISPENDR, PPI_SPARE), "ICPENDR did not clear pending");
	irq_enable();
	settle();
	GTEST_EXPECT(norder == 0, "a cleared interrupt was taken");
	mmio_write32(SGI_FRAME + GICD_ISPENDR, 1U << PPI_SPARE);
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == PPI_SPARE, "a set-pending interrupt was not taken");
	GTEST_EXPECT(!bit(SGI_FRAME + GICD_ISPENDR, PPI_SPARE), "still pending after it was taken");
}

GTEST(active_set_and_clear)
{
	mmio_write32(SGI_FRAME + GICD_ISACTIVER, 1U << 11);
	GTEST_EXPECT(bit(SGI_FRAME + GICD_ISACTIVER, 11), "ISACTIVER did not set active");
	mmio_write32(SGI_FRAME + GICD_ICACTIVER, 1U << 11);
	GTEST_EXPECT(!bit(SGI_FRAME + GICD_ISACTIVER, 11), "ICACTIVER did not clear active");
}

static const void *boot_dtb;

/* INTIDs the configuration gave the domain (bootargs intids=N), or the
 * default. */
static unsigned want_intids(void)
{
	return (unsigned)guest_dt_bootarg(boot_dtb, "intids", 128);
}

GTEST(distributor_identification)
{
	uint32_t typer = mmio_read32(GUEST_GICD + GICD_TYPER);

	GTEST_EXPECT(((typer & 0x1f) + 1) * 32 == want_intids(), "TYPER lines %u, want %u",
		     ((typer & 0x1f) + 1) * 32, want_intids());
	if (gic_version() == 3) {
		GTEST_EXPECT(((mmio_read32(GUEST_GICD + 0xffe8) >> 4) & 0xf) == 3, "PIDR2 is not GICv3");
		GTEST_EXPECT(mmio_read64(GUEST_GICR + GICR_TYPER) >> 32 == 0, "GICR_TYPER affinity");
		GTEST_EXPECT(mmio_read64(GUEST_GICR + GICR_FRAME_SIZE + GICR_TYPER) & GICR_TYPER_LAST,
			     "the last redistributor is not marked Last");
	} else {
		GTEST_EXPECT(((typer >> 5) & 7) == 1, "TYPER CPUNumber %u, want 1 (2 vCPUs)",
			     (typer >> 5) & 7);
	}
}

GTEST(priority_byte_and_word_access)
{
	uintptr_t prio = GUEST_GICD + GICD_IPRIORITYR + 40;

	mmio_write32(prio, 0x10203040);
	GTEST_EXPECT(mmio_read8(prio + 1) == 0x30, "byte 1 reads 0x%x", mmio_read8(prio + 1));
	mmio_write8(prio + 2, 0xff);
	/* Five priority bits implemented: the low three read as zero. */
	GTEST_EXPECT(mmio_read32(prio) == 0x10f83040, "word reads 0x%x", mmio_read32(prio));
}

/* GICv2 only: ITARGETSR (banked for 0-31, byte access), SGIs per sender. */
GTEST(gicv2_targets)
{
	uintptr_t targets = GUEST_GICD + GICD_ITARGETSR;

	if (gic_version() != 2)
		GTEST_SKIP("GICv3 guest");
	GTEST_EXPECT(mmio_read8(targets + 3) == 1, "ITARGETSR of an SGI reads 0x%x, want vCPU 0",
		     mmio_read8(targets + 3));
	mmio_write8(targets + 41, 2);
	GTEST_EXPECT(mmio_read8(targets + 41) == 2, "SPI 41 target reads 0x%x", mmio_read8(targets + 41));
	mmio_write8(targets + 41, 0xff);
	GTEST_EXPECT(mmio_read8(targets + 41) == 3, "targets beyond the 2 vCPUs kept: 0x%x",
		     mmio_read8(targets + 41));
}

GTEST(gicv2_sgi_pending_per_sender)
{
	uintptr_t spend = GUEST_GICD + 0xf20, cpend = GUEST_GICD + 0xf10;

	if (gic_version() != 2)
		GTEST_SKIP("GICv3 guest");
	reset_order();
	gic_enable(0, 14, 0x80);
	irq_disable();
	mmio_write8(spend + 14, 0x2);            /* as if vCPU 1 sent it */
	GTEST_EXPECT(mmio_read8(spend + 14) == 0x2, "SPENDSGIR reads 0x%x", mmio_read8(spend + 14));
	GTEST_EXPECT(bit(GUEST_GICD + GICD_ISPENDR, 14), "ISPENDR does not show it");
	mmio_write8(cpend + 14, 0x2);
	GTEST_EXPECT(mmio_read8(spend + 14) == 0, "CPENDSGIR did not clear it");
	mmio_write8(spend + 14, 0x2);
	irq_enable();
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == 14 && last_source == 1,
		     "%u taken, source %u (want SGI 14 from vCPU 1)", norder, last_source);
}

GTEST(sgi_from_another_vcpu)
{
	reset_order();
	gic_enable(0, SGI_FROM_PEER, 0x80);
	gic_send_sgi(1, SGI_ASK_PEER);
	for (unsigned i = 0; i < 50 && norder == 0; i++)
		settle();
	GTEST_EXPECT(norder == 1 && order[0] == SGI_FROM_PEER, "no answer from vCPU 1");
	if (gic_version() == 2)
		GTEST_EXPECT(last_source == 1, "GICC_IAR source %u, want 1", last_source);
}

/* A level SPI active in vCPU 1's handler (in its list register, vCPU 1
 * running on another CPU) is set pending again by vCPU 0: the write must
 * not be lost, and vCPU 1 takes it a second time once it completes the
 * first. */
GTEST(pend_while_active_on_another_vcpu)
{
	uintptr_t ispendr = GUEST_GICD + GICD_ISPENDR + (SPI_PEER / 32) * 4;

	peer_spi_taken = 0;
	peer_release = false;
	gic_enable(1, SPI_PEER, 0x80);
	mmio_write32(ispendr, 1U << (SPI_PEER % 32));
	for (unsigned i = 0; i < 50 && peer_spi_taken == 0; i++)
		settle();
	GTEST_EXPECT(peer_spi_taken == 1, "vCPU 1 did not take the SPI (%u)", peer_spi_taken);
	mmio_write32(ispendr, 1U << (SPI_PEER % 32));
	settle();
	peer_release = true;
	for (unsigned i = 0; i < 50 && peer_spi_taken < 2; i++)
		settle();
	GTEST_EXPECT(peer_spi_taken == 2, "the second pend was lost: taken %u times",
		     peer_spi_taken);
	settle();
	GTEST_EXPECT(peer_spi_taken == 2, "taken %u times, want 2", peer_spi_taken);
	mmio_write32(GUEST_GICD + GICD_ICENABLER + (SPI_PEER / 32) * 4, 1U << (SPI_PEER % 32));
}

/* The highest SPI the distributor has, enabled, routed to vCPU 0 and made
 * pending by a GICD_ISPENDR write, is taken; the first INTID beyond it
 * (and one far beyond) is RAZ/WI in every register (IHI 0069 12.9,
 * IHI 0048 4.3.2). */
GTEST(highest_spi_and_beyond)
{
	unsigned lines = GICD_TYPER_LINES(mmio_read32(GUEST_GICD + GICD_TYPER));
	unsigned top = (lines > 1020 ? 1020 : lines) - 1, beyond[2] = { lines, 1019 };
	uintptr_t d = GUEST_GICD;

	reset_order();
	if (gic_version() == 3)
		mmio_write64(d + GICD_IROUTER + 8 * top, 0);
	else
		mmio_write8(d + GICD_ITARGETSR + top, 1);
	gic_enable(0, top, 0x80);
	GTEST_EXPECT(mmio_read8(d + GICD_IPRIORITYR + top) == 0x80, "priority of %u reads 0x%x",
		     top, mmio_read8(d + GICD_IPRIORITYR + top));
	mmio_write32(d + GICD_ISPENDR + top / 32 * 4, 1U << (top % 32));
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == top, "SPI %u: %u taken, first %u", top, norder,
		     order[0]);
	mmio_write32(d + GICD_ICENABLER + top / 32 * 4, 1U << (top % 32));
	for (unsigned k = 0; k < 2; k++) {
		unsigned n = beyond[k];

		if (n >= 1020 || n < lines)
			continue;
		mmio_write32(d + GICD_ISENABLER + n / 32 * 4, ~0U);
		mmio_write32(d + GICD_ISPENDR + n / 32 * 4, ~0U);
		mmio_write8(d + GICD_IPRIORITYR + n, 0x80);
		mmio_write32(d + GICD_ICFGR + n / 16 * 4, ~0U);
		GTEST_EXPECT(mmio_read32(d + GICD_ISENABLER + n / 32 * 4) == 0 &&
			     mmio_read32(d + GICD_ISPENDR + n / 32 * 4) == 0 &&
			     mmio_read8(d + GICD_IPRIORITYR + n) == 0 &&
			     mmio_read32(d + GICD_ICFGR + n / 16 * 4) == 0,
			     "INTID %u beyond the %u lines is not RAZ/WI", n, lines);
		if (gic_version() == 3) {
			mmio_write64(d + GICD_IROUTER + 8 * n, 1);
			GTEST_EXPECT(mmio_read64(d + GICD_IROUTER + 8 * n) == 0,
				     "IROUTER of %u is not RAZ/WI", n);
		} else {
			mmio_write8(d + GICD_ITARGETSR + n, 1);
			GTEST_EXPECT(mmio_read8(d + GICD_ITARGETSR + n) == 0,
				     "ITARGETSR of %u is not RAZ/WI", n);
		}
	}
	settle();
	GTEST_EXPECT(norder == 1, "%u interrupts taken", norder);
}

/* A passed-through SPI (bootargs hwspi=N, a device the test places on a
 * high INTID): routed to vCPU 0 and enabled, it arrives once the test
 * makes the physical SPI pending (`irq pend N` at the hypervisor's
 * console), linked to it: the guest's EOI deactivates both. */
GTEST(passthrough_spi)
{
	unsigned spi = (unsigned)guest_dt_bootarg(boot_dtb, "hwspi", 0);

	if (!spi)
		GTEST_SKIP("no passed-through SPI (bootargs hwspi=N)");
	reset_order();
	gic_enable(0, spi, 0x80);
	gprintf("vgic: waiting for SPI %u\n", spi);
	for (unsigned i = 0; i < 2000 && norder == 0; i++)
		settle();
	GTEST_EXPECT(norder == 1 && order[0] == spi, "SPI %u: %u taken, first %u", spi, norder,
		     order[0]);
	settle();
	GTEST_EXPECT(norder == 1, "taken %u times", norder);
	mmio_write32(GUEST_GICD + GICD_ICENABLER + spi / 32 * 4, 1U << (spi % 32));
}

/* vCPU 1: answer SGI_ASK_PEER with SGI_FROM_PEER. */
static void peer_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid >= 1020)
		return;
	if (intid == SGI_ASK_PEER)
		gic_send_sgi(0, SGI_FROM_PEER);
	if (intid == SPI_PEER && ++peer_spi_taken == 1)
		while (!peer_release)    /* hold it active, interrupts masked */
			;
	gic_eoi(iar);
}

static volatile bool peer_ready;

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
	gic_init_cpu(1);
	gic_enable(1, SGI_ASK_PEER, 0x80);
	peer_ready = true;
	for (;;) {
		irq_enable();
		__asm__ volatile("wfi");
	}
}

void guest_main(uint64_t dtb)
{
	boot_dtb = (const void *)(uintptr_t)dtb;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1) != PSCI_SUCCESS)
		gprintf("vgic: vCPU 1 did not start\n");
	while (!peer_ready)
		;
	irq_enable();
	gtest_main();
}
