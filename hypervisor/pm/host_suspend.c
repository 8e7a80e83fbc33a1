/* Host suspend to RAM: the whole machine sleeps when the hardware domain
 * completes its own PSCI SYSTEM_SUSPEND, and wakes with nothing lost.
 *
 * Suspend, on CPU 0, in this order (each step undone, in reverse, if a
 * later one fails; the hardware domain's call then returns the error and
 * the machine keeps running):
 *   1. domains: every other domain is paused (vCPUs stopped, state in
 *      memory); a self-suspended one stays suspended, its wake-ups armed;
 *   2. wake-up sources: the physical interrupts the hardware domain and
 *      the self-suspended domains left enabled (and the console UART with
 *      lull,wake-on-console) stay enabled, routed to CPU 0; every other SPI
 *      is masked; with none, DENIED;
 *   3. CPUs: every other CPU goes offline through the hotplug path;
 *   4. devices: the ordered callbacks of pm_devices.c;
 *   5. EL2 context, then PSCI SYSTEM_SUSPEND with host_resume_entry.
 * Resume, in reverse: EL2 context (arch/aarch64/suspend.S, then here),
 * devices, CPUs, interrupt routing; then the wake ordering: the hardware
 * domain re-enters at its entry point first, and only once it has are the
 * other domains unpaused (host_resume_hwdom_entered).
 *
 * Locking: only CPU 0 runs the sequence (from its run loop, IRQs masked);
 * `state` below is written by CPU 0, and by the hardware domain's CPU at
 * host_resume_hwdom_entered, under pm_lock. */
#include <lull/format.h>
#include <lull/psci.h>
#include <lull/spinlock.h>
#include <string.h>
#include <libfdt.h>
#include "cpu_caps.h"
#include "domain.h"
#include "el2_regs.h"
#include "gic.h"
#include "host_pm.h"
#include "hotplug.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "phase_log.h"
#include "platform.h"
#include "pm_device.h"
#include "pm_faults.h"
#include "psci_client.h"
#include "sched.h"
#include "smp.h"
#include "suspend.h"
#include "timer.h"
#include "vgic.h"
#include "vm.h"
#include "vwdt.h"

static spinlock_t pm_lock = SPINLOCK_INIT;

static struct {
	struct vcpu *caller;           /* the hardware domain's suspending vCPU */
	uint64_t entry, ctx;
	uint64_t requested_at;         /* when the hardware domain called */
	bool busy;                     /* from the request to the last domain unpaused */
	bool was_online[MAX_CPUS];     /* step 3: the CPUs to bring back */
	uint32_t wake[32];             /* step 2: the wake-up SPIs */
	unsigned domains_to_report;    /* resumed domains not yet seen running */
} hp;

volatile bool host_suspend_requested;
static bool wake_on_console;

bool host_pm_busy(void)
{
	return hp.busy;
}

void host_pm_init(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen/lull-domains");

	wake_on_console = node >= 0 && fdt_getprop(fdt, node, "lull,wake-on-console", NULL);
	pm_faults_init(fdt);
}

void host_suspend_request(struct vcpu *v, uint64_t entry, uint64_t ctx)
{
	spin_lock(&pm_lock);
	hp.caller = v;
	hp.entry = entry;
	hp.ctx = ctx;
	hp.requested_at = counter_now();
	hp.busy = true;
	spin_unlock(&pm_lock);
	host_suspend_requested = true;
	dsb(sy);
	if (this_cpu_id() != 0)
		smp_kick(0);
}

/* ---- step 1: domains ---- */

static bool self_suspended(const struct domain *d)
{
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		if (d->vcpu[i].power == VCPU_SUSPENDED)
			return true;
	return false;
}

static int pause_domains(void)
{
	int idx = phase_begin("pause", "pause domains", PM_LANE_CPU, 0, false);

	if (pm_fault_hit(PM_FAULT_PAUSE, 0, NULL)) {
		phase_end(idx, PSCI_DENIED);
		return PSCI_DENIED;
	}
	for (unsigned i = 0; i < nr_domains; i++)
		if (!domains[i].cfg.hardware && domains[i].state == DOMAIN_RUNNING)
			domain_pause(&domains[i], PAUSE_HOST);
	phase_end(idx, 0);
	return 0;
}

/* After a resume the phase log notes when each domain first runs again;
 * the cycle ends when every domain that was running before it runs again
 * (a self-suspended one is noted when its own wake-up comes, if ever). */
#define PM_NOTE_AWAITED 1
#define PM_NOTE_SELF_SUSPENDED 2

static void unpause_domains(bool note_running)
{
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];
		if (!(d->paused & PAUSE_HOST))
			continue;
		if (note_running && d->paused == PAUSE_HOST) {
			bool awaited = !self_suspended(d);
			d->pm_note_running = awaited ? PM_NOTE_AWAITED : PM_NOTE_SELF_SUSPENDED;
			hp.domains_to_report += awaited;
		}
		domain_unpause(d, PAUSE_HOST);
	}
}

