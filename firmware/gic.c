/* Secure-side GIC handling: interrupt groups, the firmware's wake SGI, and
 * the power-loss simulation of GIC state (what a powered-down core or a
 * suspended system really loses), plus wake-up detection. */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/gic_sysregs.h>
#include <lull/mmio.h>
#include <string.h>
#include "fw.h"

#define FW_SGI_BIT BIT32(GIC_SGI_FIRMWARE)
#define WAKE_PRIORITY 0x80
#define CORE_TIMER_PPIS (0x1fU << 26)
#define GICD_CPENDSGIR 0x0f10   /* GICv2: SGI pending state, per source */
#define GICD_SPENDSGIR 0x0f20
#define PRIVATE_PRIORITY 0x80   /* of every private interrupt but SGI 15 */

static uintptr_t gicr_of[FW_MAX_CPUS];

static bool v3(void)
{
	return fw_plat.gic_version == 3;
}

/* Banked registers of INTIDs 0-31: the redistributor's SGI frame on GICv3,
 * the distributor (banked per core) on GICv2. Only valid on that core for
 * GICv2, which is the only way the firmware uses it. */
static uintptr_t private_base(unsigned cpu)
{
	return v3() ? gicr_of[cpu] + GICR_SGI_BASE : fw_plat.gicd;
}

static void gicd_wait_rwp(void)
{
	if (v3())
		while (mmio_read32(fw_plat.gicd + GICD_CTLR) & GICD_CTLR_RWP)
			;
}

static uint32_t dist_ctlr_firmware_bits(void)
{
	return v3() ? GICD_CTLR_S_ARE_S | GICD_CTLR_S_ARE_NS | GICD_CTLR_S_GRP0
		    : GICD_CTLR_S_GRP0;
}

/* Reset value of every SPI; all Group 1 Non-secure (owned by the
 * hypervisor), disabled, priority 0, level, routed to core 0. */
static void dist_reset_spis(void)
{
	uintptr_t d = fw_plat.gicd;

	for (unsigned i = 32; i < fw_plat.spi_lines; i += 32) {
		mmio_write32(d + GICD_ICENABLER + i / 8, ~0U);
		mmio_write32(d + GICD_ICPENDR + i / 8, ~0U);
		mmio_write32(d + GICD_ICACTIVER + i / 8, ~0U);
		mmio_write32(d + GICD_IGROUPR + i / 8, ~0U);
		if (v3())
			mmio_write32(d + GICD_IGRPMODR + i / 8, 0);
	}
	for (unsigned i = 32; i < fw_plat.spi_lines; i += 4) {
		mmio_write32(d + GICD_IPRIORITYR + i, 0);
		if (!v3())
			mmio_write32(d + GICD_ITARGETSR + i, 0);
	}
	for (unsigned i = 32; i < fw_plat.spi_lines; i += 16)
		mmio_write32(d + GICD_ICFGR + i / 4, 0);
	if (v3())
		for (unsigned i = 32; i < fw_plat.spi_lines; i++)
			mmio_write64(d + GICD_IROUTER + 8 * i, 0);
}

void fw_gic_dist_init(void)
{
	mmio_write32(fw_plat.gicd + GICD_CTLR, 0);
	gicd_wait_rwp();
	mmio_write32(fw_plat.gicd + GICD_CTLR, dist_ctlr_firmware_bits());
	gicd_wait_rwp();
	dist_reset_spis();
	if (v3()) {
		/* Find every core's redistributor by its affinity. */
		for (uintptr_t r = fw_plat.gicr;; r += GICR_FRAME_SIZE) {
			uint64_t typer = mmio_read64(r + GICR_TYPER);
			for (unsigned c = 0; c < FW_MAX_CPUS; c++)
				if (fw_plat.present[c] &&
				    (typer >> 32) == ((mpidr_aff(fw_plat.mpidr[c], 3) << 24) |
						      (fw_plat.mpidr[c] & 0xffffff)))
					gicr_of[c] = r;
			if (typer & GICR_TYPER_LAST)
				break;
		}
		for (unsigned c = 0; c < FW_MAX_CPUS; c++)
			if (fw_plat.present[c] && !gicr_of[c])
				fw_panic("a CPU has no redistributor");
	}
}

/* Reset the private interrupts of `cpu` (SGIs, PPIs) as a power cycle of
 * its redistributor (GICv3) or of the banked distributor registers (v2)
 * would, keeping only the firmware's own wake SGI. */
