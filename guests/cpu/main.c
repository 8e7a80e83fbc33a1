/* What a domain sees of the CPU (docs/guest-cpu.md), from inside: every
 * vCPU runs the same checks, and vCPUs (and domains) that share a
 * physical CPU hand it to each other (WFI on the virtual timer) between
 * filling and checking their registers, so every round crosses a vCPU
 * switch.
 *   ID registers: the whole ID space (op0=3, op1=0, CRn=0, CRm=1-7) read
 *     on every vCPU: identical; PMU, trace, SPE, TRBE, BRBE, AMU, MPAM,
 *     RAS, LORegions, MTE, SME, AArch32 absent; SVE and pointer
 *     authentication as expected.
 *   SVE (bootarg sve=<bits>, the domain's longest vector length; 0: none):
 *     each vCPU its own ZCR_EL1 length (even vCPUs the longest, odd ones
 *     half), Z0-Z31, P0-P15 and FFR filled with a pattern of (seed, vCPU,
 *     round), FPCR too; after the yield all must be back, RDVL unchanged.
 *     Without SVE: RDVL and ZCR_EL1 are UNDEF.
 *   Pointer authentication (bootarg pauth=1): the five keys set to a
 *     pattern of (seed, vCPU, round), PACGA's result with them; both the
 *     same after the yield. pauth=0: the key registers are UNDEF.
 *   UNDEF: SMSTART, SMIDR_EL1, SMCR_EL1, SMPRI_EL1 (SME) and GCR_EL1,
 *     RGSR_EL1, TFSR_EL1, GMID_EL1 (MTE), a write to an ID register.
 *   TPIDR2_EL0 (bootarg tpidr2=1, CPUs with FEAT_SME): a pattern of
 *     (seed, vCPU, round), the same after the yield.
 * bootargs: rounds=N (default 2000), seed=N, aes=0 (expect AES hidden).
 * Prints "cpu: PASS ..." or "cpu: FAIL ...", then SYSTEM_OFF. */
#include <string.h>
#include <lull/arch.h>
#include <lull/format.h>
#include "gic.h"
#include "guest.h"

#define MAXV     GUEST_MAX_VCPUS
#define IDREG_NR 56
#define VLMAX    256                /* bytes: 2048 bits */

void cpu_sve_load(const void *z, const void *p, const void *ffr);
void cpu_sve_store(void *z, void *p, void *ffr);
uint64_t cpu_sve_vl(void);
void cpu_pauth_set(const uint64_t k[10]);
void cpu_pauth_get(uint64_t k[10]);
uint64_t cpu_pacga(uint64_t a, uint64_t b);
void cpu_try_smstart(void), cpu_try_smidr(void), cpu_try_smcr(void);
void cpu_try_gcr(void), cpu_try_rgsr(void), cpu_try_tfsr(void), cpu_try_gmid(void);
void cpu_try_rdvl(void), cpu_try_zcr(void), cpu_try_apiakey(void), cpu_try_idwrite(void);

static unsigned nvcpus, rounds, sve_bits, seed;
static bool pauth, check_aes, tpidr2;
#define TPIDR2_EL0 S3_3_C13_C0_5    /* FEAT_SME's; switched even with SME hidden */
static uint64_t ids[MAXV][IDREG_NR];
static volatile unsigned done[MAXV];
static volatile unsigned undefs[MAXV];
static char why[MAXV][160];
static uint8_t zin[MAXV][32 * VLMAX], zout[MAXV][32 * VLMAX];
static uint8_t pin[MAXV][16 * VLMAX / 8], pout[MAXV][16 * VLMAX / 8];
static uint8_t fin[MAXV][VLMAX / 8], fout[MAXV][VLMAX / 8];
static unsigned vl_seen[MAXV];

/* Give the physical CPU away: sleep in WFI until this vCPU's virtual
 * timer fires YIELD_US later (interrupts masked: its pending PPI ends WFI,
 * no handler runs). Another runnable vCPU of the CPU runs meanwhile: a
 * vCPU switch each way. (QEMU never traps WFE, so WFE would not do.) */
#define PPI_VTIMER 27
#define YIELD_US   50