/* Under pm_lock: a new cycle forgets what the last one still awaited. */
static void forget_notes(void)
{
	for (unsigned i = 0; i < nr_domains; i++)
		domains[i].pm_note_running = 0;
	hp.domains_to_report = 0;
}

/* ---- step 2: wake-up sources ---- */

static unsigned find_wake_sources(void)
{
	unsigned n = 0;

	memset(hp.wake, 0, sizeof(hp.wake));
	if (pm_fault_hit(PM_FAULT_WAKE, 0, NULL))
		return 0;
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];
		if (d->state == DOMAIN_RUNNING && (d->cfg.hardware || self_suspended(d)))
			n += vgic_enabled_passthrough(d, hp.wake);
	}
	if (wake_on_console && plat.uart_irq) {
		hp.wake[plat.uart_irq / 32] |= 1U << (plat.uart_irq % 32);
		n++;
	}
	return n;
}

static int arm_wake_sources(void)
{
	int idx = phase_begin("wake", "wake-up sources", PM_LANE_CPU, 0, false);
	unsigned n = find_wake_sources();

	if (!n) {
		phase_end(idx, PSCI_DENIED);
		return PSCI_DENIED;
	}
	irq_suspend_mask(hp.wake);
	phase_end(idx, 0);
	return 0;
}

/* Interrupts that came while masked are taken now, on CPU 0 (the wake-up
 * sources are still routed here): the hardware domain's wake-up interrupt
 * is pending in its virtual GIC before it re-enters. */
static void restore_interrupts(void)
{
	int idx = phase_begin("wake", "interrupts restored", PM_LANE_CPU, 0, true);

	irq_enable();
	isb();
	irq_disable();
	irq_resume_unmask();
	phase_end(idx, 0);
}

/* ---- step 3: CPUs ---- */

static void cpus_online(void)
{
	for (unsigned i = 1; i < nr_cpus; i++) {
		char name[24];
		int idx, rc;

		if (!hp.was_online[i])
			continue;
		snprintf(name, sizeof(name), "online cpu%u", i);
		idx = phase_begin("cpus", name, PM_LANE_CPU, i, true);
		rc = cpu_online(i, false);
		phase_end(idx, rc ? PSCI_INTERNAL_FAILURE : 0);
		hp.was_online[i] = false;
	}
}

static int cpus_offline(void)
{
	for (unsigned i = 1; i < nr_cpus; i++) {
		char name[24];
		int idx, rc;

		if (percpus[i].state != CPU_ONLINE)
			continue;
		snprintf(name, sizeof(name), "offline cpu%u", i);
		idx = phase_begin("cpus", name, PM_LANE_CPU, i, false);
		rc = cpu_offline(i, false);
		phase_end(idx, rc ? PSCI_DENIED : 0);
		if (rc) {
			cpus_online();         /* the ones already off come back */
			return PSCI_DENIED;
		}
		hp.was_online[i] = true;
	}
	return 0;
}

/* ---- step 5: EL2 context and the firmware ---- */

/* Everything EL2 needs that the power-down loses, beyond the registers
 * the resume entry sets itself (suspend.S: SCTLR, VBAR, HCR, CPTR and the
 * MMU from mmu_regs): the per-CPU pointer; every control register is
 * written whole again by el2_cpu_init, as at boot, not restored from
 * what it held (the values are constants of include/el2_regs.h). */
static struct {
	uint64_t tpidr;
} el2;

static void el2_save(void)
{
	el2.tpidr = read_sysreg(tpidr_el2);
}

/* First C after the resume entry turned the MMU on. */
static void el2_restore(void)
{
	struct cpu_caps caps;
	char why[64];

	write_sysreg(el2.tpidr, tpidr_el2);
	el2_cpu_init();
	/* The boot CPU must still support what was chosen at boot, like any
	 * CPU that comes back: there is no other CPU to carry on without it. */
	if (hotplug_check_this_cpu(&caps, why, sizeof(why)))
		panic("host resume: the boot CPU came back without what boot chose: %s", why);
}

static struct suspend_context resume_ctx;

/* Returns the firmware's error, or 0 after the machine resumed. */
static int firmware_suspend(void)
{
	uint64_t start = counter_now();
	int64_t rc;

	el2_save();
	if (suspend_context_save(&resume_ctx)) {
		/* Back from SYSTEM_SUSPEND through host_resume_entry. */
		el2_restore();
		phase_log_fw(PM_FW_RESUME);
		phase_add("firmware", "SYSTEM_SUSPEND", PM_LANE_FIRMWARE, 0, false, start,
			  host_resume_stamp, 0);
		phase_add("resume", "resume entry", PM_LANE_CPU, 0, true, host_resume_stamp,
			  counter_now(), 0);
		return 0;
	}
	suspend_context_clean(&resume_ctx);
	phase_log_fw(PM_FW_CALL);
	rc = psci_call(PSCI_SYSTEM_SUSPEND64, (uint64_t)(uintptr_t)host_resume_entry, 0, 0);
	phase_add("firmware", "SYSTEM_SUSPEND", PM_LANE_FIRMWARE, 0, false, start, counter_now(),
		  (int)rc);
	return (int)(rc ? rc : PSCI_INTERNAL_FAILURE);
}

