/* Test guests for host suspend to RAM (pm/host_suspend.c), one image in
 * three roles chosen by bootargs "role=":
 *
 * role=hw (the hardware domain, the PL031 RTC passed through): suspends the
 *   machine "cycles=N" times with PSCI SYSTEM_SUSPEND, each woken by an RTC
 *   alarm "alarm=S" seconds ahead (alarm=0: none; another domain's device
 *   wakes the machine), or, with the PL061 passed through, by its power
 *   key (QEMU's system_powerdown, pressed by the test). After each re-entry it checks x0 = the context id,
 *   the reset state of a power-down and, when the alarm was its wake-up,
 *   the RTC interrupt pending, then prints
 *     hostsuspend: resumed K, woken by INTID, x0 ok, state reset ok
 *   A call that returns prints "hostsuspend: suspend K returned RC". With
 *   "badinput=1" it first checks the calls the hypervisor must refuse (a
 *   bad entry point: INVALID_ADDRESS; a sibling vCPU on: DENIED). Then it
 *   idles (WFI), so that the machine stays up for the test. "delay=MS"
 *   waits before the first suspend, "gap=MS" between two; "vtimer=1" enables its virtual timer's
 *   PPI too (an interrupt that cannot wake a machine); "pendfirst=1" makes
 *   the first suspend with its RTC interrupt already pending (a wake-up at
 *   once: the machine must not go down).
 *
 * role=ticker: prints "ticker: tick K sum S" every 100 ms ("ticks=N", 0 =
 *   for ever), S a checksum of a 64 KiB pattern it wrote at boot: after a
 *   host suspend the ticks go on, none lost twice or repeated, S unchanged.
 *   With "quiet=1" it prints nothing (benchmarks). With "wdt=1" it arms its virtual watchdog (WS1 after 2 x 300 ms) and
 *   refreshes it every tick: paused through a host suspend, it must not be
 *   reset.
 *
 * role=pending (2 vCPUs): vCPU 0, interrupts masked, leaves three
 *   interrupts pending across the host suspend: an edge SPI (INTID 60, or
 *   the distributor's highest when it has more than 128 INTIDs; pended
 *   through GICD_ISPENDR), a level SPI held high (its virtual
 *   UART's transmit interrupt, INTID 33) and an SGI from vCPU 1. It waits
 *   for the suspend (a jump of the counter while it spins: it was paused),
 *   then unmasks and counts: each must be taken exactly once.
 *     pending: after the host suspend: edge N, level N, sgi N
 */
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include <lull/pl011.h>
#include "gic.h"
#include "guest.h"

#define RTC          0x09010000UL
#define RTC_DR       0x00
#define RTC_MR       0x04
#define RTC_IMSC     0x10
#define RTC_ICR      0x1c
#define RTC_INTID    34
#define GPIO         0x09030000UL
#define GPIO_INTID   39
#define GPIO_IS      0x404
#define GPIO_IBE     0x408
#define GPIO_IEV     0x40c
#define GPIO_IE      0x410
#define GPIO_IC      0x41c
#define POWER_KEY    3
#define UART         0x09000000UL
#define UART_INTID   33
#define EDGE_INTID   60
#define SGI_PING     3
#define PPI_VTIMER   27
#define UART_TXIM    (1U << 5)
#define CTX_MAGIC    0x4057000000000000UL
#define GUEST_WDT_CTRL    0x090c0000UL
#define GUEST_WDT_REFRESH 0x090d0000UL

static uint64_t freq;
static const void *dtb;

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t arg(const char *key, uint64_t def)
{
	return guest_dt_bootarg(dtb, key, def);
}

/* ---- role=hw ---- */

static bool has_device(const char *node)
{
	return guest_dt_has_node(dtb, node);
}

static void rtc_alarm(unsigned seconds)
{
	mmio_write32(RTC + RTC_ICR, 1);
	mmio_write32(RTC + RTC_MR, mmio_read32(RTC + RTC_DR) + seconds);
	mmio_write32(RTC + RTC_IMSC, 1);
}

static volatile bool sibling_up, sibling_release;

/* The PL061's power key (QEMU's system_powerdown): a rising edge. */
static void gpio_arm(void)
{
	mmio_write32(GPIO + GPIO_IE, 0);
	mmio_write32(GPIO + GPIO_IS, 0);
	mmio_write32(GPIO + GPIO_IBE, 0);
	mmio_write32(GPIO + GPIO_IEV, 1U << POWER_KEY);
	mmio_write32(GPIO + GPIO_IC, 0xff);
	mmio_write32(GPIO + GPIO_IE, 1U << POWER_KEY);
}

