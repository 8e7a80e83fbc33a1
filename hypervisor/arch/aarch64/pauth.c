/* Pointer authentication keys of a vCPU (APIA, APIB, APDA, APDB, APGA,
 * each Hi and Lo), switched eagerly with the other EL1 registers when a
 * vCPU takes or leaves the CPU, only for domains that see pointer
 * authentication (HCR_EL2.API and APK set: no trap on the instructions or
 * the keys). Why eager and not trapped on first use: docs/guest-cpu.md.
 * The hypervisor never uses the keys (SCTLR_EL2.EnIA/IB/DA/DB are 0). */
#include "domain.h"
#include "hyp.h"
#include "pauth.h"
#include "vcpu.h"

void pauth_load(const struct vcpu *v)
{
	const uint64_t *k = v->pauth_keys;

	write_sysreg(k[0], S3_0_C2_C1_0);   /* APIAKeyLo_EL1 */
	write_sysreg(k[1], S3_0_C2_C1_1);   /* APIAKeyHi_EL1 */
	write_sysreg(k[2], S3_0_C2_C1_2);   /* APIBKeyLo_EL1 */
	write_sysreg(k[3], S3_0_C2_C1_3);   /* APIBKeyHi_EL1 */
	write_sysreg(k[4], S3_0_C2_C2_0);   /* APDAKeyLo_EL1 */
	write_sysreg(k[5], S3_0_C2_C2_1);   /* APDAKeyHi_EL1 */
	write_sysreg(k[6], S3_0_C2_C2_2);   /* APDBKeyLo_EL1 */
	write_sysreg(k[7], S3_0_C2_C2_3);   /* APDBKeyHi_EL1 */
	write_sysreg(k[8], S3_0_C2_C3_0);   /* APGAKeyLo_EL1 */
	write_sysreg(k[9], S3_0_C2_C3_1);   /* APGAKeyHi_EL1 */
}

void pauth_save(struct vcpu *v)
{
	uint64_t *k = v->pauth_keys;

	k[0] = read_sysreg(S3_0_C2_C1_0);
	k[1] = read_sysreg(S3_0_C2_C1_1);
	k[2] = read_sysreg(S3_0_C2_C1_2);
	k[3] = read_sysreg(S3_0_C2_C1_3);
	k[4] = read_sysreg(S3_0_C2_C2_0);
	k[5] = read_sysreg(S3_0_C2_C2_1);
	k[6] = read_sysreg(S3_0_C2_C2_2);
	k[7] = read_sysreg(S3_0_C2_C2_3);
	k[8] = read_sysreg(S3_0_C2_C3_0);
	k[9] = read_sysreg(S3_0_C2_C3_1);
}
