/* PSCI conformance test of the rig firmware, run as the EL2 payload in
 * place of the hypervisor. Calls every PSCI function with valid and invalid
 * arguments, checks each return code against DEN0022 (PSCI 1.1), and proves
 * the power-loss simulation (gic_state.c: every GIC setting a Non-secure
 * EL2 payload can change is lost), the wake-up at once and the SMCCC 1.3
 * SVE hint. Prints "PASS: ..." / "FAIL: ..." lines and a
 * final "RESULT: N passed, M failed", then powers off.
 *
 * Mode (fw_cfg opt/lull/test): conformance (default) | pending (needs the
 * knob lose_cpu=2) | faults (needs fail_cpu_on=1,deny_suspend=1) | reset |
 * wake-uart, wake-gpio (SYSTEM_SUSPEND woken by a character typed on the
 * console / by QEMU's power button on the PL061 GPIO, driven by the test).
 *
 * Only core 0 prints and decides; other cores run short errands given by
 * their context_id (bits 15:8) and report through memory. The MMU is off:
 * all memory is Device memory, so everything shared is volatile. */
#include <stdarg.h>
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/fw_cfg.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include <lull/pl011.h>
#include <lull/psci.h>
#include <lull/smccc.h>
#include <string.h>
#include "gic_state.h"

#define UART      0x09000000UL
#define FW_CFG    0x09020000UL
#define RTC       0x09010000UL
#define GICD      0x08000000UL
#define GICR      0x080a0000UL
#define GICC      0x08010000UL
#define GPIO      0x09030000UL
#define RTC_INTID 34
#define UART_INTID 33
#define GPIO_INTID 39
#define GPIO_POWER_KEY 3
#define WAKE_SGI  3
#define IDLE_SGI  5            /* pended but never enabled */
#define EDGE_SPI  90           /* an SPI no device drives: pended by software */
#define PL011_INT_TX (1U << 5)
#define POISON    0xdead00000000deadULL
#define MARK      0x1234567887654321ULL

enum errand { ERRAND_PARK = 1, ERRAND_HOLD, ERRAND_LOSS_BEFORE, ERRAND_LOSS_AFTER, ERRAND_WAKE_SENDER,
	      ERRAND_RESUME };

extern char test_entry[];
volatile uint64_t entry_regs[8][35];
static volatile uint32_t arrived[8];
static volatile uint32_t loss_ok[8], loss_seen_pmr[8], loss_seen_enable[8];
static volatile uint32_t core0_resumed, release_hold, snapped[8];
static volatile unsigned step;
static unsigned passed, failed, gic_version;
static char mode[32];

static void put(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		pl011_putc(UART, '\r');
	pl011_putc(UART, c);
}

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_v(put, NULL, fmt, ap);
	va_end(ap);
	put('\n', NULL);
}

void check(int ok, const char *name, const char *fmt, ...)
{
	char detail[96] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ok) {
		passed++;
		say("PASS: %s", name);
	} else {
		failed++;
		say("FAIL: %s (%s)", name, detail);
	}
}

static int64_t psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return smccc_smc(fid, a1, a2, a3);
}

#define expect_rc(name, call, want) do { \
	int64_t rc_ = (call); \
	check(rc_ == (want), name, "got %ld %s, want %ld %s", (long)rc_, psci_error_name(rc_), \
	      (long)(want), psci_error_name(want)); \
} while (0)

