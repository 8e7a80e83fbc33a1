/* Benchmarks of the paths a guest pays for, in instructions under QEMU
 * -icount shift=0 (one instruction = 1 ns; the 62.5 MHz counter ticks
 * every 16 instructions). Each sample times BATCH operations, or one; the
 * per-operation minimum and median over SAMPLES samples are printed as
 *   bench: <name>: min <n> median <n> instructions
 * or, where the platform does not offer the operation,
 *   bench: <name>: n/a: <why>
 * Runs the same under Lull (PSCI over HVC to the hypervisor, trapped
 * distributor) and directly on QEMU at EL1 (QEMU's own PSCI, real GIC).
 *
 * The PSCI benchmarks time from an event on one vCPU (or the virtual
 * timer's expiry, CNTV_CVAL) to an instant on another, with the virtual
 * counter, which is the same on every vCPU. A vCPU that starts with no
 * context (CPU_ON, power-down, SYSTEM_SUSPEND) starts at bench_entry
 * (entry.S), whose first instruction reads the counter. vCPU 0 runs them
 * with interrupts masked in PSTATE (a PSCI call then returns without
 * taking the wake-up interrupt first; it is acknowledged afterwards).
 * vCPU 1 waits in WFI; vCPU 0 gives it commands with an SGI, run in its
 * interrupt handler: send the wake-up SGI after a delay on its own virtual
 * timer, or CPU_OFF. Waiting is in WFI, which costs no instructions while
 * the vCPU sleeps (under -icount sleep=off the clock jumps ahead). */
#include <lull/arch.h>
#include <lull/mmio.h>
#include <lull/gic_regs.h>
#include "gic.h"
#include "guest.h"

#define SAMPLES 64
#define BATCH   8
#define INSNS_PER_TICK 16
#define SGI_PING 2          /* vCPU 0 -> 1, answered by SGI_PONG */
#define SGI_PONG 3
#define SGI_CMD  4          /* vCPU 0 -> 1: a command waits in `cmd` */
#define SGI_WAKE 5          /* -> vCPU 0: the wake-up event, or "I started" */
#define PPI_VTIMER 27
/* How long a wake-up event comes after the sleeper was told to sleep:
 * 1000 ticks = 16000 instructions, far more than any PSCI call takes to
 * put a vCPU to sleep (the samples below check the order). */
#define WAKE_DELAY_TICKS 1000

#define CNTV_ENABLE  BIT(0)
#define CNTV_ISTATUS BIT(2)

enum command { CMD_NONE, CMD_WAKE_VCPU0, CMD_CPU_OFF, CMD_TIMER_BESIDE_SPINNER, CMD_SWITCH };

static volatile unsigned pongs, pings;
static volatile uint64_t timer_seen;
static volatile bool vcpu1_ready;
static volatile unsigned cmd, cmd_seq, cmd_done;
static volatile uint64_t cmd_arg;
static volatile uint64_t wake_sent;      /* counter when vCPU 1 sent SGI_WAKE */
static volatile bool spinner_running, spinner_stop;

/* entry.S: the counter at each vCPU's latest entry at bench_entry. */
extern volatile uint64_t bench_entry_stamp[GUEST_MAX_VCPUS];
void bench_entry(void);
void bench_entry_c(uint64_t ctx);

/* vCPU 0's context before a call that may lose it (setjmp). */
static struct guest_context resume_ctx;
#define REENTERED ((int64_t)0x7265656e74657221)

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && a[j - 1] > a[j]; j--) {
			uint64_t t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

/* Samples are in counter ticks for `per` operations. */
static void report(const char *name, uint64_t *s, unsigned per)
{
	sort(s, SAMPLES);
	gprintf("bench: %s: min %lu median %lu instructions\n", name,
		s[0] * INSNS_PER_TICK / per, s[SAMPLES / 2] * INSNS_PER_TICK / per);
}

static void not_available(const char *name, const char *call, int64_t rc)
{
	if (rc == PSCI_SUCCESS)
		gprintf("bench: %s: n/a: %s returned SUCCESS with its context kept (no re-entry"
			" at the entry point)\n", name, call);
	else
		gprintf("bench: %s: n/a: %s returned %ld (%s)\n", name, call, rc, psci_error_name(rc));
}

static void run_command(void);
static void switch_samples(bool sve);
static volatile bool partner_running, partner_stop, partner_sve;
static volatile unsigned pong_seq;
static uint64_t switch_s[SAMPLES];
static void timer_wakes_beside_spinner(uint64_t delay);

/* SVE on (CPACR_EL1.ZEN, FPEN; ZCR_EL1 the longest length), and an SVE
 * instruction that makes the vCPU's SVE state live. */
static void sve_enable(void)
{
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 16) | (3UL << 20), cpacr_el1);
	isb();
	write_sysreg(0xf, S3_0_C1_C2_0);
	isb();
}

