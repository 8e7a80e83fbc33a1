/* Self-hosted debug for guests: the debug System registers of each vCPU
 * (Arm ARM D2 "AArch64 Self-hosted Debug", registers in D17.3).
 *
 * Linux writes OSLAR_EL1 and every breakpoint and watchpoint register at
 * each CPU boot and reads MDSCR_EL1, so these registers must work; but
 * they are per physical CPU, and two vCPUs (of one domain or two) share
 * one. So every guest access traps (MDCR_EL2.TDA, TDOSA, TDRA) and is
 * served from the vCPU's own copy (struct vcpu_debug); reads never see
 * the hardware. The hardware holds a vCPU's breakpoints, watchpoints and
 * MDSCR_EL1 only while that vCPU runs with debugging enabled (MDSCR_EL1
 * MDE, KDE or SS set, OS lock and double lock clear): its breakpoints,
 * watchpoints and single step then work as on hardware, their exceptions
 * taken by the guest itself (MDCR_EL2.TDE clear: the debug target is
 * EL1). A vCPU without debugging enabled runs with MDSCR_EL1 clear, which
 * disables breakpoint, watchpoint and step exceptions whatever the other
 * registers hold (D2.1.2, D2.10.2), so a previous vCPU's values are inert.
 * The hypervisor is never affected: debug exceptions whose target (EL1)
 * is below the current EL are not generated at EL2 (D2.1.4), and the
 * hardware copies are written with HMC clear (no EL2 matching).
 *
 * The OS lock and double lock are emulated per vCPU: locked, they disable
 * the vCPU's debug events (as D2.5 says for the OS lock), by keeping its
 * state out of the hardware. The hardware OS lock is open on every CPU.
 * The debug communications channel (MDCCSR_EL0, DBGDTR*) has no external
 * debugger behind it: RAZ/WI, so it cannot carry data between vCPUs. */
#include "debug_regs.h"
#include "domain.h"
#include "hyp.h"
#include "vcpu.h"

#define MDSCR_SS    BIT(0)
#define MDSCR_TDCC  BIT(12)
#define MDSCR_KDE   BIT(13)
#define MDSCR_HDE   BIT(14)
#define MDSCR_MDE   BIT(15)
/* What the guest may set (and reads back); HDE (halting debug) is kept
 * but never reaches the hardware: there is no external debugger. */
#define MDSCR_GUEST (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_HDE | MDSCR_MDE)
#define MDSCR_HW    (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE)

/* DBGBCR: BT, LBN, SSC, HMC, BAS, PMC, E. DBGWCR: MASK, WT, LBN, SSC,
 * HMC, BAS, LSC, PAC, E (D17.3.4, D17.3.11). */
#define BCR_MASK    0x00ffe1e7ULL
#define WCR_MASK    0x1f1fffffULL
#define XCR_HMC     BIT(13)

/* OSLSR_EL1: OSLM = 0b10 (the OS lock is implemented), OSLK [1]. */
#define OSLSR_OSLM  BIT(3)

static unsigned nr_bps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned nr_wps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

