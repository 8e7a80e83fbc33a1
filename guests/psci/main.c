/* The virtual PSCI 1.1 (Arm DEN0022) and SMCCC 1.1 (DEN0028) a domain
 * sees, as a GTEST suite: every call with valid and invalid arguments,
 * through HVC and through a trapped SMC. vCPU 0 runs the suite; the other
 * vCPUs are helpers that run errands posted in their mailbox (woken by an
 * SGI), and are switched on and off as each test needs. Works with any
 * placement of the vCPUs on physical CPUs; the CPU_ON race wants four.
 * With bootargs "park=1" it runs no tests: it holds vCPUs in standby,
 * powered down and off until a key is typed on its console. */
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include <lull/pl011.h>
#include "gic.h"
#include "gtest.h"
#include "guest.h"

#define SGI_MAIL   1          /* "look at your mailbox" */
#define SGI_WAKE   5          /* ends a suspend of vCPU 0 */
#define PPI_SPARE  20         /* nothing drives it: pended by software */
#define PPI_VTIMER 27
#define MAXV       GUEST_MAX_VCPUS

#define PS_STANDBY   0x00000001U
#define PS_POWERDOWN 0x40000002U

#define NOT_SUPPORTED PSCI_NOT_SUPPORTED
#define INVALID       PSCI_INVALID_PARAMETERS
#define BAD_ADDRESS   PSCI_INVALID_ADDRESS

static unsigned nvcpus;
static uint64_t freq, ram_base = 0x40000000, ram_size;

/* ---- time ---- */

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t ticks_us(uint64_t us)
{
	return us * freq / 1000000;
}

static void delay_us(uint64_t us)
{
	uint64_t t0 = now();

	while (now() - t0 < ticks_us(us))
		;
}

/* ---- entry points ---- */

static uint64_t sec_entry(void)
{
	return (uint64_t)(uintptr_t)guest_secondary_entry;
}

static uint64_t resume_entry(void)
{
	return (uint64_t)(uintptr_t)guest_resume_entry;
}

/* ---- interrupts ---- */

static volatile unsigned irqs[MAXV][32];

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar), me = guest_vcpu();

	if (intid >= 1020)
		return;
	if (intid < 32)
		irqs[me][intid]++;
	if (intid == PPI_VTIMER) {
		write_sysreg(0, cntv_ctl_el0);     /* the level drops */
		isb();
	}
	gic_eoi(iar);
}

/* Take what is pending now, then mask again. */
static void take_pending(void)
{
	irq_enable();
	isb();
	delay_us(200);
	irq_disable();
}

/* Make PPI_SPARE pending (and enabled) for vCPU 0 while interrupts are
 * masked: any suspend the hypervisor wrongly accepted ends at once, so an
 * invalid-argument test cannot hang the suite. */
static void guard_on(void)
{
	irq_disable();
	gic_enable(0, PPI_SPARE, 0x80);
	mmio_write32(gic_private_regs(0) + GICD_ISPENDR, 1U << PPI_SPARE);
}

static void guard_off(void)
{
	mmio_write32(gic_private_regs(0) + GICD_ICPENDR, 1U << PPI_SPARE);
	take_pending();
}

/* ---- helpers: the other vCPUs ---- */

typedef void (*errand_fn)(unsigned me, uint64_t arg);

static struct mailbox {
	volatile errand_fn fn;
	volatile uint64_t arg;
	volatile uint64_t seq, done;
	volatile bool ready;            /* in the errand loop */
	volatile bool sleeping;         /* errand_standby/powerdown: at its PSCI call */
	volatile int64_t result[4];
} mb[MAXV];

static volatile bool off_returned[MAXV];

static __attribute__((noreturn)) void helper_loop(unsigned me)
{
	uint64_t seen;

	guest_irq_handler = on_irq;
	gic_init_cpu(me);
	gic_enable(me, SGI_MAIL, 0x80);
	seen = mb[me].seq;
	mb[me].done = seen;
	dmb(ish);
	mb[me].ready = true;
	for (;;) {
		irq_disable();
		while (mb[me].seq == seen) {
			wfi();             /* a pending SGI ends it, masked or not */
			irq_enable();
			isb();
			irq_disable();
		}
		irq_enable();
		seen = mb[me].seq;
		dmb(ish);
		mb[me].fn(me, mb[me].arg);
		dmb(ish);
		mb[me].done = seen;
	}
}

void guest_secondary_main(uint64_t ctx)
{
	helper_loop((unsigned)ctx);
}

/* A helper started at guest_resume_entry (CPU_ON with any context). */
static void helper_resumed(uint64_t ctx)
{
	if (guest_vcpu() == 0) {
		gprintf("psci: FAIL: vCPU 0 re-entered at guest_resume_entry (x0 0x%lx) "
			"with nothing waiting for it\n", ctx);
		guest_system_off();
	}
	helper_loop(guest_vcpu());
}

static void post(unsigned cpu, errand_fn fn, uint64_t arg)
{
	mb[cpu].fn = fn;
	mb[cpu].arg = arg;
	dmb(ish);
	mb[cpu].seq++;
	gic_send_sgi(cpu, SGI_MAIL);
}

static bool wait_done(unsigned cpu, unsigned ms)
{
	uint64_t t0 = now();

	while (mb[cpu].done != mb[cpu].seq)
		if (now() - t0 > ticks_us(ms * 1000ULL))
			return false;
	return true;
}

static bool wait_ready(unsigned cpu, unsigned ms)
{
	uint64_t t0 = now();

	while (!mb[cpu].ready)
		if (now() - t0 > ticks_us(ms * 1000ULL))
			return false;
	return true;
}

static int64_t aff(uint64_t target, uint64_t level)
{
	return hvc(PSCI_AFFINITY_INFO64, target, level, 0);
}

/* Post a sleeping errand (errand_standby, errand_powerdown) and wait until
 * the helper is at its PSCI call with interrupts masked: from then on an
 * SGI_WAKE stays pending for the call, whenever the helper gets its CPU
 * (a fixed delay instead was a race under host load: the helper, still
 * before its errand with interrupts unmasked, took the SGI and then slept
 * for good). */
static bool post_sleep(unsigned cpu, errand_fn fn)
{
	uint64_t t0 = now();

	mb[cpu].sleeping = false;
	post(cpu, fn, 0);
	while (!mb[cpu].sleeping)
		if (now() - t0 > ticks_us(2000000))
			return false;
	return true;
}

/* What a helper that did not finish was doing, for failure messages. */
static const char *helper_state(unsigned cpu)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "vCPU %u: seq %lu done %lu ready %d, MAIL taken %u, WAKE "
		 "taken %u, WAKE pending %d, AFFINITY_INFO %ld", cpu, mb[cpu].seq, mb[cpu].done,
		 mb[cpu].ready, irqs[cpu][SGI_MAIL], irqs[cpu][SGI_WAKE],
		 gic_is_pending(cpu, SGI_WAKE), aff(cpu, 0));
	return buf;
}

static bool ensure_on(unsigned cpu)
{
	int64_t st = aff(cpu, 0);

	if (st == PSCI_AFF_OFF) {
		mb[cpu].ready = false;
		if (hvc(PSCI_CPU_ON64, cpu, sec_entry(), cpu) != PSCI_SUCCESS)
			return false;
	}
	return wait_ready(cpu, 2000);
}

static void errand_off(unsigned me, uint64_t arg)
{
	int64_t rc;

	(void)arg;
	mb[me].ready = false;
	rc = hvc(PSCI_CPU_OFF, 0, 0, 0);
	off_returned[me] = true;        /* only if it ever runs again */
	mb[me].result[0] = rc;
	for (;;)
		wfi();
}

static bool wait_off(unsigned cpu, unsigned ms)
{
	uint64_t t0 = now();

	while (aff(cpu, 0) != PSCI_AFF_OFF)
		if (now() - t0 > ticks_us(ms * 1000ULL))
			return false;
	return true;
}

static bool ensure_off(unsigned cpu)
{
	int64_t st = aff(cpu, 0);

	if (st == PSCI_AFF_OFF)
		return true;
	if (!wait_ready(cpu, 2000))
		return false;
	post(cpu, errand_off, 0);
	return wait_off(cpu, 2000);
}

static bool all_siblings_off(void)
{
	for (unsigned i = 1; i < nvcpus; i++)
		if (!ensure_off(i))
			return false;
	return true;
}

/* Set on vCPU 0 right before it suspends; helpers wait for it. */
static volatile bool suspending;

/* Wait until vCPU 0 suspends, then `arg` microseconds; look at vCPU 0 from
 * outside (AFFINITY_INFO, CPU_ON), then wake it with SGI_WAKE. */
static volatile uint64_t wake_sent_at;   /* counter when errand_wake_later sent */

static void errand_wake_later(unsigned me, uint64_t arg)
{
	uint64_t t0 = now();

	while (!suspending && now() - t0 < ticks_us(2000000))
		;
	delay_us(arg);
	mb[me].result[0] = aff(0, 0);
	mb[me].result[1] = hvc(PSCI_CPU_ON64, 0, sec_entry(), 0);
	wake_sent_at = now();
	dmb(ish);
	gic_send_sgi(0, SGI_WAKE);
}