static inline void sve_touch(void)
{
	__asm__ volatile(".arch_extension sve\n\tdup z0.b, #1" ::: "memory");
}

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid == SGI_PING && guest_vcpu() == 2) {
		/* The switch partner (bench_switch): answer vCPU 1. */
		if (partner_sve)
			sve_touch();
		pong_seq = pong_seq + 1;
		gic_send_sgi(1, SGI_PONG);
	} else if (intid == SGI_PING) {
		pings++;
		gic_send_sgi(0, SGI_PONG);
	} else if (intid == SGI_PONG) {
		pongs++;
	} else if (intid == PPI_VTIMER) {
		timer_seen = now();
		write_sysreg(0, cntv_ctl_el0);
		isb();
	} else if (intid == SGI_CMD) {
		gic_eoi(iar);
		run_command();      /* interrupts stay masked meanwhile */
		return;
	}
	if (intid < 1020)
		gic_eoi(iar);
}

/* Acknowledge and complete whatever is pending for this vCPU (with
 * interrupts masked in PSTATE). */
static void drain(void)
{
	for (;;) {
		uint32_t iar = gic_ack();
		if (gic_intid(iar) >= 1020)
			return;
		gic_eoi(iar);
	}
}

/* Sleep `ticks` in WFI on this vCPU's virtual timer, interrupts masked
 * (a pending interrupt ends WFI all the same; it stays pending). */
