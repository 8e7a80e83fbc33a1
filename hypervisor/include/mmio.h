/* Trapped MMIO: stage-2 data aborts on addresses a domain has no memory at
 * are decoded here and handed to the emulated device covering them. An
 * access the syndrome describes (ESR_EL2.ISV) is emulated at once
 * (core/mmio.c); one without (writeback, pairs) from its instruction,
 * read from guest memory and decoded (core/mmio_insn.c). */
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

struct mmio_region {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *dev;
};

int mmio_register(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		  void *dev);
void mmio_handle_abort(struct vcpu *v, uint64_t esr);
/* An abort without a valid syndrome at `ipa`, inside region r: emulate the
 * instruction at the PC, or inject an abort and say why. */
void mmio_emulate_insn(struct vcpu *v, uint64_t esr, uint64_t ipa, const struct mmio_region *r);
#endif
