/* Proof that the rig firmware's power-loss simulation resets every GIC
 * setting a Non-secure EL2 payload can change (see gic_state.c). */
#ifndef PSCI_CONFORMANCE_GIC_STATE_H
#define PSCI_CONFORMANCE_GIC_STATE_H
#include <stdbool.h>

#define GS_KEEP_NONE 1023u

/* Record every item as the firmware handed it over at cold boot (or at the
 * core's first CPU_ON), on the calling core. */
void gs_snapshot(unsigned gic_version);
/* gs_dirty flags. GS_SYSTEM: the distributor too (SYSTEM_SUSPEND).
 * GS_SLEEP: the core is to sleep until woken later, so no enabled
 * interrupt may be left pending (on GICv2, where QEMU keeps SGIs enabled,
 * no SGI is pended then and that item is not checked). */
#define GS_SYSTEM 1u
#define GS_SLEEP  2u

/* Give every item a distinctive non-reset value on the calling core: the
 * CPU interface, the virtual interface control, the private interrupts and,
 * with GS_SYSTEM, the distributor. Interrupt `keep` (the test's own wake-up
 * interrupt, or GS_KEEP_NONE) keeps the set-up the test gave it, and its
 * pending state is checked by the test, not here. */
void gs_dirty(unsigned flags, unsigned keep);
/* Read every item again after the power-down, on the calling core. */
void gs_after(void);
/* One check line per item of `core`: the distinctive value took, and the
 * item is back at its hand-over value. Run on core 0. */
void gs_report(unsigned core, const char *prefix);

/* main.c */
void check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
