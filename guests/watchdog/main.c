/* The virtual SBSA Generic Watchdog (control frame 0x090c0000, refresh
 * frame 0x090d0000, WS0 = INTID 46) from a one-vCPU bare-metal domain.
 * bootargs "test=":
 *   regs     its device-tree node, the registers (W_IIDR, reset state,
 *            WOR, WCV, WCS, WRR and what refreshes), refreshes every
 *            50 ms for 4 x WOR without a timeout, takes the WS0 interrupt
 *            through its GIC, then stops refreshing: WS1 resets the domain;
 *   suspend  arms the watchdog (WOR 0.5 s) and calls SYSTEM_SUSPEND, woken
 *            by its virtual timer 3 s later: the watchdog must not fire
 *            while the domain sleeps, and its compare value moved by the
 *            time it slept; afterwards it still times out and resets;
 *   bad      accesses at unknown offsets and with wrong sizes: each must
 *            come back as an abort and change nothing.
 * A record below the image (RAM survives the domain's reboot, its image
 * is reloaded) counts the boots: the second boot checks that it was the
 * watchdog (WCS.WS1 kept, 2 x WOR after the last refresh) and powers off.
 * Every check prints "watchdog: ...: ok" or "watchdog: FAIL: ...". */
#include <string.h>
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/gic_regs.h>
#include <lull/mmio.h>
#include "gic.h"
#include "guest.h"

#define CTRL       0x090c0000UL
#define REFRESH    0x090d0000UL
#define WDT_INTID  46
#define WCS        0x000
#define WOR        0x008
#define WCV        0x010
#define WCV_HI     0x014
#define WRR        0x000
#define W_IIDR     0xfcc
#define WCS_EN     1U
#define WCS_WS0    2U
#define WCS_WS1    4U
#define W_IIDR_LULL 0x00100c55U
#define PPI_VTIMER 27

/* Survives the domain's reboot. */
struct record {
	uint32_t magic, boots;
	uint64_t last_refresh;       /* counter at the last refresh before WS1 */
	uint64_t wor;
	uint32_t phase;              /* what boot 1 was doing */
};
#define RECORD       ((volatile struct record *)0x40003000UL)
#define RECORD_MAGIC 0x57445247U  /* "WDRG" */
enum { PHASE_TESTING = 1, PHASE_SUSPENDED, PHASE_STARVING };

static uint64_t freq, wor;
static unsigned failures;

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t ms(uint64_t ticks)
{
	return ticks * 1000 / freq;
}

static uint32_t rd(uintptr_t frame, unsigned off) { return mmio_read32(frame + off); }
static void wr(uintptr_t frame, unsigned off, uint32_t v) { mmio_write32(frame + off, v); }

#define EXPECT(cond, ...) do { if (!(cond)) { gprintf("watchdog: FAIL: " __VA_ARGS__); \
	gprintf("\n"); failures++; } } while (0)

static void spin_ms(uint64_t n)
{
	uint64_t t0 = now();

	while (now() - t0 < n * freq / 1000)
		;
}

/* ---- the device-tree node and the registers ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_dt(const void *dtb)
{
	static const uint32_t want_reg[8] = { 0, CTRL, 0, 0x1000, 0, REFRESH, 0, 0x1000 };
	static const uint32_t want_irq[3] = { 0, WDT_INTID - 32, 4 };
	unsigned len = 0, rlen = 0, ilen = 0;
	const char *compat = guest_dt_prop(dtb, "watchdog", "compatible", &len);
	const uint8_t *reg = guest_dt_prop(dtb, "watchdog", "reg", &rlen);
	const uint8_t *irq = guest_dt_prop(dtb, "watchdog", "interrupts", &ilen);
	bool ok = compat && !strcmp(compat, "arm,sbsa-gwdt") && reg && rlen == 32 && irq &&
		  ilen == 12;

	for (unsigned i = 0; ok && i < 8; i++)
		ok = be32(reg + 4 * i) == want_reg[i];
	for (unsigned i = 0; ok && i < 3; i++)
		ok = be32(irq + 4 * i) == want_irq[i];
	EXPECT(ok, "device-tree node watchdog@90c0000 missing or wrong");
	if (ok)
		gprintf("watchdog: device tree: arm,sbsa-gwdt, frames 0x%lx 0x%lx, SPI %u: ok\n",
			CTRL, REFRESH, WDT_INTID - 32);
}

/* WCV = counter + WOR, the counter read between t0 and now. */
static bool wcv_refreshed(uint64_t t0, uint64_t offset)
{
	uint64_t wcv = mmio_read64(CTRL + WCV), t1 = now();

	return wcv >= t0 + offset && wcv <= t1 + offset;
}

