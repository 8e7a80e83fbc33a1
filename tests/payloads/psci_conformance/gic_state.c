/* Proof of the rig firmware's power-loss simulation of GIC state.
 *
 * Each "item" is one setting a Non-secure EL2 payload can change: a GIC
 * CPU interface register, the virtual interface control (ICH_* / GICH_*),
 * the private interrupts' enables, pending and active state, priorities
 * and configuration, and for SYSTEM_SUSPEND the distributor's. An item is
 * read three times on one core: as handed over at cold boot (or at the
 * core's first CPU_ON), after the payload gave it a distinctive value just
 * before a power-down, and after re-entry. A firmware that keeps any of
 * them makes its check line fail.
 *
 * Not covered, because a Non-secure access can neither change nor see them
 * while GICD_CTLR.DS is 0: the interrupt groups (GICD_IGROUPR<n>,
 * GICD_IGRPMODR<n> and their redistributor copies are RAZ/WI to
 * Non-secure accesses: IHI 0069 on those registers, IHI 0048B 4.3.4), SGI
 * 15 (the firmware's Group 0 SGI) and the Secure copies of banked
 * registers. */
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/gic_regs.h>
#include <lull/gic_sysregs.h>
#include <lull/mmio.h>
#include <lull/psci.h>
#include "gic_state.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define GICC 0x08010000UL
#define GICH 0x08030000UL
#define GICD_SPENDSGIR 0x0f20
#define GICD_CTLR_V2_GRP1 1U
#define GICC_NS_EOIMODE BIT32(9)
#define ICC_CTLR_EOIMODE BIT(1)

#define MAX_CORES 2
#define MAX_SPIS 256          /* QEMU virt has 256; more are not checked */
#define MAX_WORDS 256
enum { SNAP, DIRTY, AFTER, NVALS };

/* Distinctive values. Private interrupts: SGI 15 is never touched.
 * Enabled, pending and active sets are disjoint, so that no wake-up
 * interrupt is pending at a suspend call. On GICv2 QEMU keeps SGIs
 * enabled, and QEMU 7.2 ignores GICD_ISPENDR0 writes for PPIs (seen by
 * experiment), so there SGIs 12-14 are pended through GICD_SPENDSGIR3,
 * from source core 1, unless GS_SLEEP. */
#define PRIV_ENABLE   (0x7f00U | BIT32(24) | BIT32(27) | BIT32(31)) /* SGI 8-14, PPI 24, 27, 31 */
#define PRIV_PEND_V3  (0x7U | (0x7U << 16))       /* SGI 0-2, PPI 16-18 */
#define SGI_PEND_V2   0x00020202U                 /* SGI 12-14 from core 1 */
#define PRIV_ACTIVE   (0x30U | (0x3U << 20))      /* SGI 4-5, PPI 20-21 */
#define PRIORITY      0xa0                        /* Non-secure view */
#define SPI_ENABLE    0x11111111U
#define SPI_ACTIVE    0x22222222U
#define SPI_PEND      0x44444444U
#define EDGE_ALL      0xaaaaaaaaU

struct item {
	const char *name;
	unsigned gic;           /* 2 or 3, or 0 for both */
	bool system;            /* distributor state: lost by SYSTEM_SUSPEND only */
	bool core0_only;
	unsigned skip;          /* gs_dirty flags that rule the item out */
	unsigned (*read)(uint64_t *w);
	void (*dirty)(void);
};

static unsigned gic;
static unsigned keep[MAX_CORES] = { GS_KEEP_NONE, GS_KEEP_NONE };
static unsigned flags_of[MAX_CORES];
static uint64_t vals[MAX_CORES][40][NVALS][MAX_WORDS];
static unsigned nwords[MAX_CORES][40];

