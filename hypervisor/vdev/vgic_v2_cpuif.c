/* GICv2 list registers and virtual CPU interface control (the GICH frame,
 * IHI 0048 5.3; banked: each CPU sees its own interface). */
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "hyp.h"
#include "vgic.h"
#include "vgic_cpuif.h"

#define GICH_HCR_EN   BIT(0)
#define GICH_HCR_UIE  BIT(1)

/* GICH_LR<n> (IHI 0048 5.3.11): VirtualID [9:0]; PhysicalID [19:10] when
 * HW, else EOI [19] and, for SGIs, CPUID [12:10]; Priority [27:23] (the
 * top five bits); State [29:28]; Grp1 [30]; HW [31]. Guests see one group,
 * Group 0, which is what a GIC without Security Extensions forwards with
 * GICC_CTLR.EnableGrp0 (= the "Enable" bit Linux sets). */
#define LR_HW          BIT(31)
#define LR_ACTIVE      BIT(29)
#define LR_PENDING     BIT(28)
#define LR_PRIO_SHIFT  23
#define LR_EOI         BIT(19)
#define LR_SRC_SHIFT   10

static uintptr_t lr_addr(unsigned i)
{
	return gic.gich + GICH_LR0 + 4 * i;
}

static unsigned v2_nr_lrs(void)
{
	return (mmio_read32(gic.gich + GICH_VTR) & 0x3f) + 1;
}

static void v2_write_lr(unsigned i, const struct vgic_lr *l)
{
	uint32_t v = (l->intid & 0x3ff) | ((uint32_t)(l->priority >> 3) << LR_PRIO_SHIFT) |
		     (l->pending ? LR_PENDING : 0) | (l->active ? LR_ACTIVE : 0);

	if (l->hw)
		v |= LR_HW | ((l->intid & 0x3ff) << 10);
	else
		v |= (l->eoi ? LR_EOI : 0) | ((uint32_t)(l->source & 7) << LR_SRC_SHIFT);
	mmio_write32(lr_addr(i), v);
}

static void v2_read_lr(unsigned i, struct vgic_lr *l)
{
	uint32_t v = mmio_read32(lr_addr(i));

	*l = (struct vgic_lr){
		.intid = v & 0x3ff,
		.priority = (uint8_t)(((v >> LR_PRIO_SHIFT) & 0x1f) << 3),
		.source = (v & LR_HW) ? 0 : (uint8_t)((v >> LR_SRC_SHIFT) & 7),
		.pending = (v & LR_PENDING) != 0,
		.active = (v & LR_ACTIVE) != 0,
		.hw = (v & LR_HW) != 0,
	};
}

static void v2_clear_lr(unsigned i)
{
	mmio_write32(lr_addr(i), 0);
}

static void v2_enable(bool underflow)
{
	mmio_write32(gic.gich + GICH_HCR, GICH_HCR_EN | (underflow ? GICH_HCR_UIE : 0));
}

static void v2_load(const struct vgic_cpu *c)
{
	mmio_write32(gic.gich + GICH_VMCR, (uint32_t)c->vmcr);
	mmio_write32(gic.gich + GICH_APR, (uint32_t)c->apr[0]);
	mmio_write32(gic.gich + GICH_HCR, GICH_HCR_EN);
}

static void v2_save_and_disable(struct vgic_cpu *c)
{
	c->vmcr = mmio_read32(gic.gich + GICH_VMCR);
	c->apr[0] = mmio_read32(gic.gich + GICH_APR);
	mmio_write32(gic.gich + GICH_HCR, 0);
}

const struct vgic_cpuif vgic_v2_cpuif = {
	.nr_lrs = v2_nr_lrs,
	.write_lr = v2_write_lr,
	.read_lr = v2_read_lr,
	.clear_lr = v2_clear_lr,
	.enable = v2_enable,
	.load = v2_load,
	.save_and_disable = v2_save_and_disable,
};
