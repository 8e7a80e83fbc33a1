#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"

#define GICV2_PIDR2 0xfe8     /* in the 4 KiB GICv2 distributor; RAZ in v3 */

unsigned gic_version(void)
{
	static unsigned version;

	if (!version)
		version = ((mmio_read32(GUEST_GICD + GICV2_PIDR2) >> 4) & 0xf) == 2 ? 2 : 3;
	return version;
}

void gic_init_distributor(void)
{
	if (gic_version() == 2)
		mmio_write32(GUEST_GICD + GICD_CTLR, 1);      /* Enable */
	else
		mmio_write32(GUEST_GICD + GICD_CTLR, 0x12);   /* ARE, EnableGrp1 */
}

uintptr_t gic_private_regs(unsigned vcpu)
{
	if (gic_version() == 2)
		return GUEST_GICD;
	return GUEST_GICR + vcpu * GICR_FRAME_SIZE + GICR_SGI_BASE;
}

void gic_init_cpu(unsigned vcpu)
{
	uintptr_t rd = GUEST_GICR + vcpu * GICR_FRAME_SIZE;

	if (gic_version() == 2) {
		mmio_write32(GUEST_GICC + GICC_PMR, 0xff);
		mmio_write32(GUEST_GICC + GICC_BPR, 0);
		mmio_write32(GUEST_GICC + GICC_CTLR, 1);      /* EnableGrp0, as Linux */
		return;
	}
	mmio_write32(rd + GICR_WAKER, 0);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	/* SGIs and PPIs into Group 1, the group enabled and acknowledged
	 * below: a real GICv3 (the guest run directly on QEMU) resets them to
	 * Group 0; Lull's has them in Group 1 already (IGROUPR0 RAO/WI). */
	mmio_write32(gic_private_regs(vcpu) + GICD_IGROUPR, ~0U);
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
	uintptr_t base = intid < 32 ? gic_private_regs(vcpu) : GUEST_GICD;

	mmio_write8(base + GICD_IPRIORITYR + intid, priority);
	if (intid >= 32 && gic_version() == 2)
		mmio_write8(GUEST_GICD + GICD_ITARGETSR + intid, (uint8_t)(1U << vcpu));
	else if (intid >= 32)
		mmio_write64(GUEST_GICD + GICD_IROUTER + 8 * intid, vcpu);
	mmio_write32(base + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

void gic_send_sgi(unsigned target_vcpu, unsigned sgi)
{
	dsb(ishst);
	if (gic_version() == 2) {
		mmio_write32(GUEST_GICD + GICD_SGIR, (1U << (16 + target_vcpu)) | sgi);
		return;
	}
	write_sysreg(((uint64_t)sgi << 24) | (1ULL << target_vcpu), icc_sgi1r_el1);
	isb();
}

uint32_t gic_ack(void)
{
	uint32_t iar;

	if (gic_version() == 2)
		iar = mmio_read32(GUEST_GICC + GICC_IAR);
	else
		iar = (uint32_t)read_sysreg(icc_iar1_el1);
	dsb(sy);
	return iar;
}

void gic_eoi(uint32_t iar)
{
	if (gic_version() == 2) {
		mmio_write32(GUEST_GICC + GICC_EOIR, iar);
		return;
	}
	write_sysreg(iar, icc_eoir1_el1);
	isb();
}

void gic_set_priority_mask(uint8_t pmr)
{
	if (gic_version() == 2) {
		mmio_write32(GUEST_GICC + GICC_PMR, pmr);
		return;
	}
	write_sysreg(pmr, icc_pmr_el1);
	isb();
}

unsigned gic_intid(uint32_t iar)
{
	return gic_version() == 2 ? iar & 0x3ff : iar & 0xffffff;
}

void gic_cpu_state(uint32_t *pmr, bool *enabled)
{
	if (gic_version() == 2) {
		*pmr = mmio_read32(GUEST_GICC + GICC_PMR);
		*enabled = (mmio_read32(GUEST_GICC + GICC_CTLR) & 3) != 0;
		return;
	}
	write_sysreg(0x7, icc_sre_el1);
	isb();
	*pmr = (uint32_t)read_sysreg(icc_pmr_el1);
	*enabled = (read_sysreg(icc_igrpen1_el1) & 1) != 0;
}

static bool private_bit(unsigned vcpu, unsigned intid, unsigned reg)
{
	uintptr_t base = intid < 32 ? gic_private_regs(vcpu) : GUEST_GICD;

	return (mmio_read32(base + reg + (intid / 32) * 4) >> (intid % 32)) & 1;
}

bool gic_is_pending(unsigned vcpu, unsigned intid)
{
	return private_bit(vcpu, intid, GICD_ISPENDR);
}

bool gic_is_enabled(unsigned vcpu, unsigned intid)
{
	return private_bit(vcpu, intid, GICD_ISENABLER);
}
