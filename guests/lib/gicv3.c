#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gicv3.h"

void gic_init_distributor(void)
{
	mmio_write32(GUEST_GICD + GICD_CTLR, 0x12);   /* ARE, EnableGrp1 */
}

static uintptr_t sgi_frame(unsigned vcpu)
{
	return GUEST_GICR + vcpu * GICR_FRAME_SIZE + GICR_SGI_BASE;
}

void gic_init_cpu(unsigned vcpu)
{
	uintptr_t rd = GUEST_GICR + vcpu * GICR_FRAME_SIZE;

	mmio_write32(rd + GICR_WAKER, 0);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	write_sysreg(0x7, icc_sre_el1);
	isb();
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(0, icc_ctlr_el1);
	write_sysreg(1, icc_igrpen1_el1);
	isb();
}

void gic_enable(unsigned vcpu, unsigned intid, uint8_t priority)
{
	uintptr_t base = intid < 32 ? sgi_frame(vcpu) : GUEST_GICD;

	mmio_write8(base + GICD_IPRIORITYR + intid, priority);
	if (intid >= 32)
		mmio_write64(GUEST_GICD + GICD_IROUTER + 8 * intid, vcpu);
	mmio_write32(base + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

void gic_send_sgi(unsigned target_vcpu, unsigned sgi)
{
	dsb(ishst);
	write_sysreg(((uint64_t)sgi << 24) | (1ULL << target_vcpu), icc_sgi1r_el1);
	isb();
}

uint32_t gic_ack(void)
{
	uint32_t iar = (uint32_t)read_sysreg(icc_iar1_el1);
	dsb(sy);
	return iar;
}

void gic_eoi(uint32_t iar)
{
	write_sysreg(iar, icc_eoir1_el1);
	isb();
}
