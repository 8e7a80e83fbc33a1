/* Per-physical-CPU data. Each CPU's entry is written by that CPU, except
 * `state`, which the hotplug code changes under hotplug_lock (see
 * core/hotplug.c), and the cross-call mailbox, which has its own lock. */
#ifndef HYP_PERCPU_H
#define HYP_PERCPU_H
#include <lull/spinlock.h>
#include "hyp.h"
#include "cpu_caps.h"

enum cpu_state {
	CPU_ABSENT = 0,   /* not in the device tree */
	CPU_OFF,          /* powered off through PSCI CPU_OFF (or never started) */
	CPU_BOOTING,      /* CPU_ON issued, not yet reported back */
	CPU_ONLINE,
	CPU_GOING_OFF,    /* tearing down, about to call CPU_OFF */
	CPU_REJECTED,     /* came back without what the boot CPUs chose: parked */
	CPU_FAILED,       /* CPU_ON failed or the CPU never arrived */
};

typedef void (*cross_call_fn)(void *arg);

struct vcpu;

struct percpu {
	/* First: the guest entry/exit assembly finds these at TPIDR_EL2.
	 * x19-x30, sp, then the running guest's register area. */
	uint64_t host_ctx[14];
	unsigned id;
	uint64_t mpidr;
	volatile enum cpu_state state;
	uintptr_t gicr;             /* GICv3 redistributor frame */
	unsigned gic_cpu_if;        /* GICv2 CPU interface number */

	/* Cross-call mailbox (core/smp.c). */
	spinlock_t call_lock;
	cross_call_fn volatile call_fn;
	void *volatile call_arg;
	volatile uint32_t call_done;
	volatile bool die;          /* asked to go offline */

	/* Scheduling (core/sched.c): vCPUs pinned here, the one loaded. */
	struct vcpu *runq;
	struct vcpu *loaded;
	volatile bool resched;      /* look at the run queue again */
	bool yield;                 /* the loaded vCPU gives way (WFE, directed wake) */
	uint64_t stint_start;       /* when the loaded vCPU got the CPU this turn */
	uint64_t timer_deadline;    /* CNTHP armed for this, 0 = not armed */
	bool vtimer_ppi_off;        /* physical PPI 27 held off (core/vtimer.c) */

	/* Statistics, shown by the `cpus` console command. */
	volatile uint64_t timer_irqs, ipis, times_online;
	struct cpu_caps caps;
	char why[64];               /* last failure or rejection reason */
	bool fake_caps;             /* test hook: see shell `cpu fake-caps` */
	struct cpu_caps fake;
};

_Static_assert(__builtin_offsetof(struct percpu, host_ctx) == 0, "guest_entry.S");

extern struct percpu percpus[MAX_CPUS];
extern unsigned nr_cpus;       /* CPUs described by the device tree */

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)read_sysreg(tpidr_el2);
}

static inline unsigned this_cpu_id(void)
{
	return this_cpu()->id;
}

const char *cpu_state_name(enum cpu_state s);
#endif