/* Standby until SGI_WAKE (masked by PSTATE.I). */
static void errand_standby(unsigned me, uint64_t arg)
{
	(void)arg;
	irq_disable();
	gic_enable(me, SGI_WAKE, 0x80);
	mb[me].sleeping = true;         /* masked: SGI_WAKE now stays pending */
	mb[me].result[0] = hvc(PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0);
	mb[me].result[1] = gic_is_pending(me, SGI_WAKE);
	take_pending();
}

/* Power-down until SGI_WAKE; re-enters with its context lost. */
static void errand_powerdown(unsigned me, uint64_t arg)
{
	(void)arg;
	irq_disable();
	gic_enable(me, SGI_WAKE, 0x80);
	write_sysreg(0x7e57, tpidr_el1);
	mb[me].sleeping = true;         /* masked: SGI_WAKE now stays pending */
	mb[me].result[0] = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN,
						 resume_entry(), 0x9a4c);
	mb[me].result[1] = gic_is_pending(me, SGI_WAKE);
	mb[me].result[2] = !guest_entry_state_problem(me, 0x9a4c);
	take_pending();
}

/* Keep the physical CPU busy for `arg` microseconds. */
static void errand_busy(unsigned me, uint64_t arg)
{
	(void)me;
	delay_us(arg);
}

/* ---- checks ---- */

#define EXPECT_RC(call, want)                                                     \
	do {                                                                      \
		int64_t rc_ = (call);                                             \
		GTEST_EXPECT(rc_ == (int64_t)(want), "%s = %ld, want %ld", #call, rc_, \
			     (int64_t)(want));                                    \
	} while (0)

/* Same call through HVC and SMC: both must give `want`. */
static void expect_both(const char *what, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			int64_t want)
{
	int64_t h = hvc(fid, a1, a2, a3), s = smc(fid, a1, a2, a3);

	GTEST_EXPECT(h == want, "%s (0x%lx, 0x%lx): HVC %ld, want %ld", what, fid, a1, h, want);
	GTEST_EXPECT(s == want, "%s (0x%lx, 0x%lx): SMC %ld, want %ld", what, fid, a1, s, want);
}

/* ---- version and features ---- */

GTEST(psci_version)
{
	expect_both("PSCI_VERSION", PSCI_VERSION, 0, 0, 0, 0x10001);
	expect_both("PSCI_VERSION, junk args", PSCI_VERSION, ~0UL, ~0UL, ~0UL, 0x10001);
}

GTEST(smccc_version)
{
	expect_both("SMCCC_VERSION", SMCCC_VERSION, 0, 0, 0, 0x10003);
}

#define SVE_HINT 0x10000U   /* SMCCC 1.3: bit 16 of a fast call's ID */

/* SMCCC 1.3 (DEN0028 E, 2.10): the SVE live state hint may be set on any
 * fast call and changes nothing: each call answers as without it. */
GTEST(smccc_sve_hint_ignored)
{
	expect_both("PSCI_VERSION+hint", PSCI_VERSION | SVE_HINT, 0, 0, 0, 0x10001);
	expect_both("SMCCC_VERSION+hint", SMCCC_VERSION | SVE_HINT, 0, 0, 0, 0x10003);
	expect_both("SMCCC_ARCH_FEATURES+hint", SMCCC_ARCH_FEATURES | SVE_HINT,
		    SMCCC_VERSION, 0, 0, 0);
	expect_both("SMCCC_ARCH_FEATURES(hinted ID)", SMCCC_ARCH_FEATURES,
		    SMCCC_ARCH_FEATURES | SVE_HINT, 0, 0, 0);
	expect_both("PSCI_FEATURES+hint", PSCI_FEATURES | SVE_HINT, PSCI_CPU_SUSPEND, 0, 0, 2);
	expect_both("PSCI_FEATURES+hint", PSCI_FEATURES | SVE_HINT, PSCI_CPU_ON64, 0, 0, 0);
	expect_both("MIGRATE_INFO_TYPE+hint", PSCI_MIGRATE_INFO_TYPE | SVE_HINT, 0, 0, 0,
		    PSCI_TOS_NOT_PRESENT_MP);
	expect_both("AFFINITY_INFO64+hint", PSCI_AFFINITY_INFO64 | SVE_HINT, 0, 0, 0, 0);
	expect_both("CPU_ON64+hint (self)", PSCI_CPU_ON64 | SVE_HINT, 0, 0x40080000, 0,
		    -4 /* ALREADY_ON */);
	expect_both("unknown+hint", 0x8401001f, 0, 0, 0, NOT_SUPPORTED);
}

GTEST(smccc_arch_features)
{
	static const struct { uint32_t fid; int64_t want; } t[] = {
		{ SMCCC_VERSION, 0 }, { SMCCC_ARCH_FEATURES, 0 },
		{ 0x80008000, -1 },            /* SMCCC_ARCH_WORKAROUND_1 */
		{ 0x80007fff, -1 },            /* SMCCC_ARCH_WORKAROUND_2 */
		{ 0x80003fff, -1 },            /* SMCCC_ARCH_WORKAROUND_3 */
		{ 0x80000002, -1 },            /* SMCCC_ARCH_SOC_ID */
		{ PSCI_VERSION, -1 }, { 0, -1 }, { 0xffffffff, -1 },
		{ 0x80018000, -1 },            /* WORKAROUND_1 with the SVE hint */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(t); i++)
		expect_both("SMCCC_ARCH_FEATURES", SMCCC_ARCH_FEATURES, t[i].fid, 0, 0, t[i].want);
}

static const uint32_t supported[] = {
	PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_CPU_ON64, PSCI_AFFINITY_INFO,
	PSCI_AFFINITY_INFO64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
	PSCI_SYSTEM_RESET2, PSCI_SYSTEM_RESET2_64, PSCI_SYSTEM_SUSPEND, PSCI_SYSTEM_SUSPEND64,
	PSCI_FEATURES, SMCCC_VERSION,
};

/* Not offered: MIGRATE, MIGRATE_INFO_UP_CPU, CPU_FREEZE, CPU_DEFAULT_SUSPEND,
 * NODE_HW_STATE, PSCI_SET_SUSPEND_MODE, PSCI_STAT_*, MEM_PROTECT*, SMC64
 * forms that do not exist, and IDs outside PSCI. */
static const uint32_t unsupported[] = {
	PSCI_MIGRATE, PSCI_MIGRATE64, PSCI_MIGRATE_INFO_UP_CPU, PSCI_MIGRATE_INFO_UP_CPU64,
	0x8400000b, 0x8400000c, 0xc400000c, 0x8400000d, 0xc400000d, 0x8400000f, 0x84000010,
	0xc4000010, 0x84000011, 0xc4000011, 0x84000013, 0x84000014, 0xc4000014, 0x84000015,
	0x8400001f, 0x840000ff, 0xc4000000, 0xc4000002, 0xc4000006, 0xc4000008, 0xc4000009,
	0xc400000a, SMCCC_ARCH_FEATURES, 0x80008000, 0x82000000, 0xc2000001, 0x00000000,
	0xffffffff, 0x12345678,
};

GTEST(psci_features_supported)
{
	for (unsigned i = 0; i < ARRAY_SIZE(supported); i++)
		expect_both("PSCI_FEATURES", PSCI_FEATURES, supported[i], 0, 0, PSCI_SUCCESS);
}

GTEST(psci_features_cpu_suspend)
{
	/* Bit 1: extended StateID format; bit 0 clear: no OS-initiated mode. */
	expect_both("PSCI_FEATURES", PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0, 2);
	expect_both("PSCI_FEATURES", PSCI_FEATURES, PSCI_CPU_SUSPEND64, 0, 0, 2);
}

GTEST(psci_features_unsupported)
{
	for (unsigned i = 0; i < ARRAY_SIZE(unsupported); i++)
		expect_both("PSCI_FEATURES", PSCI_FEATURES, unsupported[i], 0, 0, NOT_SUPPORTED);
}

