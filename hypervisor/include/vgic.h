/* Virtual GICv3 (Arm IHI 0069): an emulated distributor and
 * redistributors per domain, the CPU interface in hardware (ICH_* list
 * registers). All virtual interrupt state of a domain is guarded by its
 * vgic lock; a vCPU's list registers are touched only on its own CPU. */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H
#include <stdbool.h>
#include <stdint.h>
#include <lull/spinlock.h>

#define VGIC_NR_INTIDS  128          /* SGIs, PPIs and 96 SPIs */
#define VGIC_MAX_LRS    16

struct vcpu;
struct domain;

struct virq {
	uint8_t priority;
	bool enabled, edge, pending_latch, level, active, in_lr;
	bool hw;                         /* a passed-through physical SPI */
	uint8_t target;                  /* SPIs: the vCPU it is routed to */
	uint64_t irouter;                /* SPIs: as the guest wrote it */
};

struct vgic_cpu {
	struct virq priv[32];
	uint64_t lr[VGIC_MAX_LRS];
	unsigned used_lrs;
	uint64_t vmcr, ap0r0, ap1r0, hcr;
	bool sleeping;                   /* GICR_WAKER.ProcessorSleep */
	bool dirty;                      /* interrupt state changed: refill LRs */
};

struct vgic_dist {
	spinlock_t lock;
	uint32_t ctlr;
	struct virq spi[VGIC_NR_INTIDS - 32];
};

void vgic_init(void);                       /* boot: list register count */
void vgic_domain_init(struct domain *d);    /* register the MMIO frames */
void vgic_domain_reset(struct domain *d);
void vgic_vcpu_reset(struct vcpu *v);
/* Make an interrupt pending for a domain (SPI) or one vCPU (SGI/PPI); wakes
 * the vCPU it is for. `level` for level-triggered sources. */
void vgic_inject(struct domain *d, struct vcpu *v, unsigned intid, bool level);
bool vgic_vcpu_has_pending(struct vcpu *v);
/* Give the domain the physical SPI `intid` (boot, for passed-through
 * devices): it arrives as the same virtual INTID. */
void vgic_passthrough_spi(struct domain *d, unsigned intid);
/* Around every guest entry/exit on the vCPU's own CPU. */
void vgic_flush(struct vcpu *v);
void vgic_sync(struct vcpu *v);
void vgic_load(struct vcpu *v);
void vgic_put(struct vcpu *v);
/* A trapped ICC_* system register access (EC 0x18): true if handled. */
bool vgic_sysreg_trap(struct vcpu *v, uint64_t esr);
#endif