static unsigned this_core(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

static unsigned kept(void)
{
	return keep[this_core()];
}

/* Bit of the kept interrupt in the 32-bit word of INTIDs [first, first+32). */
static uint32_t kept_bit(unsigned first)
{
	unsigned k = kept();
	return k >= first && k < first + 32 ? BIT32(k - first) : 0;
}

static uintptr_t priv(void)
{
	return gic == 3 ? GICR + this_core() * GICR_FRAME_SIZE + GICR_SGI_BASE : GICD;
}

static unsigned nspi(void)
{
	unsigned lines = GICD_TYPER_LINES(mmio_read32(GICD + GICD_TYPER));
	lines = (lines > 1020 ? 1020 : lines) - 32;
	return lines > MAX_SPIS ? MAX_SPIS : lines;
}

static unsigned read32s(uintptr_t a, unsigned n, uint64_t *w)
{
	for (unsigned i = 0; i < n; i++)
		w[i] = mmio_read32(a + 4 * i);
	return n;
}

/* Byte-wide fields (priorities, targets) of INTIDs [first, first + n): set
 * every one but the kept interrupt's and SGI 15's. */
static void set_bytes(uintptr_t reg, unsigned first, unsigned n, uint8_t v)
{
	for (unsigned i = first; i < first + n; i++)
		if (i != kept() && i != GIC_SGI_FIRMWARE)
			mmio_write8(reg + i, v);
}

/* --- GICv3 CPU interface (Non-secure copies, as EL2 sees them) --------- */

static unsigned rd_icc_pmr(uint64_t *w) { w[0] = read_sysreg(icc_pmr_el1); return 1; }
static void dt_icc_pmr(void) { write_sysreg(0xa8, icc_pmr_el1); }
static unsigned rd_icc_bpr0(uint64_t *w) { w[0] = read_sysreg(ICC_BPR0_EL1); return 1; }
static void dt_icc_bpr0(void) { write_sysreg(4, ICC_BPR0_EL1); }
static unsigned rd_icc_bpr1(uint64_t *w) { w[0] = read_sysreg(icc_bpr1_el1); return 1; }
static void dt_icc_bpr1(void) { write_sysreg(5, icc_bpr1_el1); }
static unsigned rd_icc_ctlr(uint64_t *w) { w[0] = read_sysreg(icc_ctlr_el1); return 1; }
static void dt_icc_ctlr(void) { write_sysreg(read_sysreg(icc_ctlr_el1) | ICC_CTLR_EOIMODE, icc_ctlr_el1); }

static unsigned rd_icc_grpen(uint64_t *w)
{
	w[0] = read_sysreg(icc_igrpen0_el1);
	w[1] = read_sysreg(icc_igrpen1_el1);
	return 2;
}

static void dt_icc_grpen(void)
{
	write_sysreg(1, icc_igrpen0_el1);
	write_sysreg(1, icc_igrpen1_el1);
}

/* Active priorities: QEMU stores what is written. (On hardware, writing
 * anything but a saved value or 0 is UNPREDICTABLE; this payload only
 * runs on QEMU.) The lowest groups are used, so that a firmware that kept
 * them would still see its wake-up interrupts. */
static unsigned rd_icc_apr(uint64_t *w)
{
	unsigned n = icc_num_aprs(read_sysreg(icc_ctlr_el1));
	for (unsigned i = 0; i < n; i++) {
		w[i] = icc_ap0r_read(i);
		w[n + i] = icc_ap1r_read(i);
	}
	return 2 * n;
}

static void dt_icc_apr(void)
{
	unsigned n = icc_num_aprs(read_sysreg(icc_ctlr_el1));
	for (unsigned i = 0; i < n; i++) {
		icc_ap0r_write(i, 0x80000000U >> i);
		icc_ap1r_write(i, 0x40000000U >> i);
	}
}

/* --- GICv3 virtual interface control ----------------------------------- */

static unsigned rd_ich_hcr(uint64_t *w) { w[0] = read_sysreg(ICH_HCR_EL2); return 1; }
/* EOIcount 5, TC, TALL0, TALL1; En stays 0 so that no maintenance
 * interrupt can be raised. */
static void dt_ich_hcr(void) { write_sysreg((5U << 27) | 0x1c00, ICH_HCR_EL2); }
static unsigned rd_ich_vmcr(uint64_t *w) { w[0] = read_sysreg(ICH_VMCR_EL2); return 1; }
/* VPMR 0xa8, VBPR0 4, VBPR1 5, VEOIM, VENG1, VENG0. */
static void dt_ich_vmcr(void)
{
	write_sysreg((0xa8U << 24) | (4U << 21) | (5U << 18) | BIT(9) | 3, ICH_VMCR_EL2);
}

static unsigned rd_ich_apr(uint64_t *w)
{
	unsigned n = ich_num_aprs();
	for (unsigned i = 0; i < n; i++) {
		w[i] = ich_ap0r_read(i);
		w[n + i] = ich_ap1r_read(i);
	}
	return 2 * n;
}

static void dt_ich_apr(void)
{
	for (unsigned i = 0; i < ich_num_aprs(); i++) {
		ich_ap0r_write(i, 0x80000000U >> i);
		ich_ap1r_write(i, 0x40000000U >> i);
	}
}

static unsigned rd_ich_lrs(uint64_t *w)
{
	unsigned n = ich_num_lrs();
	for (unsigned i = 0; i < n; i++)
		w[i] = ich_lr_read(i);
	return n;
}

/* Pending, Group 1, priority 0xa0, vINTID 40 + n. */
static void dt_ich_lrs(void)
{
	for (unsigned i = 0; i < ich_num_lrs(); i++)
		ich_lr_write(i, BIT(62) | BIT(60) | (0xa0ULL << 48) | (40 + i));
}

/* --- GICv2 CPU interface (Non-secure view) and GICH --------------------- */

static unsigned rd_gicc_ctlr(uint64_t *w) { w[0] = mmio_read32(GICC + GICC_CTLR); return 1; }
static void dt_gicc_ctlr(void) { mmio_write32(GICC + GICC_CTLR, GICC_CTLR_NS_GRP1 | GICC_NS_EOIMODE); }
static unsigned rd_gicc_pmr(uint64_t *w) { w[0] = mmio_read32(GICC + GICC_PMR); return 1; }
static void dt_gicc_pmr(void) { mmio_write32(GICC + GICC_PMR, 0xa8); }
static unsigned rd_gicc_bpr(uint64_t *w) { w[0] = mmio_read32(GICC + GICC_BPR); return 1; }
static void dt_gicc_bpr(void) { mmio_write32(GICC + GICC_BPR, 5); }
/* Only GICC_APR0, and only on core 0: QEMU 7.2 swaps the CPU and register
 * numbers in its Non-secure view of GICC_APR<n> (fixed upstream in 2024),
 * so on any other core or register it reaches another core's state. */
static unsigned rd_gicc_apr(uint64_t *w) { w[0] = mmio_read32(GICC + GICC_APR0); return 1; }
static void dt_gicc_apr(void) { mmio_write32(GICC + GICC_APR0, 0x40000000U); }

static unsigned gich_lrs(void)
{
	return (mmio_read32(GICH + GICH_VTR) & 0x3f) + 1;
}

static unsigned rd_gich_hcr(uint64_t *w) { w[0] = mmio_read32(GICH + GICH_HCR); return 1; }
/* EOICount 5, LRENPIE; En stays 0: no maintenance interrupt. */
static void dt_gich_hcr(void) { mmio_write32(GICH + GICH_HCR, (5U << 27) | BIT32(2)); }
static unsigned rd_gich_vmcr(uint64_t *w) { w[0] = mmio_read32(GICH + GICH_VMCR); return 1; }
/* VMPriMask 0x15, VMBP 4, VMABP 5, VMCCtlr EOImode | EnableGrp1. */
static void dt_gich_vmcr(void)
{
	mmio_write32(GICH + GICH_VMCR, (0x15U << 27) | (4U << 21) | (5U << 18) | BIT32(9) | BIT32(1));
}
static unsigned rd_gich_apr(uint64_t *w) { w[0] = mmio_read32(GICH + GICH_APR); return 1; }
static void dt_gich_apr(void) { mmio_write32(GICH + GICH_APR, 0x40000000U); }
static unsigned rd_gich_lrs(uint64_t *w) { return read32s(GICH + GICH_LR0, gich_lrs(), w); }

/* Group 1, pending, priority 0x14 << 3, virtual ID 40 + n. */
static void dt_gich_lrs(void)
{
	for (unsigned i = 0; i < gich_lrs(); i++)
		mmio_write32(GICH + GICH_LR0 + 4 * i, BIT32(30) | BIT32(28) | (0x14U << 23) | (40 + i));
}

/* --- This core's SGIs and PPIs ------------------------------------------ */

static unsigned rd_priv_enable(uint64_t *w) { w[0] = mmio_read32(priv() + GICD_ISENABLER); return 1; }
static void dt_priv_enable(void) { mmio_write32(priv() + GICD_ISENABLER, PRIV_ENABLE & ~kept_bit(0)); }

static unsigned rd_priv_pending(uint64_t *w)
{
	w[0] = mmio_read32(priv() + GICD_ISPENDR) & ~kept_bit(0);
	return 1;
}

static void dt_priv_pending(void)
{
	mmio_write32(priv() + GICD_ISPENDR, PRIV_PEND_V3 & ~kept_bit(0));
}

/* GICv2: the per-source pending state of SGIs (GICD_SPENDSGIRn, one byte
 * per SGI) and GICD_ISPENDR0. The kept interrupt is left out. */
static unsigned rd_sgi_pending_v2(uint64_t *w)
{
	unsigned k = kept();

	w[0] = mmio_read32(GICD + GICD_ISPENDR) & ~kept_bit(0);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t v = mmio_read32(GICD + GICD_SPENDSGIR + 4 * i);
		if (k / 4 == i)
			v &= ~(0xffU << (8 * (k % 4)));
		w[1 + i] = v;
	}
	return 5;
}

