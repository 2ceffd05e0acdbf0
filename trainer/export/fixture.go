package export

import (
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/conformance"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// RawTexts re-reads the corpus of src and returns the raw text of the kept
// posts whose dataset indices are in want (post p of a dataset is the p-th
// post the protocol keeps, in file order).
func RawTexts(src dataset.Source, want map[int32]bool) (map[int32]string, error) {
	files, err := src.Files()
	if err != nil {
		return nil, err
	}
	out := make(map[int32]string, len(want))
	var p int32
	for _, f := range files {
		_, _, err := post.ReadFile(f, src.Format, src.Opts, func(x post.Post) error {
			if !dataset.Keep(&x) {
				return nil
			}
			if want[p] {
				out[p] = x.Text
			}
			p++
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MakeFixture picks n test examples of d spread evenly over the split, and
// records the top 5 of the float32 model f and of the compact file
// compactBytes for each, computed from their raw texts.
func MakeFixture(d *dataset.Dataset, src dataset.Source, f *model.Model, compactBytes []byte, n int) (*conformance.Fixture, error) {
	q, err := model.UnmarshalCompact(compactBytes)
	if err != nil {
		return nil, err
	}
	ex := d.Examples[dataset.Test]
	n = min(n, len(ex))
	var picked []int32
	want := map[int32]bool{}
	for i := 0; i < n; i++ {
		p := ex[i*len(ex)/n]
		picked = append(picked, p)
		want[p] = true
		for _, h := range d.History(p) {
			want[h] = true
		}
	}
	raw, err := RawTexts(src, want)
	if err != nil {
		return nil, err
	}
	fx := &conformance.Fixture{ModelSHA256: conformance.Digest(compactBytes), Source: d.Source}
	fc, qc := f, q
	for _, p := range picked {
		c := conformance.Case{Post: raw[p]}
		for _, h := range d.History(p) {
			c.History = append(c.History, raw[h])
		}
		c.Float = conformance.Tags(fc.Recommend(c.Post, c.History, 5))
		c.Compact = conformance.Tags(qc.Recommend(c.Post, c.History, 5))
		fx.Cases = append(fx.Cases, c)
	}
	return fx, nil
}