static void check_refusals(void)
{
	uint64_t e = (uint64_t)(uintptr_t)guest_resume_entry;
	int64_t rc;

	rc = guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, e + 2, 1, 0);
	gprintf("hostsuspend: bad entry point: %s\n", rc == PSCI_INVALID_ADDRESS ? "ok" : "FAIL");
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, 0x1000, 1, 0);
	gprintf("hostsuspend: entry outside RAM: %s\n", rc == PSCI_INVALID_ADDRESS ? "ok" : "FAIL");
	if (hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 2) == PSCI_SUCCESS) {
		while (!sibling_up)
			;
		rc = guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, e, 1, 0);
		gprintf("hostsuspend: sibling on: %s (%ld)\n", rc == PSCI_DENIED ? "ok" : "FAIL", rc);
		sibling_release = true;
		while (hvc(PSCI_AFFINITY_INFO64, 1, 0, 0) != PSCI_AFF_OFF)
			;
	}
}

static void wait_ms(uint64_t ms)
{
	for (uint64_t t0 = now(); now() - t0 < freq / 1000 * ms;)
		;
}

static void hw_main(void)
{
	unsigned cycles = (unsigned)arg("cycles", 1), alarm = (unsigned)arg("alarm", 2);
	bool rtc = has_device("pl031"), gpio = has_device("pl061");
	bool pendfirst = arg("pendfirst", 0);

	gic_init_distributor();
	gic_init_cpu(0);
	if (rtc)
		gic_enable(0, RTC_INTID, 0x80);
	if (gpio)
		gic_enable(0, GPIO_INTID, 0x80);
	if (arg("vtimer", 0))
		gic_enable(0, PPI_VTIMER, 0x80);
	wait_ms(arg("delay", 0));
	gprintf("hostsuspend: hardware domain, %u cycles, RTC %s, alarm %u s, GICv%u\n", cycles,
		rtc ? "passed through" : "absent", alarm, gic_version());
	if (arg("badinput", 0))
		check_refusals();
	for (unsigned k = 1; k <= cycles; k++) {
		uint64_t ctx = CTX_MAGIC | k;
		int64_t rc;

		if (k > 1)
			wait_ms(arg("gap", 0));
		irq_disable();
		if (rtc && alarm)
			rtc_alarm(alarm);
		if (gpio)
			gpio_arm();
		if (rtc && pendfirst && k == 1) {
			while (!gic_is_pending(0, RTC_INTID))
				;
			gprintf("hostsuspend: the RTC interrupt is pending\n");
		}
		gprintf("hostsuspend: suspending %u\n", k);
		rc = guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64,
					   (uint64_t)(uintptr_t)guest_resume_entry, ctx, 0);
		if (rc != GUEST_REENTERED) {
			gprintf("hostsuspend: suspend %u returned %ld (%s)\n", k, rc,
				psci_error_name(rc));
			continue;
		}
		{
			const char *why = guest_entry_state_problem(0, ctx);
			bool rtc_pending = rtc && gic_is_pending(0, RTC_INTID);
			bool gpio_pending = gpio && gic_is_pending(0, GPIO_INTID);
			unsigned woken = rtc_pending ? RTC_INTID : gpio_pending ? GPIO_INTID : 1023;

			gprintf("hostsuspend: resumed %u, woken by %u, x0 %s, state reset %s\n", k,
				woken, guest_entry_state[0].x0 == ctx ? "ok" : "FAIL",
				why ? why : "ok");
		}
		gic_init_cpu(0);
		if (rtc) {
			mmio_write32(RTC + RTC_IMSC, 0);
			mmio_write32(RTC + RTC_ICR, 1);
		}
		if (gpio) {
			mmio_write32(GPIO + GPIO_IE, 0);
			mmio_write32(GPIO + GPIO_IC, 0xff);
		}
		/* Take and complete the wake-up interrupt (its source cleared). */
		for (uint32_t iar; gic_intid(iar = gic_ack()) < 1020;)
			gic_eoi(iar);
	}
	gprintf("hostsuspend: done (%u cycles)%s\n", cycles, gpio ? ", GPIO passed through" : "");
	for (;;)
		wfi();
}

/* ---- role=ticker ---- */

#define PATTERN_WORDS (64 * 1024 / 8)
static volatile uint64_t pattern[PATTERN_WORDS];

static uint64_t checksum(void)
{
	uint64_t s = 0;
	for (unsigned i = 0; i < PATTERN_WORDS; i++)
		s = (s << 1 | s >> 63) ^ pattern[i];
	return s;
}

#define WDT_WCS  0x000
#define WDT_WOR  0x008
#define WDT_WRR  0x000