static void sleep_ticks(uint64_t ticks)
{
	write_sysreg(now() + ticks, cntv_cval_el0);
	write_sysreg(CNTV_ENABLE, cntv_ctl_el0);
	isb();
	while (!(read_sysreg(cntv_ctl_el0) & CNTV_ISTATUS))
		wfi();
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

/* vCPU 1, in its interrupt handler: the command vCPU 0 left in `cmd`. */
static void run_command(void)
{
	unsigned seq = cmd_seq;

	switch (cmd) {
	case CMD_WAKE_VCPU0:
		sleep_ticks(WAKE_DELAY_TICKS);
		wake_sent = now();
		gic_send_sgi(0, SGI_WAKE);
		break;
	case CMD_TIMER_BESIDE_SPINNER:
		timer_wakes_beside_spinner(cmd_arg);
		cmd_done = seq;
		gic_send_sgi(0, SGI_WAKE);
		return;
	case CMD_SWITCH:
		switch_samples(cmd_arg != 0);
		cmd_done = seq;
		gic_send_sgi(0, SGI_WAKE);
		return;
	case CMD_CPU_OFF:
		cmd_done = seq;
		dsb(sy);
		hvc(PSCI_CPU_OFF, 0, 0, 0);
		break;
	default:
		break;
	}
	cmd_done = seq;
}


/* vCPU 2, on vCPU 1's physical CPU: spins (plain loads, nothing traps)
 * until told to stop, then goes off. */
static void spinner(void)
{
	spinner_running = true;
	while (!spinner_stop)
		;
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

/* vCPU 2 as the switch partner of vCPU 1 (ctx 3: FP/SVE unused, 4: SVE
 * used at every wake-up): answers vCPU 1's SGI_PING in its handler. */
static void switch_partner(bool sve)
{
	partner_sve = sve;
	if (sve)
		sve_enable();
	gic_init_cpu(2);
	gic_enable(2, SGI_PING, 0x80);
	irq_enable();
	partner_running = true;
	while (!partner_stop)
		wfi();
	irq_disable();
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

/* vCPU 1 (in its handler, masked): SGI_PING to vCPU 2 on the same
 * physical CPU and WFI until it answered: two vCPU switches per round
 * trip. */
static void switch_samples(bool sve)
{
	if (sve)
		sve_enable();
	gic_enable(1, SGI_PONG, 0x80);
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		unsigned before = pong_seq;

		if (sve)
			sve_touch();
		gic_send_sgi(2, SGI_PING);
		while (pong_seq == before)
			wfi();
		switch_s[i] = now() - t0;
		drain();
	}
}

/* vCPU 1: answers pings and runs commands, in its interrupt handler. */
void guest_secondary_main(uint64_t ctx)
{
	if (ctx == 2)
		spinner();
	if (ctx == 3 || ctx == 4)
		switch_partner(ctx == 4);
	gic_init_cpu(1);
	gic_enable(1, SGI_PING, 0x80);
	gic_enable(1, SGI_CMD, 0x80);
	gic_enable(1, PPI_VTIMER, 0x80);
	irq_enable();
	vcpu1_ready = true;
	for (;;)
		wfi();
}

/* vCPU 0: give vCPU 1 a command (after its previous one is done). */
static void command(enum command c)
{
	while (cmd_done != cmd_seq)
		wfe();
	cmd = c;
	cmd_seq = cmd_seq + 1;
	gic_send_sgi(1, SGI_CMD);
}

/* A PSCI call after which vCPU 0 may re-enter at bench_entry (its context
 * lost): returns the call's result, or REENTERED after the re-entry. */
static __attribute__((noinline)) int64_t call_may_lose_context(uint64_t fid, uint64_t a1,
								 uint64_t a2, uint64_t a3)
{
	if (guest_context_save(&resume_ctx))
		return REENTERED;
	return hvc(fid, a1, a2, a3);
}

/* From bench_entry (entry.S), on the vCPU's entry stack, MMU off, DAIF
 * masked, the GIC CPU interface reset. */
void bench_entry_c(uint64_t ctx)
{
	unsigned me = guest_vcpu();

	(void)ctx;
	if (me != 0) {
		/* Started by CPU_ON: say so and power off again. */
		gic_init_cpu(me);
		gic_send_sgi(0, SGI_WAKE);
		hvc(PSCI_CPU_OFF, 0, 0, 0);
		for (;;)
			wfi();
	}
	/* vCPU 0 after a power-down or SYSTEM_SUSPEND: its virtual timer
	 * kept running (it may be what woke it); stop it, set up the CPU
	 * interface again, consume the wake-up interrupt, and go back into
	 * the call's caller. */
	write_sysreg(0, cntv_ctl_el0);
	isb();
	gic_init_cpu(0);
	drain();
	guest_context_restore(&resume_ctx, 1);
}

/* CPU_SUSPEND standby, woken by an SGI from vCPU 1: from the send to the
 * call's return. */
static void bench_standby(uint64_t *s)
{
	const char *name = "CPU_SUSPEND standby: SGI from vCPU 1 to the call's return";
	unsigned late = 0;

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t before, after;
		int64_t rc;

		wake_sent = 0;
		command(CMD_WAKE_VCPU0);
		before = now();
		rc = hvc(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_STANDBY, 0, 0);
		after = now();
		/* vCPU 1's send time: it stores it before sending. */
		while (!wake_sent)
			wfe();
		if (rc != PSCI_SUCCESS) {
			drain();
			not_available(name, "CPU_SUSPEND(standby)", rc);
			return;
		}
		late += wake_sent < before;
		s[i] = after - wake_sent;
		drain();
	}
	if (late)
		gprintf("bench: warning: %u standby samples sent the SGI too early\n", late);
	report(name, s, 1);
}

/* CPU_SUSPEND power-down woken by an SGI from vCPU 1: from the send to
 * the first instruction at the entry point. */
static void bench_powerdown_sgi(uint64_t *s)
{
	const char *name = "CPU_SUSPEND power-down: SGI from vCPU 1 to the entry point";
	unsigned late = 0;

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t before;
		int64_t rc;

		wake_sent = 0;
		command(CMD_WAKE_VCPU0);
		before = now();
		rc = call_may_lose_context(PSCI_CPU_SUSPEND64, PSCI_STATE_CORE_POWERDOWN,
					   (uint64_t)(uintptr_t)bench_entry, 0);
		if (rc != REENTERED) {
			while (!wake_sent)
				wfe();
			drain();
			not_available(name, "CPU_SUSPEND(0x40000002)", rc);
			return;
		}
		late += wake_sent < before;
		s[i] = bench_entry_stamp[0] - wake_sent;
	}
	if (late)
		gprintf("bench: warning: %u power-down samples sent the SGI too early\n", late);
	report(name, s, 1);
}

/* The vCPU's own virtual timer as the wake-up: from its expiry (CVAL) to
 * the first instruction at the entry point, for CPU_SUSPEND power-down or
 * SYSTEM_SUSPEND (`fid`). */
static void bench_timer_reentry(const char *name, const char *call, uint64_t fid, uint64_t a1,
				uint64_t a2, uint64_t *s)
{
	unsigned early = 0;

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t cval = now() + WAKE_DELAY_TICKS;
		int64_t rc;

		write_sysreg(cval, cntv_cval_el0);
		write_sysreg(CNTV_ENABLE, cntv_ctl_el0);
		isb();
		rc = call_may_lose_context(fid, a1, a2, 0);
		if (rc != REENTERED) {
			write_sysreg(0, cntv_ctl_el0);
			isb();
			drain();
			not_available(name, call, rc);
			return;
		}
		early += bench_entry_stamp[0] < cval;
		s[i] = bench_entry_stamp[0] - cval;
	}
	if (early)
		gprintf("bench: warning: %u samples re-entered before the timer expired\n", early);
	report(name, s, 1);
}

