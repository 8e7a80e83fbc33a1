/* GICv3 list registers and virtual CPU interface (IHI 0069 12.4). */
#include "hyp.h"
#include "vgic.h"
#include "vgic_cpuif.h"

#define ICH_HCR_EL2   S3_4_C12_C11_0
#define ICH_VTR_EL2   S3_4_C12_C11_1
#define ICH_VMCR_EL2  S3_4_C12_C11_7
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EN    BIT(0)
#define ICH_HCR_UIE   BIT(1)

/* ICH_LR<n>_EL2 (IHI 0069 12.4.6): vINTID [31:0], pINTID [41:32] when HW,
 * else EOI [41]; Priority [55:48]; Group [60]; HW [61]; State [63:62]. */
#define LR_PENDING     (1ULL << 62)
#define LR_ACTIVE      (1ULL << 63)
#define LR_HW          BIT(61)
#define LR_GROUP1      BIT(60)
#define LR_EOI         BIT(41)
#define LR_PRIO_SHIFT  48
#define LR_PINTID_SHIFT 32

static uint64_t read_raw(unsigned i)
{
	switch (i) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	default: return 0;
	}
}

static void write_raw(unsigned i, uint64_t v)
{
	switch (i) {
	case 0: write_sysreg(v, S3_4_C12_C12_0); break;
	case 1: write_sysreg(v, S3_4_C12_C12_1); break;
	case 2: write_sysreg(v, S3_4_C12_C12_2); break;
	case 3: write_sysreg(v, S3_4_C12_C12_3); break;
	case 4: write_sysreg(v, S3_4_C12_C12_4); break;
	case 5: write_sysreg(v, S3_4_C12_C12_5); break;
	case 6: write_sysreg(v, S3_4_C12_C12_6); break;
	case 7: write_sysreg(v, S3_4_C12_C12_7); break;
	default: break;
	}
}

static unsigned v3_nr_lrs(void)
{
	return (unsigned)(read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
}

static void v3_write_lr(unsigned i, const struct vgic_lr *l)
{
	uint64_t v = l->intid | ((uint64_t)l->priority << LR_PRIO_SHIFT) | LR_GROUP1 |
		     (l->pending ? LR_PENDING : 0) | (l->active ? LR_ACTIVE : 0);

	if (l->hw)
		v |= LR_HW | ((uint64_t)l->intid << LR_PINTID_SHIFT);
	else if (l->eoi)
		v |= LR_EOI;
	write_raw(i, v);
}

static void v3_read_lr(unsigned i, struct vgic_lr *l)
{
	uint64_t v = read_raw(i);

	*l = (struct vgic_lr){
		.intid = (unsigned)(v & 0xffffffff),
		.priority = (uint8_t)(v >> LR_PRIO_SHIFT),
		.pending = (v & LR_PENDING) != 0,
		.active = (v & LR_ACTIVE) != 0,
		.hw = (v & LR_HW) != 0,
	};
}

static void v3_clear_lr(unsigned i)
{
	write_raw(i, 0);
}

static void v3_enable(bool underflow)
{
	write_sysreg(ICH_HCR_EN | (underflow ? ICH_HCR_UIE : 0), ICH_HCR_EL2);
	isb();
}

static void v3_load(const struct vgic_cpu *c)
{
	write_sysreg(c->vmcr, ICH_VMCR_EL2);
	write_sysreg(c->apr[0], ICH_AP0R0_EL2);
	write_sysreg(c->apr[1], ICH_AP1R0_EL2);
	write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	isb();
}

static void v3_save_and_disable(struct vgic_cpu *c)
{
	c->vmcr = read_sysreg(ICH_VMCR_EL2);
	c->apr[0] = read_sysreg(ICH_AP0R0_EL2);
	c->apr[1] = read_sysreg(ICH_AP1R0_EL2);
	write_sysreg(0, ICH_HCR_EL2);
	isb();
}

const struct vgic_cpuif vgic_v3_cpuif = {
	.nr_lrs = v3_nr_lrs,
	.write_lr = v3_write_lr,
	.read_lr = v3_read_lr,
	.clear_lr = v3_clear_lr,
	.enable = v3_enable,
	.load = v3_load,
	.save_and_disable = v3_save_and_disable,
};
