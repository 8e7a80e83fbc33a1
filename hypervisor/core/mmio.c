#include "domain.h"
#include "exits.h"
#include "hyp.h"
#include "mmio.h"

#define MAX_REGIONS 8

/* Registered at domain build, read-only afterwards: no lock needed. */
static struct mmio_region regions[MAX_DOMAINS][MAX_REGIONS];
static unsigned nregions[MAX_DOMAINS];

int mmio_register(struct domain *d, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		  void *dev)
{
	if (nregions[d->id] == MAX_REGIONS)
		return -1;
	regions[d->id][nregions[d->id]++] = (struct mmio_region){ base, size, ops, dev };
	return 0;
}

/* ESR_EL2 ISS for data aborts (Arm ARM D17.2.37): ISV (24), SAS (23:22),
 * SSE (21), SRT (20:16), SF (15), WnR (6). Accesses without a valid
 * syndrome (load/store pair, writeback, ...) go to mmio_emulate_insn. */
void mmio_handle_abort(struct vcpu *v, uint64_t esr)
{
	uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
	unsigned len = 1U << ((esr >> 22) & 3), srt = (esr >> 16) & 31;
	bool write = (esr >> 6) & 1, isv = (esr >> 24) & 1;
	struct domain *d = v->dom;

	/* The syndrome path first, unchanged: the hot one. */
	for (unsigned i = 0; isv && i < nregions[d->id]; i++) {
		struct mmio_region *r = &regions[d->id][i];
		uint64_t val;
		bool ok;

		if (ipa < r->base || ipa - r->base >= r->size)
			continue;
		if (write) {
			val = srt == 31 ? 0 : v->regs.x[srt];
			if (len < 8)
				val &= (1ULL << (len * 8)) - 1;
			ok = r->ops->write(v, r->dev, ipa - r->base, len, val);
		} else {
			ok = r->ops->read(v, r->dev, ipa - r->base, len, &val);
			if (ok && ((esr >> 21) & 1) && len < 8 && (val >> (len * 8 - 1)) & 1)
				val |= ~0ULL << (len * 8);        /* sign extend */
			if (ok && !((esr >> 15) & 1))
				val &= 0xffffffffULL;              /* 32-bit register */
			if (ok && srt != 31)
				v->regs.x[srt] = val;
		}
		if (!ok)
			break;
		vcpu_skip_insn(v);
		return;
	}
	for (unsigned i = 0; !isv && i < nregions[d->id]; i++) {
		struct mmio_region *r = &regions[d->id][i];

		if (ipa >= r->base && ipa - r->base < r->size) {
			mmio_emulate_insn(v, esr, ipa, r);
			return;
		}
	}
	if (isv)
		printk("domain %s: vCPU %u: %s of %u bytes at IPA 0x%lx (pc 0x%lx) hits nothing it"
		       " owns; injecting an abort", d->cfg.name, v->id, write ? "write" : "read",
		       len, ipa, v->regs.pc);
	else
		printk("domain %s: vCPU %u: %s at IPA 0x%lx (pc 0x%lx) hits nothing it owns;"
		       " injecting an abort", d->cfg.name, v->id, write ? "write" : "read", ipa,
		       v->regs.pc);
	inject_data_abort(v, read_sysreg(far_el2));
}
