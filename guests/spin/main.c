/* vCPUs that wait for each other by spinning, as Linux's cross-CPU calls
 * and stop_machine do: plain loads, nothing a hypervisor could trap. Every
 * wait here depends on another vCPU getting its physical CPU while a
 * spinning vCPU holds it, so a scheduler that lets a runnable vCPU starve
 * hangs this guest. Each path is taken for every ordered pair of vCPUs
 * (sender, target), whatever CPUs they share:
 *   cpu_on     the sender starts the target (CPU_ON), spins until it runs;
 *   sgi_wfi    the target waits in WFI, the sender sends it an SGI and
 *              spins until the target's handler ran;
 *   standby    the same with the target in CPU_SUSPEND standby;
 *   powerdown  the same with the target powered down (CPU_SUSPEND);
 *   spin_ack   both spin: the sender posts, the target (never blocked)
 *              answers: only time slicing lets it;
 *   barrier    every vCPU spins in a barrier, 20 rounds.
 * Latency: from the sender's action to the target's first instruction
 * after it (counter ticks), worst over all pairs, printed per path. With
 * bootargs "wake_bound_us=N spin_bound_us=M" a worse latency fails (for
 * runs where the counter is not host time; under QEMU -icount, though, a
 * spinning CPU starves QEMU's other CPUs, so tests run without it and
 * make bench measures the bound). */
#include <lull/arch.h>
#include "gic.h"
#include "gtest.h"
#include "guest.h"

#define SGI_WAKE     3
#define MAXV         GUEST_MAX_VCPUS
#define PS_STANDBY   0x00000001U
#define PS_POWERDOWN 0x40000002U
/* Longest any single wait may take before the test says who starved: far
 * beyond every scheduling bound, so host load cannot reach it. */
#define GIVE_UP_US   10000000

enum op { OP_NONE, OP_ACK, OP_WFI, OP_STANDBY, OP_POWERDOWN, OP_OFF, OP_SEND_SGI, OP_CPU_ON,
	  OP_BARRIER };

static unsigned nvcpus;
/* After a starvation the machine state is unknown: the later tests skip
 * (with the reason) instead of waiting for the same starved vCPU. */
static bool broken;
#define FAIL(...) do { broken = true; gtest_fail(__VA_ARGS__); } while (0)
#define NEED_HEALTHY() do { if (broken) GTEST_SKIP("an earlier test failed"); } while (0)
static uint64_t freq, wake_bound_us, spin_bound_us;

static struct mailbox {
	volatile uint64_t seq, done;
	volatile unsigned op, arg;
	volatile bool parked;            /* about to block (WFI or a PSCI sleep) */
	volatile uint64_t latency;       /* OP_SEND_SGI, OP_CPU_ON: what it measured */
	volatile bool timed_out;
} mb[MAXV];

static volatile uint64_t sgi_at[MAXV];     /* when its SGI handler ran, 0 = not yet */
static volatile uint64_t arrived_at[MAXV]; /* when it started after CPU_ON */
static volatile uint64_t acked_at[MAXV];   /* OP_ACK: when it answered */

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t to_us(uint64_t ticks)
{
	return ticks * 1000000 / freq;
}

/* Spin (plain loads only) until *p != 0 or GIVE_UP_US; false on give up. */
static bool spin_until_set(volatile uint64_t *p)
{
	uint64_t t0 = now();

	while (!*p)
		if (to_us(now() - t0) > GIVE_UP_US)
			return false;
	return true;
}

static bool spin_until_done(unsigned t)
{
	uint64_t t0 = now();

	while (mb[t].done != mb[t].seq)
		if (to_us(now() - t0) > GIVE_UP_US)
			return false;
	return true;
}

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid >= 1020)
		return;
	if (intid == SGI_WAKE && !sgi_at[guest_vcpu()])
		sgi_at[guest_vcpu()] = now();
	gic_eoi(iar);
}

