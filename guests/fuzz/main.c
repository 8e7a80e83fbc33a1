/* A hostile guest for the virtual PSCI / SMCCC: tens of thousands of calls
 * with random function IDs and random arguments, through HVC and trapped
 * SMC (some with a non-zero immediate). After every call, x0 must be one of
 * the answers the specification allows for that call and those arguments,
 * and x1-x18 must be as they were (the hypervisor writes only x0). Calls
 * that would legitimately stop, reboot or suspend this domain (its only
 * vCPU) are computed and skipped. Prints the seed, the count, a digest of
 * all answers (FNV-1a: the same seed gives the same digest), the first
 * violations, then "fuzz: done" (or "fuzz: FAILED") and powers off.
 * bootargs: seed=N calls=N. */
#include <lull/arch.h>
#include "guest.h"

#define MAX_REPORTS 5

static uint64_t ram_base = 0x40000000, ram_size = 32 << 20;
static uint64_t rng;

/* xorshift64 (Marsaglia, 2003). */
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(const uint64_t *v, unsigned n)
{
	return v[rnd() % n];
}

#define PICK(a) pick(a, ARRAY_SIZE(a))

static const uint64_t known_fids[] = {
	PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND64, PSCI_CPU_ON, PSCI_CPU_ON64,
	PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO64, PSCI_MIGRATE, PSCI_MIGRATE64,
	PSCI_MIGRATE_INFO_TYPE, PSCI_MIGRATE_INFO_UP_CPU, PSCI_FEATURES, PSCI_SYSTEM_SUSPEND,
	PSCI_SYSTEM_SUSPEND64, PSCI_SYSTEM_RESET2, PSCI_SYSTEM_RESET2_64, SMCCC_VERSION,
	SMCCC_ARCH_FEATURES, 0x80008000, 0x80007fff, 0x8400000b, 0xc4000002, 0xc4000008,
};

static uint32_t random_fid(void)
{
	static const uint64_t smccc[] = { 0x80000000, 0x80000001, 0x80000002, 0x80003fff,
					  0x80007fff, 0x80008000, 0x8000ffff };

	switch (rnd() % 16) {
	case 0: case 1: case 2:
		return (uint32_t)rnd();
	case 3: case 4: case 5: case 6: case 7:
		return 0x84000000U | (uint32_t)(rnd() % 0x20);
	case 8: case 9: case 10:
		return 0xc4000000U | (uint32_t)(rnd() % 0x20);
	case 11:
		return (uint32_t)PICK(known_fids);
	case 12:   /* SMCCC 1.3 SVE hint on a known call */
		return (uint32_t)PICK(known_fids) | 0x10000U;
	case 13:
		return rnd() & 1 ? (uint32_t)PICK(smccc) : 0x80000000U | (uint32_t)(rnd() % 0x10000);
	case 14:   /* another owner (SiP, OEM, hypervisor, trusted OS...), fast or yielding */
		return (uint32_t)(rnd() & 0xff000000) | (uint32_t)(rnd() % 0x40);
	default:
		return (uint32_t)PICK(known_fids);
	}
}

static uint64_t random_arg(void)
{
	static const uint64_t states[] = { 0x1, 0x40000002, 0x0, 0x2, 0x40000001, 0x80000001,
					   0x10000001, 0x20000002, 0x50000002, 0xffffffff };
	static const uint64_t types[] = { 0, 0x80000000, 0x80000001, 1, 0xffffffff };
	uint64_t low;

	switch (rnd() % 10) {
	case 0: case 1:
		return rnd();
	case 2:
		return rnd() % 16;
	case 3:   /* an aligned address in RAM: a valid entry point */
		return (ram_base + rnd() % ram_size) & ~3UL;
	case 4:   /* around RAM, any alignment */
		return ram_base - 0x100 + rnd() % (ram_size + 0x200);
	case 5:
		return PICK(states);
	case 6:   /* an MPIDR, maybe with reserved bits */
		return rnd() & 1 ? rnd() % 4 : rnd() & (rnd() & 1 ? 0xff00ffffffUL : ~0UL);
	case 7:
		return PICK(types);
	case 8:
		return random_fid();
	default:
		low = rnd() & 1 ? PICK(states) : (ram_base + rnd() % ram_size) & ~3UL;
		return rnd() << 32 | (uint32_t)low;
	}
}

/* ---- what the specification allows ---- */

