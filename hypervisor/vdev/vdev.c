#include "domain.h"
#include "hyp.h"
#include "gic.h"
#include "vctl.h"
#include "vdev.h"
#include "vgic.h"
#include "vwdt.h"

void vdev_domain_init(struct domain *d)
{
	vpl011_init(d);
	if (vgic_present()) {
		vgic_domain_init(d);
		vgic_domain_reset(d);
		for (unsigned i = 0; i < d->cfg.ndev; i++)
			for (unsigned k = 0; k < d->cfg.dev[i].nirq; k++)
				vgic_passthrough_spi(d, d->cfg.dev[i].irq[k]);
	}
	/* After the GIC: trapped MMIO searches the regions in this order,
	 * and the GIC's registers are the hot ones. */
	vwdt_domain_init(d);
	if (vctl_domain_init(d))
		panic("domain %s: no memory for the control channel", d->cfg.name);
}

void vdev_domain_reset(struct domain *d)
{
	vpl011_reset(d);
	if (vgic_present())
		vgic_domain_reset(d);
	vwdt_domain_reset(d);
}