GTEST(unknown_function_ids)
{
	/* None of these may change anything: all are NOT_SUPPORTED. */
	static const uint32_t ids[] = {
		PSCI_MIGRATE, PSCI_MIGRATE64, PSCI_MIGRATE_INFO_UP_CPU, PSCI_MIGRATE_INFO_UP_CPU64,
		0x8400000b /* CPU_FREEZE */, 0x8400000d, 0xc400000d, 0x8400000f, 0x84000010,
		0x84000011, 0x84000013, 0x84000014, 0x84000015, 0x84000020, 0x8400ffff,
		0xc4000000, 0xc4000006, 0xc400000a, 0xc4000020, 0x80000002, 0x80008000,
		0x80007fff, 0x8000ff00, 0x82000000, 0x83000000, 0x86000000, 0xb0000000,
		0xbf00ff00, 0xc2000000, 0x04000000, 0x00000000, 0x7fffffff, 0xffffffff,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
		expect_both("unknown ID", ids[i], 1, 2, 3, NOT_SUPPORTED);
}

GTEST(migrate_info_type)
{
	expect_both("MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, PSCI_TOS_NOT_PRESENT_MP);
}

GTEST(nonzero_immediate_ignored)
{
	for (unsigned c = GUEST_HVC_IMM1; c < GUEST_CONDUITS; c++) {
		int64_t v = guest_call(c, PSCI_VERSION, 0, 0, 0);
		int64_t f = guest_call(c, PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0);
		GTEST_EXPECT(v == 0x10001 && f == 2, "conduit %u: VERSION %ld, FEATURES %ld", c, v, f);
	}
}

/* ---- conduits and registers ---- */

GTEST(smc_conduit_matches_hvc)
{
	static const struct { uint64_t fid, a1, a2, a3; } calls[] = {
		{ PSCI_VERSION, 0, 0, 0 }, { SMCCC_VERSION, 0, 0, 0 },
		{ SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0 }, { SMCCC_ARCH_FEATURES, 0x80008000, 0, 0 },
		{ PSCI_MIGRATE_INFO_TYPE, 0, 0, 0 }, { PSCI_AFFINITY_INFO64, 0, 0, 0 },
		{ PSCI_AFFINITY_INFO64, 1, 0, 0 }, { PSCI_AFFINITY_INFO64, 0xff, 1, 0 },
		{ PSCI_AFFINITY_INFO, 0x100, 0, 0 }, { PSCI_AFFINITY_INFO64, 0, 4, 0 },
		{ PSCI_CPU_ON64, 0, 0x40080000, 0 }, { PSCI_CPU_ON64, 0x80, 0x40080000, 0 },
		{ PSCI_CPU_ON, 0x01000001, 0x40080000, 0 }, { PSCI_CPU_ON64, 1, 0x1000, 0 },
		{ PSCI_CPU_SUSPEND64, 0x3, 0, 0 }, { PSCI_CPU_SUSPEND, 0x80000001, 0, 0 },
		{ PSCI_SYSTEM_SUSPEND64, 0x40080000, 0, 0 }, { PSCI_SYSTEM_RESET2, 0x80000000, 0, 0 },
		{ PSCI_SYSTEM_RESET2_64, 7, 0, 0 }, { 0x84000020, 0, 0, 0 }, { 0xc4000005, 0, 0, 0 },
	};

	if (!ensure_on(1) && nvcpus > 1)
		gtest_fail("vCPU 1 did not start");
	guard_on();
	for (unsigned i = 0; i < ARRAY_SIZE(calls); i++) {
		int64_t h = guest_psci_may_resume(GUEST_HVC, calls[i].fid, calls[i].a1, calls[i].a2,
						  calls[i].a3);
		int64_t s = guest_psci_may_resume(GUEST_SMC, calls[i].fid, calls[i].a1, calls[i].a2,
						  calls[i].a3);
		GTEST_EXPECT(h == s, "0x%lx(0x%lx, 0x%lx): HVC %ld, SMC %ld", calls[i].fid,
			     calls[i].a1, calls[i].a2, h, s);
	}
	guard_off();
	/* A CPU_ON through SMC starts the vCPU. */
	if (nvcpus > 1 && ensure_off(1)) {
		mb[1].ready = false;
		EXPECT_RC(smc(PSCI_CPU_ON64, 1, sec_entry(), 1), PSCI_SUCCESS);
		GTEST_EXPECT(wait_ready(1, 2000), "vCPU 1 started by SMC CPU_ON never arrived");
	}
}

GTEST(smc32_ignores_upper_bits)
{
	const uint64_t junk = 0xdeadbeef00000000UL;

	expect_both("PSCI_FEATURES(junk | CPU_ON)", PSCI_FEATURES, junk | PSCI_CPU_ON, 0, 0, 0);
	expect_both("PSCI_FEATURES(junk | CPU_SUSPEND)", PSCI_FEATURES, junk | PSCI_CPU_SUSPEND,
		    0, 0, 2);
	expect_both("SMCCC_ARCH_FEATURES(junk | SMCCC_VERSION)", SMCCC_ARCH_FEATURES,
		    junk | SMCCC_VERSION, 0, 0, 0);
	/* Aff3 = 1 names no vCPU in SMC64, vCPU 0 once truncated. */
	expect_both("AFFINITY_INFO64(Aff3 1)", PSCI_AFFINITY_INFO64, 1UL << 32, 0, 0, INVALID);
	expect_both("AFFINITY_INFO(Aff3 1)", PSCI_AFFINITY_INFO, 1UL << 32, 0, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO(level junk | 0)", PSCI_AFFINITY_INFO, junk, junk, junk,
		    PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(level junk | 0)", PSCI_AFFINITY_INFO64, 0, junk, 0, INVALID);

	/* CPU_SUSPEND standby: power_state junk | 1 is valid in SMC32 (it
	 * returns at once: an interrupt is pending). */
	guard_on();
	EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND, junk | PS_STANDBY, junk, junk),
		  PSCI_SUCCESS);
	mmio_write32(gic_private_regs(0) + GICD_ISPENDR, 1U << PPI_SPARE);
	EXPECT_RC(guest_psci_may_resume(GUEST_SMC, PSCI_CPU_SUSPEND, junk | PS_STANDBY, junk, junk),
		  PSCI_SUCCESS);
	guard_off();

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	/* SYSTEM_SUSPEND with junk above a valid entry: DENIED (vCPU 1 on),
	 * not INVALID_ADDRESS. */
	if (ensure_on(1)) {
		guard_on();
		EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND, junk | resume_entry(),
						junk, 0), PSCI_DENIED);
		guard_off();
	}
	/* CPU_ON: target, entry and context truncated. */
	if (!ensure_off(1))
		GTEST_SKIP("vCPU 1 does not go off");
	mb[1].ready = false;
	EXPECT_RC(hvc(PSCI_CPU_ON64, 1, junk | resume_entry(), 0), BAD_ADDRESS);
	EXPECT_RC(hvc(PSCI_CPU_ON64, junk | 1, resume_entry(), 0), INVALID);
	EXPECT_RC(smc(PSCI_CPU_ON, junk | 1, junk | resume_entry(), 0xabcdef0123456789UL),
		  PSCI_SUCCESS);
	GTEST_EXPECT(wait_ready(1, 2000), "vCPU 1 never arrived");
	GTEST_EXPECT(guest_entry_state[1].x0 == 0x23456789, "context 0x%lx, want 0x23456789",
		     guest_entry_state[1].x0);
}

static void fill_regs(uint64_t *r, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		      unsigned salt)
{
	r[0] = fid;
	r[1] = a1;
	r[2] = a2;
	r[3] = a3;
	for (unsigned i = 4; i < 19; i++)
		r[i] = 0xa5a5000000000000UL | (uint64_t)salt << 16 | i;
}

static const struct { uint64_t fid, a1, a2, a3; } reg_calls[] = {
	{ PSCI_VERSION, 0, 0, 0 }, { SMCCC_VERSION, 0, 0, 0 },
	{ SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0 }, { SMCCC_ARCH_FEATURES, 0x80008000, 0, 0 },
	{ PSCI_FEATURES, PSCI_CPU_ON64, 0, 0 }, { PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0 },
	{ PSCI_AFFINITY_INFO64, 0, 0, 0 }, { PSCI_AFFINITY_INFO, 0xffff, 9, 0 },
	{ PSCI_MIGRATE_INFO_TYPE, 0, 0, 0 }, { PSCI_CPU_ON64, 0, 0x40080000, 0x77 },
	{ PSCI_CPU_ON64, 0x99, 0x40080000, 0 }, { PSCI_CPU_SUSPEND64, 3, 0x40080000, 0 },
	{ PSCI_SYSTEM_RESET2, 1, 0, 0 }, { 0x8400ff00, 1, 2, 3 }, { 0xffffffff, 1, 2, 3 },
	{ PSCI_AFFINITY_INFO, 0xffffffff00000000UL, 0xffffffff00000000UL, 0xffffffff00000000UL },
};

/* SMCCC 1.1: x4-x17 are preserved (and x18 and above: AAPCS64). */
GTEST(x4_x18_preserved)
{
	uint64_t r[19];

	for (unsigned c = 0; c < GUEST_CONDUITS; c++) {
		for (unsigned k = 0; k < ARRAY_SIZE(reg_calls); k++) {
			fill_regs(r, reg_calls[k].fid, reg_calls[k].a1, reg_calls[k].a2,
				  reg_calls[k].a3, k + 16 * c);
			guest_call_regs(r, c);
			for (unsigned i = 4; i < 19; i++)
				GTEST_EXPECT(r[i] == (0xa5a5000000000000UL | (uint64_t)(k + 16 * c) << 16 | i),
					     "conduit %u, 0x%lx: x%u became 0x%lx", c, reg_calls[k].fid,
					     i, r[i]);
		}
	}
}