static void private_reset(unsigned cpu)
{
	uintptr_t b = private_base(cpu);

	mmio_write32(b + GICD_ICENABLER, ~FW_SGI_BIT);
	mmio_write32(b + GICD_ICPENDR, ~FW_SGI_BIT);
	if (!v3()) {
		/* GICv2 SGI pending state is per source CPU and cleared only
		 * here (ICPENDR is WI for SGIs, IHI 0048B 4.3.7); SGIs 0-14. */
		for (unsigned i = 0; i < 16; i += 4)
			mmio_write32(fw_plat.gicd + GICD_CPENDSGIR + i,
				     i == 12 ? 0x00ffffffU : 0xffffffffU);
	}
	mmio_write32(b + GICD_ICACTIVER, ~0U);
	mmio_write32(b + GICD_IGROUPR, ~FW_SGI_BIT);
	if (v3())
		mmio_write32(b + GICD_IGRPMODR, 0);
	/* Every other private interrupt below the wake SGI (priority 0): a
	 * stale Group 1 SGI of equal priority and lower INTID would win the
	 * highest-pending choice and, its group being disabled while parked,
	 * hide the wake SGI (seen on QEMU's GICv2). */
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(b + GICD_IPRIORITYR + i,
			     (i == 12 ? 0x00ffffffU : ~0U) & (PRIVATE_PRIORITY * 0x01010101U));
	mmio_write32(b + GICD_ICFGR + 4, 0);
	mmio_write32(b + GICD_ISENABLER, FW_SGI_BIT);
}