static void check_registers(void)
{
	uint32_t iidr = rd(CTRL, W_IIDR);
	uint64_t t0, far;
	unsigned before = failures;

	EXPECT(iidr == rd(REFRESH, W_IIDR), "W_IIDR 0x%x in the control frame, 0x%x in the "
	       "refresh frame", iidr, rd(REFRESH, W_IIDR));
	EXPECT(((iidr >> 16) & 0xf) == 0, "W_IIDR 0x%x: architecture version %u, want 0", iidr,
	       (iidr >> 16) & 0xf);
	gprintf("watchdog: W_IIDR 0x%08x (product 0x%03x, architecture version %u, implementer "
		"0x%03x)\n", iidr, iidr >> 20, (iidr >> 16) & 0xf, iidr & 0xfff);
	EXPECT(rd(CTRL, WCS) == 0 && rd(CTRL, WOR) == 0 && mmio_read64(CTRL + WCV) == 0,
	       "reset state WCS 0x%x WOR 0x%x WCV 0x%lx, want all 0", rd(CTRL, WCS),
	       rd(CTRL, WOR), mmio_read64(CTRL + WCV));

	/* WOR holds 32 bits; WCV 64, as a whole or as two halves. */
	wr(CTRL, WOR, 0x12345678);
	EXPECT(rd(CTRL, WOR) == 0x12345678, "WOR reads 0x%x after 0x12345678", rd(CTRL, WOR));
	mmio_write64(CTRL + WCV, 0x1122334455667788UL);
	EXPECT(mmio_read64(CTRL + WCV) == 0x1122334455667788UL && rd(CTRL, WCV) == 0x55667788 &&
	       rd(CTRL, WCV_HI) == 0x11223344, "WCV reads 0x%lx (halves 0x%x 0x%x)",
	       mmio_read64(CTRL + WCV), rd(CTRL, WCV), rd(CTRL, WCV_HI));
	wr(CTRL, WCV_HI, 0xaabbccdd);
	wr(CTRL, WCV, 0x01020304);
	EXPECT(mmio_read64(CTRL + WCV) == 0xaabbccdd01020304UL, "WCV reads 0x%lx after writing "
	       "its halves", mmio_read64(CTRL + WCV));
	EXPECT(rd(CTRL, WCS) == 0, "WCS 0x%x while disabled", rd(CTRL, WCS));

	/* Enabling is an explicit refresh: WCV = counter + WOR. */
	wr(CTRL, WOR, (uint32_t)wor);
	t0 = now();
	wr(CTRL, WCS, WCS_EN);
	EXPECT(wcv_refreshed(t0, wor), "enable: WCV 0x%lx is not counter + WOR",
	       mmio_read64(CTRL + WCV));
	/* WS0 and WS1 are read-only. */
	wr(CTRL, WCS, WCS_EN | WCS_WS0 | WCS_WS1);
	EXPECT(rd(CTRL, WCS) == WCS_EN, "WCS reads 0x%x after writing 0x7, want 0x1",
	       rd(CTRL, WCS));
	/* A WRR write (any value) refreshes; WRR reads 0. */
	EXPECT(rd(REFRESH, WRR) == 0, "WRR reads 0x%x", rd(REFRESH, WRR));
	spin_ms(5);
	t0 = now();
	wr(REFRESH, WRR, 0xdeadbeef);
	EXPECT(wcv_refreshed(t0, wor), "WRR write: WCV 0x%lx is not counter + WOR",
	       mmio_read64(CTRL + WCV));
	/* A WOR write refreshes with the new offset. */
	t0 = now();
	wr(CTRL, WOR, (uint32_t)(2 * wor));
	EXPECT(wcv_refreshed(t0, 2 * wor), "WOR write: WCV 0x%lx is not counter + new WOR",
	       mmio_read64(CTRL + WCV));
	wr(CTRL, WOR, (uint32_t)wor);
	/* A WCV write only sets the compare value. */
	far = now() + 100 * freq;
	mmio_write64(CTRL + WCV, far);
	EXPECT(mmio_read64(CTRL + WCV) == far && rd(CTRL, WCS) == WCS_EN,
	       "WCV write: WCV 0x%lx WCS 0x%x, want 0x%lx 0x1", mmio_read64(CTRL + WCV),
	       rd(CTRL, WCS), far);
	t0 = now();
	wr(REFRESH, WRR, 0);
	EXPECT(wcv_refreshed(t0, wor), "refresh after a WCV write: WCV 0x%lx",
	       mmio_read64(CTRL + WCV));
	wr(CTRL, WCS, 0);
	EXPECT(rd(CTRL, WCS) == 0, "WCS 0x%x after disabling", rd(CTRL, WCS));
	if (failures == before)
		gprintf("watchdog: registers: ok\n");
}