static unsigned core_id(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static void delay_us(uint64_t us)
{
	uint64_t end = now() + us * (read_sysreg(cntfrq_el0) / 1000000);
	while (now() < end)
		wfe();
}

static uint64_t entry(void)
{
	return (uint64_t)(uintptr_t)test_entry;
}

static uint64_t ctx(unsigned core, enum errand e)
{
	return core | ((uint64_t)e << 8);
}

/* --- Minimal GIC use (Group 1 Non-secure, as the firmware hands it over) */

static uintptr_t private_base(unsigned core)
{
	return gic_version == 3 ? GICR + core * GICR_FRAME_SIZE + GICR_SGI_BASE : GICD;
}

static void gic_cpu_setup(void)
{
	if (gic_version == 3) {
		write_sysreg(read_sysreg(S3_4_C12_C9_5) | 0x9, S3_4_C12_C9_5); /* ICC_SRE_EL2 */
		isb();
		mmio_write32(GICD + GICD_CTLR, GICD_CTLR_NS_ARE | GICD_CTLR_NS_GRP1);
		write_sysreg(0xff, icc_pmr_el1);
		write_sysreg(1, icc_igrpen1_el1);
	} else {
		mmio_write32(GICD + GICD_CTLR, 1);
		mmio_write32(GICC + GICC_PMR, 0xff);
		mmio_write32(GICC + GICC_CTLR, GICC_CTLR_NS_GRP1);
	}
	isb();
}

static uint32_t gic_pmr(void)
{
	return gic_version == 3 ? (uint32_t)read_sysreg(icc_pmr_el1) : mmio_read32(GICC + GICC_PMR);
}

/* Priority 0x80 and, for an SPI, routed to `core`; still disabled. */
static void route_irq(unsigned core, unsigned intid)
{
	uintptr_t b = intid < 32 ? private_base(core) : GICD;
	mmio_write8(b + GICD_IPRIORITYR + intid, 0x80);
	if (intid >= 32) {
		if (gic_version == 3)
			mmio_write64(GICD + GICD_IROUTER + 8 * intid, core);
		else
			mmio_write8(GICD + GICD_ITARGETSR + intid, (uint8_t)(1U << core));
	}
}

static void enable_irq(unsigned core, unsigned intid)
{
	uintptr_t b = intid < 32 ? private_base(core) : GICD;
	route_irq(core, intid);
	mmio_write32(b + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

/* An SPI's trigger: edge (GICD_ICFGR 0b10) or level (0b00). */
static void set_edge(unsigned intid, int edge)
{
	uintptr_t r = GICD + GICD_ICFGR + (intid / 16) * 4;
	unsigned sh = 2 * (intid % 16);
	mmio_write32(r, (mmio_read32(r) & ~(3U << sh)) | ((edge ? 2U : 0U) << sh));
}

static void irq_write_bit(unsigned core, unsigned intid, uintptr_t reg)
{
	uintptr_t b = intid < 32 ? private_base(core) : GICD;
	mmio_write32(b + reg + (intid / 32) * 4, 1U << (intid % 32));
}

static int irq_bit(unsigned core, unsigned intid, uintptr_t reg)
{
	uintptr_t b = intid < 32 ? private_base(core) : GICD;
	return (mmio_read32(b + reg + (intid / 32) * 4) >> (intid % 32)) & 1;
}

static void send_sgi(unsigned core, unsigned sgi)
{
	dsb(sy);
	if (gic_version == 3)
		write_sysreg(((uint64_t)sgi << 24) | (1ULL << core), icc_sgi1r_el1);
	else
		mmio_write32(GICD + GICD_SGIR, (1U << (16 + core)) | sgi);
	isb();
}

/* Acknowledge and complete whatever is pending for this core. */
static void gic_drain(void)
{
	for (int i = 0; i < 8; i++) {
		uint32_t iar = gic_version == 3 ? (uint32_t)read_sysreg(icc_iar1_el1)
						: mmio_read32(GICC + GICC_IAR);
		if ((iar & 0x3ff) >= 1020)
			return;
		if (gic_version == 3)
			write_sysreg(iar, icc_eoir1_el1);
		else
			mmio_write32(GICC + GICC_EOIR, iar);
	}
}

static unsigned probe_gic_version(void)
{
	return ((read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf) ? 3 : 2;
}

/* --- Errands of the other cores ------------------------------------- */

/* Wait (at most 100 ms) until core 0 sleeps in the firmware. Core 0 turned
 * Group 1 off at the distributor before its call; the rig's wait for a
 * wake-up interrupt turns it on (fw_gic_wait_for_wake), after the firmware
 * has captured what was pending at the call. A wake-up sent earlier would
 * wake core 0 at once instead of from its sleep. */
static void wait_core0_asleep(void)
{
	uint32_t grp1 = gic_version == 3 ? GICD_CTLR_NS_GRP1 : 1;

	for (int i = 0; i < 1000 && !(mmio_read32(GICD + GICD_CTLR) & grp1); i++)
		delay_us(100);
}

static void errand(unsigned core, enum errand e)
{
	const volatile uint64_t *r = entry_regs[core];

	if (!snapped[core]) {
		/* First CPU_ON: the GIC state as handed over, for gs_report. */
		gs_snapshot(gic_version);
		snapped[core] = 1;
	}
	switch (e) {
	case ERRAND_PARK:
		arrived[core]++;
		break;
	case ERRAND_HOLD:
		arrived[core]++;
		while (!release_hold)
			delay_us(1000);
		break;
	case ERRAND_LOSS_BEFORE:
		/* State that real silicon loses with power: set it up. */
		gic_cpu_setup();
		enable_irq(core, 27);
		write_sysreg(MARK, tpidr_el2);
		write_sysreg(MARK & ~0x7ffULL, vbar_el2);
		write_sysreg(MARK, cnthp_cval_el2);
		write_sysreg(1, cnthp_ctl_el2);
		gs_dirty(0, GS_KEEP_NONE);
		arrived[core]++;
		break;
	case ERRAND_LOSS_AFTER: {
		int ok;

		gs_after();
		/* HCR_EL2 as found: not the payload's own (RW only) but the
		 * firmware's poison. */
		ok = r[33] != MARK && !(r[31] & 1) && r[34] != BIT(31) && r[32] != (MARK & ~0x7ffULL);
		for (int i = 4; i <= 30; i++)
			ok &= r[i] == POISON;
		ok &= read_sysreg(cnthp_ctl_el2) == 0;
		loss_ok[core] = ok;
		loss_seen_pmr[core] = gic_pmr();
		loss_seen_enable[core] = irq_bit(core, 27, GICD_ISENABLER);
		arrived[core]++;
		break;
	}
	case ERRAND_WAKE_SENDER:
		arrived[core]++;
		wait_core0_asleep();
		while (!core0_resumed) {
			send_sgi(0, WAKE_SGI);
			delay_us(2000);
		}
		break;
	default:
		break;
	}
	psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

/* --- Test steps on core 0 ---------------------------------------------- */

static void wait_off(unsigned core)
{
	for (int i = 0; i < 100000; i++) {
		if (psci(PSCI_AFFINITY_INFO64, core, 0, 0) == PSCI_AFF_OFF)
			return;
		delay_us(100);
	}
	say("FAIL: core %u never turned off", core);
	failed++;
}

static int wait_arrived(unsigned core, uint32_t count)
{
	for (int i = 0; i < 100000 && arrived[core] < count; i++)
		delay_us(100);
	return arrived[core] >= count;
}

/* SMCCC v1.3: the SVE live state hint (function ID bit 16) may be set on
 * any fast call and changes no answer; bits 23:17 must still be zero. */
static void test_sve_hint(void)
{
	expect_rc("PSCI_VERSION with the SVE hint", psci(PSCI_VERSION | SMCCC_SVE_HINT, 0, 0, 0),
		  PSCI_VERSION_1_1);
	expect_rc("SMCCC_VERSION with the SVE hint", psci(SMCCC_VERSION | SMCCC_SVE_HINT, 0, 0, 0),
		  SMCCC_VERSION_1_3);
	expect_rc("PSCI_FEATURES(CPU_SUSPEND) with the SVE hint",
		  psci(PSCI_FEATURES | SMCCC_SVE_HINT, PSCI_CPU_SUSPEND, 0, 0), PSCI_FEAT_PC_EXTENDED_STATEID);
	expect_rc("PSCI_FEATURES(SYSTEM_SUSPEND64) with the SVE hint",
		  psci(PSCI_FEATURES | SMCCC_SVE_HINT, PSCI_SYSTEM_SUSPEND64, 0, 0), PSCI_SUCCESS);
	expect_rc("PSCI_FEATURES(unknown id) with the SVE hint",
		  psci(PSCI_FEATURES | SMCCC_SVE_HINT, 0x8400001f, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("AFFINITY_INFO64 with the SVE hint",
		  psci(PSCI_AFFINITY_INFO64 | SMCCC_SVE_HINT, 1, 0, 0), PSCI_AFF_OFF);
	expect_rc("PSCI_VERSION with reserved bit 17 set", psci(PSCI_VERSION | 0x20000, 0, 0, 0),
		  PSCI_NOT_SUPPORTED);
}

static void test_basics(void)
{
	static const uint32_t implemented[] = {
		PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_CPU_ON64, PSCI_AFFINITY_INFO,
		PSCI_AFFINITY_INFO64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		PSCI_FEATURES, PSCI_SYSTEM_SUSPEND, PSCI_SYSTEM_SUSPEND64, SMCCC_VERSION,
	};
	char name[64];

	expect_rc("PSCI_VERSION is 1.1", psci(PSCI_VERSION, 0, 0, 0), PSCI_VERSION_1_1);
	expect_rc("SMCCC_VERSION is 1.3", psci(SMCCC_VERSION, 0, 0, 0), SMCCC_VERSION_1_3);
	expect_rc("SMCCC_ARCH_FEATURES(SMCCC_ARCH_SOC_ID, optional, not offered)",
		  psci(SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID, 0, 0), SMCCC_NOT_SUPPORTED);
	expect_rc("SMCCC_ARCH_FEATURES(SMCCC_VERSION)", psci(SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0), 0);
	expect_rc("SMCCC_ARCH_FEATURES(SMCCC_ARCH_FEATURES)",
		  psci(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0), 0);
	expect_rc("SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_1, not offered)",
		  psci(SMCCC_ARCH_FEATURES, 0x80008000, 0, 0), SMCCC_NOT_SUPPORTED);
	for (unsigned i = 0; i < ARRAY_SIZE(implemented); i++) {
		snprintf(name, sizeof(name), "PSCI_FEATURES(%s%s)", psci_fn_name(implemented[i]),
			 psci_is_smc64(implemented[i]) ? "64" : "");
		expect_rc(name, psci(PSCI_FEATURES, implemented[i], 0, 0), PSCI_SUCCESS);
	}
	/* DEN0022 5.1.14: for CPU_SUSPEND the flags: bit 1 = extended
	 * StateID format, bit 0 = OS-initiated mode (not offered). */
	expect_rc("PSCI_FEATURES(CPU_SUSPEND) flags", psci(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0), 2);
	expect_rc("PSCI_FEATURES(CPU_SUSPEND64) flags", psci(PSCI_FEATURES, PSCI_CPU_SUSPEND64, 0, 0), 2);
	expect_rc("PSCI_FEATURES(unknown id)", psci(PSCI_FEATURES, 0x8400001f, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("PSCI_FEATURES(SYSTEM_RESET2, not offered)",
		  psci(PSCI_FEATURES, PSCI_SYSTEM_RESET2, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("unknown PSCI function", psci(0x84000020, 0, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("unknown SMC64 function", psci(0xc400001f, 0, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("MIGRATE (optional, absent)", psci(PSCI_MIGRATE, 1, 0, 0), PSCI_NOT_SUPPORTED);
	expect_rc("MIGRATE_INFO_TYPE: no Trusted OS migration",
		  psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), PSCI_TOS_NOT_PRESENT_MP);
	test_sve_hint();
}

static void test_affinity_info(void)
{
	expect_rc("AFFINITY_INFO self ON", psci(PSCI_AFFINITY_INFO64, 0, 0, 0), PSCI_AFF_ON);
	expect_rc("AFFINITY_INFO core 1 OFF", psci(PSCI_AFFINITY_INFO64, 1, 0, 0), PSCI_AFF_OFF);
	expect_rc("AFFINITY_INFO level 1 (cluster) ON", psci(PSCI_AFFINITY_INFO64, 1, 1, 0), PSCI_AFF_ON);
	expect_rc("AFFINITY_INFO level 2 ON", psci(PSCI_AFFINITY_INFO64, 0, 2, 0), PSCI_AFF_ON);
	expect_rc("AFFINITY_INFO level 3 ON", psci(PSCI_AFFINITY_INFO64, 0, 3, 0), PSCI_AFF_ON);
	expect_rc("AFFINITY_INFO level 4", psci(PSCI_AFFINITY_INFO64, 0, 4, 0), PSCI_INVALID_PARAMETERS);
	expect_rc("AFFINITY_INFO unknown core", psci(PSCI_AFFINITY_INFO64, 0x7f, 0, 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("AFFINITY_INFO reserved MPIDR bits", psci(PSCI_AFFINITY_INFO64, 1ULL << 24, 0, 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("AFFINITY_INFO (SMC32) ignores upper argument bits",
		  psci(PSCI_AFFINITY_INFO, 0xffffffff00000000ULL, 0xabcd00000000ULL, 0), PSCI_AFF_ON);
}

static void test_cpu_on(void)
{
	expect_rc("CPU_ON unknown MPIDR", psci(PSCI_CPU_ON64, 0x55, entry(), 0), PSCI_INVALID_PARAMETERS);
	expect_rc("CPU_ON reserved MPIDR bits", psci(PSCI_CPU_ON64, 1 | (1ULL << 40), entry(), 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("CPU_ON entry in secure RAM", psci(PSCI_CPU_ON64, 1, 0x0e000000, 0),
		  PSCI_INVALID_ADDRESS);
	expect_rc("CPU_ON entry below RAM", psci(PSCI_CPU_ON64, 1, 0x1000, 0), PSCI_INVALID_ADDRESS);
	expect_rc("CPU_ON entry beyond RAM", psci(PSCI_CPU_ON64, 1, 0x4000000000ULL, 0),
		  PSCI_INVALID_ADDRESS);
	expect_rc("CPU_ON misaligned entry", psci(PSCI_CPU_ON64, 1, entry() + 2, 0), PSCI_INVALID_ADDRESS);
	expect_rc("CPU_ON self", psci(PSCI_CPU_ON64, 0, entry(), 0), PSCI_ALREADY_ON);
	/* SMC32: upper halves of target, entry and context_id are ignored. */
	expect_rc("CPU_ON (SMC32) ignores upper argument bits",
		  psci(PSCI_CPU_ON, 0xdead00000001ULL, 0xffffffff00000000ULL | entry(),
		       0xffff000000000000ULL | ctx(1, ERRAND_PARK)), PSCI_SUCCESS);
	check(wait_arrived(1, 1), "CPU_ON core 1 arrives at its entry", "never arrived");
	check(entry_regs[1][0] == ctx(1, ERRAND_PARK), "CPU_ON passes context_id in x0 (SMC32: low half)",
	      "x0 = 0x%lx", entry_regs[1][0]);
	wait_off(1);
	expect_rc("AFFINITY_INFO after CPU_OFF", psci(PSCI_AFFINITY_INFO64, 1, 0, 0), PSCI_AFF_OFF);
	expect_rc("CPU_ON (SMC64) again", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_PARK)),
		  PSCI_SUCCESS);
	check(wait_arrived(1, 2), "core 1 arrives again", "never arrived");
	wait_off(1);
}

static void test_power_loss(void)
{
	expect_rc("CPU_ON for the power-loss proof",
		  psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_LOSS_BEFORE)), PSCI_SUCCESS);
	check(wait_arrived(1, 3), "core 1 set up registers before CPU_OFF", "never arrived");
	wait_off(1);
	expect_rc("CPU_ON after power loss", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_LOSS_AFTER)),
		  PSCI_SUCCESS);
	check(wait_arrived(1, 4), "core 1 back after CPU_OFF", "never arrived");
	check(loss_ok[1], "power loss: EL2 registers and x4-x30 destroyed, MMU off, timer off",
	      "TPIDR 0x%lx SCTLR 0x%lx HCR 0x%lx x19 0x%lx", entry_regs[1][33], entry_regs[1][31],
	      entry_regs[1][34], entry_regs[1][19]);
	check(loss_seen_enable[1] == 0, "power loss: redistributor/banked PPI enable cleared",
	      "PPI 27 still enabled");
	check(loss_seen_pmr[1] == 0, "power loss: GIC CPU interface priority mask reset",
	      "PMR 0x%x", loss_seen_pmr[1]);
	gs_report(1, "CPU_OFF power loss");
	wait_off(1);
}

static void test_cpu_suspend_standby(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0), t0, t1;

	expect_rc("CPU_SUSPEND reserved bit 31", psci(PSCI_CPU_SUSPEND, 0x80000001, 0, 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("CPU_SUSPEND reserved bits 29:28", psci(PSCI_CPU_SUSPEND, 0x10000001, 0, 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("CPU_SUSPEND unknown StateID", psci(PSCI_CPU_SUSPEND, 0x7, 0, 0),
		  PSCI_INVALID_PARAMETERS);
	expect_rc("CPU_SUSPEND power-down, entry outside RAM",
		  psci(PSCI_CPU_SUSPEND, PSCI_STATE_CORE_POWERDOWN, 0x1000, 0), PSCI_INVALID_ADDRESS);
	/* Standby ends at the next interrupt (here the EL2 timer, 2 ms) and
	 * returns to the caller with its state intact. */
	gic_cpu_setup();
	enable_irq(0, 26);
	write_sysreg(MARK, tpidr_el2);
	t0 = now();
	write_sysreg(t0 + freq / 500, cnthp_cval_el2);
	write_sysreg(1, cnthp_ctl_el2);
	expect_rc("CPU_SUSPEND standby returns", psci(PSCI_CPU_SUSPEND, PSCI_STATE_CORE_STANDBY, 0, 0),
		  PSCI_SUCCESS);
	t1 = now();
	write_sysreg(0, cnthp_ctl_el2);
	gic_drain();
	check(t1 - t0 >= freq / 500, "standby lasted until the wake-up interrupt", "%lu ticks",
	      t1 - t0);
	check(read_sysreg(tpidr_el2) == MARK, "standby keeps core state", "TPIDR lost");
	/* The core's own timer loses power with it: it is no wake-up source.
	 * (GICv3 only: QEMU's GICv2 keeps SGIs always enabled, an option
	 * IHI 0048B 4.3.5 allows, so any SGI could still wake the core.) */
	if (gic_version == 3)
		expect_rc("CPU_SUSPEND power-down with only the core timer to wake it",
			  psci(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_POWERDOWN, entry(), 0), PSCI_DENIED);
}

/* Group 1 off at the distributor, ARE kept (GICv3): the wake-up sender
 * watches for the firmware turning it on (wait_core0_asleep). */
static void gicd_group1_off(void)
{
	mmio_write32(GICD + GICD_CTLR, gic_version == 3 ? GICD_CTLR_NS_ARE : 0);
}

static void test_cpu_suspend_powerdown(void)
{
	gic_cpu_setup();
	enable_irq(0, WAKE_SGI);
	enable_irq(0, 27);
	gicd_group1_off();
	write_sysreg(MARK, tpidr_el2);
	expect_rc("CPU_ON the wake-up sender", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_WAKE_SENDER)),
		  PSCI_SUCCESS);
	check(wait_arrived(1, 5), "wake-up sender running", "never arrived");
	gs_dirty(GS_SLEEP, WAKE_SGI);
	psci(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_POWERDOWN, entry(), ctx(0, ERRAND_RESUME) | 0xab0000);
	check(0, "CPU_SUSPEND power-down re-enters at entry_point", "it returned");
}

static void check_cpu_suspend_resumed(void)
{
	const volatile uint64_t *r = entry_regs[0];

	gs_after();
	core0_resumed = 1;
	check(r[0] == (ctx(0, ERRAND_RESUME) | 0xab0000), "power-down resume: x0 = context_id",
	      "x0 0x%lx", r[0]);
	check(!(r[31] & 1), "power-down resume: MMU off", "SCTLR_EL2 0x%lx", r[31]);
	check(r[33] != MARK, "power-down resume: core state lost", "TPIDR_EL2 survived");
	check(irq_bit(0, WAKE_SGI, GICD_ISPENDR), "power-down resume: wake-up SGI still pending",
	      "not pending");
	check(!irq_bit(0, 27, GICD_ISENABLER), "power-down resume: private interrupt state lost",
	      "PPI 27 still enabled");
	gs_report(0, "power-down resume");
	wait_off(1);
}

static void test_system_suspend_refusals(void)
{
	unsigned before = arrived[1];

	expect_rc("CPU_ON core 1 (stays on)", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_HOLD)),
		  PSCI_SUCCESS);
	check(wait_arrived(1, before + 1), "core 1 on", "never arrived");
	expect_rc("SYSTEM_SUSPEND with another core on", psci(PSCI_SYSTEM_SUSPEND64, entry(), 0, 0),
		  PSCI_DENIED);
	release_hold = 1;
	wait_off(1);
	expect_rc("SYSTEM_SUSPEND without any wake-up source", psci(PSCI_SYSTEM_SUSPEND64, entry(), 0, 0),
		  PSCI_DENIED);
	expect_rc("SYSTEM_SUSPEND entry outside RAM", psci(PSCI_SYSTEM_SUSPEND64, 0x1000, 0, 0),
		  PSCI_INVALID_ADDRESS);
	expect_rc("SYSTEM_SUSPEND misaligned entry", psci(PSCI_SYSTEM_SUSPEND64, entry() + 1, 0, 0),
		  PSCI_INVALID_ADDRESS);
}

static void arm_rtc_alarm(void)
{
	mmio_write32(RTC + 0x1c, 1);                        /* RTCICR */
	mmio_write32(RTC + 0x04, mmio_read32(RTC) + 2);     /* RTCMR = now + 2 s */
	mmio_write32(RTC + 0x10, 1);                        /* RTCIMSC */
}

static void test_system_suspend(void)
{
	gic_cpu_setup();
	enable_irq(0, RTC_INTID);
	arm_rtc_alarm();
	gs_dirty(GS_SYSTEM, RTC_INTID);
	psci(PSCI_SYSTEM_SUSPEND64, entry(), ctx(0, ERRAND_RESUME) | 0x5500000, 0);
	check(0, "SYSTEM_SUSPEND re-enters at entry_point", "it returned");
}

static void check_system_resumed(void)
{
	const volatile uint64_t *r = entry_regs[0];

	gs_after();
	check(r[0] == (ctx(0, ERRAND_RESUME) | 0x5500000), "system resume: x0 = context_id", "x0 0x%lx",
	      r[0]);
	check(!(r[31] & 1), "system resume: MMU off", "SCTLR_EL2 0x%lx", r[31]);
	check(mmio_read32(RTC + 0x14) & 1, "system resume: woken by the RTC alarm", "RTCRIS clear");
	check(!irq_bit(0, RTC_INTID, GICD_ISENABLER), "system resume: distributor state lost",
	      "RTC SPI still enabled");
	check(irq_bit(0, RTC_INTID, GICD_ISPENDR), "system resume: wake-up SPI still pending",
	      "not pending");
	check(!(mmio_read32(GICD + GICD_CTLR) & GICD_CTLR_NS_GRP1), "system resume: GICD Group 1 off",
	      "GICD_CTLR 0x%x", mmio_read32(GICD + GICD_CTLR));
	mmio_write32(RTC + 0x1c, 1);
	check(!irq_bit(0, RTC_INTID, GICD_ISPENDR), "system resume: level SPI follows its device",
	      "still pending after RTCICR");
	gs_report(0, "system resume");
}

/* --- Wake-up at once: a wake-up interrupt already pending at the call --- */

/* Pending but not enabled is no wake-up: still DENIED, and nothing lost. */
static void test_pending_but_disabled(void)
{
	gic_cpu_setup();
	route_irq(0, EDGE_SPI);
	set_edge(EDGE_SPI, 1);
	irq_write_bit(0, EDGE_SPI, GICD_ISPENDR);
	expect_rc("SYSTEM_SUSPEND with a wake-up pending but not enabled",
		  psci(PSCI_SYSTEM_SUSPEND64, entry(), 0, 0), PSCI_DENIED);
	check(irq_bit(0, EDGE_SPI, GICD_ISPENDR), "DENIED keeps the pending SPI", "lost");
	irq_write_bit(0, EDGE_SPI, GICD_ICPENDR);
	set_edge(EDGE_SPI, 0);
	/* GICv3 only: QEMU's GICv2 keeps SGIs enabled (see test_cpu_suspend_standby). */
	if (gic_version == 3) {
		send_sgi(0, IDLE_SGI);
		write_sysreg(MARK, tpidr_el2);
		expect_rc("CPU_SUSPEND power-down with an SGI pending but not enabled",
			  psci(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_POWERDOWN, entry(), 0), PSCI_DENIED);
		check(irq_bit(0, IDLE_SGI, GICD_ISPENDR) && read_sysreg(tpidr_el2) == MARK,
		      "DENIED keeps the pending SGI and the core state", "lost");
		irq_write_bit(0, IDLE_SGI, GICD_ICPENDR);
	}
}

/* Each case suspends with its wake-up interrupt already pending and must be
 * re-entered at once at entry_point, with the interrupt still pending. The
 * power loss still happens: the `dirty` cases prove every GIC item lost. */
struct at_once {
	const char *name;
	bool system;
	unsigned intid;
	bool dirty;
};

static const struct at_once at_once_cases[] = {
	{ "at-once power-down (SGI)", false, WAKE_SGI, true },
	{ "at-once power-down (edge SPI)", false, EDGE_SPI, false },
	{ "at-once power-down (level SPI)", false, UART_INTID, false },
	{ "at-once system suspend (edge SPI)", true, EDGE_SPI, true },
	{ "at-once system suspend (level SPI)", true, UART_INTID, false },
};

static uint64_t at_once_ctx(unsigned i)
{
	return ctx(0, ERRAND_RESUME) | ((uint64_t)(0xc0 + i) << 16);
}

/* Make `intid` pending: an SGI sent to itself; an edge SPI pended through
 * GICD_ISPENDR; the UART's transmit interrupt, a level one that QEMU's
 * PL011 raises after every character written, unmasked. */
static void make_pending(unsigned intid)
{
	if (intid < 16) {
		send_sgi(0, intid);
	} else if (intid == UART_INTID) {
		set_edge(intid, 0);
		mmio_write32(UART + PL011_IMSC, PL011_INT_TX);
	} else {
		set_edge(intid, 1);
		irq_write_bit(0, intid, GICD_ISPENDR);
	}
}

static void test_at_once(unsigned i)
{
	const struct at_once *c = &at_once_cases[i];
	char name[80];

	gic_cpu_setup();
	enable_irq(0, c->intid);
	if (c->dirty)
		gs_dirty(c->system ? GS_SYSTEM : 0, c->intid);
	make_pending(c->intid);
	write_sysreg(MARK, tpidr_el2);
	if (c->system)
		psci(PSCI_SYSTEM_SUSPEND64, entry(), at_once_ctx(i), 0);
	else
		psci(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_POWERDOWN, entry(), at_once_ctx(i));
	snprintf(name, sizeof(name), "%s re-enters at entry_point", c->name);
	check(0, name, "it returned");
}

static void check_at_once(unsigned i)
{
	const struct at_once *c = &at_once_cases[i];
	const volatile uint64_t *r = entry_regs[0];
	/* Read before anything is printed: printing raises the UART's
	 * transmit interrupt again. */
	int pending = irq_bit(0, c->intid, GICD_ISPENDR);
	int enabled = irq_bit(0, c->intid, GICD_ISENABLER);
	int follows = 1;
	char name[96];

	if (c->dirty)
		gs_after();
	if (c->intid == UART_INTID) {
		mmio_write32(UART + PL011_IMSC, 0);
		mmio_write32(UART + PL011_ICR, PL011_INT_TX);
		follows = !irq_bit(0, c->intid, GICD_ISPENDR);
	}
#define CHECK_AT_ONCE(ok, what, ...) \
	(snprintf(name, sizeof(name), "%s: %s", c->name, what), check(ok, name, __VA_ARGS__))
	CHECK_AT_ONCE(r[0] == at_once_ctx(i), "x0 = context_id", "x0 0x%lx", r[0]);
	CHECK_AT_ONCE(!(r[31] & 1) && r[33] != MARK, "MMU off, core state lost",
		      "SCTLR_EL2 0x%lx TPIDR_EL2 0x%lx", r[31], r[33]);
	CHECK_AT_ONCE(pending, "the wake-up interrupt is still pending", "interrupt %u not pending",
		      c->intid);
	if (c->system)
		CHECK_AT_ONCE(!enabled, "distributor state lost", "interrupt %u still enabled", c->intid);
	else if (c->intid >= 32)
		CHECK_AT_ONCE(enabled, "distributor state kept", "interrupt %u disabled", c->intid);
	else if (gic_version == 3)
		CHECK_AT_ONCE(!enabled, "private interrupt state lost", "SGI %u still enabled", c->intid);
	if (c->intid == UART_INTID)
		CHECK_AT_ONCE(follows, "the level SPI follows its device",
			      "still pending after UARTICR");
#undef CHECK_AT_ONCE
	if (c->dirty)
		gs_report(0, c->name);
	/* Leave nothing behind for the next case. */
	mmio_write32((c->intid < 32 ? private_base(0) : GICD) + GICD_ICENABLER + (c->intid / 32) * 4,
		     1U << (c->intid % 32));
	if (c->intid >= 16) {
		irq_write_bit(0, c->intid, GICD_ICPENDR);
		set_edge(c->intid, 0);
	} else {
		gic_cpu_setup();
		gic_drain();
	}
}

/* SYSTEM_SUSPEND woken by another level-triggered device than the RTC. The
 * test driving QEMU produces the event once it sees "SUSPENDING". */
static void test_device_wake(const char *device)
{
	unsigned intid;

	gic_cpu_setup();
	if (!strcmp(device, "uart")) {
		intid = UART_INTID;
		mmio_write32(UART + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	} else {
		intid = GPIO_INTID;
		/* PL061: edge-sensitive (IS = 0) on the rising edge (IEV = 1). */
		mmio_write32(GPIO + 0x41c, 0xff);                       /* GPIOIC */
		mmio_write32(GPIO + 0x40c, 1U << GPIO_POWER_KEY);       /* GPIOIEV */
		mmio_write32(GPIO + 0x410, 1U << GPIO_POWER_KEY);       /* GPIOIE */
	}
	enable_irq(0, intid);
	say("SUSPENDING until interrupt %u", intid);
	psci(PSCI_SYSTEM_SUSPEND64, entry(), ctx(0, ERRAND_RESUME) | ((uint64_t)intid << 16), 0);
	check(0, "SYSTEM_SUSPEND re-enters at entry_point", "it returned");
}

static void check_device_woke(void)
{
	unsigned intid = (unsigned)(entry_regs[0][0] >> 16) & 0xffff;

	check(irq_bit(0, intid, GICD_ISPENDR), "device wake: the device's SPI is still pending",
	      "interrupt %u not pending", intid);
	check(!irq_bit(0, intid, GICD_ISENABLER), "device wake: distributor state lost",
	      "interrupt %u still enabled", intid);
	if (intid == UART_INTID)
		check(pl011_getc(UART) >= 0, "device wake: the character is in the UART", "no input");
	else
		check(mmio_read32(GPIO + 0x414) & (1U << GPIO_POWER_KEY),   /* GPIORIS */
		      "device wake: the power key is latched in the GPIO", "GPIORIS clear");
	say("woken by interrupt %u", intid);
}

/* With lose_cpu=2: a core that never comes back stays ON_PENDING. */
static void test_pending(void)
{
	expect_rc("CPU_ON core 2", psci(PSCI_CPU_ON64, 2, entry(), ctx(2, ERRAND_PARK)), PSCI_SUCCESS);
	check(wait_arrived(2, 1), "core 2 arrives", "never arrived");
	wait_off(2);
	expect_rc("CPU_ON core 2 (the knob keeps it off)", psci(PSCI_CPU_ON64, 2, entry(), ctx(2, ERRAND_PARK)),
		  PSCI_SUCCESS);
	delay_us(20000);
	expect_rc("AFFINITY_INFO while pending", psci(PSCI_AFFINITY_INFO64, 2, 0, 0), PSCI_AFF_ON_PENDING);
	expect_rc("CPU_ON while pending", psci(PSCI_CPU_ON64, 2, entry(), 0), PSCI_ON_PENDING);
	expect_rc("AFFINITY_INFO level 1 with core 1 off, core 2 pending",
		  psci(PSCI_AFFINITY_INFO64, 0x1, 1, 0), PSCI_AFF_ON);
	expect_rc("SYSTEM_SUSPEND while a core is ON_PENDING", psci(PSCI_SYSTEM_SUSPEND64, entry(), 0, 0),
		  PSCI_DENIED);
	check(arrived[2] == 1, "the lost core never ran", "it ran");
}

/* With fail_cpu_on=1,deny_suspend=1. */
static void test_faults(void)
{
	expect_rc("first CPU_ON fails (fault knob)", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_PARK)),
		  PSCI_INTERNAL_FAILURE);
	expect_rc("AFFINITY_INFO after a failed CPU_ON", psci(PSCI_AFFINITY_INFO64, 1, 0, 0), PSCI_AFF_OFF);
	expect_rc("second CPU_ON works", psci(PSCI_CPU_ON64, 1, entry(), ctx(1, ERRAND_PARK)), PSCI_SUCCESS);
	check(wait_arrived(1, 1), "core 1 arrives", "never arrived");
	wait_off(1);
	expect_rc("first SYSTEM_SUSPEND denied (fault knob)", psci(PSCI_SYSTEM_SUSPEND64, entry(), 0, 0),
		  PSCI_DENIED);
}

static void finish(void)
{
	say("RESULT: %u passed, %u failed", passed, failed);
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

static void run_steps(void)
{
	for (;;) {
		switch (step) {
		case 0: test_basics(); break;
		case 1: test_affinity_info(); break;
		case 2: test_cpu_on(); break;
		case 3: test_power_loss(); break;
		case 4: test_cpu_suspend_standby(); break;
		case 5: test_cpu_suspend_powerdown(); break;     /* resumes at 6 */
		case 6: check_cpu_suspend_resumed(); break;
		case 7: test_system_suspend_refusals(); break;
		case 8: test_system_suspend(); break;            /* resumes at 9 */
		case 9: check_system_resumed(); break;
		case 10: test_pending_but_disabled(); break;
		default:
			/* Steps 11, 13, ... suspend, and 12, 14, ... check. */
			if (step - 11 < 2 * ARRAY_SIZE(at_once_cases)) {
				if ((step - 11) % 2 == 0)
					test_at_once((step - 11) / 2);
				else
					check_at_once((step - 11) / 2);
				break;
			}
			finish();
		}
		step++;
	}
}

void payload_exception(unsigned kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	say("FAIL: unexpected exception %u ESR 0x%lx ELR 0x%lx FAR 0x%lx", kind, esr, elr, far);
	failed++;
	finish();
}

void payload_entry(uint64_t x0, uint64_t reentry)
{
	unsigned core = core_id();

	if (reentry && core != 0) {
		errand(core, (enum errand)((x0 >> 8) & 0xff));
		return;
	}
	if (reentry) {
		gic_version = probe_gic_version();
		if (!strncmp(mode, "wake-", 5)) {
			check_device_woke();
			finish();
		}
		/* Core 0 back from a power-down: continue after the step that
		 * suspended (run_steps increments past it). */
		step++;
		run_steps();
	}
	pl011_init(UART);
	gic_version = probe_gic_version();
	gs_snapshot(gic_version);
	snapped[0] = 1;
	if (fw_cfg_read_file(FW_CFG, "opt/lull/test", mode, sizeof(mode)) < 0)
		memcpy(mode, "conformance", sizeof("conformance"));
	say("PSCI conformance payload: mode %s, GICv%u, dtb %p", mode, gic_version, (void *)x0);
	if (!strcmp(mode, "pending")) {
		test_pending();
		finish();
	} else if (!strcmp(mode, "faults")) {
		test_faults();
		finish();
	} else if (!strcmp(mode, "wake-uart") || !strcmp(mode, "wake-gpio")) {
		test_device_wake(mode + 5);
	} else if (!strcmp(mode, "reset")) {
		say("calling SYSTEM_RESET");
		psci(PSCI_SYSTEM_RESET, 0, 0, 0);
		check(0, "SYSTEM_RESET does not return", "it returned");
		finish();
	}
	run_steps();
}

void lull_stack_chk_failed(void)
{
}
