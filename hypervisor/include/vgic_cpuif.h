/* The hardware side of the virtual GIC: list registers and the virtual
 * CPU interface's control registers, one implementation per GIC version
 * (GICv3: ICH_* system registers, IHI 0069 12.4; GICv2: the GICH frame,
 * IHI 0048 5.3). Called only on the CPU that runs the vCPU. */
#ifndef HYP_VGIC_CPUIF_H
#define HYP_VGIC_CPUIF_H
#include <stdbool.h>
#include <stdint.h>

struct vgic_cpu;

/* One list register, version independent. */
struct vgic_lr {
	unsigned intid;
	uint8_t priority;
	uint8_t source;       /* GICv2 SGIs: the sending vCPU */
	bool pending, active;
	bool hw;              /* linked to physical INTID `intid`: the guest's
	                       * deactivation deactivates it */
	bool eoi;             /* maintenance interrupt when deactivated (not hw) */
};

struct vgic_cpuif {
	unsigned (*nr_lrs)(void);
	void (*write_lr)(unsigned i, const struct vgic_lr *lr);
	void (*read_lr)(unsigned i, struct vgic_lr *lr);
	void (*clear_lr)(unsigned i);
	/* Enable the virtual interface; `underflow`: maintenance interrupt
	 * when at most one list register is valid (more are waiting). */
	void (*enable)(bool underflow);
	void (*load)(const struct vgic_cpu *c);
	void (*save_and_disable)(struct vgic_cpu *c);
};

extern const struct vgic_cpuif vgic_v3_cpuif, vgic_v2_cpuif;
#endif
