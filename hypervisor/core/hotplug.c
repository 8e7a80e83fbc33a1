/* Physical CPU hotplug, the way host suspend needs it.
 *
 * Offline (on the boot CPU, for CPU n): n's SPIs are migrated to the boot
 * CPU, n is asked to die; n tears down its private interrupts, GIC CPU
 * interface and timer, marks itself OFF and calls PSCI CPU_OFF; the boot
 * CPU waits for the firmware's AFFINITY_INFO to say OFF. Per-CPU data is
 * kept.
 *
 * Online: PSCI CPU_ON with cpu_reentry as entry point and n as context_id.
 * cpu_reentry trusts no register (the firmware simulates power loss) and
 * runs no boot-only code (that section is not executable after boot). The
 * CPU first checks that it supports the configuration the boot CPU chose;
 * if not it is parked (CPU_OFF) as REJECTED and never trusted.
 *
 * Locking: hotplug_lock serialises on/off requests. A CPU's `state` is
 * written by the requester (BOOTING, GOING_OFF) or by the CPU itself
 * (OFF, REJECTED); the two racing steps, BOOTING -> ONLINE by the CPU and
 * BOOTING -> FAILED by a requester that gave up waiting, are atomic
 * compare-and-swaps, so a late CPU finds it was given up and parks. */
#include <lull/psci.h>
#include <lull/format.h>
#include <string.h>
#include "el2_regs.h"
#include "hotplug.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "pm_faults.h"
#include "psci_client.h"
#include "smp.h"
#include "cpu_view.h"
#include "sched.h"
#include "timer.h"
#include "vm.h"

#define ARRIVE_TIMEOUT_US 2000000
#define LEAVE_TIMEOUT_US  2000000

extern char cpu_reentry[];
static spinlock_t hotplug_lock = SPINLOCK_INIT;
static struct cpu_caps chosen;

void hotplug_set_chosen_caps(void)
{
	cpu_caps_decode(read_sysreg(id_aa64mmfr0_el1), read_sysreg(id_aa64mmfr1_el1),
			read_sysreg(id_aa64pfr0_el1), &chosen);
	if (chosen.pa_bits > 48)
		chosen.pa_bits = 48;      /* no 52-bit PA with 4 KiB pages here */
	this_cpu()->caps = chosen;
	printk("cpu caps chosen: PA %u bits, 4K granule s1 %d s2 %d, VMID %u bits",
	       chosen.pa_bits, chosen.gran4, chosen.gran4_s2, chosen.vmid_bits);
}

unsigned hotplug_pa_bits(void)
{
	return chosen.pa_bits;
}