/* The hypervisor writes only x0. */
GTEST(x1_x3_unchanged)
{
	uint64_t r[19];

	for (unsigned c = 0; c < 2; c++) {
		for (unsigned k = 0; k < ARRAY_SIZE(reg_calls); k++) {
			fill_regs(r, reg_calls[k].fid, reg_calls[k].a1, reg_calls[k].a2,
				  reg_calls[k].a3, k);
			guest_call_regs(r, c);
			GTEST_EXPECT(r[1] == reg_calls[k].a1 && r[2] == reg_calls[k].a2 &&
				     r[3] == reg_calls[k].a3,
				     "conduit %u, 0x%lx: x1-x3 0x%lx 0x%lx 0x%lx", c, reg_calls[k].fid,
				     r[1], r[2], r[3]);
		}
	}
}

/* ---- CPU_ON ---- */

GTEST(cpu_on_invalid_mpidr)
{
	static const uint64_t bad64[] = {
		1UL << 40 | 1, 1UL << 63, 0x01000001, 0x80000001, 0xff, 0x100, 0x101, 0x10000,
		1UL << 32, 0xffffffffffffffffUL,
	};
	static const uint64_t bad32[] = { 0x01000001, 0x80000001, 0xff, 0x100, 0x10000, 0xffffffff };

	for (unsigned i = 0; i < ARRAY_SIZE(bad64); i++)
		expect_both("CPU_ON64", PSCI_CPU_ON64, bad64[i], sec_entry(), 0, INVALID);
	for (unsigned i = 0; i < ARRAY_SIZE(bad32); i++)
		expect_both("CPU_ON", PSCI_CPU_ON, bad32[i], sec_entry(), 0, INVALID);
	/* The first index without a vCPU. */
	expect_both("CPU_ON64(no such vCPU)", PSCI_CPU_ON64, nvcpus, sec_entry(), nvcpus, INVALID);
	expect_both("CPU_ON(no such vCPU)", PSCI_CPU_ON, nvcpus, sec_entry(), nvcpus, INVALID);
}

GTEST(cpu_on_invalid_entry)
{
	uint64_t e = sec_entry(), end = ram_base + ram_size;
	const uint64_t bad64[] = {
		0, 4, 0x1000, ram_base - 4, end, end + 0x1000, 0xfffffffffffffffcUL, e + 1, e + 2,
		e + 3, 1UL << 32 | e, ram_base + 1,
	};
	const uint64_t bad32[] = { 0, ram_base - 4, end, e + 1, e + 2, e + 3, 0xfffffffc };

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!ensure_off(1))
		GTEST_SKIP("vCPU 1 does not go off");
	for (unsigned i = 0; i < ARRAY_SIZE(bad64); i++)
		expect_both("CPU_ON64(1, bad entry)", PSCI_CPU_ON64, 1, bad64[i], 1, BAD_ADDRESS);
	for (unsigned i = 0; i < ARRAY_SIZE(bad32); i++)
		expect_both("CPU_ON(1, bad entry)", PSCI_CPU_ON, 1, bad32[i], 1, BAD_ADDRESS);
	EXPECT_RC(aff(1, 0), PSCI_AFF_OFF);
}

GTEST(cpu_on_context_and_entry_state)
{
	const uint64_t ctx = 0xfeedc0de12345678UL;
	const volatile struct guest_entry_state *s = &guest_entry_state[1];

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!ensure_off(1))
		GTEST_SKIP("vCPU 1 does not go off");
	mb[1].ready = false;
	EXPECT_RC(hvc(PSCI_CPU_ON64, 1, resume_entry(), ctx), PSCI_SUCCESS);
	if (!wait_ready(1, 2000))
		GTEST_SKIP("vCPU 1 never arrived");
	GTEST_EXPECT(s->x0 == ctx, "x0 0x%lx, want the context 0x%lx", s->x0, ctx);
	GTEST_EXPECT(s->current_el == 4 && s->spsel == 1, "CurrentEL 0x%lx SPSel %lu, want EL1h",
		     s->current_el, s->spsel);
	GTEST_EXPECT(!(s->sctlr & 1), "MMU on: SCTLR_EL1 0x%lx", s->sctlr);
	EXPECT_RC(aff(1, 0), PSCI_AFF_ON);
}

/* DEN0022 6.4.3: a core starts with all of PSTATE.DAIF set. */
GTEST(cpu_on_entry_daif_masked)
{
	unsigned t = nvcpus - 1;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!ensure_off(t))
		GTEST_SKIP("vCPU does not go off");
	mb[t].ready = false;
	EXPECT_RC(smc(PSCI_CPU_ON64, t, resume_entry(), 0x600d), PSCI_SUCCESS);
	if (!wait_ready(t, 2000))
		GTEST_SKIP("vCPU never arrived");
	GTEST_EXPECT(guest_entry_state[t].daif == 0x3c0, "DAIF 0x%lx at entry, want 0x3c0",
		     guest_entry_state[t].daif);
	GTEST_EXPECT(guest_entry_state[t].x0 == 0x600d, "x0 0x%lx", guest_entry_state[t].x0);
}

GTEST(cpu_on_already_on)
{
	expect_both("CPU_ON64(self)", PSCI_CPU_ON64, 0, sec_entry(), 0, PSCI_ALREADY_ON);
	expect_both("CPU_ON(self)", PSCI_CPU_ON, 0, sec_entry(), 0, PSCI_ALREADY_ON);
	if (nvcpus < 2)
		return;
	GTEST_EXPECT(ensure_on(1), "vCPU 1 does not start");
	expect_both("CPU_ON64(running vCPU 1)", PSCI_CPU_ON64, 1, sec_entry(), 1, PSCI_ALREADY_ON);
	expect_both("CPU_ON(running vCPU 1)", PSCI_CPU_ON, 1, sec_entry(), 1, PSCI_ALREADY_ON);
}

/* ON_PENDING lasts from CPU_ON until the target's physical CPU runs it:
 * a window this suite cannot hold open, so it looks at every target; the
 * answers must be consistent, and the test is skipped if the window was
 * never seen. */
GTEST(cpu_on_pending)
{
	unsigned seen = 0;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned t = 1; t < nvcpus; t++) {
			int64_t r1, a, r2, a2;
			if (!ensure_off(t)) {
				gtest_fail("vCPU %u does not go off", t);
				return;
			}
			mb[t].ready = false;
			r1 = hvc(PSCI_CPU_ON64, t, sec_entry(), t);
			a = aff(t, 0);
			r2 = round & 1 ? smc(PSCI_CPU_ON64, t, sec_entry(), t) :
					 hvc(PSCI_CPU_ON, t, sec_entry(), t);
			a2 = aff(t, 0);
			GTEST_EXPECT(r1 == PSCI_SUCCESS, "CPU_ON(%u) = %ld", t, r1);
			GTEST_EXPECT(a == PSCI_AFF_ON || a == PSCI_AFF_ON_PENDING,
				     "AFFINITY_INFO(%u) right after CPU_ON = %ld", t, a);
			GTEST_EXPECT(r2 == PSCI_ALREADY_ON || r2 == PSCI_ON_PENDING,
				     "second CPU_ON(%u) = %ld", t, r2);
			GTEST_EXPECT(!(a == PSCI_AFF_ON && r2 == PSCI_ON_PENDING),
				     "vCPU %u: ON, then ON_PENDING", t);
			GTEST_EXPECT(!(r2 == PSCI_ALREADY_ON && a2 == PSCI_AFF_ON_PENDING),
				     "vCPU %u: ALREADY_ON, then ON_PENDING", t);
			seen += a == PSCI_AFF_ON_PENDING || r2 == PSCI_ON_PENDING ||
				a2 == PSCI_AFF_ON_PENDING;
			GTEST_EXPECT(wait_ready(t, 2000), "vCPU %u never arrived", t);
			GTEST_EXPECT(aff(t, 0) == PSCI_AFF_ON, "vCPU %u arrived but not ON", t);
		}
	}
	if (!seen)
		GTEST_SKIP("the targets always ran before the next call");
}

static volatile bool race_go, race_armed[MAXV];
static volatile int64_t race_rc[MAXV];

#define RACE_CTX 0x7ace000000000000UL

static void errand_race(unsigned me, uint64_t target)
{
	uint64_t ctx = RACE_CTX | (target & 0xffff);

	race_armed[me] = true;
	while (!race_go)
		;
	race_rc[me] = me & 1 ? hvc(PSCI_CPU_ON64, target >> 16, resume_entry(), ctx) :
			       smc(PSCI_CPU_ON64, target >> 16, resume_entry(), ctx);
}

/* Three vCPUs released at once all CPU_ON the same OFF vCPU: exactly one
 * succeeds, the others see ALREADY_ON or ON_PENDING. */
