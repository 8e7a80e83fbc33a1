/* Per-CPU registers a guest must get for itself, or not at all
 * (docs/guest-cpu.md): two vCPUs of this domain share one physical CPU
 * (and, in the tests, another domain running this image shares it too).
 *   - the EL1 physical timer, emulated: one-shot through PPI 30, ISTATUS,
 *     the GIC pending bit following the output while masked or disabled,
 *     TVAL, WFI woken by it, each vCPU its own timer;
 *   - the debug registers, per vCPU: breakpoint/watchpoint values and
 *     controls, MDSCR_EL1 and the OS lock survive hundreds of switches and
 *     never show the other's; a breakpoint fires for the vCPU that set it
 *     and not for the other one;
 *   - UNDEF for the PMU, trace, activity monitors, LORegions and an
 *     IMPLEMENTATION DEFINED register; RAS error records RAZ/WI when the
 *     CPU says FEAT_RAS, else UNDEF; ACTLR_EL1 a per-vCPU value.
 * vCPU 1 runs errands that vCPU 0 posts (an SGI each way), so every
 * errand is at least two vCPU switches on the shared CPU. Bootarg seed=N
 * makes the register patterns differ between two domains. */
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "gtest.h"
#include "guest.h"

#define PPI_PTIMER 30
#define SGI_ERRAND 3          /* vCPU 0 -> vCPU 1: an errand is posted */
#define SGI_DONE   4          /* vCPU 1 -> vCPU 0: done */
#define ROUNDS     300

#define CTL_ENABLE  1
#define CTL_IMASK   2
#define CTL_ISTATUS 4

static uint64_t seed;
static bool impdef_strict;
static uint64_t freq;

/* ---- exceptions: UNDEF and breakpoints, per vCPU ---- */
static volatile unsigned undefs[2], bkpts[2];
static volatile uint64_t bkpt_esr[2];
static volatile unsigned steps[2];
static volatile uint64_t step_elr[2];

static bool on_sync(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	unsigned me = guest_vcpu() & 1, ec = (unsigned)(esr >> 26);

	(void)far;
	if (ec == 0x00) {                  /* Unknown: UNDEF */
		undefs[me]++;
		f->elr += 4;
		return true;
	}
	if (ec == 0x33) {                  /* software step, current EL */
		steps[me]++;
		step_elr[me] = f->elr;
		write_sysreg(0, mdscr_el1);       /* stop stepping */
		isb();
		return true;
	}
	if (ec == 0x31) {                  /* breakpoint, current EL */
		bkpts[me]++;
		bkpt_esr[me] = esr;
		write_sysreg(0, dbgbcr0_el1);   /* disarm: the instruction runs */
		isb();
		return true;
	}
	return false;
}

/* Did `insn` (one MRS/MSR) take UNDEF? */
#define UNDEF_READ(reg) ({ unsigned u_ = undefs[guest_vcpu() & 1]; uint64_t v_ = 0; \
	__asm__ volatile("mrs %0, " #reg : "+r"(v_) :: "memory"); (void)v_; \
	undefs[guest_vcpu() & 1] != u_; })
#define UNDEF_WRITE(reg, val) ({ unsigned u_ = undefs[guest_vcpu() & 1]; \
	__asm__ volatile("msr " #reg ", %0" :: "r"((uint64_t)(val)) : "memory"); \
	undefs[guest_vcpu() & 1] != u_; })

/* ---- interrupts ---- */
static volatile unsigned ptimer_irqs[2], other_irqs[2];
static volatile bool done_flag, errand_posted;
static void (*volatile errand)(void);

