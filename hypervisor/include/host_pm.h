/* Host suspend to RAM (pm/host_suspend.c): the whole machine sleeps when
 * the hardware domain completes its own PSCI SYSTEM_SUSPEND, and wakes
 * with nothing lost. docs/power-management.md has the sequence. */
#ifndef HYP_HOST_PM_H
#define HYP_HOST_PM_H
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* Boot: the configuration's lull,wake-on-console and the fault points. */
void host_pm_init(const void *fdt);
/* The hardware domain's vCPU v asked for SYSTEM_SUSPEND and passed the
 * domain-level checks: it is parked (context kept) and CPU 0 runs the
 * machine's suspend. It later re-enters at `entry` with x0 = `ctx`, or
 * gets an error in x0 with its context intact. */
void host_suspend_request(struct vcpu *v, uint64_t entry, uint64_t ctx);
/* CPU 0's run loop: is a request waiting? Then run the whole sequence. */
extern volatile bool host_suspend_requested;
void host_suspend_run(void);
/* Called on the vCPU's own CPU just before the hardware domain's vCPU
 * re-enters after a host resume: only now are the other domains
 * unpaused (the wake ordering of docs/power-management.md). */
void host_resume_hwdom_entered(struct vcpu *v);
/* A vCPU of a domain that host resume unpaused runs for the first time. */
void host_resume_domain_running(struct domain *d);
/* Whether the host is between its suspend and the end of its resume
 * (`domains` shows paused domains then). */
bool host_pm_busy(void);
#endif