GTEST(cpu_on_race)
{
	const unsigned target = 3, a = 1, b = 2;
	unsigned rounds = 12;

	if (nvcpus < 4)
		GTEST_SKIP("fewer than four vCPUs");
	if (!ensure_on(a) || !ensure_on(b))
		GTEST_SKIP("helpers do not start");
	for (unsigned r = 0; r < rounds; r++) {
		unsigned wins = 0;
		int64_t mine;
		if (!ensure_off(target)) {
			gtest_fail("round %u: vCPU 3 does not go off", r);
			return;
		}
		race_go = false;
		race_armed[a] = race_armed[b] = false;
		mb[target].ready = false;
		dmb(ish);
		post(a, errand_race, target << 16 | r);
		post(b, errand_race, target << 16 | r);
		for (uint64_t t0 = now(); !(race_armed[a] && race_armed[b]);)
			if (now() - t0 > ticks_us(2000000)) {
				gtest_fail("round %u: racers not ready", r);
				return;
			}
		race_go = true;
		dsb(ish);
		mine = hvc(PSCI_CPU_ON64, target, resume_entry(), RACE_CTX | r);
		if (!wait_done(a, 2000) || !wait_done(b, 2000)) {
			gtest_fail("round %u: racers did not finish", r);
			return;
		}
		int64_t rc[3] = { mine, race_rc[a], race_rc[b] };
		for (unsigned i = 0; i < 3; i++) {
			wins += rc[i] == PSCI_SUCCESS;
			GTEST_EXPECT(rc[i] == PSCI_SUCCESS || rc[i] == PSCI_ALREADY_ON ||
				     rc[i] == PSCI_ON_PENDING, "round %u: racer %u got %ld", r, i, rc[i]);
		}
		GTEST_EXPECT(wins == 1, "round %u: %u CPU_ONs succeeded (%ld %ld %ld)", r, wins,
			     rc[0], rc[1], rc[2]);
		GTEST_EXPECT(wait_ready(target, 2000), "round %u: the target never arrived", r);
		GTEST_EXPECT(guest_entry_state[target].x0 == (RACE_CTX | r),
			     "round %u: target context 0x%lx", r, guest_entry_state[target].x0);
	}
}

/* CPU_ON while the target is on its way off (its CPU_OFF in flight):
 * ALREADY_ON until it is OFF, then SUCCESS, and the target starts afresh at
 * the new entry with the new context (never back in its old one). */
GTEST(cpu_on_racing_cpu_off)
{
	unsigned wins = 0;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	for (unsigned r = 0; r < 16; r++) {
		unsigned t = 1 + r % (nvcpus - 1);
		uint64_t ctx = 0x0ff0000 | r, t0;
		int64_t rc;

		if (!ensure_on(t)) {
			gtest_fail("round %u: vCPU %u does not start", r, t);
			return;
		}
		off_returned[t] = false;
		mb[t].ready = false;
		post(t, errand_off, 0);
		t0 = now();
		do
			rc = r & 1 ? smc(PSCI_CPU_ON64, t, resume_entry(), ctx) :
				     hvc(PSCI_CPU_ON64, t, resume_entry(), ctx);
		while (rc == PSCI_ALREADY_ON && now() - t0 < ticks_us(2000000));
		GTEST_EXPECT(rc == PSCI_SUCCESS, "round %u: CPU_ON(%u) during its CPU_OFF = %ld", r, t,
			     rc);
		wins += rc == PSCI_SUCCESS;
		GTEST_EXPECT(wait_ready(t, 2000), "round %u: vCPU %u never arrived", r, t);
		GTEST_EXPECT(guest_entry_state[t].x0 == ctx, "round %u: context 0x%lx, want 0x%lx", r,
			     guest_entry_state[t].x0, ctx);
		GTEST_EXPECT(!off_returned[t], "round %u: CPU_OFF returned %ld", r, mb[t].result[0]);
	}
	GTEST_EXPECT(wins == 16, "%u of 16 rounds", wins);
}

/* ---- AFFINITY_INFO, CPU_OFF ---- */

GTEST(affinity_info_levels)
{
	if (nvcpus < 3)
		GTEST_SKIP("fewer than three vCPUs");
	if (!ensure_on(1) || !ensure_off(2))
		GTEST_SKIP("could not set vCPU 1 on, vCPU 2 off");
	for (unsigned i = 3; i < nvcpus; i++)
		ensure_off(i);
	/* Level 0: one vCPU. */
	expect_both("AFFINITY_INFO64(0, 0)", PSCI_AFFINITY_INFO64, 0, 0, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(1, 0)", PSCI_AFFINITY_INFO64, 1, 0, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(2, 0)", PSCI_AFFINITY_INFO64, 2, 0, 0, PSCI_AFF_OFF);
	expect_both("AFFINITY_INFO(2, 0)", PSCI_AFFINITY_INFO, 2, 0, 0, PSCI_AFF_OFF);
	expect_both("AFFINITY_INFO64(none, 0)", PSCI_AFFINITY_INFO64, nvcpus, 0, 0, INVALID);
	expect_both("AFFINITY_INFO64(0x100, 0)", PSCI_AFFINITY_INFO64, 0x100, 0, 0, INVALID);
	expect_both("AFFINITY_INFO64(Aff3 1, 0)", PSCI_AFFINITY_INFO64, 1UL << 32, 0, 0, INVALID);
	/* Level 1: Aff0 ignored, the cluster has vCPUs on. */
	expect_both("AFFINITY_INFO64(0xff, 1)", PSCI_AFFINITY_INFO64, 0xff, 1, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO(2, 1)", PSCI_AFFINITY_INFO, 2, 1, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(0x1ff, 1)", PSCI_AFFINITY_INFO64, 0x1ff, 1, 0, INVALID);
	/* Level 2: Aff1 and Aff0 ignored. */
	expect_both("AFFINITY_INFO64(0xffff, 2)", PSCI_AFFINITY_INFO64, 0xffff, 2, 0, PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(0x1ffff, 2)", PSCI_AFFINITY_INFO64, 0x1ffff, 2, 0, INVALID);
	/* Level 3: only Aff3 counts. */
	expect_both("AFFINITY_INFO64(0xffffff, 3)", PSCI_AFFINITY_INFO64, 0xffffff, 3, 0,
		    PSCI_AFF_ON);
	expect_both("AFFINITY_INFO64(Aff3 1, 3)", PSCI_AFFINITY_INFO64, 1UL << 32 | 0xffffff, 3, 0,
		    INVALID);
	/* Level 4 and above do not exist. */
	expect_both("AFFINITY_INFO64(0, 4)", PSCI_AFFINITY_INFO64, 0, 4, 0, INVALID);
	expect_both("AFFINITY_INFO(0, 4)", PSCI_AFFINITY_INFO, 0, 4, 0, INVALID);
	expect_both("AFFINITY_INFO64(0, 1 << 32)", PSCI_AFFINITY_INFO64, 0, 1UL << 32, 0, INVALID);
	expect_both("AFFINITY_INFO64(0, ~0)", PSCI_AFFINITY_INFO64, 0, ~0UL, 0, INVALID);
}

GTEST(cpu_off_then_affinity_off)
{
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	for (unsigned round = 0; round < 3; round++) {
		if (!ensure_on(1)) {
			gtest_fail("round %u: vCPU 1 does not start", round);
			return;
		}
		off_returned[1] = false;
		post(1, errand_off, 0);
		GTEST_EXPECT(wait_off(1, 2000), "round %u: AFFINITY_INFO never OFF after CPU_OFF",
			     round);
		EXPECT_RC(smc(PSCI_AFFINITY_INFO, 1, 0, 0), PSCI_AFF_OFF);
		delay_us(2000);
		GTEST_EXPECT(!off_returned[1], "CPU_OFF returned %ld", mb[1].result[0]);
	}
	/* It starts again. */
	GTEST_EXPECT(ensure_on(1), "vCPU 1 does not start after CPU_OFF");
}

/* ---- CPU_SUSPEND ---- */

GTEST(cpu_suspend_invalid_power_state)
{
	static const uint32_t bad[] = {
		0x00000000, 0x00000002, 0x00000003, 0x0fffffff, 0x00010001, 0x01000001,
		0x40000000, 0x40000001, 0x40000003, 0x40010002, 0x4fffffff,
		0x80000001, 0x10000001, 0x20000001, 0x30000001, 0xb0000001, 0xc0000002,
		0x50000002, 0x60000002, 0xffffffff,
	};
	static const uint64_t fids[] = { PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND64 };

	guard_on();
	for (unsigned c = 0; c < 2; c++)
		for (unsigned f = 0; f < 2; f++)
			for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
				int64_t rc = guest_psci_may_resume(c, fids[f], bad[i], resume_entry(),
								   0xbad);
				GTEST_EXPECT(rc == INVALID, "%s 0x%lx(0x%x) = %s%ld", c ? "SMC" : "HVC",
					     fids[f], bad[i], rc == GUEST_REENTERED ?
					     "re-entered " : "", rc == GUEST_REENTERED ? 0 : rc);
			}
	guard_off();
}

GTEST(cpu_suspend_powerdown_bad_entry)
{
	uint64_t e = resume_entry(), end = ram_base + ram_size;
	const uint64_t bad[] = { 0, 0x1000, ram_base - 4, end, e + 2, e + 1, 1UL << 32 | e };

	guard_on();
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		for (unsigned c = 0; c < 2; c++) {
			int64_t rc = guest_psci_may_resume(c, PSCI_CPU_SUSPEND64, PS_POWERDOWN, bad[i],
							   0xbad);
			GTEST_EXPECT(rc == BAD_ADDRESS, "%s CPU_SUSPEND64(power-down, 0x%lx) = %ld",
				     c ? "SMC" : "HVC", bad[i], rc);
		}
	EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND, PS_POWERDOWN, 0x1000, 0),
		  BAD_ADDRESS);
	guard_off();
}

