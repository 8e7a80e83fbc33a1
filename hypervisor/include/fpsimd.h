/* A vCPU's FP/SIMD and SVE registers, switched lazily (arch/aarch64/fpsimd.c):
 * CPTR_EL2 traps them after every vCPU switch, the first use restores
 * them, and the vCPU's put saves them only if they were used. */
#ifndef HYP_FPSIMD_H
#define HYP_FPSIMD_H
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* Boot: the SVE save area of each of d's vCPUs (for max_vq quadwords). */
void fpsimd_domain_init(struct domain *d, unsigned max_vq);
void fpsimd_vcpu_reset(struct vcpu *v);   /* not loaded: all zero */
void fpsimd_load(struct vcpu *v);         /* vcpu_load: arm the traps */
void fpsimd_put(struct vcpu *v);          /* vcpu_put: save if used */
/* ESR_EL2.EC 0x07 (FP/SIMD) or 0x19 (SVE) trapped by CPTR_EL2: restore
 * the state; false: the vCPU may not use it (it takes UNDEF). */
bool fpsimd_trap(struct vcpu *v, unsigned ec);
/* This CPU's longest SVE vector length, in quadwords. */
unsigned fpsimd_sve_probe_vq(void);

/* arch/aarch64/sve.S */
void sve_save(void *z, void *p);
void sve_load(const void *z, const void *p);
unsigned sve_probe_vq(void);
#endif