/* ---- refreshing, WS0, WS1 ---- */

static void refresh_for(uint64_t total_ms, uint64_t every_ms)
{
	uint64_t t0 = now(), last = t0;
	uint32_t seen = 0;
	unsigned n = 0;

	wr(REFRESH, WRR, 0);
	while (now() - t0 < total_ms * freq / 1000) {
		seen |= rd(CTRL, WCS);
		if (now() - last >= every_ms * freq / 1000) {
			wr(REFRESH, WRR, 0);
			last = now();
			n++;
		}
	}
	EXPECT(seen == WCS_EN, "WCS showed 0x%x while refreshed every %lu ms", seen, every_ms);
	if (seen == WCS_EN)
		gprintf("watchdog: refreshed every %lu ms for %lu ms (%lu x WOR), %u refreshes, "
			"no timeout: ok\n", every_ms, total_ms, total_ms / ms(wor), n);
}

static volatile bool ws0_taken;
static volatile uint32_t ws0_wcs;
static volatile uint64_t ws0_at, ws0_wcv;

static void on_irq(void)
{
	uint32_t iar = gic_ack();
	unsigned intid = gic_intid(iar);

	if (intid == WDT_INTID && !ws0_taken) {
		ws0_at = now();
		ws0_wcs = rd(CTRL, WCS);
		ws0_wcv = mmio_read64(CTRL + WCV);
		ws0_taken = true;
		wr(REFRESH, WRR, 0);             /* clears WS0: the line drops */
	} else if (intid == PPI_VTIMER) {
		write_sysreg(0, cntv_ctl_el0);   /* the safety net went off */
		isb();
	}
	if (intid < 1020)
		gic_eoi(iar);
}

/* WS0 reaches the guest as INTID 46 through its GIC, a WOR after the last
 * refresh; the handler's refresh clears it. */