static void dt_sgi_pending_v2(void)
{
	mmio_write32(GICD + GICD_SPENDSGIR + 12, SGI_PEND_V2);
}

static unsigned rd_priv_active(uint64_t *w) { w[0] = mmio_read32(priv() + GICD_ISACTIVER); return 1; }
static void dt_priv_active(void) { mmio_write32(priv() + GICD_ISACTIVER, PRIV_ACTIVE & ~kept_bit(0)); }
static unsigned rd_priv_prio(uint64_t *w) { return read32s(priv() + GICD_IPRIORITYR, 8, w); }
static void dt_priv_prio(void) { set_bytes(priv() + GICD_IPRIORITYR, 0, 32, PRIORITY); }
/* PPIs only: the SGIs' configuration is fixed (edge). */
static unsigned rd_priv_cfg(uint64_t *w) { w[0] = mmio_read32(priv() + GICD_ICFGR + 4); return 1; }

static void dt_priv_cfg(void)
{
	unsigned k = kept();
	uint32_t keep_bits = k >= 16 && k < 32 ? 3U << (2 * (k - 16)) : 0;
	uint32_t old = mmio_read32(priv() + GICD_ICFGR + 4);

	mmio_write32(priv() + GICD_ICFGR + 4, (EDGE_ALL & ~keep_bits) | (old & keep_bits));
}

