/* PSCI (Arm DEN0022, issue F: PSCI 1.1) and SMCCC (DEN0028) definitions,
 * plus the pure decoding logic shared by the rig firmware (PSCI server),
 * the hypervisor (PSCI client, and later the guests' virtual PSCI) and the
 * host unit tests. */
#ifndef LULL_PSCI_H
#define LULL_PSCI_H
#include <stdbool.h>
#include <stdint.h>

#define PSCI_FN32(n) (0x84000000U + (n))
#define PSCI_FN64(n) (0xc4000000U + (n))

#define PSCI_VERSION             PSCI_FN32(0x0)
#define PSCI_CPU_SUSPEND         PSCI_FN32(0x1)
#define PSCI_CPU_SUSPEND64       PSCI_FN64(0x1)
#define PSCI_CPU_OFF             PSCI_FN32(0x2)
#define PSCI_CPU_ON              PSCI_FN32(0x3)
#define PSCI_CPU_ON64            PSCI_FN64(0x3)
#define PSCI_AFFINITY_INFO       PSCI_FN32(0x4)
#define PSCI_AFFINITY_INFO64     PSCI_FN64(0x4)
#define PSCI_MIGRATE             PSCI_FN32(0x5)
#define PSCI_MIGRATE64           PSCI_FN64(0x5)
#define PSCI_MIGRATE_INFO_TYPE   PSCI_FN32(0x6)
#define PSCI_MIGRATE_INFO_UP_CPU PSCI_FN32(0x7)
#define PSCI_MIGRATE_INFO_UP_CPU64 PSCI_FN64(0x7)
#define PSCI_SYSTEM_OFF          PSCI_FN32(0x8)
#define PSCI_SYSTEM_RESET        PSCI_FN32(0x9)
#define PSCI_FEATURES            PSCI_FN32(0xa)
#define PSCI_SYSTEM_SUSPEND      PSCI_FN32(0xe)
#define PSCI_SYSTEM_SUSPEND64    PSCI_FN64(0xe)
#define PSCI_SYSTEM_RESET2       PSCI_FN32(0x12)
#define PSCI_SYSTEM_RESET2_64    PSCI_FN64(0x12)

#define SMCCC_VERSION            0x80000000U
#define SMCCC_ARCH_FEATURES      0x80000001U
#define SMCCC_ARCH_SOC_ID        0x80000002U   /* SMCCC v1.2, optional */
#define SMCCC_VERSION_1_1        0x10001
#define SMCCC_VERSION_1_3        0x10003
#define SMCCC_NOT_SUPPORTED      (-1)
/* The rig firmware's one SiP call (SMCCC SiP service, fast, SMC64): the
 * counter ticks its cores have spent working (not waiting in WFI) since
 * cold boot. For measurements only (the benchmark's "firmware's own
 * work"); other firmware answers NOT_SUPPORTED. */
#define LULL_SIP_FW_WORK         0xC2000001U

/* Function ID fields (DEN0028 v1.3, Table 2-1): bit 31 set = fast call; in a
 * fast call bit 16 is the SVE live state hint (set: the caller holds no
 * live SVE state beyond FP/SIMD, so it need not be preserved) and bits
 * 23:17 must be zero. */
#define SMCCC_FAST_CALL          0x80000000U
#define SMCCC_SVE_HINT           0x00010000U

#define PSCI_VERSION_1_1         0x10001

/* Return codes, DEN0022 5.2.2. */
#define PSCI_SUCCESS             0
#define PSCI_NOT_SUPPORTED       (-1)
#define PSCI_INVALID_PARAMETERS  (-2)
#define PSCI_DENIED              (-3)
#define PSCI_ALREADY_ON          (-4)
#define PSCI_ON_PENDING          (-5)
#define PSCI_INTERNAL_FAILURE    (-6)
#define PSCI_NOT_PRESENT         (-7)
#define PSCI_DISABLED            (-8)
#define PSCI_INVALID_ADDRESS     (-9)

/* AFFINITY_INFO results, DEN0022 5.1.5. */
#define PSCI_AFF_ON              0
#define PSCI_AFF_OFF             1
#define PSCI_AFF_ON_PENDING      2

/* MIGRATE_INFO_TYPE: no Trusted OS, or one that needs no migration. */
#define PSCI_TOS_NOT_PRESENT_MP  2

/* PSCI_FEATURES flags for CPU_SUSPEND, DEN0022 5.1.14:
 * bit 1 = extended StateID format, bit 0 = OS-initiated mode supported. */
#define BIT32(n) (1U << (n))
#define PSCI_FEAT_PC_EXTENDED_STATEID BIT32(1)

/* Extended power_state format, DEN0022 5.4.2.2: bit 30 StateType,
 * bits 27:0 StateID, bits 31 and 29:28 reserved (must be zero). */
#define PSCI_PS_TYPE_POWERDOWN   BIT32(30)
#define PSCI_PS_STATEID_MASK     0x0fffffffU
#define PSCI_PS_RESERVED_MASK    0xb0000000U

/* The power states that Lull's rig firmware offers (and that the
 * hypervisor uses): core standby (WFI) and core power-down. */
#define PSCI_STATE_CORE_STANDBY   0x00000001U
#define PSCI_STATE_CORE_POWERDOWN 0x40000002U

enum psci_state_type { PSCI_STANDBY = 0, PSCI_POWERDOWN = 1 };

struct psci_power_state {
	enum psci_state_type type;
	uint32_t state_id;
};

/* Power state of one core as PSCI sees it. */
enum psci_cpu_state {
	PSCI_CPU_OFF_STATE = 0,
	PSCI_CPU_ON_PENDING_STATE,
	PSCI_CPU_ON_STATE,
	PSCI_CPU_SUSPENDED_STATE, /* standby or power-down in CPU_SUSPEND */
};

bool psci_is_smc64(uint32_t fid);
/* The function ID without the SMCCC v1.3 SVE live state hint, which a
 * caller may set on any fast call: the function is the same. */
uint32_t smccc_strip_sve_hint(uint32_t fid);
/* SMC32 calls ignore the upper 32 bits of every argument (SMCCC 2.6). */
uint64_t psci_arg(uint32_t fid, uint64_t raw);
/* Decode an extended-format power_state: 0 or PSCI_INVALID_PARAMETERS. */
int psci_decode_power_state(uint32_t power_state, struct psci_power_state *out);
/* True when a target's MPIDR has reserved bits set (bits 63:40, 31:24). */
bool psci_mpidr_invalid(uint64_t mpidr);
/* Does core `mpidr` belong to the affinity instance `target` at `level`
 * (0..3)? Affinity fields below `level` are ignored (DEN0022 5.1.5). */
bool psci_affinity_match(uint64_t mpidr, uint64_t target, unsigned level);
/* AFFINITY_INFO over n cores: ON if any matching core is on (or suspended),
 * else ON_PENDING if any is pending, else OFF; INVALID_PARAMETERS if no
 * core matches or the level is above 3. */
int psci_affinity_info(const uint64_t *mpidrs, const enum psci_cpu_state *states,
		       unsigned n, uint64_t target, uint64_t level);
/* CPU_ON admission for a core in `state`: SUCCESS, ALREADY_ON or ON_PENDING. */
int psci_cpu_on_check(enum psci_cpu_state state);
const char *psci_error_name(int64_t rc);
const char *psci_fn_name(uint32_t fid);
#endif
