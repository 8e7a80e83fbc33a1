/* Emulated devices of a domain. */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H
#include <stdbool.h>

struct domain;

void vdev_domain_init(struct domain *d);    /* boot: register MMIO regions */
void vdev_domain_reset(struct domain *d);   /* on a domain reboot */
void vpl011_init(struct domain *d);
void vpl011_reset(struct domain *d);
/* A character typed on the console for this domain; only when there is
 * room (the console keeps the rest: typing never overruns the FIFO). */
bool vpl011_rx_space(struct domain *d);
void vpl011_receive(struct domain *d, char c);
#endif
