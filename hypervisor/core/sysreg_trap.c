/* Trapped system register accesses: decode once, then ask each emulator
 * in turn. An emulator owns a set of registers; add it to the table. */
#include "debug_regs.h"
#include "cpu_view.h"
#include "exits.h"
#include "sysreg_hidden.h"
#include "sysreg_trap.h"
#include "vcpu.h"
#include "vgic.h"
#include "vptimer.h"

static const sysreg_emulator emulators[] = {
	vgic_sysreg_access,         /* ICC_* the vGIC must see (GICv3 SGIs) */
	vptimer_sysreg_access,      /* CNTP_*: the emulated EL1 physical timer */
	debug_sysreg_access,        /* debug registers, per vCPU (op0 2, op1 0/3) */
	hidden_sysreg_access,       /* PMU, trace, AMU, RAS, LOR, IMPDEF: UNDEF; ACTLR_EL1 */
	cpu_view_sysreg_access,     /* ID registers (TID3, TID1, TID5), hidden SME/MTE ones */
};

uint64_t sysreg_write_value(const struct vcpu *v, const struct sysreg_access *a)
{
	return a->rt == 31 ? 0 : v->regs.x[a->rt];
}

void sysreg_set_result(struct vcpu *v, const struct sysreg_access *a, uint64_t val)
{
	if (a->rt != 31)
		v->regs.x[a->rt] = val;
}

bool sysreg_trap(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	struct sysreg_access a = {
		.key = iss & ~((0x1fU << 5) | 1U),
		.read = iss & 1,
		.rt = (iss >> 5) & 31,
	};

	for (unsigned i = 0; i < sizeof(emulators) / sizeof(emulators[0]); i++) {
		switch (emulators[i](v, &a)) {
		case SYSREG_NOT_MINE:
			continue;
		case SYSREG_DONE:
			vcpu_skip_insn(v);
			return true;
		case SYSREG_UNDEF:
			inject_undefined(v);
			return true;
		}
	}
	return false;
}
