/* A virtual SBSA Generic Watchdog per domain (Arm DEN0029, SBSA, appendix
 * "Generic Watchdog"; the same device in Arm DEN0094, BSA), architecture
 * version 0 (32-bit WOR), enough for Linux's sbsa_gwdt driver.
 *
 * Control frame (GUEST_WDT_CTRL): WCS 0x000 (EN bit 0, WS0 bit 1, WS1
 * bit 2), WOR 0x008, WCV 0x010 (64-bit, or two 32-bit halves: Linux
 * reads it lo then hi), W_IIDR 0xfcc. Refresh frame (GUEST_WDT_REFRESH):
 * WRR 0x000, W_IIDR 0xfcc. 32-bit accesses only, WCV also 64-bit; any
 * other offset or size is refused (core/mmio.c injects the abort).
 *
 * Operation ("Watchdog operation" in the appendix). The compare value
 * WCV is compared with the system counter while EN is set. An explicit
 * refresh (a WRR write, or a write to WOR or WCS) sets WCV = counter +
 * WOR and clears WS0 and WS1. When the counter reaches WCV: if WS0 is
 * clear it is set (our interrupt, SPI GUEST_WDT_INTID, level = WS0) and a
 * timeout refresh sets WCV = counter + WOR again, so the guest gets a
 * whole WOR after its interrupt; if WS0 is already set, WS1 is set, which
 * resets the domain. A write to WCV only sets the compare value. Linux
 * (action=0) ignores WS0: its timeout is 2 x WOR.
 *
 * Frozen time. "The counter" here is the domain's own running time:
 * while the domain does not run (vwdt_domain_stopped .. running) the
 * watchdog's clock stands still at frozen_at, and when it runs again WCV
 * is moved later by the time it was frozen. So the guest sees WCV jump
 * forward by the frozen time, and WCV - counter (what Linux shows as the
 * time left) is what it was when the domain stopped.
 *
 * Who looks at the deadline: CPU 0 (vwdt_poll in its run loop), for every
 * domain. It asks its own CNTHP timer for the earliest deadline, whose
 * interrupt makes its run loop go round, so a watchdog fires even while
 * the guest never exits; and it is the only CPU that can never go
 * offline. A change that starts the countdown or moves it earlier tells
 * CPU 0 (its timer directly, or SGI 1 from another CPU).
 *
 * Locking: each watchdog's `lock` guards all its fields. It is taken
 * with IRQs masked by the MMIO handlers (any vCPU of the domain, on any
 * CPU), CPU 0's poll, the freeze hooks (any CPU) and the reset (the CPU
 * rebooting or powering off the domain), and `domains` (CPU 0). Inside
 * it only the domain's vgic lock is taken (vgic_inject of WS0's level):
 * order vwdt lock -> vgic lock, never the reverse. `vwdt_counting` is
 * changed only under the watchdog's lock (atomically: other watchdogs
 * share the word) and read without it by the poll: a bit set by another
 * CPU is followed by its kick (the SGI's DSB orders it), a stale set bit
 * only costs the poll a look. domain_reboot runs with no lock held. */
#include <lull/format.h>
#include <lull/spinlock.h>
#include "domain.h"
#include "hyp.h"
#include "mmio.h"
#include "percpu.h"
#include "smp.h"
#include "timer.h"
#include "vgic.h"
#include "vwdt.h"
#include "pm_device.h"

#define WCS       0x000
#define WOR       0x008
#define WCV_LO    0x010
#define WCV_HI    0x014
#define WRR       0x000
#define W_IIDR    0xfcc

#define WCS_EN    BIT(0)
#define WCS_WS0   BIT(1)
#define WCS_WS1   BIT(2)

/* W_IIDR: ProductID [31:20] 0x001, Architecture version [19:16] 0 (WOR
 * is 32 bits; Linux reads this field), Revision [15:12] 0, Implementer
 * [11:0] 0xc55, the low bits of the virtual GIC's IIDR ("LU"; not a
 * JEP106 assignment). */
