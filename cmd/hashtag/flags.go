package main

import (
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/export"
)

// variantFlag is a model variant as a flag value (flag.TextVar): a name
// that model.ParseVariant does not know is refused when the flags are
// parsed, with the names it knows.
type variantFlag struct{ model.Variant }

func (v variantFlag) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

func (v *variantFlag) UnmarshalText(b []byte) error {
	x, err := model.ParseVariant(string(b))
	if err != nil {
		return err
	}
	v.Variant = x
	return nil
}

// quantFlag is a storage kind of the compact model as a flag value
// (flag.TextVar), read by export.ParseQuant.
type quantFlag struct{ model.Quant }

func (q quantFlag) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

func (q *quantFlag) UnmarshalText(b []byte) error {
	x, err := export.ParseQuant(string(b))
	if err != nil {
		return err
	}
	q.Quant = x
	return nil
}
