/* Inter-processor calls over SGIs. */
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "smp.h"

#define CALL_TIMEOUT_US 500000

struct percpu percpus[MAX_CPUS];
unsigned nr_cpus;

static void call_irq(unsigned intid, void *arg)
{
	struct percpu *c = this_cpu();
	cross_call_fn fn = c->call_fn;
	(void)intid;
	(void)arg;

	c->ipis++;
	if (fn) {
		fn(c->call_arg);
		c->call_fn = NULL;
		dsb(sy);
		c->call_done = 1;
		sev();
	}
}

/* Another CPU made one of our vCPUs runnable, or has work for us: look
 * at the run queue again (core/sched.c decides whether to switch). */
static void kick_irq(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	this_cpu()->ipis++;
	this_cpu()->resched = true;
}

void smp_init(void)
{
	irq_register_private(SGI_CALL, "ipi-call", call_irq, NULL, true);
	irq_register_private(SGI_KICK, "ipi-kick", kick_irq, NULL, true);
}

static bool call_finished(void *arg)
{
	return ((struct percpu *)arg)->call_done != 0;
}

int smp_call(unsigned cpu, cross_call_fn fn, void *arg)
{
	struct percpu *t;
	int rc = 0;

	if (cpu >= nr_cpus || percpus[cpu].state != CPU_ONLINE)
		return -1;
	t = &percpus[cpu];
	if (t == this_cpu()) {
		uint64_t flags = irq_save();
		fn(arg);
		irq_restore(flags);
		return 0;
	}
	spin_lock(&t->call_lock);
	t->call_arg = arg;
	t->call_done = 0;
	t->call_fn = fn;
	gic_ops->send_sgi(t, SGI_CALL);
	if (!wait_until(call_finished, t, CALL_TIMEOUT_US)) {
		t->call_fn = NULL;
		rc = -1;
	}
	spin_unlock(&t->call_lock);
	return rc;
}

void smp_kick(unsigned cpu)
{
	gic_ops->send_sgi(&percpus[cpu], SGI_KICK);
}

const char *cpu_state_name(enum cpu_state s)
{
	static const char *const names[] = {
		"absent", "off", "booting", "online", "going-off", "rejected", "failed",
	};
	return s < ARRAY_SIZE(names) ? names[s] : "?";
}