/* ---- barrier: sense-reversing, plain loads ---- */

static volatile unsigned barrier_count, barrier_sense;

static bool barrier(unsigned n, unsigned *sense)
{
	uint64_t t0 = now();

	*sense ^= 1;
	if (__atomic_add_fetch(&barrier_count, 1, __ATOMIC_ACQ_REL) == n) {
		barrier_count = 0;
		__atomic_store_n(&barrier_sense, *sense, __ATOMIC_RELEASE);
		return true;
	}
	while (__atomic_load_n(&barrier_sense, __ATOMIC_ACQUIRE) != *sense)
		if (to_us(now() - t0) > GIVE_UP_US)
			return false;
	return true;
}

#define BARRIER_ROUNDS 20
static volatile bool barrier_failed;

static void barrier_rounds(void)
{
	static unsigned sense[MAXV];
	unsigned me = guest_vcpu();

	for (unsigned r = 0; r < BARRIER_ROUNDS && !barrier_failed; r++)
		if (!barrier(nvcpus, &sense[me]))
			barrier_failed = true;
}

/* ---- the helpers' loop: spin for work, never trap while waiting ---- */

static void send_and_measure(unsigned me, unsigned t, bool cpu_on)
{
	uint64_t t0;
	bool ok;

	(void)me;
	if (cpu_on) {
		arrived_at[t] = 0;
		t0 = now();
		if (hvc(PSCI_CPU_ON64, t, (uint64_t)(uintptr_t)guest_secondary_entry, t) !=
		    PSCI_SUCCESS) {
			mb[me].timed_out = true;
			return;
		}
		ok = spin_until_set(&arrived_at[t]);
		mb[me].latency = ok ? arrived_at[t] - t0 : 0;
	} else {
		t0 = now();
		gic_send_sgi(t, SGI_WAKE);
		ok = spin_until_set(&sgi_at[t]);
		mb[me].latency = ok ? sgi_at[t] - t0 : 0;
	}
	mb[me].timed_out = !ok;
}

static void run_op(unsigned me)
{
	switch (mb[me].op) {
	case OP_ACK:
		acked_at[me] = now();
		break;
	case OP_WFI:
		irq_disable();
		mb[me].parked = true;
		while (!gic_is_pending(me, SGI_WAKE))
			wfi();
		irq_enable();
		isb();
		break;
	case OP_STANDBY:
		irq_disable();
		mb[me].parked = true;
		while (!gic_is_pending(me, SGI_WAKE))
			hvc(PSCI_CPU_SUSPEND64, PS_STANDBY, 0, 0);
		irq_enable();
		isb();
		break;
	case OP_POWERDOWN:
		irq_disable();
		mb[me].parked = true;
		while (!gic_is_pending(me, SGI_WAKE))
			guest_psci_may_resume(GUEST_HVC, PSCI_CPU_SUSPEND64, PS_POWERDOWN,
					      (uint64_t)(uintptr_t)guest_resume_entry, me);
		irq_enable();
		isb();
		break;
	case OP_SEND_SGI:
		send_and_measure(me, mb[me].arg, false);
		break;
	case OP_CPU_ON:
		send_and_measure(me, mb[me].arg, true);
		break;
	case OP_BARRIER:
		barrier_rounds();
		break;
	}
}

static __attribute__((noreturn)) void helper_loop(unsigned me)
{
	uint64_t seen = mb[me].seq;

	guest_irq_handler = on_irq;
	gic_init_cpu(me);
	gic_enable(me, SGI_WAKE, 0x80);
	irq_enable();
	mb[me].done = seen;
	for (;;) {
		while (mb[me].seq == seen)
			;                       /* spin: nothing traps */
		seen = mb[me].seq;
		dmb(ish);
		if (mb[me].op == OP_OFF) {
			mb[me].done = seen;
			dmb(ish);
			hvc(PSCI_CPU_OFF, 0, 0, 0);
		}
		run_op(me);
		dmb(ish);
		mb[me].done = seen;
	}
}

