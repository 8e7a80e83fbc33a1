/* The hardware domain's control channel (vdev/vctl.c). */
#ifndef HYP_VCTL_H
#define HYP_VCTL_H
#include <stdbool.h>

struct domain;

/* Boot: the hardware domain gets the registers and the window; other
 * domains nothing. 0, or -1 when memory or regions ran out. */
int vctl_domain_init(struct domain *d);
/* Does this domain's device tree describe the channel? */
bool vctl_present(const struct domain *d);
#endif
