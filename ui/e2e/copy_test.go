package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCopy is issue 10's promise in the page: a person whose recent
// posts carry a hashtag the model never learnt (#ParkrunBerlin) gets it
// among the top 3 for a related post, in their own casing, marked as
// theirs, and the Why panel says it came from their history.
func TestBrowserCopy(t *testing.T) {
	needBrowser(t)
	dir := builtSite(t)
	log := &requestLog{phase: "load"}
	base, _ := serve(t, dir, log)
	p := newBrowser(t, log)
	p.load(chromedp.Navigate(base))
	if eval[bool](p, `!!document.querySelector('#post')`) == false {
		t.Fatal("no text box")
	}
	for _, s := range []string{
		"Saturday morning 5k at the park with friends #ParkrunBerlin #running",
		"Windy one today, new personal best #ParkrunBerlin",
		"Coffee after the run, what a morning #ParkrunBerlin",
	} {
		p.publish(s)
	}
	p.setText("Early run in the park this morning, 5k done")
	sugs := p.suggestions()
	t.Logf("suggestions: %q", sugs)
	found := -1
	for i, s := range sugs {
		if strings.HasPrefix(s, "#ParkrunBerlin ") {
			found = i
		}
	}
	if found < 0 || found > 2 {
		t.Fatalf("#ParkrunBerlin (unknown to the model, in every recent post) is not in the top 3: %q", sugs)
	}
	src := eval[string](p, `(() => { const e = document.querySelectorAll('#suggestions [role=option]')[`+itoaE(found)+`].querySelector('.src'); return e ? e.textContent : '' })()`)
	if src != "yours" {
		t.Errorf("#ParkrunBerlin is marked %q, want \"yours\" (all of it from the copy path)", src)
	}
	if found == 0 {
		why := eval[string](p, `document.querySelector('.why .source').textContent`)
		if !strings.Contains(why, "your history") {
			t.Errorf("Why panel says %q, want it to say the hashtag came from the history", why)
		}
	}
	// Inserting it writes the person's form.
	p.run("pick", chromedp.Click(chromedp.CSS(`#suggestions [role=option]:nth-child(`+itoaE(found+1)+`)`)))
	p.poll("inserted", `document.querySelector('#post').value.includes('#ParkrunBerlin')`)
	checkClean(t, log)
}

func itoaE(i int) string { return string(rune('0' + i)) }
