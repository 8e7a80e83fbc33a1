/* Emulated-device accesses that come without an instruction syndrome
 * (ESR_EL2.ISS.ISV = 0, Arm ARM D17.2.37: loads and stores with
 * writeback, pairs, SIMD&FP, exclusives, atomics...). The instruction is
 * read at the guest's PC through its stage 1 (guest_mem.c), decoded
 * (insn_decode.c), checked against the fault the hardware reported, and
 * performed as element accesses to the device, then the writeback.
 * Everything here is guest-controlled: any mismatch is refused with the
 * data abort a device refusal gives, and one log line naming the
 * instruction and the reason. */
#include <lull/format.h>
#include "domain.h"
#include "exits.h"
#include "guest_mem.h"
#include "hyp.h"
#include "insn_decode.h"
#include "mmio.h"

#define ESR_FNV      BIT(10)      /* FAR not valid */
#define VA_MASK      ((1ULL << 56) - 1)   /* ignore a top-byte tag (TBI) */

/* Rn = 31 is the stack pointer of the vCPU's EL: SP_EL0 at EL0 or in
 * EL1t (PSTATE.SP = 0), SP_EL1 in EL1h. Live in the registers. */
static bool uses_sp_el1(const struct vcpu *v)
{
	return ((v->regs.pstate >> 2) & 3) == 1 && (v->regs.pstate & 1);
}

static uint64_t get_base(const struct vcpu *v, unsigned rn)
{
	if (rn != 31)
		return v->regs.x[rn];
	return uses_sp_el1(v) ? read_sysreg(sp_el1) : read_sysreg(sp_el0);
}

static void set_base(struct vcpu *v, unsigned rn, uint64_t val)
{
	if (rn != 31)
		v->regs.x[rn] = val;
	else if (uses_sp_el1(v))
		write_sysreg(val, sp_el1);
	else
		write_sysreg(val, sp_el0);
}

static bool same_page(uint64_t a, uint64_t b)
{
	return !(((a ^ b) & VA_MASK) >> 12);
}

static uint64_t get_reg(const struct vcpu *v, unsigned rt)
{
	return rt == 31 ? 0 : v->regs.x[rt];
}

/* Check the decoded access against the fault, then perform it. NULL on
 * success, else why not (nothing has changed for loads; a store pair whose
 * second element the device refuses has made its first, as a pair that
 * aborts may on hardware). */
static const char *perform(struct vcpu *v, uint64_t esr, uint64_t ipa,
			   const struct mmio_region *r, const struct insn_ldst *l)
{
	unsigned n = l->pair ? 2 : 1;
	uint64_t base = get_base(v, l->rn), va = insn_ldst_address(l, base);
	uint64_t total = (uint64_t)l->size * n, far = read_sysreg(far_el2), delta, first, last;
	uint64_t val[2];

	if (esr & ESR_FNV)
		return "the fault address is not valid (FnV)";
	if (l->load != !((esr >> 6) & 1))
		return "the instruction is not the access that faulted";
	/* FAR is inside the access (a pair reports the element that faulted).
	 * Within FAR's 4 KiB page the IPA follows from HPFAR; an access that
	 * crosses into another page is translated through the guest's stage 1,
	 * with the vCPU's EL and direction (the hardware checked only the page
	 * that faulted), and must continue in the IPA space. */
	delta = (far - va) & VA_MASK;
	if (delta >= total)
		return "the instruction's address does not match the fault";
	if (same_page(va, far) && same_page(va + total - 1, far))
		first = ipa - delta;
	else if (!guest_va_to_ipa(v, va, !l->load, &first) ||
		 !guest_va_to_ipa(v, va + total - 1, !l->load, &last) || last - first != total - 1)
		return "the access crosses into a page that does not follow it";
	if (first < r->base || first - r->base > r->size || total > r->base + r->size - first)
		return "the access spans beyond the emulated device";
	if (first % l->size)
		return "the access is not aligned";
	if (l->load) {
		for (unsigned i = 0; i < n; i++)
			if (!r->ops->read(v, r->dev, first - r->base + i * l->size, l->size, &val[i]))
				return i ? "the device refused the second access" :
					   "the device refused the access";
		/* Registers only once every element has been read. */
		if (l->rt != 31)
			v->regs.x[l->rt] = insn_ldst_load_value(l, val[0]);
		if (l->pair && l->rt2 != 31)
			v->regs.x[l->rt2] = insn_ldst_load_value(l, val[1]);
	} else {
		/* The values before any writeback (a store of its own base
		 * register stores the original value: WBOVERLAPST). */
		val[0] = insn_ldst_store_value(l, get_reg(v, l->rt));
		val[1] = insn_ldst_store_value(l, get_reg(v, l->rt2));
		for (unsigned i = 0; i < n; i++)
			if (!r->ops->write(v, r->dev, first - r->base + i * l->size, l->size, val[i]))
				return i ? "the device refused the second access" :
					   "the device refused the access";
	}
	if (l->mode != INSN_OFFSET)
		set_base(v, l->rn, insn_ldst_writeback(l, base));
	v->regs.pc += 4;
	return NULL;
}

void mmio_emulate_insn(struct vcpu *v, uint64_t esr, uint64_t ipa, const struct mmio_region *r)
{
	struct insn_ldst l;
	uint32_t insn = 0;
	const char *why;
	char form[32] = "";

	why = guest_fetch_insn(v, &insn);
	if (!why)
		why = insn_decode_ldst(insn, &l);
	if (!why) {
		snprintf(form, sizeof(form), " (%s, %s)", insn_ldst_mnemonic(&l),
			 insn_ldst_mode_name(l.mode));
		why = perform(v, esr, ipa, r, &l);
		if (!why)
			return;
	}
	printk("domain %s: vCPU %u: instruction 0x%08x%s at pc 0x%lx, a %s without syndrome at"
	       " IPA 0x%lx (emulated device at 0x%lx): %s; injecting an abort", v->dom->cfg.name,
	       v->id, insn, form, v->regs.pc, (esr >> 6) & 1 ? "write" : "read", ipa, r->base, why);
	inject_data_abort(v, read_sysreg(far_el2));
}
