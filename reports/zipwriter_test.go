package reports

import "testing"

func TestSortDefaults(t *testing.T) {
	const head, tail = `<Types xmlns="x">`, `<Override PartName="/a" ContentType="b"></Override></Types>`
	for _, tc := range []struct{ name, in, want string }{
		{"a run, sorted",
			head + `<Default Extension="xml" ContentType="a"></Default><Default Extension="bmp" ContentType="b"/><Default Extension="png" ContentType="c"></Default>` + tail,
			head + `<Default Extension="bmp" ContentType="b"/><Default Extension="png" ContentType="c"></Default><Default Extension="xml" ContentType="a"></Default>` + tail},
		{"one entry", head + `<Default Extension="xml" ContentType="a"/>` + tail, head + `<Default Extension="xml" ContentType="a"/>` + tail},
		{"not one run: left alone",
			head + `<Default Extension="xml" ContentType="a"/><Override PartName="/z" ContentType="z"/><Default Extension="bmp" ContentType="b"/>` + tail,
			head + `<Default Extension="xml" ContentType="a"/><Override PartName="/z" ContentType="z"/><Default Extension="bmp" ContentType="b"/>` + tail},
	} {
		if got := string(sortDefaults([]byte(tc.in))); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
