/* Per-CPU run loop and the scheduling of the vCPUs pinned to a CPU.
 *
 * Locking: a CPU's run queue list is fixed after boot (built before the
 * CPU starts), so reading it needs no lock; vCPU power states change under
 * their domain's lock (ON_PENDING -> ON in make_on). Only the CPU itself
 * loads, runs and puts its vCPUs, and only it writes the scheduling
 * fields (percpu stint_start/yield, vcpu ready_since/woken); other CPUs
 * only make a vCPU runnable and kick its CPU (sched_kick).
 *
 * Policy (docs/architecture.md 9.4). A runnable vCPU that is not running
 * is *ready*; it is *woken* if it became runnable from blocked or off
 * (WFI, a PSCI sleep, CPU_ON), and *preempted* if it lost the CPU while
 * runnable. The running vCPU keeps its CPU until it blocks, or
 *   - it yields: WFE, or it sent an SGI to or started (CPU_ON) a vCPU of
 *     its own CPU (a directed yield: it usually waits for that vCPU),
 *   - a woken vCPU is ready and it has run SCHED_MIN_SLICE_US this turn,
 *   - any vCPU is ready and it has run SCHED_SLICE_US this turn.
 * The next one is the ready vCPU that has waited longest, a woken one
 * counting SCHED_WAKE_CREDIT_US more. The CPU's timer is armed for the
 * deadline whenever someone is ready, and every wake-up kicks the CPU, so
 * the rules are applied at once. Bounds, n = vCPUs pinned to the CPU: a
 * woken vCPU runs within (n - 1) x SCHED_MIN_SLICE_US; a preempted one
 * within SCHED_WAKE_CREDIT_US + (n - 1) x SCHED_SLICE_US. */
#include "console.h"
#include "domain.h"
#include "exits.h"
#include "gic.h"
#include "host_pm.h"
#include "hotplug.h"
#include "percpu.h"
#include "sched.h"
#include "shell.h"
#include "timer.h"
#include "vptimer.h"
#include "vtimer.h"
#include "vwdt.h"

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

void sched_directed_yield(struct vcpu *from, struct vcpu *to)
{
	struct percpu *c = this_cpu();

	if (to->pcpu == c->id && to != from && from == c->loaded)
		c->resched = c->yield = true;
}

/* Has a context to run, now or when an interrupt wakes it (not paused,
 * not parked while the machine suspends). */
static bool alive(const struct vcpu *v)
{
	return v->dom->state == DOMAIN_RUNNING && !v->dom->paused && v->power != VCPU_OFF &&
	       !v->host_park;
}

static bool runnable(const struct vcpu *v)
{
	return alive(v) && !v->wfi_blocked;
}

/* A ready vCPU's place in the queue: the earlier, the sooner it runs. */
static int64_t queue_key(const struct vcpu *v)
{
	return (int64_t)v->ready_since -
	       (v->woken ? (int64_t)us_to_ticks(SCHED_WAKE_CREDIT_US) : 0);
}

/* Apply the policy (top of file): the vCPU to run next, or NULL to idle.
 * Without `resched` nothing changed that could matter: keep the loaded
 * vCPU if it is runnable. */
static struct vcpu *pick(struct percpu *c)
{
	struct vcpu *cur = c->loaded && runnable(c->loaded) ? c->loaded : NULL;
	struct vcpu *best = NULL;
	unsigned ready = 0, woken = 0;
	uint64_t now;

	if (cur && (!c->resched || (c->runq == cur && !cur->next_on_pcpu)))
		return cur;      /* nothing changed, or nobody else lives here */
	now = counter_now() | 1;   /* ready_since 0 means "not ready" */
	for (struct vcpu *v = c->runq; v; v = v->next_on_pcpu) {
		if (v == cur)
			continue;
		if (!runnable(v)) {
			v->ready_since = 0;
			continue;
		}
		if (!v->ready_since) {   /* runnable since the last look: woken */
			v->ready_since = now;
			v->woken = true;
		}
		ready++;
		woken += v->woken;
		if (!best || queue_key(v) < queue_key(best))
			best = v;
	}
	if (!best)
		return cur;
	if (cur && !c->yield) {
		uint64_t end = c->stint_start +
			       us_to_ticks(woken ? SCHED_MIN_SLICE_US : SCHED_SLICE_US);
		if (now < end) {
			timer_request(end);
			return cur;
		}
	}
	if (cur) {              /* preempted: to the back of the queue */
		cur->ready_since = now;
		cur->woken = false;
		ready++;
	}
	ready--;
	woken -= best->woken;
	best->ready_since = 0;
	c->stint_start = now;
	if (ready)
		timer_request(now + us_to_ticks(woken ? SCHED_MIN_SLICE_US : SCHED_SLICE_US));
	return best;
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
	if (v->host_resumed) {
		/* The hardware domain after a host resume: the others may go. */
		v->host_resumed = false;
		host_resume_hwdom_entered(v);
	}
	/* Logged by CPU 0 (report_resumes), off the path back into the
	 * guest: a console line costs thousands of instructions. */
	if (was == VCPU_SUSPENDED) {
		vwdt_domain_running(v->dom);   /* its watchdog counts again */
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
			if (host_suspend_requested)
				host_suspend_run();
			report_resumes();
			vwdt_poll();      /* every domain's watchdog (vdev/vwdt.c) */
			irq_enable();     /* commands wait for interrupts (check) */
			shell_poll();
			irq_disable();
		}
		for (struct vcpu *p = c->runq; vgic_present() && p; p = p->next_on_pcpu) {
			if (!alive(p))
				continue;
			if (p != c->loaded)
				vtimer_check_parked(p);
			vptimer_update(p);   /* loaded or not: it lives in memory */
		}
		v = pick(c);
		c->resched = c->yield = false;   /* anything later is news */
		if (!v) {
			idle(c);
			continue;
		}
		if (v->power != VCPU_ON)
			make_on(v);
		if (c->loaded != v) {
			struct vcpu *old = c->loaded;

			if (old) {
				vcpu_put(old);
				/* Its timer left the hardware: this CPU's timer
				 * watches it from now on, or a vCPU that runs
				 * without exits would hide its expiry. */
				if (vgic_present() && alive(old))
					vtimer_check_parked(old);
			}
			vcpu_load(v);
			if (v->dom->pm_note_running)
				host_resume_domain_running(v->dom);
		}
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
