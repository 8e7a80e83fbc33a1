/* A guest's view of the (virtual) GICv3: just enough to enable, send and
 * take interrupts. */
#ifndef GUEST_GICV3_H
#define GUEST_GICV3_H
#include <stdint.h>

#define GUEST_GICD 0x08000000UL
#define GUEST_GICR 0x080a0000UL

void gic_init_distributor(void);
void gic_init_cpu(unsigned vcpu);                    /* redistributor + CPU interface */
void gic_enable(unsigned vcpu, unsigned intid, uint8_t priority);
void gic_send_sgi(unsigned target_vcpu, unsigned sgi);
uint32_t gic_ack(void);                              /* ICC_IAR1_EL1 */
void gic_eoi(uint32_t iar);                          /* ICC_EOIR1_EL1 */
#endif