static void take_ws0(void)
{
	uint64_t last;

	guest_irq_handler = on_irq;
	gic_enable(0, WDT_INTID, 0x80);
	gic_enable(0, PPI_VTIMER, 0x80);
	write_sysreg(now() + 5 * freq, cntv_cval_el0);   /* in case WS0 never comes */
	write_sysreg(1, cntv_ctl_el0);
	wr(REFRESH, WRR, 0);
	last = now();
	irq_enable();
	while (!ws0_taken && now() - last < 5 * freq)
		wfi();
	irq_disable();
	write_sysreg(0, cntv_ctl_el0);
	EXPECT(ws0_taken, "no WS0 interrupt within 5 s");
	if (!ws0_taken)
		return;
	EXPECT(ws0_at - last >= wor, "WS0 after %lu ms, before WOR (%lu ms)", ms(ws0_at - last),
	       ms(wor));
	EXPECT(ws0_wcs == (WCS_EN | WCS_WS0), "WCS 0x%x in the WS0 handler, want 0x3", ws0_wcs);
	EXPECT(ws0_wcv > ws0_at && ws0_wcv - ws0_at <= wor, "WCV not re-armed a WOR ahead at "
	       "WS0 (%lu ms ahead)", ms(ws0_wcv - ws0_at));
	EXPECT(rd(CTRL, WCS) == WCS_EN && !gic_is_pending(0, WDT_INTID),
	       "after the refresh WCS 0x%x, INTID 46 %s", rd(CTRL, WCS),
	       gic_is_pending(0, WDT_INTID) ? "still pending" : "not pending");
	gprintf("watchdog: WS0 interrupt (intid %u) %lu ms after the last refresh (WOR %lu ms), "
		"WCS 0x%x, WCV re-armed %lu ms ahead: ok\n", WDT_INTID, ms(ws0_at - last),
		ms(wor), ws0_wcs, ms(ws0_wcv - ws0_at));
	mmio_write32(GUEST_GICD + GICD_ICENABLER + 4, 1U << (WDT_INTID - 32));
}

/* Stop refreshing: WS0 after WOR, WS1 after another WOR resets the
 * domain. Never returns. */
static __attribute__((noreturn)) void starve(void)
{
	uint64_t t0;
	bool ws0 = false;

	wr(REFRESH, WRR, 0);
	t0 = now();
	RECORD->last_refresh = t0;
	RECORD->wor = wor;
	RECORD->phase = PHASE_STARVING;
	gprintf("watchdog: no more refreshes: waiting for WS1 (%lu failures so far)\n",
		(unsigned long)failures);
	while (now() - t0 < 10 * freq) {
		if (!ws0 && (rd(CTRL, WCS) & WCS_WS0)) {
			ws0 = true;
			gprintf("watchdog: WS0 after %lu ms\n", ms(now() - t0));
		}
		spin_ms(5);
	}
	gprintf("watchdog: FAIL: no reset 10 s after the last refresh (WCS 0x%x)\n",
		rd(CTRL, WCS));
	guest_system_off();
}

/* ---- SYSTEM_SUSPEND ---- */

