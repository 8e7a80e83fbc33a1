/* Reading a loaded vCPU's memory by guest virtual address, through its own
 * stage 1 (arch/aarch64/guest_mem.c) and the domain's memory map. */
#ifndef HYP_GUEST_MEM_H
#define HYP_GUEST_MEM_H
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The IPA a data read (or write) at `va` by the loaded vCPU, at its
 * current EL, goes to (its stage 1 only); false if that access would
 * fault at stage 1 (with that EL's permissions). */
bool guest_va_to_ipa(const struct vcpu *v, uint64_t va, bool write, uint64_t *ipa);
/* The instruction at the vCPU's PC (which must be loaded on this CPU):
 * NULL and *insn on success, else why it could not be read. */
const char *guest_fetch_insn(struct vcpu *v, uint32_t *insn);
#endif
