/* GICv2 (Arm IHI 0048) as a Non-secure EL2 user: Group 1 interrupts,
 * memory-mapped CPU interface, 8-bit target lists. */
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "hyp.h"
#include "percpu.h"
#include "pm_device.h"


static struct pm_device v2_pm;

static void v2_dist_init(void)
{
	uintptr_t d = gic.gicd;

	mmio_write32(d + GICD_CTLR, 0);
	gic_quiesce_intids(d, 32, gic.lines);
	mmio_write32(d + GICD_CTLR, 1);   /* Non-secure view: EnableGrp1 */
	pm_device_register(&v2_pm);
}

static void v2_cpu_init(struct percpu *c)
{
	uintptr_t d = gic.gicd;

	/* ITARGETSR0-7 are banked and read as this CPU's own interface. */
	c->gic_cpu_if = (unsigned)__builtin_ctz((mmio_read32(d + GICD_ITARGETSR) & 0xff) | 0x100);
	gic_quiesce_intids(d, 0, 32);
	mmio_write32(gic.gicc + GICC_PMR, 0xff);
	mmio_write32(gic.gicc + GICC_BPR, 0);
	mmio_write32(gic.gicc + GICC_CTLR, GICC_CTLR_NS_GRP1 | GICC_CTLR_NS_EOIMODE);
}

static void v2_cpu_teardown(struct percpu *c)
{
	(void)c;
	mmio_write32(gic.gicd + GICD_ICENABLER, 0xffff7fffU);
	mmio_write32(gic.gicc + GICC_CTLR, 0);
}

static void v2_enable(unsigned intid, bool on)
{
	mmio_write32(gic.gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
		     1U << (intid % 32));
}

static void v2_configure(unsigned intid, uint8_t priority, bool edge)
{
	uintptr_t cfg = gic.gicd + GICD_ICFGR + (intid / 16) * 4;
	unsigned shift = (intid % 16) * 2 + 1;

	mmio_write8(gic.gicd + GICD_IPRIORITYR + intid, priority);
	if (intid >= 32)
		mmio_write32(cfg, (mmio_read32(cfg) & ~(1U << shift)) | ((edge ? 1U : 0U) << shift));
}

static void v2_route(unsigned intid, const struct percpu *target)
{
	mmio_write8(gic.gicd + GICD_ITARGETSR + intid, (uint8_t)(1U << target->gic_cpu_if));
}

static void v2_send_sgi(const struct percpu *t, unsigned sgi)
{
	dsb(ishst);
	mmio_write32(gic.gicd + GICD_SGIR, (1U << (16 + t->gic_cpu_if)) | (1U << 15) | sgi);
}

static uint32_t v2_ack(void)
{
	return mmio_read32(gic.gicc + GICC_IAR);
}

static void v2_priority_drop(uint32_t iar)
{
	mmio_write32(gic.gicc + GICC_EOIR, iar);
}

static void v2_deactivate(uint32_t iar)
{
	mmio_write32(gic.gicc + GICC_DIR, iar);
}

static bool v2_pending(unsigned intid)
{
	return (mmio_read32(gic.gicd + GICD_ISPENDR + (intid / 32) * 4) >> (intid % 32)) & 1;
}

static bool v2_enabled(unsigned intid)
{
	return (mmio_read32(gic.gicd + GICD_ISENABLER + (intid / 32) * 4) >> (intid % 32)) & 1;
}

/* SPIs only: the distributor's active state, from any CPU. */
static void v2_clear_active(unsigned intid)
{
	mmio_write32(gic.gicd + GICD_ICACTIVER + (intid / 32) * 4, 1U << (intid % 32));
}

const struct gic_ops gicv2_ops = {
	.dist_init = v2_dist_init,
	.cpu_init = v2_cpu_init,
	.cpu_teardown = v2_cpu_teardown,
	.enable = v2_enable,
	.configure = v2_configure,
	.route = v2_route,
	.send_sgi = v2_send_sgi,
	.ack = v2_ack,
	.priority_drop = v2_priority_drop,
	.deactivate = v2_deactivate,
	.pending = v2_pending,
	.enabled = v2_enabled,
	.clear_active = v2_clear_active,
};

/* Host suspend (pm_device.h): the distributor with its SPI targets, the
 * boot CPU's banked registers (INTIDs 0-31) and its CPU interface, all
 * lost in a system suspend. Only CPU 0 is online then. */
static struct {
	uint32_t ctlr;
	struct gic_block_state dist, banked;
	uint8_t targets[GIC_MAX_SPI];
	uint32_t gicc_ctlr, pmr, bpr;
} saved;

static int v2_suspend(void)
{
	uintptr_t d = gic.gicd;

	saved.ctlr = mmio_read32(d + GICD_CTLR);
	gic_block_save(d, 32, gic.lines, &saved.dist);
	for (unsigned i = 32; i < gic.lines; i++)
		saved.targets[i] = mmio_read8(d + GICD_ITARGETSR + i);
	gic_block_save(d, 0, 32, &saved.banked);
	saved.gicc_ctlr = mmio_read32(gic.gicc + GICC_CTLR);
	saved.pmr = mmio_read32(gic.gicc + GICC_PMR);
	saved.bpr = mmio_read32(gic.gicc + GICC_BPR);
	return 0;
}

static void v2_resume(void)
{
	uintptr_t d = gic.gicd;

	mmio_write32(d + GICD_CTLR, 0);
	gic_block_restore(d, 32, gic.lines, &saved.dist);
	for (unsigned i = 32; i < gic.lines; i++)
		mmio_write8(d + GICD_ITARGETSR + i, saved.targets[i]);
	gic_block_enable(d, 32, gic.lines, &saved.dist);
	v2_cpu_init(this_cpu());
	gic_block_restore(d, 0, 32, &saved.banked);
	gic_block_enable(d, 0, 32, &saved.banked);
	mmio_write32(d + GICD_CTLR, saved.ctlr);
	mmio_write32(gic.gicc + GICC_PMR, saved.pmr);
	mmio_write32(gic.gicc + GICC_BPR, saved.bpr);
	mmio_write32(gic.gicc + GICC_CTLR, saved.gicc_ctlr);
}

static struct pm_device v2_pm = {
	.name = "gic", .order = PM_ORDER_GIC, .suspend = v2_suspend, .resume = v2_resume,
};