/* Standby keeps the context: entry_point is not looked at; with an
 * interrupt already pending (masked by PSTATE.I) it returns at once: no
 * other wake-up is coming (no timer, no helper), so returning at all
 * proves it did not wait. */
GTEST(cpu_suspend_standby_pending_returns_at_once)
{
	int64_t rc;

	guard_on();
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0);
	GTEST_EXPECT(rc == PSCI_SUCCESS, "CPU_SUSPEND64(standby, entry 0) = %ld", rc);
	GTEST_EXPECT(gic_is_pending(0, PPI_SPARE), "the pending interrupt was lost");
	irqs[0][PPI_SPARE] = 0;
	irq_enable();
	delay_us(500);
	irq_disable();
	GTEST_EXPECT(irqs[0][PPI_SPARE] == 1, "taken %u times after unmasking", irqs[0][PPI_SPARE]);
	mmio_write32(gic_private_regs(0) + GICD_ICPENDR, 1U << PPI_SPARE);
}

GTEST(cpu_suspend_standby_woken_by_sgi)
{
	uint64_t r[19], back;

	if (nvcpus < 2 || !ensure_on(1))
		GTEST_SKIP("no helper vCPU");
	irq_disable();
	gic_enable(0, SGI_WAKE, 0x80);
	irqs[0][SGI_WAKE] = 0;
	write_sysreg(0x5eed, tpidr_el1);
	suspending = false;
	wake_sent_at = UINT64_MAX;
	post(1, errand_wake_later, 20000);
	fill_regs(r, PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0, 0x51);
	suspending = true;
	guest_call_regs(r, GUEST_HVC);
	back = now();
	suspending = false;
	GTEST_EXPECT(r[0] == PSCI_SUCCESS, "CPU_SUSPEND(standby) = %ld", (int64_t)r[0]);
	GTEST_EXPECT(back >= wake_sent_at, "returned before the helper sent the SGI");
	for (unsigned i = 4; i < 19; i++)
		GTEST_EXPECT(r[i] == (0xa5a5000000000000UL | 0x51UL << 16 | i), "x%u lost", i);
	GTEST_EXPECT(read_sysreg(tpidr_el1) == 0x5eed, "TPIDR_EL1 lost in standby");
	GTEST_EXPECT(gic_is_pending(0, SGI_WAKE), "the waking SGI is not pending");
	GTEST_EXPECT(wait_done(1, 2000), "the helper never finished");
	GTEST_EXPECT(mb[1].result[0] == PSCI_AFF_ON, "AFFINITY_INFO in standby = %ld, want ON",
		     mb[1].result[0]);
	GTEST_EXPECT(mb[1].result[1] == PSCI_ALREADY_ON, "CPU_ON in standby = %ld, want ALREADY_ON",
		     mb[1].result[1]);
	take_pending();
	GTEST_EXPECT(irqs[0][SGI_WAKE] == 1, "SGI taken %u times", irqs[0][SGI_WAKE]);
}

/* Arm the virtual timer `us` from now; returns its deadline (CVAL). A
 * wake-up the timer caused comes at or after the deadline, whatever the
 * host does meanwhile: the checks below compare against the deadline, not
 * against a duration measured from a later counter read (a vCPU the host
 * descheduled between arming and reading would see a short duration). */
static uint64_t arm_timer(uint64_t us)
{
	uint64_t cval = now() + ticks_us(us);

	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	return cval;
}

/* How far before the deadline `at` came (0 if at or after it). */
static uint64_t early_us(uint64_t at, uint64_t deadline)
{
	return at >= deadline ? 0 : (deadline - at) * 1000000 / freq;
}

GTEST(cpu_suspend_standby_woken_by_timer_masked)
{
	uint64_t cval, early, ctl;
	int64_t rc;

	irq_disable();
	gic_enable(0, PPI_VTIMER, 0x80);
	irqs[0][PPI_VTIMER] = 0;
	write_sysreg(0x7117, tpidr_el1);
	cval = arm_timer(10000);
	rc = smc(PSCI_CPU_SUSPEND, PS_STANDBY, 0, 0);
	early = early_us(now(), cval);
	ctl = read_sysreg(cntv_ctl_el0);
	GTEST_EXPECT(rc == PSCI_SUCCESS, "CPU_SUSPEND(standby) = %ld", rc);
	GTEST_EXPECT(!early, "returned %lu us before the timer", early);
	GTEST_EXPECT(ctl & 4, "timer condition not met: CNTV_CTL 0x%lx", ctl);
	GTEST_EXPECT(gic_is_pending(0, PPI_VTIMER), "the timer PPI is not pending");
	GTEST_EXPECT(read_sysreg(tpidr_el1) == 0x7117, "TPIDR_EL1 lost in standby");
	take_pending();
	GTEST_EXPECT(irqs[0][PPI_VTIMER] == 1, "timer taken %u times", irqs[0][PPI_VTIMER]);
	write_sysreg(0, cntv_ctl_el0);
}

static volatile uint64_t ram_marker;

/* Load EL1 registers with values a power-down must lose. */
static void load_context(void)
{
	write_sysreg(0x7e57, tpidr_el1);
	write_sysreg(0x7e58, tpidr_el0);
	write_sysreg(0x40001000, ttbr0_el1);
	write_sysreg(0x40002000, ttbr1_el1);
	write_sysreg(0xff44, mair_el1);
	write_sysreg(0x42, contextidr_el1);
	isb();
	ram_marker = 0x600dda7a;
}

/* After a power-down: the context was lost, RAM was not. */
static void expect_context_lost(uint64_t ctx)
{
	const char *why = guest_entry_state_problem(0, ctx);

	GTEST_EXPECT(!why, "re-entry: %s", why);
	GTEST_EXPECT(ram_marker == 0x600dda7a, "RAM changed: 0x%lx", ram_marker);
}

GTEST(cpu_suspend_powerdown_woken_by_timer)
{
	const uint64_t ctx = 0xc0ffee0000000001UL;
	uint64_t early, cval, entries = guest_entry_state[0].entries;
	int64_t rc;

	irq_disable();
	gic_enable(0, PPI_VTIMER, 0x80);
	irqs[0][PPI_VTIMER] = 0;
	load_context();
	cval = arm_timer(10000);
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN, resume_entry(), ctx);
	early = early_us(now(), cval);
	if (rc != GUEST_REENTERED) {
		gtest_fail("CPU_SUSPEND64(power-down) returned %ld instead of re-entering", rc);
		write_sysreg(0, cntv_ctl_el0);
		take_pending();
		return;
	}
	GTEST_EXPECT(guest_entry_state[0].entries == entries + 1, "entries %lu",
		     guest_entry_state[0].entries);
	expect_context_lost(ctx);
	GTEST_EXPECT(!early, "re-entered %lu us before the timer", early);
	GTEST_EXPECT((read_sysreg(cntv_ctl_el0) & 5) == 5 && read_sysreg(cntv_cval_el0) == cval,
		     "virtual timer not kept: CTL 0x%lx CVAL 0x%lx (was 0x%lx)",
		     read_sysreg(cntv_ctl_el0), read_sysreg(cntv_cval_el0), cval);
	GTEST_EXPECT(gic_is_pending(0, PPI_VTIMER), "the timer PPI is not pending after re-entry");
	GTEST_EXPECT(gic_is_enabled(0, PPI_VTIMER), "the timer PPI is no longer enabled");
	take_pending();
	GTEST_EXPECT(irqs[0][PPI_VTIMER] == 1, "timer taken %u times", irqs[0][PPI_VTIMER]);
	write_sysreg(0, cntv_ctl_el0);
}

GTEST(cpu_suspend_powerdown_woken_by_sgi)
{
	const uint64_t ctx = 0x5eed0002;
	uint64_t back;
	int64_t rc;

	if (nvcpus < 2 || !ensure_on(1))
		GTEST_SKIP("no helper vCPU");
	irq_disable();
	gic_enable(0, SGI_WAKE, 0x80);
	irqs[0][SGI_WAKE] = 0;
	load_context();
	suspending = false;
	wake_sent_at = UINT64_MAX;
	post(1, errand_wake_later, 20000);
	suspending = true;
	/* SMC32: the context is 32 bits. */
	rc = guest_psci_may_resume(GUEST_SMC, PSCI_CPU_SUSPEND, PS_POWERDOWN, resume_entry(),
				   0xffffffff00000000UL | ctx);
	back = now();
	suspending = false;
	GTEST_EXPECT(wait_done(1, 2000), "the helper never finished");
	if (rc != GUEST_REENTERED) {
		gtest_fail("CPU_SUSPEND(power-down) returned %ld instead of re-entering", rc);
		take_pending();
		return;
	}
	expect_context_lost(ctx);
	GTEST_EXPECT(back >= wake_sent_at, "re-entered before the helper sent the SGI");
	GTEST_EXPECT(gic_is_pending(0, SGI_WAKE), "the waking SGI is not pending after re-entry");
	GTEST_EXPECT(mb[1].result[0] == PSCI_AFF_ON, "AFFINITY_INFO when powered down = %ld",
		     mb[1].result[0]);
	GTEST_EXPECT(mb[1].result[1] == PSCI_ALREADY_ON, "CPU_ON when powered down = %ld",
		     mb[1].result[1]);
	take_pending();
	GTEST_EXPECT(irqs[0][SGI_WAKE] == 1, "SGI taken %u times", irqs[0][SGI_WAKE]);
}

