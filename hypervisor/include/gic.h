/* Physical GIC driver: one interface, two implementations (GICv3 with
 * system registers and redistributors, GICv2 with MMIO CPU interface),
 * chosen from the device tree at boot. The hypervisor runs with EOImode 1:
 * priority drop and deactivation are separate, so that interrupts passed
 * to guests can later be deactivated by the guest (hardware deactivation). */
#ifndef HYP_GIC_H
#define HYP_GIC_H
#include <stdbool.h>
#include <stdint.h>

struct percpu;

struct gic_desc {
	unsigned version;
	uintptr_t gicd, gicr, gicc, gich, gicv;
	unsigned lines;            /* INTIDs the distributor implements */
};

struct gic_ops {
	void (*dist_init)(void);
	void (*cpu_init)(struct percpu *c);
	void (*cpu_teardown)(struct percpu *c);
	void (*enable)(unsigned intid, bool on);
	void (*configure)(unsigned intid, uint8_t priority, bool edge);
	void (*route)(unsigned intid, const struct percpu *target);
	void (*send_sgi)(const struct percpu *target, unsigned sgi);
	uint32_t (*ack)(void);
	void (*priority_drop)(uint32_t iar);
	void (*deactivate)(uint32_t iar);
	bool (*pending)(unsigned intid);
	bool (*enabled)(unsigned intid);
	void (*clear_active)(unsigned intid);   /* an SPI, from any CPU */
};

#define GIC_DEFAULT_PRIORITY 0xa0

/* Disable, clear pending and active, and give the default priority to
 * INTIDs [first, end) of a block in distributor layout (a distributor, or
 * a GICv3 SGI frame / the GICv2 banked registers for 0-31). */
void gic_quiesce_intids(uintptr_t base, unsigned first, unsigned end);
/* Set an SPI pending at the distributor (GICD_ISPENDR, the same offset on
 * both versions). */
void gic_set_pending_spi(unsigned intid);

/* Host suspend (drivers/gic.c): the state of a block of INTIDs in
 * distributor layout (a distributor, a GICv3 SGI frame, or the GICv2
 * banked registers of INTIDs 0-31), saved before the machine powers down
 * and written back on resume: enables, pending and active states (an edge
 * or a software pend would otherwise be lost, and a guest's linked SPI
 * would no longer be active when it deactivates it), priorities,
 * edge/level. Groups belong to the firmware (Secure registers). */
struct gic_block_state {
	uint32_t enable[32], pending[32], active[32], cfg[64];
	uint8_t priority[1024];
};
void gic_block_save(uintptr_t base, unsigned first, unsigned end, struct gic_block_state *s);
/* Writes everything but the enables, which go last (gic_block_enable). */
void gic_block_restore(uintptr_t base, unsigned first, unsigned end,
		       const struct gic_block_state *s);
void gic_block_enable(uintptr_t base, unsigned first, unsigned end,
		      const struct gic_block_state *s);

extern struct gic_desc gic;
extern const struct gic_ops *gic_ops;
extern const struct gic_ops gicv3_ops, gicv2_ops;

static inline unsigned gic_intid(uint32_t iar)
{
	return iar & 0xffffff & (gic.version == 2 ? 0x3ff : 0xffffff);
}
#endif