struct allowed {
	unsigned n;
	int64_t v[4];
};

static void allow(struct allowed *a, int64_t v)
{
	a->v[a->n++] = v;
}

static bool entry_ok(uint64_t e)
{
	return !(e & 3) && e >= ram_base && e - ram_base < ram_size;
}

static bool mpidr_reserved(uint64_t t)
{
	return (t & ~0xff00ffffffUL) != 0;
}

static const uint32_t features_ok[] = {
	PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_CPU_ON64, PSCI_AFFINITY_INFO,
	PSCI_AFFINITY_INFO64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
	PSCI_SYSTEM_RESET2, PSCI_SYSTEM_RESET2_64, PSCI_SYSTEM_SUSPEND, PSCI_SYSTEM_SUSPEND64,
	PSCI_FEATURES, SMCCC_VERSION,
};

static int64_t features(uint32_t f)
{
	if (f == PSCI_CPU_SUSPEND || f == PSCI_CPU_SUSPEND64)
		return 2;
	for (unsigned i = 0; i < ARRAY_SIZE(features_ok); i++)
		if (features_ok[i] == f)
			return 0;
	return PSCI_NOT_SUPPORTED;
}

/* False: the call would stop, reboot or suspend this vCPU, skip it. */
static bool allowed_results(uint32_t fid, uint64_t x1, uint64_t x2, struct allowed *a)
{
	bool smc64 = fid & 0x40000000U;
	uint64_t a1 = smc64 ? x1 : (uint32_t)x1, a2 = smc64 ? x2 : (uint32_t)x2;
	uint32_t ps = (uint32_t)a1, q = (uint32_t)a1;

	/* SMCCC 1.3: the SVE hint (bit 16 of a fast call's ID) changes no answer. */
	if (fid & 0x80000000U)
		fid &= ~0x10000U;
	if (q & 0x80000000U)
		q &= ~0x10000U;
	a->n = 0;
	switch (fid) {
	case PSCI_VERSION:
		allow(a, 0x10001);
		break;
	case SMCCC_VERSION:
		allow(a, 0x10003);
		break;
	case SMCCC_ARCH_FEATURES:
		allow(a, q == SMCCC_VERSION || q == SMCCC_ARCH_FEATURES ? 0 : -1);
		break;
	case PSCI_FEATURES:
		allow(a, features((uint32_t)a1));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		allow(a, PSCI_TOS_NOT_PRESENT_MP);
		break;
	case PSCI_CPU_OFF:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return false;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND64:
		if (ps == 0x1)
			return false;                 /* standby: nothing would wake us */
		if (ps == 0x40000002) {
			if (entry_ok(a2))
				return false;         /* power-down */
			allow(a, PSCI_INVALID_ADDRESS);
			if (a1 >> 32)                 /* SMC64: junk above the 32-bit power_state */
				allow(a, PSCI_INVALID_PARAMETERS);
		} else {
			allow(a, PSCI_INVALID_PARAMETERS);
			if ((ps & 0x40000000U) && !entry_ok(a2))
				allow(a, PSCI_INVALID_ADDRESS);   /* either check first */
		}
		break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON64:
		/* One vCPU (MPIDR 0), and it is on. */
		allow(a, mpidr_reserved(a1) || (a1 & 0xff00ffffffUL) ? PSCI_INVALID_PARAMETERS :
			 PSCI_ALREADY_ON);
		if (!entry_ok(a2))
			allow(a, PSCI_INVALID_ADDRESS);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO64: {
		static const uint64_t above[4] = { 0xff00ffffffUL, 0xff00ffff00UL, 0xff00ff0000UL,
						   0xff00000000UL };
		if (a2 > 3) {
			allow(a, PSCI_INVALID_PARAMETERS);
			break;
		}
		allow(a, (a1 & above[a2]) ? PSCI_INVALID_PARAMETERS : PSCI_AFF_ON);
		if (mpidr_reserved(a1) && a->v[0] == PSCI_AFF_ON)
			allow(a, PSCI_INVALID_PARAMETERS);
		break;
	}
	case PSCI_SYSTEM_SUSPEND:
	case PSCI_SYSTEM_SUSPEND64:
		if (entry_ok(a1))
			return false;                 /* the only vCPU: it would suspend */
		allow(a, PSCI_INVALID_ADDRESS);
		break;
	case PSCI_SYSTEM_RESET2:
	case PSCI_SYSTEM_RESET2_64:
		if ((uint32_t)a1 == 0)
			return false;                 /* warm reset */
		allow(a, PSCI_INVALID_PARAMETERS);
		break;
	default:
		allow(a, PSCI_NOT_SUPPORTED);
		break;
	}
	return true;
}

