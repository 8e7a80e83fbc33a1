#ifndef HYP_SYSREG_TRAP_H
#define HYP_SYSREG_TRAP_H
/* Trapped system register accesses (ESR_EL2.EC 0x18, Arm ARM D17.2.37):
 * one decoder, and a table of emulators (core/sysreg_trap.c) that each
 * claim the registers they own. */
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The encoding of a register, as the ISS packs it without Rt and the
 * direction: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], CRm [4:1]. */
#define SYSREG_KEY(op0, op1, crn, crm, op2) \
	(((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | \
	 ((uint32_t)(crn) << 10) | ((uint32_t)(crm) << 1))

/* The fields of a key. */
#define SYSREG_OP0(k) (((k) >> 20) & 3)
#define SYSREG_OP2(k) (((k) >> 17) & 7)
#define SYSREG_OP1(k) (((k) >> 14) & 7)
#define SYSREG_CRN(k) (((k) >> 10) & 15)
#define SYSREG_CRM(k) (((k) >> 1) & 15)

struct sysreg_access {
	uint32_t key;       /* SYSREG_KEY of the register */
	bool read;          /* MRS (the guest reads Rt) */
	unsigned rt;        /* 31: XZR */
};

enum sysreg_result {
	SYSREG_NOT_MINE,    /* the next emulator is asked */
	SYSREG_DONE,        /* emulated: the guest goes on after the instruction */
	SYSREG_UNDEF,       /* the guest takes an Undefined Instruction exception */
};

/* An emulator: claims an access or says SYSREG_NOT_MINE. */
typedef enum sysreg_result (*sysreg_emulator)(struct vcpu *v, const struct sysreg_access *a);

/* The value an MSR writes (XZR reads as 0), and the result of an MRS. */
uint64_t sysreg_write_value(const struct vcpu *v, const struct sysreg_access *a);
void sysreg_set_result(struct vcpu *v, const struct sysreg_access *a, uint64_t val);

/* Handle a trapped access; false: no emulator claimed it (the caller
 * logs it and injects Undefined). */
bool sysreg_trap(struct vcpu *v, uint64_t esr);
#endif
