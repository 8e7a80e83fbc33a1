/* What the hypervisor learns about the machine from the device tree. */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H
#include <stdint.h>

struct mem_range {
	uint64_t base, size;
};

struct platform {
	uintptr_t uart;
	unsigned uart_irq;           /* INTID */
	struct mem_range ram[4];
	unsigned nram;
};

extern struct platform plat;
/* Fill plat, gic and the CPU list (percpus, nr_cpus); panics with the node
 * and property at fault when the tree is unusable. */
void platform_probe(const void *fdt);
#endif
