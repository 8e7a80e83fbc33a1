/* Virtual GICv3 behaviour a guest relies on: delivery order by priority,
 * preemption, the priority mask, enable, and the pending/active set and
 * clear registers (Arm IHI 0069). SGIs to itself, vCPU 0 only. */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gicv3.h"
#include "gtest.h"
#include "guest.h"

#define SGI_FRAME (GUEST_GICR + GICR_SGI_BASE)

static volatile unsigned order[8], norder;
static volatile bool nest_high_sent;

static void record(unsigned intid)
{
	if (norder < 8)
		order[norder++] = intid;
}

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = iar & 0xffffff;

	if (intid >= 1020)
		return;
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
	write_sysreg(0x60, icc_pmr_el1);
	isb();
	gic_send_sgi(0, 8);
	settle();
	GTEST_EXPECT(norder == 0, "taken through a priority mask of 0x60");
	write_sysreg(0xff, icc_pmr_el1);
	isb();
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
	gic_enable(0, 10, 0x80);
	irq_disable();
	mmio_write32(SGI_FRAME + GICD_ISPENDR, 1U << 10);
	GTEST_EXPECT(bit(SGI_FRAME + GICD_ISPENDR, 10), "ISPENDR did not set pending");
	mmio_write32(SGI_FRAME + GICD_ICPENDR, 1U << 10);
	GTEST_EXPECT(!bit(SGI_FRAME + GICD_ISPENDR, 10), "ICPENDR did not clear pending");
	irq_enable();
	settle();
	GTEST_EXPECT(norder == 0, "a cleared interrupt was taken");
	mmio_write32(SGI_FRAME + GICD_ISPENDR, 1U << 10);
	settle();
	GTEST_EXPECT(norder == 1 && order[0] == 10, "a set-pending interrupt was not taken");
}

GTEST(active_set_and_clear)
{
	mmio_write32(SGI_FRAME + GICD_ISACTIVER, 1U << 11);
	GTEST_EXPECT(bit(SGI_FRAME + GICD_ISACTIVER, 11), "ISACTIVER did not set active");
	mmio_write32(SGI_FRAME + GICD_ICACTIVER, 1U << 11);
	GTEST_EXPECT(!bit(SGI_FRAME + GICD_ISACTIVER, 11), "ICACTIVER did not clear active");
}

GTEST(distributor_identification)
{
	uint32_t typer = mmio_read32(GUEST_GICD + GICD_TYPER);
	GTEST_EXPECT(((mmio_read32(GUEST_GICD + 0xffe8) >> 4) & 0xf) == 3, "PIDR2 is not GICv3");
	GTEST_EXPECT(((typer & 0x1f) + 1) * 32 == 128, "TYPER lines %u", ((typer & 0x1f) + 1) * 32);
	GTEST_EXPECT(mmio_read64(GUEST_GICR + GICR_TYPER) >> 32 == 0, "GICR_TYPER affinity");
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	irq_enable();
	gtest_main();
}
