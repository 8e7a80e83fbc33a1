/* The sanitised ID registers a domain sees (include/cpu_features.h).
 *
 * A field table lists every ID field a guest may see and how CPUs combine:
 * the lower value is the safe one (Arm ARM D17.1.3, "Principles of the ID
 * scheme for fields in ID registers": a higher value adds features), with
 * the signed fields (FP, AdvSIMD, TGran4, TGran64, DoubleLock: 0xf means
 * absent) compared as signed, and a few fields capped. Every field not in
 * the table reads as 0, including whole registers (the AArch32 ones, since
 * domains are AArch64 only; unallocated encodings read as zero, Arm ARM
 * D17.2, "ID register space"), so a feature Lull does not know of stays
 * hidden. Pure logic. */
#include <string.h>
#include <lull/format.h>
#include "cpu_features.h"

enum kind { MIN, SMIN, CAP };

struct field {
	uint8_t reg, shift, kind, cap;
};

#define F(reg, shift, kind, cap) { (reg), (shift), (kind), (cap) }

static const struct field fields[] = {
	/* ID_AA64PFR0_EL1: EL0 and EL1 AArch64 only (no AArch32 domains);
	 * EL2 absent (no nested virtualisation); RAS, SEL2, MPAM, AMU, RME
	 * hidden. */
	F(ID_AA64PFR0, 0, CAP, 1), F(ID_AA64PFR0, 4, CAP, 1), F(ID_AA64PFR0, 12, MIN, 0),
	F(ID_AA64PFR0, 16, SMIN, 0), F(ID_AA64PFR0, 20, SMIN, 0), F(ID_AA64PFR0, 24, MIN, 0),
	F(ID_AA64PFR0, 32, MIN, 0), F(ID_AA64PFR0, 48, MIN, 0), F(ID_AA64PFR0, 56, MIN, 0),
	F(ID_AA64PFR0, 60, MIN, 0),
	/* ID_AA64PFR1_EL1: BT, SSBS, CSV2_frac. MTE, RAS_frac, MPAM_frac,
	 * SME, RNDR_trap, NMI hidden. */
	F(ID_AA64PFR1, 0, MIN, 0), F(ID_AA64PFR1, 4, MIN, 0), F(ID_AA64PFR1, 32, MIN, 0),
	/* ID_AA64ZFR0_EL1: SVEver, AES, BitPerm, BF16, SHA3, SM4, I8MM,
	 * F32MM, F64MM (zero without SVE). */
	F(ID_AA64ZFR0, 0, MIN, 0), F(ID_AA64ZFR0, 4, MIN, 0), F(ID_AA64ZFR0, 16, MIN, 0),
	F(ID_AA64ZFR0, 20, MIN, 0), F(ID_AA64ZFR0, 32, MIN, 0), F(ID_AA64ZFR0, 40, MIN, 0),
	F(ID_AA64ZFR0, 44, MIN, 0), F(ID_AA64ZFR0, 52, MIN, 0), F(ID_AA64ZFR0, 56, MIN, 0),
	/* ID_AA64DFR0_EL1: the architected debug (DebugVer, BRPs, WRPs,
	 * CTX_CMPs, DoubleLock). PMUVer, TraceVer, PMSVer (SPE), TraceFilt,
	 * TraceBuffer (TRBE), MTPMU, BRBE, HPMN0 read 0: hidden. */
	F(ID_AA64DFR0, 0, MIN, 0), F(ID_AA64DFR0, 12, MIN, 0), F(ID_AA64DFR0, 20, MIN, 0),
	F(ID_AA64DFR0, 28, MIN, 0), F(ID_AA64DFR0, 36, SMIN, 0),
	/* ID_AA64ISAR0_EL1: every instruction set field but TME. */
	F(ID_AA64ISAR0, 4, MIN, 0), F(ID_AA64ISAR0, 8, MIN, 0), F(ID_AA64ISAR0, 12, MIN, 0),
	F(ID_AA64ISAR0, 16, MIN, 0), F(ID_AA64ISAR0, 20, MIN, 0), F(ID_AA64ISAR0, 28, MIN, 0),
	F(ID_AA64ISAR0, 32, MIN, 0), F(ID_AA64ISAR0, 36, MIN, 0), F(ID_AA64ISAR0, 40, MIN, 0),
	F(ID_AA64ISAR0, 44, MIN, 0), F(ID_AA64ISAR0, 48, MIN, 0), F(ID_AA64ISAR0, 52, MIN, 0),
	F(ID_AA64ISAR0, 56, MIN, 0), F(ID_AA64ISAR0, 60, MIN, 0),
	/* ID_AA64ISAR1_EL1: all but LS64 (no 64-byte device accesses). */
	F(ID_AA64ISAR1, 0, MIN, 0), F(ID_AA64ISAR1, 4, MIN, 0), F(ID_AA64ISAR1, 8, MIN, 0),
	F(ID_AA64ISAR1, 12, MIN, 0), F(ID_AA64ISAR1, 16, MIN, 0), F(ID_AA64ISAR1, 20, MIN, 0),
	F(ID_AA64ISAR1, 24, MIN, 0), F(ID_AA64ISAR1, 28, MIN, 0), F(ID_AA64ISAR1, 32, MIN, 0),
	F(ID_AA64ISAR1, 36, MIN, 0), F(ID_AA64ISAR1, 40, MIN, 0), F(ID_AA64ISAR1, 44, MIN, 0),
	F(ID_AA64ISAR1, 48, MIN, 0), F(ID_AA64ISAR1, 52, MIN, 0), F(ID_AA64ISAR1, 56, MIN, 0),
	/* ID_AA64ISAR2_EL1: RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB. WFxT
	 * hidden (WFIT/WFET would need their timeout emulated), MOPS hidden. */
	F(ID_AA64ISAR2, 4, MIN, 0), F(ID_AA64ISAR2, 8, MIN, 0), F(ID_AA64ISAR2, 12, MIN, 0),
	F(ID_AA64ISAR2, 20, MIN, 0), F(ID_AA64ISAR2, 24, MIN, 0), F(ID_AA64ISAR2, 28, MIN, 0),
	/* ID_AA64MMFR0_EL1: PARange capped at 40 bits (a domain's IPA space
	 * is 39 bits), ASIDBits, BigEnd, SNSMem, BigEndEL0, TGran16/64/4,
	 * ExS, ECV at most 1 (no CNTPOFF, an EL2 feature). The stage-2
	 * granule fields and FGT (EL2 features) read 0. */
	F(ID_AA64MMFR0, 0, CAP, 2), F(ID_AA64MMFR0, 4, MIN, 0), F(ID_AA64MMFR0, 8, MIN, 0),
	F(ID_AA64MMFR0, 12, MIN, 0), F(ID_AA64MMFR0, 16, MIN, 0), F(ID_AA64MMFR0, 20, MIN, 0),
	F(ID_AA64MMFR0, 24, SMIN, 0), F(ID_AA64MMFR0, 28, SMIN, 0), F(ID_AA64MMFR0, 44, MIN, 0),
	F(ID_AA64MMFR0, 60, CAP, 1),
	/* ID_AA64MMFR1_EL1: HAFDBS, HPDS, PAN, SpecSEI, ETS, AFP, nTLBPA,
	 * CMOW. VMIDBits, VH, XNX, TWED, HCX (EL2 features), LO
	 * (LORegions) and TIDCP1 read 0. */
	F(ID_AA64MMFR1, 0, MIN, 0), F(ID_AA64MMFR1, 12, MIN, 0), F(ID_AA64MMFR1, 20, MIN, 0),
	F(ID_AA64MMFR1, 24, MIN, 0), F(ID_AA64MMFR1, 36, MIN, 0), F(ID_AA64MMFR1, 44, MIN, 0),
	F(ID_AA64MMFR1, 48, MIN, 0), F(ID_AA64MMFR1, 56, MIN, 0),
	/* ID_AA64MMFR2_EL1: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT,
	 * IDS, TTL, BBM, E0PD. NV, FWB, EVT (EL2 features) read 0. */
	F(ID_AA64MMFR2, 0, MIN, 0), F(ID_AA64MMFR2, 4, MIN, 0), F(ID_AA64MMFR2, 8, MIN, 0),
	F(ID_AA64MMFR2, 12, MIN, 0), F(ID_AA64MMFR2, 16, MIN, 0), F(ID_AA64MMFR2, 20, MIN, 0),
	F(ID_AA64MMFR2, 28, MIN, 0), F(ID_AA64MMFR2, 32, MIN, 0), F(ID_AA64MMFR2, 36, MIN, 0),
	F(ID_AA64MMFR2, 48, MIN, 0), F(ID_AA64MMFR2, 52, MIN, 0), F(ID_AA64MMFR2, 60, MIN, 0),
};

