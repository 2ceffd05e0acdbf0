package model

// Suggestion is one recommended hashtag with the model's probability.
type Suggestion struct {
	Tag   string  // hashtag without '#', lower case
	Score float32 // the model's probability of the hashtag
	// Display is the form to show: the person's own for a hashtag of their
	// history, else the candidate's usual form (Model.Display), else Tag.
	Display string
	// Copy is the share of Score that came from the person's history (the
	// copy path of HMemN2NCopy): (1−g)·p_copy / p; 0 for other variants.
	Copy float32
}

// WordWeight is one memory word and its word-level attention weight.
type WordWeight struct {
	Word   string
	Weight float32
}

// Why explains a recommendation by the two attention levels of the last hop
// (HMemN2N; MemN2N has only the post level, and Words is nil for it).
type Why struct {
	// Posts holds the sentence-level weight p_i of each history post given,
	// in the order given (most recent first); posts beyond the memory size
	// are not in it.
	Posts []float32
	// Words holds, per history post, its words (as the model saw them) with
	// their word-level weights p_ij.
	Words [][]WordWeight
	// Gate is the copy gate g of HMemN2NCopy, the weight of the text's
	// softmax against the history's hashtags (1 for other variants).
	Gate float32
}

// Recommender is what the browser calls on every keystroke: the post being
// written (raw text, hashtags allowed: they are removed before the model
// sees it) and the person's history, most recent first, raw texts with their
// hashtags. It returns the k best hashtags, best first, and why.
type Recommender interface {
	Recommend(post string, history []string, k int) ([]Suggestion, Why)
}