static void on_irq(void)
{
	unsigned me = guest_vcpu() & 1;
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid >= 1020)
		return;
	if (intid == PPI_PTIMER) {
		ptimer_irqs[me]++;
		write_sysreg(0, cntp_ctl_el0);   /* one-shot: the output drops */
		isb();
	} else if (intid == SGI_DONE && me == 0) {
		done_flag = true;
	} else if (intid != SGI_ERRAND) {
		other_irqs[me]++;
	}
	gic_eoi(iar);
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* vCPU 0: have vCPU 1 run fn, waiting in WFI (so the CPU switches). */
static void run_on_peer(void (*fn)(void))
{
	done_flag = false;
	errand = fn;
	dsb(sy);
	errand_posted = true;
	dsb(sy);
	gic_send_sgi(1, SGI_ERRAND);
	while (!done_flag)
		__asm__ volatile("wfi");
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
	gic_init_cpu(1);
	gic_enable(1, SGI_ERRAND, 0x80);
	gic_enable(1, PPI_PTIMER, 0x80);
	irq_enable();
	for (;;) {
		while (!errand_posted)
			__asm__ volatile("wfi");
		errand_posted = false;
		errand();
		dsb(sy);
		gic_send_sgi(0, SGI_DONE);
	}
}

/* ---- the EL1 physical timer ---- */

static void ptimer_arm(uint64_t cval, uint64_t ctl)
{
	write_sysreg(cval, cntp_cval_el0);
	write_sysreg(ctl, cntp_ctl_el0);
	isb();
}

static void ptimer_disable_in_gic(void)
{
	mmio_write32(gic_private_regs(guest_vcpu()) + GICD_ICENABLER, 1U << PPI_PTIMER);
	dsb(sy);
}

GTEST(ptimer_one_shot)
{
	uint64_t t0;

	ptimer_irqs[0] = 0;
	gic_enable(0, PPI_PTIMER, 0x80);
	ptimer_arm(now() + freq / 1000, CTL_ENABLE);
	t0 = now();
	while (!ptimer_irqs[0] && now() - t0 < 2 * freq)
		__asm__ volatile("wfi");
	t0 = now();
	while (now() - t0 < freq / 200)   /* 5 ms: a second one would come */
		;
	GTEST_EXPECT(ptimer_irqs[0] == 1, "%u PPI 30 interrupts (want 1)", ptimer_irqs[0]);
	GTEST_EXPECT(read_sysreg(cntp_ctl_el0) == 0, "CNTP_CTL 0x%lx after the handler",
		     read_sysreg(cntp_ctl_el0));
	GTEST_EXPECT(!other_irqs[0], "%u unexpected interrupts", other_irqs[0]);
}

GTEST(ptimer_istatus_and_gic_pending_follow_output)
{
	uint64_t ctl;

	ptimer_disable_in_gic();          /* pending must still follow the line */
	ptimer_arm(now() - 1, CTL_ENABLE | CTL_IMASK);
	ctl = read_sysreg(cntp_ctl_el0);
	GTEST_EXPECT(ctl == (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS), "masked, expired: CTL 0x%lx", ctl);
	GTEST_EXPECT(!gic_is_pending(0, PPI_PTIMER), "pending while masked");
	write_sysreg(CTL_ENABLE, cntp_ctl_el0);
	isb();
	GTEST_EXPECT(gic_is_pending(0, PPI_PTIMER), "not pending with the output high (disabled in GIC)");
	write_sysreg(now() + 100 * freq, cntp_cval_el0);   /* condition ends */
	isb();
	ctl = read_sysreg(cntp_ctl_el0);
	GTEST_EXPECT(ctl == CTL_ENABLE, "future CVAL: CTL 0x%lx", ctl);
	GTEST_EXPECT(!gic_is_pending(0, PPI_PTIMER), "still pending after the condition ended");
	write_sysreg(now() - 1, cntp_cval_el0);
	isb();
	GTEST_EXPECT(gic_is_pending(0, PPI_PTIMER), "not pending again");
	write_sysreg(0, cntp_ctl_el0);     /* disabled: ISTATUS and the line drop */
	isb();
	ctl = read_sysreg(cntp_ctl_el0);
	GTEST_EXPECT(ctl == 0, "disabled: CTL 0x%lx", ctl);
	GTEST_EXPECT(!gic_is_pending(0, PPI_PTIMER), "pending while the timer is disabled");
	GTEST_EXPECT(ptimer_irqs[0] == 1, "an interrupt came while disabled in the GIC");
}

