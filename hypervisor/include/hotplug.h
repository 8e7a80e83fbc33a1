#ifndef HYP_HOTPLUG_H
#define HYP_HOTPLUG_H

#include <stdbool.h>
#include <stddef.h>

struct cpu_caps;

/* Physical CPU on/off through PSCI. Both return 0 on success, or -1 after
 * printing why (the CPU's `why` field keeps the reason); `verbose` also
 * reports success. */
int cpu_online(unsigned cpu, bool verbose);
int cpu_offline(unsigned cpu, bool verbose);
/* Called by a CPU asked to go offline (percpu.die), from its run loop;
 * returns only if it refused (a fault point), staying online. */
void hotplug_cpu_die(void);
/* The physical address size every CPU must support (EL2 and stage-2
 * translation use it). */
unsigned hotplug_pa_bits(void);
/* Read this CPU's capabilities into *caps; 0 if it supports what boot
 * chose, else -1 with the reason in why. Every CPU arrival, and the boot
 * CPU after a host resume. */
int hotplug_check_this_cpu(struct cpu_caps *caps, char *why, size_t size);
/* The boot CPU's chosen capabilities, which every later CPU must meet. */
void hotplug_set_chosen_caps(void);
#endif
