/* Trapped MMIO: stage-2 data aborts on addresses a domain has no memory at
 * are decoded here and handed to the emulated device covering them. */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

struct mmio_ops {
	/* Return false for an access the device refuses (an abort is
	 * injected). `len` is 1, 2, 4 or 8. */
	bool (*read)(struct vcpu *v, void *dev, uint64_t offset, unsigned len, uint64_t *val);
	bool (*write)(struct vcpu *v, void *dev, uint64_t offset, unsigned len, uint64_t val);
};

int mmio_register(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		  void *dev);
void mmio_handle_abort(struct vcpu *v, uint64_t esr);
#endif
