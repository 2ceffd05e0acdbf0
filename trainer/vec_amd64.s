//go:build amd64 && gc && !purego

#include "textflag.h"

// func dotAVX(a, b *float32, n int) float32
// n is a multiple of 8.
TEXT ·dotAVX(SB), NOSPLIT, $0-28
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	SHLQ $2, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $64, BX
loop16:
	CMPQ AX, BX
	JGT tail
	VMOVUPS (SI)(AX*1), Y2
	VMOVUPS 32(SI)(AX*1), Y3
	VFMADD231PS (DI)(AX*1), Y2, Y0
	VFMADD231PS 32(DI)(AX*1), Y3, Y1
	ADDQ $64, AX
	JMP loop16
tail:
	CMPQ AX, CX
	JGE done
	VMOVUPS (SI)(AX*1), Y2
	VFMADD231PS (DI)(AX*1), Y2, Y0
done:
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func axpyAVX(alpha float32, x, y *float32, n int)
// y += alpha x; n is a multiple of 8.
TEXT ·axpyAVX(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
	SHLQ $2, CX
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $64, BX
loop16:
	CMPQ AX, BX
	JGT tail
	VMOVUPS (DI)(AX*1), Y1
	VMOVUPS 32(DI)(AX*1), Y2
	VFMADD231PS (SI)(AX*1), Y0, Y1
	VFMADD231PS 32(SI)(AX*1), Y0, Y2
	VMOVUPS Y1, (DI)(AX*1)
	VMOVUPS Y2, 32(DI)(AX*1)
	ADDQ $64, AX
	JMP loop16
tail:
	CMPQ AX, CX
	JGE done
	VMOVUPS (DI)(AX*1), Y1
	VFMADD231PS (SI)(AX*1), Y0, Y1
	VMOVUPS Y1, (DI)(AX*1)
done:
	VZEROUPPER
	RET

// func adagradAVX(w, acc, grad *float32, n int, lr, l2, eps float32)
// g' = g + l2 w; acc += g'²; w -= lr g' / (sqrt(acc) + eps); n multiple of 8.
TEXT ·adagradAVX(SB), NOSPLIT, $0-44
	MOVQ w+0(FP), SI
	MOVQ acc+8(FP), DI
	MOVQ grad+16(FP), DX
	MOVQ n+24(FP), CX
	SHLQ $2, CX
	VBROADCASTSS lr+32(FP), Y5
	VBROADCASTSS l2+36(FP), Y6
	VBROADCASTSS eps+40(FP), Y7
	XORQ AX, AX
loop:
	CMPQ AX, CX
	JGE done
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS (DX)(AX*1), Y1
	VFMADD231PS Y0, Y6, Y1
	VMOVUPS (DI)(AX*1), Y2
	VFMADD231PS Y1, Y1, Y2
	VMOVUPS Y2, (DI)(AX*1)
	VSQRTPS Y2, Y3
	VADDPS Y7, Y3, Y3
	VMULPS Y5, Y1, Y1
	VDIVPS Y3, Y1, Y1
	VSUBPS Y1, Y0, Y0
	VMOVUPS Y0, (SI)(AX*1)
	ADDQ $32, AX
	JMP loop
done:
	VZEROUPPER
	RET
