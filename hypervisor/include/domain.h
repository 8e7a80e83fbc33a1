/* Domains: statically partitioned virtual machines built at boot from the
 * configuration (core/config.c). */
#ifndef HYP_DOMAIN_H
#define HYP_DOMAIN_H
#include <stddef.h>
#include <lull/spinlock.h>
#include "cpu_features.h"
#include "pgtable.h"
#include "vcpu.h"
#include "vgic.h"

#define MAX_DOMAINS       8
#define MAX_VCPUS         8
#define MAX_PASSTHROUGH   8
#define MAX_DEV_REGIONS   4
#define MAX_DEV_IRQS      4

/* Guest physical layout (the QEMU virt layout, so that guests written for
 * virt run unchanged). */
#define GUEST_GICD        0x08000000UL
#define GUEST_GICC        0x08010000UL     /* GICv2: GICV mapped here */
#define GUEST_GICR        0x080a0000UL     /* GICv3 redistributors */
#define GUEST_UART        0x09000000UL
/* The virtual SBSA Generic Watchdog (vdev/vwdt.c): two 4 KiB frames in a
 * hole of the virt layout (after the secure GPIO at 0x090b0000, before
 * virtio-mmio at 0x0a000000), and WS0 as SPI 14 (INTID 46, level), an SPI
 * virt leaves unused. */
#define GUEST_WDT_CTRL    0x090c0000UL     /* control frame: WCS, WOR, WCV */
#define GUEST_WDT_REFRESH 0x090d0000UL     /* refresh frame: WRR */
#define GUEST_WDT_INTID   46U
#define GUEST_RAM_BASE    0x40000000UL

struct image {
	uint64_t pa, size;          /* where the loader placed it; size 0: none */
};

struct passthrough {
	char path[64];
	uint64_t reg[MAX_DEV_REGIONS][2];   /* base, size (identity-mapped) */
	unsigned nreg;
	unsigned irq[MAX_DEV_IRQS];         /* INTIDs (SPIs) */
	unsigned nirq;
	bool dma;                           /* a bus master (dma-coherent, virtio) */
};

struct domain_config {
	char name[16];
	char node[64];              /* config node path, for messages */
	bool hardware;
	uint64_t mem_base, mem_size;   /* physical; base 0 = place it */
	bool mem_identity;          /* lull,memory-identity: RAM at IPA = PA */
	uint64_t ram_ipa;           /* where the guest sees its RAM (after placement) */
	unsigned nvcpus;
	unsigned vcpu_pcpu[MAX_VCPUS];
	struct image kernel, initrd;
	bool kernel_raw;            /* raw binary (else arm64 Image) */
	uint64_t load_ipa;          /* raw binary: where it goes */
	char bootargs[256];
	struct passthrough dev[MAX_PASSTHROUGH];
	unsigned ndev;
	uint64_t cpu_hide;          /* lull,cpu-hide: bits of cpu_feature_name() */
	unsigned sve_max_vq;        /* lull,sve-max-vl / 128 (SVE_VQ_MAX if absent) */
	unsigned vgic_intids;       /* lull,vgic-intids; 0: from the devices */
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_OFF };

/* Why a domain is paused (its vCPUs do not run; their state is in
 * memory). Each reason is set and cleared on its own. */
#define PAUSE_HOST   1U        /* host suspend (pm/host_suspend.c) */
#define PAUSE_USER   2U        /* the console or the control channel */

struct domain {
	unsigned id;
	struct domain_config cfg;
	unsigned vmid;
	struct pgtable s2;
	uint64_t vttbr;
	spinlock_t lock;            /* vCPU power states, domain state, paused */
	volatile enum domain_state state;
	volatile unsigned paused;   /* PAUSE_* reasons; 0 = not paused */
	/* Host resume: log when it first runs (PM_NOTE_*, pm/host_suspend.c). */
	volatile uint8_t pm_note_running;
	struct vcpu vcpu[MAX_VCPUS];
	struct cpu_view cpu;        /* what its vCPUs see of the CPU (core/cpu_view.c) */
	uint64_t hcr;               /* HCR_EL2 while its vCPUs run */
	unsigned sve_alloc_vq;      /* the vector length its SVE save areas hold */
	struct vgic_dist vgic;
	uint64_t entry_ipa, dtb_ipa;
	void *dtb_copy;             /* pristine guest DT, for reboots */
	size_t dtb_size;
};

extern struct domain domains[MAX_DOMAINS];
extern unsigned nr_domains;

void domains_build(void);       /* boot: from the parsed configuration */
struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr);
void domain_power_off(struct domain *d, const char *why);
/* Stop every vCPU of d at a safe point, with its whole state in memory
 * (none loaded anywhere), for `reason`; unpause clears that reason and the
 * domain runs again once no reason is left. From any CPU, not from a vCPU
 * of d itself. */
void domain_pause(struct domain *d, unsigned reason);
/* The same without waiting (from a vCPU's exit, where waiting for another
 * CPU could deadlock): the vCPUs stop at their CPUs' next loop round;
 * domain_stopped tells when none is loaded any more. */
void domain_pause_request(struct domain *d, unsigned reason);
bool domain_stopped(const struct domain *d);
void domain_unpause(struct domain *d, unsigned reason);
void domain_reboot(struct domain *d);
/* Names for the console and the control channel: "running", "paused",
 * "paused (host suspend)", "suspended (PSCI SYSTEM_SUSPEND)", "off"; a
 * vCPU's "on", "off", "on-pending", "standby", "powered-down", "suspended". */
const char *domain_state_name(const struct domain *d);
const char *vcpu_power_name(enum vcpu_power p);
uint64_t domain_ipa_to_pa(const struct domain *d, uint64_t ipa, uint64_t len);
#endif