static void ticker_main(void)
{
	uint64_t n = arg("ticks", 0), period = freq / 10, next;
	bool wdt = arg("wdt", 0), quiet = arg("quiet", 0);

	if (wdt) {
		mmio_write32(GUEST_WDT_CTRL + WDT_WOR, (uint32_t)(freq * 3 / 10));
		mmio_write32(GUEST_WDT_CTRL + WDT_WCS, 1);
		gprintf("ticker: watchdog armed (WS1 after 600 ms)\n");
	}

	for (unsigned i = 0; i < PATTERN_WORDS; i++)
		pattern[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, PPI_VTIMER, 0x80);
	next = now() + period;
	for (uint64_t k = 1; !n || k <= n; k++) {
		write_sysreg(next, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);   /* enabled, masked at PSTATE */
		isb();
		while (!(read_sysreg(cntv_ctl_el0) & 4))
			wfi();
		write_sysreg(0, cntv_ctl_el0);
		for (uint32_t iar; gic_intid(iar = gic_ack()) < 1020;)
			gic_eoi(iar);
		if (wdt)
			mmio_write32(GUEST_WDT_REFRESH + WDT_WRR, 0);
		if (!quiet)
			gprintf("ticker: tick %lu sum %lx\n", k, checksum());
		/* The next tick a period after this one, or after now if the
		 * domain was paused meanwhile: ticks are not made up. */
		next += period;
		if (next < now())
			next = now() + period;
	}
	gprintf("ticker: done\n");
	guest_system_off();
}

/* ---- role=pending ---- */

static volatile unsigned taken_edge, taken_level, taken_sgi;
static volatile bool sgi_sent;
static unsigned edge_intid = EDGE_INTID;

static void pending_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid == edge_intid)
		taken_edge++;
	else if (intid == UART_INTID) {
		taken_level++;
		mmio_write32(UART + PL011_IMSC, 0);   /* the source: no longer high */
	} else if (intid == SGI_PING)
		taken_sgi++;
	if (intid < 1020)
		gic_eoi(iar);
}

static void pending_main(void)
{
	uint64_t last, gap = 0, t0;

	unsigned lines = GICD_TYPER_LINES(mmio_read32(GUEST_GICD + GICD_TYPER));

	guest_irq_handler = pending_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	irq_disable();
	if (lines > 128)
		edge_intid = (lines > 1020 ? 1020 : lines) - 1;
	gic_enable(0, SGI_PING, 0x80);
	gic_enable(0, edge_intid, 0x80);
	gic_enable(0, UART_INTID, 0x80);
	/* The edge SPI edge-triggered (ICFGR: 2 bits per INTID, bit 1 = edge). */
	mmio_write32(GUEST_GICD + GICD_ICFGR + (edge_intid / 16) * 4,
		     mmio_read32(GUEST_GICD + GICD_ICFGR + (edge_intid / 16) * 4) |
		     2U << (edge_intid % 16) * 2);
	mmio_write32(GUEST_GICD + GICD_ISPENDR + (edge_intid / 32) * 4, 1U << (edge_intid % 32));
	mmio_write32(UART + PL011_IMSC, UART_TXIM);           /* level, high from now on */
	hvc(PSCI_CPU_ON64, 1, (uint64_t)(uintptr_t)guest_secondary_entry, 1);
	while (!sgi_sent)
		;
	gprintf("pending: edge, level and SGI pending, masked; waiting for the host suspend\n");
	/* Paused while the machine sleeps: a jump of the counter between two
	 * reads of this loop (more than 300 ms) is the suspend. */
	t0 = last = now();
	while (gap < freq * 3 / 10 && now() - t0 < freq * 60) {
		uint64_t t = now();
		if (t - last > gap)
			gap = t - last;
		last = t;
	}
	irq_enable();
	for (t0 = now(); now() - t0 < freq / 10;)
		;
	irq_disable();
	gprintf("pending: after the host suspend (gap %lu ms): edge %u, level %u, sgi %u"
		" (edge INTID %u)\n", gap * 1000 / freq, taken_edge, taken_level, taken_sgi,
		edge_intid);
	for (;;)
		wfi();
}

/* vCPU 1: the SGI sender of role=pending (ctx 1), or the sibling that
 * stays on while role=hw tries SYSTEM_SUSPEND (ctx 2). */
void guest_secondary_main(uint64_t ctx)
{
	if (ctx == 1) {
		gic_init_cpu(1);
		gic_send_sgi(0, SGI_PING);
		sgi_sent = true;
	} else {
		sibling_up = true;
		while (!sibling_release)
			;
	}
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void guest_main(uint64_t dt)
{
	char role[16] = "hw";

	dtb = (const void *)dt;
	freq = read_sysreg(cntfrq_el0);
	guest_dt_bootarg_str(dtb, "role", role, sizeof(role));
	if (role[0] == 't')
		ticker_main();
	else if (role[0] == 'p')
		pending_main();
	hw_main();
}