/* --- The distributor and its SPIs --------------------------------------- */

static unsigned rd_gicd_ctlr(uint64_t *w) { w[0] = mmio_read32(GICD + GICD_CTLR); return 1; }

static void dt_gicd_ctlr(void)
{
	mmio_write32(GICD + GICD_CTLR, gic == 3 ? GICD_CTLR_NS_ARE | GICD_CTLR_NS_GRP1 : GICD_CTLR_V2_GRP1);
}

static unsigned rd_spi_bits(uintptr_t reg, uint64_t *w)
{
	unsigned n = nspi() / 32;
	for (unsigned i = 0; i < n; i++)
		w[i] = mmio_read32(reg + 4 + 4 * i) & ~kept_bit(32 * (i + 1));
	return n;
}

static void set_spi_bits(uintptr_t reg, uint32_t pattern)
{
	for (unsigned i = 0; i < nspi() / 32; i++)
		mmio_write32(reg + 4 + 4 * i, pattern & ~kept_bit(32 * (i + 1)));
}

static unsigned rd_spi_enable(uint64_t *w) { return rd_spi_bits(GICD + GICD_ISENABLER, w); }
static void dt_spi_enable(void) { set_spi_bits(GICD + GICD_ISENABLER, SPI_ENABLE); }
static unsigned rd_spi_pending(uint64_t *w) { return rd_spi_bits(GICD + GICD_ISPENDR, w); }
static void dt_spi_pending(void) { set_spi_bits(GICD + GICD_ISPENDR, SPI_PEND); }
static unsigned rd_spi_active(uint64_t *w) { return rd_spi_bits(GICD + GICD_ISACTIVER, w); }
static void dt_spi_active(void) { set_spi_bits(GICD + GICD_ISACTIVER, SPI_ACTIVE); }
static unsigned rd_spi_prio(uint64_t *w) { return read32s(GICD + GICD_IPRIORITYR + 32, nspi() / 4, w); }
static void dt_spi_prio(void) { set_bytes(GICD + GICD_IPRIORITYR, 32, nspi(), PRIORITY); }
static unsigned rd_spi_cfg(uint64_t *w) { return read32s(GICD + GICD_ICFGR + 8, nspi() / 16, w); }

