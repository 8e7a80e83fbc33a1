#ifndef HYP_EXITS_H
#define HYP_EXITS_H
#include <stdint.h>

struct vcpu;

void vcpu_handle_exit(struct vcpu *v, uint64_t vector);
/* Make the guest take an exception at EL1 as the architecture would
 * (Arm ARM D1.10): ESR_EL1/FAR_EL1/ELR_EL1/SPSR_EL1 and the vector. The
 * vCPU must be loaded on this CPU. */
void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far);
void inject_data_abort(struct vcpu *v, uint64_t far);
void inject_undefined(struct vcpu *v);
#endif
