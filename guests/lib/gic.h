/* A guest's view of its (virtual) GIC, version 3 or 2 as the platform
 * has: just enough to enable, send and take interrupts. The version is
 * probed from the distributor's PIDR2 on first use. */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H
#include <stdbool.h>
#include <stdint.h>

#define GUEST_GICD 0x08000000UL
#define GUEST_GICC 0x08010000UL     /* GICv2 CPU interface */
#define GUEST_GICR 0x080a0000UL     /* GICv3 redistributors */

unsigned gic_version(void);
void gic_init_distributor(void);
void gic_init_cpu(unsigned vcpu);                    /* redistributor + CPU interface */
void gic_enable(unsigned vcpu, unsigned intid, uint8_t priority);
void gic_send_sgi(unsigned target_vcpu, unsigned sgi);
uint32_t gic_ack(void);                              /* ICC_IAR1_EL1 / GICC_IAR */
void gic_eoi(uint32_t iar);                          /* ICC_EOIR1_EL1 / GICC_EOIR */
void gic_set_priority_mask(uint8_t pmr);
/* The INTID in an acknowledge value (GICv2 adds the SGI's sender). */
unsigned gic_intid(uint32_t iar);
/* Where vCPU `vcpu`'s SGI/PPI registers are, in distributor layout: the
 * GICv3 SGI frame, or the GICv2 distributor (banked: own vCPU only). */
uintptr_t gic_private_regs(unsigned vcpu);
/* This vCPU's CPU interface: its priority mask, and whether any interrupt
 * group is enabled (GICC_CTLR / ICC_IGRPEN1_EL1). */
void gic_cpu_state(uint32_t *pmr, bool *enabled);
/* Is `intid` pending / enabled for this vCPU (distributor or its own
 * redistributor / banked registers)? */
bool gic_is_pending(unsigned vcpu, unsigned intid);
bool gic_is_enabled(unsigned vcpu, unsigned intid);
#endif