static int64_t affinity(unsigned vcpu)
{
	return hvc(PSCI_AFFINITY_INFO64, vcpu, 0, 0);
}

/* vCPU 2 spins on vCPU 1's physical CPU; vCPU 1 sleeps in WFI on its
 * virtual timer (interrupts masked); from the timer's expiry (CVAL) to
 * vCPU 1's first instruction after WFI. Only CPU 1 runs meanwhile (vCPU 0
 * waits in WFI). `delay` after vCPU 1 blocked: with 2 ms the spinner has
 * had its minimum slice and the woken vCPU takes the CPU at once; with
 * 100 us it waits out the rest of the spinner's minimum slice (1 ms,
 * core/sched.c): the bound. */
static uint64_t beside_spinner[SAMPLES];

static void timer_wakes_beside_spinner(uint64_t delay)
{
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t cval = now() + delay, woke;

		write_sysreg(cval, cntv_cval_el0);
		write_sysreg(CNTV_ENABLE, cntv_ctl_el0);
		isb();
		while (!(read_sysreg(cntv_ctl_el0) & CNTV_ISTATUS))
			wfi();
		woke = now();
		write_sysreg(0, cntv_ctl_el0);
		isb();
		drain();        /* the timer's interrupt, still pending for WFI */
		beside_spinner[i] = woke - cval;
	}
}

static void bench_shared_cpu(void)
{
	const char *names[2] = {
		"virtual timer wake of a vCPU beside a spinning vCPU (spinner had its 1 ms)",
		"virtual timer wake of a vCPU beside a spinning vCPU (spinner just got the CPU)",
	};
	const uint64_t delays[2] = { read_sysreg(cntfrq_el0) * 2 / 1000,     /* 2 ms */
				     read_sysreg(cntfrq_el0) / 10000 };      /* 100 us */
	int64_t rc = hvc(PSCI_CPU_ON64, 2, (uint64_t)(uintptr_t)guest_secondary_entry, 2);

	if (rc != PSCI_SUCCESS) {
		for (unsigned k = 0; k < 2; k++)
			gprintf("bench: %s: n/a: no third vCPU (CPU_ON returned %ld)\n", names[k],
				rc);
		return;
	}
	while (!spinner_running)
		wfe();
	for (unsigned k = 0; k < 2; k++) {
		cmd_arg = delays[k];
		command(CMD_TIMER_BESIDE_SPINNER);
		while (cmd_done != cmd_seq)
			wfi();          /* vCPU 1's SGI_WAKE ends it */
		drain();
		report(names[k], beside_spinner, 1);
	}
	spinner_stop = true;
	while (affinity(2) != PSCI_AFF_OFF)
		wfe();
}

/* The cost of vCPU switches (docs/benchmarks.md): vCPUs 1 and 2 share a
 * physical CPU under Lull (bootarg switch=1); an SGI round trip between
 * them is two switches (WFI exits, SGIs and injections included).
 * FP/SVE unused, then SVE used by both after every switch at the longest
 * vector length (the lazy restores and the saves at the next switches
 * included). QEMU never traps WFE (it only yields), so WFE cannot be
 * used here. */
static void bench_switch(bool shared)
{
	static const char *names[2] = {
		"SGI round trip, 2 vCPUs on one CPU (2 switches), no FP/SVE",
		"SGI round trip, 2 vCPUs on one CPU (2 switches), SVE in use",
	};
	bool has_sve = ((read_sysreg(id_aa64pfr0_el1) >> 32) & 0xf) != 0;

	for (unsigned k = 0; k < 2; k++) {
		int64_t rc;

		if (!shared) {
			gprintf("bench: %s: n/a: vCPUs 1 and 2 do not share a physical CPU\n",
				names[k]);
			continue;
		}
		if (k == 1 && !has_sve) {
			gprintf("bench: %s: n/a: no SVE\n", names[k]);
			continue;
		}
		partner_stop = partner_running = false;
		rc = hvc(PSCI_CPU_ON64, 2, (uint64_t)(uintptr_t)guest_secondary_entry, 3 + k);
		if (rc != PSCI_SUCCESS) {
			gprintf("bench: %s: n/a: no third vCPU (CPU_ON returned %ld)\n", names[k], rc);
			continue;
		}
		while (!partner_running)
			wfe();
		cmd_arg = k;
		command(CMD_SWITCH);
		while (cmd_done != cmd_seq)
			wfi();          /* vCPU 1's SGI_WAKE ends it */
		drain();
		report(names[k], switch_s, 1);
		partner_stop = true;
		dsb(sy);
		gic_send_sgi(2, SGI_PING);    /* out of its WFI, to see the stop */
		while (affinity(2) != PSCI_AFF_OFF)
			wfe();
	}
}