/* ---- the run ---- */

static const int64_t tally_values[] = { 0x10001, 0x10003, 0, 1, 2, -1, -2, -3, -4, -5, -6, -9 };
static unsigned tally[ARRAY_SIZE(tally_values) + 1];

static void count(int64_t rc)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(tally_values) && tally_values[i] != rc; i++)
		;
	tally[i]++;
}

static uint64_t fnv(uint64_t h, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3UL;
	}
	return h;
}

static unsigned random_conduit(void)
{
	unsigned r = (unsigned)(rnd() % 20);

	if (r < 9)
		return GUEST_HVC;
	if (r < 18)
		return GUEST_SMC;
	return GUEST_HVC_IMM1 + (unsigned)(rnd() % (GUEST_CONDUITS - GUEST_HVC_IMM1));
}

static const char *conduit_name[GUEST_CONDUITS] = {
	"HVC #0", "SMC #0", "HVC #1", "SMC #1", "HVC #0xffff", "SMC #0xffff",
};

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	const void *dt = (const void *)dtb;
	uint64_t seed = guest_dt_bootarg(dt, "seed", 0x5eed1234abcdUL), digest = 0xcbf29ce484222325UL;
	unsigned calls = (unsigned)guest_dt_bootarg(dt, "calls", 30000), skipped = 0, bad = 0;

	irq_disable();
	if (!guest_dt_memory(dt, &ram_base, &ram_size))
		gprintf("fuzz: no memory node, assuming 32 MiB\n");
	rng = seed ? seed : 1;
	gprintf("fuzz: seed 0x%lx, %u calls, RAM 0x%lx+0x%lx\n", seed, calls, ram_base, ram_size);
	for (unsigned n = 0; n < calls; n++) {
		uint64_t r[19], in[19];
		struct allowed a;
		unsigned conduit;
		bool ok = false;

		if (n && n % 10000 == 0)
			gprintf("fuzz: %u calls\n", n);
		in[0] = random_fid();
		for (unsigned i = 1; i < 19; i++)
			in[i] = i <= 3 ? random_arg() : rnd();
		conduit = random_conduit();
		if (!allowed_results((uint32_t)in[0], in[1], in[2], &a)) {
			skipped++;
			continue;
		}
		for (unsigned i = 0; i < 19; i++)
			r[i] = in[i];
		guest_call_regs(r, conduit);
		for (unsigned i = 0; i < a.n; i++)
			ok |= (int64_t)r[0] == a.v[i];
		for (unsigned i = 1; i < 19; i++) {
			if (r[i] != in[i]) {
				if (bad < MAX_REPORTS)
					gprintf("fuzz: VIOLATION at call %u: %s 0x%lx(0x%lx, 0x%lx, 0x%lx) "
						"changed x%u: 0x%lx -> 0x%lx\n", n, conduit_name[conduit],
						in[0], in[1], in[2], in[3], i, in[i], r[i]);
				bad++;
				break;
			}
		}
		if (!ok) {
			if (bad < MAX_REPORTS)
				gprintf("fuzz: VIOLATION at call %u: %s 0x%lx(0x%lx, 0x%lx, 0x%lx) = %ld, "
					"allowed %ld%s%s\n", n, conduit_name[conduit], in[0], in[1], in[2],
					in[3], (int64_t)r[0], a.v[0], a.n > 1 ? " or another" : "",
					a.n > 1 ? "" : " only");
			bad++;
		}
		count((int64_t)r[0]);
		digest = fnv(fnv(digest, in[0]), r[0]);
	}
	gprintf("fuzz: results:");
	for (unsigned i = 0; i < ARRAY_SIZE(tally_values); i++)
		if (tally[i])
			gprintf(" %ld x%u", tally_values[i], tally[i]);
	gprintf(" other x%u\n", tally[ARRAY_SIZE(tally_values)]);
	gprintf("fuzz: seed 0x%lx, %u calls, %u skipped, digest 0x%016lx, %u violations\n", seed,
		calls, skipped, digest, bad);
	gprintf(bad ? "fuzz: FAILED\n" : "fuzz: done\n");
	guest_system_off();
}
