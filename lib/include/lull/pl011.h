/* PL011 UART, polled. The hypervisor adds interrupt-driven receive. */
#ifndef LULL_PL011_H
#define LULL_PL011_H
#include <stdint.h>

#define PL011_DR    0x00
#define PL011_FR    0x18
#define PL011_IBRD  0x24
#define PL011_FBRD  0x28
#define PL011_LCRH  0x2c
#define PL011_CR    0x30
#define PL011_IMSC  0x38
#define PL011_MIS   0x40
#define PL011_ICR   0x44
#define PL011_FR_BUSY (1U << 3)
#define PL011_FR_TXFF (1U << 5)
#define PL011_FR_RXFE (1U << 4)
#define PL011_INT_RX  (1U << 4)
#define PL011_INT_RT  (1U << 6)

void pl011_init(uintptr_t base);
void pl011_putc(uintptr_t base, char c);
/* Returns -1 when the receive FIFO is empty. */
int pl011_getc(uintptr_t base);
#endif
