#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "pm_device.h"
#include "timer.h"

#define CNTHP_CTL_ENABLE BIT(0)
#define CNTHP_CTL_IMASK  BIT(1)

static uint64_t freq;

uint64_t counter_freq(void)
{
	return freq;
}

uint64_t us_to_ticks(uint64_t us)
{
	return us * (freq / 1000000);
}

bool wait_until(bool (*cond)(void *), void *arg, uint64_t timeout_us)
{
	uint64_t deadline = counter_now() + us_to_ticks(timeout_us);

	while (!cond(arg)) {
		if (counter_now() > deadline)
			return cond(arg);
		/* WFE yields to other CPUs under icount; SEV or an interrupt
		 * (or the event stream) ends it. */
		wfe();
	}
	return true;
}

/* One hardware timer per CPU serves every user (time slices, vCPU timer
 * wake-ups, the `check` command): it is armed for the earliest deadline
 * asked for, and when it fires everyone re-evaluates. */
static void timer_irq(unsigned intid, void *arg)
{
	struct percpu *c = this_cpu();
	(void)intid;
	(void)arg;
	write_sysreg(CNTHP_CTL_IMASK, cnthp_ctl_el2);
	c->timer_deadline = 0;
	c->timer_irqs++;
	c->resched = true;
	sev();
}

/* Host suspend: the boot CPU's EL2 timer (CNTHP) and timer controls
 * (CNTHCTL_EL2, CNTVOFF_EL2) are lost with its power. Nothing is saved but
 * the pending deadline: resume sets the controls up as at boot and arms
 * the deadline again (one that passed meanwhile fires at once). */
static uint64_t suspended_deadline;

static int timer_suspend(void)
{
	suspended_deadline = this_cpu()->timer_deadline;
	timer_cpu_down();
	return 0;
}

static void timer_resume(void)
{
	timer_cpu_up();
	if (suspended_deadline)
		timer_request(suspended_deadline);
}

static struct pm_device timer_pm = {
	.name = "timer", .order = PM_ORDER_TIMER, .suspend = timer_suspend, .resume = timer_resume,
};

void timer_init(void)
{
	freq = read_sysreg(cntfrq_el0);
	if (!freq)
		freq = 62500000;
	irq_register_private(PPI_HYP_TIMER, "hyp-timer", timer_irq, NULL, false);
	pm_device_register(&timer_pm);
}

void timer_cpu_up(void)
{
	this_cpu()->timer_deadline = 0;
	write_sysreg(0, cnthp_ctl_el2);
	/* CNTHCTL_EL2 and CNTVOFF_EL2 (the event stream that bounds every
	 * WFE, the EL1 physical timer trapped) are el2_cpu_init's. */
	isb();
}

void timer_cpu_down(void)
{
	this_cpu()->timer_deadline = 0;
	write_sysreg(0, cnthp_ctl_el2);
	isb();
}

void timer_request(uint64_t deadline)
{
	struct percpu *c = this_cpu();
	uint64_t flags = irq_save();

	if (!c->timer_deadline || deadline < c->timer_deadline) {
		c->timer_deadline = deadline;
		write_sysreg(deadline, cnthp_cval_el2);
		write_sysreg(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
		isb();
	}
	irq_restore(flags);
}

void timer_arm_oneshot(uint64_t us)
{
	timer_request(counter_now() + us_to_ticks(us));
}