#define W_IIDR_VALUE 0x00100c55U

struct vwdt {
	spinlock_t lock;
	bool en, ws0, ws1;
	uint32_t wor;
	uint64_t wcv;          /* compare value, in counter ticks */
	unsigned frozen;       /* vwdt_domain_stopped calls not yet matched */
	uint64_t frozen_at;    /* the counter when the countdown stopped */
	bool resetting;        /* WS1 seen: the domain is being reset */
	bool line;             /* WS0's level as the virtual GIC has it */
	uint64_t resets;       /* resets it caused, kept across reboots */
};

static struct vwdt wdts[MAX_DOMAINS];
volatile uint32_t vwdt_counting;

static uint64_t lock(struct vwdt *w)
{
	uint64_t flags = irq_save();

	spin_lock(&w->lock);
	return flags;
}

static void unlock(struct vwdt *w, uint64_t flags)
{
	spin_unlock(&w->lock);
	irq_restore(flags);
}

static struct vwdt *wdt_of(const struct domain *d)
{
	return &wdts[d->id];
}

static bool counting(const struct vwdt *w)
{
	return w->en && !w->frozen && !w->resetting;
}

/* The watchdog's clock: the system counter, standing still while the
 * domain is frozen. */
static uint64_t wdt_now(const struct vwdt *w)
{
	return w->frozen ? w->frozen_at : counter_now();
}

static uint32_t wcs_value(const struct vwdt *w)
{
	return (w->en ? WCS_EN : 0) | (w->ws0 ? WCS_WS0 : 0) | (w->ws1 ? WCS_WS1 : 0);
}

/* Explicit refresh: WRR, WOR or WCS written. */
static void refresh(struct vwdt *w)
{
	w->ws0 = w->ws1 = false;
	if (w->en)
		w->wcv = wdt_now(w) + w->wor;
}

/* Under the lock, after any change: publish whether it counts, and give
 * the virtual GIC WS0's level. Returns true if CPU 0 must look again
 * sooner than it planned: the countdown (re)started or moved earlier. */
static bool settle(struct domain *d, struct vwdt *w, bool was_counting, uint64_t old_wcv)
{
	uint32_t bit = 1U << d->id;

	if (counting(w))
		__atomic_fetch_or(&vwdt_counting, bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&vwdt_counting, ~bit, __ATOMIC_RELEASE);
	if (w->line != w->ws0 && vgic_present()) {
		w->line = w->ws0;
		vgic_inject(d, NULL, GUEST_WDT_INTID, w->line);
	}
	return counting(w) && (!was_counting || w->wcv < old_wcv);
}

/* The poller (CPU 0) must see a new or earlier deadline. */
static void tell_poller(uint64_t deadline)
{
	if (this_cpu_id() == 0)
		timer_request(deadline);
	else
		smp_kick(0);
}

/* ---- registers ---- */

static bool ctrl_access_ok(uint64_t off, unsigned len)
{
	if (off == WCV_LO)
		return len == 4 || len == 8;
	return len == 4 && (off == WCS || off == WOR || off == WCV_HI || off == W_IIDR);
}

static bool ctrl_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	struct vwdt *w = dev;
	uint64_t flags;

	(void)v;
	if (!ctrl_access_ok(off, len))
		return false;
	flags = lock(w);
	switch (off) {
	case WCS:    *val = wcs_value(w); break;
	case WOR:    *val = w->wor; break;
	case WCV_LO: *val = len == 8 ? w->wcv : (uint32_t)w->wcv; break;
	case WCV_HI: *val = w->wcv >> 32; break;
	default:     *val = W_IIDR_VALUE; break;
	}
	unlock(w, flags);
	return true;
}

