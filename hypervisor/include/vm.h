/* Stage-2 translation for domains (Arm ARM D8): 4 KiB granule, 39-bit IPA
 * starting at level 1, one VMID per domain. */
#ifndef HYP_VM_H
#define HYP_VM_H
#include <stdbool.h>
#include <stdint.h>

struct domain;

#define GUEST_IPA_BITS 39

/* Per physical CPU, on every arrival: VTCR_EL2 is lost with power. */
void vm_cpu_init(void);
/* The VTCR_EL2 value vm_cpu_init writes. */
uint64_t vm_vtcr(void);
int stage2_map(struct domain *d, uint64_t ipa, uint64_t pa, uint64_t size, bool device);
void stage2_activate(struct domain *d);   /* compute VTTBR after mapping */
#endif