#define HW_CASES(op, reg, val)                                                 \
	switch (n) {                                                           \
	case 0: op(val, reg##0_el1); break;   case 1: op(val, reg##1_el1); break;   \
	case 2: op(val, reg##2_el1); break;   case 3: op(val, reg##3_el1); break;   \
	case 4: op(val, reg##4_el1); break;   case 5: op(val, reg##5_el1); break;   \
	case 6: op(val, reg##6_el1); break;   case 7: op(val, reg##7_el1); break;   \
	case 8: op(val, reg##8_el1); break;   case 9: op(val, reg##9_el1); break;   \
	case 10: op(val, reg##10_el1); break; case 11: op(val, reg##11_el1); break; \
	case 12: op(val, reg##12_el1); break; case 13: op(val, reg##13_el1); break; \
	case 14: op(val, reg##14_el1); break; case 15: op(val, reg##15_el1); break; \
	}

static void hw_bp(unsigned n, uint64_t bvr, uint64_t bcr)
{
	HW_CASES(write_sysreg, dbgbvr, bvr);
	HW_CASES(write_sysreg, dbgbcr, bcr & ~XCR_HMC);
}

static void hw_wp(unsigned n, uint64_t wvr, uint64_t wcr)
{
	HW_CASES(write_sysreg, dbgwvr, wvr);
	HW_CASES(write_sysreg, dbgwcr, wcr & ~XCR_HMC);
}

void debug_cpu_init(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	write_sysreg(0, mdscr_el1);
	write_sysreg(0, oslar_el1);                /* OS lock open */
	if (((dfr0 >> 36) & 0xf) == 0)             /* FEAT_DoubleLock */
		write_sysreg(0, osdlr_el1);
	for (unsigned n = 0; n < nr_bps(); n++)
		hw_bp(n, 0, 0);
	for (unsigned n = 0; n < nr_wps(); n++)
		hw_wp(n, 0, 0);
	write_sysreg(0, mdccint_el1);
	/* The claim tags (DBGCLAIM*) are left alone: they are for the
	 * debugger's and the OS's agreement, with no effect on the core, and
	 * QEMU 7.2 does not implement them at EL2. */
	isb();
}

void debug_vcpu_reset(struct vcpu *v)
{
	v->dbg = (struct vcpu_debug){ .oslk = true };   /* Cold reset: OSLK = 1 */
}

static bool wants_hw(const struct vcpu_debug *d)
{
	return !d->oslk && !d->osdlk && (d->mdscr & (MDSCR_SS | MDSCR_KDE | MDSCR_MDE));
}

void debug_load(struct vcpu *v)
{
	struct vcpu_debug *d = &v->dbg;

	d->live = wants_hw(d);
	if (d->live) {
		for (unsigned n = 0; n < nr_bps(); n++)
			hw_bp(n, d->bvr[n], d->bcr[n]);
		for (unsigned n = 0; n < nr_wps(); n++)
			hw_wp(n, d->wvr[n], d->wcr[n]);
		write_sysreg(d->mdscr & MDSCR_HW, mdscr_el1);
	} else {
		/* TDCC alone: the guest's EL0 still traps to it on the DCC. */
		write_sysreg(d->mdscr & MDSCR_TDCC, mdscr_el1);
	}
}

void debug_put(struct vcpu *v)
{
	(void)v;
	write_sysreg(0, mdscr_el1);   /* the next vCPU's debug events only */
}

#define KEY_OP0_2(op1, crn, crm, op2) SYSREG_KEY(2, op1, crn, crm, op2)
#define K_MDCCINT    KEY_OP0_2(0, 0, 2, 0)
#define K_MDSCR      KEY_OP0_2(0, 0, 2, 2)
#define K_OSDTRRX    KEY_OP0_2(0, 0, 0, 2)
#define K_OSDTRTX    KEY_OP0_2(0, 0, 3, 2)
#define K_OSECCR     KEY_OP0_2(0, 0, 6, 2)
#define K_MDRAR      KEY_OP0_2(0, 1, 0, 0)
#define K_OSLAR      KEY_OP0_2(0, 1, 0, 4)
#define K_OSLSR      KEY_OP0_2(0, 1, 1, 4)
#define K_OSDLR      KEY_OP0_2(0, 1, 3, 4)
#define K_DBGPRCR    KEY_OP0_2(0, 1, 4, 4)
#define K_CLAIMSET   KEY_OP0_2(0, 7, 8, 6)
#define K_CLAIMCLR   KEY_OP0_2(0, 7, 9, 6)
#define K_AUTHSTATUS KEY_OP0_2(0, 7, 14, 6)
#define K_MDCCSR     KEY_OP0_2(3, 0, 1, 0)
#define K_DBGDTR     KEY_OP0_2(3, 0, 4, 0)
#define K_DBGDTRRXTX KEY_OP0_2(3, 0, 5, 0)

/* A breakpoint or watchpoint register: op0 2, op1 0, CRn 0, CRm = n,
 * op2 4 (BVR), 5 (BCR), 6 (WVR), 7 (WCR). */
static enum sysreg_result bp_access(struct vcpu *v, const struct sysreg_access *a)
{
	struct vcpu_debug *d = &v->dbg;
	unsigned n = SYSREG_CRM(a->key), op2 = SYSREG_OP2(a->key);
	bool bp = op2 < 6;
	uint64_t *reg;

	if (n >= (bp ? nr_bps() : nr_wps()))
		return SYSREG_UNDEF;     /* not implemented: UNDEFINED */
	switch (op2) {
	case 4: reg = &d->bvr[n]; break;
	case 5: reg = &d->bcr[n]; break;
	case 6: reg = &d->wvr[n]; break;
	default: reg = &d->wcr[n]; break;
	}
	if (a->read) {
		sysreg_set_result(v, a, *reg);
		return SYSREG_DONE;
	}
	*reg = sysreg_write_value(v, a) & (op2 == 5 ? BCR_MASK : op2 == 7 ? WCR_MASK : ~0ULL);
	if (d->live) {
		if (bp)
			hw_bp(n, d->bvr[n], d->bcr[n]);
		else
			hw_wp(n, d->wvr[n], d->wcr[n]);
		isb();
	}
	return SYSREG_DONE;
}

enum sysreg_result debug_sysreg_access(struct vcpu *v, const struct sysreg_access *a)
{
	struct vcpu_debug *d = &v->dbg;
	uint64_t val = a->read ? 0 : sysreg_write_value(v, a);
	bool rearm = false;

	if (SYSREG_OP0(a->key) != 2 || (SYSREG_OP1(a->key) != 0 && SYSREG_OP1(a->key) != 3))
		return SYSREG_NOT_MINE;   /* op1 1: trace unit registers (sysreg_hidden.c) */
	if (SYSREG_OP1(a->key) == 0 && SYSREG_CRN(a->key) == 0 && SYSREG_OP2(a->key) >= 4)
		return bp_access(v, a);

	switch (a->key) {
	case K_MDSCR:
		if (a->read) {
			val = d->mdscr;
		} else {
			d->mdscr = val & MDSCR_GUEST;
			rearm = true;
		}
		break;
	case K_OSLAR:
		if (a->read)
			return SYSREG_UNDEF;
		d->oslk = val & 1;
		rearm = true;
		break;
	case K_OSLSR:
		if (!a->read)
			return SYSREG_UNDEF;
		val = OSLSR_OSLM | ((uint64_t)d->oslk << 1);
		break;
	case K_OSDLR:
		if (a->read)
			val = d->osdlk;
		else
			d->osdlk = val & 1;
		rearm = !a->read;
		break;
	case K_DBGPRCR:
		if (a->read)
			val = d->dbgprcr;
		else
			d->dbgprcr = val & 1;   /* CORENPDRQ: no effect on the core */
		break;
	case K_MDCCINT:
		if (a->read)
			val = d->mdccint;
		else
			d->mdccint = val & (BIT(29) | BIT(30));   /* TX, RX */
		break;
	case K_OSECCR:
		if (a->read)
			val = d->oseccr;
		else
			d->oseccr = val & 0xffffffffULL;
		break;
	case K_CLAIMSET:
		if (a->read)
			val = 0xff;             /* eight claim tags implemented */
		else
			d->claim |= (uint8_t)val;
		break;
	case K_CLAIMCLR:
		if (a->read)
			val = d->claim;
		else
			d->claim &= (uint8_t)~val;
		break;
	case K_MDRAR:                       /* no memory-mapped debug view */
	case K_MDCCSR:
	case K_AUTHSTATUS:
		if (!a->read)
			return SYSREG_UNDEF;
		/* DBGAUTHSTATUS: Non-secure invasive and non-invasive debug
		 * implemented and enabled (NSID = NSNID = 0b11). */
		val = a->key == K_AUTHSTATUS ? 0xf : 0;
		break;
	case K_OSDTRRX:
	case K_OSDTRTX:
	case K_DBGDTR:
	case K_DBGDTRRXTX:
		val = 0;                    /* no external debugger: RAZ/WI */
		break;
	default:
		return SYSREG_UNDEF;        /* nothing else in this space */
	}
	if (a->read)
		sysreg_set_result(v, a, val);
	else if (rearm) {
		debug_load(v);
		isb();
	}
	return SYSREG_DONE;
}
