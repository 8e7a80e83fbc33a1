/* GICv3 (Arm IHI 0069) as a Non-secure EL2 user: affinity routing, Group 1
 * Non-secure interrupts, system-register CPU interface. */
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include <lull/psci.h>
#include "gic.h"
#include "hyp.h"
#include "percpu.h"
#include "pm_device.h"

#define ICC_SRE_EL2      S3_4_C12_C9_5
#define ICC_CTLR_EOIMODE BIT(1)

#define GICR_CTLR_RWP BIT32(3)

/* Wait for a register write to take effect (RWP: GICD_CTLR bit 31,
 * GICR_CTLR bit 3). */
static void wait_rwp(uintptr_t reg)
{
	uint32_t rwp = (reg == gic.gicd + GICD_CTLR) ? GICD_CTLR_RWP : GICR_CTLR_RWP;
	uint64_t deadline = counter_now() + us_to_ticks(100000);
	while (mmio_read32(reg) & rwp)
		if (counter_now() > deadline)
			panic("gicv3: register write pending never cleared");
}

static struct pm_device v3_pm;

static void v3_dist_init(void)
{
	uintptr_t d = gic.gicd;

	/* Non-secure view: ARE_NS and EnableGrp1NS (IHI 0069 12.9.4). */
	mmio_write32(d + GICD_CTLR, 0);
	wait_rwp(d + GICD_CTLR);
	gic_quiesce_intids(d, 32, gic.lines);
	mmio_write32(d + GICD_CTLR, GICD_CTLR_NS_ARE | GICD_CTLR_NS_GRP1);
	wait_rwp(d + GICD_CTLR);
	pm_device_register(&v3_pm);
}

static uintptr_t find_redistributor(uint64_t mpidr)
{
	uint64_t aff = ((uint64_t)mpidr_aff(mpidr, 3) << 24) | (mpidr & 0xffffff);

	for (uintptr_t r = gic.gicr;; r += GICR_FRAME_SIZE) {
		uint64_t typer = mmio_read64(r + GICR_TYPER);
		if ((typer >> 32) == aff)
			return r;
		if (typer & GICR_TYPER_LAST)
			return 0;
	}
}

static void v3_cpu_init(struct percpu *c)
{
	uintptr_t sgi;

	c->gicr = find_redistributor(c->mpidr);
	if (!c->gicr)
		panic("gicv3: no redistributor for MPIDR 0x%lx", c->mpidr);
	sgi = c->gicr + GICR_SGI_BASE;
	/* The firmware wakes the redistributor (GICR_WAKER is Secure when
	 * GICD_CTLR.DS = 0); everything else is ours to set up again. */
	gic_quiesce_intids(sgi, 0, 32);
	wait_rwp(c->gicr + GICR_CTLR);

	write_sysreg(read_sysreg(ICC_SRE_EL2) | 0x9, ICC_SRE_EL2); /* SRE, Enable (EL1 access) */
	isb();
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(ICC_CTLR_EOIMODE, icc_ctlr_el1);
	write_sysreg(1, icc_igrpen1_el1);
	isb();
}

static void v3_cpu_teardown(struct percpu *c)
{
	mmio_write32(c->gicr + GICR_SGI_BASE + GICD_ICENABLER, 0xffff7fffU);
	wait_rwp(c->gicr + GICR_CTLR);
	write_sysreg(0, icc_igrpen1_el1);
	isb();
}

static void v3_enable(unsigned intid, bool on)
{
	uintptr_t base = intid < 32 ? this_cpu()->gicr + GICR_SGI_BASE : gic.gicd;

	mmio_write32(base + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
		     1U << (intid % 32));
	if (!on)
		wait_rwp(intid < 32 ? this_cpu()->gicr + GICR_CTLR : gic.gicd + GICD_CTLR);
}

static void v3_configure(unsigned intid, uint8_t priority, bool edge)
{
	uintptr_t base = intid < 32 ? this_cpu()->gicr + GICR_SGI_BASE : gic.gicd;
	uintptr_t cfg = base + GICD_ICFGR + (intid / 16) * 4;
	unsigned shift = (intid % 16) * 2 + 1;

	mmio_write8(base + GICD_IPRIORITYR + intid, priority);
	if (intid >= 16)
		mmio_write32(cfg, (mmio_read32(cfg) & ~(1U << shift)) | ((edge ? 1U : 0U) << shift));
}

static void v3_route(unsigned intid, const struct percpu *target)
{
	mmio_write64(gic.gicd + GICD_IROUTER + 8 * intid, mpidr_affinity(target->mpidr));
}

static void v3_send_sgi(const struct percpu *t, unsigned sgi)
{
	uint64_t m = t->mpidr;
	uint64_t v = ((uint64_t)mpidr_aff(m, 3) << 48) | ((uint64_t)mpidr_aff(m, 2) << 32) |
		     ((uint64_t)sgi << 24) | ((uint64_t)mpidr_aff(m, 1) << 16) |
		     (1ULL << mpidr_aff(m, 0));
	dsb(ishst);
	write_sysreg(v, icc_sgi1r_el1);
	isb();
}

