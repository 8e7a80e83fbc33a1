/* The CPU view of each domain, on the hardware side (include/cpu_view.h):
 * every CPU records its ID registers and longest SVE vector length when it
 * arrives; once the boot CPUs are online, each domain's view is computed
 * as the intersection over the CPUs its vCPUs run on, narrowed by its
 * configuration, and never changes again (core/cpu_features.c has the
 * rules). The vCPUs of the secondary CPUs wait for it. A CPU that arrives
 * later must offer every view of the domains it runs, or it is rejected.
 * The trapped ID registers (HCR_EL2.TID3, TID1, TID5) are emulated here
 * from the view. */
#include <lull/format.h>
#include "cpu_features.h"
#include "cpu_view.h"
#include "domain.h"
#include "fpsimd.h"
#include "el2_regs.h"
#include "gic.h"
#include "hyp.h"
#include "percpu.h"
#include "sysreg_trap.h"
#include "timer.h"
#include "vcpu.h"
#include "vgic.h"


static uint64_t raw[MAX_CPUS][IDREG_NR];
static unsigned raw_vq[MAX_CPUS];
static bool recorded[MAX_CPUS];
/* This CPU's registers as when it was last found to support every
 * domain's view (cpu_views_supported_here): nothing to check again. */
static bool unchanged[MAX_CPUS], supported[MAX_CPUS];
static volatile bool views_ready;
bool cpu_has_sme, cpu_has_mte2, cpu_has_amu;

/* Every register of the ID space (op0 3, op1 0, CRn 0, CRm 1-7), straight
 * line: this runs on every CPU arrival, host resume included. */
#define IDREG(crm, op2) out[IDREG_INDEX(crm, op2)] = read_sysreg(S3_0_C0_C##crm##_##op2)
#define IDREG_ROW(crm) do { IDREG(crm, 0); IDREG(crm, 1); IDREG(crm, 2); IDREG(crm, 3); \
			    IDREG(crm, 4); IDREG(crm, 5); IDREG(crm, 6); IDREG(crm, 7); } while (0)
/* The same, compared with what was recorded: non-zero if any differs. */
#define IDCMP(crm, op2) diff |= read_sysreg(S3_0_C0_C##crm##_##op2) ^ was[IDREG_INDEX(crm, op2)]
#define IDCMP_ROW(crm) do { IDCMP(crm, 0); IDCMP(crm, 1); IDCMP(crm, 2); IDCMP(crm, 3); \
			    IDCMP(crm, 4); IDCMP(crm, 5); IDCMP(crm, 6); IDCMP(crm, 7); } while (0)
static uint64_t idregs_differ(const uint64_t was[IDREG_NR])
{
	uint64_t diff = 0;

	IDCMP_ROW(1);
	IDCMP_ROW(2);
	IDCMP_ROW(3);
	IDCMP_ROW(4);
	IDCMP_ROW(5);
	IDCMP_ROW(6);
	IDCMP_ROW(7);
	return diff;
}

static void read_idregs(uint64_t out[IDREG_NR])
{
	IDREG_ROW(1);
	IDREG_ROW(2);
	IDREG_ROW(3);
	IDREG_ROW(4);
	IDREG_ROW(5);
	IDREG_ROW(6);
	IDREG_ROW(7);
}

void cpu_view_record_this_cpu(void)
{
	unsigned id = this_cpu_id();
	bool same = recorded[id] && !idregs_differ(raw[id]);

	if (!same)
		read_idregs(raw[id]);
	/* The same CPU back (a resume, a re-online) with the same registers
	 * was checked on an earlier arrival: what follows would find the same
	 * again, at a few thousand instructions on every CPU's return. */
	unchanged[id] = same && supported[id];
	if (unchanged[id])
		return;
	raw_vq[id] = idfield(raw[id][ID_AA64PFR0], 32) ? fpsimd_sve_probe_vq() : 0;
	recorded[id] = true;
	if (id == 0) {
		cpu_has_sme = idfield(raw[0][ID_AA64PFR1], 24) != 0;
		cpu_has_mte2 = idfield(raw[0][ID_AA64PFR1], 8) >= 2;
		cpu_has_amu = idfield(raw[0][ID_AA64PFR0], 44) != 0;
	}
}

unsigned cpu_view_boot_sve_vq(void)
{
	return raw_vq[0];
}

static void describe(const struct domain *d)
{
	char hidden[160] = "";
	size_t n = 0;

	for (unsigned b = 0; cpu_feature_name(b); b++)
		if (d->cfg.cpu_hide >> b & 1)
			n += (size_t)snprintf(hidden + n, n < sizeof(hidden) ? sizeof(hidden) - n : 0,
					      " %s", cpu_feature_name(b));
	printk("domain %s: CPU view: SVE %u bits, pointer authentication %s, hidden by"
	       " configuration:%s", d->cfg.name, d->cpu.sve_vq * 128, d->cpu.pauth ? "yes" : "no",
	       n ? hidden : " none");
}