static void yield_cpu(void)
{
	uint64_t t = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * YIELD_US / 1000000;

	write_sysreg(t, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	while (!(read_sysreg(cntv_ctl_el0) & 4))
		wfi();
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

static uint64_t read_idreg(unsigned i)
{
	switch (i) {
	case 0: return read_sysreg(S3_0_C0_C1_0);
	case 1: return read_sysreg(S3_0_C0_C1_1);
	case 2: return read_sysreg(S3_0_C0_C1_2);
	case 3: return read_sysreg(S3_0_C0_C1_3);
	case 4: return read_sysreg(S3_0_C0_C1_4);
	case 5: return read_sysreg(S3_0_C0_C1_5);
	case 6: return read_sysreg(S3_0_C0_C1_6);
	case 7: return read_sysreg(S3_0_C0_C1_7);
	case 8: return read_sysreg(S3_0_C0_C2_0);
	case 9: return read_sysreg(S3_0_C0_C2_1);
	case 10: return read_sysreg(S3_0_C0_C2_2);
	case 11: return read_sysreg(S3_0_C0_C2_3);
	case 12: return read_sysreg(S3_0_C0_C2_4);
	case 13: return read_sysreg(S3_0_C0_C2_5);
	case 14: return read_sysreg(S3_0_C0_C2_6);
	case 15: return read_sysreg(S3_0_C0_C2_7);
	case 16: return read_sysreg(S3_0_C0_C3_0);
	case 17: return read_sysreg(S3_0_C0_C3_1);
	case 18: return read_sysreg(S3_0_C0_C3_2);
	case 19: return read_sysreg(S3_0_C0_C3_3);
	case 20: return read_sysreg(S3_0_C0_C3_4);
	case 21: return read_sysreg(S3_0_C0_C3_5);
	case 22: return read_sysreg(S3_0_C0_C3_6);
	case 23: return read_sysreg(S3_0_C0_C3_7);
	case 24: return read_sysreg(S3_0_C0_C4_0);
	case 25: return read_sysreg(S3_0_C0_C4_1);
	case 26: return read_sysreg(S3_0_C0_C4_2);
	case 27: return read_sysreg(S3_0_C0_C4_3);
	case 28: return read_sysreg(S3_0_C0_C4_4);
	case 29: return read_sysreg(S3_0_C0_C4_5);
	case 30: return read_sysreg(S3_0_C0_C4_6);
	case 31: return read_sysreg(S3_0_C0_C4_7);
	case 32: return read_sysreg(S3_0_C0_C5_0);
	case 33: return read_sysreg(S3_0_C0_C5_1);
	case 34: return read_sysreg(S3_0_C0_C5_2);
	case 35: return read_sysreg(S3_0_C0_C5_3);
	case 36: return read_sysreg(S3_0_C0_C5_4);
	case 37: return read_sysreg(S3_0_C0_C5_5);
	case 38: return read_sysreg(S3_0_C0_C5_6);
	case 39: return read_sysreg(S3_0_C0_C5_7);
	case 40: return read_sysreg(S3_0_C0_C6_0);
	case 41: return read_sysreg(S3_0_C0_C6_1);
	case 42: return read_sysreg(S3_0_C0_C6_2);
	case 43: return read_sysreg(S3_0_C0_C6_3);
	case 44: return read_sysreg(S3_0_C0_C6_4);
	case 45: return read_sysreg(S3_0_C0_C6_5);
	case 46: return read_sysreg(S3_0_C0_C6_6);
	case 47: return read_sysreg(S3_0_C0_C6_7);
	case 48: return read_sysreg(S3_0_C0_C7_0);
	case 49: return read_sysreg(S3_0_C0_C7_1);
	case 50: return read_sysreg(S3_0_C0_C7_2);
	case 51: return read_sysreg(S3_0_C0_C7_3);
	case 52: return read_sysreg(S3_0_C0_C7_4);
	case 53: return read_sysreg(S3_0_C0_C7_5);
	case 54: return read_sysreg(S3_0_C0_C7_6);
	case 55: return read_sysreg(S3_0_C0_C7_7);
	default: return 0;
	}
}

static unsigned field(uint64_t r, unsigned shift)
{
	return (unsigned)(r >> shift) & 0xf;
}

static bool on_sync(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	/* Only UNDEF is expected: EC 0, or EC 0x18 for an unimplemented
	 * register of the ID space with FEAT_IDST (ID_AA64MMFR2_EL1.IDS). */
	if ((esr >> 26) != 0 && (esr >> 26) != 0x18)
		return false;
	undefs[guest_vcpu()]++;
	f->elr += 4;
	return true;
}

#define FAILF(me, ...) do { if (!why[me][0]) snprintf(why[me], sizeof(why[me]), __VA_ARGS__); } while (0)

static void expect_undef(unsigned me, void (*fn)(void), const char *what)
{
	unsigned before = undefs[me];

	fn();
	if (undefs[me] != before + 1)
		FAILF(me, "%s did not give UNDEF", what);
}

static uint8_t pat(unsigned me, unsigned r, unsigned i)
{
	uint32_t x = (seed * 0x9e3779b1U) ^ (me * 0x85ebca6bU) ^ (r * 0xc2b2ae35U) ^ (i * 0x27d4eb2fU);
	x ^= x >> 15;
	x *= 0x2c1b3c6dU;
	return (uint8_t)(x >> 24);
}

static uint64_t pat64(unsigned me, unsigned r, unsigned i)
{
	uint64_t v = 0;
	for (unsigned b = 0; b < 8; b++)
		v = v << 8 | pat(me, r, i * 8 + b + 0x10000);
	return v;
}

static void sve_setup(unsigned me, unsigned *vl)
{
	unsigned maxvl = sve_bits / 8, want;

	/* CPACR_EL1: FPEN and ZEN = 3 (no EL1/EL0 traps). */
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20) | (3UL << 16), cpacr_el1);
	isb();
	/* Even vCPUs the longest length, odd ones half of it. */
	want = (me & 1) && maxvl > 16 ? maxvl / 2 : maxvl;
	write_sysreg(want / 16 - 1, S3_0_C1_C2_0);    /* ZCR_EL1.LEN */
	isb();
	*vl = (unsigned)cpu_sve_vl();
	vl_seen[me] = *vl;
	if (*vl != want)
		FAILF(me, "vector length %u bytes, want %u", *vl, want);
}

