#!/bin/sh
# Runs an ARM64 Linux program under qemu's user-mode emulation, with the arm64 dynamic loader and
# libraries of the multiarch install (/). The arm64 build's emulator for ctest (the toolchain file
# names it). LATENT_QEMU_CPU picks the processor: max (the default) has every extension the kernel
# tables use (dotprod, i8mm); cortex-a76 has dotprod alone and cortex-a53 none of them, to check
# that the selection falls back.
exec qemu-aarch64-static -cpu "${LATENT_QEMU_CPU:-max}" -L / "$@"
