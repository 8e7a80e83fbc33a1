/* A virtual SBSA Generic Watchdog per domain (vdev/vwdt.c): the guest
 * drives it with Linux's sbsa_gwdt driver or its own code; when it
 * expires twice without a refresh (WS1) the hypervisor reboots the
 * domain. Its countdown is frozen while the domain does not run.
 * Guest layout: GUEST_WDT_* in domain.h; docs/configuration.md 8.7. */
#ifndef HYP_VWDT_H
#define HYP_VWDT_H
#include <stddef.h>
#include <stdint.h>

struct domain;

/* Build: register the control and refresh frames; disabled. */
void vwdt_domain_init(struct domain *d);
/* Domain reboot (from vdev_domain_reset) and power-off: back to the reset
 * state, disabled and no longer frozen. WCS.WS1 survives, as on a board
 * whose watchdog sits in an always-on domain: after a watchdog reset the
 * guest can see why it restarted (Linux reports "System reset by WDT");
 * its first refresh (or WOR/WCS write) clears it. */
void vwdt_domain_reset(struct domain *d);

/* The domain stops running (its PSCI SYSTEM_SUSPEND, a pause, the host's
 * suspend to RAM): freeze the countdown. */
void vwdt_domain_stopped(struct domain *d);
/* It runs again: the countdown resumes with the time it had left (WCV
 * moves by the time it was frozen). Calls nest: the countdown runs again
 * when every vwdt_domain_stopped has had its vwdt_domain_running; an
 * unmatched vwdt_domain_running (after a reboot or power-off, which end
 * every freeze) is ignored. Any CPU, any IRQ state; not from inside an
 * MMIO handler of the same domain's watchdog. */
void vwdt_domain_running(struct domain *d);

/* Boot: the watchdogs' host suspend callbacks (pm_device.h). */
void vwdt_pm_init(void);

/* Bit d: domain d's watchdog is counting (enabled, not frozen). */
extern volatile uint32_t vwdt_counting;
void vwdt_poll_counting(void);
/* CPU 0's run loop, each round: raise WS0 or reset the domain of every
 * watchdog that is due, and ask CPU 0's timer for the next deadline.
 * One load and a branch while no watchdog counts. */
static inline void vwdt_poll(void)
{
	if (vwdt_counting)
		vwdt_poll_counting();
}

/* For `domains`: "watchdog off", "watchdog on, WOR 5.0 s, 3.2 s to WS0",
 * "watchdog frozen, ...", and ", N resets" once it has reset the domain. */
void vwdt_describe(struct domain *d, char *buf, size_t size);
#endif
