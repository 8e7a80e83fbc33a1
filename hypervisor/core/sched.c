/* Per-CPU run loop. Locking: a CPU's run queue list is fixed after boot
 * (built before the CPU starts), so reading it needs no lock; vCPU power
 * states change under their domain's lock (ON_PENDING -> ON in make_on).
 * Only the CPU itself loads, runs and puts its vCPUs. */
#include "console.h"
#include "domain.h"
#include "exits.h"
#include "gic.h"
#include "hotplug.h"
#include "percpu.h"
#include "sched.h"
#include "shell.h"
#include "timer.h"
#include "vtimer.h"

void sched_add(struct vcpu *v)
{
	struct percpu *c = &percpus[v->pcpu];
	struct vcpu **p = &c->runq;

	while (*p)
		p = &(*p)->next_on_pcpu;
	v->next_on_pcpu = NULL;
	*p = v;
}

void sched_kick(struct vcpu *v)
{
	if (v->pcpu == this_cpu_id())
		this_cpu()->resched = true;
	else if (percpus[v->pcpu].state == CPU_ONLINE)
		gic_ops->send_sgi(&percpus[v->pcpu], SGI_KICK);
}

/* Has a context to run, now or when an interrupt wakes it. */
static bool alive(const struct vcpu *v)
{
	return v->dom->state == DOMAIN_RUNNING && v->power != VCPU_OFF;
}

static bool runnable(const struct vcpu *v)
{
	return alive(v) && !v->wfi_blocked;
}

/* Keep running the loaded vCPU unless asked to reschedule; otherwise the
 * next runnable one after it, round robin. */
static struct vcpu *pick(struct percpu *c)
{
	struct vcpu *start, *v;

	if (c->loaded && !c->resched && runnable(c->loaded))
		return c->loaded;
	start = c->loaded && c->loaded->next_on_pcpu ? c->loaded->next_on_pcpu : c->runq;
	v = start;
	do {
		if (!v)
			return NULL;
		if (runnable(v))
			return v;
		v = v->next_on_pcpu ? v->next_on_pcpu : c->runq;
	} while (v != start);
	return NULL;
}

static unsigned runnable_count(const struct percpu *c)
{
	unsigned n = 0;
	for (const struct vcpu *v = c->runq; v; v = v->next_on_pcpu)
		n += runnable(v);
	return n;
}

/* Set when some vCPU has a resume to report: CPU 0's loop checks one
 * flag, and walks the domains only then. */
static volatile bool resumes_to_report;

/* The vCPU's CPU is about to run it: it leaves ON_PENDING, or one of
 * the sleeping states (an interrupt woke it, pm/vpsci.c). */
static void make_on(struct vcpu *v)
{
	enum vcpu_power was;

	spin_lock(&v->dom->lock);
	was = v->power;
	if (was != VCPU_OFF)
		v->power = VCPU_ON;
	spin_unlock(&v->dom->lock);
	if (was == VCPU_STANDBY || was == VCPU_POWERED_DOWN || was == VCPU_SUSPENDED)
		v->resume_intid = v->wake_intid;
	/* Logged by CPU 0 (report_resumes), off the path back into the
	 * guest: a console line costs thousands of instructions. */
	if (was == VCPU_SUSPENDED) {
		v->resume_report_intid = v->wake_intid;
		__atomic_fetch_add(&v->resumes_unreported, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&resumes_to_report, true, __ATOMIC_RELEASE);
		/* CPU 0 itself reports at its next loop round, after the
		 * guest's next exit. */
		if (v->pcpu != 0)
			gic_ops->send_sgi(&percpus[0], SGI_KICK);
	}
}

static void report_resumes(void)
{
	if (!resumes_to_report)
		return;
	resumes_to_report = false;   /* before the walk: a later one sets it again */
	for (unsigned i = 0; i < nr_domains; i++)
		for (unsigned k = 0; k < domains[i].cfg.nvcpus; k++) {
			struct vcpu *v = &domains[i].vcpu[k];
			unsigned n = v->resumes_unreported;

			if (!n)
				continue;
			__atomic_fetch_sub(&v->resumes_unreported, n, __ATOMIC_RELAXED);
			printk("domain %s: resumed by interrupt %u (vCPU %u)%s", domains[i].cfg.name,
			       v->resume_report_intid, v->id, n > 1 ? " (and earlier resumes)" : "");
		}
}

static void idle(struct percpu *c)
{
	/* A vCPU waiting in WFI stays loaded: its own timer wakes us. */
	if (c->loaded && !alive(c->loaded))
		vcpu_put(c->loaded);
	if (c->id == 0 && shell_has_input())
		return;
	if (!c->resched && !c->die)
		wfi();   /* interrupts masked: a pending one still ends WFI */
}

void sched_run_loop(void)
{
	struct percpu *c = this_cpu();

	for (;;) {
		struct vcpu *v;
		uint64_t vector;
		bool has_vgic;

		/* Take pending hypervisor interrupts (IPIs, timer, UART). */
		irq_enable();
		irq_disable();
		if (c->die) {
			if (c->loaded)
				vcpu_put(c->loaded);
			hotplug_cpu_die();
		}
		if (c->id == 0) {
			report_resumes();
			irq_enable();     /* commands wait for interrupts (check) */
			shell_poll();
			irq_disable();
		}
		for (struct vcpu *p = c->runq; vgic_present() && p; p = p->next_on_pcpu)
			if (p != c->loaded && alive(p))
				vtimer_check_parked(p);
		v = pick(c);
		if (!v) {
			idle(c);
			c->resched = false;
			continue;
		}
		if (v->power != VCPU_ON)
			make_on(v);
		if (c->loaded != v) {
			if (c->loaded)
				vcpu_put(c->loaded);
			vcpu_load(v);
		}
		if (c->resched && runnable_count(c) > 1)
			timer_arm_oneshot(SCHED_SLICE_US);
		c->resched = false;
		has_vgic = vgic_present();
		do {
			if (has_vgic)
				vgic_flush(v);
			vector = guest_enter(&v->regs, c->host_ctx);
			if (has_vgic)
				vgic_sync(v);
			vcpu_handle_exit(v, vector);
			/* Fast path: an exit handled in place (HVC, MMIO, a
			 * trapped register) goes straight back into the guest.
			 * Anything else that needs this CPU arrives as an
			 * interrupt, which exits the guest again at once. */
		} while (vector == 8 && !c->resched && !c->die && c->loaded == v &&
			 v->power == VCPU_ON && runnable(v));
	}
}
