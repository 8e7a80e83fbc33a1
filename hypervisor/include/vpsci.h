#ifndef HYP_VPSCI_H
#define HYP_VPSCI_H
struct vcpu;
/* PSCI and SMCCC calls of a guest (HVC, or SMC trapped), DEN0022/DEN0028:
 * function ID in x0, arguments x1-x3, result in x0. */
void vpsci_handle(struct vcpu *v);
#endif
