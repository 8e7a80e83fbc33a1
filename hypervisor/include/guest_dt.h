#ifndef HYP_GUEST_DT_H
#define HYP_GUEST_DT_H
#include <stddef.h>
#include <stdint.h>

struct domain;

/* Write the device tree a domain boots with into buf (libfdt sequential
 * writer): memory, cpus, psci (method hvc), GIC, timer, UART, the devices
 * passed through to it, chosen. Boot only (libfdt uses FP/SIMD). Returns
 * its size or -1. */
int guest_dt_build(const struct domain *d, const void *host_fdt, void *buf, size_t size,
		   uint64_t initrd_ipa);
#endif