void cpu_views_finalise(void)
{
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];
		bool any = false;

		for (unsigned k = 0; k < d->cfg.nvcpus; k++) {
			unsigned p = d->cfg.vcpu_pcpu[k];
			struct cpu_view cv;

			if (p >= MAX_CPUS || !recorded[p])
				continue;    /* not online: checked when it arrives */
			cpu_view_from_cpu(&cv, raw[p], raw_vq[p]);
			if (!any)
				d->cpu = cv;
			else
				cpu_view_intersect(&d->cpu, &cv);
			any = true;
		}
		if (!any)
			cpu_view_from_cpu(&d->cpu, raw[0], raw_vq[0]);
		cpu_view_hide(&d->cpu, d->cfg.cpu_hide,
			      d->sve_alloc_vq < d->cfg.sve_max_vq ? d->sve_alloc_vq : d->cfg.sve_max_vq);
		/* ID_AA64PFR0_EL1.GIC says what the domain's interrupt
		 * controller is, not the CPU's: the system-register CPU
		 * interface exists for it only with a virtual GICv3 (some
		 * QEMU models say 1 on a GICv2 machine, whose ICC_* accesses
		 * are then UNDEF). */
		d->cpu.id[ID_AA64PFR0] &= ~(0xfULL << 24);
		if (vgic_present() && gic.version == 3)
			d->cpu.id[ID_AA64PFR0] |= 1ULL << 24;
		d->hcr = el2_hcr_guest | HCR_TID1 | HCR_TID3 | (cpu_has_mte2 ? HCR_TID5 : 0) |
			 (d->cpu.pauth ? HCR_API | HCR_APK : 0);
		describe(d);
	}
	dsb(sy);
	views_ready = true;
	dsb(sy);
	sev();
}

void cpu_views_wait(void)
{
	while (!views_ready) {
		irq_enable();     /* cross-calls and kicks meanwhile */
		irq_disable();
		wfe();            /* the timer event stream bounds it */
	}
}

bool cpu_views_supported_here(char *why, size_t size)
{
	unsigned id = this_cpu_id();
	struct cpu_view cv;

	if (!views_ready)
		return true;      /* boot: the views are made from this CPU */
	if (unchanged[id])
		return true;
	cpu_view_from_cpu(&cv, raw[id], raw_vq[id]);
	for (unsigned i = 0; i < nr_domains; i++) {
		const struct domain *d = &domains[i];
		for (unsigned k = 0; k < d->cfg.nvcpus; k++) {
			char w[96];
			if (d->cfg.vcpu_pcpu[k] != id || cpu_view_supported_by(&d->cpu, &cv, w, sizeof(w)))
				continue;
			snprintf(why, size, "domain %s: %s", d->cfg.name, w);
			supported[id] = false;
			return false;
		}
	}
	supported[id] = true;
	return true;
}

/* The key's fields (include/sysreg_trap.h). */
#define K_OP0(k) (((k) >> 20) & 3)
#define K_OP2(k) (((k) >> 17) & 7)
#define K_OP1(k) (((k) >> 14) & 7)
#define K_CRN(k) (((k) >> 10) & 15)
#define K_CRM(k) (((k) >> 1) & 15)

enum sysreg_result cpu_view_sysreg_access(struct vcpu *v, const struct sysreg_access *a)
{
	uint32_t k = a->key;

	/* The ID space (TID3): Arm ARM D17.2, op0=3, op1=0, CRn=0,
	 * CRm=1-7; unallocated encodings read as zero. Read-only. */
	if (K_OP0(k) == 3 && K_OP1(k) == 0 && K_CRN(k) == 0 && K_CRM(k) >= 1 && K_CRM(k) <= 7) {
		if (!a->read)
			return SYSREG_UNDEF;
		sysreg_set_result(v, a, v->dom->cpu.id[IDREG_INDEX(K_CRM(k), K_OP2(k))]);
		return SYSREG_DONE;
	}
	switch (k) {
	case SYSREG_KEY(3, 0, 0, 0, 6):   /* REVIDR_EL1 (TID1): the host's, as MIDR is */
		if (!a->read)
			return SYSREG_UNDEF;
		sysreg_set_result(v, a, read_sysreg(revidr_el1));
		return SYSREG_DONE;
	case SYSREG_KEY(3, 1, 0, 0, 7):   /* AIDR_EL1 (TID1): IMPLEMENTATION DEFINED, 0 */
		if (!a->read)
			return SYSREG_UNDEF;
		sysreg_set_result(v, a, 0);
		return SYSREG_DONE;
	case SYSREG_KEY(3, 1, 0, 0, 6):   /* SMIDR_EL1 (TID1): SME is hidden */
	case SYSREG_KEY(3, 1, 0, 0, 4):   /* GMID_EL1 (TID5): MTE is hidden */
	case SYSREG_KEY(3, 0, 1, 0, 5):   /* RGSR_EL1  } trapped while HCR_EL2.ATA */
	case SYSREG_KEY(3, 0, 1, 0, 6):   /* GCR_EL1   } is 0: MTE is hidden */
	case SYSREG_KEY(3, 0, 5, 6, 0):   /* TFSR_EL1  } */
	case SYSREG_KEY(3, 0, 5, 6, 1):   /* TFSRE0_EL1 } */
		return SYSREG_UNDEF;
	default:
		return SYSREG_NOT_MINE;
	}
}