/* ---- the hardware domain ---- */

/* It re-enters at its entry point with x0 = context id (its context is
 * lost as on hardware); it always resumes first, woken or not by one of
 * its own interrupts. */
static void hwdom_resume(struct vcpu *v, unsigned wake_intid)
{
	struct domain *d = v->dom;

	vcpu_lose_context(v, hp.entry, hp.ctx);
	spin_lock(&d->lock);
	v->host_resumed = true;
	v->wake_intid = wake_intid;
	v->wfi_blocked = false;
	v->host_park = false;
	spin_unlock(&d->lock);
	sched_kick(v);
}

/* The call failed: it returns `rc` with its context intact. */
static void hwdom_fail(struct vcpu *v, int rc)
{
	struct domain *d = v->dom;

	v->regs.x[0] = (uint64_t)(int64_t)rc;
	spin_lock(&d->lock);
	v->power = VCPU_ON;
	v->wfi_blocked = false;
	v->host_park = false;
	spin_unlock(&d->lock);
	vwdt_domain_running(d);        /* frozen by its SYSTEM_SUSPEND */
	sched_kick(v);
}

void host_resume_hwdom_entered(struct vcpu *v)
{
	uint64_t now = counter_now();

	phase_add("domains", "re-entered", PM_LANE_DOMAIN, v->dom->id, true, now, now, 0);
	if (phase_log_current()) {
		phase_log_current()->hwdom_at = now;
		phase_log_fw(PM_FW_HWDOM);
	}
	spin_lock(&pm_lock);
	unpause_domains(true);
	if (!hp.domains_to_report) {
		hp.busy = false;
		phase_log_finish(0, NULL);
	}
	spin_unlock(&pm_lock);
}

void host_resume_domain_running(struct domain *d)
{
	uint64_t now = counter_now();

	spin_lock(&pm_lock);
	if (d->pm_note_running) {
		bool awaited = d->pm_note_running == PM_NOTE_AWAITED;

		d->pm_note_running = 0;
		phase_add("domains", "running", PM_LANE_DOMAIN, d->id, true, now, now, 0);
		if (awaited && hp.domains_to_report && !--hp.domains_to_report) {
			hp.busy = false;
			phase_log_finish(0, NULL);
		}
	}
	spin_unlock(&pm_lock);
}

/* ---- the sequence ---- */

/* Which wake-up source is pending now (the firmware left it so). */
static unsigned pending_wake_source(void)
{
	for (unsigned i = 32; i < gic.lines; i++)
		if ((hp.wake[i / 32] >> (i % 32)) & 1 && gic_ops->pending(i))
			return i;
	return 1023;
}

static const char *const step_names[] = { "pause", "wake", "cpus", "devices", "firmware" };

static int run_step(int step)
{
	switch (step) {
	case 0: return pause_domains();
	case 1: return arm_wake_sources();
	case 2: return cpus_offline();
	case 3: return pm_devices_suspend() ? PSCI_DENIED : 0;
	default: return firmware_suspend();
	}
}

void host_suspend_run(void)
{
	struct vcpu *v = hp.caller;
	struct pm_cycle *cycle;
	int rc = 0, done;

	host_suspend_requested = false;
	if (!v)
		return;
	/* A cycle whose domains never all ran is closed here. */
	spin_lock(&pm_lock);
	if (phase_log_current() && !phase_log_current()->end)
		phase_log_finish(0, NULL);
	forget_notes();
	spin_unlock(&pm_lock);
	cycle = phase_log_begin(hp.requested_at);
	phase_log_fw(PM_FW_START);
	if (vgic_present() && vgic_vcpu_pending(v) >= 0) {
		/* A wake-up is already pending for it: the machine does not
		 * go down; the domain re-enters at once (DEN0022: a pending
		 * wake-up ends the suspend). */
		cycle->wake_intid = (unsigned)vgic_vcpu_pending(v);
		phase_add("wake", "wake-up already pending", PM_LANE_CPU, 0, false, cycle->start,
			  counter_now(), 0);
		hwdom_resume(v, cycle->wake_intid);
		hp.caller = NULL;
		return;
	}
	if (this_cpu()->loaded)
		vcpu_put(this_cpu()->loaded);
	for (done = 0; done < 5; done++)
		if ((rc = run_step(done)))
			break;
	if (!rc)
		cycle->wake_intid = pending_wake_source();
	/* Resume, or roll back: every step that completed, last first (a
	 * step that failed has undone itself). */
	if (done > 3)
		pm_devices_resume();
	if (done > 2)
		cpus_online();
	if (done > 1)
		restore_interrupts();
	if (rc) {
		if (done > 0)
			unpause_domains(false);
		hwdom_fail(v, rc);
		hp.busy = false;
		phase_log_finish(rc, step_names[done]);
		printk("host suspend: failed at %s (%s); the machine keeps running",
		       step_names[done], psci_error_name(rc));
	} else {
		hwdom_resume(v, cycle->wake_intid);
	}
	hp.caller = NULL;
}