/* CPU_ON of vCPU 1 (on the other physical CPU) to its first instruction;
 * it then signals vCPU 0 and does CPU_OFF, and vCPU 0 waits with
 * AFFINITY_INFO for it to be OFF before the next sample. */
static void bench_cpu_on(uint64_t *s)
{
	const char *name = "CPU_ON to the target vCPU's first instruction";

	command(CMD_CPU_OFF);
	while (affinity(1) != PSCI_AFF_OFF)
		wfe();
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0;
		int64_t rc;

		bench_entry_stamp[1] = 0;
		t0 = now();
		rc = hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)bench_entry, 1);
		if (rc != PSCI_SUCCESS) {
			not_available(name, "CPU_ON", rc);
			return;
		}
		while (!bench_entry_stamp[1])
			wfi();          /* its SGI_WAKE ends it */
		s[i] = bench_entry_stamp[1] - t0;
		while (affinity(1) != PSCI_AFF_OFF)
			wfe();
		drain();
	}
	report(name, s, 1);
}

void guest_main(uint64_t dtb)
{
	static uint64_t s[SAMPLES];

	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, SGI_PONG, 0x80);
	gic_enable(0, SGI_WAKE, 0x80);
	gic_enable(0, PPI_VTIMER, 0x80);

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		for (unsigned k = 0; k < BATCH; k++)
			hvc(PSCI_VERSION, 0, 0, 0);
		s[i] = now() - t0;
	}
	report("PSCI_VERSION round trip (HVC)", s, BATCH);

	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		for (unsigned k = 0; k < BATCH; k++)
			(void)mmio_read32(GUEST_GICD + GICD_TYPER);
		s[i] = now() - t0;
	}
	report("GICD_TYPER read", s, BATCH);

	/* The same register block read by a load pair: no syndrome, so the
	 * hypervisor decodes the instruction (core/mmio_insn.c). */
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now();
		for (unsigned k = 0; k < BATCH; k++) {
			uint32_t a, b;
			__asm__ volatile("ldp %w0, %w1, [%2]" : "=&r"(a), "=&r"(b)
					 : "r"(GUEST_GICD + GICD_TYPER) : "memory");
		}
		s[i] = now() - t0;
	}
	report("GICD_TYPER+IIDR load pair", s, BATCH);

	irq_enable();
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0;
		write_sysreg(0, cntv_ctl_el0);
		timer_seen = 0;
		t0 = now() + 200;
		write_sysreg(t0, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		while (!timer_seen)
			wfi();
		s[i] = timer_seen - t0;
	}
	report("virtual timer: expiry to guest handler", s, 1);

	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1) == PSCI_SUCCESS) {
		while (!vcpu1_ready)
			wfe();
		for (unsigned i = 0; i < SAMPLES; i++) {
			uint64_t t0 = now();
			unsigned before = pongs;
			gic_send_sgi(1, SGI_PING);
			while (pongs == before)
				wfi();
			s[i] = now() - t0;
		}
		report("SGI round trip between vCPUs on two CPUs (WFI)", s, 1);
		bench_shared_cpu();
		bench_switch(guest_dt_bootarg((const void *)(uintptr_t)dtb, "switch", 0) != 0);

		/* The PSCI benchmarks: vCPU 0 masked from here on. */
		irq_disable();
		bench_standby(s);
		bench_powerdown_sgi(s);
		bench_timer_reentry("CPU_SUSPEND power-down: virtual timer expiry to the entry point",
				    "CPU_SUSPEND(0x40000002)", PSCI_CPU_SUSPEND64,
				    PSCI_STATE_CORE_POWERDOWN, (uint64_t)(uintptr_t)bench_entry, s);
		bench_cpu_on(s);
		/* vCPU 1 is OFF now, as SYSTEM_SUSPEND wants. */
		bench_timer_reentry("SYSTEM_SUSPEND: virtual timer expiry to the entry point",
				    "SYSTEM_SUSPEND", PSCI_SYSTEM_SUSPEND64,
				    (uint64_t)(uintptr_t)bench_entry, 0, s);
	}
	gprintf("bench: done\n");
	guest_system_off();
}
