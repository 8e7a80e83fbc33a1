/* Virtual GIC: the guest sees the host's GIC version. GICv3 (Arm IHI 0069):
 * emulated distributor and redistributors, CPU interface in hardware
 * (ICH_* system registers). GICv2 (Arm IHI 0048): emulated distributor,
 * the GICV frame mapped at the guest's GICC address (GICH list registers).
 * One interrupt model serves both (vgic.c); the list registers are behind
 * a small per-version interface (vgic_cpuif.h).
 * Locking: all virtual interrupt state of a domain is guarded by its vgic
 * lock; a vCPU's list registers are touched only on its own CPU. */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H
#include <stddef.h>
#include "sysreg_trap.h"
#include <stdbool.h>
#include <stdint.h>
#include <lull/spinlock.h>

/* INTIDs a domain's distributor implements (GICD_TYPER.ITLinesNumber):
 * at least VGIC_MIN_INTIDS, more when a passed-through device's SPI is
 * higher, or as its configuration says (lull,vgic-intids); at most the
 * architecture's 1020 (IHI 0069 2.2: 1020-1023 are special). */
#define VGIC_MIN_INTIDS 128
#define VGIC_MAX_INTIDS 1020
#define VGIC_MAX_WORDS  ((VGIC_MAX_INTIDS + 31) / 32)
#define VGIC_MAX_LRS    8

struct vcpu;
struct domain;
struct domain_config;

struct virq {
	uint8_t priority;
	bool enabled, edge, pending_latch, level, active, in_lr;
	uint8_t lr_vcpu;                 /* in_lr: whose list register */
	bool lr_pending;                 /* in_lr: went in as pending */
	uint8_t deferred;                /* pending/active writes waiting for
	                                  * that vCPU's sync (vgic_defer_write) */
	bool hw;                         /* a passed-through physical SPI */
	uint8_t target;                  /* SPIs: the vCPU it is routed to */
	uint8_t sgi_sources;             /* SGIs: a bit per sending vCPU (GICv2) */
	uint8_t targets;                 /* SPIs, GICv2: GICD_ITARGETSR as written */
	uint64_t irouter;                /* SPIs, GICv3: GICD_IROUTER as written */
};

struct vgic_cpu {
	struct virq priv[32];
	unsigned used_lrs;
	/* Interrupts for this vCPU that are active, or pending and enabled:
	 * the only ones the list-register refill and the WFI check look at. */
	uint32_t cand[VGIC_MAX_WORDS];
	/* The CPU interface's saved state: v3 ICH_VMCR_EL2, ICH_AP0R0_EL2,
	 * ICH_AP1R0_EL2; v2 GICH_VMCR, GICH_APR. */
	uint64_t vmcr, apr[2];
	bool sleeping;                   /* GICR_WAKER.ProcessorSleep */
	bool dirty;                      /* interrupt state changed: refill LRs */
};

struct vgic_dist {
	spinlock_t lock;
	uint32_t ctlr;                   /* GICD_CTLR as the guest sees it */
	bool enabled;                    /* forwarding its (only) group */
	unsigned nr_intids;              /* INTIDs [0, nr_intids) exist */
	uint32_t itlines;                /* GICD_TYPER.ITLinesNumber for it */
	unsigned words;                  /* 32-INTID words: bitmap loops */
	struct virq *spi;                /* nr_intids - 32 of them (page_alloc) */
};

/* How many INTIDs the domain's virtual distributor has (see above). */
unsigned vgic_domain_intids(const struct domain_config *c);
static inline unsigned vgic_words(const struct vgic_dist *g)
{
	return g->words;
}

void vgic_init(void);                       /* boot: pick the CPU interface */
struct vgic_cpuif;
extern const struct vgic_cpuif *vgic_cpuif;  /* NULL: no virtualization support */
static inline bool vgic_present(void)
{
	return vgic_cpuif != NULL;
}
/* Size the distributor, allocate its SPIs, register the MMIO frames
 * (boot); then vgic_domain_reset. */
void vgic_domain_init(struct domain *d);
void vgic_domain_reset(struct domain *d);
void vgic_vcpu_reset(struct vcpu *v);
/* Make an interrupt pending for a domain (SPI) or one vCPU (SGI/PPI); wakes
 * the vCPU it is for. `level` for level-triggered sources. */
void vgic_inject(struct domain *d, struct vcpu *v, unsigned intid, bool level);
/* An SGI from vCPU `from` to vCPU `to` of the same domain. */
void vgic_send_sgi(struct vcpu *from, struct vcpu *to, unsigned sgi);
/* WFI: block v unless an interrupt is deliverable to it; true if blocked. */
bool vgic_vcpu_block(struct vcpu *v);
/* An interrupt that would end a WFI of v now, or -1. */
int vgic_vcpu_pending(struct vcpu *v);
/* The passed-through SPIs d has enabled (its wake-up sources for a host
 * suspend): their bits set in bitmap; returns how many. */
unsigned vgic_enabled_passthrough(struct domain *d, uint32_t *bitmap);
/* How many interrupts could wake v (enabled, routed to it). */
unsigned vgic_vcpu_wake_sources(struct vcpu *v);
/* Give the domain the physical SPI `intid` (boot, for passed-through
 * devices): it arrives as the same virtual INTID. */
void vgic_passthrough_spi(struct domain *d, unsigned intid);
/* Around every guest entry/exit on the vCPU's own CPU. */
void vgic_flush(struct vcpu *v);
void vgic_sync(struct vcpu *v);
void vgic_load(struct vcpu *v);
void vgic_put(struct vcpu *v);
/* The trapped ICC_* system registers (GICv3 SGIs): a sysreg_trap emulator. */
enum sysreg_result vgic_sysreg_access(struct vcpu *v, const struct sysreg_access *a);
#endif