static void round_fill(unsigned me, unsigned r, unsigned vl, uint64_t keys[10])
{
	if (vl) {
		unsigned ffr_true = pat(me, r, 0x7777) % (vl + 1);

		for (unsigned i = 0; i < 32 * vl; i++)
			zin[me][i] = pat(me, r, i);
		for (unsigned i = 0; i < 2 * vl; i++)
			pin[me][i] = pat(me, r, 0x8000 + i);
		/* FFR: a prefix of true elements (WRFFR needs a monotonic one). */
		memset(fin[me], 0, sizeof(fin[me]));
		for (unsigned i = 0; i < ffr_true; i++)
			fin[me][i / 8] |= (uint8_t)(1U << (i % 8));
		cpu_sve_load(zin[me], pin[me], fin[me]);
	}
	write_sysreg((uint64_t)(pat(me, r, 0x9999) & 3) << 22 | (1UL << 25), fpcr);
	if (tpidr2)
		write_sysreg(pat64(me, r, 0x7272), TPIDR2_EL0);
	if (pauth) {
		for (unsigned i = 0; i < 10; i++)
			keys[i] = pat64(me, r, i);
		cpu_pauth_set(keys);
	}
}

static void round_check(unsigned me, unsigned r, unsigned vl, const uint64_t keys[10],
			uint64_t pac)
{
	uint64_t fpcr = read_sysreg(fpcr), want = (uint64_t)(pat(me, r, 0x9999) & 3) << 22 | (1UL << 25);

	if (vl) {
		unsigned now_vl = (unsigned)cpu_sve_vl();
		if (now_vl != vl)
			FAILF(me, "round %u: vector length %u bytes after a switch, was %u", r, now_vl, vl);
		cpu_sve_store(zout[me], pout[me], fout[me]);
		for (unsigned i = 0; i < 32 * vl; i++)
			if (zout[me][i] != zin[me][i]) {
				FAILF(me, "round %u: Z%u byte %u is 0x%x, want 0x%x", r, i / vl, i % vl,
				      zout[me][i], zin[me][i]);
				break;
			}
		if (memcmp(pout[me], pin[me], 2 * vl))
			FAILF(me, "round %u: a P register changed", r);
		if (memcmp(fout[me], fin[me], vl / 8))
			FAILF(me, "round %u: FFR changed", r);
	}
	if (fpcr != want)
		FAILF(me, "round %u: FPCR 0x%lx, want 0x%lx", r, fpcr, want);
	if (tpidr2 && read_sysreg(TPIDR2_EL0) != pat64(me, r, 0x7272))
		FAILF(me, "round %u: TPIDR2_EL0 0x%lx, want 0x%lx", r, read_sysreg(TPIDR2_EL0),
		      pat64(me, r, 0x7272));
	if (pauth) {
		uint64_t k[10];
		cpu_pauth_get(k);
		for (unsigned i = 0; i < 10; i++)
			if (k[i] != keys[i]) {
				FAILF(me, "round %u: key register %u is 0x%lx, want 0x%lx", r, i, k[i],
				      keys[i]);
				break;
			}
		if (cpu_pacga(0x1234, 0x5678) != pac)
			FAILF(me, "round %u: PACGA changed", r);
	}
}

