#include <lull/pl011.h>
#include <lull/mmio.h>

void pl011_init(uintptr_t base)
{
	mmio_write32(base + PL011_CR, 0);
	mmio_write32(base + PL011_LCRH, 0x70); /* 8N1, FIFOs on */
	mmio_write32(base + PL011_CR, 0x301);  /* UARTEN, TXE, RXE */
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + PL011_FR) & PL011_FR_TXFF)
		;
	mmio_write32(base + PL011_DR, (uint8_t)c);
}

int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + PL011_FR) & PL011_FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + PL011_DR) & 0xff);
}
