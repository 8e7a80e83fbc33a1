/* Fault points of host suspend (include/pm_faults.h). Boot sets them from
 * the device tree; the console changes them; the suspend path consumes
 * them. Only CPU 0 runs host suspend and the shell: no lock needed. */
#include <libfdt.h>
#include <lull/format.h>
#include <stdlib.h>
#include <string.h>
#include "hyp.h"
#include "pm_faults.h"

static const char *const names[PM_FAULT_COUNT] = {
	[PM_FAULT_PAUSE] = "pause",
	[PM_FAULT_WAKE] = "wake-sources",
	[PM_FAULT_CPU_OFFLINE] = "cpu-offline",
	[PM_FAULT_DEVICE] = "device",
};

static struct {
	bool armed;
	unsigned cpu;              /* cpu-offline */
	char device[16];           /* device */
} points[PM_FAULT_COUNT];

static int set_one(const char *spec, size_t len)
{
	char buf[40];
	const char *arg;
	char *eq;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, spec, len);
	buf[len] = '\0';
	eq = strchr(buf, '=');
	if (eq)
		*eq = '\0';
	arg = eq ? eq + 1 : NULL;
	for (unsigned f = 0; f < PM_FAULT_COUNT; f++) {
		if (strcmp(buf, names[f]))
			continue;
		if (f == PM_FAULT_CPU_OFFLINE) {
			char *end;
			unsigned long cpu;
			if (!arg || !*arg)
				return -1;
			cpu = strtoul(arg, &end, 0);
			if (*end || cpu == 0 || cpu >= MAX_CPUS)
				return -1;
			points[f].cpu = (unsigned)cpu;
		} else if (f == PM_FAULT_DEVICE) {
			if (!arg || !*arg || strlen(arg) >= sizeof(points[f].device))
				return -1;
			snprintf(points[f].device, sizeof(points[f].device), "%s", arg);
		} else if (arg) {
			return -1;
		}
		points[f].armed = true;
		return 0;
	}
	return -1;
}

/* A comma-separated list; all or nothing is not needed: each valid point
 * is armed, and -1 says one was not understood. */
int pm_fault_set(const char *spec)
{
	int rc = 0;

	if (!strcmp(spec, "clear")) {
		memset(points, 0, sizeof(points));
		return 0;
	}
	while (*spec) {
		const char *comma = strchr(spec, ',');
		size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
		if (set_one(spec, len))
			rc = -1;
		spec += len + (comma ? 1 : 0);
	}
	return rc;
}

void pm_faults_init(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *s = node < 0 ? NULL : fdt_getprop(fdt, node, "lull,fault-points", NULL);

	if (!s)
		return;
	if (pm_fault_set(s))
		panic("config: /chosen: 'lull,fault-points': cannot parse \"%s\" (points: pause, "
		      "wake-sources, cpu-offline=N, device=NAME)", s);
	printk("fault points armed for the next host suspend: %s", s);
}

void pm_faults_show(void)
{
	bool any = false;

	for (unsigned f = 0; f < PM_FAULT_COUNT; f++) {
		if (!points[f].armed)
			continue;
		any = true;
		if (f == PM_FAULT_CPU_OFFLINE)
			printk("fault: %s=%u armed", names[f], points[f].cpu);
		else if (f == PM_FAULT_DEVICE)
			printk("fault: %s=%s armed", names[f], points[f].device);
		else
			printk("fault: %s armed", names[f]);
	}
	if (!any)
		printk("fault: none armed");
}

bool pm_fault_hit(enum pm_fault f, unsigned cpu, const char *device)
{
	if (!points[f].armed)
		return false;
	if (f == PM_FAULT_CPU_OFFLINE && points[f].cpu != cpu)
		return false;
	if (f == PM_FAULT_DEVICE && (!device || strcmp(points[f].device, device)))
		return false;
	points[f].armed = false;
	return true;
}
