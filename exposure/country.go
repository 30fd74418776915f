package exposure

import "fmt"

// Country is an ISO 3166 alpha-2 code in two bytes: 1 + the index of its
// letter pair in alphabetical order (AA is 1, ZZ is 676), NoCountry (0)
// when unknown. Sources hold their countries so, not as strings: a
// million-line BOM's sources would otherwise hold six million string
// headers, pointers the garbage collector scans on every cycle. Countries
// compare as their codes do.
type Country uint16

// NoCountry is an unknown country, the zero Country; its code is "".
const NoCountry Country = 0

// letterPairs holds every pair of capital letters, AA to ZZ, in order:
// String returns a substring of it, so a code costs no allocation and
// points into read-only data.
const letterPairs = "" +
	"AAABACADAEAFAGAHAIAJAKALAMANAOAPAQARASATAUAVAWAXAYAZ" +
	"BABBBCBDBEBFBGBHBIBJBKBLBMBNBOBPBQBRBSBTBUBVBWBXBYBZ" +
	"CACBCCCDCECFCGCHCICJCKCLCMCNCOCPCQCRCSCTCUCVCWCXCYCZ" +
	"DADBDCDDDEDFDGDHDIDJDKDLDMDNDODPDQDRDSDTDUDVDWDXDYDZ" +
	"EAEBECEDEEEFEGEHEIEJEKELEMENEOEPEQERESETEUEVEWEXEYEZ" +
	"FAFBFCFDFEFFFGFHFIFJFKFLFMFNFOFPFQFRFSFTFUFVFWFXFYFZ" +
	"GAGBGCGDGEGFGGGHGIGJGKGLGMGNGOGPGQGRGSGTGUGVGWGXGYGZ" +
	"HAHBHCHDHEHFHGHHHIHJHKHLHMHNHOHPHQHRHSHTHUHVHWHXHYHZ" +
	"IAIBICIDIEIFIGIHIIIJIKILIMINIOIPIQIRISITIUIVIWIXIYIZ" +
	"JAJBJCJDJEJFJGJHJIJJJKJLJMJNJOJPJQJRJSJTJUJVJWJXJYJZ" +
	"KAKBKCKDKEKFKGKHKIKJKKKLKMKNKOKPKQKRKSKTKUKVKWKXKYKZ" +
	"LALBLCLDLELFLGLHLILJLKLLLMLNLOLPLQLRLSLTLULVLWLXLYLZ" +
	"MAMBMCMDMEMFMGMHMIMJMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ" +
	"NANBNCNDNENFNGNHNINJNKNLNMNNNONPNQNRNSNTNUNVNWNXNYNZ" +
	"OAOBOCODOEOFOGOHOIOJOKOLOMONOOOPOQOROSOTOUOVOWOXOYOZ" +
	"PAPBPCPDPEPFPGPHPIPJPKPLPMPNPOPPPQPRPSPTPUPVPWPXPYPZ" +
	"QAQBQCQDQEQFQGQHQIQJQKQLQMQNQOQPQQQRQSQTQUQVQWQXQYQZ" +
	"RARBRCRDRERFRGRHRIRJRKRLRMRNRORPRQRRRSRTRURVRWRXRYRZ" +
	"SASBSCSDSESFSGSHSISJSKSLSMSNSOSPSQSRSSSTSUSVSWSXSYSZ" +
	"TATBTCTDTETFTGTHTITJTKTLTMTNTOTPTQTRTSTTTUTVTWTXTYTZ" +
	"UAUBUCUDUEUFUGUHUIUJUKULUMUNUOUPUQURUSUTUUUVUWUXUYUZ" +
	"VAVBVCVDVEVFVGVHVIVJVKVLVMVNVOVPVQVRVSVTVUVVVWVXVYVZ" +
	"WAWBWCWDWEWFWGWHWIWJWKWLWMWNWOWPWQWRWSWTWUWVWWWXWYWZ" +
	"XAXBXCXDXEXFXGXHXIXJXKXLXMXNXOXPXQXRXSXTXUXVXWXXXYXZ" +
	"YAYBYCYDYEYFYGYHYIYJYKYLYMYNYOYPYQYRYSYTYUYVYWYXYYYZ" +
	"ZAZBZCZDZEZFZGZHZIZJZKZLZMZNZOZPZQZRZSZTZUZVZWZXZYZZ"

// CountryOf returns the Country of an alpha-2 code, NoCountry for "". It
// panics on any other text: the readers give only codes of the reference
// country table, which holds two capital letters each (reference checks
// so as it loads), so other text reaching here is a bug, not an input to
// lose quietly.
func CountryOf(code string) Country {
	if code == "" {
		return NoCountry
	}
	if len(code) != 2 || !isCapital(code[0]) || !isCapital(code[1]) {
		panic(fmt.Sprintf("exposure.CountryOf: %q is not an alpha-2 country code", code))
	}
	return Country(int(code[0]-'A')*26 + int(code[1]-'A') + 1)
}

func isCapital(b byte) bool { return b >= 'A' && b <= 'Z' }

// String returns the alpha-2 code, "" for NoCountry, without allocating.
func (c Country) String() string {
	if c == NoCountry || c > 26*26 {
		return ""
	}
	i := 2 * int(c-1)
	return letterPairs[i : i+2]
}

// CountryCodes returns the alpha-2 codes of stage countries, "" where
// unknown: for the types that keep their countries as strings
// (Alternative, Candidate), few beside the BOM's sources.
func CountryCodes(cs [NumStages]Country) [NumStages]string {
	var out [NumStages]string
	for g, c := range cs {
		out[g] = c.String()
	}
	return out
}

// CountriesOf returns the stage Countries of alpha-2 codes ("" unknown);
// it panics as CountryOf does.
func CountriesOf(codes [NumStages]string) [NumStages]Country {
	var out [NumStages]Country
	for g, c := range codes {
		out[g] = CountryOf(c)
	}
	return out
}