void guest_secondary_main(uint64_t ctx)
{
	unsigned me = (unsigned)ctx;

	arrived_at[me] = now();
	helper_loop(me);
}

static void resumed_helper(uint64_t ctx)
{
	helper_loop((unsigned)ctx);
}

/* ---- the orchestrator, vCPU 0 ---- */

static void post(unsigned t, enum op op, unsigned arg)
{
	mb[t].op = op;
	mb[t].arg = arg;
	mb[t].parked = false;
	dmb(ish);
	mb[t].seq++;
}

static bool is_off(unsigned t)
{
	return hvc(PSCI_AFFINITY_INFO64, t, 0, 0) == PSCI_AFF_OFF;
}

static bool turn_off(unsigned t)
{
	uint64_t t0 = now();

	post(t, OP_OFF, 0);
	while (!is_off(t))
		if (to_us(now() - t0) > GIVE_UP_US)
			return false;
	return true;
}

static bool start(unsigned t)
{
	int64_t rc;

	if (!is_off(t))
		return true;
	arrived_at[t] = 0;
	mb[t].seq = mb[t].done = 0;
	rc = hvc(PSCI_CPU_ON64, t, (uint64_t)(uintptr_t)guest_secondary_entry, t);
	if (rc != PSCI_SUCCESS) {
		FAIL("CPU_ON of vCPU %u returned %ld", t, rc);
		return false;
	}
	if (!spin_until_set(&arrived_at[t])) {
		FAIL("vCPU %u never arrived after CPU_ON from vCPU 0", t);
		return false;
	}
	return true;
}

static bool all_on(void)
{
	for (unsigned t = 1; t < nvcpus; t++)
		if (!start(t))
			return false;
	return true;
}

static void report(const char *path, uint64_t worst, unsigned n, uint64_t bound_us)
{
	gprintf("spin: %s: worst %lu us over %u\n", path, to_us(worst), n);
	if (bound_us && to_us(worst) > bound_us)
		gtest_fail("%s: worst latency %lu us, bound %lu us", path, to_us(worst),
			   bound_us);
}

/* The sender s (vCPU 0 itself, or a helper told to) acts on t and spins
 * until t ran; returns the latency, or 0 after a give-up (test failed). */
static uint64_t act(unsigned s, unsigned t, bool cpu_on, const char *path)
{
	if (s == 0) {
		send_and_measure(0, t, cpu_on);
		if (mb[0].timed_out) {
			FAIL("%s: vCPU %u never ran after vCPU 0 %s it (%u ms)", path, t,
				   cpu_on ? "started" : "sent it an SGI", GIVE_UP_US / 1000);
			return 0;
		}
		return mb[0].latency;
	}
	mb[s].timed_out = false;
	post(s, cpu_on ? OP_CPU_ON : OP_SEND_SGI, t);
	if (!spin_until_done(s)) {
		FAIL("%s: vCPU %u (sender) never finished its errand on vCPU %u", path, s, t);
		return 0;
	}
	if (mb[s].timed_out) {
		FAIL("%s: vCPU %u never ran after vCPU %u %s it (%u ms)", path, t, s,
			   cpu_on ? "started" : "sent it an SGI", GIVE_UP_US / 1000);
		return 0;
	}
	return mb[s].latency;
}

/* Every ordered pair: t blocks in `how`, s wakes it with an SGI. */
static void wake_pairs(enum op how, const char *path)
{
	uint64_t worst = 0, t0;
	unsigned n = 0;

	NEED_HEALTHY();
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_on())
		return;
	for (unsigned t = 1; t < nvcpus; t++)
		for (unsigned s = 0; s < nvcpus; s++) {
			uint64_t l;

			if (s == t)
				continue;
			sgi_at[t] = 0;
			post(t, how, 0);
			t0 = now();
			while (!mb[t].parked)
				if (to_us(now() - t0) > GIVE_UP_US) {
					FAIL("%s: vCPU %u never got its CPU to block", path, t);
					return;
				}
			/* Let it block; its CPU runs whoever else is there. */
			while (to_us(now() - t0) < 200)
				;
			l = act(s, t, false, path);
			if (!l)
				return;
			if (!spin_until_done(t)) {
				FAIL("%s: vCPU %u woke but never finished", path, t);
				return;
			}
			worst = l > worst ? l : worst;
			n++;
		}
	report(path, worst, n, wake_bound_us);
}

