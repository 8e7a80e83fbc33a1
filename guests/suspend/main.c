/* PSCI SYSTEM_SUSPEND of a one-vCPU domain, woken by a device: the PL031
 * RTC alarm (passed through, INTID 34), a key on the domain's virtual
 * PL011 (INTID 33), the power key on the PL061 GPIO (passed through,
 * INTID 39; QEMU's system_powerdown), the virtual timer (PPI 27, armed for
 * 1.5 s). One round per wake-up source, in the order of bootargs
 * "wake=rtc,uart,gpio,timer,ptimer" (ptimer: the EL1 physical timer, PPI 30; default: rtc if passed through, uart, gpio if
 * passed through). With "decoy=rtc" every other round also arms an RTC
 * alarm whose interrupt is disabled: it must not wake the domain. With
 * "timerfirst=1|2" the virtual timer has fired and been stopped before. Each round proves the re-entry: x0 = context, the reset state of a
 * power-down (MMU off, TPIDR_EL1 and VBAR_EL1 gone...), RAM kept, and the
 * wake-up interrupt still pending (and enabled) after re-entry, then prints
 *   suspend: woken by <source> (intid N), entry x0 ok, state reset ok
 * The test drives the UART and GPIO rounds after "suspend: suspending".
 *
 * With bootargs "ticks=N" it is a companion domain instead: it prints
 * "ticker: tick k" every 100 ms (virtual timer, WFI) N times. With
 * "reset2=1" it reboots itself once with SYSTEM_RESET2 (warm reset). */
#include <string.h>
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include <lull/pl011.h>
#include "gic.h"
#include "guest.h"

#define UART       0x09000000UL
#define RTC        0x09010000UL
#define RTC_DR     0x00
#define RTC_MR     0x04
#define RTC_IMSC   0x10
#define RTC_RIS    0x14
#define RTC_ICR    0x1c
#define GPIO       0x09030000UL
#define GPIO_IS    0x404
#define GPIO_IBE   0x408
#define GPIO_IEV   0x40c
#define GPIO_IE    0x410
#define GPIO_RIS   0x414
#define GPIO_IC    0x41c
#define POWER_KEY  3
#define PPI_VTIMER 27
#define PPI_PTIMER 30   /* the EL1 physical timer, emulated by Lull */

enum source { SRC_RTC, SRC_UART, SRC_GPIO, SRC_TIMER, SRC_PTIMER, NSRC };

static const struct {
	const char *name;
	unsigned intid;
} sources[NSRC] = { { "rtc", 34 }, { "uart", 33 }, { "gpio", 39 }, { "timer", PPI_VTIMER },
		     { "ptimer", PPI_PTIMER } };

#define TIMER_WAKE_MS 1500
#define RTC_INTID     34

static bool decoy_rtc;

static uint64_t freq;
static volatile uint64_t pattern[64];