GTEST(ptimer_tval)
{
	uint64_t t0, cval;
	int32_t tval;

	write_sysreg(1000000, cntp_tval_el0);
	isb();
	t0 = now();
	cval = read_sysreg(cntp_cval_el0);
	GTEST_EXPECT(cval > t0 && cval <= t0 + 1000000, "TVAL 1000000 gave CVAL %lx at %lx", cval, t0);
	tval = (int32_t)read_sysreg(cntp_tval_el0);
	GTEST_EXPECT(tval > 0 && tval <= 1000000, "TVAL reads %d", tval);
	write_sysreg(now() - 5000, cntp_cval_el0);
	isb();
	tval = (int32_t)read_sysreg(cntp_tval_el0);
	GTEST_EXPECT(tval <= -5000, "TVAL after expiry reads %d (want <= -5000)", tval);
	GTEST_EXPECT((read_sysreg(cntp_tval_el0) >> 32) == 0, "TVAL bits [63:32] not 0");
}

GTEST(ptimer_wakes_wfi)
{
	uint64_t cval, after;

	ptimer_irqs[0] = 0;
	gic_enable(0, PPI_PTIMER, 0x80);
	irq_disable();                    /* WFI ends on a pending interrupt */
	cval = now() + 2 * freq / 1000;
	ptimer_arm(cval, CTL_ENABLE);
	__asm__ volatile("dsb sy; wfi" ::: "memory");
	after = now();
	GTEST_EXPECT(after >= cval, "WFI ended %ld ticks before the deadline", (long)(cval - after));
	GTEST_EXPECT(gic_is_pending(0, PPI_PTIMER), "PPI 30 not pending after WFI");
	irq_enable();
	for (unsigned i = 0; i < 1000 && !ptimer_irqs[0]; i++)
		;
	GTEST_EXPECT(ptimer_irqs[0] == 1, "%u interrupts after unmasking", ptimer_irqs[0]);
}

static volatile uint64_t peer_cval, peer_ctl, peer_fired_at, peer_deadline;

static void peer_ptimer(void)
{
	uint64_t t0;

	ptimer_irqs[1] = 0;
	peer_deadline = now() + 3 * freq / 1000;
	ptimer_arm(peer_deadline, CTL_ENABLE);
	peer_cval = read_sysreg(cntp_cval_el0);
	t0 = now();
	while (!ptimer_irqs[1] && now() - t0 < 2 * freq)
		__asm__ volatile("wfi");
	peer_fired_at = now();
	peer_ctl = read_sysreg(cntp_ctl_el0);
}

GTEST(ptimer_per_vcpu)
{
	uint64_t mine = now() + 3600 * freq;

	ptimer_irqs[0] = 0;
	gic_enable(0, PPI_PTIMER, 0x80);
	ptimer_arm(mine, CTL_ENABLE);
	run_on_peer(peer_ptimer);
	GTEST_EXPECT(ptimer_irqs[1] == 1, "vCPU 1 took %u PPI 30 interrupts (want 1)", ptimer_irqs[1]);
	GTEST_EXPECT(peer_fired_at >= peer_deadline, "vCPU 1's timer fired early");
	GTEST_EXPECT(peer_cval != mine, "vCPU 1 saw vCPU 0's CVAL");
	GTEST_EXPECT(peer_ctl == 0, "vCPU 1's CTL 0x%lx after its handler", peer_ctl);
	GTEST_EXPECT(read_sysreg(cntp_cval_el0) == mine, "vCPU 0's CVAL changed to 0x%lx",
		     read_sysreg(cntp_cval_el0));
	GTEST_EXPECT(read_sysreg(cntp_ctl_el0) == CTL_ENABLE, "vCPU 0's CTL 0x%lx",
		     read_sysreg(cntp_ctl_el0));
	GTEST_EXPECT(ptimer_irqs[0] == 0, "vCPU 0 took vCPU 1's timer interrupt");
	write_sysreg(0, cntp_ctl_el0);
	isb();
}

/* ---- debug registers ---- */

static unsigned nbps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned nwps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