GTEST(cpu_on)
{
	uint64_t worst = 0;
	unsigned n = 0;

	NEED_HEALTHY();
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_on())
		return;
	for (unsigned t = 1; t < nvcpus; t++)
		for (unsigned s = 0; s < nvcpus; s++) {
			uint64_t l;

			if (s == t)
				continue;
			if (!turn_off(t)) {
				FAIL("cpu_on: vCPU %u never went off", t);
				return;
			}
			l = act(s, t, true, "cpu_on");
			if (!l)
				return;
			if (!spin_until_done(t)) {
				FAIL("cpu_on: vCPU %u started but never reached its loop", t);
				return;
			}
			worst = l > worst ? l : worst;
			n++;
		}
	report("cpu_on", worst, n, wake_bound_us);
}

GTEST(sgi_wfi)
{
	wake_pairs(OP_WFI, "sgi_wfi");
}

GTEST(standby)
{
	wake_pairs(OP_STANDBY, "standby");
}

GTEST(powerdown)
{
	wake_pairs(OP_POWERDOWN, "powerdown");
}

GTEST(spin_ack)
{
	uint64_t worst = 0;
	unsigned n = 0;

	NEED_HEALTHY();
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_on())
		return;
	for (unsigned round = 0; round < 3; round++)
		for (unsigned t = 1; t < nvcpus; t++) {
			uint64_t t0;

			acked_at[t] = 0;
			t0 = now();
			post(t, OP_ACK, 0);
			if (!spin_until_set(&acked_at[t])) {
				FAIL("spin_ack: vCPU %u never answered while vCPU 0 spun", t);
				return;
			}
			worst = acked_at[t] - t0 > worst ? acked_at[t] - t0 : worst;
			n++;
			spin_until_done(t);
		}
	report("spin_ack", worst, n, spin_bound_us);
}

GTEST(barrier)
{
	NEED_HEALTHY();
	if (nvcpus < 2)
		GTEST_SKIP("one vCPU");
	if (!all_on())
		return;
	barrier_failed = false;
	for (unsigned t = 1; t < nvcpus; t++)
		post(t, OP_BARRIER, 0);
	barrier_rounds();
	for (unsigned t = 1; t < nvcpus; t++)
		if (!spin_until_done(t)) {
			FAIL("barrier: vCPU %u never left it", t);
			return;
		}
	GTEST_EXPECT(!barrier_failed, "barrier: a vCPU waited %u ms for the others",
		     GIVE_UP_US / 1000);
	gprintf("spin: barrier: %u rounds of %u vCPUs\n", BARRIER_ROUNDS, nvcpus);
}

void guest_main(uint64_t dtb)
{
	freq = read_sysreg(cntfrq_el0);
	for (nvcpus = 1; nvcpus < MAXV; nvcpus++)
		if (hvc(PSCI_AFFINITY_INFO64, nvcpus, 0, 0) == PSCI_INVALID_PARAMETERS)
			break;
	wake_bound_us = guest_dt_bootarg((const void *)dtb, "wake_bound_us", 0);
	spin_bound_us = guest_dt_bootarg((const void *)dtb, "spin_bound_us", 0);
	guest_irq_handler = on_irq;
	guest_resume_handler = resumed_helper;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, SGI_WAKE, 0x80);
	irq_enable();
	gprintf("spin: %u vCPUs\n", nvcpus);
	gtest_main();
}