static void dt_spi_cfg(void)
{
	for (unsigned i = 0; i < nspi() / 16; i++) {
		unsigned first = 32 + 16 * i, k = kept();
		uint32_t keep_bits = k >= first && k < first + 16 ? 3U << (2 * (k - first)) : 0;
		uint32_t old = mmio_read32(GICD + GICD_ICFGR + 8 + 4 * i);
		mmio_write32(GICD + GICD_ICFGR + 8 + 4 * i, (EDGE_ALL & ~keep_bits) | (old & keep_bits));
	}
}

/* GICv2: every SPI to core 1 alone. (Set before the pending state: QEMU's
 * GICv2 pends an SPI only on its target cores.) */
static unsigned rd_spi_targets(uint64_t *w) { return read32s(GICD + GICD_ITARGETSR + 32, nspi() / 4, w); }
static void dt_spi_targets(void) { set_bytes(GICD + GICD_ITARGETSR, 32, nspi(), 0x02); }

static unsigned rd_spi_route(uint64_t *w)
{
	for (unsigned i = 0; i < nspi(); i++)
		w[i] = mmio_read64(GICD + GICD_IROUTER + 8 * (32 + i));
	return nspi();
}

/* GICv3: every SPI to the core with affinity 0.0.0.1. */
static void dt_spi_route(void)
{
	for (unsigned i = 32; i < 32 + nspi(); i++)
		if (i != kept())
			mmio_write64(GICD + GICD_IROUTER + 8 * i, 1);
}

/* In the order the distinctive values are written: targets before the
 * pending state (see dt_spi_targets). */
static const struct item items[] = {
	{ "ICC_PMR_EL1 (priority mask)", 3, false, false, 0, rd_icc_pmr, dt_icc_pmr },
	{ "ICC_BPR0_EL1 (binary point)", 3, false, false, 0, rd_icc_bpr0, dt_icc_bpr0 },
	{ "ICC_BPR1_EL1 (binary point)", 3, false, false, 0, rd_icc_bpr1, dt_icc_bpr1 },
	{ "ICC_CTLR_EL1 (EOI mode)", 3, false, false, 0, rd_icc_ctlr, dt_icc_ctlr },
	{ "ICC_IGRPEN0/1_EL1 (group enables)", 3, false, false, 0, rd_icc_grpen, dt_icc_grpen },
	{ "ICC_AP0Rn/AP1Rn_EL1 (active priorities)", 3, false, false, 0, rd_icc_apr, dt_icc_apr },
	{ "ICH_HCR_EL2", 3, false, false, 0, rd_ich_hcr, dt_ich_hcr },
	{ "ICH_VMCR_EL2", 3, false, false, 0, rd_ich_vmcr, dt_ich_vmcr },
	{ "ICH_AP0Rn/AP1Rn_EL2", 3, false, false, 0, rd_ich_apr, dt_ich_apr },
	{ "ICH_LRn_EL2 (every list register)", 3, false, false, 0, rd_ich_lrs, dt_ich_lrs },
	{ "GICC_CTLR (group enable, EOI mode)", 2, false, false, 0, rd_gicc_ctlr, dt_gicc_ctlr },
	{ "GICC_PMR (priority mask)", 2, false, false, 0, rd_gicc_pmr, dt_gicc_pmr },
	{ "GICC_BPR (binary point)", 2, false, false, 0, rd_gicc_bpr, dt_gicc_bpr },
	{ "GICC_APR0 (active priorities)", 2, false, true, 0, rd_gicc_apr, dt_gicc_apr },
	{ "GICH_HCR", 2, false, false, 0, rd_gich_hcr, dt_gich_hcr },
	{ "GICH_VMCR", 2, false, false, 0, rd_gich_vmcr, dt_gich_vmcr },
	{ "GICH_APR", 2, false, false, 0, rd_gich_apr, dt_gich_apr },
	{ "GICH_LRn (every list register)", 2, false, false, 0, rd_gich_lrs, dt_gich_lrs },
	{ "SGI/PPI enables", 0, false, false, 0, rd_priv_enable, dt_priv_enable },
	{ "SGI/PPI priorities", 0, false, false, 0, rd_priv_prio, dt_priv_prio },
	{ "PPI configuration (edge/level)", 0, false, false, 0, rd_priv_cfg, dt_priv_cfg },
	{ "SGI/PPI active state", 0, false, false, 0, rd_priv_active, dt_priv_active },
	{ "SGI/PPI pending state", 3, false, false, 0, rd_priv_pending, dt_priv_pending },
	{ "SGI pending state", 2, false, false, GS_SLEEP, rd_sgi_pending_v2, dt_sgi_pending_v2 },
	{ "GICD_CTLR (Group 1 enable, ARE)", 0, true, false, 0, rd_gicd_ctlr, dt_gicd_ctlr },
	{ "SPI targets (GICD_ITARGETSR)", 2, true, false, 0, rd_spi_targets, dt_spi_targets },
	{ "SPI routing (GICD_IROUTER)", 3, true, false, 0, rd_spi_route, dt_spi_route },
	{ "SPI configuration (edge/level)", 0, true, false, 0, rd_spi_cfg, dt_spi_cfg },
	{ "SPI priorities", 0, true, false, 0, rd_spi_prio, dt_spi_prio },
	{ "SPI enables", 0, true, false, 0, rd_spi_enable, dt_spi_enable },
	{ "SPI active state", 0, true, false, 0, rd_spi_active, dt_spi_active },
	{ "SPI pending state", 0, true, false, 0, rd_spi_pending, dt_spi_pending },
};
_Static_assert(ARRAY_SIZE(items) <= ARRAY_SIZE(vals[0]), "vals too small");

