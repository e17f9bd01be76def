/* morestack_x86_64.S -- the frame-size check before a frame is allocated.
 *
 * Generated code is compiled with -fsplit-stack (x86-64): the C compiler
 * then starts every function with a compare of "sp - its frame size"
 * against the word at %fs:0x70 (glibc reserves that TCB field for split
 * stacks) and, when it is below, calls __morestack before allocating
 * anything.  The runtime does not grow stacks: it keeps the running task's
 * limit in that word (sched.c, plat_split_limit_set) and uses the call as
 * an early stack-overflow check that knows the frame size, so a frame
 * larger than the headroom below the limit can never reach below the
 * task's stack into the neighbouring one.  docs/RUNTIME.md "Overflow".
 *
 * Entry (the convention gcc and clang use):
 *   (%rsp)   return address: the `ret` right after the call in the
 *            function's prologue; the function goes on at that address + 1
 *   8(%rsp)  the function's own return address (its entry sp is rsp+8)
 *   %r10     frame size it needs, %r11 bytes of stack arguments
 *   the argument registers hold its arguments (rax: vector count of a
 *   variadic call).
 * We save those, call plat_morestack(entry sp, frame size), which returns
 * only when the frame may be allocated in place (stack.c), restore, and
 * return to the instruction after that `ret`.
 */
#if defined(__x86_64__)
        .text
        .globl  __morestack
        .type   __morestack, @function
        .p2align 4
__morestack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %r8
        pushq   %r9
        pushq   %rax
        pushq   %r10
        pushq   %r11
        subq    $128, %rsp              /* 16-byte aligned again: 9 pushes + rbp + ret */
        movdqu  %xmm0, 0(%rsp)
        movdqu  %xmm1, 16(%rsp)
        movdqu  %xmm2, 32(%rsp)
        movdqu  %xmm3, 48(%rsp)
        movdqu  %xmm4, 64(%rsp)
        movdqu  %xmm5, 80(%rsp)
        movdqu  %xmm6, 96(%rsp)
        movdqu  %xmm7, 112(%rsp)
        leaq    16(%rbp), %rdi          /* the function's entry sp */
        movq    %r10, %rsi              /* its frame size */
        call    plat_morestack
        movdqu  0(%rsp), %xmm0
        movdqu  16(%rsp), %xmm1
        movdqu  32(%rsp), %xmm2
        movdqu  48(%rsp), %xmm3
        movdqu  64(%rsp), %xmm4
        movdqu  80(%rsp), %xmm5
        movdqu  96(%rsp), %xmm6
        movdqu  112(%rsp), %xmm7
        addq    $128, %rsp
        popq    %r11
        popq    %r10
        popq    %rax
        popq    %r9
        popq    %r8
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        addq    $1, (%rsp)              /* skip the `ret` after the call */
        ret
        .cfi_endproc
        .size   __morestack, .-__morestack

        .section .note.GNU-stack,"",@progbits
#endif