static uint32_t v3_ack(void)
{
	uint32_t iar = (uint32_t)read_sysreg(icc_iar1_el1);
	dsb(sy);
	return iar;
}

static void v3_priority_drop(uint32_t iar)
{
	write_sysreg(iar, icc_eoir1_el1);
	isb();
}

static void v3_deactivate(uint32_t iar)
{
	write_sysreg(iar, icc_dir_el1);
	isb();
}

static bool v3_pending(unsigned intid)
{
	uintptr_t base = intid < 32 ? this_cpu()->gicr + GICR_SGI_BASE : gic.gicd;
	return (mmio_read32(base + GICD_ISPENDR + (intid / 32) * 4) >> (intid % 32)) & 1;
}

static bool v3_enabled(unsigned intid)
{
	uintptr_t base = intid < 32 ? this_cpu()->gicr + GICR_SGI_BASE : gic.gicd;
	return (mmio_read32(base + GICD_ISENABLER + (intid / 32) * 4) >> (intid % 32)) & 1;
}

/* SPIs only: the distributor's active state, from any CPU. */
static void v3_clear_active(unsigned intid)
{
	mmio_write32(gic.gicd + GICD_ICACTIVER + (intid / 32) * 4, 1U << (intid % 32));
}

const struct gic_ops gicv3_ops = {
	.dist_init = v3_dist_init,
	.cpu_init = v3_cpu_init,
	.cpu_teardown = v3_cpu_teardown,
	.enable = v3_enable,
	.configure = v3_configure,
	.route = v3_route,
	.send_sgi = v3_send_sgi,
	.ack = v3_ack,
	.priority_drop = v3_priority_drop,
	.deactivate = v3_deactivate,
	.pending = v3_pending,
	.enabled = v3_enabled,
	.clear_active = v3_clear_active,
};

/* Host suspend (pm_device.h): the distributor, the boot CPU's
 * redistributor and its CPU interface, all lost in a system suspend. Only
 * CPU 0 is online then. GICR_WAKER is the firmware's (Secure). */
static struct {
	uint32_t ctlr;
	struct gic_block_state dist, sgi;
	uint64_t irouter[GIC_MAX_SPI];
	uint64_t pmr, bpr1, ctlr_el1, igrpen1;
} saved;

static int v3_suspend(void)
{
	uintptr_t d = gic.gicd, sgi = this_cpu()->gicr + GICR_SGI_BASE;

	saved.ctlr = mmio_read32(d + GICD_CTLR) & ~GICD_CTLR_RWP;
	gic_block_save(d, 32, gic.lines, &saved.dist);
	for (unsigned i = 32; i < gic.lines; i++)
		saved.irouter[i] = mmio_read64(d + GICD_IROUTER + 8 * i);
	gic_block_save(sgi, 0, 32, &saved.sgi);
	saved.pmr = read_sysreg(icc_pmr_el1);
	saved.bpr1 = read_sysreg(icc_bpr1_el1);
	saved.ctlr_el1 = read_sysreg(icc_ctlr_el1);
	saved.igrpen1 = read_sysreg(icc_igrpen1_el1);
	return 0;
}

static void v3_resume(void)
{
	uintptr_t d = gic.gicd, sgi;

	/* Distributor: configuration with it disabled, enables, then on. */
	mmio_write32(d + GICD_CTLR, 0);
	wait_rwp(d + GICD_CTLR);
	gic_block_restore(d, 32, gic.lines, &saved.dist);
	for (unsigned i = 32; i < gic.lines; i++)
		mmio_write64(d + GICD_IROUTER + 8 * i, saved.irouter[i]);
	gic_block_enable(d, 32, gic.lines, &saved.dist);
	mmio_write32(d + GICD_CTLR, saved.ctlr);
	wait_rwp(d + GICD_CTLR);
	/* The boot CPU's redistributor and CPU interface. */
	v3_cpu_init(this_cpu());
	sgi = this_cpu()->gicr + GICR_SGI_BASE;
	gic_block_restore(sgi, 0, 32, &saved.sgi);
	gic_block_enable(sgi, 0, 32, &saved.sgi);
	wait_rwp(this_cpu()->gicr + GICR_CTLR);
	write_sysreg(saved.pmr, icc_pmr_el1);
	write_sysreg(saved.bpr1, icc_bpr1_el1);
	write_sysreg(saved.ctlr_el1, icc_ctlr_el1);
	write_sysreg(saved.igrpen1, icc_igrpen1_el1);
	isb();
}

static struct pm_device v3_pm = {
	.name = "gic", .order = PM_ORDER_GIC, .suspend = v3_suspend, .resume = v3_resume,
};