#define DBG_CASES(op, reg, ...)                                                \
	switch (n) {                                                           \
	case 0: op(reg##0_el1, ##__VA_ARGS__); break; case 1: op(reg##1_el1, ##__VA_ARGS__); break; \
	case 2: op(reg##2_el1, ##__VA_ARGS__); break; case 3: op(reg##3_el1, ##__VA_ARGS__); break; \
	case 4: op(reg##4_el1, ##__VA_ARGS__); break; case 5: op(reg##5_el1, ##__VA_ARGS__); break; \
	case 6: op(reg##6_el1, ##__VA_ARGS__); break; case 7: op(reg##7_el1, ##__VA_ARGS__); break; \
	case 8: op(reg##8_el1, ##__VA_ARGS__); break; case 9: op(reg##9_el1, ##__VA_ARGS__); break; \
	case 10: op(reg##10_el1, ##__VA_ARGS__); break; case 11: op(reg##11_el1, ##__VA_ARGS__); break; \
	case 12: op(reg##12_el1, ##__VA_ARGS__); break; case 13: op(reg##13_el1, ##__VA_ARGS__); break; \
	case 14: op(reg##14_el1, ##__VA_ARGS__); break; case 15: op(reg##15_el1, ##__VA_ARGS__); break; \
	}
#define W(reg, val) write_sysreg(val, reg)
#define R(reg, out) (*(out) = read_sysreg(reg))

enum { BVR, BCR, WVR, WCR };

static void dbg_write(unsigned kind, unsigned n, uint64_t v)
{
	switch (kind) {
	case BVR: DBG_CASES(W, dbgbvr, v); break;
	case BCR: DBG_CASES(W, dbgbcr, v); break;
	case WVR: DBG_CASES(W, dbgwvr, v); break;
	default: DBG_CASES(W, dbgwcr, v); break;
	}
}

static uint64_t dbg_read(unsigned kind, unsigned n)
{
	uint64_t v = 0;

	switch (kind) {
	case BVR: DBG_CASES(R, dbgbvr, &v); break;
	case BCR: DBG_CASES(R, dbgbcr, &v); break;
	case WVR: DBG_CASES(R, dbgwvr, &v); break;
	default: DBG_CASES(R, dbgwcr, &v); break;
	}
	return v;
}

/* A vCPU's patterns: addresses nobody executes or touches (0x7fxx...),
 * different per domain (seed), vCPU and register; controls enabled, for
 * EL1 and EL0, so that with MDSCR_EL1.MDE/KDE they are live in the
 * hardware while this vCPU runs. */
static uint64_t pattern(unsigned kind, unsigned n, unsigned vcpu)
{
	switch (kind) {
	case BVR: return 0x7f0000000000ULL | (seed << 32) | ((uint64_t)vcpu << 24) | (n << 4);
	case BCR: return 0x1e7 | (vcpu ? 0x4000 : 0);               /* SSC differs */
	case WVR: return 0x7e0000000000ULL | (seed << 32) | ((uint64_t)vcpu << 24) | (n << 8);
	default: return 0x1fe1 | (vcpu ? 0x10 : 0x18);              /* LSC differs */
	}
}

static uint64_t mdscr_pattern(unsigned vcpu)
{
	return vcpu ? (BIT(15) | BIT(12)) : (BIT(15) | BIT(13));   /* MDE|TDCC, MDE|KDE */
}

static void dbg_set_mine(void)
{
	unsigned me = guest_vcpu();

	write_sysreg(0, oslar_el1);        /* reset state: OS lock set */
	for (unsigned k = BVR; k <= WCR; k++)
		for (unsigned n = 0; n < (k < WVR ? nbps() : nwps()); n++)
			dbg_write(k, n, pattern(k, n, me));
	write_sysreg(mdscr_pattern(me), mdscr_el1);
	isb();
}

static volatile unsigned bad[2];
static volatile uint64_t bad_val[2], bad_want[2];

static void dbg_check_mine(void)
{
	unsigned me = guest_vcpu();

	for (unsigned k = BVR; k <= WCR; k++)
		for (unsigned n = 0; n < (k < WVR ? nbps() : nwps()); n++) {
			uint64_t v = dbg_read(k, n);

			if (v != pattern(k, n, me)) {
				bad[me]++;
				bad_val[me] = v;
				bad_want[me] = pattern(k, n, me);
			}
		}
	if (read_sysreg(mdscr_el1) != mdscr_pattern(me)) {
		bad[me]++;
		bad_val[me] = read_sysreg(mdscr_el1);
		bad_want[me] = mdscr_pattern(me);
	}
}

GTEST(debug_registers_per_vcpu)
{
	bad[0] = bad[1] = 0;
	dbg_set_mine();
	run_on_peer(dbg_set_mine);
	for (unsigned i = 0; i < ROUNDS; i++) {
		dbg_check_mine();
		run_on_peer(dbg_check_mine);
	}
	GTEST_EXPECT(!bad[0], "vCPU 0: %u wrong reads, e.g. 0x%lx for 0x%lx", bad[0], bad_val[0],
		     bad_want[0]);
	GTEST_EXPECT(!bad[1], "vCPU 1: %u wrong reads, e.g. 0x%lx for 0x%lx", bad[1], bad_val[1],
		     bad_want[1]);
}

static volatile uint64_t peer_oslsr;
static void peer_unlock(void) { write_sysreg(0, oslar_el1); isb(); }
static void peer_lock(void) { write_sysreg(1, oslar_el1); isb(); }
static void peer_read_oslsr(void) { peer_oslsr = read_sysreg(oslsr_el1); }

GTEST(os_lock_per_vcpu)
{
	write_sysreg(1, oslar_el1);
	isb();
	run_on_peer(peer_unlock);
	GTEST_EXPECT((read_sysreg(oslsr_el1) & 2) != 0, "vCPU 0's OS lock opened by vCPU 1");
	run_on_peer(peer_read_oslsr);
	GTEST_EXPECT((peer_oslsr & 2) == 0, "vCPU 1 sees vCPU 0's OS lock (OSLSR 0x%lx)", peer_oslsr);
	GTEST_EXPECT((peer_oslsr & 0xd) == 0x8, "OSLSR_EL1 0x%lx: OSLM not 0b10", peer_oslsr);
	write_sysreg(0, oslar_el1);
	isb();
	run_on_peer(peer_lock);
	GTEST_EXPECT((read_sysreg(oslsr_el1) & 2) == 0, "vCPU 0's OS lock set by vCPU 1");
	run_on_peer(peer_read_oslsr);
	GTEST_EXPECT((peer_oslsr & 2) != 0, "vCPU 1's OS lock lost");
	run_on_peer(peer_unlock);
}

static void __attribute__((noinline, aligned(16))) target_fn(void)
{
	__asm__ volatile("nop");
}

static void peer_call_target(void)
{
	unsigned before = bkpts[1];

	/* vCPU 1 has EL1 breakpoints enabled too (its own elsewhere). */
	write_sysreg(BIT(15) | BIT(13), mdscr_el1);
	isb();
	__asm__ volatile("msr daifclr, #8" ::: "memory");   /* debug exceptions on */
	target_fn();
	__asm__ volatile("msr daifset, #8" ::: "memory");
	bkpts[1] = bkpts[1] - before;
}

GTEST(breakpoint_fires_for_its_vcpu_only)
{
	unsigned before = bkpts[0];

	/* vCPU 0: a breakpoint on target_fn, enabled for EL1; vCPU 1's own
	 * registers (dbg_set_mine) point elsewhere. */
	for (unsigned n = 0; n < nbps(); n++)
		dbg_write(BCR, n, 0);
	for (unsigned n = 0; n < nwps(); n++)
		dbg_write(WCR, n, 0);
	write_sysreg((uint64_t)(uintptr_t)target_fn, dbgbvr0_el1);
	write_sysreg(0x1e7, dbgbcr0_el1);
	write_sysreg(BIT(15) | BIT(13), mdscr_el1);   /* MDE, KDE */
	write_sysreg(0, oslar_el1);
	isb();
	run_on_peer(peer_call_target);
	GTEST_EXPECT(bkpts[1] == 0, "vCPU 1 hit vCPU 0's breakpoint");
	write_sysreg(0x1e7, dbgbcr0_el1);
	isb();
	__asm__ volatile("msr daifclr, #8" ::: "memory");
	target_fn();
	__asm__ volatile("msr daifset, #8" ::: "memory");
	GTEST_EXPECT(bkpts[0] == before + 1, "vCPU 0's breakpoint did not fire (%u)", bkpts[0] - before);
	GTEST_EXPECT(bkpts[0] == before || (bkpt_esr[0] >> 26) == 0x31, "ESR 0x%lx", bkpt_esr[0]);
	write_sysreg(0, dbgbcr0_el1);
	write_sysreg(0, mdscr_el1);
	isb();
}

/* Software step over an instruction the hypervisor emulates (a trapped
 * ACTLR_EL1 read): the step exception must come right after it, with
 * ELR at the next instruction, as on hardware (Arm ARM D2.12). */
GTEST(single_step_over_an_emulated_instruction)
{
	extern char step_from[], step_insn[];
	uint64_t want = (uint64_t)(uintptr_t)step_insn + 4;

	steps[0] = 0;
	write_sysreg(0, oslar_el1);
	write_sysreg(BIT(13) | BIT(0), mdscr_el1);   /* KDE, SS */
	isb();
	/* ERET to the next instructions with SPSR.SS = 1 (active-not-
	 * pending) and debug exceptions unmasked: one instruction, then the
	 * step exception. */
	__asm__ volatile(
		"adr x1, step_insn\n"
		"msr elr_el1, x1\n"
		"mov x2, #0x1c5\n"          /* EL1h, A, I, F masked, D clear */
		"orr x2, x2, #(1 << 21)\n"  /* SS */
		"msr spsr_el1, x2\n"
		".global step_from\n"
		"step_from: isb\n"
		"eret\n"
		".global step_insn\n"
		"step_insn: mrs x3, actlr_el1\n"
		"nop\n"
		"nop\n"
		"msr daifset, #8\n"         /* as before: D masked, IRQs on */
		"msr daifclr, #2\n"
		::: "x1", "x2", "x3", "memory");
	(void)step_from;
	write_sysreg(0, mdscr_el1);
	isb();
	GTEST_EXPECT(steps[0] == 1, "%u step exceptions (want 1)", steps[0]);
	GTEST_EXPECT(step_elr[0] == want, "step exception at 0x%lx, want 0x%lx (+%ld)", step_elr[0],
		     want, (long)(step_elr[0] - want));
}

/* ---- what is hidden ---- */

/* The PMU is hidden: with ID_AA64DFR0_EL1.PMUVer 0 every register is
 * UNDEF; while the guest's ID registers still show a PMU, RAZ/WI (no
 * counters, the cycle counter never counts). Either way the hardware PMU
 * is out of reach. */
GTEST(pmu_hidden)
{
	unsigned pmuver = (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf), n = 0;
	uint64_t a = 1, b = 1, c = 1;

	if (pmuver && pmuver != 0xf) {
		n += UNDEF_WRITE(pmcr_el0, 1);                   /* E: count */
		n += UNDEF_WRITE(pmcntenset_el0, BIT(31));      /* the cycle counter */
		n += UNDEF_WRITE(pmintenset_el1, BIT(31));
		n += UNDEF_WRITE(pmuserenr_el0, 0);
		for (volatile unsigned i = 0; i < 100000; i++)
			;
		__asm__ volatile("mrs %0, pmccntr_el0" : "+r"(a));
		__asm__ volatile("mrs %0, pmcr_el0" : "+r"(b));
		__asm__ volatile("mrs %0, pmcntenset_el0" : "+r"(c));
		GTEST_EXPECT(n == 0, "%u PMU writes took UNDEF while PMUVer is %u", n, pmuver);
		GTEST_EXPECT(a == 0 && b == 0 && c == 0,
			     "the PMU is reachable: PMCCNTR 0x%lx PMCR 0x%lx PMCNTENSET 0x%lx", a, b, c);
		return;
	}

	n += UNDEF_READ(pmcr_el0);
	n += UNDEF_READ(pmccntr_el0);
	n += UNDEF_READ(pmcntenset_el0);
	n += UNDEF_READ(pmuserenr_el0);
	n += UNDEF_READ(pmintenset_el1);
	n += UNDEF_READ(pmselr_el0);
	n += UNDEF_READ(pmovsset_el0);
	n += UNDEF_READ(pmevcntr0_el0);
	n += UNDEF_READ(pmevtyper0_el0);
	n += UNDEF_READ(pmccfiltr_el0);
	n += UNDEF_WRITE(pmcr_el0, 1);
	n += UNDEF_WRITE(pmcntenset_el0, BIT(31));
	n += UNDEF_WRITE(pmintenset_el1, BIT(31));
	GTEST_EXPECT(n == 13, "PMUVer 0: %u of 13 PMU accesses took UNDEF", n);
}

/* HCR_EL2.TIDCP traps these to the hypervisor, which gives UNDEF. QEMU
 * 7.2 does not implement TIDCP (QEMU 8.1 does): its CPUACTLR_EL1,
 * L2CTLR_EL1 ... of the Cortex-A57 family (also on `max`) are reached
 * directly, as constants that ignore writes, so nothing can pass through
 * them; with bootarg impdef_strict=1 (a QEMU that honours TIDCP, or
 * hardware) only UNDEF is accepted. */
static bool impdef_ok(bool undef, uint64_t val_after_write)
{
	return undef || (!impdef_strict && val_after_write == 0);
}

GTEST(impdef_register_undefined)
{
	uint64_t v;
	bool u;
	unsigned n = 0;

	u = UNDEF_WRITE(S3_1_C15_C2_0, 0x5a5a);   /* CPUACTLR_EL1 (A57/A72) */
	v = 0;
	u |= UNDEF_READ(S3_1_C15_C2_0);
	__asm__ volatile("mrs %0, S3_1_C15_C2_0" : "+r"(v));
	n += impdef_ok(u, v);
	u = UNDEF_WRITE(S3_1_C15_C2_1, 0x40);      /* CPUECTLR_EL1: SMPEN */
	v = 0;
	__asm__ volatile("mrs %0, S3_1_C15_C2_1" : "+r"(v));
	n += impdef_ok(u, v);
	n += UNDEF_READ(S3_0_C15_C0_0);
	n += UNDEF_WRITE(S3_7_C11_C15_7, 1);
	GTEST_EXPECT(n == 4, "%u of 4 IMPLEMENTATION DEFINED accesses took UNDEF%s", n,
		     impdef_strict ? "" : " (or were inert constants)");
}

static volatile uint64_t peer_actlr;
static void peer_actlr_read(void) { peer_actlr = read_sysreg(actlr_el1); }
static void peer_actlr_write(void) { write_sysreg(0x5a5a0000 + seed, actlr_el1); }

GTEST(actlr_el1_per_vcpu)
{
	uint64_t mine = 0x12340000 + seed;

	GTEST_EXPECT(!UNDEF_WRITE(actlr_el1, mine), "ACTLR_EL1 write took UNDEF");
	GTEST_EXPECT(read_sysreg(actlr_el1) == mine, "ACTLR_EL1 reads 0x%lx", read_sysreg(actlr_el1));
	run_on_peer(peer_actlr_read);
	GTEST_EXPECT(peer_actlr == 0, "vCPU 1 reads ACTLR_EL1 0x%lx (want its reset 0)", peer_actlr);
	run_on_peer(peer_actlr_write);
	run_on_peer(peer_actlr_read);
	GTEST_EXPECT(peer_actlr == 0x5a5a0000 + seed, "vCPU 1 reads ACTLR_EL1 0x%lx", peer_actlr);
	GTEST_EXPECT(read_sysreg(actlr_el1) == mine, "vCPU 0's ACTLR_EL1 now 0x%lx",
		     read_sysreg(actlr_el1));
}

GTEST(trace_amu_lor_undefined)
{
	unsigned n = 0;

	n += UNDEF_READ(S3_0_C1_C2_1);     /* TRFCR_EL1 */
	n += UNDEF_WRITE(S3_0_C1_C2_1, 0);
	n += UNDEF_READ(S2_1_C0_C1_0);     /* TRCPRGCTLR */
	n += UNDEF_READ(S2_1_C0_C2_0);     /* TRCSTATR */
	n += UNDEF_READ(S3_3_C13_C2_0);    /* AMCR_EL0 */
	n += UNDEF_READ(S3_3_C13_C2_1);    /* AMCFGR_EL0 */
	n += UNDEF_WRITE(S3_3_C13_C2_4, 1); /* AMCNTENCLR0_EL0 */
	n += UNDEF_READ(S3_0_C10_C4_7);    /* LORID_EL1 */
	n += UNDEF_READ(S3_0_C10_C4_3);    /* LORC_EL1 */
	n += UNDEF_WRITE(S3_0_C10_C4_0, 0); /* LORSA_EL1 */
	GTEST_EXPECT(n == 10, "%u of 10 trace/AMU/LOR accesses took UNDEF", n);
}

GTEST(ras_error_records)
{
	bool ras = ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf) != 0;
	unsigned n = 0;
	uint64_t v = 1;

	n += UNDEF_READ(S3_0_C5_C3_0);     /* ERRIDR_EL1 */
	if (!ras) {
		n += UNDEF_WRITE(S3_0_C5_C3_1, 0); /* ERRSELR_EL1 */
		n += UNDEF_READ(S3_0_C5_C4_2);     /* ERXSTATUS_EL1 */
		GTEST_EXPECT(n == 3, "no FEAT_RAS: %u of 3 accesses took UNDEF", n);
		return;
	}
	/* FEAT_RAS: ERRIDR_EL1 exists and says no error records (RAZ). The
	 * ERRSELR/ERX* registers are RAZ/WI where they reach the hypervisor;
	 * QEMU 7.2 does not implement them at all (UNDEF at EL1). */
	GTEST_EXPECT(n == 0, "FEAT_RAS: ERRIDR_EL1 read took UNDEF");
	__asm__ volatile("mrs %0, S3_0_C5_C3_0" : "+r"(v));
	GTEST_EXPECT(v == 0, "ERRIDR_EL1 0x%lx (want 0 records)", v);
	v = 1;
	if (!UNDEF_WRITE(S3_0_C5_C4_1, 1)) {      /* ERXCTLR_EL1 */
		__asm__ volatile("mrs %0, S3_0_C5_C4_1" : "+r"(v));
		GTEST_EXPECT(v == 0, "ERXCTLR_EL1 0x%lx after a write (want RAZ/WI)", v);
	}
}

/* Bootarg pausetest=1: arm the physical timer 4 s ahead and wait for
 * it; the test pauses the domain across the deadline. The timer must
 * keep its compare value and fire once the domain runs again. */
static void pause_test(void)
{
	uint64_t deadline = now() + freq * 4, fired;

	ptimer_irqs[0] = 0;
	gic_enable(0, PPI_PTIMER, 0x80);
	ptimer_arm(deadline, CTL_ENABLE);
	gprintf("cpuregs: ptimer armed, deadline in 4000 ms\n");
	while (!ptimer_irqs[0])
		__asm__ volatile("wfi");
	fired = now();
	gprintf("cpuregs: ptimer fired %lu ms after its deadline, %u interrupt(s), CVAL %s\n",
		(unsigned long)((fired - deadline) * 1000 / freq), ptimer_irqs[0],
		read_sysreg(cntp_cval_el0) == deadline ? "kept" : "CHANGED");
	guest_system_off();
}

void guest_main(uint64_t dtb)
{
	freq = read_sysreg(cntfrq_el0);
	seed = guest_dt_bootarg((const void *)(uintptr_t)dtb, "seed", 1) & 0xff;
	impdef_strict = guest_dt_bootarg((const void *)(uintptr_t)dtb, "impdef_strict", 0) != 0;
	guest_sync_handler = on_sync;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, SGI_DONE, 0x80);
	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1) != PSCI_SUCCESS)
		gprintf("cpuregs: vCPU 1 did not start\n");
	irq_enable();
	if (guest_dt_bootarg((const void *)(uintptr_t)dtb, "pausetest", 0))
		pause_test();
	gprintf("cpuregs: seed %lu, %u breakpoints, %u watchpoints\n", seed, nbps(), nwps());
	gtest_main();
}