static void suspend_frozen(void)
{
	const uint64_t sleep = 3 * freq;
	uint64_t t0, t1, wcv0, wcv1, left;
	uint32_t wcs1;
	int64_t rc;

	gic_enable(0, PPI_VTIMER, 0x80);     /* the wake-up; INTID 46 stays disabled */
	wr(CTRL, WOR, (uint32_t)wor);
	wr(CTRL, WCS, WCS_EN);
	RECORD->phase = PHASE_SUSPENDED;
	write_sysreg(now() + sleep, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	gprintf("watchdog: WOR %lu ms (timeout 2 x WOR), SYSTEM_SUSPEND for %lu ms\n", ms(wor),
		ms(sleep));
	wr(REFRESH, WRR, 0);
	t0 = now();
	wcv0 = mmio_read64(CTRL + WCV);
	rc = guest_psci_may_resume(GUEST_HVC, PSCI_SYSTEM_SUSPEND64,
				   (uint64_t)(uintptr_t)guest_resume_entry, 0x5753, 0);
	t1 = now();
	wcs1 = rd(CTRL, WCS);
	wcv1 = mmio_read64(CTRL + WCV);
	wr(REFRESH, WRR, 0);
	write_sysreg(0, cntv_ctl_el0);       /* the timer's level drops */
	isb();
	RECORD->phase = PHASE_TESTING;
	EXPECT(rc == GUEST_REENTERED, "SYSTEM_SUSPEND returned %ld", rc);
	if (rc != GUEST_REENTERED)
		return;
	left = wcv1 > t1 ? wcv1 - t1 : 0;
	EXPECT(t1 - t0 >= sleep - freq / 100, "woke after %lu ms, before the timer",
	       ms(t1 - t0));
	EXPECT(wcs1 == WCS_EN, "WCS 0x%x after the suspend, want 0x1 (no timeout)", wcs1);
	EXPECT(wcv1 >= wcv0 && wcv1 - wcv0 <= t1 - t0, "WCV moved by %ld ms in %lu ms",
	       (long)ms(wcv1 - wcv0), ms(t1 - t0));
	EXPECT(left > 0 && left <= wor, "%lu ms left after the suspend, want (0, WOR]",
	       ms(left));
	gprintf("watchdog: suspended %lu ms (%lu x WOR), no timeout, WCS 0x%x, WCV moved by %lu "
		"ms, %lu ms left: ok\n", ms(t1 - t0), (t1 - t0) / wor, wcs1, ms(wcv1 - wcv0),
		ms(left));
}

/* ---- bad accesses ---- */

static volatile unsigned aborts;

static bool on_abort(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	if ((esr >> 26) != 0x25)             /* data abort, same EL */
		return false;
	aborts++;
	f->elr += 4;
	return true;
}

struct probe {
	const char *what;
	uintptr_t addr;
	unsigned size;
	bool write;
};

static void do_probe(const struct probe *p)
{
	switch (p->size * 2 + p->write) {
	case 2: (void)mmio_read8(p->addr); break;
	case 3: mmio_write8(p->addr, 1); break;
	case 4: (void)mmio_read16(p->addr); break;
	case 5: mmio_write16(p->addr, 1); break;
	case 8: (void)mmio_read32(p->addr); break;
	case 9: mmio_write32(p->addr, 1); break;
	case 16: (void)mmio_read64(p->addr); break;
	case 17: mmio_write64(p->addr, 1); break;
	default: {
		/* A load pair: no syndrome; the hypervisor decodes it and the
		 * device refuses its second element. */
		uint32_t a, b;
		__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(a), "=r"(b) : "r"(p->addr) : "memory");
		break;
	}
	}
}

static void bad_accesses(void)
{
	static const struct probe probes[] = {
		{ "read of reserved 0x004", CTRL + 0x004, 4, false },
		{ "read of WOR[63:32] (architecture version 1 only)", CTRL + 0x00c, 4, false },
		{ "write of reserved 0x018", CTRL + 0x018, 4, true },
		{ "read of 0xfd0 (no peripheral ID)", CTRL + 0xfd0, 4, false },
		{ "read of 0xffc", CTRL + 0xffc, 4, false },
		{ "byte read of WCS", CTRL + WCS, 1, false },
		{ "byte write of WCS (would enable it)", CTRL + WCS, 1, true },
		{ "halfword write of WOR", CTRL + WOR, 2, true },
		{ "64-bit read of WOR", CTRL + WOR, 8, false },
		{ "64-bit read at WCV[63:32]", CTRL + WCV_HI, 8, false },
		{ "byte read inside WCV", CTRL + 0x011, 1, false },
		{ "load pair of WCV[63:32] and reserved 0x018", CTRL + WCV_HI, 0, false },
		{ "write of refresh frame 0x004", REFRESH + 0x004, 4, true },
		{ "64-bit write of WRR", REFRESH + WRR, 8, true },
		{ "byte write of WRR", REFRESH + WRR, 1, true },
		{ "halfword read of W_IIDR", REFRESH + W_IIDR, 2, false },
	};
	unsigned ok = 0;

	guest_sync_handler = on_abort;
	for (unsigned i = 0; i < ARRAY_SIZE(probes); i++) {
		unsigned before = aborts;

		do_probe(&probes[i]);
		ok += aborts == before + 1;
		gprintf("watchdog: bad: %s (0x%lx): %s\n", probes[i].what, probes[i].addr,
			aborts == before + 1 ? "abort" : "NO ABORT");
	}
	EXPECT(ok == ARRAY_SIZE(probes), "%u of %u bad accesses aborted", ok,
	       (unsigned)ARRAY_SIZE(probes));
	EXPECT(rd(CTRL, WCS) == 0 && rd(CTRL, WOR) == 0 && rd(CTRL, W_IIDR) == W_IIDR_LULL,
	       "after the bad accesses WCS 0x%x WOR 0x%x W_IIDR 0x%x", rd(CTRL, WCS),
	       rd(CTRL, WOR), rd(CTRL, W_IIDR));
	gprintf("watchdog: bad accesses: %u of %u aborted, state unchanged%s\n", ok,
		(unsigned)ARRAY_SIZE(probes), failures ? "" : ": ok");
}