/* An interrupt pending at the call may end a power-down at once: either
 * the call returns 0 or the vCPU re-enters with its context lost. */
GTEST(cpu_suspend_powerdown_with_pending_interrupt)
{
	int64_t rc;

	guard_on();
	load_context();
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN, resume_entry(), 77);
	if (rc == GUEST_REENTERED)
		expect_context_lost(77);
	else
		GTEST_EXPECT(rc == PSCI_SUCCESS, "CPU_SUSPEND64(power-down) = %ld", rc);
	GTEST_EXPECT(gic_is_pending(0, PPI_SPARE), "the pending interrupt was lost");
	guard_off();
}

/* Only an interrupt enabled in the distributor ends a standby: one that
 * is pending but disabled does not. */
GTEST(cpu_suspend_standby_ignores_disabled_interrupt)
{
	uint64_t cval, early;
	int64_t rc;

	irq_disable();
	mmio_write32(gic_private_regs(0) + GICD_ICENABLER, 1U << PPI_SPARE);
	mmio_write32(gic_private_regs(0) + GICD_ISPENDR, 1U << PPI_SPARE);
	gic_enable(0, PPI_VTIMER, 0x80);
	irqs[0][PPI_VTIMER] = 0;
	cval = arm_timer(20000);
	rc = hvc(PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0);
	early = early_us(now(), cval);
	GTEST_EXPECT(rc == PSCI_SUCCESS, "CPU_SUSPEND(standby) = %ld", rc);
	GTEST_EXPECT(!early, "a disabled pending interrupt ended standby %lu us before the timer",
		     early);
	GTEST_EXPECT(gic_is_pending(0, PPI_VTIMER), "the timer PPI is not pending");
	write_sysreg(0, cntv_ctl_el0);
	mmio_write32(gic_private_regs(0) + GICD_ICPENDR, 1U << PPI_SPARE | 1U << PPI_VTIMER);
	take_pending();
}

/* The virtual timer ends vCPU 0's power-down while every other vCPU keeps
 * its physical CPU busy (the one sharing vCPU 0's CPU gives the hypervisor
 * no exits: only its own timer can notice). */
GTEST(cpu_suspend_timer_wake_while_siblings_busy)
{
	const uint64_t busy_us = 300000;
	uint64_t cval, early;
	bool sibling_busy;
	int64_t rc;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	for (unsigned i = 1; i < nvcpus; i++)
		if (!ensure_on(i)) {
			gtest_fail("vCPU %u does not start", i);
			return;
		}
	irq_disable();
	gic_enable(0, PPI_VTIMER, 0x80);
	for (unsigned i = 1; i < nvcpus; i++)
		post(i, errand_busy, busy_us);
	delay_us(2000);
	load_context();
	cval = arm_timer(10000);
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN, resume_entry(), 0xb05);
	early = early_us(now(), cval);
	/* vCPU 1 shares vCPU 0's CPU and is busy for 300 ms: the timer, not
	 * the end of its errand, must have given vCPU 0 the CPU back. */
	sibling_busy = mb[1].done != mb[1].seq;
	GTEST_EXPECT(rc == GUEST_REENTERED, "CPU_SUSPEND(power-down) = %ld", rc);
	if (rc == GUEST_REENTERED)
		expect_context_lost(0xb05);
	take_pending();            /* the handler stops the timer */
	GTEST_EXPECT(!early && sibling_busy, "a 10 ms timer ended the power-down %lu us early, "
		     "%s its sibling's %lu us of work ended", early,
		     sibling_busy ? "before" : "only after", busy_us);
	for (unsigned i = 1; i < nvcpus; i++)
		GTEST_EXPECT(wait_done(i, 2000), "vCPU %u still busy", i);
}

/* The virtual timer fired (PPI pending, PSTATE.I masked), then the guest
 * stopped it: the level-sensitive PPI is no longer pending (IHI 0069
 * 4.1.2), with its interrupt taken afterwards or not. Re-armed for 10 ms,
 * the timer must be what ends the next standby or power-down. */
GTEST(cpu_suspend_after_the_timer_fired_and_was_stopped)
{
	static const char *const what[4] = {
		"standby (left alone)", "standby (taken)", "power-down (left alone)",
		"power-down (taken)",
	};
	uint64_t early[4];
	int64_t rc;

	gic_enable(0, PPI_VTIMER, 0x80);
	for (unsigned k = 0; k < 4; k++) {
		uint64_t cval;

		irq_disable();
		arm_timer(2000);
		while (!(read_sysreg(cntv_ctl_el0) & 4))
			;
		write_sysreg(0, cntv_ctl_el0);        /* the timer's output drops */
		isb();
		if (k & 1)
			take_pending();
		cval = arm_timer(10000);
		if (k < 2)
			rc = hvc(PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0);
		else
			rc = guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN,
						   resume_entry(), 0xf1e);
		early[k] = early_us(now(), cval);
		GTEST_EXPECT(rc == (k < 2 ? PSCI_SUCCESS : GUEST_REENTERED), "%s: returned %ld",
			     what[k], rc);
		take_pending();
		write_sysreg(0, cntv_ctl_el0);
	}
	GTEST_EXPECT(!early[0] && !early[1] && !early[2] && !early[3],
		     "ended before the 10 ms timer by: standby %lu/%lu, power-down %lu/%lu us "
		     "(left/taken)", early[0], early[1], early[2], early[3]);
}

/* The same with WFI (no PSCI): once the timer is stopped, its interrupt is
 * not pending any more, so it is neither taken nor ends a WFI. */
GTEST(wfi_after_the_timer_fired_and_was_stopped)
{
	uint64_t cval, early;
	unsigned before;
	bool pending, taken;

	gic_enable(0, PPI_VTIMER, 0x80);
	irq_disable();
	arm_timer(2000);
	while (!(read_sysreg(cntv_ctl_el0) & 4))
		;
	write_sysreg(0, cntv_ctl_el0);
	isb();
	delay_us(1000);
	pending = gic_is_pending(0, PPI_VTIMER);
	before = irqs[0][PPI_VTIMER];
	take_pending();
	taken = irqs[0][PPI_VTIMER] != before;
	cval = arm_timer(10000);
	wfi();
	early = early_us(now(), cval);
	take_pending();            /* the handler stops the timer */
	write_sysreg(0, cntv_ctl_el0);
	GTEST_EXPECT(!pending && !taken && !early,
		     "timer stopped: PPI %spending, its IRQ %staken; WFI ended %lu us before the "
		     "10 ms timer", pending ? "" : "not ", taken ? "" : "not ", early);
}

/* A helper vCPU suspends; vCPU 0's SGI wakes it: standby returns 0,
 * power-down re-enters at its entry with its context lost. */
GTEST(helper_suspend_woken_by_sgi)
{
	const unsigned h = 1;

	if (nvcpus < 2 || !ensure_on(h))
		GTEST_SKIP("no helper vCPU");
	GTEST_EXPECT(post_sleep(h, errand_standby), "vCPU %u never got to its standby", h);
	delay_us(5000);
	GTEST_EXPECT(mb[h].done != mb[h].seq, "standby returned without an interrupt");
	EXPECT_RC(aff(h, 0), PSCI_AFF_ON);
	EXPECT_RC(hvc(PSCI_CPU_ON64, h, sec_entry(), h), PSCI_ALREADY_ON);
	gic_send_sgi(h, SGI_WAKE);
	GTEST_EXPECT(wait_done(h, 2000), "standby never ended (%s)", helper_state(h));
	GTEST_EXPECT(mb[h].result[0] == PSCI_SUCCESS && mb[h].result[1],
		     "standby returned %ld, SGI pending %ld", mb[h].result[0], mb[h].result[1]);

	GTEST_EXPECT(post_sleep(h, errand_powerdown), "vCPU %u never got to its power-down", h);
	delay_us(5000);
	GTEST_EXPECT(mb[h].done != mb[h].seq, "power-down ended without an interrupt");
	EXPECT_RC(aff(h, 0), PSCI_AFF_ON);
	EXPECT_RC(smc(PSCI_CPU_ON64, h, sec_entry(), h), PSCI_ALREADY_ON);
	gic_send_sgi(h, SGI_WAKE);
	GTEST_EXPECT(wait_done(h, 2000), "power-down never ended (%s)", helper_state(h));
	GTEST_EXPECT(mb[h].result[0] == GUEST_REENTERED, "power-down returned %ld",
		     mb[h].result[0]);
	GTEST_EXPECT(mb[h].result[1] && mb[h].result[2],
		     "after re-entry: SGI pending %ld, state reset %s", mb[h].result[1],
		     mb[h].result[2] ? "ok" : guest_entry_state_problem(h, 0x9a4c));
}

