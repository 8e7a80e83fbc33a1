/* The virtual timer (CNTV, PPI 27) through the virtual GICv3: a one-shot
 * interrupt, a periodic one re-armed from its handler, a masked timer that
 * must not interrupt, and WFI woken by the timer. */
#include <lull/arch.h>
#include "gic.h"
#include "guest.h"

#define PPI_VTIMER 27
#define PERIODS    20

static volatile unsigned ticks;
static volatile bool periodic;
static uint64_t period;

static void on_irq(void)
{
	uint32_t iar = gic_ack();

	if ((gic_intid(iar)) == PPI_VTIMER) {
		ticks++;
		if (periodic && ticks < PERIODS)
			write_sysreg(read_sysreg(cntv_cval_el0) + period, cntv_cval_el0);
		else
			write_sysreg(0, cntv_ctl_el0);   /* stop: the level drops */
		isb();
	}
	if ((gic_intid(iar)) < 1020)
		gic_eoi(iar);
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void arm(uint64_t delta, bool masked)
{
	write_sysreg(now() + delta, cntv_cval_el0);
	write_sysreg(masked ? 3 : 1, cntv_ctl_el0);
	isb();
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	uint64_t freq = read_sysreg(cntfrq_el0), t0;
	unsigned before;

	(void)dtb;
	period = freq / 1000;   /* 1 ms */
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, PPI_VTIMER, 0x80);
	irq_enable();

	/* Deadlines are generous (2 s): QEMU raises the timer's output and
	 * ISTATUS from a host timer callback, which a loaded host delays;
	 * what is checked is that it comes once, not how soon. */
	arm(period, false);
	t0 = now();
	while (!ticks && now() - t0 < 2 * freq)
		;
	t0 = now();
	while (now() - t0 < 5 * period)   /* a second tick would come here */
		;
	gprintf("timer: one-shot: %s (%u ticks)\n", ticks == 1 ? "ok" : "FAIL", ticks);

	before = ticks;
	arm(period, true);
	t0 = now();
	while (!(read_sysreg(cntv_ctl_el0) & 4) && now() - t0 < 2 * freq)
		;
	t0 = now();
	while (now() - t0 < 5 * period)   /* masked: no interrupt may come */
		;
	gprintf("timer: masked: %s (%u ticks, was %u, CNTV_CTL 0x%lx)\n",
		ticks == before && (read_sysreg(cntv_ctl_el0) & 4) ? "ok" : "FAIL", ticks, before,
		read_sysreg(cntv_ctl_el0));
	write_sysreg(0, cntv_ctl_el0);

	ticks = 0;
	periodic = true;
	arm(period, false);
	while (ticks < PERIODS)
		wfi();            /* each tick wakes the vCPU */
	periodic = false;
	gprintf("timer: periodic with WFI: %u ticks: ok\n", ticks);

	ticks = 0;
	t0 = now();
	arm(10 * period, false);
	wfi();
	gprintf("timer: WFI until the timer: %s\n", ticks == 1 && now() - t0 >= 10 * period ?
		"ok" : "FAIL");
	gprintf("timer: done\n");
	guest_system_off();
}
