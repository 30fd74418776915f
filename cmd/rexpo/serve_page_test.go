package main

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The results show the plan: the Summary's paragraph, the cost of the
// cap and one row per listed part with where it moves from and to, its
// expected saving and its payback.
func TestServePagePlan(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	status, _, body := post(t, nil, ts.URL+"/report", append(sampleFields(), allScenarios(t, ts)...), mustSample(t), "")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	page := html.UnescapeString(string(body))
	for _, want := range []string{`id="plan-title"`, `id="plan-summary"`, `id="plan-cap-cost"`, `id="plan"`,
		"Change the sourcing mix of", "Cost of the cap, a year in expectation", "required by the cap", "Paid back by"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page's plan lacks %q", want)
		}
	}
	if strings.Contains(page, "saves USD -") {
		t.Errorf("the page prints a negative saving")
	}
	rows := regexp.MustCompile(`(?s)<table class="data" id="plan">.*?</table>`).FindString(page)
	if n := strings.Count(rows, "<tr"); n < 2 {
		t.Errorf("the plan table has %d rows, want a header and the listed parts", n)
	}
	for _, want := range []string{"EDU-MAG-111", "with magnet material from", "not within the horizon"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the plan table lacks %q", want)
		}
	}
}

// Text from the input reaches the plan's section escaped.
func TestServePagePlanEscaped(t *testing.T) {
	s, _, _ := newTestServer(t, testOptions())
	var buf bytes.Buffer
	v := &planView{Paragraph: "<script>alert(1)</script>", Currency: "USD", Lines: []planLineView{
		{Part: "<b>P</b>", Description: "<img src=x>", From: "A & B", To: "<i>C</i>", Saving: "1", Payback: "not within the horizon"},
	}}
	if err := s.pages.ExecuteTemplate(&buf, "plan", v); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>", "<b>P</b>", "<img", "<i>C</i>"} {
		if strings.Contains(out, bad) {
			t.Errorf("plan section holds %q unescaped:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("plan section lacks the escaped paragraph:\n%s", out)
	}
}
