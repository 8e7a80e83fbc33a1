/* GIC register layout: GICv3 (Arm IHI 0069) and GICv2 (Arm IHI 0048). */
#ifndef LULL_GIC_REGS_H
#define LULL_GIC_REGS_H

/* Distributor (both versions). */
#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_ICPENDR     0x0280
#define GICD_ISACTIVER   0x0300
#define GICD_ICACTIVER   0x0380
#define GICD_IPRIORITYR  0x0400
#define GICD_ITARGETSR   0x0800
#define GICD_ICFGR       0x0c00
#define GICD_IGRPMODR    0x0d00
#define GICD_SGIR        0x0f00
#define GICD_IROUTER     0x6000
#define GICD_TYPER_LINES(t) ((((t) & 0x1f) + 1) * 32)

/* GICD_CTLR, GICv3 with two Security states, Secure view (IHI 0069 12.9.4). */
#define GICD_CTLR_S_GRP0    (1U << 0)
#define GICD_CTLR_S_GRP1NS  (1U << 1)
#define GICD_CTLR_S_GRP1S   (1U << 2)
#define GICD_CTLR_S_ARE_S   (1U << 4)
#define GICD_CTLR_S_ARE_NS  (1U << 5)
/* Non-secure view. */
#define GICD_CTLR_NS_GRP1   (1U << 1)
#define GICD_CTLR_NS_ARE    (1U << 4)
#define GICD_CTLR_RWP       (1U << 31)

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB above. */
#define GICR_CTLR        0x0000
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_SGI_BASE    0x10000
#define GICR_FRAME_SIZE  0x20000
#define GICR_TYPER_LAST  (1ULL << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
/* SGI_base frame offsets are the distributor's for the first 32 INTIDs. */
#define GICR_ICFGR1      0x0c04

/* GICv2 CPU interface. */
#define GICC_CTLR        0x0000
#define GICC_PMR         0x0004
#define GICC_BPR         0x0008
#define GICC_IAR         0x000c
#define GICC_EOIR        0x0010
#define GICC_ABPR        0x001c
#define GICC_APR0        0x00d0
#define GICC_NSAPR0      0x00e0
#define GICC_DIR         0x1000
#define GICC_CTLR_S_GRP0    (1U << 0)
#define GICC_CTLR_S_GRP1    (1U << 1)
#define GICC_CTLR_NS_GRP1   (1U << 0)
#define GICC_CTLR_NS_EOIMODE (1U << 9)

/* GICv2 virtual interface control (GICH). */
#define GICH_HCR         0x0000
#define GICH_VTR         0x0004
#define GICH_VMCR        0x0008
#define GICH_APR         0x00f0
#define GICH_LR0         0x0100

#define GIC_INTID_SPURIOUS 1020
#define GIC_NR_PRIVATE     32
#define GIC_MAX_SPI        1020

/* SGI the rig firmware keeps for itself (Group 0, Secure) to wake parked
 * cores. The hypervisor must never use it. */
#define GIC_SGI_FIRMWARE   15
#endif