static uint64_t resume_entry_addr(void)
{
	return (uint64_t)(uintptr_t)guest_resume_entry;
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void arm(enum source s)
{
	switch (s) {
	case SRC_RTC:
		mmio_write32(RTC + RTC_ICR, 1);
		mmio_write32(RTC + RTC_MR, mmio_read32(RTC + RTC_DR) + 2);
		mmio_write32(RTC + RTC_IMSC, 1);
		break;
	case SRC_UART:
		while (!(mmio_read32(UART + PL011_FR) & PL011_FR_RXFE))
			(void)mmio_read32(UART + PL011_DR);
		mmio_write32(UART + PL011_IMSC, PL011_INT_RX);
		gprintf("suspend: waiting for a key\n");
		break;
	case SRC_GPIO:
		mmio_write32(GPIO + GPIO_IE, 0);
		mmio_write32(GPIO + GPIO_IS, 0);                  /* edge */
		mmio_write32(GPIO + GPIO_IBE, 0);
		mmio_write32(GPIO + GPIO_IEV, 1U << POWER_KEY);   /* rising */
		mmio_write32(GPIO + GPIO_IC, 0xff);
		mmio_write32(GPIO + GPIO_IE, 1U << POWER_KEY);
		gprintf("suspend: waiting for the power key\n");
		break;
	case SRC_TIMER:
		write_sysreg(now() + freq * TIMER_WAKE_MS / 1000, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		break;
	case SRC_PTIMER:
		write_sysreg(now() + freq * TIMER_WAKE_MS / 1000, cntp_cval_el0);
		write_sysreg(1, cntp_ctl_el0);
		isb();
		break;
	default:
		break;
	}
}

/* Did the device raise its interrupt? (Without reading anything that
 * would make it drop the line.) */
static bool device_fired(enum source s)
{
	switch (s) {
	case SRC_RTC:
		return mmio_read32(RTC + RTC_RIS) & 1;
	case SRC_UART:
		return !(mmio_read32(UART + PL011_FR) & PL011_FR_RXFE);
	case SRC_GPIO:
		return mmio_read32(GPIO + GPIO_RIS) & (1U << POWER_KEY);
	case SRC_TIMER:
		return read_sysreg(cntv_ctl_el0) & 4;
	case SRC_PTIMER:
		return read_sysreg(cntp_ctl_el0) & 4;
	default:
		return false;
	}
}

/* The device drops its line; returns the first key read from the UART. */
static char quiet(enum source s)
{
	char key = 0;

	switch (s) {
	case SRC_RTC:
		mmio_write32(RTC + RTC_IMSC, 0);
		mmio_write32(RTC + RTC_ICR, 1);
		break;
	case SRC_UART:
		while (!(mmio_read32(UART + PL011_FR) & PL011_FR_RXFE)) {
			char c = (char)mmio_read32(UART + PL011_DR);
			if (!key)
				key = c;
		}
		mmio_write32(UART + PL011_IMSC, 0);
		break;
	case SRC_GPIO:
		mmio_write32(GPIO + GPIO_IE, 0);
		mmio_write32(GPIO + GPIO_IC, 0xff);
		break;
	case SRC_TIMER:
		write_sysreg(0, cntv_ctl_el0);
		isb();
		break;
	case SRC_PTIMER:
		write_sysreg(0, cntp_ctl_el0);
		isb();
		break;
	default:
		break;
	}
	return key;
}

static unsigned failures;

static void fail(unsigned round, enum source s, const char *why)
{
	gprintf("suspend: FAIL: round %u (%s): %s\n", round, sources[s].name, why);
	failures++;
}

static void suspend_round(unsigned round, enum source s)
{
	unsigned intid = sources[s].intid, got = 1023;
	/* Both conduits and widths: SMC SYSTEM_SUSPEND (32-bit, junk above
	 * the context) for the UART and timer, HVC SYSTEM_SUSPEND64 for the
	 * others; swapped every other round. */
	bool smc32 = (s == SRC_UART || s == SRC_TIMER) ^ (round & 1);
	uint64_t ctx = smc32 ? 0x53550000UL | round << 8 | s :
			       0x5355535000000000UL | round << 8 | s;
	uint64_t t0, ms;
	uint32_t iar = 1023;
	const char *why;
	bool pending, enabled, fired, x0_ok, ram_ok = true;
	char key = 0;
	int64_t rc;

	irq_disable();
	gic_enable(0, intid, 0x80);
	arm(s);
	if (decoy_rtc && s != SRC_RTC) {
		/* The RTC alarm fires while the domain sleeps, but its SPI is
		 * disabled in the distributor: it must not wake the domain. */
		gic_enable(0, RTC_INTID, 0x80);
		mmio_write32(GUEST_GICD + GICD_ICENABLER + 4, 1U << (RTC_INTID - 32));
		arm(SRC_RTC);
		gprintf("suspend: decoy: RTC alarm in 2 s, its interrupt disabled\n");
	}
	write_sysreg(0x7e570000UL | round, tpidr_el1);
	for (unsigned i = 0; i < ARRAY_SIZE(pattern); i++)
		pattern[i] = 0x9a77e4000000UL * (i + 1) + round;
	gprintf("suspend: suspending (round %u: %s, intid %u, %s)\n", round, sources[s].name,
		intid, smc32 ? "SMC SYSTEM_SUSPEND" : "HVC SYSTEM_SUSPEND64");
	t0 = now();
	rc = smc32 ? guest_psci_may_resume(GUEST_SMC, PSCI_SYSTEM_SUSPEND, resume_entry_addr(),
					   0xffffffff00000000UL | ctx, 0) :
		     guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64, resume_entry_addr(),
					   ctx, 0);
	ms = (now() - t0) * 1000 / freq;
	if (rc != GUEST_REENTERED) {
		gprintf("suspend: FAIL: round %u (%s): SYSTEM_SUSPEND returned %ld\n", round,
			sources[s].name, rc);
		failures++;
		quiet(s);
		return;
	}
	/* What the re-entry found, before touching anything. */
	why = guest_entry_state_problem(0, ctx);
	x0_ok = guest_entry_state[0].x0 == ctx;
	pending = gic_is_pending(0, intid);
	enabled = gic_is_enabled(0, intid);
	for (unsigned i = 0; i < ARRAY_SIZE(pattern); i++)
		ram_ok &= pattern[i] == 0x9a77e4000000UL * (i + 1) + round;
	fired = device_fired(s);
	/* Take the interrupt by hand (DAIF is still masked), then quieten
	 * the device. */
	iar = gic_ack();
	got = gic_intid(iar);
	key = quiet(s);
	if (got < 1020)
		gic_eoi(iar);
	mmio_write32((intid < 32 ? gic_private_regs(0) : GUEST_GICD) + GICD_ICENABLER +
		     (intid / 32) * 4, 1U << (intid % 32));
	if (decoy_rtc && s != SRC_RTC) {
		gprintf("suspend: decoy: the RTC alarm %s while the domain slept\n",
			mmio_read32(RTC + RTC_RIS) & 1 ? "fired" : "did NOT fire");
		quiet(SRC_RTC);
	}

	if (why)
		fail(round, s, why);
	if (!ram_ok)
		fail(round, s, "RAM contents changed");
	if (!pending)
		fail(round, s, "the wake-up interrupt is not pending after re-entry");
	if (!enabled)
		fail(round, s, "the wake-up interrupt is no longer enabled");
	if (!fired)
		fail(round, s, "the device did not raise its interrupt");
	if (got != intid) {
		char msg[64];
		snprintf(msg, sizeof(msg), "acknowledged INTID %u first, want %u", got, intid);
		fail(round, s, msg);
	}
	if ((s == SRC_TIMER || s == SRC_PTIMER) && ms < TIMER_WAKE_MS - 10) {
		char msg[64];
		snprintf(msg, sizeof(msg), "woke after %lu ms, before the timer", ms);
		fail(round, s, msg);
	}
	if (s == SRC_RTC && ms < 900) {
		char msg[64];
		snprintf(msg, sizeof(msg), "woke after %lu ms, before the alarm", ms);
		fail(round, s, msg);
	}
	if (s == SRC_UART && key)
		gprintf("suspend: key 0x%02x received\n", (unsigned)(uint8_t)key);
	gprintf("suspend: woken by %s (intid %u), entry x0 %s, state reset %s, after %lu ms\n",
		sources[s].name, got, x0_ok ? "ok" : "BAD", why ? "BAD" : "ok", ms);
}

static volatile unsigned ticks;

static void on_tick(void)
{
	uint32_t iar = gic_ack();

	if (gic_intid(iar) == PPI_VTIMER) {
		ticks++;
		write_sysreg(0, cntv_ctl_el0);
		isb();
	}
	if (gic_intid(iar) < 1020)
		gic_eoi(iar);
}

static __attribute__((noreturn)) void ticker(unsigned n)
{
	guest_irq_handler = on_tick;
	gic_enable(0, PPI_VTIMER, 0x80);
	irq_enable();
	for (unsigned i = 1; i <= n; i++) {
		write_sysreg(now() + freq / 10, cntv_cval_el0);
		write_sysreg(1, cntv_ctl_el0);
		isb();
		while (ticks < i)
			wfi();
		gprintf("ticker: tick %u\n", i);
	}
	gprintf("ticker: done\n");
	guest_system_off();
}

/* bootargs "reset2=1": SYSTEM_RESET2 warm reset (type 0) reboots the
 * domain from its images; a mark in RAM below the image tells the boots
 * apart (RAM is kept, the image and its data are reloaded). */
#define RESET2_MARK_ADDR 0x40002000UL
#define RESET2_MARK      0x52535432U        /* "RST2" */

static volatile uint32_t loaded_data = 0x1234;

static __attribute__((noreturn)) void warm_reset(void)
{
	int64_t rc;

	if (mmio_read32(RESET2_MARK_ADDR) != RESET2_MARK) {
		mmio_write32(RESET2_MARK_ADDR, RESET2_MARK);
		loaded_data = 0xdead;
		gprintf("suspend: first boot, SYSTEM_RESET2 warm reset\n");
		rc = smc(PSCI_SYSTEM_RESET2_64, 0, 0xc00c1e, 0);
		gprintf("suspend: FAIL: SYSTEM_RESET2 returned %ld\n", rc);
		guest_system_off();
	}
	mmio_write32(RESET2_MARK_ADDR, 0);
	gprintf("suspend: second boot after SYSTEM_RESET2, data %s\n",
		loaded_data == 0x1234 ? "reloaded" : "NOT reloaded");
	guest_system_off();
}

/* Before the rounds (bootargs "timerfirst=1|2"), as a domain that has been
 * using its timer: 1: it fires and its interrupt handler stops it; 2: it
 * fires with interrupts masked and is stopped, its interrupt never taken.
 * Either way nothing is pending afterwards. */
static void use_timer(unsigned how)
{
	guest_irq_handler = on_tick;
	gic_enable(0, PPI_VTIMER, 0x80);
	write_sysreg(now() + freq / 1000, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	if (how == 2) {
		while (!(read_sysreg(cntv_ctl_el0) & 4))
			;
		write_sysreg(0, cntv_ctl_el0);
		isb();
		gprintf("suspend: the timer fired (interrupts masked) and was stopped\n");
		return;
	}
	irq_enable();
	while (!ticks)
		wfi();
	irq_disable();
	gprintf("suspend: the timer ticked once (its handler stopped it)\n");
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	const void *dt = (const void *)dtb;
	unsigned order[8], n = 0, ticks_wanted = (unsigned)guest_dt_bootarg(dt, "ticks", 0);
	unsigned timer_first = (unsigned)guest_dt_bootarg(dt, "timerfirst", 0);
	char wake[64];

	freq = read_sysreg(cntfrq_el0);
	irq_disable();
	gic_init_distributor();
	gic_init_cpu(0);
	if (ticks_wanted)
		ticker(ticks_wanted);
	if (guest_dt_bootarg(dt, "reset2", 0))
		warm_reset();
	if (guest_dt_bootarg_str(dt, "decoy", wake, sizeof(wake)) && !strcmp(wake, "rtc"))
		decoy_rtc = true;
	if (guest_dt_bootarg_str(dt, "wake", wake, sizeof(wake))) {
		for (char *w = wake; *w && n < ARRAY_SIZE(order); ) {
			char *comma = w;
			while (*comma && *comma != ',')
				comma++;
			for (unsigned s = 0; s < NSRC; s++)
				if (!strncmp(w, sources[s].name, (size_t)(comma - w)) &&
				    strlen(sources[s].name) == (size_t)(comma - w))
					order[n++] = s;
			w = *comma ? comma + 1 : comma;
		}
	} else {
		if (guest_dt_has_node(dt, "pl031@9010000"))
			order[n++] = SRC_RTC;
		order[n++] = SRC_UART;
		if (guest_dt_has_node(dt, "pl061@9030000"))
			order[n++] = SRC_GPIO;
	}
	gprintf("suspend: %u rounds, GICv%u, RTC %s, GPIO %s\n", n, gic_version(),
		guest_dt_has_node(dt, "pl031@9010000") ? "passed through" : "absent",
		guest_dt_has_node(dt, "pl061@9030000") ? "passed through" : "absent");
	if (timer_first)
		use_timer(timer_first);
	for (unsigned k = 0; k < n; k++)
		suspend_round(k, (enum source)order[k]);
	gprintf("suspend: done (%u rounds, %u failures)\n", n, failures);
	guest_system_off();
}
