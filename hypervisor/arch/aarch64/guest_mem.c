/* Guest virtual addresses to the domain's memory. The vCPU's EL1 state is
 * live in the registers while its exit is handled, so the hardware walks
 * the guest's stage 1 for us with the AT instructions (Arm ARM C5.5); the
 * result lands in PAR_EL1, which is the guest's own register and is put
 * back. The IPA is then checked against the domain's RAM (never a
 * passed-through device or an emulated one). */
#include "domain.h"
#include "guest_mem.h"
#include "hyp.h"
#include "percpu.h"

#define PAR_F        BIT(0)
#define PAR_PA_MASK  0x000ffffffffff000ULL   /* PA[51:12] (IPA here: stage 1 only) */

enum at_op { AT_E1R, AT_E1W, AT_E0R, AT_E0W };

/* Stage 1 of the EL1&0 regime. With HCR_EL2.VM set the walk's own table
 * reads go through stage 2; a fault anywhere (unmapped, no permission for
 * that EL and direction, tables outside the domain's memory) sets
 * PAR_EL1.F. */
static bool at(enum at_op op, uint64_t va, uint64_t *ipa)
{
	uint64_t saved = read_sysreg(par_el1), par;

	switch (op) {
	case AT_E1R: __asm__ volatile("at s1e1r, %0" :: "r"(va) : "memory"); break;
	case AT_E1W: __asm__ volatile("at s1e1w, %0" :: "r"(va) : "memory"); break;
	case AT_E0R: __asm__ volatile("at s1e0r, %0" :: "r"(va) : "memory"); break;
	case AT_E0W: __asm__ volatile("at s1e0w, %0" :: "r"(va) : "memory"); break;
	}
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(saved, par_el1);
	if (par & PAR_F)
		return false;
	*ipa = (par & PAR_PA_MASK) | (va & 0xfff);
	return true;
}

bool guest_va_to_ipa(const struct vcpu *v, uint64_t va, bool write, uint64_t *ipa)
{
	bool el0 = ((v->regs.pstate >> 2) & 3) == 0;

	return at(el0 ? (write ? AT_E0W : AT_E0R) : (write ? AT_E1W : AT_E1R), va, ipa);
}

const char *guest_fetch_insn(struct vcpu *v, uint32_t *insn)
{
	uint64_t pc = v->regs.pc, ipa, pa;

	if (this_cpu()->loaded != v)
		return "the vCPU is not loaded";          /* never: called at its exit */
	if (pc & 3)
		return "the PC is not aligned";
	/* The vCPU has just executed it, so its page translates; EL1's read
	 * permission (the same tables for EL0 and EL1) also covers EL0 code
	 * mapped execute-only, which AT S1E0R would refuse. */
	if (!at(AT_E1R, pc, &ipa))
		return "the PC does not translate through the guest's stage 1";
	pa = domain_ipa_to_pa(v->dom, ipa, 4);
	if (!pa)
		return "the PC is not in the domain's memory";
	*insn = *(volatile const uint32_t *)(uintptr_t)pa;   /* RAM is identity mapped */
	return NULL;
}
