/* The ordered list of devices the hypervisor owns (include/pm_device.h).
 * Built at boot (drivers register from their init), read-only after. */
#include <lull/psci.h>
#include "hyp.h"
#include "phase_log.h"
#include "pm_device.h"
#include "pm_faults.h"

static struct pm_device *devices;

void pm_device_register(struct pm_device *dev)
{
	struct pm_device **p = &devices;

	while (*p && (*p)->order <= dev->order)
		p = &(*p)->next;
	dev->next = *p;
	*p = dev;
}

static int suspend_one(struct pm_device *dev)
{
	int idx = phase_begin("devices", dev->name, PM_LANE_CPU, 0, false);
	int rc = pm_fault_hit(PM_FAULT_DEVICE, 0, dev->name) ? -1 : dev->suspend();

	phase_end(idx, rc ? PSCI_DENIED : 0);
	return rc;
}

static void resume_one(struct pm_device *dev)
{
	int idx = phase_begin("devices", dev->name, PM_LANE_CPU, 0, true);

	dev->resume();
	phase_end(idx, 0);
}

/* Resume the devices before `stop` (those suspended), last first. */
static void resume_before(struct pm_device *stop)
{
	struct pm_device *done[16];
	unsigned n = 0;

	for (struct pm_device *d = devices; d != stop && n < ARRAY_SIZE(done); d = d->next)
		done[n++] = d;
	while (n)
		resume_one(done[--n]);
}

int pm_devices_suspend(void)
{
	for (struct pm_device *d = devices; d; d = d->next)
		if (suspend_one(d)) {
			resume_before(d);
			return -1;
		}
	return 0;
}

void pm_devices_resume(void)
{
	resume_before(NULL);
}