/* The hideable features: the fields each one clears. */
struct feature {
	const char *name;
	struct { uint8_t reg, shift; } f[7];
	uint8_t n;
};

#define H1(name, r, s)  { name, { { r, s } }, 1 }

static const struct feature features[] = {
	{ "sve", { { ID_AA64PFR0, 32 }, { ID_AA64ZFR0, 0 } }, 2 },
	{ "sve2", { { ID_AA64ZFR0, 0 }, { ID_AA64ZFR0, 4 }, { ID_AA64ZFR0, 16 },
		    { ID_AA64ZFR0, 32 }, { ID_AA64ZFR0, 40 } }, 5 },
	{ "pauth", { { ID_AA64ISAR1, 4 }, { ID_AA64ISAR1, 8 }, { ID_AA64ISAR1, 24 },
		     { ID_AA64ISAR1, 28 }, { ID_AA64ISAR2, 8 }, { ID_AA64ISAR2, 12 },
		     { ID_AA64ISAR2, 24 } }, 7 },
	{ "fp16", { { ID_AA64PFR0, 16 }, { ID_AA64PFR0, 20 } }, 2 },
	H1("aes", ID_AA64ISAR0, 4), H1("sha1", ID_AA64ISAR0, 8), H1("sha2", ID_AA64ISAR0, 12),
	H1("crc32", ID_AA64ISAR0, 16), H1("atomics", ID_AA64ISAR0, 20),
	H1("rdm", ID_AA64ISAR0, 28), H1("sha3", ID_AA64ISAR0, 32), H1("sm3", ID_AA64ISAR0, 36),
	H1("sm4", ID_AA64ISAR0, 40), H1("dotprod", ID_AA64ISAR0, 44),
	H1("fhm", ID_AA64ISAR0, 48), H1("flagm", ID_AA64ISAR0, 52),
	H1("rndr", ID_AA64ISAR0, 60), H1("dpb", ID_AA64ISAR1, 0), H1("jscvt", ID_AA64ISAR1, 12),
	H1("fcma", ID_AA64ISAR1, 16), H1("lrcpc", ID_AA64ISAR1, 20),
	H1("frintts", ID_AA64ISAR1, 32), H1("sb", ID_AA64ISAR1, 36),
	H1("specres", ID_AA64ISAR1, 40), H1("bf16", ID_AA64ISAR1, 44),
	H1("dgh", ID_AA64ISAR1, 48), H1("i8mm", ID_AA64ISAR1, 52), H1("xs", ID_AA64ISAR1, 56),
	H1("bti", ID_AA64PFR1, 0), H1("ssbs", ID_AA64PFR1, 4), H1("dit", ID_AA64PFR0, 48),
	H1("lse2", ID_AA64MMFR2, 32), H1("ecv", ID_AA64MMFR0, 60),
	H1("hafdbs", ID_AA64MMFR1, 0), H1("pan", ID_AA64MMFR1, 20),
};