static bool applies(const struct item *it, unsigned core, unsigned flags)
{
	return (!it->gic || it->gic == gic) && ((flags & GS_SYSTEM) || !it->system) &&
	       (!it->core0_only || core == 0) && !(it->skip & flags);
}

static void read_all(unsigned which)
{
	unsigned core = this_core();

	for (unsigned i = 0; i < ARRAY_SIZE(items); i++)
		if (applies(&items[i], core, flags_of[core]))
			nwords[core][i] = items[i].read(vals[core][i][which]);
	dsb(sy);
}

void gs_snapshot(unsigned gic_version)
{
	unsigned core = this_core();

	gic = gic_version;
	keep[core] = GS_KEEP_NONE;
	flags_of[core] = GS_SYSTEM;
	read_all(SNAP);
}

void gs_dirty(unsigned flags, unsigned keep_intid)
{
	unsigned core = this_core();

	keep[core] = keep_intid;
	flags_of[core] = flags;
	for (unsigned i = 0; i < ARRAY_SIZE(items); i++)
		if (applies(&items[i], core, flags))
			items[i].dirty();
	isb();
	read_all(DIRTY);
}

void gs_after(void)
{
	read_all(AFTER);
}

/* The first word where `a` and `b` differ, or -1. */
static int differs(const uint64_t *a, const uint64_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

void gs_report(unsigned core, const char *prefix)
{
	char name[96];

	dsb(sy);
	for (unsigned i = 0; i < ARRAY_SIZE(items); i++) {
		const struct item *it = &items[i];
		const uint64_t (*v)[MAX_WORDS] = vals[core][i];
		unsigned n = nwords[core][i];
		int set, now;

		if (!applies(it, core, flags_of[core]))
			continue;
		snprintf(name, sizeof(name), "%s: %s reset", prefix, it->name);
		set = differs(v[SNAP], v[DIRTY], n);
		now = differs(v[SNAP], v[AFTER], n);
		if (set < 0)
			check(0, name, "the distinctive value did not take (0x%lx)", v[DIRTY][0]);
		else
			check(now < 0, name, "word %d: hand-over 0x%lx, set 0x%lx, now 0x%lx", now,
			      now < 0 ? 0 : v[SNAP][now], now < 0 ? 0 : v[DIRTY][now],
			      now < 0 ? 0 : v[AFTER][now]);
	}
}
