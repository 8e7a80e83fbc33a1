/* What the hypervisor learns about the machine from the device tree. */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H
#include <stdint.h>
#include "partition.h"

struct platform {
	uintptr_t uart;
	unsigned uart_irq;           /* INTID */
	struct range ram[4];
	unsigned nram;
	const void *fdt;             /* the tree we booted with (kept) */
};

extern struct platform plat;
/* Fill plat, gic and the CPU list (percpus, nr_cpus); panics with the node
 * and property at fault when the tree is unusable. */
void platform_probe(const void *fdt);
#endif