/* The first and the last word of RAM are valid entry points: each holds a
 * branch to guest_resume_entry. */
GTEST(cpu_on_entry_at_ram_edges)
{
	const uint64_t edges[2] = { ram_base, ram_base + ram_size - 4 };
	const unsigned t = 1;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	for (unsigned i = 0; i < 2; i++) {
		uint64_t off = resume_entry() - edges[i];
		if (!ensure_off(t)) {
			gtest_fail("vCPU %u does not go off", t);
			return;
		}
		mmio_write32(edges[i], 0x14000000U | (uint32_t)((off >> 2) & 0x3ffffff));   /* B */
		dsb(sy);
		isb();
		mb[t].ready = false;
		EXPECT_RC(hvc(PSCI_CPU_ON64, t, edges[i], 0xed9e0 + i), PSCI_SUCCESS);
		GTEST_EXPECT(wait_ready(t, 2000), "vCPU %u started at 0x%lx never arrived", t,
			     edges[i]);
		GTEST_EXPECT(guest_entry_state[t].x0 == 0xed9e0 + i, "context 0x%lx",
			     guest_entry_state[t].x0);
	}
}

/* ---- SYSTEM_SUSPEND, SYSTEM_RESET2 ---- */

GTEST(system_suspend_denied_with_sibling_on)
{
	if (nvcpus < 2 || !ensure_on(1))
		GTEST_SKIP("no helper vCPU");
	guard_on();
	for (unsigned c = 0; c < 2; c++) {
		EXPECT_RC(guest_psci_may_resume(c, PSCI_SYSTEM_SUSPEND64, resume_entry(), 1, 0),
			  PSCI_DENIED);
		EXPECT_RC(guest_psci_may_resume(c, PSCI_SYSTEM_SUSPEND, resume_entry(), 1, 0),
			  PSCI_DENIED);
	}
	guard_off();
}

/* Siblings in standby or powered down are not OFF: DENIED. */
GTEST(system_suspend_denied_with_sibling_asleep)
{
	const unsigned h = 1;

	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_siblings_off() || !ensure_on(h))
		GTEST_SKIP("could not set the siblings");
	for (unsigned k = 0; k < 2; k++) {
		GTEST_EXPECT(post_sleep(h, k ? errand_powerdown : errand_standby),
			     "vCPU %u never got to its suspend", h);
		delay_us(5000);
		guard_on();
		EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, resume_entry(), 1, 0),
			  PSCI_DENIED);
		guard_off();
		gic_send_sgi(h, SGI_WAKE);
		GTEST_EXPECT(wait_done(h, 2000), "the helper never woke (%s)", helper_state(h));
	}
}

GTEST(system_suspend_denied_while_sibling_starts)
{
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_siblings_off())
		GTEST_SKIP("siblings do not go off");
	guard_on();
	mb[1].ready = false;
	EXPECT_RC(hvc(PSCI_CPU_ON64, 1, sec_entry(), 1), PSCI_SUCCESS);
	EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, resume_entry(), 1, 0),
		  PSCI_DENIED);
	guard_off();
	GTEST_EXPECT(wait_ready(1, 2000), "vCPU 1 never arrived");
}

GTEST(system_suspend_bad_entry)
{
	uint64_t e = resume_entry(), end = ram_base + ram_size;
	const uint64_t bad[] = { 0, 0x1000, ram_base - 4, end, e + 2, 1UL << 32 | e };

	if (!all_siblings_off())
		GTEST_SKIP("siblings do not go off");
	guard_on();
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		for (unsigned c = 0; c < 2; c++)
			EXPECT_RC(guest_psci_may_resume(c, PSCI_SYSTEM_SUSPEND64, bad[i], 0, 0),
				  BAD_ADDRESS);
	EXPECT_RC(guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND, 0x1000, 0, 0), BAD_ADDRESS);
	EXPECT_RC(guest_psci_may_resume(GUEST_SMC, PSCI_SYSTEM_SUSPEND, e + 1, 0, 0), BAD_ADDRESS);
	guard_off();
}

/* The four-vCPU domain suspends once its siblings are off, woken by its
 * virtual timer; afterwards the siblings start again. */
GTEST(system_suspend_woken_by_timer)
{
	const uint64_t ctx = 0x5e5e0d;
	uint64_t cval, early;
	int64_t rc;

	if (!all_siblings_off())
		GTEST_SKIP("siblings do not go off");
	irq_disable();
	gic_enable(0, PPI_VTIMER, 0x80);
	irqs[0][PPI_VTIMER] = 0;
	load_context();
	cval = arm_timer(20000);
	rc = guest_psci_may_resume(GUEST_SMC, PSCI_SYSTEM_SUSPEND64, resume_entry(), ctx, 0);
	early = early_us(now(), cval);
	if (rc != GUEST_REENTERED) {
		gtest_fail("SYSTEM_SUSPEND64 returned %ld instead of re-entering", rc);
		write_sysreg(0, cntv_ctl_el0);
		take_pending();
		return;
	}
	expect_context_lost(ctx);
	GTEST_EXPECT(!early, "re-entered %lu us before the 20 ms timer", early);
	GTEST_EXPECT(gic_is_pending(0, PPI_VTIMER), "the timer PPI is not pending after re-entry");
	take_pending();            /* the handler stops the timer */
	GTEST_EXPECT(irqs[0][PPI_VTIMER] == 1, "timer taken %u times", irqs[0][PPI_VTIMER]);
	for (unsigned i = 1; i < nvcpus; i++)
		GTEST_EXPECT(ensure_on(i), "vCPU %u does not start after the resume", i);
}

GTEST(system_reset2_invalid_types)
{
	static const uint64_t bad[] = {
		0x80000000, 0x80000001, 0x8000ffff, 0xffffffff, 1, 2, 0x10, 0x7fffffff,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		expect_both("SYSTEM_RESET2", PSCI_SYSTEM_RESET2, bad[i], 0, 0, INVALID);
		expect_both("SYSTEM_RESET2_64", PSCI_SYSTEM_RESET2_64, bad[i], 0xc00c1e, 0, INVALID);
	}
}

/* ---- bootargs "park": hold vCPUs in each PSCI state for `domains` ---- */

/* vCPU 1 in standby, vCPU 2 powered down, vCPU 3 off until a key comes on
 * the console; then SGIs wake them. Then it parks them again and powers
 * the domain off. */
static __attribute__((noreturn)) void park(void)
{
	bool ok;

	if (nvcpus < 4 || !ensure_on(1) || !ensure_on(2) || !ensure_off(3)) {
		gprintf("psci: park: FAIL: needs four vCPUs that start and stop\n");
		guest_system_off();
	}
	post(1, errand_standby, 0);
	post(2, errand_powerdown, 0);
	delay_us(50000);
	gprintf("psci: parked: vCPU 1 standby, vCPU 2 powered down, vCPU 3 off; "
		"press a key\n");
	while (mmio_read32(GUEST_UART + PL011_FR) & PL011_FR_RXFE)
		delay_us(1000);
	(void)mmio_read32(GUEST_UART + PL011_DR);
	gic_send_sgi(1, SGI_WAKE);
	gic_send_sgi(2, SGI_WAKE);
	ok = wait_done(1, 2000) && wait_done(2, 2000);
	gprintf("psci: unparked: standby returned %ld (SGI pending %ld), power-down %s "
		"(SGI pending %ld, state reset %s)\n", mb[1].result[0], mb[1].result[1],
		mb[2].result[0] == GUEST_REENTERED ? "re-entered" : "returned", mb[2].result[1],
		mb[2].result[2] ? "ok" : "BAD");
	ok = ok && mb[1].result[0] == 0 && mb[1].result[1] && mb[2].result[0] == GUEST_REENTERED &&
	     mb[2].result[1] && mb[2].result[2];
	gprintf("psci: park: %s\n", ok ? "ok" : "FAIL");
	/* The domain powers off with vCPUs asleep. */
	post(1, errand_standby, 0);
	post(2, errand_powerdown, 0);
	delay_us(50000);
	gprintf("psci: parked again; SYSTEM_OFF\n");
	guest_system_off();
}

void guest_main(uint64_t dtb)
{
	freq = read_sysreg(cntfrq_el0);
	if (!guest_dt_memory((const void *)dtb, &ram_base, &ram_size))
		gprintf("psci: no memory node in the device tree\n");
	for (nvcpus = 1; nvcpus < MAXV; nvcpus++)
		if (aff(nvcpus, 0) == INVALID)
			break;
	guest_irq_handler = on_irq;
	guest_resume_handler = helper_resumed;
	gic_init_distributor();
	gic_init_cpu(0);
	gprintf("psci: %u vCPUs, RAM 0x%lx+0x%lx, GICv%u\n", nvcpus, ram_base, ram_size,
		gic_version());
	if (guest_dt_bootarg((const void *)dtb, "park", 0))
		park();
	gtest_main();
}