#define NFIELDS   (sizeof(fields) / sizeof(fields[0]))
#define NFEATURES (sizeof(features) / sizeof(features[0]))

static bool is_signed(unsigned reg, unsigned shift)
{
	for (unsigned i = 0; i < NFIELDS; i++)
		if (fields[i].reg == reg && fields[i].shift == shift)
			return fields[i].kind == SMIN;
	return false;
}

static int sval(unsigned v)
{
	return v >= 8 ? (int)v - 16 : (int)v;
}

static uint64_t set_field(uint64_t reg, unsigned shift, unsigned v)
{
	return (reg & ~(0xfULL << shift)) | ((uint64_t)(v & 0xf) << shift);
}

void cpu_view_from_cpu(struct cpu_view *out, const uint64_t raw[IDREG_NR], unsigned sve_vq)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		unsigned v = idfield(raw[f->reg], f->shift);

		if (f->kind == CAP && v > f->cap)
			v = f->cap;
		out->id[f->reg] = set_field(out->id[f->reg], f->shift, v);
	}
	if (!idfield(out->id[ID_AA64PFR0], 32)) {
		out->id[ID_AA64ZFR0] = 0;       /* no SVE: no SVE features */
		sve_vq = 0;
	}
	if (sve_vq > SVE_VQ_MAX)
		sve_vq = SVE_VQ_MAX;
	if (!sve_vq)
		out->id[ID_AA64PFR0] = set_field(out->id[ID_AA64PFR0], 32, 0);
	out->sve_vq = sve_vq;
	out->pauth = idfield(out->id[ID_AA64ISAR1], 4) || idfield(out->id[ID_AA64ISAR1], 8) ||
		     idfield(out->id[ID_AA64ISAR2], 12);
}