static bool ctrl_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	struct domain *d = v->dom;
	struct vwdt *w = dev;
	uint64_t flags, old_wcv, deadline;
	bool was, tell;

	if (!ctrl_access_ok(off, len))
		return false;
	flags = lock(w);
	was = counting(w);
	old_wcv = w->wcv;
	if (w->resetting) {
		/* WS1 has fired: the reset is under way, as on hardware
		 * nothing the guest does now can stop it. */
	} else if (off == WCS) {
		w->en = val & WCS_EN;        /* WS0 and WS1 are read-only */
		refresh(w);
	} else if (off == WOR) {
		w->wor = (uint32_t)val;
		refresh(w);
	} else if (off == WCV_LO && len == 8) {
		w->wcv = val;
	} else if (off == WCV_LO) {
		w->wcv = (w->wcv & ~0xffffffffULL) | (uint32_t)val;
	} else if (off == WCV_HI) {
		w->wcv = (w->wcv & 0xffffffffULL) | val << 32;
	}                                    /* W_IIDR: read-only, ignored */
	tell = settle(d, w, was, old_wcv);
	deadline = w->wcv;
	unlock(w, flags);
	if (tell)
		tell_poller(deadline);
	return true;
}

static bool refresh_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	(void)v;
	(void)dev;
	if (len != 4 || (off != WRR && off != W_IIDR))
		return false;
	*val = off == WRR ? 0 : W_IIDR_VALUE;   /* WRR reads as 0 */
	return true;
}

/* Any value written to WRR refreshes (what the guest writes is ignored). */
static bool refresh_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	struct domain *d = v->dom;
	struct vwdt *w = dev;
	uint64_t flags, old_wcv, deadline;
	bool was, tell;

	(void)val;
	if (len != 4 || (off != WRR && off != W_IIDR))
		return false;
	if (off != WRR)
		return true;
	flags = lock(w);
	was = counting(w);
	old_wcv = w->wcv;
	if (!w->resetting)
		refresh(w);
	/* A refresh usually moves the deadline later: no one is told. */
	tell = settle(d, w, was, old_wcv);
	deadline = w->wcv;
	unlock(w, flags);
	if (tell)
		tell_poller(deadline);
	return true;
}

static const struct mmio_ops ctrl_ops = { .read = ctrl_read, .write = ctrl_write };
static const struct mmio_ops refresh_ops = { .read = refresh_read, .write = refresh_write };

/* ---- lifecycle ---- */

static void reset_state(struct domain *d, struct vwdt *w)
{
	bool ws1 = w->ws1;

	w->en = w->ws0 = w->resetting = false;
	w->ws1 = ws1;
	w->wor = 0;
	w->wcv = 0;
	w->frozen = 0;
	settle(d, w, false, 0);
}

void vwdt_domain_init(struct domain *d)
{
	struct vwdt *w = wdt_of(d);

	reset_state(d, w);
	w->ws1 = false;
	if (mmio_register(d, GUEST_WDT_CTRL, PAGE_SIZE, &ctrl_ops, w) ||
	    mmio_register(d, GUEST_WDT_REFRESH, PAGE_SIZE, &refresh_ops, w))
		panic("domain %s: too many emulated devices", d->cfg.name);
}

void vwdt_domain_reset(struct domain *d)
{
	struct vwdt *w = wdt_of(d);
	uint64_t flags = lock(w);

	reset_state(d, w);
	unlock(w, flags);
}

void vwdt_domain_stopped(struct domain *d)
{
	struct vwdt *w = wdt_of(d);
	uint64_t flags = lock(w);

	if (w->frozen++ == 0)
		w->frozen_at = counter_now();
	settle(d, w, false, 0);
	unlock(w, flags);
}

