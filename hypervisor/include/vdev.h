/* Emulated devices of a domain. */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

struct domain;

void vdev_domain_init(struct domain *d);    /* boot: register MMIO regions */
void vdev_domain_reset(struct domain *d);   /* on a domain reboot */
void vpl011_init(struct domain *d);
void vpl011_reset(struct domain *d);
/* A character typed on the console for this domain. */
void vpl011_receive(struct domain *d, char c);
#endif