static void undef_checks(unsigned me)
{
	/* CPACR_EL1.SMEN = 3: the guest's own SME trap (EC 0x1d at EL1,
	 * which comes first) out of the way, so the hypervisor's is tested. */
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 24), cpacr_el1);
	isb();
	expect_undef(me, cpu_try_smstart, "SMSTART");
	expect_undef(me, cpu_try_smidr, "SMIDR_EL1");
	expect_undef(me, cpu_try_smcr, "SMCR_EL1");
	/* SMPRI_EL1 is left out: QEMU 7.2 does not apply CPTR_EL2.TSM to
	 * it (docs/guest-cpu.md). */
	expect_undef(me, cpu_try_gcr, "GCR_EL1");
	expect_undef(me, cpu_try_rgsr, "RGSR_EL1");
	expect_undef(me, cpu_try_tfsr, "TFSR_EL1");
	expect_undef(me, cpu_try_gmid, "GMID_EL1");
	expect_undef(me, cpu_try_idwrite, "MSR ID_AA64PFR0_EL1");
	if (!sve_bits) {
		write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20) | (3UL << 16), cpacr_el1);
		isb();
		expect_undef(me, cpu_try_rdvl, "RDVL without SVE");
		expect_undef(me, cpu_try_zcr, "ZCR_EL1 without SVE");
	}
	if (!pauth)
		expect_undef(me, cpu_try_apiakey, "APIAKeyLo_EL1 without pointer authentication");
}

static void work(unsigned me)
{
	uint64_t keys[10] = { 0 };
	unsigned vl = 0;

	for (unsigned i = 0; i < IDREG_NR; i++)
		ids[me][i] = read_idreg(i);
	gic_init_cpu(me);
	gic_enable(me, PPI_VTIMER, 0x80);
	/* CPACR_EL1.FPEN = 3: FP/SIMD without EL1 traps. */
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20), cpacr_el1);
	isb();
	undef_checks(me);
	if (sve_bits)
		sve_setup(me, &vl);
	for (unsigned r = 0; r < rounds && !why[me][0]; r++) {
		uint64_t pac = 0;

		round_fill(me, r, vl, keys);
		if (pauth)
			pac = cpu_pacga(0x1234, 0x5678);
		yield_cpu();                /* the other vCPU of this CPU runs */
		round_check(me, r, vl, keys, pac);
	}
	dmb(ish);
	done[me] = 1;
}