void vwdt_domain_running(struct domain *d)
{
	struct vwdt *w = wdt_of(d);
	uint64_t flags = lock(w), deadline;
	bool tell = false;

	/* Disabled, nothing else changes (the resume path of every
	 * SYSTEM_SUSPEND comes here: keep it short). */
	if (w->frozen && --w->frozen == 0 && w->en) {
		uint64_t frozen_for = counter_now() - w->frozen_at;

		/* The countdown resumes where it stood: the compare value
		 * moves by the frozen time (saturating). */
		w->wcv = w->wcv > UINT64_MAX - frozen_for ? UINT64_MAX : w->wcv + frozen_for;
		tell = settle(d, w, false, 0);
	}
	deadline = w->wcv;
	unlock(w, flags);
	if (tell)
		tell_poller(deadline);
}

/* ---- expiry (CPU 0) ---- */

/* One look at a counting watchdog: WS0 when first due, WS1 (true: reset
 * the domain) when due again. Lowers *next to its deadline. */
static bool check(struct domain *d, struct vwdt *w, uint64_t *next)
{
	uint64_t flags = lock(w), now = counter_now();
	bool expired = false;

	if (counting(w) && now >= w->wcv) {
		if (!w->ws0) {
			w->ws0 = true;
			w->wcv = now + w->wor;       /* timeout refresh */
		} else {
			w->ws1 = w->resetting = expired = true;
			w->resets++;
		}
		settle(d, w, true, w->wcv);
	}
	if (counting(w) && w->wcv < *next)
		*next = w->wcv;
	unlock(w, flags);
	return expired;
}

void vwdt_poll_counting(void)
{
	uint32_t bits = __atomic_load_n(&vwdt_counting, __ATOMIC_ACQUIRE);
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];

		if (!(bits & (1U << i)) || !check(d, wdt_of(d), &next))
			continue;
		printk("domain %s: watchdog expired (WS1): resetting the domain", d->cfg.name);
		domain_reboot(d);
	}
	if (next != UINT64_MAX)
		timer_request(next);
}

/* ---- console ---- */

/* Counter ticks as seconds with one decimal, for `domains`. */
static int fmt_secs(char *buf, size_t size, uint64_t ticks)
{
	uint64_t tenths = ticks / (counter_freq() / 10);

	return snprintf(buf, size, "%lu.%lu s", tenths / 10, tenths % 10);
}

void vwdt_describe(struct domain *d, char *buf, size_t size)
{
	struct vwdt *w = wdt_of(d);
	uint64_t flags = lock(w), now = wdt_now(w);
	char wor[24] = "", left[24] = "", resets[24] = "";

	if (w->en) {
		fmt_secs(wor, sizeof(wor), w->wor);
		fmt_secs(left, sizeof(left), w->wcv > now ? w->wcv - now : 0);
	}
	if (w->resets)
		snprintf(resets, sizeof(resets), ", %lu reset%s", w->resets,
			 w->resets == 1 ? "" : "s");
	if (!w->en)
		snprintf(buf, size, "watchdog off%s", resets);
	else
		snprintf(buf, size, "watchdog %s, WOR %s, %s to %s%s",
			 w->resetting ? "expired" : w->frozen ? "frozen" : "on", wor, left,
			 w->ws0 ? "WS1" : "WS0", resets);
	unlock(w, flags);
}

/* Host suspend (pm_device.h): every watchdog stands still while the
 * machine sleeps, whatever its domain does (the paused ones and the
 * hardware domain are frozen already; this covers all, nested). */
static int vwdt_suspend(void)
{
	for (unsigned i = 0; i < nr_domains; i++)
		vwdt_domain_stopped(&domains[i]);
	return 0;
}

static void vwdt_resume(void)
{
	for (unsigned i = 0; i < nr_domains; i++)
		vwdt_domain_running(&domains[i]);
}

static struct pm_device vwdt_pm = {
	.name = "vwdt", .order = PM_ORDER_VWDT, .suspend = vwdt_suspend, .resume = vwdt_resume,
};

void vwdt_pm_init(void)
{
	pm_device_register(&vwdt_pm);
}
