package model

import (
	"fmt"
	"math"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// Result is the output of a forward pass. Its slices belong to the Scratch
// the pass ran with and are overwritten by the next pass.
type Result struct {
	// Hidden is h = Wf [o0 ‖ oH] + Bf, the vector the candidates are scored
	// against (length Dim).
	Hidden []float32
	// Scores are the candidate scores (logits; softmax gives the
	// probabilities), one per Tags entry. Nil after Model.Hidden.
	Scores []float32
	// SentAttn[i] is the attention weight of memory post i in the last hop
	// (0 for an empty or dropped post). Nil when the model has no hops.
	SentAttn []float32
	// WordAttn[i][j] is the word-level attention of the last hop on word j
	// of memory post i (hierarchical variants only; nil for MemN2N).
	WordAttn [][]float32
	// Gate is the copy gate g of HMemN2NCopy: the weight of the softmax
	// over the candidates against the copy distribution (1 for the other
	// variants, and when the memory holds no hashtag).
	Gate float32
	// Copy is the copy distribution over Input.Tags (HMemN2NCopy only).
	Copy []float32
}

// Scratch holds the buffers of a forward pass, so that repeated passes do
// not allocate. A Scratch serves one goroutine at a time; the zero value is
// ready to use.
type Scratch struct {
	o, next, q, z, x, hidden, scores []float32
	s, mem                           []float32 // n×d
	row                              []float32 // a decoded embedding row
	logit, sent                      []float32
	word                             [][]float32
	copy                             []float32
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// Check reports an error if in holds a word id outside the vocabulary.
func (m *Model) Check(in Input) error {
	for _, w := range in.Words {
		if w < 0 || int(w) >= m.V {
			return fmt.Errorf("model: post word id %d out of range [0, %d)", w, m.V)
		}
	}
	for i, mem := range in.Memory {
		for _, w := range mem {
			if w < 0 || int(w) >= m.V {
				return fmt.Errorf("model: memory post %d word id %d out of range [0, %d)", i, w, m.V)
			}
		}
	}
	for j, t := range in.Tags {
		if t.Cand < -1 || int(t.Cand) >= m.K {
			return fmt.Errorf("model: memory hashtag %d has candidate index %d out of range [-1, %d)", j, t.Cand, m.K)
		}
		if t.Word < -1 || int(t.Word) >= m.V {
			return fmt.Errorf("model: memory hashtag %d has word id %d out of range [-1, %d)", j, t.Word, m.V)
		}
		if m.Memory < 32 && t.Posts&(1<<uint(m.Memory)-1) == 0 || t.Posts == 0 {
			return fmt.Errorf("model: memory hashtag %d is in no memory post (posts %#x, memory %d)", j, t.Posts, m.Memory)
		}
	}
	return nil
}

// Forward runs the model on in and returns the candidate scores and the
// attention weights. s may be nil (a new Scratch is used). Memory beyond
// Config.Memory posts and memory posts beyond MaxMemoryWords words are
// ignored; empty memory posts take no part in attention, and with no
// non-empty memory post the memory read u is zero (no NaN).
func (m *Model) Forward(in Input, s *Scratch) (Result, error) {
	if s == nil {
		s = new(Scratch)
	}
	r, err := m.Hidden(in, s)
	if err != nil {
		return r, err
	}
	s.scores = grow(s.scores, m.K)
	matVec(m.Theta, r.Hidden, s.scores)
	r.Scores = s.scores
	r.Gate = 1
	if m.Variant.Copies() {
		var alpha []float32
		if m.Hops > 0 {
			alpha = r.SentAttn
		}
		r.Gate, r.Copy = m.copyPath(in, r.Scores, alpha, r.WordAttn, s.x, s)
	}
	return r, nil
}

// Hidden runs the forward pass up to the output vector h (Result.Hidden)
// and the attention weights, without scoring the candidates.
func (m *Model) Hidden(in Input, s *Scratch) (Result, error) {
	if err := m.Check(in); err != nil {
		return Result{}, err
	}
	if s == nil {
		s = new(Scratch)
	}
	d := m.Dim
	mem := in.Memory
	if len(mem) > m.Memory {
		mem = mem[:m.Memory]
	}
	n := len(mem)
	s.o, s.next, s.q, s.z = grow(s.o, d), grow(s.next, d), grow(s.q, d), grow(s.z, d)
	s.s, s.mem = grow(s.s, n*d), grow(s.mem, n*d)
	s.logit, s.sent = grow(s.logit, n), grow(s.sent, n)
	if cap(s.word) < n {
		s.word = make([][]float32, n)
	}
	s.word = s.word[:n]

	ea, eb, ec := m.embeddings()
	s.row = grow(s.row, d)

	// o0 = Σ A w
	o := s.o
	clear(o)
	for _, w := range in.Words {
		num.Axpy(1, ea.row(w, s.row), o)
	}
	s.x = grow(s.x, 2*d)
	copy(s.x[:d], o)

	maxw := m.MaxMemoryWords()
	words := func(i int) []int32 {
		if len(mem[i]) > maxw {
			return mem[i][:maxw]
		}
		return mem[i]
	}
	hier := m.Variant.Hierarchical()
	if !hier {
		// MemN2N: m_i = Σ B w, c_i = Σ C w, fixed over hops.
		for i := 0; i < n; i++ {
			mi, ci := s.mem[i*d:(i+1)*d], s.s[i*d:(i+1)*d]
			clear(mi)
			clear(ci)
			for _, w := range words(i) {
				num.Axpy(1, eb.row(w, s.row), mi)
				num.Axpy(1, ec.row(w, s.row), ci)
			}
		}
	}
	for h := 0; h < m.Hops; h++ {
		if hier {
			matVec(m.Wo, o, s.q) // q = Wo o_h
		}
		for i := 0; i < n; i++ {
			ws := words(i)
			if len(ws) == 0 {
				s.logit[i] = float32(math.Inf(-1))
				s.word[i] = s.word[i][:0]
				continue
			}
			if !hier {
				s.logit[i] = num.Dot(o, s.mem[i*d:(i+1)*d])
				continue
			}
			// word level: p_ij = softmax_j(o·B w_ij), s_i = Σ p_ij C w_ij
			p := grow(s.word[i], len(ws))
			s.word[i] = p
			for j, w := range ws {
				p[j] = num.Dot(o, eb.row(w, s.row))
			}
			num.Softmax(p)
			si := s.s[i*d : (i+1)*d]
			clear(si)
			for j, w := range ws {
				num.Axpy(p[j], ec.row(w, s.row), si)
			}
			// sentence level: m_i = tanh(Wo o + Ws s_i), logit = Wms·m_i
			matVec(m.Ws, si, s.z)
			for k := range s.z {
				s.z[k] = float32(math.Tanh(float64(s.z[k] + s.q[k])))
			}
			s.logit[i] = num.Dot(m.Wms, s.z)
		}
		copy(s.sent, s.logit)
		num.Softmax(s.sent)
		copy(s.next, o)
		for i := 0; i < n; i++ {
			if s.sent[i] != 0 {
				num.Axpy(s.sent[i], s.s[i*d:(i+1)*d], s.next)
			}
		}
		o, s.next = s.next, o
	}
	s.o = o
	copy(s.x[d:], o)
	s.hidden = grow(s.hidden, d)
	matVec(m.Wf, s.x, s.hidden)
	num.Axpy(1, m.Bf, s.hidden)

	r := Result{Hidden: s.hidden}
	if m.Hops > 0 {
		r.SentAttn = s.sent
		if hier {
			r.WordAttn = s.word
		}
	}
	return r, nil
}

// matVec sets y = W x for W of len(y) rows and len(x) columns.
//
// Four rows share each load of x (WebAssembly has no SIMD, so loads
// dominate); every row is summed exactly as dot sums it, so the result is
// bit for bit that of dot row by row.
func matVec(w, x, y []float32) {
	n := len(x)
	i := 0
	for ; i+4 <= len(y); i += 4 {
		w0 := w[i*n : (i+1)*n]
		w1 := w[(i+1)*n : (i+2)*n]
		w2 := w[(i+2)*n : (i+3)*n]
		w3 := w[(i+3)*n : (i+4)*n]
		var a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3 float32
		j := 0
		for ; j+4 <= n; j += 4 {
			x0, x1, x2, x3 := x[j], x[j+1], x[j+2], x[j+3]
			a0 += w0[j] * x0
			a1 += w0[j+1] * x1
			a2 += w0[j+2] * x2
			a3 += w0[j+3] * x3
			b0 += w1[j] * x0
			b1 += w1[j+1] * x1
			b2 += w1[j+2] * x2
			b3 += w1[j+3] * x3
			c0 += w2[j] * x0
			c1 += w2[j+1] * x1
			c2 += w2[j+2] * x2
			c3 += w2[j+3] * x3
			d0 += w3[j] * x0
			d1 += w3[j+1] * x1
			d2 += w3[j+2] * x2
			d3 += w3[j+3] * x3
		}
		for ; j < n; j++ {
			a0 += w0[j] * x[j]
			b0 += w1[j] * x[j]
			c0 += w2[j] * x[j]
			d0 += w3[j] * x[j]
		}
		y[i] = (a0 + a1) + (a2 + a3)
		y[i+1] = (b0 + b1) + (b2 + b3)
		y[i+2] = (c0 + c1) + (c2 + c3)
		y[i+3] = (d0 + d1) + (d2 + d3)
	}
	for ; i < len(y); i++ {
		y[i] = num.Dot(w[i*n:(i+1)*n], x)
	}
}
