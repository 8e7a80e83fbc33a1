/* Fault points of host suspend, so that tests can make every step fail
 * (docs/power-management.md, "Fault points"). Set per run in the device
 * tree (`/chosen` property `lull,fault-points`, a string such as
 * "cpu-offline=2,device=gic") or from the console (`fault`). Each point
 * fires once, at the next host suspend, and is then cleared. */
#ifndef HYP_PM_FAULTS_H
#define HYP_PM_FAULTS_H
#include <stdbool.h>

enum pm_fault {
	PM_FAULT_PAUSE,           /* pausing the domains fails */
	PM_FAULT_WAKE,            /* no wake-up source is found */
	PM_FAULT_CPU_OFFLINE,     /* CPU n refuses to go offline */
	PM_FAULT_DEVICE,          /* the named device's suspend callback fails */
	PM_FAULT_COUNT
};

void pm_faults_init(const void *fdt);                /* boot */
int pm_fault_set(const char *spec);                   /* "point[=arg]": 0 or -1 */
void pm_faults_show(void);
/* Does the point fire now (for this CPU / device)? Clears it if so. */
bool pm_fault_hit(enum pm_fault f, unsigned cpu, const char *device);
#endif
