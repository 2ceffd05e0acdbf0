package model

// TopK appends to dst the indices of the k largest scores, largest first
// (ties: lower index first), by partial selection: one pass that keeps the
// best k in order, O(n·k) worst case and O(n) for the usual k ≤ 5. It
// allocates nothing when dst has room for k.
func TopK[F Float](scores []F, k int, dst []int32) []int32 {
	k = min(k, len(scores))
	if k <= 0 {
		return dst
	}
	start := len(dst)
	for i, v := range scores {
		n := len(dst) - start
		if n == k && v <= scores[dst[len(dst)-1]] {
			continue
		}
		if n < k {
			dst = append(dst, int32(i))
		}
		// Insert i at its place, shifting worse entries down by one.
		j := len(dst) - 1
		for j > start && scores[dst[j-1]] < v {
			dst[j] = dst[j-1]
			j--
		}
		dst[j] = int32(i)
	}
	return dst
}
