/* Devices the hypervisor owns, suspended and resumed with the machine
 * (host suspend to RAM, pm/host_suspend.c): one ordered list. Each driver
 * registers itself at boot with an order key; suspend runs in ascending
 * order, resume in descending order (docs/power-management.md has the
 * list and what each callback saves). */
#ifndef HYP_PM_DEVICE_H
#define HYP_PM_DEVICE_H

struct pm_device {
	const char *name;
	int order;
	/* 0, or -1 after undoing what it did: the machine keeps running. */
	int (*suspend)(void);
	void (*resume)(void);
	struct pm_device *next;        /* the list, kept sorted (pm_devices.c) */
};

/* Suspend order: the virtual watchdogs first (nothing may fire meanwhile),
 * then the console (drained), the EL2 timer, and the GIC last (interrupts
 * work for as long as anything else needs them). */
enum {
	PM_ORDER_VWDT = 10,
	PM_ORDER_UART = 20,
	PM_ORDER_TIMER = 30,
	PM_ORDER_GIC = 90,
};

void pm_device_register(struct pm_device *dev);
/* Suspend every device in order; on a failure resume those already
 * suspended, in reverse, and return -1. Each step goes into the phase log. */
int pm_devices_suspend(void);
void pm_devices_resume(void);
#endif
