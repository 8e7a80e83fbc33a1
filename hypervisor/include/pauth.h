/* Pointer authentication keys of a vCPU (arch/aarch64/pauth.c). */
#ifndef HYP_PAUTH_H
#define HYP_PAUTH_H
struct vcpu;
void pauth_load(const struct vcpu *v);
void pauth_save(struct vcpu *v);
#endif