static bool state_swap(struct percpu *c, enum cpu_state from, enum cpu_state to)
{
	enum cpu_state expected = from;
	return __atomic_compare_exchange_n(&c->state, &expected, to, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static NORETURN void cpu_park_rejected(struct percpu *c)
{
	printk("cpu%u: REJECTED: %s; parking it (CPU_OFF)", c->id, c->why);
	irq_disable();
	c->state = CPU_REJECTED;
	dsb(sy);
	sev();
	fw_cpu_off();
}

/* On the CPU going offline, from its run loop. A fault point makes it
 * refuse (host suspend must then roll back): it stays online. */
void hotplug_cpu_die(void)
{
	struct percpu *c = this_cpu();

	irq_disable();
	if (pm_fault_hit(PM_FAULT_CPU_OFFLINE, c->id, NULL)) {
		snprintf(c->why, sizeof(c->why), "refused to go offline (fault point)");
		c->die = false;
		c->state = CPU_ONLINE;
		dsb(sy);
		sev();
		return;
	}
	timer_cpu_down();
	irq_cpu_down();
	c->die = false;
	c->state = CPU_OFF;
	dsb(sy);
	sev();
	fw_cpu_off();
}

int hotplug_check_this_cpu(struct cpu_caps *caps, char *why, size_t size)
{
	struct percpu *c = this_cpu();

	cpu_caps_decode(read_sysreg(id_aa64mmfr0_el1), read_sysreg(id_aa64mmfr1_el1),
			read_sysreg(id_aa64pfr0_el1), caps);
	if (c->fake_caps)
		*caps = c->fake;   /* test hook: pretend to be a different CPU */
	c->caps = *caps;
	if (!cpu_caps_support(&chosen, caps, why, size))
		return -1;
	cpu_view_record_this_cpu();
	return cpu_views_supported_here(why, size) ? 0 : -1;
}

/* C entry of every CPU arrival after cold boot (head.S cpu_reentry). */
void cpu_secondary_main(unsigned id)
{
	struct percpu *c = &percpus[id];
	struct cpu_caps caps;

	write_sysreg(c, tpidr_el2);
	if (hotplug_check_this_cpu(&caps, c->why, sizeof(c->why)))
		cpu_park_rejected(c);
	el2_cpu_init();   /* every EL2 control register, VTCR_EL2 included */
	timer_cpu_up();
	irq_cpu_up();
	/* Online only once its interrupts work: a requester may use it at
	 * once (cross-calls, routing). */
	if (!state_swap(c, CPU_BOOTING, CPU_ONLINE)) {
		snprintf(c->why, sizeof(c->why), "arrived after its requester gave up");
		irq_cpu_down();
		timer_cpu_down();
		cpu_park_rejected(c);
	}
	c->times_online++;
	c->why[0] = '\0';
	dsb(sy);
	sev();
	cpu_views_wait();   /* boot: until every domain's CPU view is made */
	sched_run_loop();
}

static bool arrived(void *arg)
{
	enum cpu_state s = ((struct percpu *)arg)->state;
	return s == CPU_ONLINE || s == CPU_REJECTED;
}

static bool firmware_says_off(void *arg)
{
	struct percpu *c = arg;
	return (c->state == CPU_OFF || c->state == CPU_REJECTED) &&
	       fw_affinity_info(c->mpidr) == PSCI_AFF_OFF;
}

/* Gone, or it refused and stays online. */
static bool left_or_refused(void *arg)
{
	struct percpu *c = arg;
	return c->state == CPU_ONLINE || firmware_says_off(c);
}

int cpu_online(unsigned id, bool verbose)
{
	struct percpu *c;
	int64_t rc;
	int ret = -1;

	if (id >= nr_cpus) {
		printk("cpu on: no CPU %u (have %u)", id, nr_cpus);
		return -1;
	}
	c = &percpus[id];
	spin_lock(&hotplug_lock);
	if (c->state == CPU_ONLINE) {
		printk("cpu%u: already online", id);
		goto out;
	}
	if (c->state != CPU_OFF && c->state != CPU_FAILED && c->state != CPU_REJECTED) {
		printk("cpu%u: busy (%s)", id, cpu_state_name(c->state));
		goto out;
	}
	c->state = CPU_BOOTING;
	dsb(sy);
	rc = fw_cpu_on(c->mpidr, (uint64_t)(uintptr_t)cpu_reentry, id);
	if (rc != PSCI_SUCCESS) {
		snprintf(c->why, sizeof(c->why), "CPU_ON failed: %s", psci_error_name(rc));
		c->state = CPU_FAILED;
		printk("cpu%u: %s; system goes on without it", id, c->why);
		goto out;
	}
	if (!wait_until(arrived, c, ARRIVE_TIMEOUT_US) && state_swap(c, CPU_BOOTING, CPU_FAILED)) {
		rc = fw_affinity_info(c->mpidr);
		snprintf(c->why, sizeof(c->why), "did not arrive (AFFINITY_INFO %ld)", (long)rc);
		printk("cpu%u: %s; system goes on without it", id, c->why);
		goto out;
	}
	if (c->state == CPU_REJECTED) {
		/* It parks itself; wait until the firmware agrees it is off. */
		wait_until(firmware_says_off, c, LEAVE_TIMEOUT_US);
		goto out;
	}
	if (verbose)
		printk("cpu%u: online", id);
	ret = 0;
out:
	spin_unlock(&hotplug_lock);
	return ret;
}

int cpu_offline(unsigned id, bool verbose)
{
	struct percpu *c;
	unsigned moved;
	int ret = -1;

	if (id >= nr_cpus) {
		printk("cpu off: no CPU %u (have %u)", id, nr_cpus);
		return -1;
	}
	if (id == 0) {
		printk("cpu off: cpu0 is the boot CPU; it stays online");
		return -1;
	}
	c = &percpus[id];
	spin_lock(&hotplug_lock);
	if (c->state != CPU_ONLINE) {
		printk("cpu%u: not online (%s)", id, cpu_state_name(c->state));
		goto out;
	}
	c->state = CPU_GOING_OFF;
	moved = irq_migrate(id, 0);
	c->die = true;
	dsb(sy);
	smp_kick(id);
	if (wait_until(left_or_refused, c, LEAVE_TIMEOUT_US) && c->state == CPU_ONLINE) {
		printk("cpu%u: %s", id, c->why);
		goto out;
	}
	if (!firmware_says_off(c)) {
		snprintf(c->why, sizeof(c->why), "did not go off (AFFINITY_INFO %ld)",
			 (long)fw_affinity_info(c->mpidr));
		c->state = CPU_FAILED;
		printk("cpu%u: %s", id, c->why);
		goto out;
	}
	if (verbose)
		printk("cpu%u: offline (%u interrupt%s migrated to cpu0)", id, moved,
		       moved == 1 ? "" : "s");
	ret = 0;
out:
	spin_unlock(&hotplug_lock);
	return ret;
}