void cpu_view_intersect(struct cpu_view *a, const struct cpu_view *b)
{
	for (unsigned i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		unsigned x = idfield(a->id[f->reg], f->shift), y = idfield(b->id[f->reg], f->shift);
		bool b_lower = f->kind == SMIN ? sval(y) < sval(x) : y < x;

		if (b_lower)
			a->id[f->reg] = set_field(a->id[f->reg], f->shift, y);
	}
	if (b->sve_vq < a->sve_vq)
		a->sve_vq = b->sve_vq;
	if (!a->sve_vq)
		cpu_view_hide(a, 1ULL << cpu_feature_bit("sve"), 0);
	a->pauth = a->pauth && b->pauth;
}

void cpu_view_hide(struct cpu_view *v, uint64_t hide, unsigned max_vq)
{
	for (unsigned i = 0; i < NFEATURES; i++) {
		if (!(hide >> i & 1))
			continue;
		for (unsigned k = 0; k < features[i].n; k++) {
			unsigned reg = features[i].f[k].reg, shift = features[i].f[k].shift;

			/* A signed field that says "absent" (negative) stays so. */
			if (is_signed(reg, shift) && sval(idfield(v->id[reg], shift)) < 0)
				continue;
			v->id[reg] = set_field(v->id[reg], shift, 0);
		}
	}
	if (max_vq < v->sve_vq)
		v->sve_vq = max_vq;
	if (!v->sve_vq || !idfield(v->id[ID_AA64PFR0], 32)) {
		v->sve_vq = 0;
		v->id[ID_AA64PFR0] = set_field(v->id[ID_AA64PFR0], 32, 0);
		v->id[ID_AA64ZFR0] = 0;
	}
	v->pauth = idfield(v->id[ID_AA64ISAR1], 4) || idfield(v->id[ID_AA64ISAR1], 8) ||
		   idfield(v->id[ID_AA64ISAR2], 12);
}

bool cpu_view_supported_by(const struct cpu_view *need, const struct cpu_view *cpu, char *why,
			   size_t why_len)
{
	for (unsigned i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		unsigned x = idfield(need->id[f->reg], f->shift), y = idfield(cpu->id[f->reg], f->shift);
		bool lacks = f->kind == SMIN ? sval(y) < sval(x) : y < x;

		if (lacks) {
			snprintf(why, why_len, "ID register %u.%u field [%u:%u] is %u, domains need %u",
				 f->reg / 8 + 1, f->reg % 8, f->shift + 3, f->shift, y, x);
			return false;
		}
	}
	if (cpu->sve_vq < need->sve_vq) {
		snprintf(why, why_len, "SVE vector length %u bits < %u that domains use",
			 cpu->sve_vq * 128, need->sve_vq * 128);
		return false;
	}
	if (need->pauth && !cpu->pauth) {
		snprintf(why, why_len, "no pointer authentication, which domains use");
		return false;
	}
	return true;
}

int cpu_feature_bit(const char *name)
{
	for (unsigned i = 0; i < NFEATURES; i++)
		if (!strcmp(features[i].name, name))
			return (int)i;
	return -1;
}

const char *cpu_feature_name(unsigned bit)
{
	return bit < NFEATURES ? features[bit].name : NULL;
}