void fw_gic_cpu_init(unsigned cpu)
{
	if (v3()) {
		uintptr_t r = gicr_of[cpu];
		uint32_t waker = mmio_read32(r + GICR_WAKER);
		mmio_write32(r + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
		while (mmio_read32(r + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
			;
		write_sysreg(0xf, S3_6_C12_C12_5);      /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
		isb();
		private_reset(cpu);
		write_sysreg(0xff, icc_pmr_el1);
		write_sysreg(1, icc_igrpen0_el1);
	} else {
		private_reset(cpu);
		mmio_write32(fw_plat.gicc + GICC_PMR, 0xff);
		mmio_write32(fw_plat.gicc + GICC_CTLR, GICC_CTLR_S_GRP0);
	}
	isb();
}

/* Leave the CPU interface as reset for the Non-secure payload: it reads
 * a priority mask of 0, masking everything until the hypervisor sets it.
 * On GICv2 the value is 0x80, the lowest Non-secure priority: a mask in
 * the Secure range (0x00-0x7f) would make the payload's writes to it
 * ignored (IHI 0048B 4.4.2). */
void fw_gic_handover(unsigned cpu)
{
	/* The firmware's wake SGI (Group 0) is enabled only while parked: a
	 * stale one must never be the highest-priority pending interrupt of
	 * a running core, hiding every Group 1 interrupt behind it. */
	mmio_write32(private_base(cpu) + GICD_ICENABLER, FW_SGI_BIT);
	if (v3()) {
		write_sysreg(0, icc_igrpen0_el1);
		write_sysreg(0, icc_pmr_el1);   /* Non-secure writes always accepted (SCR_EL3.FIQ = 0) */
	} else {
		mmio_write32(fw_plat.gicc + GICC_CTLR, 0);
		mmio_write32(fw_plat.gicc + GICC_PMR, 0x80);
	}
	isb();
}

void fw_gic_send_wake_sgi(unsigned cpu)
{
	uint64_t m = fw_plat.mpidr[cpu];

	dsb(sy);
	if (v3()) {
		uint64_t v = ((uint64_t)mpidr_aff(m, 3) << 48) | ((uint64_t)mpidr_aff(m, 2) << 32) |
			     ((uint64_t)GIC_SGI_FIRMWARE << 24) | ((uint64_t)mpidr_aff(m, 1) << 16) |
			     (1ULL << mpidr_aff(m, 0));
		write_sysreg(v, icc_sgi0r_el1);
		isb();
	} else {
		/* NSATT = 0: a Group 0 SGI; target list = the core's interface. */
		mmio_write32(fw_plat.gicd + GICD_SGIR, (1U << (16 + cpu)) | GIC_SGI_FIRMWARE);
	}
}

void fw_gic_ack_firmware_sgis(void)
{
	for (;;) {
		uint32_t iar;
		if (v3()) {
			iar = (uint32_t)read_sysreg(icc_iar0_el1) & 0xffffff;
			if (iar >= GIC_INTID_SPURIOUS)
				return;
			write_sysreg(iar, icc_eoir0_el1);
		} else {
			iar = mmio_read32(fw_plat.gicc + GICC_IAR);
			if ((iar & 0x3ff) >= GIC_INTID_SPURIOUS)
				return;
			mmio_write32(fw_plat.gicc + GICC_EOIR, iar);
		}
	}
}

static bool spi_targets_cpu(unsigned intid, unsigned cpu)
{
	if (v3()) {
		uint64_t r = mmio_read64(fw_plat.gicd + GICD_IROUTER + 8 * intid);
		if (r & BIT(31))   /* 1-of-N routing: any core may take it */
			return true;
		return (r & MPIDR_AFF_MASK) == mpidr_affinity(fw_plat.mpidr[cpu]);
	}
	return (mmio_read8(fw_plat.gicd + GICD_ITARGETSR + intid) >> cpu) & 1;
}

static bool set_has(const struct fw_irq_set *s, unsigned intid)
{
	return (s->w[intid / 32] >> (intid % 32)) & 1;
}

/* A real power controller latches which interrupts may wake the system
 * before the GIC loses power. CPU-level: this core's enabled private
 * interrupts and the enabled SPIs routed to it. System-level: every
 * enabled SPI. */
void fw_gic_capture_wake(unsigned cpu, bool system, struct fw_irq_set *wake)
{
	memset(wake, 0, sizeof(*wake));
	/* The core's own timers (PPIs 26-30) lose power with it: they cannot
	 * wake it, whatever their enable bit says. */
	if (!system)
		wake->w[0] = mmio_read32(private_base(cpu) + GICD_ISENABLER) &
			     ~(FW_SGI_BIT | CORE_TIMER_PPIS);
	for (unsigned i = 32; i < fw_plat.spi_lines; i += 32) {
		uint32_t en = mmio_read32(fw_plat.gicd + GICD_ISENABLER + i / 8);
		for (unsigned b = 0; b < 32; b++)
			if ((en & BIT32(b)) && (system || spi_targets_cpu(i + b, cpu)))
				wake->w[i / 32] |= BIT32(b);
	}
}

unsigned fw_irq_set_count(const struct fw_irq_set *s)
{
	unsigned n = 0;
	for (unsigned i = 0; i < 32; i++)
		n += (unsigned)__builtin_popcount(s->w[i]);
	return n;
}

/* GICv3 CPU interface as a power-up leaves it (IHI 0069, ICC_*). Binary
 * points are written 0: a value below the minimum sets the minimum, which
 * is their reset value. The banked registers are reached at EL3 through
 * SCR_EL3.NS: 1 selects the Non-secure copies the payload uses. */
static void destroy_cpu_if_v3(void)
{
	uint64_t scr = read_sysreg(scr_el3);
	unsigned aprs = icc_num_aprs(read_sysreg(ICC_CTLR_EL3));

	for (uint64_t ns = 0; ns <= 1; ns++) {
		write_sysreg((scr & ~1ULL) | ns, scr_el3);
		isb();
		write_sysreg(0, icc_igrpen1_el1);
		write_sysreg(0, icc_ctlr_el1);          /* EOImode, CBPR */
		write_sysreg(0, icc_bpr1_el1);
		for (unsigned i = 0; i < aprs; i++)
			icc_ap1r_write(i, 0);
	}
	write_sysreg(scr, scr_el3);
	isb();
	/* Group 0 registers are not banked; Non-secure EL2 can write them
	 * while SCR_EL3.FIQ is 0, as here. */
	write_sysreg(0, icc_igrpen0_el1);
	write_sysreg(0, ICC_BPR0_EL1);
	for (unsigned i = 0; i < aprs; i++)
		icc_ap0r_write(i, 0);
	write_sysreg(0, icc_pmr_el1);
	write_sysreg(0x1, S3_4_C12_C9_5); /* ICC_SRE_EL2: SRE only, Enable lost */
}

/* GICv3 virtual interface control: every list register and active
 * priority register the implementation has (ICH_VTR_EL2). ICH_VMCR_EL2 = 0
 * leaves VBPR0/VBPR1 at their minimum, their reset value. */
static void destroy_ich(void)
{
	write_sysreg(0, ICH_HCR_EL2);
	write_sysreg(0, ICH_VMCR_EL2);
	for (unsigned i = 0; i < ich_num_aprs(); i++) {
		ich_ap0r_write(i, 0);
		ich_ap1r_write(i, 0);
	}
	for (unsigned i = 0; i < ich_num_lrs(); i++)
		ich_lr_write(i, 0);
}

/* GICv2 CPU interface (Secure accesses reach both banks, IHI 0048B 4.4).
 * GICC_BPR and GICC_ABPR are written 0, which sets their minimum (the
 * reset value). All four GICC_APRn and GICC_NSAPRn: the Non-secure view of
 * GICC_APRn is held in GICC_NSAPRn, not necessarily in NSAPR0. */
static void destroy_cpu_if_v2(void)
{
	uintptr_t c = fw_plat.gicc;

	mmio_write32(c + GICC_CTLR, GICC_CTLR_S_GRP0); /* NS enable, EOImodeNS lost */
	mmio_write32(c + GICC_BPR, 0);
	mmio_write32(c + GICC_ABPR, 0);
	for (unsigned i = 0; i < 4; i++) {
		mmio_write32(c + GICC_APR0 + 4 * i, 0);
		mmio_write32(c + GICC_NSAPR0 + 4 * i, 0);
	}
	mmio_write32(c + GICC_PMR, 0);
}

/* GICv2 virtual interface control (GICH), when there is one. */
static void destroy_gich(void)
{
	uintptr_t h = fw_plat.gich;
	unsigned lrs;

	if (!h)
		return;
	lrs = (mmio_read32(h + GICH_VTR) & 0x3f) + 1;
	mmio_write32(h + GICH_HCR, 0);
	mmio_write32(h + GICH_VMCR, 0);
	mmio_write32(h + GICH_APR, 0);
	for (unsigned i = 0; i < lrs; i++)
		mmio_write32(h + GICH_LR0 + 4 * i, 0);
}

/* What a core's power-down loses of the GIC: its private interrupts, its
 * CPU interface and its virtual interface control. */
void fw_gic_destroy_cpu(unsigned cpu)
{
	private_reset(cpu);
	if (v3()) {
		destroy_cpu_if_v3();
		destroy_ich();
	} else {
		destroy_cpu_if_v2();
		destroy_gich();
	}
	isb();
}

/* The distributor loses power: a reset turns every group off, and the
 * firmware's cold-boot set-up then runs again. On GICv3 a reset also
 * clears ARE_S and ARE_NS, which that set-up sets again; they are left set
 * here because clearing them by a write is UNPREDICTABLE (IHI 0069,
 * GICD_CTLR). The payload finds ARE_NS set either way, as at cold boot. */
void fw_gic_destroy_dist(void)
{
	mmio_write32(fw_plat.gicd + GICD_CTLR, dist_ctlr_firmware_bits() & ~GICD_CTLR_S_GRP0);
	gicd_wait_rwp();
	mmio_write32(fw_plat.gicd + GICD_CTLR, dist_ctlr_firmware_bits());
	gicd_wait_rwp();
	dist_reset_spis();
	if (v3())
		for (unsigned c = 0; c < FW_MAX_CPUS; c++)
			if (fw_plat.present[c])
				private_reset(c);
}

/* The pending state as GICD_ISPENDR / GICR_ISPENDR0 read it: a latched
 * edge, a software-set pending state, or the input of a level-sensitive
 * interrupt while its device asserts it (IHI 0048B 4.3.7, IHI 0069
 * GICD_ISPENDR<n>). So a level SPI whose line is high counts as pending. */
static bool pending(unsigned cpu, unsigned intid)
{
	uintptr_t b = intid < 32 ? private_base(cpu) : fw_plat.gicd;
	return (mmio_read32(b + GICD_ISPENDR + (intid / 32) * 4) >> (intid % 32)) & 1;
}

/* The lowest wake-up interrupt already pending, read before anything is
 * destroyed; on GICv2 an SGI's pending state is per source core, so the
 * sources are kept too (GICD_SPENDSGIRn). */
void fw_gic_first_pending(unsigned cpu, const struct fw_irq_set *wake, struct fw_pending_irq *p)
{
	p->intid = GIC_INTID_SPURIOUS;
	p->sgi_sources = 0;
	for (unsigned i = 0; i < fw_plat.spi_lines; i++) {
		if (set_has(wake, i) && pending(cpu, i)) {
			p->intid = i;
			if (!v3() && i < 16)
				p->sgi_sources = mmio_read8(fw_plat.gicd + GICD_SPENDSGIR + i);
			return;
		}
	}
}

/* Give the waking interrupt back the pending state the reset of its
 * registers took: an edge's latch or a software-set pending state. A level
 * interrupt whose device still asserts it is pending without help. */
void fw_gic_restore_pending(unsigned cpu, const struct fw_pending_irq *p)
{
	unsigned i = p->intid;
	uintptr_t b = i < 32 ? private_base(cpu) : fw_plat.gicd;
	uintptr_t target = fw_plat.gicd + GICD_ITARGETSR + i;

	if (pending(cpu, i))
		return;
	if (!v3() && i < 16) {
		/* GICD_ISPENDR0 ignores SGIs on GICv2 (IHI 0048B 4.3.7). */
		mmio_write8(fw_plat.gicd + GICD_SPENDSGIR + i, p->sgi_sources);
	} else if (!v3() && i >= 32) {
		/* QEMU's GICv2 keeps an SPI's pending state per target core and
		 * ignores GICD_ISPENDR for an SPI with no target, as every SPI
		 * has after the distributor's reset. */
		uint8_t t = mmio_read8(target);
		mmio_write8(target, (uint8_t)(1U << cpu));
		mmio_write32(b + GICD_ISPENDR + (i / 32) * 4, BIT32(i % 32));
		mmio_write8(target, t);
	} else {
		mmio_write32(b + GICD_ISPENDR + (i / 32) * 4, BIT32(i % 32));
	}
	if (!pending(cpu, i))
		fw_log("warning: the pending state of interrupt %u could not be restored", i);
}

/* Arm a wake-up interrupt for the wait, or return it to its reset state
 * (priority 0x80 for a private interrupt, 0 and no target for an SPI, as
 * private_reset and dist_reset_spis leave them). */
static void arm_wake_irq(unsigned cpu, unsigned intid, bool on)
{
	uintptr_t b = intid < 32 ? private_base(cpu) : fw_plat.gicd;
	uint8_t reset_priority = intid < 32 ? PRIVATE_PRIORITY : 0;

	mmio_write8(b + GICD_IPRIORITYR + intid, on ? WAKE_PRIORITY : reset_priority);
	if (intid >= 32) {
		if (v3())
			mmio_write64(fw_plat.gicd + GICD_IROUTER + 8 * intid,
				     on ? mpidr_affinity(fw_plat.mpidr[cpu]) : 0);
		else
			mmio_write8(fw_plat.gicd + GICD_ITARGETSR + intid, on ? (uint8_t)(1U << cpu) : 0);
	}
	mmio_write32(b + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
		     BIT32(intid % 32));
}

/* Wait in WFI until one of the wake-up interrupts is pending. The private
 * interrupts (and, for a system suspend, the SPIs) lost their state, so
 * they are armed only for the wait and reset afterwards; their pending
 * state stays for the hypervisor to find. CPU-level waits leave the
 * (still powered) distributor's SPIs as they are. */
void fw_gic_wait_for_wake(unsigned cpu, bool system, const struct fw_irq_set *wake,
			  unsigned *woken_by)
{
	uint32_t saved_dctlr = mmio_read32(fw_plat.gicd + GICD_CTLR);
	unsigned found = GIC_INTID_SPURIOUS;

	for (unsigned i = 0; i < fw_plat.spi_lines; i++)
		if (set_has(wake, i) && (i < 32 || system))
			arm_wake_irq(cpu, i, true);
	if (v3()) {
		mmio_write32(fw_plat.gicd + GICD_CTLR, saved_dctlr | GICD_CTLR_S_GRP1NS);
		gicd_wait_rwp();
		write_sysreg(0x1, S3_6_C12_C12_7); /* ICC_IGRPEN1_EL3: Group 1 NS */
		write_sysreg(0xff, icc_pmr_el1);
	} else {
		mmio_write32(fw_plat.gicd + GICD_CTLR, saved_dctlr | GICD_CTLR_S_GRP1NS); /* v2 Secure view: EnableGrp1 */
		mmio_write32(fw_plat.gicc + GICC_CTLR, GICC_CTLR_S_GRP0 | GICC_CTLR_S_GRP1);
		mmio_write32(fw_plat.gicc + GICC_PMR, 0xff);
	}
	isb();
	while (found == GIC_INTID_SPURIOUS) {
		for (unsigned i = 0; i < fw_plat.spi_lines && found == GIC_INTID_SPURIOUS; i++)
			if (set_has(wake, i) && pending(cpu, i))
				found = i;
		if (found == GIC_INTID_SPURIOUS) {
			fw_work_end();
			wfi();
			fw_work_begin();
			fw_gic_ack_firmware_sgis();
		}
	}
	for (unsigned i = 0; i < fw_plat.spi_lines; i++)
		if (set_has(wake, i) && (i < 32 || system))
			arm_wake_irq(cpu, i, false);
	if (v3()) {
		write_sysreg(0x0, S3_6_C12_C12_7);
		mmio_write32(fw_plat.gicd + GICD_CTLR, saved_dctlr);
		gicd_wait_rwp();
	} else {
		mmio_write32(fw_plat.gicc + GICC_CTLR, GICC_CTLR_S_GRP0);
		mmio_write32(fw_plat.gicd + GICD_CTLR, saved_dctlr);
	}
	*woken_by = found;
}