void guest_secondary_main(uint64_t ctx)
{
	work((unsigned)ctx);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

static void check_ids(void)
{
	const uint64_t *id = ids[0];
	uint64_t pfr0 = id[24], pfr1 = id[25], zfr0 = id[28], smfr0 = id[29], dfr0 = id[32];
	uint64_t isar0 = id[40], isar1 = id[41], isar2 = id[42], mmfr1 = id[49];
	uint64_t digest = 0xcbf29ce484222325ULL;

	for (unsigned v = 1; v < nvcpus; v++)
		for (unsigned i = 0; i < IDREG_NR; i++)
			if (ids[v][i] != id[i])
				FAILF(0, "ID register %u.%u: vCPU %u reads 0x%lx, vCPU 0 0x%lx",
				      i / 8 + 1, i % 8, v, ids[v][i], id[i]);
	for (unsigned i = 0; i < 24; i++)
		if (id[i])
			FAILF(0, "AArch32 ID register %u.%u is 0x%lx", i / 8 + 1, i % 8, id[i]);
	if (field(dfr0, 8) || field(dfr0, 4) || field(dfr0, 32) || field(dfr0, 40) ||
	    field(dfr0, 44) || field(dfr0, 52))
		FAILF(0, "ID_AA64DFR0 0x%lx shows PMU, trace, SPE, TRBE or BRBE", dfr0);
	if (field(dfr0, 0) < 6)
		FAILF(0, "ID_AA64DFR0 0x%lx: no debug architecture", dfr0);
	if (field(pfr0, 44) || field(pfr0, 40) || field(pfr0, 28) || field(pfr0, 8))
		FAILF(0, "ID_AA64PFR0 0x%lx shows AMU, MPAM, RAS or EL2", pfr0);
	if (field(pfr1, 8) || field(pfr1, 24) || field(pfr1, 12) || field(pfr1, 16) || smfr0)
		FAILF(0, "ID_AA64PFR1 0x%lx / SMFR0 0x%lx show MTE, SME, RAS or MPAM", pfr1, smfr0);
	if (field(mmfr1, 16))
		FAILF(0, "ID_AA64MMFR1 0x%lx shows LORegions", mmfr1);
	if (!!field(pfr0, 32) != !!sve_bits || (!sve_bits && zfr0))
		FAILF(0, "ID_AA64PFR0 0x%lx ZFR0 0x%lx: SVE, want %u bits", pfr0, zfr0, sve_bits);
	if (!!(field(isar1, 4) | field(isar1, 8) | field(isar2, 12)) != pauth)
		FAILF(0, "ID_AA64ISAR1 0x%lx: pointer authentication, want %d", isar1, pauth);
	if (check_aes && field(isar0, 4))
		FAILF(0, "ID_AA64ISAR0 0x%lx: AES not hidden", isar0);
	for (unsigned i = 0; i < IDREG_NR; i++)
		for (unsigned b = 0; b < 8; b++)
			digest = (digest ^ ((id[i] >> (8 * b)) & 0xff)) * 0x100000001b3ULL;
	gprintf("cpu: ID digest 0x%016lx\n", digest);
	gprintf("cpu: PFR0 0x%lx PFR1 0x%lx ZFR0 0x%lx DFR0 0x%lx\n", pfr0, pfr1, zfr0, dfr0);
	gprintf("cpu: ISAR0 0x%lx ISAR1 0x%lx ISAR2 0x%lx\n", isar0, isar1, isar2);
}

void guest_main(uint64_t dtb)
{
	const void *dt = (const void *)(uintptr_t)dtb;
	unsigned failed = 0;

	guest_sync_handler = on_sync;
	gic_init_distributor();
	rounds = (unsigned)guest_dt_bootarg(dt, "rounds", 2000);
	sve_bits = (unsigned)guest_dt_bootarg(dt, "sve", 0);
	seed = (unsigned)guest_dt_bootarg(dt, "seed", 1);
	pauth = guest_dt_bootarg(dt, "pauth", 0) != 0;
	tpidr2 = guest_dt_bootarg(dt, "tpidr2", 0) != 0;
	check_aes = guest_dt_bootarg(dt, "aes", 1) == 0;
	nvcpus = 1;
	for (unsigned i = 1; i < MAXV; i++) {
		if (hvc(PSCI_CPU_ON64, i, (uint64_t)(uintptr_t)guest_secondary_entry, i) != 0)
			break;
		nvcpus++;
	}
	gprintf("cpu: %u vCPUs, %u rounds, SVE %u bits, pointer authentication %d, seed %u\n",
		nvcpus, rounds, sve_bits, pauth, seed);
	work(0);
	for (unsigned i = 1; i < nvcpus; i++)
		while (!done[i])
			__asm__ volatile("wfe");
	check_ids();
	for (unsigned i = 0; i < nvcpus; i++) {
		if (why[i][0]) {
			gprintf("cpu: FAIL: vCPU %u: %s\n", i, why[i]);
			failed++;
		} else if (sve_bits) {
			gprintf("cpu: vCPU %u: %u rounds, vector length %u bits\n", i, rounds,
				vl_seen[i] * 8);
		}
	}
	if (!failed)
		gprintf("cpu: PASS: %u vCPUs x %u rounds\n", nvcpus, rounds);
	guest_system_off();
}