/* ---- the boot after the reset ---- */

static __attribute__((noreturn)) void after_reset(volatile struct record *r)
{
	uint64_t since = now() - r->last_refresh;
	uint32_t wcs = rd(CTRL, WCS);

	EXPECT(r->phase == PHASE_STARVING, "reset while %s", r->phase == PHASE_SUSPENDED ?
	       "suspended (the watchdog ran while the domain slept)" : "still refreshing");
	EXPECT(wcs == WCS_WS1, "WCS 0x%x after the watchdog's reset, want 0x4 (WS1 kept)", wcs);
	EXPECT(since >= 2 * r->wor, "reset %lu ms after the last refresh, before 2 x WOR "
	       "(%lu ms)", ms(since), ms(2 * r->wor));
	gprintf("watchdog: boot %u: reset by the watchdog (WCS 0x%x) %lu ms after the last "
		"refresh (2 x WOR = %lu ms)\n", r->boots, wcs, ms(since), ms(2 * r->wor));
	wr(CTRL, WOR, 0);                    /* an explicit refresh clears WS1 */
	EXPECT(rd(CTRL, WCS) == 0, "WCS 0x%x after a WOR write, want 0", rd(CTRL, WCS));
	r->magic = 0;
	gprintf("watchdog: done (%u failures)\n", failures);
	guest_system_off();
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	volatile struct record *r = RECORD;
	char test[16] = "regs";

	freq = read_sysreg(cntfrq_el0);
	wor = freq / 2;                      /* 0.5 s: Linux's timeout would be 1 s */
	guest_dt_bootarg_str((const void *)dtb, "test", test, sizeof(test));
	if (r->magic != RECORD_MAGIC) {
		r->magic = RECORD_MAGIC;
		r->boots = 0;
		r->phase = 0;
	}
	r->boots++;
	irq_disable();
	gic_init_distributor();
	gic_init_cpu(0);
	gprintf("watchdog: boot %u, test %s, GICv%u, WCS 0x%x\n", r->boots, test, gic_version(),
		rd(CTRL, WCS));
	if (r->boots > 1)
		after_reset(r);
	r->phase = PHASE_TESTING;
	check_dt((const void *)dtb);
	if (!strcmp(test, "bad")) {
		bad_accesses();
		r->magic = 0;
		gprintf("watchdog: done (%u failures)\n", failures);
		guest_system_off();
	}
	if (!strcmp(test, "suspend")) {
		suspend_frozen();
		wr(CTRL, WCS, WCS_EN);
		refresh_for(3 * ms(wor), 50);
		starve();
	}
	check_registers();
	wr(CTRL, WOR, (uint32_t)wor);
	wr(CTRL, WCS, WCS_EN);
	refresh_for(4 * ms(wor), 50);
	take_ws0();
	starve();
}
